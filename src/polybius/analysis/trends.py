"""Trends: the dyads whose relations changed most against the previous period.

Two windows of equal length end at ``until`` (default: the last article date in the store,
else the last event day):
current = (until - period, until] and previous = (until - 2 periods, until - period]. For
each pair of actors (undirected) the Goldstein sum of their events in each window is the
measure; ``change`` = current - previous, and ``kind`` says which way it moved. The sums
are read from the ``pair_days`` summary (schema migration 3), not from the events.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from polybius.analysis._sql import day_range
from polybius.store.core import Store
from polybius.store.validate import QueryError, check_date, check_limit

__all__ = ["trends", "trend_windows", "TREND_PERIODS"]

#: Named trend periods; an int means that many days.
TREND_PERIODS: tuple[str, ...] = ("week", "month", "quarter", "year")


def _minus_months(day: _dt.date, months: int) -> _dt.date:
    y, m = divmod(day.year * 12 + (day.month - 1) - months, 12)
    m += 1
    # clamp the day to the month's length
    for d in (day.day, 30, 29, 28):
        try:
            return _dt.date(y, m, d)
        except ValueError:
            continue
    raise QueryError(f"until: {day.isoformat()} minus {months} months is before year 1")


def _shift(day: _dt.date, period: str | int, n: int) -> _dt.date:
    if isinstance(period, int):
        return day - _dt.timedelta(days=period * n)
    if period == "week":
        return day - _dt.timedelta(days=7 * n)
    if period == "month":
        return _minus_months(day, n)
    if period == "quarter":
        return _minus_months(day, 3 * n)
    return _minus_months(day, 12 * n)


def _check_period(period: str | int) -> str | int:
    if isinstance(period, int) or (isinstance(period, str) and period.strip().isdigit()):
        days = int(period)
        if days < 1:
            raise QueryError(f"period: {period!r} days must be at least 1")
        return days
    name = str(period).strip().lower()
    if name not in TREND_PERIODS:
        raise QueryError(
            f"period: {period!r} is not a number of days or one of {', '.join(TREND_PERIODS)}"
        )
    return name


def trend_windows(
    until: _dt.date, period: str | int
) -> tuple[tuple[_dt.date, _dt.date], tuple[_dt.date, _dt.date]]:
    """((previous_first_day, previous_last_day), (current_first_day, current_last_day))."""
    p = _check_period(period)
    try:
        mid = _shift(until, p, 1)
        start = _shift(until, p, 2)
    except (ValueError, OverflowError):
        raise QueryError(
            f"until: {until.isoformat()} leaves no room for two periods of {period!r} before it"
        ) from None
    one = _dt.timedelta(days=1)
    return (start + one, mid), (mid + one, until)


_TRENDS_SQL = """
    WITH w AS (
        SELECT least(src_code, tgt_code) AS a, greatest(src_code, tgt_code) AS b,
               day >= ? AS cur, events, q1 + q2 AS coop, q3 + q4 AS confl, goldstein_sum
        FROM pair_days
        WHERE {day}
    )
    SELECT a, b,
           coalesce(sum(goldstein_sum) FILTER (WHERE NOT cur), 0) AS prev,
           coalesce(sum(goldstein_sum) FILTER (WHERE cur), 0) AS curr,
           coalesce(sum(events) FILTER (WHERE NOT cur), 0) AS prev_events,
           coalesce(sum(events) FILTER (WHERE cur), 0) AS cur_events,
           coalesce(sum(coop - confl) FILTER (WHERE NOT cur), 0) AS prev_net,
           coalesce(sum(coop - confl) FILTER (WHERE cur), 0) AS cur_net
    FROM w
    GROUP BY a, b
    ORDER BY a, b
"""


def _trend_rows(
    store: Store,
    previous: tuple[_dt.date, _dt.date],
    current: tuple[_dt.date, _dt.date],
) -> list[tuple[Any, ...]]:
    """(a, b, previous and current Goldstein sums, event counts and net cooperation) per
    undirected pair with events in the two windows, ordered by (a, b)."""
    day, params = day_range(previous[0], current[1])
    return store.con.execute(_TRENDS_SQL.format(day=day), [current[0], *params]).fetchall()


def trends(
    store: Store,
    *,
    period: str | int = "month",
    until: str | _dt.date | None = None,
    top: int = 10,
) -> list[dict[str, Any]]:
    """The ``top`` dyads by absolute change of Goldstein sum, each
    {a, b, previous, current, change, kind, previous_events, current_events, previous_net,
    current_net, previous_period, current_period}; kind is "toward cooperation" or
    "toward conflict"."""
    p = _check_period(period)
    top = check_limit(top, "top")
    end = check_date(until, "until")
    if end is None:
        # the last publication date: events dated after their report (plans, deadlines)
        # would otherwise move the windows into the future
        row = store.con.execute(
            "SELECT coalesce((SELECT max(date) FROM articles), (SELECT max(day) FROM events))"
        ).fetchone()
        if not row or row[0] is None:
            return []
        end = row[0]
    (p0, p1), (c0, c1) = trend_windows(end, p)
    rows = _trend_rows(store, (p0, p1), (c0, c1))
    out = []
    for a, b, prev, curr, pe, ce, pn, cn in rows:
        change = round(float(curr) - float(prev), 6)
        if change == 0:
            continue
        out.append(
            {
                "a": a,
                "b": b,
                "previous": round(float(prev), 6),
                "current": round(float(curr), 6),
                "change": change,
                "kind": "toward cooperation" if change > 0 else "toward conflict",
                "previous_events": int(pe),
                "current_events": int(ce),
                "previous_net": int(pn),
                "current_net": int(cn),
                "previous_period": [p0.isoformat(), p1.isoformat()],
                "current_period": [c0.isoformat(), c1.isoformat()],
            }
        )
    out.sort(key=lambda r: (-abs(r["change"]), -(r["previous_events"] + r["current_events"])))
    return out[:top]
