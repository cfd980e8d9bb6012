"""Trend windows near the start of the calendar give a clear QueryError, not a crash."""

import datetime as dt

import pytest

from polybius.analysis.trends import trend_windows
from polybius.store.validate import QueryError


@pytest.mark.parametrize("period", ["month", "year", "week", 400])
def test_windows_before_year_one_are_a_query_error(period):
    with pytest.raises(QueryError, match="until"):
        trend_windows(dt.date(1, 1, 3), period)


def test_windows_in_normal_range():
    prev, cur = trend_windows(dt.date(2024, 3, 31), "month")
    assert cur == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert prev == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
