"""The non-event filter: a typing model's P(NONE) at or above the threshold drops the event."""

from __future__ import annotations

import pytest

from polybius.events import learned as learned_module
from polybius.events.candidates import TypeDecision
from polybius.events.decide import (
    NON_EVENT_ENV,
    NON_EVENT_THRESHOLD,
    is_non_event,
    non_event_threshold,
)
from polybius.ontology import PLOVER_TYPES

#: Two invented reports in one article: one the fake model calls a non-event.
_TEXT = (
    "Norway criticised Finland over the fishing dispute. "
    "Chile accused Peru of moving troops to the border."
)


def _fake_model(monkeypatch: pytest.MonkeyPatch, p_none_of: dict[str, float]) -> None:
    """A typing model that says ACCUSE, with P(NONE) by the candidate's source word."""

    def predict(candidates):
        out = []
        for c in candidates:
            source = c.sentence[c.source[0] : c.source[1]]
            scores = dict.fromkeys(PLOVER_TYPES, 0.0) | {"ACCUSE": 1.0}
            out.append(TypeDecision("ACCUSE", 0.9, None, "model", scores, p_none_of[source]))
        return out

    monkeypatch.setattr(learned_module, "available", lambda: True)
    monkeypatch.setattr(learned_module, "predict", predict)


def _sources(code, typing: str = "hybrid") -> list[str]:
    return [e.event.sources[0].country for e in code(_TEXT, typing=typing)]


def test_a_confident_non_event_gives_no_event_and_the_rest_stay(code, monkeypatch) -> None:
    monkeypatch.delenv(NON_EVENT_ENV, raising=False)
    _fake_model(monkeypatch, {"Norway": 0.1, "Chile": 0.97})
    assert _sources(code) == ["NOR"]
    assert _sources(code, "model") == ["NOR"]
    # the patterns alone ask no model, so nothing is dropped
    assert _sources(code, "rules") == ["NOR", "CHL"]


def test_the_threshold_can_be_moved_or_turned_off(code, monkeypatch) -> None:
    _fake_model(monkeypatch, {"Norway": 0.6, "Chile": 0.97})
    monkeypatch.setenv(NON_EVENT_ENV, "off")
    assert _sources(code) == ["NOR", "CHL"]
    monkeypatch.setenv(NON_EVENT_ENV, "0.5")
    assert _sources(code) == []


def test_kept_events_explain_their_p_none(code, monkeypatch) -> None:
    monkeypatch.delenv(NON_EVENT_ENV, raising=False)
    _fake_model(monkeypatch, {"Norway": 0.12, "Chile": 0.2})
    assert [e.explanation["p_none"] for e in code(_TEXT, typing="hybrid")] == [0.12, 0.2]


def test_threshold_from_the_environment(monkeypatch) -> None:
    monkeypatch.delenv(NON_EVENT_ENV, raising=False)
    assert non_event_threshold() == NON_EVENT_THRESHOLD
    monkeypatch.setenv(NON_EVENT_ENV, " 0.75 ")
    assert non_event_threshold() == 0.75
    monkeypatch.setenv(NON_EVENT_ENV, "OFF")
    assert non_event_threshold() is None
    for bad in ("high", "0", "1.5", "-0.2", "nan"):
        monkeypatch.setenv(NON_EVENT_ENV, bad)
        with pytest.raises(ValueError, match=NON_EVENT_ENV):
            non_event_threshold()


def test_is_non_event_needs_a_p_none() -> None:
    plain = TypeDecision("ACCUSE", 0.9)
    assert not is_non_event(plain, 0.5)
    sure = TypeDecision("ACCUSE", 0.9, p_none=0.8)
    assert is_non_event(sure, 0.8) and not is_non_event(sure, 0.81)
