"""Helpers for the store CLI modules: the --db option, error handling and output formats."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from rich.table import Table

from polybius.cli._common import console, err_console
from polybius.store.core import DEFAULT_DB, Store, StoreError
from polybius.store.validate import QueryError

__all__ = [
    "DB_OPTION",
    "FORMATS",
    "cli_errors",
    "open_reader",
    "print_rows",
]

DB_HELP = "DuckDB database file (env POLYBIUS_DB)."
DB_OPTION = typer.Option(DEFAULT_DB, "--db", envvar="POLYBIUS_DB", help=DB_HELP)
FORMATS = ("table", "jsonl", "csv")


@contextmanager
def cli_errors() -> Iterator[None]:
    """Turn bad query inputs into usage errors (exit 2) and store problems into exit 1."""
    try:
        yield
    except QueryError as exc:
        raise typer.BadParameter(str(exc)) from None
    except StoreError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", soft_wrap=True, highlight=False)
        raise typer.Exit(1) from None


@contextmanager
def open_reader(db: str) -> Iterator[Store]:
    """Open the database read-only (short-lived, so a running ingest is not blocked)."""
    with cli_errors(), Store.open(db, read_only=True) as store:
        yield store


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    value = fmt.strip().lower()
    if value not in allowed:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(allowed)}", param_hint="--format"
        )
    return value


#: Short table headers (tables are often 80 columns wide).
HEADERS = {
    "quad_class": "quad",
    "source_codes": "source",
    "target_codes": "target",
    "goldstein": "Goldstein",
    "goldstein_sum": "Goldstein sum",
    "goldstein_mean": "Goldstein mean",
    "net_cooperation": "net coop",
    "cooperation": "coop",
    "internal_events": "internal events",
    "mean_goldstein": "mean Goldstein",
    "internal_cooperation": "internal coop",
    "external_cooperation": "external coop",
    "previous_events": "prev events",
    "current_events": "cur events",
    "event_type": "type",
}


#: Columns that may wrap over several lines; the others stay on one line.
WRAPPING = {"sentence", "members", "text", "title"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def print_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    title: str | None = None,
    empty: str = "nothing matches",
) -> None:
    """Print dict rows as a Rich table, JSON lines or CSV (to stdout)."""
    from polybius.cli._common import write_jsonl

    if fmt == "jsonl":
        write_jsonl(rows)
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
        sys.stdout.write(buf.getvalue())
        return
    if not rows:
        console.print(f"[dim]{empty}[/]")
        return
    table = Table(title=title, header_style="bold", show_lines=False)
    for col in columns:
        numeric = isinstance(rows[0].get(col), int | float) and not isinstance(
            rows[0].get(col), bool
        )
        header = HEADERS.get(col, col.replace("_", " "))
        widest = max(len(_cell(r.get(col))) for r in rows)
        table.add_column(
            header,
            justify="right" if numeric else "left",
            overflow="fold",
            # short values (codes, numbers, periods) keep their width; long text wraps
            min_width=min(widest, 8) if numeric else None,
        )
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    console.print(table)
