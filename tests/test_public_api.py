"""The public API: every name in polybius.__all__ resolves, and the main path works end to end."""

import polybius


def test_every_public_name_resolves():
    missing = [name for name in polybius.__all__ if getattr(polybius, name, None) is None]
    assert missing == []


def test_unknown_attribute_is_an_attribute_error():
    try:
        polybius.no_such_function  # noqa: B018
    except AttributeError as exc:
        assert "no_such_function" in str(exc)
    else:  # pragma: no cover - the assertion above must run
        raise AssertionError("expected AttributeError")


def test_code_text_then_store_round_trip(tmp_path):
    coded = polybius.code_text(
        "Portugal accused Spain of blocking the river treaty on Monday.", date="2023-05-10"
    )
    assert [e.event_type for e in coded.events] == ["ACCUSE"]
    event = coded.events[0]
    assert [a.country for a in event.sources] == ["PRT"]
    assert [a.country for a in event.targets] == ["ESP"]
    assert polybius.Event.from_dict(event.to_dict()) == event
