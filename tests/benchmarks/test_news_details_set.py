"""The news details benchmark's matching and scoring (date, place, claimant), its sampling
script, and its gold file (benchmarks/news_details.py, scripts/news_details_sample.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
GOLD_FILES = sorted((BENCH / "data").glob("news_details_silver*.jsonl"))


@pytest.fixture(scope="module")
def nd(load_script):
    return load_script("benchmarks/news_details.py")


@pytest.fixture(scope="module")
def sample(load_script):
    return load_script("scripts/news_details_sample.py")


def _ev(date="2023-04-20", precision="day", cue="article date", location=None, claim=None):
    return {
        "event_date": date,
        "date_precision": precision,
        "date_cue": cue,
        "location": location,
        "claim": claim,
        "claim_cue": None if claim is None else f"{claim['speaker']} said",
    }


def _gold(date="none", place="none", place_country="", claim="none", claim_country=""):
    return {
        "x": False,
        "date": date,
        "place": place,
        "place_country": place_country,
        "claim": claim,
        "claim_country": claim_country,
    }


def test_interval_reads_each_precision_and_ranges(nd):
    d = dt.date
    assert nd.interval("none") is None and nd.interval(None) is None
    assert nd.interval("2019") == (d(2019, 1, 1), d(2019, 12, 31))
    assert nd.interval("2020-02") == (d(2020, 2, 1), d(2020, 2, 29))
    assert nd.interval("2020-02-03") == (d(2020, 2, 3), d(2020, 2, 3))
    assert nd.interval("2020-02-03..2020-02-09") == (d(2020, 2, 3), d(2020, 2, 9))
    # the coder's precision truncates its date first
    assert nd.interval("2020-02-03", "month") == (d(2020, 2, 1), d(2020, 2, 29))
    with pytest.raises(ValueError, match="'last week'"):
        nd.interval("last week")


def test_date_right_when_unstated_and_the_article_date_is_used(nd):
    assert nd.date_right(_gold(), _ev())
    # a stated date where the text gives none is wrong, even if it is the article date
    assert not nd.date_right(_gold(), _ev(cue="today"))


def test_date_right_when_the_coders_days_lie_inside_the_stated_date(nd):
    week = _gold(date="2023-04-10..2023-04-16")
    assert nd.date_right(week, _ev(date="2023-04-13", cue="last week"))
    assert not nd.date_right(week, _ev(date="2023-04-20"))  # the article date: missed
    # a year where the text gives a month is too coarse; a day inside a month is fine
    assert not nd.date_right(_gold(date="2023-03"), _ev(date="2023", precision="year", cue="x"))
    assert nd.date_right(_gold(date="2023"), _ev(date="2023-03", precision="month", cue="x"))


def test_place_matches_by_words_or_country(nd):
    assert nd.place_right(_gold(), _ev())
    assert nd.place_right(_gold(place="northern Syria", place_country="SYR"), _ev(location="Syria"))
    territory = _gold(place="Chilean territory", place_country="CHL")
    assert nd.place_right(territory, _ev(location="CHL"))
    assert not nd.place_right(_gold(place="Geneva", place_country="CHE"), _ev(location="Vienna"))
    assert not nd.place_right(_gold(), _ev(location="Syria"))  # a place the text does not give
    assert not nd.place_right(_gold(place="Geneva", place_country="CHE"), _ev())


def test_claimant_matches_by_head_word_without_a_country_clash(nd):
    berg = {"speaker": "Lars Berg", "country": "NOR"}
    assert nd.claim_right(_gold(claim="Berg", claim_country="NOR"), _ev(claim=berg))
    assert nd.claim_right(_gold(), _ev())
    assert not nd.claim_right(_gold(), _ev(claim=berg))
    assert not nd.claim_right(_gold(claim="a spokesman"), _ev())
    # the same word for another country's official is not the same claimant
    minister = {"speaker": "foreign minister", "country": "CHL"}
    assert nd.claim_right(_gold(claim="the foreign minister"), _ev(claim=minister))
    assert not nd.claim_right(
        _gold(claim="the foreign minister", claim_country="PER"), _ev(claim=minister)
    )


def test_same_answer_uses_the_scoring_match(nd):
    a = {**_gold(date="2023-04", place="Lima", place_country="PER"), "x": False}
    assert nd.same_answer("date", a, {**a, "date": "2023-04"})
    assert not nd.same_answer("date", a, {**a, "date": "2023-04-02"})
    assert nd.same_answer("place", a, {**a, "place": "Peru's capital Lima", "place_country": ""})
    assert not nd.same_answer("place", a, {**a, "place": "none", "place_country": ""})
    assert not nd.same_answer("x", a, {**a, "x": True})


def test_field_report_weights_strata_for_precision_and_recall(nd):
    right = {**_gold(place="Lima", place_country="PER"), "ev": _ev(location="Lima")}
    missed = {**_gold(place="Quito", place_country="ECU"), "ev": _ev()}
    spurious = {**_gold(), "ev": _ev(location="Lima")}
    items = [
        {**right, "stratum": "dev:place", "weight": 1.0},
        {**missed, "stratum": "dev:plain", "weight": 9.0},
        {**spurious, "stratum": "dev:place", "weight": 1.0},
    ]
    rep = nd.field_report(items, "place")
    assert rep["accuracy"] == pytest.approx(1 / 11, abs=1e-3)
    assert rep["precision"] == pytest.approx(0.5)  # 1 of 2 places given is right
    assert rep["recall"] == pytest.approx(0.1)  # 1 of 10 stated places (weighted) found
    assert rep["stated"] == 2 and rep["given"] == 2


def test_paired_reports_each_field(nd):
    gold, found, other = [], {}, {}
    for k in range(10):
        key = ("art", (k, k + 3), ("NOR",), ("FIN",))
        gold.append(
            {
                **_gold(date="2023-04-19"),
                "item": f"d{k:03d}",
                "key": key,
                "stratum": "test:date",
                "stratum_size": 50,
            }
        )
        found[key] = _ev(date="2023-04-19", cue="yesterday")
        other[f"d{k:03d}"] = _ev() if k < 4 else _ev(date="2023-04-19", cue="yesterday")
    got = nd.paired(gold, found, other, "test")
    assert got["n"] == 10
    assert got["date"]["then"] == pytest.approx(0.6) and got["date"]["now"] == 1.0
    assert got["date"]["changed"] == 4 and got["place"]["changed"] == 0
    assert nd.paired(gold, found, other, "dev")["n"] == 0


def test_strata_take_the_first_detail_the_coder_gives(sample):
    base = {"location": None, "date_cue": "article date", "claim": None}
    assert sample.stratum(base) == "plain"
    assert sample.stratum({**base, "claim": {"speaker": "X"}}) == "claim"
    assert sample.stratum({**base, "date_cue": "May", "claim": {"speaker": "X"}}) == "date"
    assert sample.stratum({**base, "location": "Lima", "date_cue": "May"}) == "place"


def test_draw_records_stratum_sizes(sample):
    events = [
        {"half": "dev", "location": None, "date_cue": None, "claim": None, "n": k}
        for k in range(30)
    ] + [
        {"half": "test", "location": "Lima", "date_cue": None, "claim": None, "n": 30 + k}
        for k in range(4)
    ]
    items = sample.draw(events, per_stratum=3, plain=10, seed=1)
    by = {}
    for it in items:
        by.setdefault(it["stratum"], []).append(it)
    assert len(by["dev:plain"]) == 10 and by["dev:plain"][0]["stratum_size"] == 30
    assert len(by["test:place"]) == 3 and by["test:place"][0]["stratum_size"] == 4
    assert len({it["n"] for it in items}) == len(items)


def _answers(**kw):
    return {"x": False, **_gold(), **kw}


def test_merge_keeps_agreement_and_needs_adjudication_for_the_rest(tmp_path, sample):
    items = [
        {
            "item": f"d00{k}",
            "doc_id": "doc",
            "article_id": "a",
            "span": [k, k + 2],
            "sources": [{"code": "NOR", "text": "Norway"}],
            "targets": [],
            "stratum": "dev:plain",
            "stratum_size": 9,
            "date": "2023-04-20",
        }
        for k in range(3)
    ]
    (tmp_path / "items.json").write_text(json.dumps(items))
    first = [
        _answers(item="d000", place="Lima", place_country="PER"),
        _answers(item="d001", date="2023-04-19"),
        _answers(item="d002", x=True),
    ]
    second = [
        _answers(item="d000", place="the city of Lima"),
        _answers(item="d001"),
        _answers(item="d002", x=True, claim="someone"),
    ]
    for copy, rows in ((1, first), (2, second)):
        text = "\n".join(json.dumps({"item": r.pop("item"), **r}) for r in rows)
        (tmp_path / f"labels_0_{copy}.jsonl").write_text(text)
    with pytest.raises(SystemExit, match="d001:date"):
        sample.merge(tmp_path, 1)
    (tmp_path / "adjudicated.jsonl").write_text(json.dumps({"item": "d001", "date": "none"}))
    rows = {r["item"]: r for r in sample.merge(tmp_path, 1)}
    assert rows["d000"]["place"] == "Lima" and rows["d000"]["place_country"] == "PER"
    assert rows["d001"]["date"] == "none"
    # an item both call x needs no other answer
    assert rows["d002"]["x"] and rows["d002"]["claim"] == "none"
    assert all("sentence" not in r for r in rows.values())


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.name)
def test_gold_files_are_well_formed(nd, path):
    rows = nd.read_gold(path)
    assert len(rows) >= 250
    assert len({r["key"] for r in rows}) == len(rows)
    for r in rows:
        assert r["stratum"].split(":")[0] in {"dev", "test"}
        assert r["stratum"].split(":")[1] in {"place", "date", "claim", "plain"}
        assert len(r["annotations"]) == 2
    assert all("sentence" not in r and "context" not in r for r in rows)


def test_gold_files_do_not_overlap(nd):
    keys = [row["key"] for path in GOLD_FILES for row in nd.read_gold(path)]
    assert len(GOLD_FILES) == 3 and len(keys) == len(set(keys))
