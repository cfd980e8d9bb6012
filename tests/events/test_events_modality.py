"""Modality rules and PLOVER's future-cooperation rule, on invented sentences."""

from __future__ import annotations

import pytest


def _one(code, text, **kw):
    events = code(text, **kw)
    assert len(events) == 1, [e.event for e in events]
    return events[0]


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Norway attacked Finland.", "asserted"),
        ("Norway will attack Finland.", "future"),
        ("Norway is going to attack Finland.", "future"),
        ("Norway is set to attack Finland.", "future"),
        ("Norway hopes to accuse Finland.", "intended"),
        ("Norway plans to accuse Finland.", "intended"),
        ("Norway seeks to accuse Finland.", "intended"),
        ("Norway could attack Finland.", "hypothetical"),
        ("Norway might attack Finland.", "hypothetical"),
        ("If talks fail, Norway would attack Finland.", "hypothetical"),
        ("It is far from certain that Norway will attack Finland.", "hypothetical"),
        ("Norway did not attack Finland.", "negated"),
        ("Norway will not attack Finland.", "negated"),
        ("Norway never accused Finland.", "negated"),
    ],
)
def test_modality(code, text, modality):
    assert _one(code, text).event.modality == modality


def test_refusal_is_reject_not_negation(code):
    ev = _one(code, "Norway refused to meet Finland.").event
    assert ev.event_type == "REJECT" and ev.modality == "asserted"


def test_pledge_to_act_is_an_asserted_agree(code):
    ev = _one(code, "Norway pledged to expand its cooperation with Finland.").event
    assert ev.event_type == "AGREE" and ev.modality == "asserted"


def test_pledge_of_support_is_support(code):
    # PLOVER-coded data: a stated pledge of support is verbal SUPPORT, not AGREE
    ev = _one(code, "Norway pledged support to Finland.").event
    assert ev.event_type == "SUPPORT" and ev.modality == "asserted"


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Norway will expand its cooperation with Finland.", "future"),
        ("Helsinki hopes to hold talks with Oslo.", "intended"),
        ("Oslo intends to visit Lima.", "intended"),
    ],
)
def test_future_or_intended_cooperation_is_agree(code, text, modality):
    item = _one(code, text)
    assert item.event.event_type == "AGREE"
    assert item.event.modality == modality
    assert item.explanation["original_type"] in {"COOPERATE", "CONSULT"}
    assert "->AGREE" in item.event.rule


def test_future_conflict_is_threaten(code):
    # PLOVER-coded data: announced or intended conflictual acts are THREATEN
    item = _one(code, "Norway will attack Finland.")
    assert item.event.event_type == "THREATEN" and item.event.modality == "future"
    assert item.explanation["original_type"] == "ASSAULT"
    assert "->THREATEN" in item.event.rule


def test_negated_conflict_keeps_its_type(code):
    ev = _one(code, "Norway did not attack Finland.").event
    assert ev.event_type == "ASSAULT" and ev.modality == "negated"


def test_date_after_publication_makes_it_future(code):
    ev = _one(code, "Norway attacks Finland tomorrow.", date="2023-04-20").event
    assert ev.date == "2023-04-21" and ev.modality == "future"
