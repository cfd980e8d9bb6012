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


def _by_trigger(code, text, trigger, **kw):
    found = [e for e in code(text, **kw) if e.event.trigger == trigger]
    assert len(found) == 1, [(e.event.trigger, e.event.modality) for e in code(text, **kw)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # a conjunct with its own subject or auxiliary is a clause of its own
        ("Norway did not attack Chile, and Peru attacked Finland.", "attacked", "asserted"),
        ("Norway did not attack Chile, and Peru attacked Finland.", "attack", "negated"),
        # a shared auxiliary still reaches the second conjunct
        ("Norway will meet and consult Finland.", "consult", "future"),
        # the first conjunct's verb is a co-ordinated act, not a cue for the second
        ("Norway has planned and directed attacks on Finland.", "directed", "asserted"),
        # a relative clause states a fact, whatever the sentence around it says
        (
            "Analysts say Norway is likely to win the region, where Finland attacked "
            "Chilean troops last year.",
            "attacked",
            "asserted",
        ),
        # so does a clause opened by "as" or "because"
        ("Norway is likely to win the war, as Chile attacks Finland.", "attacks", "asserted"),
        # a condition governing the clause
        ("Norway will meet Finland only if Chile agrees.", "meet", "hypothetical"),
        # a purpose clause shares the tense of the act it serves
        (
            "Norway will send envoys to Lima to discuss the dispute with Finland.",
            "discuss",
            "future",
        ),
        # the aim of an act that happened: the annotators mostly read it as done
        ("Norway sent troops to fight Finland.", "fight", "asserted"),
        # a time clause shares only the tense
        (
            "The dispute will be settled on Friday when Norway hosts a summit with Finland.",
            "hosts",
            "future",
        ),
        ("Norway will not attack Finland when Chile leaves.", "attack", "negated"),
        # "ahead of" a meeting: it is still to come
        ("Norway spoke to Finland ahead of a meeting with Chile.", "meeting", "future"),
        # adjectives of intent, doubt, fear and need
        ("Norway was desperate to meet Finland.", "meet", "intended"),
        ("Norway is also likely to attack Finland.", "attack", "hypothetical"),
        ("Analysts are sceptical that Norway will attack Finland.", "attack", "hypothetical"),
        ("Officials were worried Norway was going to attack Finland.", "attack", "hypothetical"),
        ("Norway fears that Chile will attack Finland.", "attack", "hypothetical"),
        # a wish for someone else to act is not that actor's intention
        ("Norway wants Chile to attack Finland.", "attack", "hypothetical"),
        ("Norway no longer accuses Finland.", "accuses", "negated"),
        # "would" after a noun of reporting is a future in reported speech
        ("Norway welcomed the announcement that Chile would attack Finland.", "attack", "future"),
    ],
)
def test_trigger_modality(code, text, trigger, modality):
    item = _by_trigger(code, text, trigger)
    assert item.explanation["trigger_modality"] == modality
    assert item.event.modality == modality


def test_refusal_is_a_negated_act_in_the_explanation(code):
    item = _one(code, "Norway refused to meet Finland.")
    assert item.event.modality == "asserted"
    assert item.explanation["trigger_modality"] in {"asserted", "negated"}
    item = _one(code, "Norway will not meet Finland.")
    assert item.event.event_type == "REJECT" and item.event.modality == "asserted"
    assert item.explanation["trigger_modality"] == "negated"


def test_conditional_reported_would_is_hypothetical(code):
    item = _by_trigger(
        code, "If talks fail, Norway said that Norway would attack Finland.", "attack"
    )
    assert item.event.modality == "hypothetical"


@pytest.mark.parametrize(
    ("text", "trigger", "event_type"),
    [
        # a conditional offer or threat: the act is hypothetical, the offer is AGREE and the
        # threat THREATEN, as PLOVER codes them
        ("Norway is willing to send aid to Finland if Chile agrees.", "send", "AGREE"),
        ("Norway will attack Finland unless Chile withdraws.", "attack", "THREATEN"),
    ],
)
def test_conditional_offer_keeps_plovers_future_rule(code, text, trigger, event_type):
    item = _by_trigger(code, text, trigger)
    assert item.event.modality == "hypothetical"
    assert item.event.event_type == event_type


@pytest.mark.parametrize(
    ("text", "trigger", "modality"),
    [
        # a decision to act is coded as the act, as PLV does ("decided to lift sanctions")
        ("Norway decided to attack Finland.", "attack", "asserted"),
        # the condition of a threat is its content: the threat was made
        ("Norway threatened Finland with sanctions if Chile left.", "threatened", "asserted"),
        # "even if" concedes a fact
        ("Norway trades with Chile even if Norway criticises Finland.", "criticises", "asserted"),
        # a doubt word in another clause is not about this one
        (
            "Speaking after a meeting with Finland, Norway said a deal was possible.",
            "meeting",
            "asserted",
        ),
        ("Norway spoke about the planned summit with Finland.", "summit", "intended"),
    ],
)
def test_trigger_modality_second_round(code, text, trigger, modality):
    assert _by_trigger(code, text, trigger).explanation["trigger_modality"] == modality


@pytest.mark.parametrize(
    "text", ["Norway urged Chile to attack Finland.", "Norway called on Chile to attack Finland."]
)
def test_what_is_demanded_of_another_is_hypothetical(nlp, text):
    # the coder makes a REQUEST of these; the attack, if coded, is only asked for
    from polybius.events.modality import modality_of

    attack = next(t for t in nlp(text) if t.text == "attack")
    assert modality_of(attack, attack).modality == "hypothetical"
