"""ActorDictionary.scan remembers recent long texts (pre-filter, then find_actors) safely."""

from __future__ import annotations

from polybius.actors import dictionary as dmod
from polybius.actors import load_dictionary

LONG = (
    "Kenyan officials met Tanzanian envoys in Dodoma on Monday to discuss the border. "
    "The US said it would send aid, and troops from Uganda crossed into Kenya. " * 3
)


def test_repeated_scan_is_equal_and_returns_fresh_hits() -> None:
    d = load_dictionary()
    first = d.scan(LONG)
    first[0].start = -5  # a caller changing its hits must not change the next scan
    again = d.scan(str(LONG))  # an equal string, another object
    assert again == d._scan(LONG)
    assert again[0].start != -5
    assert [(h.start, h.end) for h in again] == [(h.start, h.end) for h in d._scan(LONG)]
    assert len(again) >= 6


def test_cache_is_bounded_and_skips_short_texts(monkeypatch) -> None:
    d = load_dictionary()
    monkeypatch.setattr(dmod, "SCAN_CACHE_TEXTS", 3)
    for k in range(6):
        d.scan(LONG + f" Story {k}.")
    assert len(d._scans) == 3
    assert LONG + " Story 5." in d._scans and LONG + " Story 0." not in d._scans
    short = "Kenya and Uganda."
    assert d.scan(short) == d._scan(short)
    assert short not in d._scans
