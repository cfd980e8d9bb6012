"""The news modality benchmark's weighting and scoring, its sampling script, and its gold
files (benchmarks/news_modality.py, scripts/news_modality_sample.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
GOLD_FILES = sorted((BENCH / "data").glob("news_modality_silver*.jsonl"))
MODALITIES = {"asserted", "future", "intended", "hypothetical", "negated"}


@pytest.fixture(scope="module")
def nm(load_script):
    return load_script("benchmarks/news_modality.py")


@pytest.fixture(scope="module")
def sample(load_script):
    return load_script("scripts/news_modality_sample.py")


def _item(stratum, label, pred, weight=1.0, item="m000"):
    return {"item": item, "stratum": stratum, "label": label, "pred": pred, "weight": weight}


def test_weighted_accuracy_counts_each_stratum_at_its_size(nm):
    # one right event standing for 90, one wrong standing for 10
    items = [
        _item("dev:asserted", "asserted", "asserted", weight=90),
        _item("dev:future", "future", "asserted", weight=10),
    ]
    assert nm.weighted(items, nm._accuracy) == pytest.approx(0.9)
    # recall of future: none of the (weighted) future events was found
    assert nm.weighted(items, nm._recall("future")) == 0.0
    # precision of asserted: 90 of the 100 events called asserted are
    assert nm.weighted(items, nm._precision("asserted")) == pytest.approx(0.9)


def test_bootstrap_resamples_within_strata(nm):
    # every stratum is pure, so resampling inside strata cannot move the figure
    items = [_item("dev:a", "asserted", "asserted", 5)] * 10
    items += [_item("dev:b", "future", "asserted", 5)] * 10
    lo, hi = nm.bootstrap(items, lambda s: nm.weighted(s, nm._accuracy), reps=50)
    assert lo == hi == pytest.approx(0.5)


def test_paired_compares_two_versions_on_the_same_items(nm):
    gold = []
    found = {}
    other = {}
    for k in range(20):
        key = ("art", (k, k + 3), ("NOR",), ("FIN",))
        gold.append(
            {
                "item": f"m{k:03d}",
                "key": key,
                "stratum": "test:asserted",
                "stratum_size": 100,
                "label": "future",
            }
        )
        found[key] = {"modality": "future" if k < 15 else "asserted"}
        other[f"m{k:03d}"] = "future" if k < 5 else "asserted"
    got = nm.paired(gold, found, other, "test")
    assert got["n"] == 20 and got["changed"] == 10
    assert got["then"] == pytest.approx(0.25) and got["now"] == pytest.approx(0.75)
    assert got["difference"] == pytest.approx(0.5)
    lo, hi = got["difference_ci"]
    assert 0 < lo <= 0.5 <= hi
    # other halves are not counted
    assert nm.paired(gold, found, other, "dev")["n"] == 0


def test_read_gold_names_the_line_of_a_bad_label(tmp_path, nm):
    row = {
        "item": "m000",
        "article_id": "a",
        "span": [3, 9],
        "sources": ["NOR"],
        "targets": ["FIN"],
        "stratum": "dev:asserted",
        "stratum_size": 40,
        "label": "asserted",
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n" + json.dumps({**row, "label": "maybe"}) + "\n")
    with pytest.raises(ValueError, match=r"gold.jsonl:2: label 'maybe'"):
        nm.read_gold(path)
    path.write_text(json.dumps(row) + "\n")
    (got,) = nm.read_gold(path)
    assert got["key"] == ("a", (3, 9), ("NOR",), ("FIN",))


def test_halves_are_fixed_and_both_used(sample):
    ids = [f"{k:016x}" for k in range(200)]
    halves = [sample.half(i) for i in ids]
    assert halves == [sample.half(i) for i in ids]
    assert 60 < halves.count("test") < 140


def test_draw_takes_each_stratum_and_records_its_size(sample):
    events = [
        {"half": h, "modality": m, "hint": False, "n": k}
        for k, (h, m) in enumerate(
            [("dev", "asserted")] * 50 + [("dev", "future")] * 3 + [("test", "negated")] * 8
        )
    ]
    items = sample.draw(events, asserted=10, per_class=5, seed=1, prefix="r")
    by = {}
    for it in items:
        by.setdefault(it["stratum"], []).append(it)
    assert len(by["dev:asserted"]) == 10 and by["dev:asserted"][0]["stratum_size"] == 50
    assert len(by["dev:future"]) == 3 and len(by["test:negated"]) == 5
    assert all(it["item"].startswith("r") for it in items)
    assert len({it["n"] for it in items}) == len(items)


def test_hint_fires_only_where_the_model_prefers_agree_to_a_cooperative_pattern(sample):
    base = {
        "pattern_type": "CONSULT",
        "trigger_modality": "asserted",
        "model_scores": {"AGREE": 0.7, "CONSULT": 0.2},
    }
    assert sample.hint_fires(base)
    assert not sample.hint_fires({**base, "trigger_modality": "future"})
    assert not sample.hint_fires({**base, "pattern_type": "ASSAULT"})
    assert not sample.hint_fires({**base, "model_scores": {"CONSULT": 0.6, "AGREE": 0.3}})
    assert not sample.hint_fires({**base, "model_scores": None})


def test_marked_puts_the_trigger_between_marks(sample):
    item = {"sentence": "Norway attacked Finland.", "trigger_at": [7, 15]}
    assert sample.marked(item) == "Norway <<attacked>> Finland."


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_files_are_well_formed(nm, path):
    rows = nm.read_gold(path)
    assert len(rows) > 300
    assert len({r["item"] for r in rows}) == len(rows)
    assert len({r["key"] for r in rows}) == len(rows)
    for r in rows:
        a, b = r["annotations"]
        assert {a, b} <= MODALITIES | {"x"}
        # the final label is an annotator's when they agree
        assert a != b or r["label"] == a
        assert r["stratum"].split(":")[0] in {"dev", "test", "hint"}
    # no news text in the project: keys and labels only
    assert all("sentence" not in r for r in rows)


def test_gold_files_do_not_overlap():
    keys = []
    for path in GOLD_FILES:
        for line in path.read_text("utf-8").splitlines():
            row = json.loads(line)
            keys.append((row["article_id"], tuple(row["span"]), tuple(row["sources"])))
    assert len(keys) == len(set(keys))
