"""PLV evaluation: type the event between a given source and target, score against gold roots.

Input: a TSV with columns ``uid, sentence_id, sentence, source, target, gold_root, gold_penta``
(``marked_sentence`` with <s>..</s>/<t>..</t> is used for exact offsets when present; an
empty ``uid`` falls back to the row number, 1-based). For each row the sentence is parsed, the
source and target spans become the only actor mentions, and the coder's clause frames that link
them give a Candidate. When no frame links them, the dependency path between the two spans is
searched for a pattern, then the rest of the sentence; a type is always given. ``coverage`` is
the share of rows typed from evidence (a frame, a pattern on the path, or the learned model)
rather than a fallback default.

Scoring: 15 gold labels (YIELD = CONCEDE + RETREAT, so a predicted CONCEDE or RETREAT counts
as YIELD); accuracy, macro F1 over the gold labels, per-class P/R/F1/support, and quad-class
accuracy against ``gold_penta`` (1 verbal cooperation .. 4 material conflict).

The held-out split: ``heldout_split(sentence_id)`` is True for the 30% of sentences whose
SHA-256 (of the sentence id as text, stripped) read as a hex integer is 0, 1 or 2 modulo 10.
Patterns were never tuned on those rows; the learned-model work uses the same split.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from polybius.evaluate.metrics import macro_f1, per_class_scores
from polybius.events.candidates import Candidate
from polybius.events.clauses import Frame, find_frames, word_bag
from polybius.events.decide import decide_types, learned_module
from polybius.events.mentions import MentionIndex
from polybius.events.modality import modality_of, plover_future_rule, plover_refusal_rule
from polybius.events.patterns import Lexicon, lexicon
from polybius.ontology import quad_class
from polybius.records import ActorMention

__all__ = [
    "PlvRow",
    "PairTyping",
    "heldout_split",
    "read_plv",
    "type_pairs",
    "evaluate_plv",
    "FALLBACK_TYPE",
    "GOLD_LABELS",
]

#: The type given when nothing in the sentence matches any pattern and no model is available.
FALLBACK_TYPE = "CONSULT"
GOLD_LABELS = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE", "REJECT",
    "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
SPLITS = ("all", "heldout", "dev")


def heldout_split(sentence_id: str | int) -> bool:
    """True for the held-out 30%: int(sha256(str(sentence_id).strip()), 16) % 10 < 3."""
    digest = hashlib.sha256(str(sentence_id).strip().encode("utf-8")).hexdigest()
    return int(digest, 16) % 10 < 3


@dataclass(frozen=True, slots=True)
class PlvRow:
    """One gold (source, target) pair with its sentence and labels."""

    uid: str
    sentence_id: str
    sentence: str
    source: tuple[int, int]
    target: tuple[int, int]
    gold_root: str
    gold_penta: int | None


@dataclass(frozen=True, slots=True)
class PairTyping:
    """The type chosen for one pair, whether it came from evidence, and how."""

    event_type: str
    evidence: bool
    how: str
    candidate: Candidate


def _unmark(marked: str) -> tuple[str, tuple[int, int] | None, tuple[int, int] | None]:
    out = []
    pos = 0
    spans: dict[str, list[int]] = {"s": [], "t": []}
    for m in re.finditer(r"</?([st])>", marked):
        out.append(marked[pos : m.start()])
        pos = m.end()
        spans[m.group(1)].append(sum(len(x) for x in out))
    out.append(marked[pos:])
    s = tuple(spans["s"][:2]) if len(spans["s"]) >= 2 else None
    t = tuple(spans["t"][:2]) if len(spans["t"]) >= 2 else None
    return "".join(out), s, t  # type: ignore[return-value]


def _find(sentence: str, text: str, avoid: tuple[int, int] | None = None) -> tuple[int, int]:
    text = text.strip()
    start = sentence.find(text) if text else -1
    if avoid is not None and start >= 0 and avoid[0] <= start < avoid[1]:
        nxt = sentence.find(text, avoid[1])
        start = nxt if nxt >= 0 else start
    if start < 0:
        start = sentence.lower().find(text.lower())
    if start < 0:
        return (0, 0)
    return (start, start + len(text))


def read_plv(path: str | Path) -> list[PlvRow]:
    """Read a PLV TSV; a clear error names the file and the missing columns."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        needed = {"sentence", "source", "target", "gold_root"}
        missing = needed - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows: list[PlvRow] = []
        for n, rec in enumerate(reader, start=1):
            sentence = rec.get("sentence") or ""
            src = tgt = None
            if rec.get("marked_sentence"):
                plain, src, tgt = _unmark(rec["marked_sentence"])
                if plain != sentence:
                    sentence = plain
            if src is None:
                src = _find(sentence, rec.get("source") or "")
            if tgt is None:
                tgt = _find(sentence, rec.get("target") or "", src)
            penta = (rec.get("gold_penta") or "").strip()
            rows.append(
                PlvRow(
                    uid=(rec.get("uid") or "").strip() or str(n),
                    sentence_id=(rec.get("sentence_id") or "").strip() or str(n),
                    sentence=sentence,
                    source=src,
                    target=tgt,
                    gold_root=(rec.get("gold_root") or "").strip().upper(),
                    gold_penta=int(penta) if penta.isdigit() else None,
                )
            )
    return rows


def _mention(doc: Doc, span: tuple[int, int], label: str) -> ActorMention:
    text = doc.text[span[0] : span[1]]
    return ActorMention(text=text, start=span[0], end=span[1], name=f"{label}:{text}", kind="given")


def _head(doc: Doc, span: tuple[int, int]) -> Token | None:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None


def _path_tokens(a: Token, b: Token) -> list[Token]:
    """Tokens on the dependency path between a and b (b's side first, then the junction)."""
    anc_a = [a, *a.ancestors]
    ids_a = {t.i for t in anc_a}
    path_b: list[Token] = []
    for t in [b, *b.ancestors]:
        path_b.append(t)
        if t.i in ids_a:
            break
    junction = path_b[-1]
    path_a = [t for t in anc_a if t.i != junction.i and any(x.i == junction.i for x in t.ancestors)]
    return path_b[1:] + list(reversed(path_a[1:]))


def _rank_frames(frames: list[Frame], src: ActorMention, tgt: ActorMention) -> Frame | None:
    def has(ms: Sequence[ActorMention], m: ActorMention) -> bool:
        return any(x.start == m.start and x.end == m.end for x in ms)

    best: tuple[float, Frame] | None = None
    for f in frames:
        score = 0.0
        if has(f.sources, src):
            score += 2
        if has(f.targets, tgt):
            score += 2
        if has(f.sources, tgt) and has(f.targets, src):
            score += 1.5
        if f.mutual and has(f.sources, src) and has(f.sources, tgt):
            score += 3
        if score < 2:
            continue
        score += f.match.confidence
        if best is None or score > best[0]:
            best = (score, f)
    return best[1] if best else None


def _guess(
    tokens: Iterable[Token], lex: Lexicon, *, allow_generic: bool
) -> tuple[str, str, str, Token] | None:  # noqa: E501
    """The first pattern among tokens: (type, cameo, rule, token)."""
    for tok in tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ in {"VERB", "AUX"} and lex.is_event_verb(lemma):
            m = lex.match_verb(lemma, word_bag(tok, lex))
            if m is None and allow_generic:
                for _, _, cameo in lex.verb_blocks.get(lemma, []):
                    from polybius.events.patterns import _type_for

                    t, _, _ = _type_for(cameo) if cameo and cameo != "---" else ("", None, None)
                    if t:
                        return t, cameo, f"guess:{lemma}[{cameo}]", tok
            if m is not None:
                return m.event_type, m.cameo, m.rule, tok
        if tok.pos_ in {"NOUN", "PROPN"}:
            pats = lex.noun_patterns(lemma) or lex.noun_patterns(tok.lower_)
            if pats:
                p = pats[0]
                return p.event_type, p.cameo, f"noun:{p.lemma}", tok
    return None


def _candidate(
    sent: Span,
    src: tuple[int, int],
    tgt: tuple[int, int],
    trig: Token | None,
    rule: tuple[str, str | None, str] | None,
    conf: float,
    feats: list[str],
) -> Candidate:  # noqa: E501
    base = sent.start_char
    return Candidate(
        sentence=sent.text,
        source=(src[0] - base, src[1] - base),
        target=(tgt[0] - base, tgt[1] - base),
        trigger=(trig.idx - base, trig.idx + len(trig.text) - base) if trig is not None else None,
        trigger_lemma=trig.lemma_.lower() if trig is not None else None,
        rule_type=rule[0] if rule else None,
        rule_cameo=rule[1] if rule else None,
        rule_name=rule[2] if rule else None,
        rule_confidence=conf if rule else 0.0,
        features=tuple(feats),
    )


def _pair_candidate(doc: Doc, row: PlvRow, lex: Lexicon) -> tuple[Candidate, str]:
    src_m = _mention(doc, row.source, "s")
    tgt_m = _mention(doc, row.target, "t")
    index = MentionIndex([src_m, tgt_m])
    sent = next((s for s in doc.sents if s.start_char <= row.source[0] < s.end_char), doc[:])
    frames: list[Frame] = []
    for s in doc.sents:
        frames += find_frames(s, index, lex)
    frame = _rank_frames(frames, src_m, tgt_m)
    if frame is not None:
        mod = modality_of(frame.anchor, frame.trigger)
        etype, cameo, modality = plover_refusal_rule(frame.match.event_type, frame.match.cameo, mod)
        etype, cameo = plover_future_rule(etype, cameo, modality, offer=mod.offer)
        feats = [f"lemma={frame.trigger.lemma_.lower()}", f"modality={mod.modality}", "how=frame"]
        return _candidate(
            sent,
            row.source,
            row.target,
            frame.trigger,
            (etype, cameo or "", frame.match.rule),
            frame.match.confidence,
            feats,
        ), "frame"  # noqa: E501
    a, b = _head(doc, row.source), _head(doc, row.target)
    if a is not None and b is not None:
        path = _path_tokens(a, b)
        got = _guess(path, lex, allow_generic=False)
        how = "path"
        if got is None:
            got = _guess(path, lex, allow_generic=True)
            how = "path-guess"
        if got is not None:
            etype, cameo, rule, tok = got
            mod = modality_of(tok, tok)
            etype, cameo, modality = plover_refusal_rule(etype, cameo, mod)
            etype, cameo2 = plover_future_rule(etype, cameo, modality, offer=mod.offer)
            conf = 0.5 if how == "path" else 0.3
            feats = [f"lemma={tok.lemma_.lower()}", f"modality={mod.modality}", f"how={how}"]
            return _candidate(
                sent, row.source, row.target, tok, (etype, cameo2 or cameo, rule), conf, feats
            ), how  # noqa: E501
    got = _guess(sent, lex, allow_generic=True)
    if got is not None:
        etype, cameo, rule, tok = got
        mod = modality_of(tok, tok)
        etype, cameo, modality = plover_refusal_rule(etype, cameo, mod)
        etype, cameo = plover_future_rule(etype, cameo, modality, offer=mod.offer)
        cameo = cameo or ""
        return _candidate(
            sent, row.source, row.target, tok, (etype, cameo, rule), 0.2, ["how=sentence"]
        ), "sentence"  # noqa: E501
    return _candidate(sent, row.source, row.target, None, None, 0.0, ["how=none"]), "none"


def type_pairs(
    rows: Sequence[PlvRow], *, typing: str = "hybrid", nlp: Language | None = None
) -> list[PairTyping]:
    """Type every (source, target) pair; one result per row, in order."""
    from polybius.nlp import load_nlp

    nlp = nlp or load_nlp()
    lex = lexicon()
    cands: list[Candidate] = []
    hows: list[str] = []
    for row, doc in zip(rows, nlp.pipe((r.sentence for r in rows), batch_size=64), strict=True):
        cand, how = _pair_candidate(doc, row, lex)
        cands.append(cand)
        hows.append(how)
    decisions = decide_types(cands, typing)
    model_used = typing != "rules" and learned_module() is not None
    out: list[PairTyping] = []
    for cand, how, dec in zip(cands, hows, decisions, strict=True):
        etype = dec.event_type or cand.rule_type or FALLBACK_TYPE
        evidence = how in {"frame", "path"} or (model_used and dec.event_type is not None)
        out.append(PairTyping(etype, evidence, dec.decided_by + ":" + how, cand))
    return out


def _score_label(pred: str) -> str:
    return "YIELD" if pred in {"CONCEDE", "RETREAT", "YIELD"} else pred


def evaluate_plv(
    path: str | Path,
    *,
    typing: str = "hybrid",
    split: str = "all",
    predictions: str | Path | None = None,
    nlp: Language | None = None,
) -> dict[str, object]:
    """Score the coder on a PLV TSV; optionally write ``uid, predicted_root, predicted_penta``."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    rows = read_plv(path)
    if split == "heldout":
        rows = [r for r in rows if heldout_split(r.sentence_id)]
    elif split == "dev":
        rows = [r for r in rows if not heldout_split(r.sentence_id)]
    typed = type_pairs(rows, typing=typing, nlp=nlp)
    gold = [r.gold_root for r in rows]
    pred = [_score_label(t.event_type) for t in typed]
    labels = [lab for lab in GOLD_LABELS if lab in set(gold)] or list(GOLD_LABELS)
    scores = per_class_scores(gold, pred, labels)
    quads = [
        (r.gold_penta, quad_class(t.event_type))
        for r, t in zip(rows, typed, strict=True)
        if r.gold_penta
    ]  # noqa: E501
    n = len(rows)
    result: dict[str, object] = {
        "n": n,
        "split": split,
        "typing": typing,
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / n, 4)
        if n
        else 0.0,  # noqa: E501
        "macro_f1": round(macro_f1(scores), 4),
        "quad_accuracy": round(sum(g == p for g, p in quads) / len(quads), 4) if quads else 0.0,
        "coverage": round(sum(t.evidence for t in typed) / n, 4) if n else 0.0,
        "per_class": scores,
    }
    if predictions is not None:
        out = (
            sys.stdout
            if str(predictions) == "-"
            else open(predictions, "w", encoding="utf-8", newline="")
        )  # noqa: E501
        try:
            w = csv.writer(out, delimiter="\t", lineterminator="\n")
            w.writerow(["uid", "predicted_root", "predicted_penta"])
            for r, t in zip(rows, typed, strict=True):
                w.writerow([r.uid, t.event_type, quad_class(t.event_type)])
        finally:
            if out is not sys.stdout:
                out.close()
    return result
