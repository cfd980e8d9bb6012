"""Actor resolution accuracy on NGEC-style expectations (actor string -> country, sector).

Reads a CSV with the columns of ``ngec_actor_resolution_expectations.csv`` and scores the
``agent_to_code`` rows. For each row the input string is parsed and run through
``find_actors``; the *head* mention is the one covering the most characters (pronouns and
places last). Scoring is exact match per field:

  * country: predicted ``country`` == ``expect_country`` ("IGO" for organisations; the UN
    family and the EU are translated to NGEC's "UNO" and "EUR");
  * sector:  predicted ``sector``  == ``expect_code_1`` (a PLOVER sector code);
  * an empty expectation means "expect none", so predicting a value there is wrong.

``extra_args`` is "context|date": the date part ("Today", "2022-01-01", "1 January 2003",
empty = today) is the date roles are resolved at; the context part names a country that
is used when the string itself names none (as NGEC does).
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

__all__ = ["ActorCase", "read_actor_cases", "evaluate_actor_cases", "parse_case_date"]


@dataclass(frozen=True, slots=True)
class ActorCase:
    text: str
    country: str | None
    sector: str | None
    date: str
    context: str | None
    test: str = ""


def parse_case_date(value: str, today: str | None = None) -> str:
    """'Today'/'' -> today; ISO dates and '1 January 2003' / '1 july 2021' -> ISO."""
    today = today or _dt.date.today().isoformat()
    value = value.strip()
    if not value or value.lower() == "today":
        return today
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%B %d, %Y"):
        try:
            return (
                _dt.datetime.strptime(value.title() if "%B" in fmt else value, fmt)
                .date()
                .isoformat()
            )
        except ValueError:
            continue
    return today  # an unparseable date ("October 1" without a year) counts as today


def read_actor_cases(path: Path, today: str | None = None) -> list[ActorCase]:
    """The ``agent_to_code`` rows of an NGEC expectations CSV."""
    cases = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("method") != "agent_to_code" or not (row.get("input") or "").strip():
                continue
            context, _, when = (row.get("extra_args") or "").partition("|")
            cases.append(
                ActorCase(
                    text=row["input"].strip(),
                    country=(row.get("expect_country") or "").strip() or None,
                    sector=(row.get("expect_code_1") or "").strip() or None,
                    date=parse_case_date(when, today),
                    context=context.strip() or None,
                    test=row.get("test", ""),
                )
            )
    return cases


# NGEC writes the UN family as "UNO" and the EU as "EUR" in the country field; polybius
# writes "IGO" with the organisation in ``org``. Scoring translates polybius -> NGEC.
_NGEC_ORG_COUNTRY = {"UN": "UNO", "EU": "EUR"}


def _ngec_country(m: Any, orgs: dict[str, Any]) -> str | None:
    code = m.org
    seen = 0
    while code in orgs and seen < 3:
        if code in _NGEC_ORG_COUNTRY:
            return _NGEC_ORG_COUNTRY[code]
        code, seen = orgs[code].parent, seen + 1
    return m.country


def _head(mentions: list[Any]) -> Any | None:
    if not mentions:
        return None
    rank = {"pronoun": 2, "description": 2, "place": 1}
    return max(mentions, key=lambda m: (-rank.get(m.kind, 0), m.end - m.start, -m.start))


def evaluate_actor_cases(cases: Iterable[ActorCase], nlp: Language) -> dict[str, Any]:
    """Score ``cases``; returns counts, accuracies and the per-case predictions."""
    from polybius.actors import find_actors, load_dictionary, scan_text

    orgs = load_dictionary().orgs

    cases = list(cases)
    rows = []
    docs = nlp.pipe([c.text for c in cases], batch_size=64)
    for case, doc in zip(cases, docs, strict=True):
        head = _head(find_actors(doc, case.date))
        country = _ngec_country(head, orgs) if head is not None else None
        sector = head.sector if head is not None else None
        if country is None and case.context:
            ctx = {
                e.country for h in scan_text(case.context) for e in h.entries if e.kind == "country"
            }
            country = ctx.pop() if len(ctx) == 1 else None
        rows.append(
            {
                "text": case.text,
                "date": case.date,
                "test": case.test,
                "expect_country": case.country,
                "expect_sector": case.sector,
                "country": country,
                "sector": sector,
                "country_ok": country == case.country,
                "sector_ok": sector == case.sector,
            }
        )
    n = len(rows)

    def acc(key: str, subset: list[dict[str, Any]] | None = None) -> float:
        sub = rows if subset is None else subset
        return round(sum(bool(r[key]) for r in sub) / len(sub), 4) if sub else 0.0

    with_country = [r for r in rows if r["expect_country"]]
    with_sector = [r for r in rows if r["expect_sector"]]
    return {
        "cases": n,
        "country_accuracy": acc("country_ok"),
        "sector_accuracy": acc("sector_ok"),
        "both_accuracy": round(sum(bool(r["country_ok"] and r["sector_ok"]) for r in rows) / n, 4)
        if n
        else 0.0,
        "country_accuracy_where_expected": acc("country_ok", with_country),
        "sector_accuracy_where_expected": acc("sector_ok", with_sector),
        "cases_with_country": len(with_country),
        "cases_with_sector": len(with_sector),
        "rows": rows,
    }
