"""Compose units into actor mentions: compounds, titles, appositions, places.

Rules (each has a unit test in tests/actors/):
  * compounds: adjacent units in the order [former] [country|org|seat] [agent...] [person]
    make one mention: "Russian troops" -> RUS MIL; "Chinese President Xi Jinping" -> CHN GOV,
    name Xi Jinping, role President; "former President X" -> sector ELI. Also
    "China's foreign ministry" (possessive) and "the President of Russia" ("of").
  * a known person's country and sector come from the dictionary on the article's date,
    whatever the descriptor says ("Asian President Moon Jae-in" -> KOR GOV);
  * an unknown person takes country and sector from the descriptor or an apposition
    ("Jane Roe, a Kenyan economist at the Acme Institute" -> KEN, EDU, org Acme Institute);
    a title tied to a non-state organisation ("president of the X Society") is not GOV;
  * a seat of power keeps its own sector before a generic official word
    ("Pentagon officials" -> USA MIL);
  * a country or capital right after a locative preposition ("in Moscow", "at Beijing")
    is a place, not an actor: kind "place", no sector; a capital otherwise stands for its
    government (kind "metonym", sector GOV).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from polybius.actors.dictionary import ActorDictionary
from polybius.actors.roles import role_on_date
from polybius.actors.units import Unit
from polybius.nlp import doc_text
from polybius.records import ActorMention

__all__ = ["compose", "LOCATIVE"]

LOCATIVE = frozenset(
    "in at near outside inside around across throughout within into via from to toward "
    "towards".split()
)
# "to"/"from" mark places only after verbs of motion
_MOTION = frozenset(
    "travel travelled traveled fly flew flown arrive arrived return returned go went "
    "gone come came move moved relocate relocated head headed flee fled".split()
)
_RANK = {
    "former": 0,
    "country": 1,
    "capital": 1,
    "seat": 1,
    "org": 1,
    "institution": 1,
    "combining": 1,
    "ner_org": 1,
    "agent": 2,
    "person": 3,
    "ner_person": 3,
}
_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?")
# up to two lower-case words between a country word and an agent word
_ADJ_GAP = re.compile(
    r"\s+(?!(?:and|or|of|the|to|in|on|for|with|by|at|as|is|are|was|were|has|"
    r"have|had|will|would|said|says)\s)[a-z][a-z-]+(?:\s+(?!(?:and|or|of|"
    r"the)\s)[a-z][a-z-]+)?\s+"
)
_POSS_RE = re.compile(r"^['\u2019]s\s+$")
_CIVIL = frozenset({"CVL", "LAB", "EDU", "AGR", "REF", "BUS", "JRN", "MED", "REL", "SOC"})
_STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
# "<role word> of|at|for (the) <organisation>" inside an apposition
_AFFIL_RE = re.compile(r"([A-Za-z][\w-]*)\s+(of|at|for|with)\s+(?:the\s+)?$")
_APPOS_STOP = frozenset({",", ";", ".", "(", ")", "\u2014", "--", ":", "\u201c", "\u201d", '"'})


@dataclass(slots=True)
class Chain:
    units: list[Unit]

    @property
    def start(self) -> int:
        return self.units[0].start

    @property
    def end(self) -> int:
        return self.units[-1].end


def _link(text: str, a: Unit, b: Unit, modifiers_only: Callable[[int, int], bool]) -> bool:
    """May unit ``b`` extend a chain that ends with unit ``a``?"""
    gap = text[a.end : b.start]
    ra, rb = _RANK.get(a.kind, 9), _RANK.get(b.kind, 9)
    if a.kind == "former" and gap in ("-", " ", "- "):
        return rb >= 1
    if gap.strip() == "" and "\n" not in gap and len(gap) <= 2:
        if a.kind == "combining" or b.kind == "combining":
            return False
        if ra == 1 and rb == 1:
            return False
        return rb >= ra and not (ra == 3)
    if ra == 1 and rb == 2 and _POSS_RE.match(gap):
        return True  # China's foreign ministry
    if ra == 1 and rb == 2 and a.kind != "ner_org" and _ADJ_GAP.fullmatch(gap):
        return modifiers_only(a.end, b.start)  # Ukrainian agricultural workers
    if ra == 2 and b.kind == "country":
        if re.fullmatch(r"\s+from\s+(?:the\s+)?", gap):
            return True  # students from Chile
        if a.sector in _CIVIL and re.fullmatch(r"\s+in\s+(?:the\s+)?", gap):
            return True  # trade unions in Denmark (civilians in a country are its own)
    if ra == 2 and rb == 1 and _OF_RE.fullmatch(gap):
        return b.kind != "ner_org"  # the President of Russia (but not "of the X Society")
    return False


def _chains(text: str, units: list[Unit], doc: Doc, sents: _Sentences) -> list[Chain]:
    has_pos = doc.has_annotation("POS") or doc.has_annotation("TAG")

    def modifiers_only(start: int, end: int) -> bool:
        """Are all words between two units adjectives or nouns (not verbs)?"""
        if not has_pos:
            return False
        toks = range(sents.token_at(start) + 1, sents.token_at(end))
        return all(doc[k].pos_ in ("ADJ", "NOUN") or doc[k].is_space for k in toks)

    chains: list[Chain] = []
    for u in units:
        if u.consumed:
            continue
        if (
            u.kind == "seat"
            and chains
            and chains[-1].units[-1].kind == "country"
            and text[chains[-1].units[-1].end : u.start] in (" ", "'s ", "\u2019s ")
        ):
            # "Chile's Defense Department": a seat name after another country is generic
            u.kind, u.country = "agent", None
        if chains and _link(text, chains[-1].units[-1], u, modifiers_only) and _fits(chains[-1], u):
            chains[-1].units.append(u)
        else:
            chains.append(Chain([u]))
    return chains


def _fits(chain: Chain, u: Unit) -> bool:
    kinds = [x.kind for x in chain.units]
    if u.is_person and any(x.is_person for x in chain.units):
        return False
    if _RANK.get(u.kind) == 1 and any(_RANK.get(k) == 1 for k in kinds):
        # second modifier only through "of" (President of Russia) when none yet follows
        return False
    return True


class _Sentences:
    def __init__(self, doc: Doc) -> None:
        self.starts: list[int] = doc.to_array("IDX").tolist()  # no Token objects
        self.doc = doc
        self.sent_of_token: list[int] | None = None
        self.sent_end: list[int] = [len(doc)] * len(doc)
        if doc.has_annotation("SENT_START"):
            self.sent_of_token = [0] * len(doc)
            for i, sent in enumerate(doc.sents):
                for t in range(sent.start, sent.end):
                    self.sent_of_token[t] = i
                    self.sent_end[t] = sent.end

    def token_at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def sentence(self, char: int) -> int | None:
        if self.sent_of_token is None or not self.starts:
            return None
        return self.sent_of_token[self.token_at(char)]


def _is_place(doc: Doc, sents: _Sentences, start: int, end: int) -> bool:
    i = sents.token_at(start)
    last = doc[sents.token_at(end - 1)]
    if i == 0 or last.pos_ == "ADJ" or last.dep_ in ("amod", "compound", "poss"):
        return False
    prev = doc[i - 1]
    word = prev.lower_
    if word not in LOCATIVE:
        return False
    if word in ("to", "from", "toward", "towards"):
        return i >= 2 and doc[i - 2].lemma_.lower() in _MOTION | {w for w in _MOTION}
    return True


def _person_mention(
    chain: Chain, text: str, d: ActorDictionary, date: str | None, sentence: int | None
) -> ActorMention:
    units = chain.units
    p = units[-1]
    former = any(u.kind == "former" or (u.kind == "agent" and u.sector == "ELI") for u in units)
    mods = [u for u in units if _RANK.get(u.kind) == 1]
    agents = [u for u in units if u.kind == "agent"]
    title = " ".join(u.text for u in agents) or None
    mod = mods[0] if mods else None
    span = text[chain.start : chain.end]
    if p.kind == "person" and p.persons:
        idx = p.persons[0]
        if len(p.persons) > 1 and mod is not None:
            same = [
                i for i in p.persons if any(s.country == mod.country for s in d.persons[i].spells)
            ]
            idx = same[0] if same else idx
        person = d.persons[idx]
        r = role_on_date(person, date)
        sector, role = r.sector, (title or r.role)
        if former:
            sector = "ELI"
            role = (
                title
                if title and title.split()[0].lower() in d.former_words
                else (f"former {title or r.role or 'official'}")
            )
        return ActorMention(
            span,
            chain.start,
            chain.end,
            r.country,
            sector,
            r.org,
            person.name,
            role,
            "person",
            (),
            sentence,
            None,
            r.confidence,
        )
    sector = agents[-1].sector if agents else None
    if former:
        sector = "ELI"
        title = f"former {title}" if title else "former official"
    country = mod.country if mod is not None and mod.kind != "org" else None
    org = mod.org if mod is not None and mod.kind == "org" else None
    if org and country is None:
        country = d.orgs[org].country if org in d.orgs else "IGO"
    return ActorMention(
        span,
        chain.start,
        chain.end,
        country,
        sector,
        org,
        p.text,
        title,
        "person",
        (),
        sentence,
        None,
        0.6,
    )


def _group_mention(
    chain: Chain, text: str, d: ActorDictionary, doc: Doc, sents: _Sentences, sentence: int | None
) -> ActorMention | None:
    units = chain.units
    former = any(u.kind == "former" for u in units)
    mods = [u for u in units if _RANK.get(u.kind) == 1]
    agents = [u for u in units if u.kind == "agent"]
    span = text[chain.start : chain.end]
    mod = mods[0] if mods else None
    if agents and _modifier_only(doc, sents, chain):
        agents = []
        units = [u for u in units if u.kind != "agent"]
        mods = [u for u in units if _RANK.get(u.kind) == 1]
        mod = mods[0] if mods else None
        former = False
        if mod is None:
            return None
        span = text[mod.start : mod.end]
    if agents:
        sector = agents[-1].sector
        if mod is not None and mod.sector and mod.sector != "GOV" and sector == "GOV":
            sector = mod.sector  # Pentagon officials -> MIL
        if former:
            sector = "ELI"
        country = mod.country if mod is not None else None
        org = mod.org if mod is not None and mod.kind == "org" else None
        members = tuple(d.orgs[org].members) if org in d.orgs else ()
        conf = 0.9 if mod is not None else 0.7
        return ActorMention(
            span,
            chain.start,
            chain.end,
            country,
            sector,
            org,
            None,
            None,
            "agent",
            members,
            sentence,
            None,
            conf,
        )
    if mod is None:
        return None  # a lone "former"
    u = mod
    if u.kind == "org":
        o = d.orgs.get(u.org or "")
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            u.sector,
            u.org,
            None,
            None,
            "org",
            tuple(o.members) if o else (),
            sentence,
            None,
            0.95,
        )
    if u.kind == "ner_org":
        name = re.sub(r"^(?:the|The)\s+", "", u.text)
        return ActorMention(
            span, u.start, u.end, None, None, name, None, None, "ner", (), sentence, None, 0.5
        )
    if u.kind == "combining":
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            None,
            None,
            None,
            None,
            "combining_form",
            (),
            sentence,
            None,
            0.9,
        )
    conf = 0.7 if u.ambiguous else 0.95
    if u.kind in ("country", "capital") and _is_place(doc, sents, u.start, u.end):
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            None,
            None,
            None,
            None,
            "place",
            (),
            sentence,
            None,
            conf,
        )
    if u.kind == "country":
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            None,
            None,
            None,
            None,
            "country",
            (),
            sentence,
            None,
            conf,
        )
    if u.kind in ("capital", "seat"):
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            u.sector,
            None,
            None,
            None,
            "metonym",
            (),
            sentence,
            None,
            0.8 if u.kind == "capital" else 0.9,
        )
    if u.kind == "institution":
        return ActorMention(
            span,
            u.start,
            u.end,
            u.country,
            u.sector,
            None,
            None,
            None,
            "agent",
            (),
            sentence,
            None,
            0.9,
        )
    return None


def _modifier_only(doc: Doc, sents: _Sentences, chain: Chain) -> bool:
    """True when the chain's agent word only modifies a following noun that is not an
    actor ("military cooperation", "police station"): no agent mention then."""
    tok = doc[sents.token_at(chain.end - 1)]
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head  # "strategic and military cooperation"
    if tok.dep_ not in ("amod", "compound") or tok.head.i <= tok.i:
        return False
    return tok.head.idx >= chain.end


def _apposition(
    doc: Doc, text: str, sents: _Sentences, units: list[Unit], m: ActorMention, d: ActorDictionary
) -> tuple[ActorMention, list[Unit]]:
    """Enrich a person mention from a following apposition (", an X expert and president
    of the Y Society"). Returns the new mention and the agent units it consumed."""
    i = sents.token_at(m.end - 1) + 1
    if i >= len(doc) or doc[i].text != ",":
        return m, []
    j = i + 1
    limit = min(len(doc), j + 25)
    sent_end = sents.sent_end[i]
    while j < min(limit, sent_end) and doc[j].text not in _APPOS_STOP:
        j += 1
    if j == i + 1 or any(doc[k].pos_ in ("VERB", "AUX") for k in range(i + 1, j)):
        return m, []  # an apposition is a noun phrase: ", said ..." is not one
    a_start, a_end = doc[i + 1].idx, doc[j - 1].idx + len(doc[j - 1])
    inside = [u for u in units if a_start <= u.start and u.end <= a_end]
    countries = [u for u in inside if u.kind == "country" and u.country]
    agents = [u for u in inside if u.kind == "agent"]
    orgs = [u for u in inside if u.kind in ("org", "ner_org")]
    if not agents and not countries:
        return m, []
    affiliation: str | None = None
    role: str | None = None
    state_sector: str | None = None
    tied: set[int] = set()
    for org_u in orgs:
        mo = _AFFIL_RE.search(text[a_start : org_u.start])
        if mo is None:
            continue
        bare = re.sub(r"^(?:the|The)\s+", "", org_u.text)
        affiliation = affiliation or (org_u.org if org_u.kind == "org" else bare)
        role = role or f"{mo.group(1)} {mo.group(2)} {bare}"
        word_start = a_start + mo.start(1)
        for a in agents:
            if a.start <= word_start < a.end or a.end == word_start + len(mo.group(1)):
                tied.add(id(a))
                if org_u.kind == "org" and a.sector in _STATE_SECTORS:
                    state_sector = state_sector or a.sector
    free = [a for a in agents if id(a) not in tied]
    sector = state_sector or (free[0].sector if free else None)
    if role is None and agents:
        role = agents[0].text
    if m.name and m.kind == "person" and m.confidence >= 0.8:  # a known person
        new_role = m.role
        if m.sector in (None, "ELI") and role:
            new_role = role
        m2 = _replace(m, org=m.org or affiliation, role=new_role)
    else:
        country = m.country or (countries[0].country if countries else None)
        m2 = _replace(
            m,
            country=country,
            sector=m.sector or sector,
            org=m.org or affiliation,
            role=m.role or role,
        )
    return m2, agents


def _replace(m: ActorMention, **kw: object) -> ActorMention:
    data = m.to_dict()
    data.update(kw)
    return ActorMention.from_dict(data)


def compose(
    doc: Doc, units: list[Unit], d: ActorDictionary, date: str | None, text: str | None = None
) -> list[ActorMention]:
    """Turn the units of ``doc`` into mentions (no pronouns yet), in text order."""
    text = doc_text(doc) if text is None else text
    sents = _Sentences(doc)
    mentions: list[ActorMention] = []
    chains = _chains(text, units, doc, sents)
    person_chains: list[tuple[int, Chain]] = []
    for chain in chains:
        sentence = sents.sentence(chain.start)
        if chain.units[-1].is_person:
            mentions.append(_person_mention(chain, text, d, date, sentence))
            person_chains.append((len(mentions) - 1, chain))
        else:
            m = _group_mention(chain, text, d, doc, sents, sentence)
            if m is not None:
                mentions.append(m)
    consumed: set[int] = set()
    for idx, _chain in person_chains:
        m2, used = _apposition(doc, text, sents, units, mentions[idx], d)
        mentions[idx] = m2
        consumed.update(u.start for u in used)
    if consumed:
        mentions = [
            m
            for m in mentions
            if not (m.kind == "agent" and any(m.start <= c < m.end for c in consumed))
        ]
    return mentions
