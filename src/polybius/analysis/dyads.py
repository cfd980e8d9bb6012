"""Dyad time series: what A did to B and B to A, per day, week, month or year."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from polybius.analysis._sql import ACTOR_MATCH, date_range
from polybius.store.core import Store
from polybius.store.validate import QueryError, check_actor, check_period

__all__ = ["dyad_series", "period_label"]


def _display(code: str | None) -> str | None:
    """Codes (NATO, usa) are shown upper-case; names (Joe Biden) as given."""
    if code is not None and re.fullmatch(r"[A-Za-z0-9_]{2,12}", code):
        return code.upper()
    return code


def period_label(day: _dt.date, by: str) -> str:
    """How a period is written: 2021-03-04 (day, and week by its Monday), 2021-03, 2021."""
    if by == "month":
        return day.strftime("%Y-%m")
    if by == "year":
        return day.strftime("%Y")
    return day.isoformat()


_DYAD_SQL = """
    SELECT CAST(date_trunc(?, day) AS DATE) AS period,
           CASE WHEN src_key = ? THEN 'A->B' ELSE 'B->A' END AS direction,
           sum(events), sum(q1), sum(q2), sum(q3), sum(q4),
           sum(goldstein_sum),
           CASE WHEN sum(goldstein_n) > 0 THEN sum(goldstein_sum) / sum(goldstein_n) END
    FROM dyad_days
    WHERE ((src_key = ? AND tgt_key = ?) OR (src_key = ? AND tgt_key = ?))
      AND (CAST(? AS DATE) IS NULL OR day >= ?)
      AND (CAST(? AS DATE) IS NULL OR day <= ?)
    GROUP BY ALL
    ORDER BY period, direction
"""


def _dyad_rows(
    store: Store, code_a: str, code_b: str, unit: str, rng: list[Any]
) -> list[tuple[Any, ...]]:
    """(period, direction, events, q1..q4, Goldstein sum, mean) from the ``dyad_days`` summary.

    Keys are upper-cased by DuckDB first (as stored), so the filter compares constants and
    the row-group zone maps of the sorted table skip all other pairs."""
    row = store.con.execute("SELECT upper(?), upper(?)", [code_a, code_b]).fetchone()
    key_a, key_b = (row[0], row[1]) if row else (code_a, code_b)
    params = [unit, key_a, key_a, key_b, key_b, key_a, *rng]
    return store.con.execute(_DYAD_SQL, params).fetchall()


def _dyad_rows_from_events(
    store: Store, code_a: str, code_b: str, unit: str, rng: list[Any]
) -> list[tuple[Any, ...]]:
    """The same rows computed from ``events``/``event_actors`` (the pre-``dyad_days`` query,
    linear in the store size). Kept only as the reference the tests compare against."""
    src = ACTOR_MATCH.format(role="source")
    tgt = ACTOR_MATCH.format(role="target")
    sql = f"""
        WITH ev AS (
            SELECT e.event_id, CAST(date_trunc(?, e.day) AS DATE) AS period,
                   e.quad_class, e.goldstein,
                   ({src} AND {tgt}) AS ab,
                   ({src} AND {tgt}) AS ba
            FROM events e
            WHERE e.day IS NOT NULL
              AND (CAST(? AS DATE) IS NULL OR e.day >= ?)
              AND (CAST(? AS DATE) IS NULL OR e.day <= ?)
        ),
        directed AS (
            SELECT period, 'A->B' AS direction, quad_class, goldstein FROM ev WHERE ab
            UNION ALL
            SELECT period, 'B->A' AS direction, quad_class, goldstein FROM ev WHERE ba
        )
        SELECT period, direction, count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS q1,
               count(*) FILTER (WHERE quad_class = 2) AS q2,
               count(*) FILTER (WHERE quad_class = 3) AS q3,
               count(*) FILTER (WHERE quad_class = 4) AS q4,
               coalesce(sum(goldstein), 0) AS goldstein_sum,
               avg(goldstein) AS goldstein_mean
        FROM directed
        GROUP BY period, direction
        ORDER BY period, direction
    """
    params = [unit, *[code_a] * 3, *[code_b] * 3, *[code_b] * 3, *[code_a] * 3, *rng]
    return store.con.execute(sql, params).fetchall()


def dyad_series(
    store: Store,
    a: str,
    b: str,
    *,
    by: str = "month",
    since: str | _dt.date | None = None,
    until: str | _dt.date | None = None,
) -> list[dict[str, Any]]:
    """Per period and direction: events, counts per quad class, Goldstein sum and mean, and
    net cooperation ((q1 + q2) - (q3 + q4)).

    Rows are ordered by period, then direction "A->B" (a as a source, b as a target) before
    "B->A"; ``source``/``target`` give the codes. An event counts once per direction however
    many of its actors match; events without a day are left out. Periods with no event in a
    direction have no row (the plot fills them with zeros)."""
    code_a = _display(check_actor(a, "A"))
    code_b = _display(check_actor(b, "B"))
    if code_a is None or code_b is None:
        raise QueryError("a dyad needs two actor codes")
    if code_a.upper() == code_b.upper():
        raise QueryError(f"a dyad needs two different actors, got {code_a!r} twice")
    unit = check_period(by)
    _start, _end, rng = date_range(since, until)
    out: list[dict[str, Any]] = []
    for period, direction, events, q1, q2, q3, q4, gsum, gmean in _dyad_rows(
        store, code_a, code_b, unit, rng
    ):
        out.append(
            {
                "period": period_label(period, unit),
                "period_start": period.isoformat(),
                "direction": direction,
                "source": code_a if direction == "A->B" else code_b,
                "target": code_b if direction == "A->B" else code_a,
                "events": int(events),
                "q1": int(q1),
                "q2": int(q2),
                "q3": int(q3),
                "q4": int(q4),
                "goldstein_sum": round(float(gsum), 6),
                "goldstein_mean": None if gmean is None else round(float(gmean), 6),
                "net_cooperation": int(q1 + q2 - q3 - q4),
            }
        )
    return out
