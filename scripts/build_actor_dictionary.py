#!/usr/bin/env python3
"""Build polybius's actor dictionary (src/polybius/data/actors/actors.json.gz).

Reads the reference data in ../shared/data (see src/polybius/data/actors/SOURCES.md for every
source and its licence) plus the hand-curated src/polybius/data/actors/curated.toml, and
writes one compact, deterministic gzip'd JSON file:

    countries      ISO alpha-3 -> names, adjectives/demonyms, combining forms, capitals, seats
    orgs           organisation code -> names, aliases, context-only aliases, members
    institutions   named national bodies -> (country, sector)
    persons        people with dated spells of office (country, sector, role, start, end)
    agents         agent words -> PLOVER sector
    titles, former_words, block, ambiguous   rule vocabularies from curated.toml

Usage:  python scripts/build_actor_dictionary.py [--shared ../shared/data] [--out PATH]
It exits with a message (status 2) when the shared data are absent. Running it twice on the
same inputs gives byte-identical output.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import gzip
import json
import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "src" / "polybius" / "data" / "actors"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"

# CAMEO agent/sector codes -> PLOVER sectors. CAMEO "MED" is media (PLOVER JRN) and CAMEO
# "HLH" is health (PLOVER MED); religions map to REL; NGO-like codes to SOC.
CAMEO_TO_PLOVER = {
    "GOV": "GOV",
    "MIL": "MIL",
    "COP": "COP",
    "JUD": "JUD",
    "LEG": "LEG",
    "REB": "REB",
    "INS": "REB",
    "SEP": "REB",
    "RAD": "REB",
    "UAF": "UAF",
    "SPY": "SPY",
    "OPP": "OPP",
    "PTY": "PTY",
    "CRM": "CRM",
    "CVL": "CVL",
    "BUS": "BUS",
    "EDU": "EDU",
    "LAB": "LAB",
    "AGR": "AGR",
    "ELI": "ELI",
    "REF": "REF",
    "MED": "JRN",
    "HLH": "MED",
    "HRI": "SOC",
    "NGO": "SOC",
    "DEV": "SOC",
    "ENV": "SOC",
    "PPL": "CVL",
    "IMG": "REF",
    "MNC": "BUS",
    "PRM": "PRM",
}
RELIGION_CODES = {
    "REL",
    "MUS",
    "CHR",
    "JEW",
    "BUD",
    "HIN",
    "CTH",
    "PRO",
    "SHI",
    "SUN",
    "MOS",
    "SIK",
    "ATH",
    "JAN",
    "BAH",
    "ZRO",
    "CON",
    "DOX",
    "MAR",
    "CPT",
}

_CODE_RE = re.compile(r"\[\s*([A-Z~\-]*)\s*(?:([<>])?\s*(\d{6,8}))?\s*(?:-\s*(\d{6,8}))?\s*\]")


# ----------------------------------------------------------------------------- helpers
def fold(text: str) -> str:
    """ASCII-fold, lowercase and squeeze a name into a merge key."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[.\u2019']", "", text.lower())
    text = re.sub(r"[-_/,]+", " ", text)
    return " ".join(text.split())


def tabari_name(raw: str) -> str:
    """'VLADIMIR_V._PUTIN_' -> 'Vladimir V. Putin' (TABARI/Phoenix names to text)."""
    raw = re.sub(r"\(.*?\)", " ", raw)
    words = [w for w in raw.replace("_", " ").split() if w]
    out = []
    for w in words:
        out.append(
            w
            if len(w) <= 3
            and w.isupper()
            and "." not in w
            and w.isalpha()
            and w in {"UN", "US", "EU", "AU", "UK"}
            else w.capitalize()
            if "-" not in w
            else "-".join(p.capitalize() for p in w.split("-"))
        )
    return " ".join(out).strip()


def tabari_date(value: str | None) -> str | None:
    """TABARI date (YYMMDD or YYYYMMDD) -> ISO date, day clamped to the month; else None."""
    if not value:
        return None
    if len(value) == 6:
        yy = int(value[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(value[2:4]), int(value[4:6])
    elif len(value) == 8:
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    else:
        return None
    if not (1 <= month <= 12) or year < 1800:
        return None
    day = max(1, min(day, calendar.monthrange(year, month)[1]))
    return f"{year:04d}-{month:02d}-{day:02d}"


def sector_of(code: str) -> str | None:
    """The PLOVER sector of a CAMEO sector string (after the country part), e.g. GOVMIL."""
    chunks = [code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    religious = False
    for ch in chunks:
        if ch in RELIGION_CODES:
            religious = True
            continue
        if ch in CAMEO_TO_PLOVER:
            return CAMEO_TO_PLOVER[ch]
    return "REL" if religious else None


def parse_codes(text: str, countries: set[str]) -> list[dict[str, Any]]:
    """Every [CODE dates] in ``text`` as {country, sector, org_code, start, end, open}."""
    out = []
    for code, op, d1, d2 in _CODE_RE.findall(text):
        code = code.replace("~", "")
        if not code or code.startswith("-"):
            continue
        start = end = None
        is_open = False
        if op == ">":
            start, is_open = tabari_date(d1), True
        elif op == "<":
            end = tabari_date(d1)
        elif d1:
            start, end = tabari_date(d1), tabari_date(d2)
        if code[:3] in countries:
            country, rest, igo = code[:3], code[3:], None
        elif code.startswith("IGO"):
            country, rest, igo = "IGO", code[3:], code
        elif code == "ELI":
            country, rest, igo = None, "ELI", None
        else:
            continue
        out.append(
            {
                "country": country,
                "sector": sector_of(rest) if rest else None,
                "igo": igo,
                "start": start,
                "end": end,
                "open": is_open,
                "dated": bool(d1),
            }
        )
    return out


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


# ----------------------------------------------------------------------------- sources
def parse_countryinfo(path: Path) -> list[dict[str, Any]]:
    """CountryInfo.txt blocks: codes, nationality words, capitals, leaders, government."""
    text = read_text(path)
    blocks = []
    for body in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):

        def tag(name: str, body: str = body) -> str:
            m = re.search(rf"<{re.escape(name)}>(.*?)</{re.escape(name)}>", body, flags=re.S)
            return m.group(1) if m else ""

        iso3 = tag("ISO3166-alpha3").strip()
        if not re.fullmatch(r"[A-Z]{3}", iso3):
            continue

        def items(section: str) -> list[str]:
            vals = []
            for line in section.splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    vals.append(line)
            return vals

        leaders = []
        lead = tag("Leaders")
        role = None
        for line in lead.splitlines():
            s = line.strip()
            m = re.fullmatch(r"</?([^>]+)>", s)
            if m:
                role = None if s.startswith("</") else m.group(1)
                continue
            if not s or s.startswith("#") or role is None:
                continue
            name = re.split(r"\s|\[", s, maxsplit=1)[0]
            for d1, d2, op in _leader_dates(s):
                leaders.append((name, role, d1, d2, op))
        gov = []
        for line in tag("Government").splitlines():
            s = line.strip()
            if not s or s.startswith("#") or s.startswith("<"):
                continue
            name, _, rest = s.partition("[")
            comment = rest.split("#", 1)[1].strip() if "#" in rest else ""
            gov.append((name.strip(), "[" + rest.split("#", 1)[0], comment))
        blocks.append(
            {
                "iso3": iso3,
                "fips": tag("FIPS-10").strip(),
                "cow": tag("COW-Numeric").strip(),
                "name": tabari_name(tag("CountryName").strip()),
                "nationality": items(tag("Nationality")),
                "capital": items(tag("Capital")),
                "leaders": leaders,
                "government": gov,
            }
        )
    return blocks


def _leader_dates(line: str) -> list[tuple[str | None, str | None, bool]]:
    out = []
    for m in re.finditer(r"\[\s*(>)?\s*(\d{8})\s*(?:-\s*(\d{8}))?\s*\]", line):
        op, d1, d2 = m.groups()
        if op:
            out.append((tabari_date(d1), None, True))
        else:
            out.append((tabari_date(d1), tabari_date(d2), False))
    return out


def role_from_tag(tag: str) -> str:
    """'Prime ministers' -> 'Prime Minister'; 'Chairmen of the ...' -> 'Chairman of the ...'."""
    words = tag.split()
    for i, w in enumerate(words):
        if w.lower() in {"of", "for", "in"}:
            break
        last = i
    else:
        last = len(words) - 1
    w = words[last]
    if w.endswith("men"):
        w = w[:-3] + "man"
    elif w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    words[last] = w
    return " ".join(x.capitalize() if j <= last else x for j, x in enumerate(words))


def parse_phoenix(path: Path) -> list[dict[str, Any]]:
    """Blocks of a Phoenix/TABARI .actors file: {name, aliases, codes_text, comment}."""
    blocks: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for raw in read_text(path).splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        comment = raw.split("#", 1)[1] if "#" in raw else ""
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if line[0] in " \t[":
            if cur is not None:
                cur["codes"] += " " + line
            continue
        name, _, codes = line.partition("[")
        codes = "[" + codes if codes else ""
        if line.startswith("+"):
            if cur is not None:
                cur["aliases"].append(name[1:].strip())
                cur["codes"] += " " + codes
            continue
        cur = {"name": name.strip(), "aliases": [], "codes": codes, "comment": comment}
        blocks.append(cur)
    return blocks


# ----------------------------------------------------------------------------- builders
# Single words never used as a person alias: given names and common words.
_GIVEN_OR_COMMON = frozenset(
    "John Christian Friday Charles Brown Mohamed Mohammed Muhammad Mohammad Hassan Abdullah "
    "Ahmad Ahmed Ali Leon Levi Graham Davis Mitchell Allen Gates Burns Drew Burton Young King "
    "Long Rice Christopher Michael Mark Grace Hope Will Rose Young White Black Green Stone "
    "Love Major Moore Hill Wood Ward Cook Bell Price Kerry Paul Peter James Joseph David "
    "Daniel Thomas William George Henry Francis Martin Anthony Lee Kim Park Khan Singh Said "
    "Saleh Salem Omar Umar Ibrahim Ismail Yusuf Musa Isaias Abbas Karim Rahman Mustafa "
    "Guillaume Michal Halina Eman Kiwi Manx Dprk Medina Mecca Pierre Philippe Owen Plant "
    "Phillips Nielsen Cohen Perry Haas Heine".split()
)


class Persons:
    """Accumulates people and their spells, merging the same person across sources."""

    def __init__(self) -> None:
        self.people: list[dict[str, Any]] = []
        self.by_key: dict[str, int] = {}

    def get(self, name: str, extra_keys: tuple[str, ...] = (), create: bool = True) -> int | None:
        keys = [fold(name), *(fold(k) for k in extra_keys)]
        for k in keys:
            if k in self.by_key:
                idx = self.by_key[k]
                break
        else:
            if not create:
                return None
            idx = len(self.people)
            self.people.append({"name": name, "aliases": set(), "spells": [], "curated": False})
        for k in keys:
            self.by_key.setdefault(k, idx)
        return idx

    def alias(self, idx: int, alias: str) -> None:
        alias = " ".join(alias.split())
        if " " not in alias and (alias in _GIVEN_OR_COMMON or len(alias) < 4):
            return  # a lone given name or common word would match far too much
        if alias and len(alias) > 2:
            self.people[idx]["aliases"].add(alias)
            self.by_key.setdefault(fold(alias), idx)

    def spell(
        self,
        idx: int,
        country: str | None,
        sector: str | None,
        role: str | None,
        start: str | None,
        end: str | None,
        org: str | None = None,
        known_until: str | None = None,
    ) -> None:
        person = self.people[idx]
        if person["curated"] or not country:
            return
        for sp in person["spells"]:
            if sp[0] == country and sp[1] == sector and _close(sp[3], start):
                if not sp[2] and role:
                    sp[2] = role
                if not sp[4] and end:
                    sp[4] = end
                return
        person["spells"].append([country, sector, role, start, end, org, known_until])


def _close(a: str | None, b: str | None, days: int = 45) -> bool:
    if a is None or b is None:
        return a == b
    ya, ma, da = (int(x) for x in a.split("-"))
    yb, mb, db = (int(x) for x in b.split("-"))
    return abs((ya * 372 + ma * 31 + da) - (yb * 372 + mb * 31 + db)) <= days


_MONARCHS = {
    "King",
    "Queen",
    "Emperor",
    "Empress",
    "Pope",
    "Sultan",
    "Emir",
    "Amir",
    "Grand",
    "Prince",
    "Co-prince",
    "Crown",
}
_FB_TITLE_WORDS = {
    "president",
    "vice",
    "prime",
    "minister",
    "premier",
    "king",
    "queen",
    "emperor",
    "empress",
    "governor",
    "general",
    "supreme",
    "leader",
    "chancellor",
    "federal",
    "pope",
    "sultan",
    "emir",
    "amir",
    "crown",
    "prince",
    "princess",
    "grand",
    "duke",
    "chairman",
    "chairwoman",
    "chief",
    "executive",
    "state",
    "council",
    "of",
    "the",
    "and",
    "for",
    "head",
    "government",
    "co-prince",
    "captains",
    "regent",
    "sovereign",
    "high",
    "commissioner",
    "administrator",
    "first",
    "deputy",
    "chair",
    "presidential",
    "transitional",
    "interim",
    "acting",
    "military",
    "junta",
    "national",
    "assembly",
    "speaker",
    "cabinet",
    "secretary",
    "mayor",
    "pontifical",
    "commission",
    "city",
    "vatican",
    "governorate",
    "lieutenant",
    "officer",
    "saint",
    "mr.",
}


def _caps(word: str) -> bool:
    parts = [p for p in re.split(r"[-']", word) if p]
    return any(len(p) > 1 and p.isalpha() and p.isupper() for p in parts)


def parse_factbook_holders(text: str | None) -> list[tuple[str, str, str, str | None]]:
    """'President XI Jinping (since 14 March 2013)' -> [(title, name, surname, iso date)].

    The Factbook writes surnames in capitals; the words before the name that belong to the
    title vocabulary form the title.
    """
    from datetime import datetime

    if not text:
        return []
    out = []
    for m in re.finditer(r"([^;()]*?(?:\([^()]*\)[^;()]*?)*)\(since\s+([^)]+)\)", text):
        before = re.sub(r"\([^()]*\)", " ", m.group(1))
        before = before.split(" by ")[-1]
        words = before.split()
        if not any(_caps(w) for w in words):
            continue
        cut = 0
        for i, w in enumerate(words):
            if w.lower().strip(",") in _FB_TITLE_WORDS and not _caps(w):
                cut = i + 1
            elif _caps(w):
                break
        title, name_words = " ".join(words[:cut]), words[cut:]
        if not name_words or not title:
            continue
        caps_words = [w for w in name_words if _caps(w)]
        surname_raw = caps_words[0]
        surname = "-".join(p.capitalize() for p in surname_raw.split("-"))
        name = " ".join(
            "-".join(p.capitalize() for p in w.split("-")) if _caps(w) else w for w in name_words
        )
        try:
            since = datetime.strptime(m.group(2).strip(), "%d %B %Y").date().isoformat()
        except ValueError:
            since = None
        out.append((title, name, surname, since))
    return out


def build(shared: Path) -> dict[str, Any]:
    ref, dic = shared / "reference", shared / "dictionaries"
    curated = tomllib.loads((DATA_DIR / "curated.toml").read_text(encoding="utf-8"))
    amb = curated["ambiguous"]
    capital_stop = set(amb["capital_stop"])
    nat_stop = set(amb["nationality_stop"])

    ci = parse_countryinfo(ref / "CountryInfo.120116.txt")
    mled = json.loads((ref / "mledoze_countries.json").read_text(encoding="utf-8"))
    for c in mled:  # Kosovo: mledoze writes UNK; XKX is the code in common use (EU, IMF)
        if c["cca3"] == "UNK":
            c["cca3"] = "XKX"
    fb = json.loads((ref / "factbook_extract.json").read_text(encoding="utf-8"))
    iso_codes = {c["cca3"] for c in mled} | {b["iso3"] for b in ci}
    fips_to_iso: dict[str, str] = {}
    for b in ci:
        if b["fips"] not in ("", "--"):
            fips_to_iso.setdefault(b["fips"].lower(), b["iso3"])
    mled_by_name = {}
    for c in mled:
        for n in [c["name"]["common"], c["name"]["official"], *c.get("altSpellings", [])]:
            mled_by_name.setdefault(fold(n), c["cca3"])
    for c in fb:
        short = c.get("conventional_short") or ""
        if "," in short:  # "Korea, South" -> "South Korea"
            a, _, b2 = short.partition(",")
            short = f"{b2.strip()} {a.strip()}"
        iso = mled_by_name.get(fold(short)) or mled_by_name.get(
            fold(c.get("conventional_long") or "")
        )
        if iso and c.get("fips"):
            fips_to_iso[c["fips"].lower()] = iso
    cow_to_iso: dict[str, str] = {}
    for b in ci:
        if b["cow"] not in ("", "000") and b["cow"].isdigit():
            cow_to_iso.setdefault(str(int(b["cow"])), b["iso3"])
    independent = {c["cca3"] for c in mled if c.get("independent") or c.get("unMember")}

    # ---------------- countries: collect candidate keys with source priority
    names: dict[str, dict[str, int]] = defaultdict(dict)  # surface -> {iso: priority}
    adjs: dict[str, dict[str, int]] = defaultdict(dict)
    caps: dict[str, dict[str, int]] = defaultdict(dict)
    display: dict[str, str] = {}

    def add(table: dict[str, dict[str, int]], surface: str, iso: str, prio: int) -> None:
        surface = " ".join(surface.split()).strip(" ,")
        surface = re.sub(r"^(?:the|The|THE)\s+", "", surface)  # "The US" -> "US"
        if len(surface) < 2 or not re.search(r"[A-Za-z]", surface):
            return
        if not all(ord(c) < 0x250 or c in "’" for c in surface):
            return
        cur = table[surface].get(iso)
        table[surface][iso] = max(prio, cur or 0)

    for c in mled:
        iso = c["cca3"]
        display[iso] = c["name"]["common"]
        add(names, c["name"]["common"], iso, 3)
        add(names, c["name"]["official"], iso, 3)
        for alt in c.get("altSpellings", []):
            if len(alt) <= 3 and alt.isupper():
                continue  # ISO codes like 'KR' collide with words
            add(names, alt, iso, 2)
        dem = (c.get("demonyms") or {}).get("eng") or {}
        for v in {dem.get("m"), dem.get("f")}:
            if v:
                add(adjs, v, iso, 3)
                if not v.endswith(("ese", "ss", "sh", "ch")):
                    add(adjs, v + "s", iso, 2)
        if iso in independent:
            for cap in c.get("capital", []):
                add(caps, cap, iso, 3)

    for c in fb:
        iso = fips_to_iso.get((c.get("fips") or "").lower())
        if not iso:
            continue
        short = c.get("conventional_short") or ""
        if short and "," not in short and short.lower() != "none":
            add(names, short, iso, 3)
        long_ = c.get("conventional_long") or ""
        if long_ and long_.lower() != "none":
            add(names, long_, iso, 2)
        for loc in re.split(r"/|\(|\)", c.get("local_short") or ""):
            loc = loc.strip()
            if loc and loc.lower() not in ("none", "english", "hindi") and " " not in loc:
                add(names, loc, iso, 1)
        abbr = c.get("abbreviation") or ""
        for a in re.split(r"\s+or\s+|,\s*", abbr):
            if a and a.lower() != "none":
                add(names, a, iso, 2)
        adj = c.get("nationality_adjective") or ""
        for a in re.split(r"\s+or\s+|,\s*|\(|\)", adj):
            a = a.strip()
            if a and a.lower() not in ("none", "or"):
                add(adjs, a, iso, 3)
        noun = c.get("nationality_noun") or ""
        m = re.match(r"([A-Z][\w\-]+)\(s\)", noun)
        if m:
            add(adjs, m.group(1), iso, 2)
            add(adjs, m.group(1) + "s", iso, 2)
        if iso in independent:
            cap = (c.get("capital") or "").split(";")[0].strip()
            if cap and cap.lower() != "none":
                add(caps, cap, iso, 2)

    for b in ci:
        iso = b["iso3"]
        add(names, b["name"], iso, 2)
        for n in b["nationality"]:
            if n.rstrip("_") in nat_stop or "(" in n or "," in n:
                continue
            surface = tabari_name(n)
            if len(surface) >= 4:
                add(
                    adjs if surface.endswith(("n", "ese", "sh", "ch", "i")) else names,
                    surface,
                    iso,
                    1,
                )
        if iso in independent:
            for cap in b["capital"]:
                cap_s = tabari_name(cap)
                if len(cap_s) >= 4:
                    add(caps, cap_s, iso, 1)

    # plural demonyms ("Kazakhs", "Afghans") for adjectives that take an -s plural
    for surface, cands in list(adjs.items()):
        if (
            " " not in surface
            and surface[:1].isupper()
            and surface[-1:] in "nikh"
            and not surface.endswith(("ese", "ish", "ch", "sh"))
        ):
            for iso, prio in cands.items():
                add(adjs, surface + "s", iso, min(prio, 1))

    countries: dict[str, dict[str, Any]] = {}
    for iso in sorted(iso_codes):
        if iso in display or iso in {b["iso3"] for b in ci}:
            countries[iso] = {
                "name": display.get(iso) or "",
                "names": [],
                "adjectives": [],
                "combining": [],
                "capitals": [],
                "seats": {},
            }
    for b in ci:
        if not countries.get(b["iso3"], {}).get("name"):
            countries.setdefault(
                b["iso3"],
                {"names": [], "adjectives": [], "combining": [], "capitals": [], "seats": {}},
            )
            countries[b["iso3"]]["name"] = b["name"]

    sole: dict[str, str] = {}
    for iso, extra in curated.get("countries", {}).items():
        for s in extra.get("sole", []):
            sole[s] = iso
        for n in extra.get("names", []):
            add(names, n, iso, 9)
        for a in extra.get("adjectives", []):
            add(adjs, a, iso, 9)

    block = set(curated.get("block", []))
    # One surface form resolves to one country and one field: the highest priority wins,
    # curated "sole" forms win outright, and ties between countries leave the form out.
    every: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)
    for field, table in (("names", names), ("adjectives", adjs), ("capitals", caps)):
        for surface, cands in table.items():
            if field == "capitals" and surface in capital_stop:
                continue
            for iso, prio in cands.items():
                key = (iso, field)
                every[surface.lower()][key] = max(prio, every[surface.lower()].get(key, 0))
    display_form: dict[str, str] = {}
    for table in (names, adjs, caps):
        for surface in sorted(table):
            display_form.setdefault(surface.lower(), surface)
    sole_lower = {k.lower(): v for k, v in sole.items()}
    block_lower = {b.lower() for b in block}
    for low in sorted(every):
        if low in block_lower:
            continue
        cands = every[low]
        if low in sole_lower:
            cands = {k: v for k, v in cands.items() if k[0] == sole_lower[low]}
        best = max(cands.values())
        top = [k for k, v in cands.items() if v == best]
        if len({iso for iso, _ in top}) != 1:
            continue  # ambiguous between countries (e.g. "Congolese"): leave out
        iso, field = sorted(top, key=lambda k: ("names", "adjectives", "capitals").index(k[1]))[0]
        if iso in countries:
            countries[iso][field].append(display_form[low])
    for iso, extra in curated.get("countries", {}).items():
        if iso not in countries:
            continue
        countries[iso]["combining"] = sorted(set(extra.get("combining", [])))
        countries[iso]["seats"] = dict(sorted(extra.get("seats", {}).items()))
    for iso in countries:
        for field in ("names", "adjectives", "capitals"):
            countries[iso][field] = sorted(set(countries[iso][field]))

    # ---------------- organisations
    fb_members: dict[str, set[str]] = defaultdict(set)
    for c in fb:
        iso = fips_to_iso.get((c.get("fips") or "").lower())
        if not iso:
            continue
        for tag in c.get("international_organization_participation") or []:
            fb_members[tag.strip()].add(iso)
    orgs: dict[str, dict[str, Any]] = {}
    cameo_to_org: dict[str, str] = {}
    for o in curated["orgs"]:
        members = set(o.get("members", []))
        if o.get("factbook"):
            members |= fb_members.get(o["factbook"], set())
        orgs[o["code"]] = {
            "name": o["names"][0] if o["names"] else o["code"],
            "names": sorted(set(o["names"])),
            "aliases": sorted(set(o.get("aliases", []))),
            "context_aliases": sorted(set(o.get("context_aliases", []))),
            "members": sorted(m for m in members if m in countries),
            "parent": o.get("parent"),
            "sector": o.get("sector"),
            "kind": o.get("kind", "org"),
            "country": o.get("country", "IGO") or None,
        }
        for cc in o.get("cameo", []):
            cameo_to_org[cc] = o["code"]
    _add_cow_orgs(ref, orgs, cow_to_iso)

    # ---------------- persons
    persons = Persons()
    ci_cutoff = "2011-12-01"
    for b in ci:
        iso = b["iso3"]
        for raw, tag, start, end, is_open in b["leaders"]:
            name = tabari_name(raw)
            if len(name.split()) < 2:
                continue
            idx = persons.get(name)
            assert idx is not None
            persons.spell(
                idx,
                iso,
                "GOV",
                role_from_tag(tag),
                start,
                end,
                known_until=ci_cutoff if is_open else None,
            )
        for raw, codes, comment in b["government"]:
            name = tabari_name(raw)
            if len(name.split()) < 2:
                continue
            titles = [t.strip() for t in comment.split("&")] if comment else []
            parsed = parse_codes(codes, iso_codes)
            idx = persons.get(name)
            assert idx is not None
            for i, pc in enumerate(parsed):
                title = titles[i] if i < len(titles) else (titles[0] if titles else None)
                persons.spell(
                    idx,
                    pc["country"],
                    pc["sector"],
                    title,
                    pc["start"],
                    pc["end"],
                    known_until=ci_cutoff if pc["open"] else None,
                )

    institutions: list[list[Any]] = []
    agent_vocab = _agent_vocab(dic / "Phoenix.agents.txt")
    phoenix_cutoff = "2014-01-30"
    for fname in (
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
    ):
        for blk in parse_phoenix(dic / fname):
            _phoenix_block(
                blk,
                fname,
                persons,
                institutions,
                orgs,
                cameo_to_org,
                iso_codes,
                agent_vocab,
                phoenix_cutoff,
            )

    # Archigos (exact dates, to 2015) then REIGN (to 2021): leader spells
    _leader_lists(ref, persons, cow_to_iso)

    # Factbook current holders (2026-01)
    current: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for c in fb:
        iso = fips_to_iso.get((c.get("fips") or "").lower())
        if not iso:
            continue
        seen = set()
        for field in ("chief_of_state", "head_of_government"):
            for title, name, surname, since in parse_factbook_holders(c.get(field)):
                if (name, title) in seen:
                    continue
                seen.add((name, title))
                words = name.split()
                keys = (f"{words[0]} {words[-1]}",) if len(words) > 2 else ()
                idx = persons.get(name, keys)
                assert idx is not None
                persons.alias(idx, name)
                if len(words) > 2:
                    persons.alias(idx, f"{words[0]} {words[-1]}")
                regnal = re.search(r"\b[IVX]+$", name) or title.split()[0] in _MONARCHS
                if len(surname) >= 4 and not regnal and iso in independent:
                    persons.alias(idx, surname)
                persons.spell(idx, iso, "GOV", title, since, None)
                current[iso].append((title, idx))

    # curated leaders: authoritative spells
    for ld in curated.get("leaders", []):
        idx = None
        for a in [ld["name"], *ld.get("aliases", [])]:
            if len(a.split()) >= 2:
                idx = persons.get(a, create=False)
                if idx is not None:
                    break
        if idx is None:
            idx = persons.get(ld["name"])
            assert idx is not None
        p = persons.people[idx]
        p["name"] = ld["name"]
        p["spells"] = [
            [s[0], s[1], s[2], s[3] or None, s[4] or None, s[5] if len(s) > 5 else None, None]
            for s in ld["spells"]
        ]
        p["curated"] = True
        for a in ld.get("aliases", []):
            persons.alias(idx, a)
        persons.by_key[fold(ld["name"])] = idx

    _close_open_spells(persons)

    people_out = []
    for p in persons.people:
        spells = sorted(
            ([s[0], s[1], s[2], s[3], s[4], s[5], s[6]] for s in p["spells"] if s[0]),
            key=lambda s: (s[3] or "", s[4] or "9999", s[0], s[1] or ""),
        )
        if not spells:
            continue
        aliases = sorted({a for a in p["aliases"] if fold(a) != fold(p["name"])})
        people_out.append(
            {"name": p["name"], "aliases": aliases, "spells": [_trim(s) for s in spells]}
        )
    people_out.sort(key=lambda p: (fold(p["name"]), p["name"]))

    agents = _agents(dic / "Phoenix.agents.txt", curated)
    institutions.extend(
        [n, inst["country"] if not inst.get("stateless") else None, inst["sector"]]
        for inst in curated.get("institutions", [])
        for n in inst["names"]
    )
    inst_seen: dict[str, list[Any]] = {}
    for row in institutions:
        inst_seen[row[0]] = row  # curated (added last) win
    return {
        "version": 1,
        "countries": countries,
        "orgs": dict(sorted(orgs.items())),
        "institutions": sorted(inst_seen.values(), key=lambda r: r[0]),
        "persons": people_out,
        "agents": dict(sorted(agents.items())),
        "titles": sorted(set(curated["titles"]["words"])),
        "former_words": curated.get("former_words", []),
        "block": sorted(block),
        "ambiguous": sorted(set(amb["names"])),
    }


def _trim(s: list[Any]) -> list[Any]:
    while s and s[-1] is None and len(s) > 5:
        s = s[:-1]
    return s


def _close_open_spells(persons: Persons) -> None:
    """Close open spells: at the start of the next holder of the same office, or at the start
    of a later spell of the same person (a source that stopped in 2011 cannot say more)."""
    for p in persons.people:
        if p["curated"]:
            continue
        for sp in p["spells"]:
            if sp[4] or not sp[6] or not sp[3]:
                continue
            later = [
                o[3]
                for o in p["spells"]
                if o is not sp and o[3] and o[3] > sp[3] and o[0] == sp[0] and o[1] != "ELI"
            ]
            if later:
                sp[4], sp[6] = min(later), None
    holders: dict[tuple[str, str], list[tuple[str, int, list[Any]]]] = defaultdict(list)
    for idx, p in enumerate(persons.people):
        for sp in p["spells"]:
            if sp[0] and sp[2] and sp[3]:
                holders[(sp[0], sp[2].lower())].append((sp[3], idx, sp))
    for spells in holders.values():
        spells.sort(key=lambda t: t[0])
        for i, (start, idx, sp) in enumerate(spells):
            if sp[4] or persons.people[idx]["curated"]:
                continue
            for start2, idx2, _sp2 in spells[i + 1 :]:
                if idx2 != idx and start2 > start:
                    sp[4] = start2
                    sp[6] = None
                    break


def _agent_vocab(path: Path) -> set[str]:
    words = set()
    for line in read_text(path).splitlines():
        m = re.match(r"^([A-Z][A-Z_!\-']*)", line)
        if m and "[" in line:
            for w in m.group(1).split("_"):
                if len(w) > 3:
                    words.add(w.lower())
    return words | {
        "army",
        "forces",
        "ministry",
        "party",
        "police",
        "council",
        "front",
        "brigade",
        "movement",
        "organization",
        "organisation",
        "committee",
        "fleet",
        "command",
        "corps",
        "guard",
        "agency",
        "office",
        "union",
    }


def _phoenix_block(
    blk: dict[str, Any],
    fname: str,
    persons: Persons,
    institutions: list[list[Any]],
    orgs: dict[str, dict[str, Any]],
    cameo_to_org: dict[str, str],
    iso_codes: set[str],
    agent_vocab: set[str],
    cutoff: str,
) -> None:
    codes = parse_codes(blk["codes"], iso_codes)
    if not codes:
        return
    name = tabari_name(blk["name"])
    aliases = [tabari_name(a) for a in blk["aliases"]]
    if not name or len(name) < 3:
        return
    dated = any(c["dated"] for c in codes)
    words = {w.lower() for w in name.split()}
    igo = next((c["igo"] for c in codes if c["igo"]), None)
    if igo and not dated:
        org = _igo_org(igo, cameo_to_org)
        if org and org in orgs and (len(name.split()) >= 2 or name.isupper()):
            for n in [name, *aliases]:
                if n.upper() == n and len(n) <= 6:
                    continue
                if fold(n) not in {fold(x) for x in orgs[org]["names"]}:
                    orgs[org]["names"].append(n)
            orgs[org]["names"] = sorted(set(orgs[org]["names"]))
        return
    if not dated and (words & agent_vocab or fname.startswith("Phoenix.MilNonState")):
        if len(name.split()) < 2:
            return
        c = codes[0]
        country = c["country"] if c["country"] not in (None, "IGO") else None
        sector = c["sector"] or ("REB" if fname.startswith("Phoenix.MilNonState") else None)
        if sector is None:
            return
        for n in [name, *aliases]:
            if len(n.split()) >= 2 and not re.search(r"[+/]", n):
                institutions.append([n, country, sector])
        return
    # a person: needs a dated code or a sector (a bare [AFG] block is a place list)
    if len(name.split()) < 2 or fname.startswith("Phoenix.MilNonState"):
        return
    if not any(c["sector"] for c in codes):
        return  # codes without a sector: a country or region block, not a person
    idx = persons.get(name)
    assert idx is not None
    for a in aliases:
        a = _strip_title(a)
        if a:
            persons.alias(idx, a)
    for c in codes:
        if c["sector"] == "ELI" and not c["dated"]:
            continue
        country = c["country"]
        org = _igo_org(c["igo"], cameo_to_org) if c["igo"] else None
        if country is None:
            continue
        persons.spell(
            idx,
            country,
            c["sector"],
            None,
            c["start"],
            c["end"],
            org,
            known_until=cutoff if c["open"] else None,
        )


_TITLE_WORDS = {
    "president",
    "president-elect",
    "elect",
    "states",
    "prime",
    "minister",
    "vice",
    "premier",
    "chancellor",
    "general",
    "secretary",
    "secretary-general",
    "un",
    "u.n.",
    "united",
    "nations",
    "foreign",
    "defense",
    "defence",
    "reformer",
    "king",
    "queen",
    "former",
    "sen.",
    "senator",
    "gov.",
    "governor",
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "sheikh",
    "chairman",
    "leader",
    "supreme",
    "chief",
    "deputy",
    "ambassador",
}


def _strip_title(alias: str) -> str:
    """'US President Barack Obama' -> 'Barack Obama'; '' when nothing usable remains."""
    words = alias.split()
    cut = 0
    for i, w in enumerate(words):
        if any(part.lower() in _TITLE_WORDS for part in w.split("-")):
            cut = i + 1
    words = words[cut:]
    while words and words[0].lower() in {"the", "mr", "mr.", "mrs", "mrs.", "ms", "dr", "dr."}:
        words = words[1:]
    if not words or re.search(r"[+/()]", " ".join(words)):
        return ""
    if words[-1].lower() in {"administration", "government", "cabinet", "regime"}:
        return ""
    if len(words) == 1 and (len(words[0]) < 4 or not words[0][0].isupper()):
        return ""
    return " ".join(words)


def _igo_org(code: str | None, cameo_to_org: dict[str, str]) -> str | None:
    if not code:
        return None
    for n in range(len(code), 2, -3):
        if code[:n] in cameo_to_org:
            return cameo_to_org[code[:n]]
    return None


_COW_ABBR = {
    "Org": "Organization",
    "Org.": "Organization",
    "Assoc.": "Association",
    "Comm.": "Commission",
    "Intl": "International",
    "Intl.": "International",
    "Cttee": "Committee",
    "Dev.": "Development",
    "Econ.": "Economic",
    "Coop.": "Cooperation",
    "Inst.": "Institute",
    "Cent.": "Central",
    "Conf.": "Conference",
    "Council": "Council",
}


def _add_cow_orgs(ref: Path, orgs: dict[str, dict[str, Any]], cow_to_iso: dict[str, str]) -> None:
    """COW IGOs alive at the end of the data (2014), with members, as extra organisations."""
    known = {fold(n) for o in orgs.values() for n in [*o["names"], *o["aliases"]]}
    members: dict[str, set[str]] = defaultdict(set)
    with (ref / "cow_igo_membership_spells.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["status"] == "1" and row["end_year"] >= "2014":
                iso = cow_to_iso.get(row["ccode"])
                if iso:
                    members[row["ioname_upper"]].add(iso)
    with (ref / "cow_igo_list.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["last_year"] < "2014":
                continue
            code = row["ioname"].upper()
            name = " ".join(_COW_ABBR.get(w, w) for w in row["orgname"].split())
            if "." in name or len(name.split()) < 3 or fold(name) in known or code in orgs:
                continue
            orgs[code] = {
                "name": name,
                "names": [name],
                "aliases": [],
                "context_aliases": [],
                "members": sorted(members.get(code, ())),
                "parent": None,
                "sector": None,
                "kind": "igo",
                "country": "IGO",
            }


def _leader_lists(ref: Path, persons: Persons, cow_to_iso: dict[str, str]) -> None:
    """Leader spells from Archigos (exact dates) and REIGN (to 2021, month precision)."""
    rows: list[tuple[str, str, str | None, str | None]] = []
    with (ref / "archigos_4.1_leaders.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.DictReader(fh):
            iso = cow_to_iso.get(r["ccode"])
            if iso and r["startdate"] >= "1945":
                rows.append((iso, r["leader"], r["startdate"][:10], r["enddate"][:10] or None))
    with (ref / "reign_leaderlist_3_21.csv").open(encoding="utf-8", errors="replace") as fh:
        for r in csv.DictReader(fh):
            iso = cow_to_iso.get(r["ccode"])
            if not iso or not r["syear"] or int(float(r["syear"])) < 1945:
                continue
            try:
                start = (
                    f"{int(float(r['syear'])):04d}-{int(float(r['smonth'])):02d}-"
                    f"{int(float(r['sdate'])):02d}"
                )
                end = None
                if r["eyear"] and r["emonth"]:
                    ey, em = int(float(r["eyear"])), int(float(r["emonth"]))
                    end = f"{ey:04d}-{em:02d}-{calendar.monthrange(ey, em)[1]:02d}"
            except ValueError:
                continue
            rows.append((iso, r["leader"], start, end))
    by_surname: dict[tuple[str, str], list[int]] = defaultdict(list)
    for idx, p in enumerate(persons.people):
        countries = {s[0] for s in p["spells"]}
        last = fold(p["name"]).split()[-1] if p["name"] else ""
        for c in countries:
            by_surname[(c, last)].append(idx)
    for iso, leader, start, end in rows:
        leader = leader.strip()
        if not leader:
            continue
        if len(leader.split()) >= 2:
            idx = persons.get(leader)
        else:
            cands = by_surname.get((iso, fold(leader)), [])
            if len(cands) != 1:
                continue
            idx = cands[0]
        assert idx is not None
        persons.spell(
            idx, iso, "GOV", None, start, end, known_until="2021-03-01" if end is None else None
        )


def _agents(path: Path, curated: dict[str, Any]) -> dict[str, str]:
    """Agent phrases (lower case) -> PLOVER sector from Phoenix.agents.txt and curated."""
    subst: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in read_text(path).splitlines():
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            subst[m.group(1)] = [w.strip().lower() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^([^\[{]+?)\s*(\{[^}]*\})?\s*\[([^\]]*)\]", line)
        if not m:
            continue
        phrase, plurals, code = m.group(1), m.group(2), m.group(3).replace("~", "")
        sector = sector_of(code) if not code.startswith("IGO") else None
        if not sector:
            continue
        forms = [phrase]
        for key, repl in subst.items():
            if key in phrase:
                forms = [phrase.replace(key, "_" + r) for r in repl]
        extra = [p.strip() for p in (plurals or "{}")[1:-1].split() if p.strip()]
        for f in forms + extra:
            words = f.replace("_", " ").strip().lower()
            words = " ".join(words.split())
            if len(words) < 3:
                continue
            out.setdefault(words, sector)
            if not extra and not words.endswith("s"):
                out.setdefault(_plural(words), sector)
    for sector, words in curated["agents"].items():
        for w in words:
            out[w.lower()] = sector
    return out


def _plural(phrase: str) -> str:
    head, _, last = phrase.rpartition(" ")
    if last.endswith("man"):
        last = last[:-3] + "men"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last = last + "es"
    else:
        last = last + "s"
    return f"{head} {last}".strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="../shared/data")
    ap.add_argument("--out", type=Path, default=DATA_DIR / "actors.json.gz")
    args = ap.parse_args(argv)
    if not (args.shared / "reference").is_dir() or not (args.shared / "dictionaries").is_dir():
        print(f"shared data not found at {args.shared}: nothing built", file=sys.stderr)
        return 2
    data = build(args.shared)
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("wb") as fh:
        with gzip.GzipFile(filename="actors.json", mode="wb", fileobj=fh, mtime=0) as gz:
            gz.write(blob.encode("utf-8"))
    print(
        f"wrote {args.out} ({args.out.stat().st_size:,} bytes): {len(data['countries'])} "
        f"countries, {len(data['orgs'])} organisations, {len(data['persons'])} persons, "
        f"{len(data['agents'])} agent phrases, {len(data['institutions'])} institutions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
