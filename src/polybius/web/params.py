"""Validated query parameters shared by the routes.

Every parameter has a type, a bounded length or range and, for strings, a pattern, so that a
bad value ends in a clear 422 naming the parameter, never in a 500. The SQL the store runs is
parameterised; these checks are a second fence, and they keep responses bounded.
"""

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Annotated, Any

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from polybius.ontology import PLOVER_TYPES
from polybius.records import MODALITIES
from polybius.web.settings import WebSettings

__all__ = [
    "ACTOR_PATTERN",
    "DATE_PATTERN",
    "ID_PATTERN",
    "ActorParam",
    "DateRange",
    "EventFilters",
    "EventOrder",
    "EventTypeName",
    "ModalityName",
    "Page",
    "PeriodName",
    "bad_param",
    "date_range",
    "event_filters",
    "page_dependency",
]

#: Actor codes and names: no control characters and none of ; = < > { } [ ] \ " ` |
ACTOR_PATTERN = r'^[^\x00-\x1f\x7f;=<>{}\[\]\\"`|]+$'
#: Dates are ISO calendar dates only, years 1000-2999 (date arithmetic stays in range).
DATE_PATTERN = r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}$"
#: Article and event ids are short hex content hashes; allow a little more, never punctuation.
ID_PATTERN = r"^[0-9A-Za-z_-]+$"
ACTOR_MAX = 80
ID_MAX = 64

EventTypeName = Enum("EventTypeName", {t: t for t in PLOVER_TYPES}, type=str)  # type: ignore[misc]
EventTypeName.__doc__ = "A PLOVER event type."
ModalityName = Enum("ModalityName", {m: m for m in MODALITIES}, type=str)  # type: ignore[misc]
ModalityName.__doc__ = "An event modality."


class EventOrder(StrEnum):
    """Event order: oldest first, newest first, or most reported first."""

    oldest = "date"
    newest = "-date"
    mentions = "mentions"


class PeriodName(StrEnum):
    """Bucket size for time series."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


def bad_param(name: str, message: str, value: Any = None, *, where: str = "query") -> None:
    """Raise the same 422 error FastAPI raises for a failed check, naming the parameter."""
    raise RequestValidationError(
        [{"type": "value_error", "loc": (where, name), "msg": message, "input": value}]
    )


ActorParam = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=ACTOR_MAX,
        pattern=ACTOR_PATTERN,
        description="Actor code (ISO3 country, organisation code) or name.",
    ),
]
DateParam = Annotated[
    str | None,
    Query(
        min_length=10,
        max_length=10,
        pattern=DATE_PATTERN,
        description="ISO date YYYY-MM-DD (inclusive), years 1000-2999.",
        json_schema_extra={"format": "date"},
    ),
]


def _check_date(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        bad_param(name, f"{value!r} is not a valid calendar date (YYYY-MM-DD)", value)
    return None  # unreachable


@dataclass(frozen=True, slots=True)
class DateRange:
    """An inclusive range of ISO dates; either end may be open."""

    since: str | None = None
    until: str | None = None


def date_range(since: DateParam = None, until: DateParam = None) -> DateRange:
    """Dependency: the ``since``/``until`` pair, checked as real dates in order."""
    s = _check_date("since", since)
    u = _check_date("until", until)
    if s and u and s > u:
        bad_param("until", f"until ({u}) is before since ({s})", until)
    return DateRange(since=s, until=u)


@dataclass(frozen=True, slots=True)
class EventFilters:
    """The filters of ``polybius events``, as keyword arguments of ``query_events``."""

    actor: str | None = None
    source: str | None = None
    target: str | None = None
    event_type: str | None = None
    quad: int | None = None
    modality: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "source": self.source,
            "target": self.target,
            "event_type": self.event_type,
            "quad": self.quad,
            "modality": self.modality,
            "place": self.place,
            "since": self.since,
            "until": self.until,
        }


def event_filters(
    actor: ActorParam = None,
    source: ActorParam = None,
    target: ActorParam = None,
    event_type: Annotated[
        EventTypeName | None, Query(alias="type", description="PLOVER event type.")
    ] = None,
    quad: Annotated[
        int | None,
        Query(
            ge=1,
            le=4,
            description="Quad class: 1 verbal cooperation, 2 material cooperation, "
            "3 verbal conflict, 4 material conflict.",
        ),
    ] = None,
    modality: Annotated[ModalityName | None, Query(description="Event modality.")] = None,
    place: Annotated[
        str | None,
        Query(
            pattern="^[A-Za-z]{3}$",
            description="ISO 3166 alpha-3 country where the events happened (their resolved "
            "place), e.g. SYR.",
        ),
    ] = None,
    since: DateParam = None,
    until: DateParam = None,
) -> EventFilters:
    """Dependency: all event filters, validated."""
    dates = date_range(since, until)
    return EventFilters(
        actor=actor,
        source=source,
        target=target,
        event_type=event_type.value if event_type is not None else None,
        quad=quad,
        modality=modality.value if modality is not None else None,
        place=place.upper() if place else None,
        since=dates.since,
        until=dates.until,
    )


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing."""

    limit: int
    offset: int


def page_dependency(settings: WebSettings, *, default: int = 50) -> Callable[..., Page]:
    """Build the ``limit``/``offset`` dependency with this server's bounds in its schema."""
    default = min(default, settings.max_page_size)

    def page(
        limit: Annotated[
            int,
            Query(ge=1, le=settings.max_page_size, description="Page size (bounded)."),
        ] = default,
        offset: Annotated[
            int, Query(ge=0, le=settings.max_offset, description="Rows to skip.")
        ] = 0,
    ) -> Page:
        return Page(limit=limit, offset=offset)

    return page
