"""Validation of query inputs, with errors that name the input and the reason.

The CLI turns ``QueryError`` into a usage error; the web API into a 422 response.
"""

from __future__ import annotations

import datetime as _dt

from polybius.ontology import PLOVER_TYPES, normalise_event_type
from polybius.records import MODALITIES

__all__ = [
    "QueryError",
    "PERIODS",
    "check_date",
    "check_quad",
    "check_event_type",
    "check_modality",
    "check_period",
    "check_actor",
    "check_limit",
    "check_place",
]

#: Time buckets for series: day, ISO week (starting Monday), calendar month and year.
PERIODS: tuple[str, ...] = ("day", "week", "month", "year")


class QueryError(ValueError):
    """A query input that is not valid; the message names the input and the reason."""


def check_date(value: str | _dt.date | None, name: str = "since") -> _dt.date | None:
    """A YYYY-MM-DD string (or date) as a date; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(f"{name}: {value!r} is not a date in YYYY-MM-DD form") from None


def check_quad(value: int | str | None) -> int | None:
    """A quad class 1-4 (1 verbal coop, 2 material coop, 3 verbal conflict, 4 material)."""
    if value is None or value == "":
        return None
    try:
        quad = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"quad: {value!r} is not a quad class (1, 2, 3 or 4)") from None
    if quad not in (1, 2, 3, 4):
        raise QueryError(f"quad: {value!r} is not a quad class (1, 2, 3 or 4)")
    return quad


def check_event_type(value: str | None) -> str | None:
    """A PLOVER event type name (case-insensitive; YIELD means CONCEDE)."""
    if value is None or value == "":
        return None
    name = normalise_event_type(str(value))
    if name not in PLOVER_TYPES:
        raise QueryError(
            f"type: {value!r} is not a PLOVER event type; choose from {', '.join(PLOVER_TYPES)}"
        )
    return name


def check_modality(value: str | None) -> str | None:
    """One of the modalities an event can have (asserted, future, ...)."""
    if value is None or value == "":
        return None
    name = str(value).strip().lower()
    if name not in MODALITIES:
        raise QueryError(f"modality: {value!r} is not one of {', '.join(MODALITIES)}")
    return name


def check_period(value: str, name: str = "by") -> str:
    """One of day, week, month, year."""
    period = str(value).strip().lower()
    if period not in PERIODS:
        raise QueryError(f"{name}: {value!r} is not one of {', '.join(PERIODS)}")
    return period


def check_actor(value: str | None, name: str = "actor") -> str | None:
    """An actor code (ISO3 country, organisation code or name); matched case-insensitively."""
    if value is None:
        return None
    code = str(value).strip()
    if not code:
        raise QueryError(f"{name}: an actor code must not be empty")
    return code


def check_place(value: str | None, name: str = "place") -> str | None:
    """The ISO 3166 alpha-3 code of the country where events happened (their resolved
    ``location_country``), upper-cased."""
    if value is None or value == "":
        return None
    code = str(value).strip().upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise QueryError(f"{name}: {value!r} is not an ISO 3166 alpha-3 country code (e.g. SYR)")
    return code


def check_limit(value: int, name: str = "limit") -> int:
    """A non-negative row count."""
    if int(value) < 0:
        raise QueryError(f"{name}: {value!r} must be zero or more")
    return int(value)
