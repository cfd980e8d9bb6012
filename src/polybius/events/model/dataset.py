"""Assembling the typing model's training data (used by the training and CV scripts).

PLV rows become Candidates exactly as ``polybius eval plv`` builds them (the coder's frames,
rule proposal and parse facts; :func:`polybius.evaluate.plv.type_pairs` with rules only), so
the model is trained on what it will see at run time. The 30% held-out split
(:func:`polybius.evaluate.plv.heldout_split`) is never used here unless asked for by name,
which only the final evaluation does. Extra sources: CAMEO verb-pattern templates, the
synthetic headline templates and the synthetic stories' titles and leads (never as facts).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from polybius.events.candidates import Candidate
from polybius.events.model.cameo_examples import cameo_examples
from polybius.events.model.plvdata import (
    LabelledRow,
    add_triggers,
    headline_examples,
    story_examples,
)

__all__ = [
    "PlvExamples",
    "plv_examples",
    "extra_examples",
    "story_candidate_examples",
    "written_examples",
    "coded_candidates",
    "story_texts",
    "sentence_key",
    "candidate_key",
    "labelled_key",
    "EXTRA_SOURCES",
    "plv_label",
]

#: Extra training sources, by name, with the file they are built from under shared/data.
EXTRA_SOURCES: dict[str, str] = {
    "cameo": "dictionaries/CAMEO.2.0.txt",
    "headlines": "gold/ngec_synthetic_headlines.csv",
    "stories": "gold/ngec_synthetic_stories.csv",
}


@dataclass(frozen=True)
class PlvExamples:
    """PLV rows of one split with their Candidates, training labels and the rules' types."""

    candidates: list[Candidate]
    gold: list[str]  # gold_root as in the file (YIELD stays YIELD)
    labels: list[str]  # training labels: YIELD becomes RETREAT/CONCEDE by gold_penta
    quads: list[int | None]
    groups: list[str]  # sentence_id
    rule_types: list[str]  # what type_pairs(typing="rules") answered


def plv_label(gold_root: str, gold_penta: int | None) -> str:
    """Training label: YIELD with a material quad (2) is RETREAT, else CONCEDE."""
    if gold_root == "YIELD":
        return "RETREAT" if gold_penta == 2 else "CONCEDE"
    return gold_root


def plv_examples(path: Path, split: str, nlp: Language | None = None) -> PlvExamples:
    """PLV rows of ``split`` ("dev" = the 70% used for training and CV, or "heldout")."""
    from polybius.evaluate.plv import heldout_split, read_plv, type_pairs

    if split not in ("dev", "heldout"):
        raise ValueError(f"split must be 'dev' or 'heldout', not {split!r}")
    rows = [r for r in read_plv(path) if heldout_split(r.sentence_id) == (split == "heldout")]
    typed = type_pairs(rows, typing="rules", nlp=nlp)
    return PlvExamples(
        candidates=[t.candidate for t in typed],
        gold=[r.gold_root for r in rows],
        labels=[plv_label(r.gold_root, r.gold_penta) for r in rows],
        quads=[r.gold_penta for r in rows],
        groups=[r.sentence_id for r in rows],
        rule_types=[t.event_type for t in typed],
    )


def extra_examples(
    shared: Path, names: list[str], nlp: Language | None
) -> dict[str, list[LabelledRow]]:  # noqa: E501
    """The named extra sources as labelled rows (triggers from the parse when nlp is given)."""
    out: dict[str, list[LabelledRow]] = {}
    for name in names:
        path = shared / EXTRA_SOURCES[name]
        if name == "cameo":
            rows = cameo_examples(path)
        else:
            with path.open(encoding="utf-8", newline="") as fh:
                records = list(csv.DictReader(fh))
            rows = headline_examples(records) if name == "headlines" else story_examples(records)
        if nlp is not None:
            cands = add_triggers([r.candidate for r in rows], nlp)
            rows = [replace(r, candidate=c) for r, c in zip(rows, cands, strict=True)]
        out[name] = rows
    return out


def story_candidate_examples(
    shared: Path, labels: Path, nlp: Language | None = None, *, keep_none: bool = False
) -> list[LabelledRow]:
    """The coder's own typing candidates in synthetic stories, with annotators' labels.

    ``labels`` is a JSON-lines file of (``doc_id`` "story-N", the SHA-1 of the candidate's
    sentence (first 16 hex digits), source and target offsets, ``label``), written by
    ``scripts/news_typing_sample.py --stories``. The stories (``gold/ngec_synthetic_stories
    .csv``, machine-written, used as text only) are coded again with polybius's coder and
    each labelled candidate found among their typing candidates, so the model trains on
    exactly what the coder sends it in whole articles. Items labelled NONE (no event
    between the pair) are left out, the typer only types, unless ``keep_none`` (for an
    experimental NONE class: ``train_event_encoder.py --none-class``).
    """
    import json

    rows = [json.loads(line) for line in labels.read_text("utf-8").splitlines() if line.strip()]
    wanted = sorted({int(r["doc_id"].removeprefix("story-")) for r in rows})
    stories = story_texts(shared, max(wanted, default=-1) + 1)
    texts = [stories[i] for i in wanted]
    found: dict[tuple, Candidate] = {}
    for i, cands in zip(wanted, coded_candidates(texts, [None] * len(texts), nlp), strict=True):
        for c in cands:
            found[candidate_key(f"story-{i}", c)] = c
    out = []
    for r in rows:
        cand = found.get(labelled_key(r["doc_id"], r))
        if cand is not None and (keep_none or r["label"] != "NONE"):
            out.append(LabelledRow(cand, r["label"], r["doc_id"]))
    return out


def written_examples(path: Path, nlp: Language | None = None) -> list[LabelledRow]:
    """Written PLOVER pairs (``scripts/data/written_typing.jsonl``) as training rows.

    Each line holds ``id``, ``marked`` (one sentence with ``<s>..</s>`` and ``<t>..</t>``,
    PLV's marks) and ``label`` (one of the 16 PLOVER types). The sentences were written for
    the project by annotator sessions and kept where a blind second label agreed
    (scripts/data/WRITTEN_TYPING.md). Each becomes a candidate exactly as a PLV row does in
    ``polybius eval plv`` (the coder's frames, the pattern proposal, the parse's trigger), so
    the model sees it as it sees PLV. A line that does not parse, lacks a mark or has an
    unknown label is an error naming the file, the line and the reason.
    """
    import json

    from polybius.evaluate.plv import PlvRow, _unmark, type_pairs
    from polybius.ontology import PLOVER_TYPES, quad_class

    rows: list[PlvRow] = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            sentence, src, tgt = _unmark(rec["marked"])
            label = rec["label"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a written pair ({exc})") from None
        if src is None or tgt is None:
            raise ValueError(f"{path}:{n}: needs one <s>..</s> and one <t>..</t>")
        if label not in PLOVER_TYPES:
            raise ValueError(f"{path}:{n}: unknown PLOVER type {label!r}")
        uid = str(rec.get("id") or n)
        rows.append(PlvRow(uid, uid, sentence, src, tgt, label, quad_class(label)))
    typed = type_pairs(rows, typing="rules", nlp=nlp)
    return [
        LabelledRow(t.candidate, row.gold_root, row.uid, row.gold_penta)
        for t, row in zip(typed, rows, strict=True)
    ]


def sentence_key(sentence: str) -> str:
    """The first 16 hex digits of the sentence's SHA-1: how a labelled candidate names its
    sentence without storing its text."""
    import hashlib

    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:16]


def candidate_key(doc: str, cand: Candidate) -> tuple:
    """(document, sentence key, source span, target span) of a candidate."""
    return (doc, sentence_key(cand.sentence), tuple(cand.source), _span(cand.target))


def labelled_key(doc: str, row: Mapping[str, Any]) -> tuple:
    """The same key for a labelled row (``sentence_sha1``, ``source``, ``target``)."""
    return (doc, row["sentence_sha1"], tuple(row["source"]), _span(row["target"]))


def _span(span: Sequence[int] | None) -> tuple[int, ...] | None:
    return tuple(span) if span is not None else None


def coded_candidates(
    texts: Sequence[str], dates: Sequence[str | None], nlp: Language | None = None
) -> list[list[Candidate]]:
    """Per text, the typing candidates polybius's coder finds in it (pre-filtered parse,
    actors dated by ``dates``): what the typer reads when the text is coded."""
    from polybius.actors import find_actors
    from polybius.events.extract import typing_candidates
    from polybius.nlp import load_nlp
    from polybius.pipeline import parse_for_coding

    docs = parse_for_coding(list(texts), nlp or load_nlp())
    return [
        typing_candidates(doc, find_actors(doc, date))
        for doc, date in zip(docs, dates, strict=True)
    ]


def story_texts(shared: Path, limit: int) -> list[str]:
    """Title and text of the first ``limit`` synthetic stories, as they are coded (the
    sentence keys of labelled story candidates depend on this exact text)."""
    with (shared / EXTRA_SOURCES["stories"]).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:limit]
    return [f"{r['title']}\n\n{r['text']}" for r in rows]
