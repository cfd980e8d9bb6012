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
