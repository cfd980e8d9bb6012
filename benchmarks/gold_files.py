"""Reading the silver gold files of the news benchmarks (typing, modality, details).

Each file holds one JSON object per line; a benchmark passes a ``parse`` function that adds
the row's key and checks its fields. A bad line stops the read with a ValueError that names
the file and the line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path


class GoldError(ValueError):
    """A row that parses but breaks a rule of its file (its message says which)."""


def read_rows(path: Path, parse: Callable[[dict], None]) -> list[dict]:
    """The rows of ``path``, each passed through ``parse`` (which may add fields and raise
    GoldError, KeyError, TypeError or ValueError); ValueError naming the file and line."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                parse(row)
            except GoldError as exc:
                raise ValueError(f"{path}:{n}: {exc}") from exc
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a gold item ({exc})") from exc
            out.append(row)
    return out


def event_key(row: dict) -> tuple:
    """(article, trigger span, source codes, target codes) of a gold row: the key that finds
    its event again after re-coding (``news_modality_sample.event_key`` on the coder's side)."""
    return (row["article_id"], tuple(row["span"]), tuple(row["sources"]), tuple(row["targets"]))
