"""Clause shapes: subjects, objects, passives, conjunctions, prepositions, event nouns."""

from __future__ import annotations


def test_transitive_verb_subject_to_object(code, summarize):
    assert ("ASSAULT", "asserted", ("NOR",), ("FIN",)) in summarize(
        code("Norway attacked Finland.")
    )  # noqa: E501


def test_passive_agent_is_source_and_subject_is_target(code, summarize):
    got = summarize(code("Finland was attacked by Norway on Monday."))
    assert got == [("ASSAULT", "asserted", ("NOR",), ("FIN",))]


def test_conjoined_subjects_are_both_sources(code, summarize):
    got = summarize(code("Norway and Chile accused Peru of fraud."))
    assert got == [("ACCUSE", "asserted", ("CHL", "NOR"), ("PER",))]


def test_prepositional_target(code, summarize):
    got = summarize(code("Oslo held talks with Lima."))
    assert got == [("CONSULT", "asserted", ("NOR",), ("PER",))]


def test_visit_direct_object_target(code, summarize):
    got = summarize(code("Peruvian Foreign Minister Ana Ruiz visited Helsinki."))
    assert got == [("CONSULT", "asserted", ("PER",), ("FIN",))]


def test_combining_form_gives_the_other_side(code, summarize):
    got = summarize(code("Norway praised Nordo-Chilean relations."))
    assert got == [("SUPPORT", "asserted", ("NOR",), ("CHL",))]


def test_conj_verb_shares_subject(code, summarize):
    got = summarize(code("Ana Ruiz visited Oslo and praised Norway."))
    assert ("CONSULT", "asserted", ("PER",), ("NOR",)) in got
    assert ("SUPPORT", "asserted", ("PER",), ("NOR",)) in got


def test_noun_event_with_possessor_source(code, summarize):
    got = summarize(code("Ghana's attack on Chile killed ten people."))
    assert ("ASSAULT", "asserted", ("GHA",), ("CHL",)) in got


def test_speech_act_on_an_event_noun_is_the_speakers_event(code, summarize):
    got = summarize(code("Kenya condemned Ghana's attack on Chile."))
    assert got == [("ACCUSE", "asserted", ("KEN",), ("GHA",))]


def test_outer_event_verb_wins_over_its_complement(code, summarize):
    # one AGREE event (the pledge), not a second COOPERATE event for "cooperation"
    got = summarize(code("Norway and Finland pledged to expand bilateral cooperation in fishing."))
    assert got == [("AGREE", "asserted", ("FIN", "NOR"), ("FIN", "NOR"))]


def test_light_verb_lets_the_noun_decide(code, summarize):
    got = summarize(code("Finnish troops took part in a joint exercise with Norway."))
    assert got == [("COOPERATE", "asserted", ("FIN",), ("NOR",))]
    ev = code("Finnish troops took part in a joint exercise with Norway.")[0].event
    assert ev.context == "military" and ev.cameo == "062"
    assert ev.sources[0].sector == "MIL"


def test_group_meeting_is_mutual_among_members(code, summarize):
    got = summarize(code("A summit of the Andean Pact took place in La Paz."))
    assert got == [("CONSULT", "asserted", ("BOL", "CHL", "PER"), ("BOL", "CHL", "PER"))]


def test_sentence_without_actors_or_triggers_gives_nothing(code):
    assert code("The weather was mild and the harvest was good.") == []
    assert code("Comments are powered by a widget.") == []


def test_no_event_between_a_source_and_itself(code):
    assert code("Norway praised Norway.") == []
