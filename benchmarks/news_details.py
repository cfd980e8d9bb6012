#!/usr/bin/env python
"""Date, place and claimant of coded events on real news, against blind labels.

    .venv/bin/python benchmarks/news_details.py [--half dev|test|both] [--json]
        [--save RUN.json] [--against OTHER.json]

Why: an event record says when the act happened, where, and according to whom, and users
put those fields in time series and cite them as evidence; no gold set in ../shared/data
checks any of them. This set (benchmarks/data/NEWS_DETAILS.md) is a stratified sample of the
events polybius codes from the throughput corpus, each labelled blind by two annotators with
the act's date, place and claimant as the sentence states them, disagreements settled by a
third.

The gold file holds no news text: each item is (article id, trigger span, source and target
codes, stratum, answers). This script re-codes the items' articles with the code as it is
now, finds each event again and scores each field (:func:`date_right`, :func:`place_right`,
:func:`claim_right`) per half: accuracy, precision (of the values the coder gives) and
recall (of the values the text states), weighted back to the corpus by stratum, with 95%
intervals from a bootstrap that resamples each stratum on its own. ``--against`` a saved run
gives the paired difference per field. Prints figures, asserts nothing; exits cleanly when
the corpus is absent.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "scripts"))

import news_modality  # noqa: E402  (the same weighting, join and run)
from gold_files import GoldError, event_key, read_rows  # noqa: E402  (sibling modules)
from news_modality import bootstrap, parser, run, weighted  # noqa: E402

GOLD = ROOT / "data" / "news_details_silver.jsonl"
FIELDS = ("date", "place", "claim")
_ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_STOP = {"the", "a", "an", "of", "its", "his", "her", "their", "'s", "s", "and", "in", "on"}


def interval(value: str | None, precision: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The days a date answer covers: "none"/None -> None; "YYYY", "YYYY-MM", "YYYY-MM-DD",
    or "A..B" (two days). ``precision`` (the coder's) truncates first. ValueError for
    anything else, naming the value."""
    if value is None or str(value).strip().lower() in ("", "none"):
        return None
    text = str(value).strip()
    if ".." in text:
        a, b = (interval(part) for part in text.split("..", 1))
        if a is None or b is None:
            raise ValueError(f"date range {value!r}: both ends needed")
        return a[0], b[1]
    if precision == "year":
        text = text[:4]
    elif precision == "month":
        text = text[:7]
    if not _ISO.match(text):
        raise ValueError(f"date {value!r}: not none, YYYY, YYYY-MM, YYYY-MM-DD or A..B")
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        return dt.date(parts[0], parts[1], 1), dt.date(parts[0], parts[1], last)
    day = dt.date(*parts)
    return day, day


def _words(text: str | None) -> set[str]:
    words = re.findall(r"[a-z0-9]+", (text or "").lower())
    return {w for w in words if w not in _STOP}


def _is_none(value: object) -> bool:
    return value is None or str(value).strip().lower() in ("", "none")


def _head(text: str) -> str:
    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]
    return words[-1] if words else ""


def same_place(a: str, a_country: str, b: str, b_country: str) -> bool:
    """Two place answers name the same place: the same country code (when both have one),
    or a content word in common."""
    if a_country and b_country and a_country.upper() == b_country.upper():
        return True
    return bool(_words(a) & _words(b))


def same_claimant(a: str, a_country: str, b: str, b_country: str) -> bool:
    """Two claimant answers name the same claimant: the head word (last content word) of one
    among the other's words, and no clash of countries where both give one."""
    if a_country and b_country and a_country.upper() != b_country.upper():
        return False
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and (_head(a) in wb or _head(b) in wa)


def same_answer(field: str, a: dict, b: dict) -> bool:
    """Whether two annotators' answers for ``field`` (x, date, place or claim) agree, by the
    same matching the scores use."""
    if field == "x":
        return bool(a["x"]) == bool(b["x"])
    if _is_none(a[field]) or _is_none(b[field]):
        return _is_none(a[field]) and _is_none(b[field])
    if field == "date":
        return interval(a["date"]) == interval(b["date"])
    same = same_place if field == "place" else same_claimant
    return same(a[field], a[f"{field}_country"], b[field], b[f"{field}_country"])


def date_right(gold: dict, ev: dict) -> bool:
    """The coder's date is right when the text states none and the coder used the article
    date (or had none), or when the days it covers lie inside the stated date."""
    want = interval(gold["date"])
    stated = ev["date_cue"] not in (None, "article date")
    if want is None:
        return not stated
    got = interval(ev["event_date"], ev["date_precision"])
    return got is not None and want[0] <= got[0] and got[1] <= want[1]


def place_right(gold: dict, ev: dict) -> bool:
    """Right when neither gives a place, or both do and they name the same place (the
    coder's location is a place name or a country code)."""
    loc = ev["location"]
    if _is_none(gold["place"]) or not loc:
        return _is_none(gold["place"]) and not loc
    code = loc if re.fullmatch(r"[A-Z]{3}", loc) else ""
    return same_place(gold["place"], gold["place_country"], loc, code)


def claim_right(gold: dict, ev: dict) -> bool:
    """Right when neither names a claimant, or both do and they name the same one (the
    coder's speaker, with the words of its cue, against the annotators' words)."""
    claim = ev["claim"]
    if _is_none(gold["claim"]) or not claim:
        return _is_none(gold["claim"]) and not claim
    country = claim.get("country") or ""
    if gold["claim_country"] and country and gold["claim_country"].upper() != country.upper():
        return False
    # the annotators' head word among the coder's speaker and cue ("Trump" in "Donald Trump",
    # "Trump tweeted"), or the speaker's own head word among the annotators' words
    said = _words(f"{claim['speaker']} {ev.get('claim_cue') or ''}")
    return _head(gold["claim"]) in said or _head(claim["speaker"]) in _words(gold["claim"])


RIGHT: dict[str, Callable[[dict, dict], bool]] = {
    "date": date_right,
    "place": place_right,
    "claim": claim_right,
}


def gives(field: str, ev: dict) -> bool:
    """Whether the coder gives a value for ``field`` (a stated date, a place, a claimant)."""
    if field == "date":
        return ev["date_cue"] not in (None, "article date")
    return bool(ev["location"] if field == "place" else ev["claim"])


def read_gold(path: Path) -> list[dict]:
    """Gold items, each with its ``key``; ValueError naming the file and line for a bad one."""

    def parse(row: dict) -> None:
        row["key"] = event_key(row)
        int(row["stratum_size"])
        if not row["x"]:
            interval(row["date"])
            for field in ("place", "place_country", "claim", "claim_country"):
                if not isinstance(row[field], str):
                    raise GoldError(f"{field} {row[field]!r} is not a string")

    return read_rows(path, parse)


def join(gold: list[dict], found: dict[tuple, dict]) -> tuple[list[dict], int, int]:
    """Gold items with the coder's event and a weight; (items, not found, labelled x)."""
    return news_modality.join(gold, found, lambda g: bool(g["x"]))


def field_report(items: list[dict], field: str) -> dict:
    """Accuracy (with interval), precision and recall of one field on weighted items."""
    right = RIGHT[field]

    def acc(s: Sequence[dict]) -> float:
        return weighted(s, lambda it: (float(right(it, it["ev"])), 1.0))

    def prec(it: dict) -> tuple[float, float]:
        return float(gives(field, it["ev"]) and right(it, it["ev"])), float(gives(field, it["ev"]))

    def rec(it: dict) -> tuple[float, float]:
        stated = not _is_none(it[field])
        return float(stated and right(it, it["ev"])), float(stated)

    return {
        "accuracy": round(acc(items), 3),
        "accuracy_ci": [round(x, 3) for x in bootstrap(items, acc)],
        "precision": round(weighted(items, prec), 3),
        "recall": round(weighted(items, rec), 3),
        "stated": sum(not _is_none(i[field]) for i in items),
        "given": sum(gives(field, i["ev"]) for i in items),
    }


def place_country_report(items: list[dict]) -> dict:
    """How the coder's places resolve (``location_country``, from the gazetteer), unweighted:
    of the places it gives, how many resolve; where the annotators gave a country for the
    place too, how often the resolved one is theirs."""
    given = [i for i in items if i["ev"].get("location")]
    both = [i for i in given if not _is_none(i["place"]) and i["place_country"]]
    return {
        "given": len(given),
        "resolved": sum(bool(i["ev"].get("location_country")) for i in given),
        "with_gold_country": len(both),
        "country_agrees": sum(
            (i["ev"].get("location_country") or "") == i["place_country"].upper() for i in both
        ),
    }


def score(gold: list[dict], found: dict[tuple, dict], halves: Sequence[str]) -> dict:
    """The figures of each field in each half."""
    items, missing, not_acts = join(gold, found)
    report: dict = {"items": len(gold), "not_found": missing, "labelled_x": not_acts}
    for half in halves:
        part = [i for i in items if i["stratum"].startswith(f"{half}:")]
        report[half] = {
            "n": len(part),
            **{f: field_report(part, f) for f in FIELDS},
            "place_country": place_country_report(part),
        }
    return report


def snapshot(ev: dict) -> dict:
    """What a saved run keeps of an event: the fields the scores read."""
    keys = ("event_date", "date_precision", "date_cue", "location", "claim", "claim_cue")
    return {k: ev[k] for k in keys}


def paired(gold: list[dict], found: dict[tuple, dict], other: dict[str, dict], half: str) -> dict:
    """Per field: this run against a ``--save``d one on the items of ``half`` found in
    both, weighted accuracy of each and of the difference, with a stratified interval."""
    items, _, _ = join(gold, found)
    part = [
        {**i, "then": other[i["item"]]}
        for i in items
        if i["stratum"].startswith(f"{half}:") and i["item"] in other
    ]
    out: dict = {"n": len(part)}
    for field in FIELDS:
        right = RIGHT[field]

        def acc(s: Sequence[dict], key: str, right: Callable = right) -> float:
            return weighted(s, lambda it: (float(right(it, it[key])), 1.0))

        def diff(s: Sequence[dict], acc: Callable = acc) -> float:
            return acc(s, "ev") - acc(s, "then")

        out[field] = {
            "changed": sum(right(i, i["ev"]) != right(i, i["then"]) for i in part),
            "then": round(acc(part, "then"), 3),
            "now": round(acc(part, "ev"), 3),
            "difference": round(diff(part), 3),
            "difference_ci": [round(x, 3) for x in bootstrap(part, diff)],
        }
    return out


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__, GOLD, "NEWS_DETAILS.md", "coded details").parse_args(argv)
    halves, report = run(args, read_gold, score, snapshot, paired)
    if report is None:  # printed as JSON
        return 0
    for half in halves:
        r = report[half]
        print(f"\n{half}: {r['n']} events (weighted to all coded events)")
        print(f"  {'field':<7}{'accuracy':>9}  {'95% interval':<15}{'precision':>10}{'recall':>8}")
        for f in FIELDS:
            m = r[f]
            lo, hi = m["accuracy_ci"]
            print(
                f"  {f:<7}{m['accuracy']:>9.3f}  [{lo:.3f}, {hi:.3f}] {m['precision']:>10.3f}"
                f"{m['recall']:>8.3f}   (stated in {m['stated']}, given for {m['given']})"
            )
        pc = r["place_country"]
        print(
            f"  the coder's places resolve to a country for {pc['resolved']} of {pc['given']}; "
            f"where the label gives one, it agrees for {pc['country_agrees']} of "
            f"{pc['with_gold_country']} (unweighted)"
        )
    for half, p in report.get("against", {}).items():
        print(f"\n{half}, against {args.against.name} ({p['n']} items in both):")
        for f in FIELDS:
            d = p[f]
            print(
                f"  {f:<7}{d['then']:.3f} -> {d['now']:.3f}, difference {d['difference']:+.3f} "
                f"{d['difference_ci']} ({d['changed']} items changed)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
