"""PLOVER event types, modes, contexts and sectors; CAMEO codes, Goldstein scores, quad classes.

The tables are read once from the shipped copies in ``polybius/data/ontology`` (PLOVER,
CC BY-SA 4.0; see SOURCES.md there) and cached. Everything that needs to translate between
CAMEO and PLOVER, or to score an event, goes through this module.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "PLOVER_TYPES",
    "QUAD_NAMES",
    "CameoCode",
    "EventTypeInfo",
    "event_types",
    "event_type_info",
    "quad_class",
    "cameo_codes",
    "cameo_info",
    "cameo_to_plover",
    "plover_to_cameo",
    "goldstein",
    "sectors",
    "modes",
    "contexts",
    "normalise_event_type",
]

#: The 16 PLOVER event types in manual order (cooperation first, then conflict).
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)

#: Quad classes as in PLOVER / PLV "gold_penta": 1..4.
QUAD_NAMES: dict[int, str] = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
_QUAD_BY_NAME = {v.upper(): k for k, v in QUAD_NAMES.items()}

#: A representative CAMEO code per PLOVER type, used when only the type is known.
_DEFAULT_CAMEO: dict[str, str] = {
    "AGREE": "030",
    "CONSULT": "040",
    "SUPPORT": "050",
    "CONCEDE": "080",
    "COOPERATE": "060",
    "AID": "070",
    "RETREAT": "084",
    "REQUEST": "100",
    "ACCUSE": "111",
    "REJECT": "120",
    "THREATEN": "130",
    "PROTEST": "140",
    "SANCTION": "160",
    "MOBILIZE": "150",
    "COERCE": "170",
    "ASSAULT": "190",
}


@dataclass(frozen=True, slots=True)
class EventTypeInfo:
    """One PLOVER event type: its quad class, whether it needs a target, score and definition."""

    name: str
    quad_class: int
    requires_recipient: bool
    plover_score: float
    definition: str


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO code with its Goldstein score and PLOVER mapping (type, mode, context)."""

    code: str
    root: str
    description: str
    goldstein: float | None
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None


def _open(name: str) -> list[dict[str, str]]:
    path = resources.files("polybius") / "data" / "ontology" / name
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@cache
def event_types() -> dict[str, EventTypeInfo]:
    """The 16 PLOVER event types keyed by name."""
    out: dict[str, EventTypeInfo] = {}
    for row in _open("plover_event_types.csv"):
        out[row["event_type"]] = EventTypeInfo(
            name=row["event_type"],
            quad_class=_QUAD_BY_NAME[row["quad"].upper()],
            requires_recipient=row["requires_recipient"].strip().lower() == "yes",
            plover_score=float(row["plover_score"]),
            definition=row["definition"],
        )
    return out


def normalise_event_type(name: str) -> str:
    """Upper-case a type name and map the legacy YIELD to CONCEDE (its verbal part)."""
    name = name.strip().upper()
    return "CONCEDE" if name == "YIELD" else name


def event_type_info(name: str) -> EventTypeInfo:
    """Look up a PLOVER type; raise KeyError naming the type when unknown."""
    info = event_types().get(normalise_event_type(name))
    if info is None:
        raise KeyError(f"unknown PLOVER event type {name!r}; known: {', '.join(PLOVER_TYPES)}")
    return info


def quad_class(event_type: str) -> int:
    """Quad class (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict)."""
    return event_type_info(event_type).quad_class


_CAMEO_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*([^#]*?)\s*(?:#\s*(.*))?$")


@cache
def _cameo2plover_table() -> dict[str, tuple[str | None, str | None, str | None, str]]:
    """Parse CAMEO2PLOVER-2021.txt: code -> (type, mode, context, comment)."""
    path = resources.files("polybius") / "data" / "ontology" / "CAMEO2PLOVER-2021.txt"
    table: dict[str, tuple[str | None, str | None, str | None, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _CAMEO_LINE.match(line)
        if not m:
            continue
        code, body, comment = m.group(1), m.group(2), m.group(3) or ""
        parts = [p.strip() for p in body.split(",")]
        ptype = parts[0].upper() if parts and parts[0] else None
        if ptype not in PLOVER_TYPES:
            ptype = None
        mode = parts[1] if len(parts) > 1 and parts[1] else None
        ctx = parts[2].split(";")[0].strip() if len(parts) > 2 and parts[2] else None
        # Root lines like "08: CONCEDE" and "08: RETREAT" both occur; keep the first.
        table.setdefault(code, (ptype, mode, ctx or None, comment.strip()))
    return table


@cache
def cameo_codes() -> dict[str, CameoCode]:
    """All CAMEO codes keyed by code, with Goldstein (GDELT scale) and PLOVER mapping."""
    c2p = _cameo2plover_table()
    out: dict[str, CameoCode] = {}
    for row in _open("cameo_codes_full.csv"):
        code = row["cameo_code"].strip()
        gs = row["goldstein_gdelt"] or row["goldstein_phoenix"]
        mapped = c2p.get(code)
        ptype = (row["plover_event"] or "").strip().upper() or (mapped[0] if mapped else None)
        mode = (row["plover_mode"] or "").strip() or (mapped[1] if mapped else None)
        ctx = (row["plover_context"] or "").strip() or (mapped[2] if mapped else None)
        out[code] = CameoCode(
            code=code,
            root=row["root"].strip(),
            description=(row["description_from_CAMEO2PLOVER"] or (mapped[3] if mapped else "")),
            goldstein=float(gs) if gs else None,
            plover_type=ptype if ptype in PLOVER_TYPES else None,
            plover_mode=mode or None,
            plover_context=ctx or None,
        )
    return out


def cameo_info(code: str) -> CameoCode | None:
    """A CAMEO code's record, falling back to its parent codes (0312 -> 031 -> 03)."""
    table = cameo_codes()
    code = code.strip()
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
        if len(code) < 2:
            break
    return None


def cameo_to_plover(code: str) -> tuple[str | None, str | None, str | None]:
    """(PLOVER type, mode, context) for a CAMEO code; (None, None, None) for dropped codes.

    Codes 01 (statements) and 02 (appeals) have no PLOVER type. 084-087 are RETREAT and
    081-083 CONCEDE, following CAMEO2PLOVER.
    """
    code = code.strip()
    c2p = _cameo2plover_table()
    probe = code
    while len(probe) >= 2:
        if probe in c2p and c2p[probe][0]:
            t, m, c, _ = c2p[probe]
            return t, m, c
        probe = probe[:-1]
    info = cameo_info(code)
    if info and info.plover_type:
        return info.plover_type, info.plover_mode, info.plover_context
    return None, None, None


def plover_to_cameo(event_type: str) -> str:
    """The representative CAMEO code for a PLOVER type (e.g. CONSULT -> 040)."""
    return _DEFAULT_CAMEO[normalise_event_type(event_type)]


def goldstein(cameo: str | None, event_type: str | None = None) -> float | None:
    """Goldstein score of a CAMEO code (GDELT scale); else of the type's default code."""
    if cameo:
        info = cameo_info(cameo)
        if info and info.goldstein is not None:
            return info.goldstein
    if event_type:
        info = cameo_info(plover_to_cameo(event_type))
        return info.goldstein if info else None
    return None


@cache
def sectors() -> dict[str, str]:
    """PLOVER sector codes -> description."""
    return {r["sector"]: r["description"] for r in _open("plover_sectors.csv")}


@cache
def modes() -> dict[str, dict[str, str]]:
    """PLOVER modes per event type: {type: {mode: description}}."""
    out: dict[str, dict[str, str]] = {}
    for r in _open("plover_modes.csv"):
        out.setdefault(r["event_type"].upper(), {})[r["mode"]] = r["description"]
    return out


@cache
def contexts() -> dict[str, str]:
    """PLOVER contexts -> description."""
    return {r["context"]: r["description"] for r in _open("plover_contexts.csv")}
