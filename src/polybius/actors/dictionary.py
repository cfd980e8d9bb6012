"""The actor dictionary: loading the shipped data and matching it against raw text, fast.

The data (``polybius/data/actors/actors.json.gz``) is built by
``scripts/build_actor_dictionary.py``; see SOURCES.md beside it. This module turns it into a
word trie, once per process (:func:`load_dictionary` is cached), and scans text with it
without spaCy: :func:`scan_text` gives every longest dictionary match with its entries, and
:func:`actor_spans_in_text` gives just the (start, end) offsets, as a cheap pre-filter that
tells which sentences can hold an actor at all.

Matching works on words (runs of letters/digits; "U.S." is one word). Hyphens and
apostrophes join words inside a phrase ("Moon Jae-in", "Quai d'Orsay"); any other
punctuation or a blank line is a barrier that a phrase cannot cross. Case: a pattern word
written in capitals ("US", "NATO") must be in capitals in the text; a capitalised pattern
word ("China", "Kremlin") must be capitalised; lower-case pattern words (agent words) match
in any case. That keeps "us" from being the United States and "china" from being China.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "Entry",
    "Person",
    "Spell",
    "Org",
    "Hit",
    "ActorDictionary",
    "load_dictionary",
    "scan_text",
    "actor_spans_in_text",
    "words",
]

DATA_FILE = "actors.json.gz"
#: ``ActorDictionary.scan`` remembers the hits of this many recent texts (an article is
#: scanned by the pre-filter, then by ``find_actors``; a pipeline batch is up to 64 or so
#: articles) ...
SCAN_CACHE_TEXTS = 256
#: ... of at least this many characters (short scans are cheap and would evict articles).
SCAN_CACHE_MIN_CHARS = 200

# A word: an abbreviation with dots (U.S., U.N.) or a run of letters/digits.
_WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+")
# Characters allowed between two words of one phrase.
_JOINERS = frozenset(" \t-'\u2019\u2010\u2011\u2013")


def _fold(word: str) -> str:
    """Lowercase and strip accents: 'Élysée' -> 'elysee'."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKD", word)
    return "".join(c for c in word if not unicodedata.combining(c)).lower()


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, folded form)."""
    return [(m.start(), m.end(), _fold(m.group())) for m in _WORD_RE.finditer(text)]


@dataclass(frozen=True, slots=True)
class Spell:
    """One period in one role: country (or IGO), PLOVER sector, role title, dates."""

    country: str
    sector: str | None
    role: str | None
    start: str | None
    end: str | None
    org: str | None = None
    known_until: str | None = None  # open spell from a source that stops at this date


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    spells: tuple[Spell, ...]


@dataclass(frozen=True, slots=True)
class Org:
    code: str
    name: str
    members: tuple[str, ...]
    kind: str
    country: str
    sector: str | None
    parent: str | None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a dictionary phrase stands for.

    ``kind``: country, capital, seat, org, org_context, institution, person, agent, former,
    combining, block. ``ref`` is the person index or org code when there is one.
    """

    kind: str
    country: str | None = None
    sector: str | None = None
    ref: Any = None
    ambiguous: bool = False


@dataclass(slots=True)
class Hit:
    """A longest match of the dictionary in a text."""

    start: int
    end: int
    entries: tuple[Entry, ...]


# Trie nodes are plain dicts (fast to build): word -> child node, and under the key _END a
# dict {pattern surface words: [entries]} for the phrases that end at that node.
_END = "\x00"


def _case_ok(pattern: tuple[str, ...], text_words: list[str]) -> bool:
    for p, t in zip(pattern, text_words, strict=True):
        if len(p) >= 2 and p.isupper():
            if not t.isupper():
                return False
        elif p[:1].isupper() and not t[:1].isupper():
            return False
    return True


class ActorDictionary:
    """The loaded dictionary: countries, orgs, persons, agent words and a word trie."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.countries: dict[str, dict[str, Any]] = data["countries"]
        self.country_names = {iso: c.get("name") or iso for iso, c in self.countries.items()}
        self.orgs: dict[str, Org] = {
            code: Org(
                code,
                o["name"],
                tuple(o["members"]),
                o["kind"],
                o.get("country"),
                o.get("sector"),
                o.get("parent"),
            )
            for code, o in data["orgs"].items()
        }
        self.persons: list[Person] = [
            Person(p["name"], tuple(Spell(*s) for s in p["spells"])) for p in data["persons"]
        ]
        self.agents: dict[str, str] = data["agents"]
        self.titles: frozenset[str] = frozenset(t.lower() for t in data["titles"])
        self.former_words: frozenset[str] = frozenset(w.lower() for w in data["former_words"])
        self.ambiguous: frozenset[str] = frozenset(data["ambiguous"])
        # combining forms: folded word -> ISO
        self.combining: dict[str, str] = {}
        for iso, c in self.countries.items():
            for form in c.get("combining", []):
                self.combining.setdefault(_fold(form).replace(" ", ""), iso)
        self._root: dict[str, Any] = {}
        self._scans: OrderedDict[str, tuple[Hit, ...]] = OrderedDict()
        self._scans_lock = threading.Lock()
        self._build()

    # -------------------------------------------------------------- building
    def _add(self, phrase: str, entry: Entry) -> None:
        ws = _WORD_RE.findall(phrase)
        if not ws:
            return
        node = self._root
        for w in ws:
            key = w.lower() if w.isascii() else _fold(w)
            nxt = node.get(key)
            if nxt is None:
                nxt = node[key] = {}
            node = nxt
        ends = node.get(_END)
        if ends is None:
            ends = node[_END] = {}
        entries = ends.setdefault(tuple(ws), [])
        if entry not in entries:
            entries.append(entry)

    def _build(self) -> None:
        amb = self.ambiguous
        for phrase in self.data["block"]:
            self._add(phrase, Entry("block"))
        for iso, c in self.countries.items():
            for n in [*c.get("names", []), *c.get("adjectives", [])]:
                self._add(n, Entry("country", iso, None, None, n in amb))
            for n in c.get("capitals", []):
                self._add(n, Entry("capital", iso, "GOV", None, n in amb))
            for n, sector in c.get("seats", {}).items():
                self._add(n, Entry("seat", iso, sector))
        for code, o in self.data["orgs"].items():
            org = self.orgs[code]
            for n in [*o["names"], *o["aliases"]]:
                self._add(n, Entry("org", org.country, org.sector, code))
            for n in o.get("context_aliases", []):
                self._add(n, Entry("org_context", org.country, org.sector, code))
        for name, country, sector in self.data["institutions"]:
            self._add(name, Entry("institution", country, sector))
        for i, p in enumerate(self.data["persons"]):
            for n in [p["name"], *p["aliases"]]:
                self._add(n, Entry("person", None, None, i))
        for phrase, sector in self.agents.items():
            self._add(phrase, Entry("agent", None, sector))
        for w in self.former_words:
            self._add(w, Entry("former"))

    # -------------------------------------------------------------- scanning
    def scan(self, text: str) -> list[Hit]:
        """Every longest, non-overlapping dictionary match in ``text`` (left to right).

        The hits of the latest long texts are remembered: the pre-filter scans an article's
        raw text and ``find_actors`` scans the same text again after parsing (fresh Hit
        objects are returned each time, so callers may keep or change them)."""
        if len(text) < SCAN_CACHE_MIN_CHARS:
            return self._scan(text)
        with self._scans_lock:
            got = self._scans.get(text)
            if got is not None:
                self._scans.move_to_end(text)
        if got is None:
            got = tuple(self._scan(text))
            with self._scans_lock:
                self._scans[text] = got
                while len(self._scans) > SCAN_CACHE_TEXTS:
                    self._scans.popitem(last=False)
        return [Hit(h.start, h.end, h.entries) for h in got]

    def _scan(self, text: str) -> list[Hit]:
        ws = words(text)
        n = len(ws)
        hits: list[Hit] = []
        root = self._root
        i = 0
        while i < n:
            node = root.get(ws[i][2])
            if node is None:
                i += 1
                continue
            best: tuple[int, list[Entry]] | None = None
            j = i
            while True:
                ends = node.get(_END)
                if ends:
                    tw = [text[s:e] for s, e, _ in ws[i : j + 1]]
                    found: list[Entry] = []
                    for pattern, entries in ends.items():
                        if _case_ok(pattern, tw):
                            found.extend(entries)
                    if found:
                        best = (j, found)
                if j + 1 >= n:
                    break
                gap = text[ws[j][1] : ws[j + 1][0]]
                if len(gap) > 3 or any(c not in _JOINERS for c in gap):
                    break
                nxt = node.get(ws[j + 1][2])
                if nxt is None:
                    break
                node, j = nxt, j + 1
            if best is None:
                i += 1
                continue
            j, found = best
            hits.append(Hit(ws[i][0], ws[j][1], tuple(dict.fromkeys(found))))
            i = j + 1
        return hits


@cache
def load_dictionary() -> ActorDictionary:
    """The shipped actor dictionary, loaded and indexed once per process."""
    path = resources.files("polybius") / "data" / "actors" / DATA_FILE
    with path.open("rb") as fh, gzip.open(fh, "rt", encoding="utf-8") as gz:
        data = json.load(gz)
    return ActorDictionary(data)


def scan_text(text: str) -> list[Hit]:
    """Dictionary matches in raw text (no spaCy), with what each match stands for."""
    return load_dictionary().scan(text)


def actor_spans_in_text(text: str) -> list[tuple[int, int]]:
    """Cheap pre-filter: (start, end) of every span of ``text`` that may name an actor.

    Runs the dictionary trie over the raw text only (no tokenizer, tagger or parser), so a
    caller can skip parsing sentences that name no actor. Agent words (troops, officials)
    are included; blocked phrases and bare "former" are not.
    """
    return [
        (h.start, h.end)
        for h in load_dictionary().scan(text)
        if any(e.kind not in ("block", "former") for e in h.entries)
    ]
