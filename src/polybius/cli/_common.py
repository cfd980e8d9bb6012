"""Helpers shared by CLI modules: consoles, date option parsing, output formats."""

from __future__ import annotations

import datetime as _dt
import json
import sys
from collections.abc import Iterable
from typing import Any

import typer
from rich.console import Console

__all__ = ["console", "err_console", "parse_date_option", "write_jsonl"]

console = Console()
err_console = Console(stderr=True)


def parse_date_option(value: str | None, *, name: str = "--date") -> str | None:
    """Validate a YYYY-MM-DD option; exit with a clear message naming the option if invalid."""
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in YYYY-MM-DD form", param_hint=name
        ) from None


def write_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    """Write dicts as JSON lines to stdout."""
    out = sys.stdout
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
