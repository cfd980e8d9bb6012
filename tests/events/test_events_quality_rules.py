"""Quality-pass rules: speech acts over their complements, formal agreements, refusals,
announced yielding, and the PLOVER conventions for legal action, seizure and aid."""

from __future__ import annotations

import pytest


def _one(got):
    assert len(got) == 1, got
    return got[0]


def test_accuse_of_v_ing_is_accuse_not_the_complement(code, summarize):
    got = summarize(code("Norway accused Finland of blocking the fishing treaty on Friday."))
    assert got == [("ACCUSE", "asserted", ("NOR",), ("FIN",))]


def test_urge_to_v_is_request_not_the_complement(code, summarize):
    got = summarize(code("Chile urged Peru to stop the attacks on Ghana."))
    assert _one(got)[:4] == ("REQUEST", "asserted", ("CHL",), ("PER",))


def test_thank_for_v_ing_is_support(code, summarize):
    got = summarize(code("Kenya thanked Ghana for helping the refugees."))
    assert got == [("SUPPORT", "asserted", ("KEN",), ("GHA",))]


def test_warn_against_v_ing_is_threaten(code, summarize):
    got = summarize(code("Norway warned Finland against attacking the border posts."))
    assert got == [("THREATEN", "asserted", ("NOR",), ("FIN",))]


def test_complement_with_its_own_subject_keeps_its_event(code, summarize):
    got = summarize(code("Kenya said that Ghana attacked Chile."))
    assert ("ASSAULT", "asserted", ("GHA",), ("CHL",)) in got


def test_signing_an_agreement_is_support_057(code):
    ev = _one(code("Norway and Chile signed a trade agreement in March 2021."))
    assert ev.event.event_type == "SUPPORT"
    assert ev.event.cameo == "057"
    assert {a.code for a in ev.event.sources} == {"NOR", "CHL"}
    assert ev.event.date == "2021-03"


def test_reaching_a_deal_with_is_support(code, summarize):
    got = summarize(code("Kenya reached a deal with Ghana on Tuesday."))
    assert got == [("SUPPORT", "asserted", ("KEN",), ("GHA",))]


def test_agree_to_do_something_is_agree(code, summarize):
    got = summarize(code("Kenya agreed to lift its sanctions on Ghana."))
    assert [g[0] for g in got] == ["AGREE"]


def test_will_not_release_is_a_rejection(code):
    ev = _one(code("Norway will not release the Chilean prisoners."))
    assert ev.event.event_type == "REJECT"
    assert ev.event.modality == "asserted"
    assert ev.event.cameo == "124"


def test_did_not_release_stays_negated_not_reject(code):
    evs = code("Norway did not release the Chilean prisoners.")
    assert all(e.event.event_type != "REJECT" for e in evs)


def test_announced_withdrawal_is_agree(code, summarize):
    got = summarize(code("Finland will lift its sanctions on Norway next year."))
    assert got and got[0][0] == "AGREE"


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Norway lifted the sanctions on Finland.", "CONCEDE"),
        ("Chile returned the stolen paintings to Peru.", "RETREAT"),
        ("Kenya summoned the Ghanaian ambassador.", "ACCUSE"),
        ("Norway sued Finland over the fishing quotas.", "ACCUSE"),
        ("Finnish troops overran a Chilean base.", "ASSAULT"),
        ("Chile opened its borders to Peruvian refugees.", "AID"),
        ("Kenya rejected the proposal of Ghana.", "REJECT"),
    ],
)
def test_plover_conventions(code, text, etype):
    extra = {"Ghanaian": {"country": "GHA"}, "Peruvian": {"country": "PER"}}
    evs = code(text, extra=extra)
    assert etype in [e.event.event_type for e in evs], [e.event.event_type for e in evs]
