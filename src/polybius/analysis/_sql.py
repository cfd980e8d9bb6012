"""SQL pieces shared by the analyses: the actor match and the (event, source, target) pairs."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from polybius.store.validate import QueryError, check_date

__all__ = ["ACTOR_MATCH", "PAIRS_SQL", "date_range"]

#: True when ``role`` actor of event ``e`` matches an actor code (code, country or org).
ACTOR_MATCH = (
    "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.event_id AND ea.role = '{role}'"
    " AND (upper(ea.code) = upper(?) OR upper(ea.country) = upper(?) OR upper(ea.org) = upper(?)))"
)

#: One row per (event, source code, target code) with source != target, within a date range
#: (two parameters: since, until; NULL means open). Used by graph, blocs and trends.
PAIRS_SQL = """
    SELECT DISTINCT e.event_id, s.code AS src, t.code AS tgt, e.day, e.quad_class, e.goldstein
    FROM events e
    JOIN event_actors s ON s.event_id = e.event_id AND s.role = 'source'
    JOIN event_actors t ON t.event_id = e.event_id AND t.role = 'target'
    WHERE s.code <> t.code
      AND (CAST(? AS DATE) IS NULL OR e.day >= ?)
      AND (CAST(? AS DATE) IS NULL OR e.day <= ?)
"""


def date_range(
    since: str | _dt.date | None, until: str | _dt.date | None
) -> tuple[_dt.date | None, _dt.date | None, list[Any]]:
    """Validated (since, until) and the four parameters ``PAIRS_SQL`` takes."""
    start = check_date(since, "since")
    end = check_date(until, "until")
    if start and end and start > end:
        raise QueryError(f"since {start} is after until {end}")
    return start, end, [start, start, end, end]
