"""A person's role on a date: which country, which PLOVER sector, which office.

The dictionary gives each person dated spells (country, sector, role, start, end). On a date:
  * a spell that covers the date wins (the latest-starting one when several do);
  * after the last spell has ended, the person is a former official: sector ELI (PLOVER's
    sector for "former government officials"), role "former <last role>";
  * before the first spell, the country of the first spell with no sector;
  * with no date, the most recent spell (as if today).
An open spell whose source stops at ``known_until`` is still taken as running after that
date, with a lower confidence.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from polybius.actors.dictionary import Person, Spell

__all__ = ["RoleOnDate", "role_on_date", "in_office"]


@dataclass(frozen=True, slots=True)
class RoleOnDate:
    country: str | None
    sector: str | None
    role: str | None
    org: str | None
    confidence: float
    in_office: bool


def _covers(sp: Spell, date: str) -> bool:
    return (sp.start is None or sp.start <= date) and (sp.end is None or date < sp.end)


def in_office(person: Person, date: str | None) -> bool:
    """True if some non-ELI spell of ``person`` covers ``date`` (today when None)."""
    d = date or _dt.date.today().isoformat()
    return any(sp.sector != "ELI" and _covers(sp, d) for sp in person.spells)


def role_on_date(person: Person, date: str | None) -> RoleOnDate:
    """Resolve ``person`` on ``date`` (YYYY-MM-DD or None for today)."""
    d = date or _dt.date.today().isoformat()
    active = [sp for sp in person.spells if _covers(sp, d)]
    official = [sp for sp in active if sp.sector != "ELI"]
    if official:
        sp = max(official, key=lambda s: (s.start or "", s.sector == "GOV"))
        conf = 0.95
        if sp.end is None and sp.known_until and d > sp.known_until:
            conf = 0.6
        return RoleOnDate(sp.country, sp.sector, sp.role, sp.org, conf, True)
    ended = [
        sp for sp in person.spells if sp.end is not None and sp.end <= d and sp.sector != "ELI"
    ]
    if ended:
        last = max(ended, key=lambda s: s.end or "")
        role = f"former {last.role}" if last.role else "former official"
        return RoleOnDate(last.country, "ELI", role, last.org, 0.85, False)
    if active:  # only ELI spells cover the date
        sp = active[-1]
        return RoleOnDate(sp.country, "ELI", None, sp.org, 0.7, False)
    first = min(person.spells, key=lambda s: s.start or "")
    return RoleOnDate(first.country, None, None, None, 0.5, False)
