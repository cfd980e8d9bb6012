"""`polybius code SOURCE`: code articles into events (JSON lines, JSON or a table)."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from polybius.cli._common import console, err_console, parse_date_option

__all__ = ["register"]

_FORMATS = ("jsonl", "json", "table")


def _rows(source: str, date: str | None, typing: str, explain: bool) -> list[dict[str, Any]]:
    from polybius.articles import read_articles
    from polybius.events.candidates import TYPING_MODES
    from polybius.events.explain import explain_article
    from polybius.nlp import load_nlp

    if typing not in TYPING_MODES:
        raise typer.BadParameter(
            f"{typing!r}: choose one of {', '.join(TYPING_MODES)}", param_hint="--typing"
        )  # noqa: E501
    nlp = load_nlp()
    rows: list[dict[str, Any]] = []

    def problem(p: Any) -> None:
        err_console.print(f"[yellow]skipped {p.source}: {p.reason}[/yellow]")

    for article in read_articles(source, date=date, on_problem=problem):
        try:
            explained = explain_article(article, nlp, typing=typing)
        except Exception as exc:  # one bad article is reported, the others go on
            err_console.print(f"[red]{article.doc_id}: {type(exc).__name__}: {exc}[/red]")
            continue
        for item in explained:
            row = item.event.to_dict()
            if explain:
                row["explain"] = item.explanation
            rows.append(row)
    return rows


def _actors(actors: list[dict[str, Any]]) -> str:
    return (
        ", ".join(a.get("org") or a.get("country") or a.get("name") or a["text"] for a in actors)
        or "-"
    )  # noqa: E501


def _where(row: dict[str, Any]) -> str:
    """The place as the text gives it, with the country it resolves to when that differs."""
    loc, country = row.get("location"), row.get("location_country")
    if not loc:
        return "-"
    return f"{loc} ({country})" if country and country != loc else loc


def _table(rows: list[dict[str, Any]], explain: bool) -> None:
    from rich.table import Table

    table = Table(show_lines=explain)
    for col in (
        "sent",
        "type",
        "modality",
        "source",
        "target",
        "cameo",
        "date",
        "where",
        "claimed by",
        "trigger",
    ):  # noqa: E501
        table.add_column(col)
    if explain:
        table.add_column("why")
    for r in rows:
        att = r["attribution"]["speaker"] if r["attribution"] else "-"
        cells = [
            str(r["sentence_index"]), r["event_type"] + (f" ({r['mode']})" if r["mode"] else ""),
            r["modality"], _actors(r["sources"]), _actors(r["targets"]), r["cameo"] or "-",
            f"{r['date']} ({r['date_precision']})" if r["date"] else "-", _where(r), att,
            r["trigger"],
        ]  # fmt: skip
        if explain:
            ex = r.get("explain", {})
            cells.append(
                "\n".join(
                    f"{k}: {v}"
                    for k, v in ex.items()
                    if k
                    in {
                        "rule",
                        "roles",
                        "modality_cues",
                        "attribution_cue",
                        "date_cue",
                        "confidence",
                    }  # noqa: E501
                )
            )
        table.add_row(*cells)
    console.print(table)


def code(
    source: str = typer.Argument(..., help="File, folder, glob, JSONL/CSV, feed or URL."),
    date: str = typer.Option(
        None, "--date", help="Publication date (YYYY-MM-DD) when the source has none."
    ),  # noqa: E501
    fmt: str = typer.Option("jsonl", "--format", help="jsonl, json or table."),
    explain: bool = typer.Option(False, "--explain", help="Show why each event was coded."),
    typing: str = typer.Option("hybrid", "--typing", help="rules, model or hybrid."),
) -> None:
    """Code articles into PLOVER/CAMEO events with modality, attribution, dates and evidence."""
    if fmt not in _FORMATS:
        raise typer.BadParameter(
            f"{fmt!r}: choose one of {', '.join(_FORMATS)}", param_hint="--format"
        )  # noqa: E501
    rows = _rows(source, parse_date_option(date), typing, explain)
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        _table(rows, explain)


def register(app: typer.Typer) -> None:
    app.command("code")(code)
