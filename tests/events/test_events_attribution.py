"""Attribution: speech verbs, 'according to', quotations, 'This was stated by', speech acts."""

from __future__ import annotations


def _only(code, text, **kw):
    events = code(text, **kw)
    assert len(events) == 1, [e.event for e in events]
    return events[0].event


def test_said_keeps_the_acting_state_as_source(code):
    ev = _only(code, "Lars Berg said Oslo will expand its cooperation with Lima.")
    assert [a.code for a in ev.sources] == ["NOR"]
    assert ev.attribution is not None
    assert ev.attribution.speaker == "Lars Berg" and ev.attribution.verb == "say"


def test_trailing_said_clause(code):
    ev = _only(code, "Chile attacked Peru, Ana Ruiz told reporters.")
    assert ev.attribution is not None and ev.attribution.speaker == "Ana Ruiz"
    assert ev.attribution.country == "PER"


def test_according_to_a_resolved_pronoun(code):
    text = "Lars Berg wrote an essay. According to him, Helsinki hopes to hold talks with Lima."
    ev = _only(code, text, pronouns=[("him", "Lars Berg")])
    assert ev.attribution is not None
    assert ev.attribution.speaker == "Lars Berg" and ev.attribution.verb == "according to"
    assert [a.code for a in ev.sources] == ["FIN"]


def test_belief_is_attribution_not_event(code):
    ev = _only(code, "Lars Berg believes that Chile could attack Peru.")
    assert ev.event_type == "ASSAULT" and ev.modality == "hypothetical"
    assert ev.attribution is not None and ev.attribution.verb == "believe"


def test_quotation_closed_by_a_speech_clause(code):
    text = (
        '"Chile will attack Peru. Norway accused Kenya of lying again and again," '
        "- Lars Berg wrote."
    )
    events = [e.event for e in code(text)]
    assert {e.event_type for e in events} == {"THREATEN", "ACCUSE"}  # "will attack": THREATEN
    assert all(e.attribution and e.attribution.speaker == "Lars Berg" for e in events)


def test_this_was_stated_by(code):
    text = "Norway will expand its cooperation with Chile. This was stated by Lars Berg."
    ev = _only(code, text)
    assert ev.attribution is not None and ev.attribution.speaker == "Lars Berg"


def test_speech_act_between_actors_is_the_speakers_event(code):
    ev = _only(code, "Ana Ruiz accused Chile of espionage.")
    assert ev.event_type == "ACCUSE"
    assert [a.code for a in ev.sources] == ["PER"]
    assert ev.attribution is None


def test_calling_relations_the_best_is_support(code):
    ev = _only(code, 'Ana Ruiz called Peru\'s relations with Chile "the best ever".')
    assert ev.event_type == "SUPPORT"
    assert [a.code for a in ev.targets] == ["CHL"]


def test_a_participle_of_the_speech_verb_is_the_speakers_own_act(code):
    # "X said, accusing Y": X accuses Y; nobody else is claiming it
    ev = _only(code, '"We will not wait," Ana Ruiz said, accusing Norway of espionage.')
    assert ev.event_type == "ACCUSE" and ev.attribution is None


def test_a_circumstance_of_the_saying_is_not_what_is_said(code):
    ev = _only(
        code, "When it was pointed out that Chile had attacked Peru, Lars Berg said nothing."
    )
    assert ev.event_type == "ASSAULT" and ev.attribution is None


def test_a_second_speech_verb_takes_the_subject_of_the_first(code):
    ev = _only(code, "Lars Berg announced the deal on Monday but said Chile would attack Peru.")
    assert ev.attribution is not None and ev.attribution.speaker == "Lars Berg"


def test_a_relative_speaker_is_the_noun_it_hangs_on(code):
    ev = _only(code, "Norway, which said Chile would attack Peru, closed its embassy.")
    assert ev.event_type == "THREATEN"
    assert ev.attribution is not None and ev.attribution.speaker == "Norway"


def test_a_claim_noun_names_its_claimant(code):
    events = code("Norway criticised Peru's accusation that Chile had attacked Kenya.")
    attack = next(e.event for e in events if e.event.event_type == "ASSAULT")
    assert attack.attribution is not None and attack.attribution.speaker == "Peru"
    assert attack.attribution.verb == "accusation"
    # the criticism itself is Norway's own act
    criticism = next(e.event for e in events if e.event.event_type == "ACCUSE")
    assert criticism.attribution is None


def test_a_speech_verb_beside_an_adverbial_clause_does_not_claim_it(code):
    text = "Observers shrugged as Chile attacked Peru, even when Lars Berg declared that it ended."
    ev = _only(code, text)
    assert ev.event_type == "ASSAULT" and ev.attribution is None


def test_the_actors_own_comment_beside_its_act_is_not_a_claim(code):
    # "X did Y and said ...": Y is X's act as the reporter tells it
    ev = code("Norway expressed regret and warned Chile, and said nothing more.")
    assert all(e.event.attribution is None for e in ev)


def test_an_admission_is_a_claim(code):
    ev = _only(code, "Lars Berg admitted that Chile had attacked Peru.")
    assert ev.attribution is not None and ev.attribution.verb == "admit"
