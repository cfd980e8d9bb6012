"""The news typing benchmark's scoring and its gold file (benchmarks/news_typing.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from polybius.events.candidates import Candidate
from polybius.events.model.dataset import candidate_key, sentence_key
from polybius.ontology import PLOVER_TYPES

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_scores_count_types_yield_and_quads(nt):
    gold = ["ASSAULT", "CONCEDE", "CONSULT", "AID"]
    pred = ["ASSAULT", "RETREAT", "SUPPORT", "NONE"]
    s = nt.scores(gold, pred)
    assert s["accuracy"] == pytest.approx(1 / 4)
    # CONCEDE vs RETREAT is right once both are YIELD
    assert s["accuracy_yield"] == pytest.approx(2 / 4)
    # CONSULT and SUPPORT share a quad class; NONE never matches one
    assert s["quad_accuracy"] == pytest.approx(2 / 4)


def test_paired_difference_compares_item_by_item(nt):
    gold = ["ASSAULT"] * 40
    base = ["ASSAULT"] * 20 + ["AID"] * 20
    better = ["ASSAULT"] * 32 + ["AID"] * 8
    diff, lo, hi = nt.paired_difference(gold, better, base, reps=200)
    assert diff == pytest.approx(0.3)
    assert 0 < lo <= diff <= hi
    same = nt.paired_difference(gold, base, base, reps=50)
    assert same == (0.0, 0.0, 0.0)


def test_typed_falls_back_to_the_pattern_then_none(nt):
    class C:
        def __init__(self, rule):
            self.rule_type = rule

    class D:
        def __init__(self, etype):
            self.event_type = etype

    cands = [C("PROTEST"), C(None), C("AID")]
    decisions = [D(None), D(None), D("SUPPORT")]
    assert nt.typed(cands, decisions) == ["PROTEST", "NONE", "SUPPORT"]


def test_read_gold_names_the_line_of_a_bad_label(tmp_path, nt):
    good = {
        "item": "n000",
        "doc_id": "d",
        "article_id": "a",
        "sentence_sha1": sentence_key("Aland's navy shelled Borduria."),
        "source": [0, 12],
        "target": [27, 35],
        "label": "ASSAULT",
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(good | {"label": "INVADE"}) + "\n")
    with pytest.raises(ValueError, match=r"gold.jsonl:2: label 'INVADE'"):
        nt.read_gold(path)
    path.write_text(json.dumps(good) + "\n")
    (row,) = nt.read_gold(path)
    cand = Candidate("Aland's navy shelled Borduria.", (0, 12), (27, 35))
    assert row["key"] == candidate_key("a", cand)


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("news_typing_silver.jsonl", 360),
        ("news_typing_silver_2.jsonl", 360),
        ("news_typing_silver_3.jsonl", 360),
        ("news_typing_silver_4.jsonl", 225),
        ("news_typing_silver_5.jsonl", 717),
    ],
)
def test_shipped_gold_files_are_well_formed_and_hold_no_text(name, size, nt):
    path = BENCH / "data" / name
    if not path.is_file():
        pytest.skip(f"no {name}")
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    labels = set(PLOVER_TYPES) | {"NONE"}
    assert len({r["item"] for r in rows}) == len(rows) == size
    for r in rows:
        assert set(r) == {
            "item", "doc_id", "article_id", "sentence_sha1", "source", "target",
            "annotations", "label",
        }  # fmt: skip
        assert r["label"] in labels and all(a in labels for a in r["annotations"])
        # an agreed label is the annotators' own; only disagreements were adjudicated
        if r["annotations"][0] == r["annotations"][1]:
            assert r["label"] == r["annotations"][0]
    assert len(nt.read_gold(path)) == len(rows)


def test_calibration_counts_yield_as_one_label(tmp_path, nt):
    plv = tmp_path / "plv.tsv"
    header = "uid\tsentence_id\tgold_penta\tgold_root\tsentence\tmarked_sentence\tsource\ttarget"
    rows = [
        ("1", "10", "2", "YIELD", "Aland freed the sailors of Borduria."),
        ("2", "11", "4", "ASSAULT", "Aland shelled Borduria."),
        ("3", "12", "3", "ACCUSE", "Aland blamed Borduria."),
    ]
    lines = [header]
    for uid, sid, penta, root, sent in rows:
        marked = sent.replace("Aland", "<s>Aland</s>", 1).replace("Borduria", "<t>Borduria</t>")
        lines.append(f"{uid}\t{sid}\t{penta}\t{root}\t{sent}\t{marked}\tAland\tBorduria")
    plv.write_text("\n".join(lines) + "\n")
    labels = tmp_path / "cal.jsonl"
    answers = [("1", "RETREAT"), ("2", "ASSAULT"), ("3", "REQUEST")]
    labels.write_text(
        "".join(json.dumps({"item": f"p{u}", "uid": u, "label": lab}) + "\n" for u, lab in answers)
    )
    assert nt.calibration(labels, plv) == (2, 3)


def test_sampler_excludes_items_by_the_candidates_own_key(tmp_path, load_script):
    sampler = load_script("scripts/news_typing_sample.py")
    cand = Candidate("Aland's navy shelled Borduria.", (0, 12), (27, 35))
    other = Candidate("Aland's navy shelled Borduria.", (0, 12), None)
    row = {
        "item": "n000",
        "doc_id": "d",
        "article_id": "a",
        "sentence_sha1": sentence_key(cand.sentence),
        "source": [0, 12],
        "target": [27, 35],
        "label": "ASSAULT",
    }
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(row) + "\n\n")
    keys = sampler.labelled_keys([gold])
    assert candidate_key("a", cand) in keys
    assert candidate_key("a", other) not in keys  # another pair of the same sentence
    assert candidate_key("b", cand) not in keys  # the same words in another article


def test_gold_sets_share_no_item(nt):
    """A test item is scored in one set only: later samples leave earlier items out. (Within
    one set a key can repeat: an article that prints the same sentence twice.)"""
    seen: dict[tuple, str] = {}
    for path in sorted((BENCH / "data").glob("news_typing_silver*.jsonl")):
        keys = {row["key"] for row in nt.read_gold(path)}
        shared = {seen[k] for k in keys if k in seen}
        assert not shared, f"{path.name} shares items with {sorted(shared)}"
        seen |= dict.fromkeys(keys, path.name)
