#!/usr/bin/env python
"""Draw the news typing sample and write blind annotation packets (outside the project).

    .venv/bin/python scripts/news_typing_sample.py --out /tmp/ann [--first 600 --last 999]
        [--n 360 --seed 20261129 --chunks 4]

How benchmarks/data/news_typing_silver.jsonl was made (benchmarks/data/NEWS_TYPING.md):
the coder's typing candidates (``polybius.events.extract.typing_candidates``, what the typer
reads) of the throughput corpus's articles ``--first``..``--last`` are listed, ``--n`` are
drawn at random with ``--seed`` (leaving out the items of the gold files given to
``--exclude``), and split round-robin into ``--chunks`` packets. Each packet
is written twice, the second in shuffled order, for two annotators; the guidelines go beside
them as GUIDELINES.md. The packets contain news text, so they are written to ``--out``, never
into the project; ``items.json`` there keeps the keys (and text) for merging the labels.

With ``--merge`` it reads the annotators' ``labels_<chunk>_<1|2>.jsonl`` (and an optional
``adjudicated.jsonl``) from ``--out`` and prints the gold file: keys, both labels and the
final one, no text. Exits cleanly when ../shared/data is absent.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import annotation_packets  # noqa: E402  (a sibling script module)

RULES = """\
Each item is one sentence from a news article, with one actor marked as SOURCE `[S ... S]` and
(usually) one as TARGET `[T ... T]`. Decide which PLOVER event type best describes what the
SOURCE does to, with, or about the TARGET as reported in THIS sentence. The article headline and
date are given for context only.

Labels (exactly one per item): the 16 PLOVER types below, or NONE.

Rules:
1. Type the action of the source toward the target. If the sentence reports no action by the
   source involving the target (e.g. the two are merely mentioned together, the target is the
   actor and the source the recipient, the source is only a location, or the source is quoted
   describing an event it is not a party to), answer NONE.
   When there is no target marked, type the action the source performs (e.g. a protest, a
   deployment); NONE if it performs none.
2. Type the event whatever its status: an event that is denied, hypothetical, planned or
   reported as a claim still gets its type (status is recorded separately).
   EXCEPTION (the PLOVER future-tense rule): cooperative actions of types CONSULT, SUPPORT,
   COOPERATE and AID reported as future or promised are AGREE.
3. Verbal vs material: statements, calls, accusations, threats are verbal types (AGREE,
   CONSULT, SUPPORT, CONCEDE, REQUEST, ACCUSE, REJECT, THREATEN). Deeds are material types
   (COOPERATE, AID, RETREAT, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT).
4. Police arrests, detentions, raids, curfews, bans, censorship = COERCE; killing, shooting,
   bombing, beating, physical attack = ASSAULT; deploying/patrolling/exercising forces without
   using force = MOBILIZE; criminal charges, investigations, lawsuits, condemnation = ACCUSE.
5. If several events link the pair, choose the one the sentence is mainly about (the main
   verb linking them).
"""


def guidelines(shared: Path) -> str:
    """The annotators' guidelines: the rules above and PLOVER's own type definitions."""
    defs = json.loads((shared / "ontology" / "plover_ontology.json").read_text("utf-8"))
    lines = [
        "# Annotation guidelines: PLOVER event type of a (source, target) pair in one news"
        " sentence",
        "",
        RULES,
        "Definitions (PLOVER, from ../shared/data/ontology/plover_ontology.json; some are cut"
        " short",
        f"there; read {shared}/ontology/plover_event_types.csv and CAMEO2PLOVER-2021.txt if",
        "you need more):",
        "",
    ]
    lines += [
        f"- **{d['event_type']}** ({d['quad']}): {d['definition']}" for d in defs["event_types"]
    ]  # noqa: E501
    return "\n".join(lines) + "\n"


def marked(item: dict) -> str:
    """The sentence with ``[S .. S]`` and ``[T .. T]`` around source and target."""
    text = item["sentence"]
    marks = [(item["source"][0], "[S "), (item["source"][1], " S]")]
    if item["target"]:
        marks += [(item["target"][0], "[T "), (item["target"][1], " T]")]
    for pos, tag in sorted(marks, key=lambda m: (m[0], m[1].startswith(" ")), reverse=True):
        text = text[:pos] + tag + text[pos:]
    return text


def _draw(pool: list[tuple[dict, Any]], n: int, seed: int, prefix: str) -> list[dict]:
    """``n`` random entries of ``pool`` ((where, candidate) pairs) as annotation items."""
    from polybius.events.model.dataset import sentence_key

    pick = sorted(random.Random(seed).sample(range(len(pool)), min(n, len(pool))))
    items = []
    for k, i in enumerate(pick):
        where, c = pool[i]
        items.append(
            {
                "item": f"{prefix}{k:03d}",
                "doc_id": where["doc_id"],
                "article_id": where["article_id"],
                "sentence_sha1": sentence_key(c.sentence),
                "source": list(c.source),
                "target": list(c.target) if c.target else None,
                "sentence": c.sentence,
                "source_text": c.sentence[c.source[0] : c.source[1]],
                "target_text": c.sentence[c.target[0] : c.target[1]] if c.target else None,
                "date": where["date"],
                "title": where["title"],
            }
        )
    return items


def labelled_keys(paths: list[Path]) -> set[tuple]:
    """The keys of the items already in the gold files ``paths`` (to draw a sample without
    them: a candidate scored before is no longer fresh test data)."""
    from news_typing import read_gold  # the benchmark's own reader and key

    return {row["key"] for path in paths for row in read_gold(path)}


def sample(
    first: int, last: int, n: int, seed: int, exclude: set[tuple] | None = None
) -> list[dict]:
    """``n`` random typing candidates of corpus articles ``first``..``last``, with their keys,
    leaving out those whose key is in ``exclude``."""
    import throughput  # the corpus reader (exits cleanly when absent)

    from polybius.events.model.dataset import candidate_key, coded_candidates

    arts = throughput.load_corpus()[first : last + 1]
    pool = []
    left_out = 0
    per = coded_candidates([a.full_text for a in arts], [a.date for a in arts])
    for art, cands in zip(arts, per, strict=True):
        where = {"doc_id": art.doc_id, "article_id": art.article_id}
        where |= {"date": art.date, "title": art.title}
        for c in cands:
            if exclude and candidate_key(art.article_id, c) in exclude:
                left_out += 1
            else:
                pool.append((where, c))
    print(
        f"{len(pool)} candidates in {len(arts)} articles ({left_out} already labelled, left out)",
        file=sys.stderr,
    )
    return _draw(pool, n, seed, "n")


def story_sample(first: int, last: int, n: int, seed: int, shared: Path) -> list[dict]:
    """``n`` random typing candidates of synthetic stories ``first``..``last`` (training data:
    the stories are machine-written and may be trained on; the corpus may not)."""
    from polybius.events.model.dataset import coded_candidates, story_texts

    texts = story_texts(shared, last + 1)[first:]
    pool = []
    for k, cands in enumerate(coded_candidates(texts, [None] * len(texts))):
        where = {"doc_id": f"story-{first + k}", "article_id": f"story-{first + k}"}
        where |= {"date": None, "title": ""}
        pool += [(where, c) for c in cands]
    print(f"{len(pool)} candidates in {len(texts)} stories", file=sys.stderr)
    return _draw(pool, n, seed, "s")


def render(it: dict) -> str:
    """One item as the annotators see it."""
    return (
        f"## {it['item']}\nheadline: {it['title']}\ndate: {it['date']}\n"
        f"source: {it['source_text']}\ntarget: {it['target_text'] or '(none marked)'}\n"
        f"sentence: {marked(it)}\n"
    )


def write_packets(items: list[dict], out: Path, chunks: int, shared: Path) -> None:
    """items.json, GUIDELINES.md and packet_<chunk>_<1|2>.md under ``out``."""
    annotation_packets.write_packets(items, out, chunks, guidelines(shared), render)


def _upper(label: str) -> str:
    return label.strip().upper()


def merge_single(out: Path, chunks: int) -> list[dict]:
    """Training rows from one annotator per packet (``labels_<chunk>.jsonl``): keys and label."""
    items = json.loads((out / "items.json").read_text("utf-8"))
    labels: dict[str, str] = {}
    for k in range(chunks):
        labels |= annotation_packets.read_labels(out / f"labels_{k}.jsonl", _upper)
    keys = ("item", "doc_id", "sentence_sha1", "source", "target")
    return [{**{k: it[k] for k in keys}, "label": labels[it["item"]]} for it in items]


def merge(out: Path, chunks: int) -> list[dict]:
    """Gold rows: keys, the two annotators' labels and the final label (no news text)."""
    items = json.loads((out / "items.json").read_text("utf-8"))
    labels = annotation_packets.final_labels(out, chunks, items, _upper)
    keys = ("item", "doc_id", "article_id", "sentence_sha1", "source", "target")
    return [
        {
            **{k: it[k] for k in keys},
            "annotations": list(labels[it["item"]][:2]),
            "label": labels[it["item"]][2],
        }
        for it in items
    ]


def main(argv: list[str] | None = None) -> int:
    ap = annotation_packets.sampler_parser(
        __doc__,
        seed=20261129,
        chunks=4,
        exclude_help="gold files whose items are left out of the draw (news samples only)",
    )
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--first", type=int, default=600)
    ap.add_argument("--last", type=int, default=999)
    ap.add_argument("--n", type=int, default=360)
    ap.add_argument(
        "--stories",
        action="store_true",
        help="draw from the synthetic stories --first..--last instead (training data; "
        "with --merge: one annotator per packet, labels_<chunk>.jsonl)",
    )
    args = ap.parse_args(argv)
    if args.merge:
        for row in (merge_single if args.stories else merge)(args.out, args.chunks):
            print(json.dumps(row))
        return 0
    if not (args.shared / "ontology" / "plover_ontology.json").is_file():
        print(f"skipped: {args.shared} is absent (needs ../shared/data)", file=sys.stderr)
        return 0
    if args.stories:
        items = story_sample(args.first, args.last, args.n, args.seed, args.shared)
    else:
        items = sample(args.first, args.last, args.n, args.seed, labelled_keys(args.exclude))
    write_packets(items, args.out, args.chunks, args.shared)
    print(f"wrote {args.out}/items.json, GUIDELINES.md and packets", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
