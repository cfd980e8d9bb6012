"""The place gazetteer: is a name a place, and where is it?

spaCy's small model misses many place names in news ("Douma" comes out as a person,
"Ghouta" as an organisation), and a place needs a country and coordinates to be mapped or
exported in GDELT's ActionGeo fields. ``find_place`` answers both offline from
``data/places/places.tsv.gz`` (GeoNames cities of 15,000 people or more, and the place names
of PETRARCH's country dictionary; built by ``scripts/build_places.py``, sources in
``data/places/SOURCES.md``). The file is read once, on first use.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Place", "country_place", "find_place", "place_key", "resolve_place"]

_PUNCT = re.compile(r"['’‘`ʼ.]")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_POSSESSIVE = re.compile(r"['’]s$")
_CODE = re.compile(r"[A-Z]{3}")
_SPACE = re.compile(r"[\s\-–]+")


@dataclass(frozen=True, slots=True)
class Place:
    """A place the gazetteer knows: its usual name, ISO 3166 alpha-3 country, and
    coordinates and GeoNames id where it is a GeoNames city (``None`` otherwise)."""

    name: str
    country: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


def place_key(text: str) -> str:
    """The form names are looked up by: no accents, lower case, no apostrophes or full
    stops, hyphens as spaces, no leading "the" ("Sana'a" and "Sanaa", "Deir ez-Zor" and
    "Deir Ez Zor" meet)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACE.sub(" ", _PUNCT.sub("", text.lower())).strip()
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Key -> the rest of its row, unparsed: reading the file this way takes a third of the
    time of building every ``Place`` (0.07 s against 0.28 s), which each coding process pays
    once."""
    path = resources.files("polybius") / "data" / "places" / "places.tsv.gz"
    with gzip.open(str(path), "rb") as f:
        text = f.read().decode("utf-8")
    out: dict[str, str] = {}
    for line in text.split("\n")[1:]:  # after the header
        key, _, rest = line.partition("\t")
        if rest:
            out[key] = rest
    return out


@lru_cache(maxsize=4096)
def _place(key: str) -> Place | None:
    row = _table().get(key)
    if row is None:
        return None
    name, country, lat, lon, _pop, gid = row.split("\t")
    return Place(
        name=name,
        country=country,
        lat=float(lat) if lat else None,
        lon=float(lon) if lon else None,
        geonameid=int(gid) if gid else None,
    )


def find_place(text: str) -> Place | None:
    """The place ``text`` names ("Douma" -> Dūmā, SYR, 33.57, 36.40), or ``None``."""
    key = place_key(text)
    if len(key) < 3 and not (len(key) == 2 and text.strip().split()[-1].isupper()):
        return None  # too short to be a name, but for a country's capitals ("the UK")
    return _place(key)


def country_place(code: str) -> Place | None:
    """The country with ISO alpha-3 ``code`` as a place (its representative point)."""
    return _place("#" + code.lower()) if _CODE.fullmatch(code) else None


def resolve_place(text: str | None) -> Place | None:
    """The place an event's ``location`` names, as exactly as the gazetteer allows.

    A country code ("CHL", from "Chilean territory") is that country; a name the gazetteer
    knows is that place; a longer phrase ("Syria's Shayrat airbase", "the east Raqqa front
    line", "Washington, Brussels and London") is the most specific place named in it: the
    longest run of words that is a city, else the first country, reading left to right."""
    if not text:
        return None
    if _CODE.fullmatch(text):
        return country_place(text)
    whole = find_place(text)
    if whole is not None:
        return whole
    words = [_POSSESSIVE.sub("", w) for w in _WORD.findall(text)]
    best: Place | None = None
    for size in range(min(4, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = find_place(" ".join(words[start : start + size]))
            if found is None:
                continue
            if found.geonameid is not None:
                return found  # a city: as specific as the gazetteer gets
            best = best or found
    return best
