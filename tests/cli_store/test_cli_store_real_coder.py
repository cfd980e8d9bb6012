"""End to end with the real coder (spaCy, actors, events): ingest twice, near-duplicates."""

from __future__ import annotations

import json

import pytest

from polybius.ingest import ingest
from polybius.store import Store
from polybius.store.queries import query_events, summary

STORY = (
    "Japan and India agree on rail loans\n\n"
    "The Japanese prime minister met the Indian prime minister in Tokyo on Monday to discuss "
    "a high-speed railway between two western cities. Japan will lend India about two billion "
    "dollars for the project, officials from both governments said after the talks. "
    "China criticised the deal, saying it would raise tensions in the region."
)
UPDATED = STORY.replace("on Monday", "on Monday afternoon").replace("about two", "nearly two")


@pytest.mark.slow
def test_real_coder_ingest_is_idempotent_and_merges_copies(tmp_path, nlp):
    src = tmp_path / "wire.jsonl"
    with src.open("w") as fh:
        for i, text in enumerate([STORY, UPDATED]):
            title, body = text.split("\n\n", 1)
            fh.write(
                json.dumps({"id": f"w{i}", "date": "2023-06-12", "title": title, "text": body})
                + "\n"
            )
    db = tmp_path / "real.duckdb"
    first = ingest([src], db)
    assert (first.articles_new, first.articles_duplicate) == (1, 1)
    assert first.events_new > 0 and first.events_merged > 0
    with Store.open(db, read_only=True) as s:
        before = summary(s)
        events = query_events(s, limit=1000)
    assert any(e.mentions >= 2 for e in events)
    again = ingest([src], db)
    assert (again.articles_new, again.articles_duplicate, again.events_new) == (0, 0, 0)
    with Store.open(db, read_only=True) as s:
        assert summary(s) == before


@pytest.mark.slow
def test_ingest_typing_rules_types_with_the_patterns_alone(tmp_path, nlp):
    """`polybius ingest --typing rules` codes with the patterns only; the default hybrid
    typing asks the model too (each stored event's rule names the typing that decided it)."""
    import pickle

    from typer.testing import CliRunner

    from polybius.cli import app
    from polybius.ingest import load_coder

    src = tmp_path / "wire.jsonl"
    title, body = STORY.split("\n\n", 1)
    src.write_text(json.dumps({"id": "w0", "date": "2023-06-12", "title": title, "text": body}))
    rules: dict[str, list[str]] = {}
    for typing in ("rules", "hybrid"):
        db = tmp_path / f"{typing}.duckdb"
        args = ["ingest", str(src), "--db", str(db), "--typing", typing, "--jobs", "1"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        with Store.open(db, read_only=True) as s:
            rules[typing] = [e.rule for e in query_events(s, limit=100)]
    assert rules["rules"] and all(r.startswith("rules:") for r in rules["rules"])
    assert rules["hybrid"] and all(r.startswith("hybrid:") for r in rules["hybrid"])
    # worker processes receive the coder by pickling: the typing must travel with it
    coder = pickle.loads(pickle.dumps(load_coder(typing="rules")))
    assert coder.keywords == {"typing": "rules"}  # type: ignore[attr-defined]
    assert list(coder([])) == []
