"""Written PLOVER pairs become training rows as PLV rows do (polybius.events.model.dataset)."""

from __future__ import annotations

import json

import pytest

from polybius.evaluate.plv import PlvRow, type_pairs
from polybius.events.model.dataset import written_examples


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_written_pairs_are_candidates_built_like_plv_rows(tmp_path, nlp):
    path = tmp_path / "written.jsonl"
    _write(
        path,
        [
            {
                "id": "x1",
                "marked": "<s>Chile</s> expelled two <t>Peruvian</t> diplomats.",
                "label": "SANCTION",
            },
            {
                "id": "x2",
                "marked": "Police said <t>Norway</t> was shelled by <s>Finland</s>.",
                "label": "ASSAULT",
            },
            {
                "id": "x3",
                "marked": "<s>Kenya</s> freed forty <t>Ghanaian</t> fishermen.",
                "label": "RETREAT",
            },
        ],
    )
    rows = written_examples(path, nlp)
    assert [r.label for r in rows] == ["SANCTION", "ASSAULT", "RETREAT"]
    assert [r.group for r in rows] == ["x1", "x2", "x3"]
    assert [r.quad for r in rows] == [4, 4, 2]
    # the source and target offsets are those of the marks, in the unmarked sentence
    second = rows[1].candidate
    assert second.sentence == "Police said Norway was shelled by Finland."
    assert second.sentence[slice(*second.source)] == "Finland"
    assert second.sentence[slice(*second.target)] == "Norway"
    # the same candidate polybius eval plv builds for that pair
    plv_row = PlvRow("x2", "x2", second.sentence, second.source, second.target, "ASSAULT", 4)
    assert type_pairs([plv_row], typing="rules", nlp=nlp)[0].candidate == second


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "y", "marked": "Chile met Peru.", "label": "CONSULT"}', "needs one <s>"),
        (
            '{"id": "y", "marked": "<s>Chile</s> met <t>Peru</t>.", "label": "MEET"}',
            "unknown PLOVER type 'MEET'",
        ),
        ('{"id": "y", "marked": "<s>Chile</s> met <t>Peru</t>."}', "not a written pair"),
        ("not json", "not a written pair"),
    ],
)
def test_a_bad_line_names_the_file_line_and_reason(tmp_path, nlp, line, reason):
    path = tmp_path / "bad.jsonl"
    good = '{"id": "g", "marked": "<s>Chile</s> met <t>Peru</t>.", "label": "CONSULT"}'
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        written_examples(path, nlp)
    assert f"{path}:2: " in str(err.value)
    assert reason in str(err.value)
