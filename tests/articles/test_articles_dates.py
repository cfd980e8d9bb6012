"""Date normalisation to YYYY-MM-DD."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from polybius.articles import normalise_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-04-10", "2019-04-10"),
        ("2021-08-10T23:30:00-05:00", "2021-08-10"),
        ("2021-08-10T09:00:00Z", "2021-08-10"),
        ("Tue, 10 Aug 2021 09:00:00 GMT", "2021-08-10"),
        ("March 10, 2002", "2002-03-10"),
        ("10 Aug 2002", "2002-08-10"),
        ("10.08.2021 09:00", "2021-08-10"),
        ("Tuesday 10th of August 2021", "2021-08-10"),
        (1628582400, "2021-08-10"),
        ("1628582400000", "2021-08-10"),
        (date(2020, 2, 29), "2020-02-29"),
        (datetime(2020, 2, 29, 23, 59), "2020-02-29"),
        (time.struct_time((2021, 8, 10, 9, 0, 0, 1, 222, 0)), "2021-08-10"),
        ("yesterday", None),
        ("March 2021", None),
        ("2021-13-45", None),
        ("not a date at all", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_normalise_date(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected
