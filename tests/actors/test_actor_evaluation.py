"""Scoring of actor resolution (polybius.evaluate.actors) and the seed-article must-shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polybius.cli import app
from polybius.evaluate.actors import evaluate_actor_cases, parse_case_date, read_actor_cases

HEADER = (
    "extra_args,input,method,test,expect_actor_wiki_job,expect_code_1,expect_code_2,"
    "expect_country,expect_pattern,expect_source,expect_title,expect_value,expect_wiki\n"
)


def test_case_dates() -> None:
    assert parse_case_date("Today", "2030-01-02") == "2030-01-02"
    assert parse_case_date("", "2030-01-02") == "2030-01-02"
    assert parse_case_date("2011-12-01") == "2011-12-01"
    assert parse_case_date("1 january 2003") == "2003-01-01"
    assert parse_case_date("10 May 2015") == "2015-05-10"


def test_scoring_is_exact_and_empty_means_none(nlp, tmp_path: Path) -> None:
    csv_path = tmp_path / "gold.csv"
    csv_path.write_text(
        HEADER
        + "|2019-01-01,Peruvian soldiers,agent_to_code,a,,MIL,,PER,,,,,\n"
        + ",Peruvian soldiers,agent_to_code,b,,GOV,,PER,,,,,\n"
        + ",a quiet afternoon,agent_to_code,c,,,,,,,,,\n"
        + ",Peru,query_wiki,d,,,,,,,Peru,,\n",
        encoding="utf-8",
    )
    cases = read_actor_cases(csv_path, today="2020-01-01")
    assert [c.test for c in cases] == ["a", "b", "c"]
    assert cases[0].date == "2019-01-01" and cases[1].date == "2020-01-01"
    result = evaluate_actor_cases(cases, nlp)
    assert result["cases"] == 3
    assert result["country_accuracy"] == 1.0
    assert result["sector_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert result["sector_accuracy_where_expected"] == 0.5


@pytest.mark.corpus
def test_seed_article_must_shows(shared_data: Path) -> None:
    seed = shared_data / "corpus" / "seed_article.txt"
    res = CliRunner().invoke(
        app, ["actors", str(seed), "--date", "2021-08-10", "--format", "jsonl"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert {"CHN", "RUS", "USA", "JPN", "AUS", "IND", "KOR"} <= {r["country"] for r in rows}
    quad = {r["text"] for r in rows if r["org"] == "QUAD" and r["kind"] == "org"}
    assert {"the Quartet", "Asian NATO"} <= quad
    people = {(r["name"], r["country"], r["sector"]) for r in rows if r["kind"] == "person"}
    assert {("Xi Jinping", "CHN", "GOV"), ("Vladimir Putin", "RUS", "GOV")} <= people
    assert ("Moon Jae-in", "KOR", "GOV") in people
    assert any(r["name"] == "Kevin Rudd" and r["org"] == "Asia Society" for r in rows)
    assert any(r["text"] == "Russian troops" and r["sector"] == "MIL" for r in rows)
    metonyms = {(r["text"], r["country"]) for r in rows if r["kind"] == "metonym"}
    assert {("Beijing", "CHN"), ("Moscow", "RUS"), ("Washington", "USA")} <= metonyms
    assert not [r for r in rows if "HyperComments" in r["text"]]
