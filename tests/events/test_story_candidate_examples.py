"""Labelled story candidates become training rows (polybius.events.model.dataset)."""

from __future__ import annotations

import csv
import json

from polybius.actors import find_actors
from polybius.events.extract import typing_candidates
from polybius.events.model.dataset import sentence_key, story_candidate_examples
from polybius.pipeline import parse_for_coding


def _write_stories(root, stories):
    path = root / "gold" / "ngec_synthetic_stories.csv"
    path.parent.mkdir(parents=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["title", "text"])
        w.writeheader()
        for title, text in stories:
            w.writerow({"title": title, "text": text})


def test_labelled_candidates_are_found_again_and_none_is_left_out(tmp_path, nlp):
    stories = [
        ("Border row", "France accused Germany of spying on its ministers on Monday."),
        ("Aid", "Japan sent food aid to Nepal after the floods."),
    ]
    _write_stories(tmp_path, stories)
    texts = [f"{t}\n\n{x}" for t, x in stories]
    found = []
    for i, doc in enumerate(parse_for_coding(texts, nlp)):
        found += [(i, c) for c in typing_candidates(doc, find_actors(doc, None))]
    assert len(found) >= 2, "the invented stories should give the coder two candidates"
    labels = tmp_path / "labels.jsonl"
    rows = []
    for n, (i, c) in enumerate(found):
        rows.append(
            {
                "item": f"s{n:03d}",
                "doc_id": f"story-{i}",
                "sentence_sha1": sentence_key(c.sentence),
                "source": list(c.source),
                "target": list(c.target) if c.target else None,
                "label": "NONE" if n == 0 else "AID",
            }
        )
    # a key that matches no candidate is skipped, not an error
    rows.append({**rows[-1], "item": "s999", "sentence_sha1": "0" * 16})
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = story_candidate_examples(tmp_path, labels, nlp)
    assert [r.label for r in out] == ["AID"] * (len(found) - 1)
    assert [r.candidate for r in out] == [c for _, c in found[1:]]
    assert {r.group for r in out} <= {"story-0", "story-1"}
    # for an experimental NONE class the NONE rows are kept, with their label
    kept = story_candidate_examples(tmp_path, labels, nlp, keep_none=True)
    assert [r.label for r in kept] == ["NONE"] + ["AID"] * (len(found) - 1)
    assert [r.candidate for r in kept] == [c for _, c in found]
