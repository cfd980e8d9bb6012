"""`polybius actors SOURCE`: list the actor mentions found in articles (table or JSON lines)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from polybius.cli._common import console, err_console, parse_date_option, write_jsonl

__all__ = ["register", "actor_rows"]

_FORMATS = ("table", "jsonl")


def actor_rows(source: str, date: str | None) -> Iterator[dict[str, Any]]:
    """One dict per mention: article_id, doc_id, date, then the ActorMention fields.

    Articles come from ``read_articles`` (cleaned: boilerplate and repeated headlines
    dropped); each is parsed and resolved as of its own date, else ``date``. A reading
    problem or a failing article is reported on stderr and the others go on.
    """
    from polybius.actors import find_actors
    from polybius.articles import read_articles
    from polybius.nlp import load_nlp

    nlp = load_nlp()

    def problem(p: Any) -> None:
        err_console.print(f"[yellow]skipped {p.source}: {p.reason}[/yellow]")

    for article in read_articles(source, date=date, on_problem=problem):
        when = article.date or date
        try:
            mentions = find_actors(nlp(article.full_text), when)
        except Exception as exc:  # one bad article is reported, the others go on
            err_console.print(f"[red]{article.doc_id}: {type(exc).__name__}: {exc}[/red]")
            continue
        for m in mentions:
            yield {
                "article_id": article.article_id,
                "doc_id": article.doc_id,
                "date": when,
                **m.to_dict(),
            }


def _table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table

    table = Table()
    for col in ("sent", "text", "kind", "country", "sector", "org", "name", "role", "refers"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            "" if r["sentence_index"] is None else str(r["sentence_index"]),
            r["text"],
            r["kind"],
            r["country"] or "-",
            r["sector"] or "-",
            r["org"] or "-",
            r["name"] or "-",
            r["role"] or "-",
            "" if r["refers_to"] is None else str(r["refers_to"]),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command("actors")
    def actors(
        source: str = typer.Argument(..., help="A file, directory, glob, feed or URL."),
        date: str = typer.Option(
            None,
            "--date",
            help="Article date (YYYY-MM-DD) when the "
            "source gives none; roles are resolved as of this date.",
        ),
        fmt: str = typer.Option("table", "--format", "-f", help="table or jsonl."),
    ) -> None:
        """Find the actors (states, organisations, people, sectors) mentioned in articles."""
        when = parse_date_option(date)
        if fmt not in _FORMATS:
            raise typer.BadParameter(
                f"{fmt!r}: choose one of {', '.join(_FORMATS)}", param_hint="--format"
            )
        rows = actor_rows(source, when)
        if fmt == "jsonl":
            write_jsonl(rows)
        else:
            _table(list(rows))
