#!/usr/bin/env python
"""Draw the news details sample (date, place, claimant) and write blind annotation packets.

    .venv/bin/python scripts/news_details_sample.py --out /tmp/det_ann [--seed 20261202]
    .venv/bin/python scripts/news_details_sample.py --out /tmp/det_ann --merge \\
        > benchmarks/data/news_details_silver.jsonl

How benchmarks/data/news_details_silver.jsonl was made (benchmarks/data/NEWS_DETAILS.md).
Each event record says when the act happened, where, and who claims it; no gold set in
``../shared/data`` checks any of the three. The events are those of
``news_modality_sample.coded_events`` (all articles of the throughput corpus, default
settings), split into the same halves by article (``dev`` may be read to find errors,
``test`` is read once, by the rule in NEWS_DETAILS.md).

* **Strata.** Each event falls in the first of: ``place`` (the coder gives a location),
  ``date`` (a date stated in the text, not the article date), ``claim`` (the coder gives a
  claimant), ``plain`` (none of these). In each half ``--per-stratum`` random events of the
  first three and ``--plain`` of the last are drawn; the benchmark weights them back.
* **Labels.** Two annotators per packet (the second copy shuffled) see the guidelines
  (:data:`RULES`), the headline, the article date, the sentence before and after, the
  sentence with the trigger marked, the actors and the type, and nothing of what the coder
  said about date, place or claimant. Each answers ``date``, ``place``, ``place_country``,
  ``claim``, ``claim_country`` and ``x``. A field on which they disagree (by the benchmark's
  own matching, ``news_details.same_answer``) goes to a third annotator
  (``adjudicated.jsonl``, only the disputed fields).

The packets hold news text, so they go to ``--out``, never into the project; ``--merge``
prints the gold file (keys and answers, no text). Exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import annotation_packets  # noqa: E402  (sibling script modules)
import news_modality_sample as nms  # noqa: E402

STRATA = ("place", "date", "claim", "plain")
FIELDS = ("date", "place", "claim")

RULES = """\
Each item is one event that an automatic coder found in a news sentence: a SOURCE actor, an
event TYPE (PLOVER), a TARGET actor (sometimes none), and the TRIGGER word marked in the
sentence as <<word>>. Your job is NOT to check the type or the actors. For the act that the
trigger names, done by the source, answer three questions from the text shown. The sentence
before and the sentence after are shown as context (they may be cut short).

Answer one JSON object per item, one per line, with exactly these keys:
{"item": "...", "x": false, "date": "...", "place": "...", "place_country": "...",
 "claim": "...", "claim_country": "...", "note": "..."}

x: true only if the sentence reports no act of the source of this kind at all (a coding
error: the trigger is not an act of the source). Then the other answers are ignored.

date: WHEN did (or will) the act happen, as THIS SENTENCE states it, resolved against the
article date shown.
- "none" if the sentence gives no time for this act (most sentences). Do not infer a date
  from the other sentences, the headline or world knowledge, and do not use the article
  date just because the act is recent. A time that belongs to another clause or act in the
  sentence does not count ("after the talks on Monday, X sanctioned Y": the sanctions have
  no date unless the sentence ties them to Monday).
- otherwise the date at the precision the text gives: "YYYY-MM-DD" for a day ("yesterday",
  "on Tuesday" = the nearest Tuesday before the article date for a past act, after it for a
  future act; "today" = the article date), "YYYY-MM" for a month ("in May" = the nearest
  May that fits the tense; "earlier this month", "next month"), "YYYY" for a year ("in
  2014", "last year"), or a range "YYYY-MM-DD..YYYY-MM-DD" for a span between a day and a
  month ("last week" = Monday to Sunday of the week before the article's week; "over the
  weekend"; "in the past three days").
- a duration is not a date: "for five years", "in the last decade", "since 2014" (unless
  the act is dated by it, e.g. "in 2014, when X annexed Y"). A duration alone: "none".
- if the time is vaguer than a year or cannot be resolved ("in recent years", "soon",
  "later"): "none". If the article date is None, only a date the sentence states in full
  counts ("in March 2002", "in 1999"); a relative one ("yesterday", "on Monday") is "none".

place: WHERE did (or will) the act happen, as THIS SENTENCE states it.
- the place name as written in the sentence (a city, region, country, sea, named site:
  "Geneva", "the Black Sea", "northern Syria", "Chinese territory"), and place_country =
  the ISO 3166 alpha-3 code of the country it lies in ("" for the open sea or when unknown).
- "none" (and place_country "") if the sentence names no place for the act. A place that
  is only part of an actor ("the Iraqi army", "Moscow" meaning the Russian government) or
  only the target of the act ("Russia sanctioned Ukraine") is not a place. A place tied to
  the act by a locative word is ("in", "at", "near", "into", "across", "over", "from", "on
  ... territory": "troops crossed into Syria", "talks in Vienna").

claim: WHO does the text say reports or claims this act? Give the words of the sentence
(or of the next sentence, when it attributes this one: "..., this was stated by X") that
name the claimant, as short as possible but enough to identify it ("a Pentagon spokesman",
"Lavrov", "he", "officials", "state media", "the ministry"), and claim_country = the ISO3
code of the country the claimant belongs to when the text makes it clear ("" otherwise).
- The claimant can be the source itself ("Russia said it had sent troops": "Russia").
- "none" (and claim_country "") if the sentence reports the act in the reporter's own voice,
  with no "said", "according to", "claimed", "told", "announced", "tweeted", "believes",
  quotation of someone, etc. governing this act.
- A speech act that IS the event ("X accused Y", "X praised Y", "X condemned Y") has no
  claimant unless someone else reports it ("X accused Y, Z said": "Z").
- If the act sits inside a quotation, the claimant is who is quoted (closing or opening
  "... he said", in this sentence or the next).

note: optional, a few words when unsure.
"""


def stratum(event: dict) -> str:
    """The first of ``place``, ``date``, ``claim`` that the coder's details give, else
    ``plain`` (module docstring)."""
    if event["location"]:
        return "place"
    if event["date_cue"] not in (None, "article date"):
        return "date"
    if event["claim"]:
        return "claim"
    return "plain"


def draw(
    events: list[dict], per_stratum: int, plain: int, seed: int, prefix: str = "d"
) -> list[dict]:
    """The strata, each item with its ``stratum`` (half:stratum) and the stratum's size."""
    rng = random.Random(seed)
    chosen: dict[int, dict] = {}
    for part in ("dev", "test"):
        for name in STRATA:
            pool = [i for i, e in enumerate(events) if e["half"] == part and stratum(e) == name]
            n = plain if name == "plain" else per_stratum
            for i in sorted(rng.sample(pool, min(n, len(pool)))):
                chosen[i] = {"stratum": f"{part}:{name}", "stratum_size": len(pool)}
    order = sorted(chosen)
    rng.shuffle(order)  # numbered in random order: the number tells nothing
    return [{"item": f"{prefix}{k:03d}", **events[i], **chosen[i]} for k, i in enumerate(order)]


def render(it: dict) -> str:
    """One item as the annotators see it: nothing of the coder's date, place or claimant."""
    before, after = it["context"]
    return (
        f"## {it['item']}\nheadline: {it['title']}\narticle date: {it['date']}\n"
        f"source: {nms._actors(it['sources'])}\ntype: {it['type']}\n"
        f"target: {nms._actors(it['targets'])}\n"
        f"sentence before: {before}\nSENTENCE: {nms.marked(it)}\nsentence after: {after}\n"
    )


def read_answers(path: Path) -> dict[str, dict]:
    """item -> answer of one annotator's file; SystemExit naming the file and line for a
    row that lacks a key."""
    out = {}
    need = ("item", "x", "date", "place", "place_country", "claim", "claim_country")
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [k for k in need if k not in row]
        if missing:
            raise SystemExit(f"{path}:{n}: missing {missing}")
        out[row["item"]] = row
    return out


def merge(out: Path, chunks: int) -> list[dict]:
    """Gold rows: keys, stratum, both annotations and the final answers (no news text).

    A field is final where both annotators agree (``news_details.same_answer``; the first
    annotator's wording is kept) or where ``adjudicated.jsonl`` settles it; an ``x`` from
    either annotator must be settled too, and an item that is finally ``x`` needs no other
    answer. SystemExit names what is left unsettled."""
    from news_details import same_answer

    items = json.loads((out / "items.json").read_text("utf-8"))
    first: dict[str, dict] = {}
    second: dict[str, dict] = {}
    for k in range(chunks):
        first |= read_answers(out / f"labels_{k}_1.jsonl")
        second |= read_answers(out / f"labels_{k}_2.jsonl")
    adj_path = out / "adjudicated.jsonl"
    adjudicated = {}
    if adj_path.is_file():
        for line in adj_path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                adjudicated[row["item"]] = row
    rows, open_ = [], []
    for it in items:
        a, b = first[it["item"]], second[it["item"]]
        adj = adjudicated.get(it["item"], {})
        final: dict[str, object] = {}
        for field in ("x", *FIELDS):
            if field != "x" and final["x"]:
                final |= _field(field, {field: "none", f"{field}_country": ""})
            elif same_answer(field, a, b):
                final |= _field(field, a)
            elif field in adj:
                final |= _field(field, adj)
            else:
                open_.append(f"{it['item']}:{field}")
        rows.append(
            {
                "item": it["item"],
                "doc_id": it["doc_id"],
                "article_id": it["article_id"],
                "span": it["span"],
                "sources": sorted(x["code"] for x in it["sources"]),
                "targets": sorted(x["code"] for x in it["targets"]),
                "stratum": it["stratum"],
                "stratum_size": it["stratum_size"],
                "article_date": it["date"],
                "annotations": [_answer(a), _answer(b)],
                **final,
            }
        )
    if open_:
        raise SystemExit(f"disagreements not adjudicated: {' '.join(open_)}")
    return rows


def _field(field: str, row: dict) -> dict:
    if field in ("place", "claim"):
        return {field: row[field], f"{field}_country": row.get(f"{field}_country", "")}
    return {field: row[field]}


def _answer(row: dict) -> dict:
    keys = ("x", "date", "place", "place_country", "claim", "claim_country")
    return {k: row[k] for k in keys}


def main(argv: list[str] | None = None) -> int:
    ap = annotation_packets.sampler_parser(
        __doc__, seed=20261202, chunks=3, exclude_help=nms._EXCLUDE_HELP
    )
    ap.add_argument("--per-stratum", type=int, default=35)
    ap.add_argument("--plain", type=int, default=60)
    ap.add_argument("--prefix", default="d", help="item ids: prefix and a number")
    args = ap.parse_args(argv)
    if args.merge:
        for row in merge(args.out, args.chunks):
            print(json.dumps(row, ensure_ascii=False))
        return 0
    from news_details import read_gold

    events = nms.corpus_events(args.exclude, read_gold)
    items = draw(events, args.per_stratum, args.plain, args.seed, args.prefix)
    guidelines = "# Annotation guidelines: when, where, and according to whom\n\n" + RULES
    annotation_packets.write_packets(items, args.out, args.chunks, guidelines, render)
    sizes = {s: sum(stratum(e) == s for e in events) for s in STRATA}
    print(
        f"{len(events)} events {sizes}; {len(items)} items; wrote {args.out}/items.json, "
        "GUIDELINES.md and packets",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
