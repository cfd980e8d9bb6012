"""Training rows as Candidates: PLV marked sentences and synthetic headline templates.

A marked sentence ``<s>Iran</s> condemned <t>Israel</t>.`` becomes a Candidate with the source
and target spans; when a spaCy pipeline is given, the trigger is the verb that links them in
the parse (as extraction finds it at run time), so ``trigger_lemma`` is filled the same way.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from polybius.events.candidates import Candidate

__all__ = [
    "LabelledRow",
    "heldout_split",
    "candidate_from_marked",
    "read_plv",
    "add_triggers",
    "find_trigger",
]

_MARK = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class LabelledRow:
    """One training or evaluation example: a candidate, its gold label and grouping key."""

    candidate: Candidate
    label: str
    group: str
    quad: int | None = None


def heldout_split(sentence_id: object) -> bool:
    """True for the 30% of PLV set aside by sentence_id (sha256 of the id, mod 10 < 3).

    The same rule as ``polybius.evaluate.plv.heldout_split``; never train or tune on these.
    """
    digest = hashlib.sha256(str(sentence_id).encode("utf-8")).hexdigest()
    return int(digest, 16) % 10 < 3


def candidate_from_marked(marked: str) -> Candidate:
    """Strip ``<s>..</s>`` and ``<t>..</t>`` marks, keeping their spans as offsets."""
    text_parts: list[str] = []
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    pos = 0
    length = 0
    for m in _MARK.finditer(marked):
        chunk = marked[pos : m.start()]
        text_parts.append(chunk)
        length += len(chunk)
        tag = m.group(0)
        if tag.startswith("</"):
            start = opened.pop(tag[2], None)
            if start is not None:
                spans[tag[2]] = (start, length)
        else:
            opened[tag[1]] = length
        pos = m.end()
    text_parts.append(marked[pos:])
    sentence = "".join(text_parts)
    if "s" not in spans and "t" not in spans:
        raise ValueError(f"marked sentence has no <s>..</s> or <t>..</t>: {marked[:80]!r}")
    # An implicit source ("An actor") is an empty span at the start of the sentence.
    return Candidate(
        sentence=sentence,
        source=_trim(sentence, spans.get("s", (0, 0))),
        target=_trim(sentence, spans["t"]) if "t" in spans else None,
    )


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _span(doc: Doc, offsets: tuple[int, int]) -> Span | None:
    if offsets[1] <= offsets[0]:
        return None
    span = doc.char_span(offsets[0], offsets[1], alignment_mode="expand")
    return span if span is not None and len(span) else None


def find_trigger(doc: Doc, cand: Candidate) -> Token | None:
    """The verb (or event noun) linking source and target in the parse, else the source's head."""
    src = _span(doc, cand.source)
    tgt = _span(doc, cand.target) if cand.target is not None else None
    if src is None and tgt is None:
        return None
    inside = ({t.i for t in src} if src is not None else set()) | (
        {t.i for t in tgt} if tgt is not None else set()
    )
    src_up = [src.root, *src.root.ancestors] if src is not None else []
    if src is None and tgt is not None:
        src_up = [tgt.root, *tgt.root.ancestors]
    if tgt is not None:
        tgt_up = [tgt.root, *tgt.root.ancestors]
        common = [t for t in tgt_up if t in set(src_up)]
        for tok in common:
            if tok.i not in inside:
                if tok.pos_ in ("VERB", "NOUN", "ADJ"):
                    return tok
        for tok in tgt_up[1:]:
            if tok.i not in inside and tok.pos_ == "VERB":
                return tok
    for tok in src_up[1:]:
        if tok.i not in inside and tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def add_triggers(
    cands: Sequence[Candidate], nlp: Language, batch_size: int = 64
) -> list[Candidate]:
    """Fill ``trigger`` and ``trigger_lemma`` of each candidate from a spaCy parse."""
    out: list[Candidate] = []
    docs = nlp.pipe((c.sentence for c in cands), batch_size=batch_size)
    for cand, doc in zip(cands, docs, strict=True):
        tok = find_trigger(doc, cand)
        if tok is None:
            out.append(cand)
        else:
            out.append(
                replace(
                    cand,
                    trigger=(tok.idx, tok.idx + len(tok.text)),
                    trigger_lemma=tok.lemma_.lower(),
                )
            )
    return out


def read_plv(path: Path) -> list[tuple[dict[str, str], Candidate]]:
    """PLV rows (as dicts) with their Candidates built from ``marked_sentence``."""
    out: list[tuple[dict[str, str], Candidate]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.append((row, candidate_from_marked(row["marked_sentence"])))
    return out


def headline_examples(rows: Iterable[dict[str, str]]) -> list[LabelledRow]:
    """Synthetic headline templates ("{country_1} Leader Condemns {country_2}") as examples.

    ``{country_1}`` becomes the source and ``{country_2}`` the target, with invented fillers.
    """
    fillers = {
        "country_1": "Freedonia",
        "country_2": "Sylvania",
        "city": "Ostrava",
        "country": "Freedonia",
        "leader": "Minister Jones",
    }
    out: list[LabelledRow] = []
    for i, r in enumerate(rows):
        title = r["title"].strip()
        label = r["event"].strip().upper()
        if not title or not label:
            continue
        marked = re.sub(r"\{country_1\}", "<s>Freedonia</s>", title, count=1)
        if "<s>" not in marked:
            marked = "<s>Officials</s> " + marked
        marked = re.sub(r"\{country_2\}", "<t>Sylvania</t>", marked, count=1)
        marked = re.sub(r"\{(\w+)\}", lambda m: fillers.get(m.group(1), "Ostrava"), marked)
        out.append(LabelledRow(candidate_from_marked(marked), label, f"headline:{i}"))
    return out


def story_examples(rows: Iterable[dict[str, str]], max_chars: int = 300) -> list[LabelledRow]:
    """Synthetic stories as weak examples: the title and lead with no actor spans marked.

    These are machine-written (never facts); only their wording is used, as extra evidence
    of which words go with which event type. The source span is empty (offset 0).
    """
    out: list[LabelledRow] = []
    for i, r in enumerate(rows):
        label = (r.get("label") or "").strip().upper()
        text = (r.get("text") or "").strip()
        if not label or not text:
            continue
        lead = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0][:max_chars]
        title = re.sub(r"\{\w+\}", "", r.get("title") or "").strip()
        sentence = (title + ". " + lead) if title else lead
        out.append(
            LabelledRow(
                Candidate(sentence=sentence, source=(0, 0), target=None), label, f"story:{i}"
            )
        )
    return out


__all__ += ["headline_examples", "story_examples"]
