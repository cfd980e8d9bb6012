"""Map parse tokens to actor mentions by character offsets, resolving pronouns and groups.

``find_actors`` gives mentions with offsets into the article's full text; extraction works on
tokens. ``MentionIndex`` answers "which actors does this argument token stand for?": the
mention covering the token, else mentions inside its modifiers ("a U.S. court decision"),
else its "of" complement or apposition. Pronouns arrive resolved from ``find_actors``
(``refers_to`` = the antecedent's start offset); when they do not, a small fallback picks the
nearest preceding person (he/she/him/her) or state/organisation (it/they). A plural
description ("the four countries") resolves to the most recent organisation with that many
members, else the most recent distinct countries.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Token

from polybius.records import ActorMention

__all__ = ["MentionIndex", "has_code"]

_PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
_GROUP_PRONOUNS = {"it", "its", "they", "them", "their"}
_GROUP_NOUNS = {"country", "nation", "state", "member", "ally", "partner", "government", "power"}
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "both": 2,
}  # fmt: skip
_ROLE_NOUNS = {
    "president", "minister", "government", "leader", "head", "chief", "members", "member",
    "army", "forces", "troops", "military", "navy", "police", "parliament", "ministry", "people",
    "representative", "envoy", "ambassador", "delegation", "spokesman", "spokeswoman",
    "officials", "official", "authorities", "king", "queen", "prime", "secretary", "chairman",
    "foreign", "defence", "defense", "embassy", "citizens", "residents", "court", "state",
}  # fmt: skip
_LEFT_DEPS = {"compound", "amod", "poss", "nmod", "npadvmod", "nummod", "det", "quantmod"}


def has_code(m: ActorMention) -> bool:
    """Whether a mention identifies an actor (a country, an organisation or a named person)."""
    return bool(m.country or m.org or m.name or m.members)


class MentionIndex:
    """Actor mentions of one document, searchable by token and by position."""

    def __init__(self, mentions: Sequence[ActorMention]) -> None:
        self.mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
        self.starts = [m.start for m in self.mentions]
        self.by_start: dict[int, ActorMention] = {}
        for m in self.mentions:
            self.by_start.setdefault(m.start, m)

    # -- basic lookups -------------------------------------------------------------------
    def covering(self, start: int, end: int) -> list[ActorMention]:
        """Mentions overlapping [start, end), outermost first."""
        i = bisect.bisect_left(self.starts, end)
        out = [m for m in self.mentions[:i] if m.end > start and m.start < end]
        # drop mentions nested inside a longer one that is also returned
        keep: list[ActorMention] = []
        for m in sorted(out, key=lambda m: -(m.end - m.start)):
            if not any(k.start <= m.start and m.end <= k.end for k in keep):
                keep.append(m)
        return sorted(keep, key=lambda m: m.start)

    def resolve(self, m: ActorMention) -> ActorMention:
        """Follow ``refers_to`` for pronouns and descriptions that carry no code of their own."""
        seen = 0
        cur = m
        while not has_code(cur) and cur.refers_to is not None and seen < 4:
            ante = self.by_start.get(cur.refers_to)
            if ante is None:
                break
            cur = replace(
                ante, text=m.text, start=m.start, end=m.end, kind=m.kind, refers_to=ante.start
            )
            seen += 1
        return cur

    def before(self, offset: int, window: int = 1500) -> list[ActorMention]:
        """Mentions that end before ``offset`` (within ``window`` characters), nearest last."""
        i = bisect.bisect_left(self.starts, offset)
        return [m for m in self.mentions[:i] if m.end <= offset and offset - m.end <= window]

    # -- token lookups -------------------------------------------------------------------
    def for_token(self, tok: Token) -> list[ActorMention]:
        """The actors an argument token stands for (conjuncts excluded), resolved."""
        found = self._direct(tok)
        if not found:
            found = self._fallback(tok)
        return [self._placed(self.resolve(m), tok) for m in found]

    def _placed(self, m: ActorMention, tok: Token) -> ActorMention:
        """An agent with a sector but no country ("a court in Guyana", "police in Lagos")
        takes the country of the place named in its own "in"/"of" phrase."""
        if m.country or m.org or m.members or not m.sector:
            return m
        for child in tok.rights:
            if child.dep_ != "prep" or child.lower_ not in {"in", "of", "from"}:
                continue
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                got = self.covering(pobj.idx, pobj.idx + len(pobj.text)) or self._direct_left(pobj)
                countries = [g.country for g in got if g.country and not g.org]
                if countries:
                    return replace(m, country=countries[0])
        return m

    def for_argument(self, tok: Token) -> list[ActorMention]:
        """Actors of an argument with its conjuncts ("Moscow and Beijing") and appositions."""
        out: list[ActorMention] = []
        for t in (tok, *tok.conjuncts, *self._listed(tok)):
            for m in self.for_token(t):
                if not any(m.start == o.start and m.end == o.end for o in out):
                    out.append(m)
        return out

    def _listed(self, tok: Token) -> list[Token]:
        """'The US, Russia, and Switzerland': the parser often makes the rest of a list of
        countries an apposition of its first item; a country apposition to a country and its
        conjuncts are list members."""
        if not any(m.kind == "country" for m in self._direct(tok)):
            return []
        out: list[Token] = []
        for child in tok.children:
            if child.dep_ == "appos" and any(m.kind == "country" for m in self._direct(child)):
                out += [child, *child.conjuncts]
        return out

    def _direct(self, tok: Token) -> list[ActorMention]:
        start, end = tok.idx, tok.idx + len(tok.text)
        cover = self.covering(start, end)
        if cover:
            return cover
        # modifiers to the left: "Russian troops", "a U.S. Supreme Court decision"
        left: list[ActorMention] = []
        for child in tok.lefts:
            if child.dep_ in _LEFT_DEPS:
                got = self.covering(
                    child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
                )  # noqa: E501
                if got:
                    left = got
        if left:
            # "Sino-Russian relations": every part of a combining form counts
            if all(m.kind == "combining_form" for m in left):
                return left
            return left[-1:]
        role_like = tok.pos_ == "PROPN" or tok.lemma_.lower() in _ROLE_NOUNS
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ == "of" and role_like:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        got = self.covering(pobj.idx, pobj.idx + len(pobj.text))
                        if not got:
                            got = self._direct_left(pobj)
                        if got:
                            return got
            if child.dep_ == "appos":
                got = self.covering(
                    child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
                )  # noqa: E501
                if got:
                    return got[:1]
        return []

    def _direct_left(self, tok: Token) -> list[ActorMention]:
        out: list[ActorMention] = []
        for child in tok.lefts:
            if child.dep_ in _LEFT_DEPS:
                out += self.covering(child.idx, child.idx + len(child.text))
        return out[-1:]

    def _fallback(self, tok: Token) -> list[ActorMention]:
        low = tok.lower_
        if tok.pos_ == "PRON" and low in _PERSON_PRONOUNS:
            for m in reversed(self.before(tok.idx)):
                if m.kind == "person" or (m.name and m.kind not in {"country", "metonym"}):
                    return [m]
            return []
        if tok.lemma_.lower() in _GROUP_NOUNS and tok.tag_ in {"NNS", "NNPS"}:
            return self._group(tok)
        return []

    def _group(self, tok: Token) -> list[ActorMention]:
        """'the four countries' -> the last organisation with four members, or four countries."""
        n = None
        for child in tok.children:
            if child.dep_ == "nummod":
                n = _NUMBER_WORDS.get(child.lower_) or (
                    int(child.text) if child.text.isdigit() else None
                )  # noqa: E501
        if n is None:
            return []
        prior = self.before(tok.idx, window=3000)
        for m in reversed(prior):
            if len(m.members) == n:
                return [m]
        countries: list[ActorMention] = []
        codes: list[str] = []
        for m in reversed(prior):
            if m.country and m.country not in codes and m.kind != "person":
                codes.append(m.country)
                countries.append(m)
                if len(codes) == n:
                    return list(reversed(countries))
        return []


def merge_unique(groups: Iterable[Iterable[ActorMention]]) -> list[ActorMention]:
    """Concatenate mention lists, dropping exact repeats."""
    out: list[ActorMention] = []
    for group in groups:
        for m in group:
            if not any(m.start == o.start and m.end == o.end for o in out):
                out.append(m)
    return out


__all__.append("merge_unique")
