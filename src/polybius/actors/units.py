"""Candidate units: dictionary hits, combining forms and NER entities, before composition.

A *unit* is one word or phrase that names (part of) an actor: a country word, a capital, a
seat of power, an organisation, a named institution, a known person, an agent word
("troops"), "former", or an entity spaCy found that the dictionary does not know. The
composition step (:mod:`polybius.actors.compose`) joins adjacent units into mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from polybius.actors.dictionary import ActorDictionary, Entry, Hit, words
from polybius.actors.roles import in_office
from polybius.nlp import doc_text

__all__ = ["Unit", "collect_units", "combining_units"]

# Hyphenated words whose parts are all capitalised: Sino-Russian, US-China, Franco-German.
_HYPHENATED = re.compile(r"(?<![\w-])[^\W\d_][\w.]*(?:-[^\W\d_][\w.]*)+(?![\w-])")
_PERSON_KINDS = ("person", "ner_person")


@dataclass(slots=True)
class Unit:
    start: int
    end: int
    kind: str  # country capital seat org org_context institution person agent former
    #            combining ner_person ner_org
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    persons: tuple[int, ...] = ()
    ambiguous: bool = False
    text: str = ""
    consumed: bool = field(default=False)

    @property
    def is_person(self) -> bool:
        return self.kind in _PERSON_KINDS


def combining_units(text: str, d: ActorDictionary) -> list[tuple[int, int, list[Unit]]]:
    """Hyphenated compounds of two or more country forms -> one unit per country part.

    "Sino-Russian" -> CHN (Sino) and RUS (Russian); "Indo-Pacific" gives nothing because
    "Pacific" is not a country form. Returns (word start, word end, units).
    """
    out = []
    for m in _HYPHENATED.finditer(text):
        parts = []
        pos = m.start()
        for part in m.group().split("-"):
            parts.append((pos, pos + len(part), part))
            pos += len(part) + 1
        units: list[Unit] = []
        for s, e, part in parts:
            iso = d.combining.get(part.replace(".", "").lower()) or d.combining.get(part.lower())
            if iso is None and part[:1].isupper():
                hits = d.scan(part)
                isos = {en.country for h in hits for en in h.entries if en.kind == "country"}
                if len(hits) == 1 and hits[0].end - hits[0].start == len(part) and len(isos) == 1:
                    iso = isos.pop()
            if iso is None:
                units = []
                break
            units.append(Unit(s, e, "combining", iso, None, text=part))
        if len({u.country for u in units}) >= 2:
            out.append((m.start(), m.end(), units))
    return out


def _choose(
    hit: Hit, d: ActorDictionary, date: str | None, seen_orgs: set[str], text: str
) -> Unit | None:
    entries = [e for e in hit.entries if e.kind != "block"]
    if len(entries) < len(hit.entries):
        return None  # a blocked phrase never resolves
    persons = [e for e in entries if e.kind == "person"]
    others = [e for e in entries if e.kind != "person"]
    span = text[hit.start : hit.end]
    if others:
        # a country/org/agent reading wins over a person with the same name
        order = (
            "org",
            "seat",
            "institution",
            "country",
            "capital",
            "org_context",
            "agent",
            "former",
        )
        e: Entry = min(others, key=lambda x: order.index(x.kind) if x.kind in order else 99)
        if e.kind == "org_context":
            if e.ref not in seen_orgs:
                return None
            return Unit(hit.start, hit.end, "org", e.country, e.sector, e.ref, text=span)
        if e.kind == "org":
            seen_orgs.add(e.ref)
            return Unit(hit.start, hit.end, "org", e.country, e.sector, e.ref, text=span)
        return Unit(
            hit.start, hit.end, e.kind, e.country, e.sector, None, (), e.ambiguous, text=span
        )
    idxs = tuple(dict.fromkeys(e.ref for e in persons))
    if len(idxs) > 1:
        current = tuple(i for i in idxs if in_office(d.persons[i], date))
        idxs = current or idxs
    return Unit(hit.start, hit.end, "person", persons=idxs, text=span)


def collect_units(
    doc: Doc, d: ActorDictionary, date: str | None, text: str | None = None
) -> list[Unit]:
    """All candidate units of ``doc`` in text order (dictionary first, then NER)."""
    text = doc_text(doc) if text is None else text
    units: list[Unit] = []
    comb = combining_units(text, d)
    covered = [(s, e) for s, e, _ in comb]
    for _, _, us in comb:
        units.extend(us)
    seen_orgs: set[str] = set()
    for hit in d.scan(text):
        if any(s <= hit.start < e or s < hit.end <= e for s, e in covered):
            continue
        u = _choose(hit, d, date, seen_orgs, text)
        if u is not None:
            units.append(u)
    units.sort(key=lambda u: u.start)
    _add_entities(doc, text, units)
    units.sort(key=lambda u: (u.start, -u.end))
    return units


#: Entity labels of places: a place is where an event happens, never an actor.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _place_names(doc: Doc) -> frozenset[str]:
    """Lower-cased names the entity recogniser labels a place somewhere in ``doc``, with
    each word of a multi-word place that is itself capitalised ("Eastern Ghouta" gives
    "ghouta" too). One name keeps one sense within an article, so an ORG reading of the same
    name elsewhere ("the attack on Ghouta") is the recogniser's slip, not an organisation."""
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        out.add(ent.text.lower())
        parts = ent.text.split()
        if len(parts) > 1:
            out.update(p.lower() for p in parts[1:] if p[:1].isupper())
    return frozenset(out)


def _add_entities(doc: Doc, text: str, units: list[Unit]) -> None:
    """Add spaCy PERSON/ORG entities the dictionary did not cover; let a PERSON entity
    overrule an ambiguous place word inside it ("Chad Smith", "Georgia Brown")."""
    places = _place_names(doc)
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        if ent.label_ == "ORG" and ent.text.lower() in places:
            continue  # the recogniser called this name a place elsewhere in the article
        s, e = ent.start_char, ent.end_char
        inside = [u for u in units if u.start < e and s < u.end]
        if ent.label_ == "PERSON":
            # a place word inside a person's name ("Chad Smith"), or a known person inside a
            # longer unknown name ("Juan Carlos Jobet" is not King Juan Carlos)
            covered: set[int] = set()
            for u in inside:
                covered.update(range(max(u.start, s), min(u.end, e)))
            extra = any(text[k].isalpha() for k in range(s, e) if k not in covered)
            wrong = [
                u
                for u in inside
                if (u.kind in ("country", "capital") and (u.ambiguous or u.start > s or u.end < e))
                or (u.kind == "person" and extra and text[e - 2 : e] not in ("'s",))
            ]
            for u in wrong:
                units.remove(u)
            inside = [u for u in inside if u not in wrong]
        if any(u.kind not in ("agent", "former") for u in inside):
            continue
        # keep the entity's words after any title/agent words it swallowed
        if inside:
            s = max(u.end for u in inside)
            while s < e and not text[s].isalnum():
                s += 1
        if s >= e:
            continue
        span_text = text[s:e]
        if span_text.endswith(("'s", "\u2019s")):
            e -= 2
            span_text = span_text[:-2]
        if not words(span_text):
            continue
        kind = "ner_person" if ent.label_ == "PERSON" else "ner_org"
        units.append(Unit(s, e, kind, text=span_text))
