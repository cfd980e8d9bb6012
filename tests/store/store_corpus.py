"""Small hand-written corpora for the store tests (written for these tests, not copied)."""

from __future__ import annotations

import json
import random
from pathlib import Path

NAMES = ["America", "Iraq", "France", "China", "Russia", "Japan", "India"]
VERBS = ["met", "helped", "threatened", "attacked"]
FILLER = (
    "ministers harbour grain convoy budget summit pipeline election border ferry treaty "
    "drought reactor festival tariff river bridge census vaccine orchestra satellite"
).split()

NEAR_DUP_BODY = (
    "France met China in Paris on Tuesday to discuss river shipping, officials said. "
    "The talks covered tariffs on grain, a new ferry line and a census of border towns. "
    "Delegates toured a bridge, a harbour and a reactor site before a long dinner. "
    "A further round is planned for the spring, with ministers from both sides attending. "
    "Observers called the meeting cordial and said the ferry deal was close to signature."
)


def make_records(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` distinct dated articles, each with one or two coded phrases."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        a, b = rng.sample(NAMES, 2)
        c, d = rng.sample(NAMES, 2)
        words = " ".join(rng.choice(FILLER) for _ in range(30))
        month = 1 + i % 12
        text = (
            f"{a} {rng.choice(VERBS)} {b} on Monday, a spokesman said. {words}. "
            f"Later {c} {rng.choice(VERBS)} {d} as well. Item {i} of the test wire."
        )
        out.append(
            {
                "id": f"doc{i:03d}",
                "date": f"2022-{month:02d}-{1 + i % 27:02d}",
                "title": f"Wire item {i}",
                "text": text,
            }
        )
    return out


def write_jsonl(path: Path, records: list[dict[str, str]], *, broken_line: bool = False) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
        if broken_line:
            fh.write("{this is not json\n")
    return path


def near_dup_pair() -> list[dict[str, str]]:
    """Two copies of one story with small edits (an updated wire version)."""
    edited = NEAR_DUP_BODY.replace("on Tuesday", "on Tuesday afternoon").replace(
        "long dinner", "late dinner"
    )
    return [
        {
            "id": "wire-1",
            "date": "2022-03-08",
            "title": "France and China talk river trade",
            "text": NEAR_DUP_BODY,
        },
        {
            "id": "wire-1-update",
            "date": "2022-03-08",
            "title": "France and China talk river trade",
            "text": edited,
        },
    ]
