"""Pronouns, definite descriptions and repeated surnames, resolved within one article.

Each resolved reference becomes a mention carrying its antecedent's codes, with
``refers_to`` = the start offset of the first mention of that antecedent:
  * he/him/his/she/her        -> the most recent person (within 5 sentences);
  * it/its                    -> the most recent state, organisation or singular agent
                                 (not an expletive "it is clear that ...");
  * they/them/their           -> the most recent organisation or plural agent (not when
                                 the clause is about events: "they will take place");
  * the alliance/bloc/group   -> the most recent organisation;
  * the country/nation/state  -> the most recent state;
  * his/her state/country/government -> that person's country (GOV for government);
  * the two leaders, both countries, the four countries -> an organisation mentioned
    recently with that many members, else the last N distinct leaders or countries;
  * a bare surname ("Rudd wrote") -> the earlier full mention of that person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Token

from polybius.actors.dictionary import ActorDictionary
from polybius.nlp import doc_text
from polybius.records import ActorMention

__all__ = ["resolve_references"]

_HE = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})
_IT = frozenset({"it", "its", "itself"})
_THEY = frozenset({"they", "them", "their", "themselves"})
_DETS = frozenset({"the", "this", "that", "these", "those", "his", "her", "its", "their", "both"})
_ORG_NOUNS = frozenset(
    {
        "alliance",
        "bloc",
        "grouping",
        "group",
        "organisation",
        "organization",
        "pact",
        "coalition",
        "body",
        "partnership",
        "forum",
        "quartet",
    }
)
_STATE_NOUNS = frozenset({"country", "nation", "state", "kingdom", "republic"})
_GOV_NOUNS = frozenset({"government", "administration", "regime", "leadership"})
_PLURAL_NOUNS = frozenset(
    {
        "countries",
        "nations",
        "states",
        "members",
        "powers",
        "sides",
        "leaders",
        "allies",
        "partners",
        "governments",
        "neighbours",
        "neighbors",
    }
)
_NUMBERS = {
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
}
_EVENT_VERBS = frozenset({"happen", "occur", "last", "begin", "end", "continue", "start"})
_STATE_KINDS = frozenset({"country", "metonym", "combining_form", "place", "description"})
_WINDOW = 5  # sentences
# verbs whose subject is a group: "it includes the US and Japan"
_MEMBERSHIP_VERBS = frozenset(
    {"include", "comprise", "consist", "unite", "gather", "admit", "expand", "enlarge"}
)


def _sent(m: ActorMention) -> int:
    return m.sentence_index if m.sentence_index is not None else 0


def _root(m: ActorMention) -> int:
    return m.refers_to if m.refers_to is not None else m.start


def _expletive(tok: Token) -> bool:
    """'It is far from certain that ...', 'it was reported that ...'."""
    if tok.dep_ == "expl":
        return True
    head = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and (
        head.lemma_ in ("be", "seem", "appear", "remain", "become") or head.tag_ == "VBN"
    ):
        return any(c.dep_ in ("ccomp", "xcomp", "csubj") and c.i > tok.i for c in head.children)
    return False


def _actor_slot(tok: Token) -> bool:
    """'it' as a subject or 'its' as a possessor can be an actor; 'it' as an object is
    nearly always a thing ("state media reported it")."""
    return not tok.dep_ or tok.dep_ in ("nsubj", "nsubjpass", "poss", "conj", "appos")


def _event_subject(tok: Token) -> bool:
    """'They will take place', 'they happened last week': not actors."""
    head = tok.head
    if head.lemma_ in _EVENT_VERBS:
        return True
    return head.lemma_ == "take" and any(c.lower_ == "place" for c in head.children)


class _History:
    def __init__(self, mentions: list[ActorMention]) -> None:
        self.items: list[ActorMention] = []
        self.pending = sorted(mentions, key=lambda m: m.start)
        self.k = 0

    def advance(self, char: int) -> None:
        while self.k < len(self.pending) and self.pending[self.k].end <= char:
            self.items.append(self.pending[self.k])
            self.k += 1

    def last(
        self,
        ok: Callable[[ActorMention], bool],
        sentence: int | None,
        subjects: frozenset[int] = frozenset(),
    ) -> ActorMention | None:
        """The most recent compatible mention. Within the pronoun's own sentence the nearest
        wins; in an earlier sentence, the last one that was a grammatical subject, if any."""
        found: list[ActorMention] = []
        for m in reversed(self.items):
            if sentence is not None and _sent(m) < sentence - _WINDOW:
                break
            if found and _sent(m) != _sent(found[0]):
                break
            if ok(m):
                if sentence is None or _sent(m) == sentence:
                    return m
                found.append(m)
        if not found:
            return None
        for m in found:
            if m.start in subjects:
                return m
        return found[0]


def _is_person(m: ActorMention) -> bool:
    return m.name is not None and m.kind in ("person", "pronoun")


def _is_singular_thing(m: ActorMention) -> bool:
    if m.name is not None or m.kind == "place":
        return False
    if m.kind in ("country", "metonym", "org", "ner", "combining_form"):
        return True
    return m.kind in ("agent", "description", "pronoun") and not m.text.endswith("s")


def _is_plural_group(m: ActorMention) -> bool:
    if m.name is not None:
        return False
    if m.kind == "org" or len(m.members) > 1:
        return True
    return m.kind in ("agent", "pronoun") and m.text.lower().endswith("s")


def _copy(
    ante: ActorMention,
    tok_start: int,
    tok_end: int,
    text: str,
    kind: str,
    sentence: int | None,
    **kw: object,
) -> ActorMention:
    base = replace(
        ante,
        text=text,
        start=tok_start,
        end=tok_end,
        kind=kind,
        sentence_index=sentence,
        refers_to=_root(ante),
        confidence=round(ante.confidence * 0.8, 3),
    )
    return replace(base, **kw) if kw else base  # type: ignore[arg-type]


def resolve_references(
    doc: Doc, mentions: list[ActorMention], d: ActorDictionary, text: str | None = None
) -> list[ActorMention]:
    """Mentions for pronouns, definite descriptions and surnames; returns all, sorted."""
    text = doc_text(doc) if text is None else text
    mentions = _surnames(mentions)
    taken = [(m.start, m.end) for m in mentions]
    covered = bytearray(len(text) + 1)
    for s0, e0 in taken:
        covered[s0:e0] = b"\x01" * (e0 - s0)
    agent_only = {m.start: m for m in mentions if m.kind == "agent" and m.country is None}
    hist = _History(mentions)
    out: list[ActorMention] = []
    drop: set[int] = set()
    sent_of: list[int | None] = [None] * len(doc)
    if doc.has_annotation("SENT_START"):
        for k, sent in enumerate(doc.sents):
            for t in range(sent.start, sent.end):
                sent_of[t] = k
    subjects = frozenset(
        m.start
        for m in mentions
        for t in [doc.char_span(m.start, m.end, alignment_mode="expand")]
        if t is not None and any(x.dep_ in ("nsubj", "nsubjpass") for x in t)
    )
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        hist.advance(tok.idx)
        si = sent_of[i]
        inside = bool(covered[tok.idx])
        low = tok.lower_
        new: ActorMention | None = None
        width = 1
        if low in _DETS and i + 1 < n and not inside:
            new, width = _description(doc, i, hist, si, agent_only, drop, taken)
        if new is None and not inside:
            if low in _HE:
                ante = hist.last(_is_person, si, subjects)
                if ante is not None:
                    new = _copy(ante, tok.idx, tok.idx + len(tok), tok.text, "pronoun", si)
            elif low in _IT and not _expletive(tok) and _actor_slot(tok):
                ante = None
                if tok.dep_.startswith("nsubj") and tok.head.lemma_ in _MEMBERSHIP_VERBS:
                    ante = hist.last(lambda m: m.kind == "org", si)  # "it includes ..."
                ante = ante or hist.last(_is_singular_thing, si, subjects)
                if ante is not None:
                    new = _copy(ante, tok.idx, tok.idx + len(tok), tok.text, "pronoun", si)
            elif low in _THEY and not _event_subject(tok):
                ante = hist.last(_is_plural_group, si, subjects)
                if ante is not None:
                    new = _copy(ante, tok.idx, tok.idx + len(tok), tok.text, "pronoun", si)
            elif tok.pos_ == "PROPN" and tok.text[:1].isupper() and len(tok.text) > 2:
                surname = tok.text

                def same_surname(m: ActorMention, w: str = surname) -> bool:
                    return m.kind == "person" and bool(m.name) and m.name.split()[-1] == w  # type: ignore[union-attr]

                ante = hist.last(same_surname, None)
                if ante is not None:
                    new = replace(
                        ante,
                        text=tok.text,
                        start=tok.idx,
                        end=tok.idx + len(tok),
                        sentence_index=si,
                        refers_to=_root(ante),
                        confidence=round(ante.confidence * 0.9, 3),
                    )
        if new is not None:
            out.append(new)
            hist.items.append(new)
            taken.append((new.start, new.end))
            covered[new.start : new.end] = b"\x01" * (new.end - new.start)
        i += width
    result = [m for m in mentions if m.start not in drop] + out
    result.sort(key=lambda m: (m.start, m.end))
    return result


def _surnames(mentions: list[ActorMention]) -> list[ActorMention]:
    """A one-word person mention equal to the surname of an earlier person -> that person."""
    out: list[ActorMention] = []
    people: list[ActorMention] = []
    for m in sorted(mentions, key=lambda x: x.start):
        single = m.name if m.kind == "person" else (m.org if m.kind == "ner" else None)
        if single and " " not in single.strip():
            # "Rudd wrote"; spaCy sometimes tags a lone surname as an ORG
            ante = next(
                (
                    p
                    for p in reversed(people)
                    if p.name and p.name != single and p.name.split()[-1] == single
                ),
                None,
            )
            if ante is not None:
                m = replace(
                    ante,
                    text=m.text,
                    start=m.start,
                    end=m.end,
                    sentence_index=m.sentence_index,
                    refers_to=_root(ante),
                    confidence=round(ante.confidence * 0.9, 3),
                )
        if m.kind == "person" and m.name:
            people.append(m)
        out.append(m)
    return out


def _description(
    doc: Doc,
    i: int,
    hist: _History,
    si: int | None,
    agent_only: dict[int, ActorMention],
    drop: set[int],
    taken: list[tuple[int, int]],
) -> tuple[ActorMention | None, int]:
    det = doc[i]
    j = i + 1
    number = _NUMBERS.get(det.lower_) if det.lower_ == "both" else None
    if j < len(doc) and doc[j].lower_ in _NUMBERS and det.lower_ != "both":
        number = _NUMBERS[doc[j].lower_]
        j += 1
    if j >= len(doc):
        return None, 1
    noun = doc[j]
    nl = noun.lower_
    if j + 1 < len(doc) and doc[j + 1].lower_ == "of":
        return None, 1  # "the countries of Europe", "the State of Israel"
    start, end = det.idx, noun.idx + len(noun)
    if any(s < end and start < e and s not in agent_only for s, e in taken):
        return None, 1
    text = str(doc[i : j + 1])
    ante: ActorMention | None = None
    kw: dict[str, object] = {}
    if det.lower_ in ("his", "her") and (nl in _STATE_NOUNS or nl in _GOV_NOUNS):
        ante = hist.last(_is_person, si)
        if ante is not None:
            kw = {"sector": "GOV" if nl in _GOV_NOUNS else None, "name": None, "role": None}
    elif number and nl in _PLURAL_NOUNS:
        ante, kw = _group(hist, si, number, leaders=nl == "leaders")
    elif det.lower_ in ("the", "this", "that") and nl in _ORG_NOUNS:
        ante = hist.last(lambda m: m.kind == "org" or (m.kind == "description" and bool(m.org)), si)
    elif det.lower_ in ("the", "this", "that") and nl in _STATE_NOUNS:
        ante = hist.last(
            lambda m: m.kind in _STATE_KINDS and m.country not in (None, "IGO") and not m.members,
            si,
        )
        if ante is not None:
            kw = {"sector": None, "org": None}
    if ante is None:
        return None, 1
    # a description replaces a bare agent word inside it ("the two leaders")
    for k in range(i, j + 1):
        if doc[k].idx in agent_only:
            drop.add(doc[k].idx)
    m = _copy(ante, start, end, text, "description", si, **kw)
    return m, j - i + 1


def _group(
    hist: _History, si: int | None, number: int, *, leaders: bool
) -> tuple[ActorMention | None, dict[str, object]]:
    if not leaders:
        org = hist.last(lambda m: m.kind == "org" and len(m.members) == number, si)
        if org is not None:
            return org, {}
    seen: list[ActorMention] = []
    keys: list[str] = []
    for m in reversed(hist.items):
        if si is not None and _sent(m) < si - _WINDOW:
            break
        if leaders:
            if not (_is_person(m) and m.name not in keys):
                continue
            keys.append(m.name or "")
        else:
            # a person in office counts for their country ("the Australian prime minister
            # met the Fijian prime minister ... the two countries": AUS and FJI)
            if not (
                m.kind in _STATE_KINDS | {"agent", "person"}
                and m.country not in (None, "IGO")
                and m.country not in keys
                and not m.members
            ):
                continue
            keys.append(m.country or "")
        seen.append(m)
        if len(seen) == number:
            break
    if len(seen) != number:
        return None, {}
    members = tuple(dict.fromkeys(m.country for m in reversed(seen) if m.country))
    first = seen[-1]
    return first, {
        "members": members,
        "country": None,
        "sector": "GOV" if leaders else None,
        "name": None,
        "role": None,
        "org": None,
    }
