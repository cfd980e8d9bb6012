"""SQL pieces shared by the analyses: the actor match and the date range over the summaries."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from polybius.store.validate import QueryError, check_date

__all__ = ["ACTOR_MATCH", "date_range", "day_range"]

#: True when ``role`` actor of event ``e`` matches an actor code (code, country or org).
ACTOR_MATCH = (
    "EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.event_id AND ea.role = '{role}'"
    " AND (upper(ea.code) = upper(?) OR upper(ea.country) = upper(?) OR upper(ea.org) = upper(?)))"
)


def day_range(start: _dt.date | None, end: _dt.date | None) -> tuple[str, list[Any]]:
    """A condition on the ``day`` column of the summary tables (``pair_days``, ``actor_days``)
    for [start, end] (None: open), and its parameters.

    Undated events are filed there under DATE 'infinity' (``schema.UNDATED``): with no
    bound they count (condition TRUE), with any bound they fall outside ``BETWEEN``, as an
    undated event fell outside ``day >= since``/``day <= until`` before. Constant bounds let
    the row-group zone maps of the day-sorted tables skip the other days."""
    if start is None and end is None:
        return "TRUE", []
    return "day BETWEEN ? AND ?", [start or _dt.date.min, end or _dt.date.max]


def date_range(
    since: str | _dt.date | None, until: str | _dt.date | None
) -> tuple[_dt.date | None, _dt.date | None, list[Any]]:
    """Validated (since, until) and the four parameters of an open-ended range test
    (``CAST(? AS DATE) IS NULL OR day >= ?`` and the same with ``<=``)."""
    start = check_date(since, "since")
    end = check_date(until, "until")
    if start and end and start > end:
        raise QueryError(f"since {start} is after until {end}")
    return start, end, [start, start, end, end]
