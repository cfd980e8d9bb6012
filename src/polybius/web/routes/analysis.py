"""Actors, a dyad's time series, the relations graph, blocs and trends."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from polybius.analysis import dyad_series, find_blocs, graph_to_dict, relations_graph
from polybius.analysis import trends as compute_trends
from polybius.store import queries
from polybius.web.db import open_reader
from polybius.web.models import ActorsOut, BlocsOut, DyadOut, ErrorOut, RelationsOut, TrendsOut
from polybius.web.params import (
    ACTOR_MAX,
    ACTOR_PATTERN,
    DateRange,
    PeriodName,
    bad_param,
    date_range,
)
from polybius.web.settings import WebSettings

__all__ = ["build", "trim_graph"]

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorOut},
    503: {"model": ErrorOut},
}
RequiredActor = Annotated[
    str,
    Query(min_length=1, max_length=ACTOR_MAX, pattern=ACTOR_PATTERN, description="Actor code."),
]


def trim_graph(graph: dict[str, Any], max_edges: int) -> dict[str, Any]:
    """Keep the ``max_edges`` heaviest edges and the nodes they touch; flag the cut."""
    edges = list(graph.get("edges") or [])
    nodes = list(graph.get("nodes") or [])
    if len(edges) <= max_edges:
        return {"nodes": nodes, "edges": edges, "truncated": False}
    edges.sort(key=lambda e: (-(e.get("events") or 0), str(e.get("source")), str(e.get("target"))))
    edges = edges[:max_edges]
    keep = {e["source"] for e in edges} | {e["target"] for e in edges}
    return {"nodes": [n for n in nodes if n["id"] in keep], "edges": edges, "truncated": True}


def _trend_period(value: str) -> str | int:
    if value.isdigit():
        days = int(value)
        if not 1 <= days <= 3660:
            bad_param("period", "a period in days must be between 1 and 3660", value)
        return days
    return value


def build(settings: WebSettings) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/actors", response_model=ActorsOut, responses=_ERRORS)
    def actors(
        limit: Annotated[int, Query(ge=1, le=1000, description="Most active first.")] = 200,
    ) -> dict[str, Any]:
        """Actors in the store with their event counts, most active first."""
        with open_reader(settings) as store:
            return {"items": queries.list_actors(store, limit=limit)}

    @router.get("/api/dyad", response_model=DyadOut, responses=_ERRORS)
    def dyad(
        a: RequiredActor,
        b: RequiredActor,
        dates: Annotated[DateRange, Depends(date_range)],
        by: Annotated[PeriodName, Query(description="Bucket size.")] = PeriodName.month,
    ) -> dict[str, Any]:
        """Cooperation and conflict between two actors per period, in both directions."""
        if a == b:
            bad_param("b", "a and b must be two different actors", b)
        with open_reader(settings) as store:
            rows = dyad_series(store, a, b, by=by.value, since=dates.since, until=dates.until)
        cut = len(rows) > settings.max_series_rows
        return {
            "a": a,
            "b": b,
            "by": by.value,
            "rows": rows[: settings.max_series_rows],
            "truncated": cut,
        }

    @router.get("/api/relations", response_model=RelationsOut, responses=_ERRORS)
    def relations(
        dates: Annotated[DateRange, Depends(date_range)],
        min_events: Annotated[
            int, Query(ge=1, le=1_000_000, description="Drop pairs with fewer events.")
        ] = 1,
    ) -> dict[str, Any]:
        """The relations graph: actors as nodes, pairs as edges with cooperation and conflict."""
        with open_reader(settings) as store:
            g = relations_graph(store, since=dates.since, until=dates.until, min_events=min_events)
        return trim_graph(graph_to_dict(g), settings.max_graph_edges)

    @router.get("/api/blocs", response_model=BlocsOut, responses=_ERRORS)
    def blocs(dates: Annotated[DateRange, Depends(date_range)]) -> dict[str, Any]:
        """Groups of actors that mostly cooperate with each other."""
        with open_reader(settings) as store:
            return {"items": find_blocs(store, since=dates.since, until=dates.until)}

    @router.get("/api/trends", response_model=TrendsOut, responses=_ERRORS)
    def trends(
        dates: Annotated[DateRange, Depends(date_range)],
        period: Annotated[
            str,
            Query(
                max_length=7,
                pattern=r"^(week|month|quarter|year|[0-9]{1,4})$",
                description="Window to compare: week, month, quarter, year, or a number of days.",
            ),
        ] = "month",
        top: Annotated[int, Query(ge=1, le=100, description="How many pairs.")] = 10,
    ) -> dict[str, Any]:
        """Pairs whose relations changed most between the last two windows up to ``until``."""
        with open_reader(settings) as store:
            rows = compute_trends(store, period=_trend_period(period), until=dates.until, top=top)
        return {"items": rows}

    return router
