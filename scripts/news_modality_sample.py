#!/usr/bin/env python
"""Draw the news modality sample and write blind annotation packets (outside the project).

    .venv/bin/python scripts/news_modality_sample.py --out /tmp/mod_ann [--seed 20261130]
        [--asserted 80 --per-class 30 --chunks 4]
    .venv/bin/python scripts/news_modality_sample.py --out /tmp/mod_ann --merge \\
        > benchmarks/data/news_modality_silver.jsonl

How benchmarks/data/news_modality_silver.jsonl was made (benchmarks/data/NEWS_MODALITY.md).
All articles of the throughput corpus are coded with the default settings. Each event has
the modality of the act its trigger names (``trigger_modality`` in ``--explain``: the event's
modality, except that a refusal, coded as an asserted REJECT, is the negated act).

* **Halves.** The articles are split in two by a hash of their id (:func:`half`): ``dev``
  may be read to find errors, ``test`` is read once, by the rule in NEWS_MODALITY.md.
* **Strata.** In each half, ``--asserted`` random events the coder calls asserted and up to
  ``--per-class`` random events of each other modality (future, intended, hypothetical,
  negated). The strata are known, so the benchmark weights them back to the whole corpus.
* **The hint stratum.** Every event, in either half, whose modality the typing model's hint
  (:func:`hint_fires`) would change. That hypothesis is tested on all of them.

Each packet is written twice, the second in shuffled order, for two annotators who see
the guidelines, the headline, the date, the sentence with the trigger marked, the two
actors and the event type as typed (before PLOVER's future and refusal rules) and nothing
about the coder's modality. The packets hold news text, so they go to ``--out``, never into
the project; ``--merge`` prints the gold file (keys and labels, no text) from the
annotators' ``labels_<chunk>_<1|2>.jsonl`` and an optional ``adjudicated.jsonl``.
Exits cleanly when the corpus is absent.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from polybius.records import MODALITIES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import annotation_packets  # noqa: E402  (a sibling script module)

RULES = """\
Each item is one event that an automatic coder found in a news sentence: a SOURCE actor, an
event TYPE (PLOVER), a TARGET actor (sometimes none), and the TRIGGER word marked in the
sentence as <<word>>. Your job is NOT to check the type or the actors. Decide the MODALITY of
the act that the trigger word names, done by the source (to the target), as THIS sentence
reports it. The headline and date are context only.

Labels (exactly one per item):

- asserted: the act is reported as having happened, or as happening now. Reported speech
  counts as asserted ("officials said police arrested 12 people": the arrest is asserted;
  who claims it is recorded separately). Habitual or ongoing acts, past or present, are
  asserted. An act that is the content of an announcement which itself is the act is
  asserted ("X announced sanctions on Y": the sanctions are imposed).
- future: the act is reported as going to happen, without doubt or condition: "will",
  "shall", "is to", "is set / due / scheduled / expected to", "is going to", a meeting
  "next week", "would" in reported speech about the future ("X said it would send aid").
- intended: the act is an aim of the SOURCE itself that the sentence does not present as
  certain: the source plans, hopes, seeks, wants, tries, offers, is ready / willing /
  preparing to do it ("Japan hopes to sign a deal", "X is seeking talks with Y").
- hypothetical: the act is possible, conditional, speculated, questioned, recommended,
  demanded or urged BY SOMEONE ELSE, feared, or would happen only under some condition:
  "could", "may", "might", "should", "must", "would" (conditional), "if", "whether",
  "possible", "likely", "calls for X to", "urged X to", "threat of an attack" (when the
  trigger is the attack, not the threat).
- negated: the act is reported as not having happened, not happening, or refused / ruled
  out: "did not", "never", "no talks were held", "denied attacking", "will not meet",
  "refused to release" (when the trigger is the release, not the refusal).
- x: the sentence does not report any act of this kind by the source (the trigger is not
  an act of the source at all, e.g. a noun in a name, a misread sentence). Use sparingly:
  if the trigger names an act that involves the source in any way, label its modality.

Precedence when several apply: negated > hypothetical > intended > future > asserted
("might not attack": negated; "plans to hold talks next week": intended).

Judge the act of the TRIGGER, not of the sentence's main verb: in "X refused to meet Y" with
the trigger <<meet>>, the meeting is negated; with the trigger <<refused>>, the refusal is
asserted. In "X threatened to attack Y", <<attack>> is hypothetical, <<threatened>> asserted.
"""


def half(article_id: str) -> str:
    """``test`` or ``dev``: a fixed split of articles by a hash of their id."""
    return "test" if int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % 2 else "dev"


def hint_fires(explanation: dict) -> bool:
    """The typing model's modality hint, as first proposed (``learned.modality_hint``, which
    was never wired into coding and was removed once this set showed that it hurts): the
    patterns proposed a cooperative type, the model prefers AGREE to it, and the cues found
    no modality; then the act would be called ``intended``."""
    from polybius.events.modality import COOPERATIVE_TYPES

    scores = explanation.get("model_scores") or {}
    pattern = explanation.get("pattern_type")
    if pattern not in COOPERATIVE_TYPES or not scores:
        return False
    best = max(scores, key=scores.__getitem__)
    return (
        best == "AGREE"
        and scores["AGREE"] > scores.get(pattern, 0.0)
        and explanation.get("trigger_modality") == "asserted"
    )


def event_key(article_id: str, event: dict) -> tuple:
    """(article, trigger span, source codes, target codes): finds an event again after
    re-coding, whatever its type or modality became."""
    return (
        article_id,
        tuple(event["span"]),
        tuple(sorted(a["code"] for a in event["sources"])),
        tuple(sorted(a["code"] for a in event["targets"])),
    )


def coded_events(articles: list) -> list[dict]:
    """Every event of ``articles`` coded with the defaults, with its explanation and where
    its sentence and trigger lie (progress on stderr)."""
    from polybius.actors import find_actors
    from polybius.events import code_events_many
    from polybius.nlp import load_nlp
    from polybius.pipeline import parse_for_coding

    nlp = load_nlp()
    out: list[dict] = []
    batch = 32
    for start in range(0, len(articles), batch):
        arts = articles[start : start + batch]
        docs = list(parse_for_coding([a.full_text for a in arts], nlp))
        items = [(d, find_actors(d, a.date), a) for d, a in zip(docs, arts, strict=True)]
        for art, explained in zip(arts, code_events_many(items), strict=True):
            for ex in explained:
                ev = ex.event
                row = {
                    "article_id": art.article_id,
                    "doc_id": art.doc_id,
                    "date": art.date,
                    "title": art.title,
                    "span": list(ev.span),
                    "sources": [{"code": a.code, "text": a.text} for a in ev.sources],
                    "targets": [{"code": a.code, "text": a.text} for a in ev.targets],
                    "type": ex.explanation.get("original_type") or ev.event_type,
                    "sentence": ev.sentence,
                    "trigger_at": _trigger_in_sentence(art.full_text, ev.sentence, ev.span),
                    "modality": ex.explanation["trigger_modality"],
                    "hint": hint_fires(ex.explanation),
                    "half": half(art.article_id),
                    # the event's details, for the details set (news_details_sample.py)
                    "event_date": ev.date,
                    "date_precision": ev.date_precision,
                    "date_cue": ex.explanation.get("date_cue"),
                    "location": ev.location,
                    "location_country": ev.location_country,
                    "claim": ev.attribution.to_dict() if ev.attribution else None,
                    "claim_cue": ex.explanation.get("attribution_cue"),
                    "context": _around(art.full_text, ev.sentence, ev.span),
                }
                out.append(row)
        print(f"coded {start + len(arts)}/{len(articles)} articles", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    return out


def _around(text: str, sentence: str, span: tuple[int, int], width: int = 300) -> list[str]:
    """About one sentence of the article before and after the event's sentence (cut at a
    sentence end where one is near), for annotators who judge who claims the act."""
    at = text.rfind(sentence, 0, span[0] + len(sentence))
    if at < 0:
        return ["", ""]
    before = text[max(0, at - width) : at]
    after = text[at + len(sentence) : at + len(sentence) + width]
    cut = max(before.rfind(". ", 0, len(before) - 2), before.rfind("\n", 0, len(before) - 2))
    before = before[cut + 1 :] if cut >= 0 else "…" + before
    ends = [i for i in (after.find(". ", 1), after.find("\n", 1)) if i > 0]
    after = after[: min(ends) + 1] if ends else after + "…"
    return [before.strip(), after.strip()]


def _trigger_in_sentence(text: str, sentence: str, span: tuple[int, int]) -> list[int] | None:
    at = text.rfind(sentence, 0, span[0] + len(sentence))
    if at < 0 or at + len(sentence) < span[1]:
        return None
    return [span[0] - at, span[1] - at]


def draw(
    events: list[dict],
    asserted: int,
    per_class: int,
    seed: int,
    *,
    hint: bool = True,
    prefix: str = "m",
) -> list[dict]:
    """The strata (module docstring), each item with its ``stratum`` and the stratum's size
    in the corpus (``stratum_size``) for weighting; ``hint`` adds the hint stratum."""
    rng = random.Random(seed)
    chosen: dict[int, dict] = {}
    for part in ("dev", "test"):
        for modality in MODALITIES:
            pool = [
                i for i, e in enumerate(events) if e["half"] == part and e["modality"] == modality
            ]
            n = asserted if modality == "asserted" else per_class
            for i in sorted(rng.sample(pool, min(n, len(pool)))):
                chosen[i] = {"stratum": f"{part}:{modality}", "stratum_size": len(pool)}
    hints = [i for i, e in enumerate(events) if e["hint"] and hint]
    for i in hints:
        chosen.setdefault(i, {"stratum": "hint", "stratum_size": len(hints)})
    items = []
    order = sorted(chosen)
    rng.shuffle(order)  # items numbered in random order: the number tells nothing
    for k, i in enumerate(order):
        items.append({"item": f"{prefix}{k:03d}", **events[i], **chosen[i]})
    return items


def marked(item: dict) -> str:
    """The sentence with ``<<`` and ``>>`` around the trigger."""
    s, (a, b) = item["sentence"], item["trigger_at"]
    return f"{s[:a]}<<{s[a:b]}>>{s[b:]}"


def _actors(actors: list[dict]) -> str:
    return "; ".join(f"{a['text']} ({a['code']})" for a in actors) or "(none)"


def render(it: dict) -> str:
    """One item as the annotators see it (the type before PLOVER's future and refusal
    rules; nothing about the coder's modality)."""
    return (
        f"## {it['item']}\nheadline: {it['title']}\ndate: {it['date']}\n"
        f"source: {_actors(it['sources'])}\ntype: {it['type']}\n"
        f"target: {_actors(it['targets'])}\nsentence: {marked(it)}\n"
    )


def write_packets(items: list[dict], out: Path, chunks: int) -> None:
    """items.json, GUIDELINES.md and packet_<chunk>_<1|2>.md under ``out``."""
    guidelines = "# Annotation guidelines: the modality of a coded event\n\n" + RULES
    annotation_packets.write_packets(items, out, chunks, guidelines, render)


def _lower(label: str) -> str:
    return label.strip().lower()


def merge(out: Path, chunks: int) -> list[dict]:
    """Gold rows: keys, stratum, both annotators' labels and the final one (no news text)."""
    items = json.loads((out / "items.json").read_text("utf-8"))
    labels = annotation_packets.final_labels(out, chunks, items, _lower, (*MODALITIES, "x"))
    keys = ("item", "doc_id", "article_id", "span", "stratum", "stratum_size", "hint")
    return [
        {
            **{k: it[k] for k in keys},
            "sources": sorted(a["code"] for a in it["sources"]),
            "targets": sorted(a["code"] for a in it["targets"]),
            "annotations": list(labels[it["item"]][:2]),
            "label": labels[it["item"]][2],
        }
        for it in items
    ]


def corpus_events(exclude: list[Path], read_gold: Callable[[Path], list[dict]]) -> list[dict]:
    """The events of the whole corpus (:func:`coded_events`) found again in their article,
    less those of the gold files ``exclude`` (read by the benchmark's ``read_gold``)."""
    import throughput  # the corpus reader (exits cleanly when absent)

    events = coded_events(throughput.load_corpus())
    events = [e for e in events if e["trigger_at"] is not None]
    seen = {row["key"] for path in exclude for row in read_gold(path)}
    return [e for e in events if event_key(e["article_id"], e) not in seen]


_EXCLUDE_HELP = "gold files whose events are left out of the draw (a second, fresh sample)"


def main(argv: list[str] | None = None) -> int:
    ap = annotation_packets.sampler_parser(
        __doc__, seed=20261130, chunks=4, exclude_help=_EXCLUDE_HELP
    )
    ap.add_argument("--asserted", type=int, default=80)
    ap.add_argument("--per-class", type=int, default=30)
    ap.add_argument("--no-hint", action="store_true", help="no hint stratum")
    ap.add_argument("--prefix", default="m", help="item ids: prefix and a number")
    args = ap.parse_args(argv)
    if args.merge:
        for row in merge(args.out, args.chunks):
            print(json.dumps(row))
        return 0
    from news_modality import read_gold  # the benchmark's reader and key

    events = corpus_events(args.exclude, read_gold)
    items = draw(
        events,
        args.asserted,
        args.per_class,
        args.seed,
        hint=not args.no_hint,
        prefix=args.prefix,
    )
    write_packets(items, args.out, args.chunks)
    print(
        f"{len(events)} events; {len(items)} items ({sum(e['hint'] for e in events)} in the "
        f"hint stratum); wrote {args.out}/items.json, GUIDELINES.md and packets",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
