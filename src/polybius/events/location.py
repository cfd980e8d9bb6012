"""Where an event happened, as its sentence states it.

``location_of`` is the one entry point: it reads the parse around the event's trigger for a
place tied to the act ("talks in Geneva", "travelled to Nairobi", "seized Sana'a", "the
Afrin offensive", "Ghouta, where ... were killed"). A word counts as a place when spaCy
names it one (GPE, LOC, FAC) or, where spaCy missed it, when it is a proper noun that is no
actor and that the gazetteer (``polybius.places``) knows ("Douma", "Ghouta"). Measured on
real news in docs/accuracy.md ("Dates, places and claimants on real news").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from polybius.events.clauses import Frame
from polybius.events.mentions import MentionIndex
from polybius.places import find_place, resolve_place

__all__ = ["location_of", "place_fields"]

_PLACE_PREPS = {"in", "at", "on", "near", "inside", "outside"}
_PLACE_NOUNS = {"territory", "soil", "ground", "waters", "airspace", "border", "region", "coast"}
#: Acts of movement: where they go to or come from is their place ("travelled to Paris").
_MOTION = {
    "travel", "visit", "trip", "tour", "go", "come", "return", "fly", "arrive", "withdraw",
    "withdrawal", "pull", "expel", "expulsion", "invite", "deploy", "deployment", "send",
    "move", "flee", "enter", "cross", "march", "sail", "evacuate", "repatriate", "deport",
    "extradite", "dispatch", "transfer", "journey", "head", "advance", "push", "drive",
    "take", "bring", "remove", "relocate", "station", "reach", "leave", "clear", "oust",
    "evict",
}  # fmt: skip
#: Physical acts that happen where they strike ("seized Sana'a", "the attack on Douma").
_PHYSICAL = {
    "attack", "seize", "capture", "overrun", "liberate", "bomb", "bombing", "strike", "shell",
    "raid", "occupy", "occupation", "invade", "invasion", "besiege", "siege", "storm",
    "surround", "recapture", "retake", "bombard", "airstrike", "offensive", "assault", "fire",
    "blockade",
}  # fmt: skip
#: Campaigns named after their place ("the Afrin offensive", "the Mosul campaign").
_NAMED_BY_PLACE = _PHYSICAL | {"campaign", "operation", "massacre", "battle", "fighting"}
#: Movements whose object is the place they reach ("entered Syria", "toured Iraq").
_ENTERING = {"enter", "tour", "visit", "cross", "reach", "leave"}
_MOTION_PREPS = {"to", "into", "from", "across", "towards", "toward", "out", "through"}
_DESTINATION_PREPS = {"to", "into", "towards", "toward"}
#: Movements of the source itself (not of what it sends).
_GOING = {
    "travel", "go", "come", "return", "fly", "arrive", "march", "sail", "journey", "head",
    "flee", "move", "advance", "trip", "visit", "tour",
}  # fmt: skip
#: Nouns of a place that a place name may modify ("the Raqqa front line", "the Idlib city").
_PLACE_WORDS = {
    "city", "town", "village", "province", "region", "area", "front", "line", "base",
    "camp", "border", "district", "resort", "port", "suburb", "capital", "airport", "coast",
    "airbase", "airfield", "facility", "site", "outpost", "checkpoint", "crossing", "valley",
    "plateau", "island", "strait", "enclave", "governorate", "neighbourhood", "neighborhood",
}  # fmt: skip
#: Nouns that "of" + a place names ("the city of Raqqa", "the outskirts of Damascus").
_OF_PLACE_WORDS = _PLACE_WORDS | {
    "outskirts", "street", "centre", "center", "heart", "part", "north", "south", "east",
    "west", "northeast", "northwest", "southeast", "southwest", "edge", "area", "stronghold",
}  # fmt: skip


def place_fields(location: str | None) -> dict[str, object]:
    """An event's place fields for ``location``: the words (or country code) and what the
    gazetteer resolves them to (``polybius.places.resolve_place``)."""
    place = resolve_place(location)
    return {
        "location": location,
        "location_country": place.country if place else None,
        "location_lat": place.lat if place else None,
        "location_lon": place.lon if place else None,
    }


def location_of(frame: Frame, index: MentionIndex, used: set[int]) -> str | None:
    """Where the act happened: its own place (`_own_location`); failing that, the place of
    the relative clause it sits in ("Ghouta, where 500 people were killed"); failing that,
    for an act that is the purpose of another ("travelled to Nairobi to meet officials",
    "was in Oslo to discuss the truce"), the place of that other act."""
    place = _own_location(frame, index, used) or _where_place(frame, index)
    if place:
        return place
    head = _purpose_of(frame)
    if head is not None:
        outer = Frame(trigger=head, anchor=head, match=None)  # type: ignore[arg-type]
        return _own_location(outer, index, used) or _where_place(outer, index)
    return None


def _purpose_of(frame: Frame) -> Token | None:
    """The act whose purpose this one is: a "to" infinitive in an adverbial clause with no
    subject of its own ("went to Syria to fight"). A complement ("agreed in Vienna to cut
    output", "urged X to leave") is not a purpose: its act happens elsewhere or later."""
    for v in (frame.anchor, frame.trigger):
        if v.dep_ != "advcl" or v.pos_ != "VERB" or v.head is v:
            continue
        children = list(v.children)
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and not any(
            c.dep_ in {"nsubj", "nsubjpass", "mark"} or c.lower_ == "only" for c in children
        ):  # "liberated Kuwait only to betray the Kurds" tells what followed, not a purpose
            return v.head
    return None


def _where_place(frame: Frame, index: MentionIndex) -> str | None:
    """The place a relative clause of place hangs from ("in Ghouta, where at least 500
    people were killed", "the town in which they arrested twelve activists")."""
    for v in (frame.trigger, frame.anchor):
        for cur in (v, *v.ancestors):
            if cur.dep_ != "relcl":
                continue
            where = any(c.dep_ == "advmod" and c.lower_ == "where" for c in cur.children) or any(
                c.dep_ == "prep"
                and c.lower_ in {"in", "at"}
                and any(o.dep_ == "pobj" and o.lower_ == "which" for o in c.children)
                for c in cur.children
            )
            if where:
                return _place_of(cur.head, index, topic=False)
    return None


def _own_location(frame: Frame, index: MentionIndex, used: set[int]) -> str | None:
    """The place tied to the trigger, its verb, its object or a target by a locative
    preposition ("talks in Geneva", "troops on Chilean territory"); for an act of movement
    also where to or from ("travelled to Paris", "withdrew troops from Syria"); for a
    movement or a physical act, failing any other, the place it reaches or strikes, target
    or not ("entered Syria", "seized Sana'a", "the attack on Douma", "struck Syria's Tiyas
    airbase"); for a campaign or an attack, the place it is named after ("the Afrin
    offensive")."""
    # the act's own object carries its place too ("held a rally in the city centre")
    objects = [
        c for v in {frame.trigger, frame.anchor} for c in v.children if c.dep_ in {"dobj", "obj"}
    ]
    lemmas = {t.lemma_.lower() for t in (frame.trigger, frame.anchor)}
    moving = bool(lemmas & _MOTION)
    physical = bool((lemmas | {o.lemma_.lower() for o in objects}) & _PHYSICAL)
    preps = _PLACE_PREPS | _MOTION_PREPS if moving else _PLACE_PREPS
    heads = (frame.trigger, frame.anchor, *frame.target_tokens, *objects)
    for targets_too in (False, True) if moving or physical else (False,):
        for head in heads:
            for c in head.children:
                if c.dep_ != "prep" or c.lower_ not in preps:
                    continue
                reaches = c.lower_ in _MOTION_PREPS or (physical and c.lower_ in _PLACE_PREPS)
                # where the source itself goes is the place even when it is the target
                # ("travelled to Afghanistan from Syria": Afghanistan; but "sent aid to
                # Chile through Bolivia" keeps the route)
                goes_to = bool(lemmas & _GOING) and c.lower_ in _DESTINATION_PREPS
                for pobj in _objects(c):
                    if pobj.i in used and not ((targets_too or goes_to) and reaches):
                        continue
                    topic = c.lower_ == "on" and not physical  # "talks on Syria"
                    place = _place_of(pobj, index, topic=topic)
                    if place:
                        return place
        if targets_too:
            for obj in objects:
                if lemmas & (_ENTERING | _PHYSICAL) and (
                    obj.lemma_.lower() in _PLACE_WORDS or _place_name(obj, index)
                ):
                    place = _place_of(obj, index, topic=False)
                    if place:
                        return place
    return _named_place(frame, objects, index, used)


def _named_place(
    frame: Frame, objects: list[Token], index: MentionIndex, used: set[int]
) -> str | None:
    """ "The Afrin offensive", "the Mosul campaign": a campaign or an attack (the trigger,
    or the noun that is the act's subject or object) named after a place that is no actor
    of the event."""
    nouns = [t for t in (frame.trigger, frame.anchor) if t.pos_ == "NOUN"]
    for v in {frame.trigger, frame.anchor}:
        nouns += [c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}]
    nouns += objects
    for noun in nouns:
        if noun.lemma_.lower() not in _NAMED_BY_PLACE:
            continue
        for t in noun.lefts:
            if t.dep_ == "compound" and t.i not in used and (name := _place_name(t, index)):
                return name
    return None


def _objects(prep: Token) -> list[Token]:
    """The objects of a preposition, and of one right under it ("out of Syria")."""
    out = [t for t in prep.children if t.dep_ == "pobj"]
    for t in prep.children:
        if t.dep_ == "prep" and t.lower_ in {"of", "from"}:
            out += [o for o in t.children if o.dep_ == "pobj"]
    return out


_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
_NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})


def _place_name(tok: Token, index: MentionIndex) -> str | None:
    """The place name ``tok`` is part of: spaCy's place entity ("Geneva"), or, where spaCy
    gave no place, a proper noun (with the proper nouns compounded before it) that is no
    actor and that the gazetteer knows ("Douma", "Abu Kamal")."""
    if tok.ent_type_ in _PLACE_ENTS:
        ent = _entity(tok)
        return ent.text if ent is not None else tok.text
    if tok.pos_ != "PROPN" or tok.ent_type_ in _NUMERIC_ENTS or index.for_token(tok):
        return None  # not a name; a date or a number; an actor
    ent = _entity(tok) if tok.ent_type_ else None
    start = tok.i
    doc = tok.doc
    while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
        start -= 1
    # the entity ("Abu Kamal"), else the proper nouns compounded before the word, else the
    # word alone (the recogniser's span can be wrong: "Chile near Douma" as one name)
    names = [doc[start : tok.i + 1], doc[tok.i : tok.i + 1]]
    if ent is not None and len(ent) > 1:
        names.insert(0, ent)
    for name in names:
        if find_place(name.text) is not None:
            return name.text
    return None


def _entity(tok: Token) -> Span | None:
    """The entity span ``tok`` is in, found from the IOB tags (``doc.ents`` builds every
    span of the document)."""
    if not tok.ent_type_:
        return None
    doc, start = tok.doc, tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _place_of(pobj: Token, index: MentionIndex, *, topic: bool) -> str | None:
    """The place a prepositional object names: a place entity ("Geneva"), a country's
    territory ("Chilean territory": CHL), or a place named inside the phrase ("the resort
    of Sochi", "the east Raqqa front line"). "on" + a country is a topic or a target ("talks
    on Syria"); a place noun with no country ("the region", "the ground") names nothing."""
    lemma = pobj.lemma_.lower()
    if lemma in _PLACE_NOUNS:
        mentions = index.for_token(pobj)
        if mentions and mentions[0].country:
            return mentions[0].country
        for t in pobj.children:
            if t.dep_ in {"amod", "compound", "poss"}:
                got = index.for_token(t)
                if got and got[0].country:
                    return got[0].country
        return None
    if topic:
        return None
    name = _place_name(pobj, index)
    if name or pobj.pos_ != "NOUN":
        return name
    for t in pobj.children:
        # "the resort of Sochi", "the city of Raqqa": only a noun of place is named by "of"
        # ("the embrace of Iran" is no place)
        if t.dep_ == "prep" and t.lower_ == "of" and lemma in _OF_PLACE_WORDS:
            for o in t.children:
                if o.dep_ == "pobj" and (name := _place_name(o, index)):
                    return name
        # "the embassy in Lima", "the memorial at Geneva": a place named after the noun
        if t.dep_ == "prep" and t.lower_ in {"in", "at", "near"}:
            for o in t.children:
                if o.dep_ == "pobj" and (name := _place_name(o, index)):
                    return name
        # "their last stronghold, Abu Kamal"
        if t.dep_ == "appos" and (name := _place_name(t, index)):
            return name
    if lemma in _PLACE_WORDS:
        # "the east Raqqa front line", "Syria's Tiyas airbase", "Manchester airport"
        for t in pobj.lefts:
            if t.dep_ in {"compound", "poss"} and _place_name(t, index):
                return pobj.doc[t.left_edge.i : pobj.i + 1].text
    return None
