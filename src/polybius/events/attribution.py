"""Attribution: who claims an event, and how ("X said", "according to him", "Rudd wrote").

Sources of attribution, in order of precedence for an event:

1. a speech or cognition verb that governs the event's clause ("X said that ...", "X believes
   ...", "..., X told reporters"); its subject (or passive agent) is the speaker; or a claim
   noun whose clause holds the event ("Moscow's accusation that ..."; ``CLAIM_NOUNS``), its
   possessor, compound or "by" agent the claimant;
2. "according to X" anywhere in the sentence;
3. a quotation that contains the event and is closed or opened by a speech clause
   ("“...”, – Rudd wrote."), and "This was stated by X" for the sentence before.

An actor's own act beside its speech is not claimed by it: "X said, accusing Y" (the
accusation is X's event), "X expressed regret and said ..."; nor is a circumstance of the
saying ("when it was pointed out that ..., X said").

The acting state stays the event's source; the speaker only goes to ``Event.attribution``.
A speech act that is itself an event between actors (X accused Y) is typed as X's event by
the patterns and is not an attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from polybius.events.mentions import MentionIndex
from polybius.nlp import doc_text
from polybius.records import Attribution

__all__ = [
    "SPEECH_VERBS",
    "CLAIM_NOUNS",
    "Claim",
    "QuoteClaims",
    "speaker_for",
    "according_to",
    "quote_claims",
]

#: Verbs that report speech, writing or belief rather than an event between actors.
SPEECH_VERBS = frozenset(
    {
        "say", "state", "tell", "write", "add", "note", "claim", "believe", "think", "argue",
        "report", "insist", "stress", "explain", "suggest", "assert", "declare", "reveal",
        "confirm", "acknowledge", "predict", "estimate", "recall", "emphasize", "emphasise",
        "remark", "comment", "observe", "mention", "tweet", "announce", "indicate", "told",
        "feel", "contend", "maintain", "allege", "expect", "reckon", "assess", "warn",
        "opine", "conclude", "point", "believes", "thinks", "signal", "admit",
    }
)  # fmt: skip

#: Nouns that report a claim: in "Moscow's accusation that London staged the attack" the
#: attack is claimed by Moscow (the noun's possessor, compound or "by" agent).
CLAIM_NOUNS = frozenset(
    {
        "claim", "statement", "accusation", "allegation", "assertion", "report",
        "announcement", "insistence", "charge", "warning", "admission", "assessment",
    }
)  # fmt: skip
_RELATIVE = {"which", "who", "that"}
#: Edges out of which a clause is no longer what a speech verb above the root says.
_EMBEDDING = {"advcl", "relcl", "acl"}

_SUBJ = {"nsubj", "nsubjpass"}
_DEMONSTRATIVE = {"this", "that", "it", "these", "those"}


@dataclass(frozen=True, slots=True)
class Claim:
    """An attribution with the words that show it (for --explain)."""

    attribution: Attribution
    cue: str


def _is_speech(tok: Token) -> bool:
    return tok.lemma_.lower() in SPEECH_VERBS or tok.lower_ in SPEECH_VERBS


def _name_of(tok: Token) -> str:
    """A speaker's text when no actor mention covers it: the proper-noun chain around tok."""
    left = tok
    while (
        left.i > left.sent.start
        and left.doc[left.i - 1].dep_ == "compound"
        and left.doc[left.i - 1].head == tok
    ):
        left = left.doc[left.i - 1]
    return tok.doc[left.i : tok.i + 1].text


def _person_before(tok: Token) -> str | None:
    """Fallback for a pronoun speaker with no resolved mention: the last PERSON entity."""
    for ent in reversed([e for e in tok.doc.ents if e.end <= tok.i]):
        if ent.label_ == "PERSON":
            return ent.text
    return None


def speaker_claim(tok: Token, verb: str, index: MentionIndex, cue: str) -> Claim | None:
    """An attribution to the actor (or named person) at token ``tok``."""
    mentions = index.for_token(tok)
    if mentions:
        m = mentions[0]
        speaker = m.name or m.text
        if m.kind == "pronoun" and not m.name:
            speaker = m.org or m.country or m.text
        return Claim(
            Attribution(speaker=speaker, country=m.country, verb=verb, sector=m.sector, org=m.org),
            cue,
        )  # noqa: E501
    if tok.pos_ == "PRON":
        if tok.lower_ in _DEMONSTRATIVE:
            return None
        name = _person_before(tok)
        if name:
            return Claim(Attribution(speaker=name, verb=verb), cue)
        return None
    if tok.pos_ in {"PROPN", "NOUN"}:
        return Claim(Attribution(speaker=_name_of(tok), verb=verb), cue)
    return None


def speaker_for(anchor: Token, index: MentionIndex) -> Claim | None:
    """A speech verb governing the event's clause, and its speaker."""
    cur = anchor
    embedded = False
    for _ in range(6):
        if cur.head == cur:
            # the event clause is the root: a speech verb may hang below it ("..., X said");
            # not for a clause inside an adverbial or relative one ("..., as X jails Y,
            # even when X declares ..." does not report the jailing)
            if embedded:
                return None
            for child in cur.children:
                if child == anchor:
                    continue  # the event's own verb ("X expressed regret and warned Y")
                if child.dep_ in {"parataxis", "advcl", "conj"} and _is_speech(child):
                    # a sibling with no subject of its own ("X did Y and said ...") is X's
                    # own comment, not a claim about Y
                    claim = _subject_claim(child, index, inherit=False)
                    if claim:
                        return claim
            return None
        dep, below = cur.dep_, cur
        cur = cur.head
        if (
            dep in {"acl", "ccomp"}
            and not embedded
            and cur.pos_ == "NOUN"
            and cur.lemma_.lower() in CLAIM_NOUNS
        ):
            claim = _noun_claim(cur, index)
            if claim:
                return claim
        embedded = embedded or dep in _EMBEDDING
        if dep == "advcl" and _is_speech(cur) and not (below.tag_ == "VBG" and _is_speech(below)):
            # "X said, accusing Y": the accusation is X's own act, and "when it was pointed
            # out that ..., X said" a circumstance of the saying; neither is what X says.
            # A speech participle ("X said, adding that ...") still carries the content.
            return None
        if dep in {"ccomp", "parataxis", "advcl", "xcomp"} and _is_speech(cur) and dep != "xcomp":
            claim = _subject_claim(cur, index)
            if claim:
                return claim
        if dep not in {"ccomp", "xcomp", "conj", "advcl", "parataxis", "relcl", "acl"}:
            continue
    return None


def _subject_claim(
    verb: Token, index: MentionIndex, lemma: str | None = None, *, inherit: bool = True
) -> Claim | None:
    """The speaker of a speech verb: its subject or passive agent; for "which"/"who" the
    noun the relative clause hangs on; with ``inherit``, for a second verb with no subject
    of its own ("X announced the deal but said ...") the subject of the first."""
    lemma = lemma or verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return speaker_claim(pobj, lemma, index, f"{verb.text} by {pobj.text}")
        if child.dep_ == "nsubj":
            if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return speaker_claim(verb.head, lemma, index, f"{verb.head.text} {verb.text}")
            return speaker_claim(child, lemma, index, f"{child.text} {verb.text}")
    if inherit and verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject_claim(verb.head, index, lemma)
    return None


def _noun_claim(noun: Token, index: MentionIndex) -> Claim | None:
    """The claimant of a claim noun: "Moscow's accusation", "UK claims", "a report by X"."""
    lemma = noun.lemma_.lower()
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ == "compound" and index.for_token(child)):
            if child.pos_ == "PRON" and not index.for_token(child):
                continue
            return speaker_claim(child, lemma, index, f"{child.text} {noun.text}")
        if child.dep_ == "prep" and child.lower_ == "by":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return speaker_claim(pobj, lemma, index, f"{noun.text} by {pobj.text}")
    return None


def according_to(sent: Span, index: MentionIndex) -> Claim | None:
    """'according to X' in the sentence."""
    for tok in sent:
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            return speaker_claim(
                                pobj, "according to", index, f"according to {pobj.text}"
                            )  # noqa: E501
            nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.lower_ == "to" and tok.i + 2 < len(tok.doc):
                return speaker_claim(tok.doc[tok.i + 2], "according to", index, "according to")
    return None


def stated_by(sent: Span, index: MentionIndex) -> Claim | None:
    """'This was stated by X': a claim about the sentence before."""
    root = sent.root
    if not _is_speech(root):
        return None
    subj = [c for c in root.children if c.dep_ in _SUBJ]
    if not subj or subj[0].lower_ not in _DEMONSTRATIVE:
        return None
    return _subject_claim(root, index)


_OPEN = '“«"'
_CLOSE = '”»"'


class QuoteClaims:
    """Quotation spans of a document with the speech clause that closes or opens them."""

    def __init__(self, spans: list[tuple[int, int, Claim]]) -> None:
        self.spans = spans

    def at(self, offset: int) -> Claim | None:
        best: tuple[int, Claim] | None = None
        for start, end, claim in self.spans:
            if start <= offset < end and (best is None or end - start < best[0]):
                best = (end - start, claim)
        return best[1] if best else None


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Outermost-first quotation spans; nested curly quotes are handled with a stack."""
    spans: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in "“«":
            stack.append(i)
        elif ch in "”»" and stack:
            spans.append((stack.pop(), i + 1))
    # straight quotes: an opening one follows a space, a line start or a bracket; a closing
    # one does not; nesting is handled with a second stack
    stack = []
    for m in re.finditer('"', text):
        i = m.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opening = (
            before.isspace()
            or before in "([{–—-"
            or (not after.isspace() and after not in ",.;:!?)")
        )  # noqa: E501
        if opening and not (before.isalnum() and stack):
            stack.append(i)
        elif stack:
            spans.append((stack.pop(), i + 1))
    return spans


def quote_claims(doc: Doc, index: MentionIndex, text: str | None = None) -> QuoteClaims:
    """Find quotations followed by ', X wrote' / preceded by 'X said:' and their speakers.

    ``text`` is ``doc.text`` when the caller has it already (``Doc.text`` is rebuilt from
    every token on each access)."""
    text = doc_text(doc) if text is None else text
    out: list[tuple[int, int, Claim]] = []
    for start, end in _quote_spans(text):
        if end - start < 25:
            continue
        claim = None
        tail = text[end : end + 8]
        if re.match(r"^[\s,.;:–—-]*", tail):
            j = end + len(re.match(r"^[\s,.;:–—-]*", tail).group(0))  # type: ignore[union-attr]
            span = doc.char_span(j, min(len(text), j + 80), alignment_mode="expand")
            if span is not None:
                for tok in span:
                    if tok.idx > j + 60:
                        break
                    if tok.pos_ == "VERB" and _is_speech(tok):
                        claim = _subject_claim(tok, index)
                        break
        if claim is None:
            head = text[max(0, start - 60) : start]
            m = re.search(r"(\w+)\s+(said|wrote|stated|added|declared)\s*[:,]?\s*$", head)
            if m:
                span = doc.char_span(
                    max(0, start - 60) + m.start(2),
                    max(0, start - 60) + m.end(2),
                    alignment_mode="expand",
                )  # noqa: E501
                if span is not None:
                    claim = _subject_claim(span[0], index)
        if claim is not None:
            out.append((start, end, claim))
    return QuoteClaims(out)
