"""Merge repeated reports of one event within an article (headline and body, repeats).

Two events are the same when their sources, type, targets, date and modality agree (the
``Event.make_id`` key). The most confident report is kept (the first on ties); it takes the
attribution, quantity and location of the others when it has none, and ``mentions`` counts
all reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from polybius.records import Event

__all__ = ["dedup_events"]


def dedup_events(events: Sequence[Event]) -> list[Event]:
    """One event per event id, with ``mentions`` = number of reports; order of first report."""
    groups: dict[str, list[Event]] = {}
    for ev in events:
        groups.setdefault(ev.event_id, []).append(ev)
    out: list[Event] = []
    for group in groups.values():
        best = max(group, key=lambda e: (e.confidence, -e.sentence_index))
        fills = {}
        for field_name in ("attribution", "quantity", "location"):
            if getattr(best, field_name) is None:
                for other in group:
                    if getattr(other, field_name) is not None:
                        fills[field_name] = getattr(other, field_name)
                        if field_name == "location":  # the place and its resolution
                            fills.update(
                                location_country=other.location_country,
                                location_lat=other.location_lat,
                                location_lon=other.location_lon,
                            )
                        break
        out.append(replace(best, mentions=sum(e.mentions for e in group), **fills))
    first = {eid: min(e.sentence_index for e in g) for eid, g in groups.items()}
    out.sort(key=lambda e: (first[e.event_id], e.span[0]))
    return out
