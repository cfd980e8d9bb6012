"""Evaluation on small invented gold files: PLV pairs and PETRARCH-style XML."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from polybius.evaluate import evaluate_petr, evaluate_plv, heldout_split, read_petr, read_plv

PLV = (
    "uid\tsentence_id\tgold_penta\tgold_root\tsentence\tmarked_sentence\tsource\ttarget\n"
    "a1\t1\t4\tASSAULT\tNorway attacked Finland.\t<s>Norway</s> attacked <t>Finland</t>.\tNorway\tFinland\n"  # noqa: E501
    "\t2\t2\tYIELD\tChile released ten prisoners from Peru.\t<s>Chile</s> released <t>ten prisoners from Peru</t>.\tChile\tten prisoners from Peru\n"  # noqa: E501
    "a3\t3\t1\tCONSULT\tOslo hosted talks with Lima.\t\tOslo\tLima\n"
    "a4\t4\t3\tACCUSE\tKenya accused Ghana of fraud.\t\tKenya\tGhana\n"
)


def test_heldout_split_is_deterministic_and_about_30_percent():
    assert heldout_split("12") == heldout_split(" 12 ") == heldout_split(12)
    share = sum(heldout_split(str(i)) for i in range(2000)) / 2000
    assert 0.25 < share < 0.35


def test_read_plv_offsets_and_uid_fallback(tmp_path):
    path = tmp_path / "plv.tsv"
    path.write_text(PLV, encoding="utf-8")
    rows = read_plv(path)
    assert rows[1].uid == "2"  # empty uid -> row number
    r = rows[2]
    assert r.sentence[r.source[0] : r.source[1]] == "Oslo"
    assert r.sentence[r.target[0] : r.target[1]] == "Lima"


def test_evaluate_plv_scores_and_predictions(tmp_path, nlp):
    path = tmp_path / "plv.tsv"
    path.write_text(PLV, encoding="utf-8")
    out = tmp_path / "pred.tsv"
    res = evaluate_plv(path, typing="rules", predictions=out, nlp=nlp)
    assert res["n"] == 4
    assert res["accuracy"] == 1.0  # RETREAT for "released" counts as YIELD
    assert res["quad_accuracy"] == 1.0 and res["coverage"] == 1.0
    assert set(res["per_class"]) == {"ASSAULT", "YIELD", "CONSULT", "ACCUSE"}
    lines = out.read_text().splitlines()
    assert lines[0] == "uid\tpredicted_root\tpredicted_penta"
    assert lines[1].startswith("a1\tASSAULT\t4")


def test_cli_eval_plv_json(tmp_path):
    from polybius.cli import app

    path = tmp_path / "plv.tsv"
    path.write_text(PLV, encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", "plv", str(path), "--json", "--typing", "rules"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output.strip().splitlines()[-1])
    assert {"n", "accuracy", "macro_f1", "quad_accuracy", "coverage", "per_class"} <= set(data)
    bad = CliRunner().invoke(app, ["eval", "plv", str(tmp_path / "missing.tsv"), "--json"])
    assert bad.exit_code != 0


PETR = """<?xml version='1.0' encoding='utf-8'?>
<Validation>
# a comment line inside the file
<Sentences>
<Sentence category="TEST" date="20230420" id="T1" evaluate="true"/>
<EventCoding eventcode="190" sourcecode="NORMIL" targetcode="FIN" />
<Text>
Norway attacked Finland on Tuesday.
</Text>
</Sentence>
<Sentence category="TEST" date="20230420" id="T2" evaluate="true"/>
<EventCoding noevents="True" />
<Text>
The weather in the capital was mild and sunny all week.
</Text>
</Sentence>
</Sentences>
</Validation>
"""


def test_read_and_evaluate_petr(tmp_path, nlp):
    path = tmp_path / "v.xml"
    path.write_text(PETR, encoding="utf-8")
    recs = read_petr(path)
    assert [r.id for r in recs] == ["T1", "T2"]
    assert recs[0].events == (("NORMIL", "FIN", "190"),) and recs[1].noevents
    res = evaluate_petr(path, typing="rules", nlp=nlp)
    assert res["country"]["tp"] == 1 and res["country"]["recall"] == 1.0
    assert res["noevent_sentences"] == 1 and res["noevent_correct"] == 1
