"""End to end on an invented article: reading, actors, events, with the seed-like shapes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

ARTICLE = """Norway will deepen cooperation with Finland to guard the Arctic

Oslo will deepen its cooperation with Helsinki, the analyst Lars Berg wrote in a column. According to him, Norway hopes to double its economic cooperation with Finland.

The first meeting of the two countries took place in February 2022. Kenya condemned Chile's decision.

Finnish President Sauli Niinisto visited Oslo in March. He signed a joint statement there.

Finnish troops will take part in a joint naval exercise with Norway. Some three thousand troops will take part in the manoeuvres.

It is far from certain that Sweden will join the exercise.

comments powered by SomeWidget
"""  # noqa: E501


@pytest.fixture(scope="module")
def events(nlp):
    from polybius.articles import article_from_text
    from polybius.events.explain import explain_article

    article = article_from_text(ARTICLE, date="2022-06-01", doc_id="invented")
    return [e.event for e in explain_article(article, nlp, typing="rules")]


def _codes(actors):
    return sorted(a.code for a in actors)


def _find(events, etype, sources, targets):
    return [
        e
        for e in events
        if e.event_type == etype and _codes(e.sources) == sources and _codes(e.targets) == targets
    ]  # noqa: E501


def test_intended_cooperation_attributed_to_the_analyst(events):
    found = _find(events, "AGREE", ["NOR"], ["FIN"])
    intended = [e for e in found if e.modality == "intended"]
    assert intended, events
    assert intended[0].attribution is not None and "Berg" in intended[0].attribution.speaker
    assert intended[0].context == "economic"


def test_meeting_of_the_two_countries(events):
    found = _find(events, "CONSULT", ["FIN", "NOR"], ["FIN", "NOR"])
    assert found and (found[0].date, found[0].date_precision) == ("2022-02", "month")


def test_visit_and_joint_statement(events):
    visit = _find(events, "CONSULT", ["FIN"], ["NOR"])
    assert visit and visit[0].date == "2022-03" and visit[0].mode == "visit"
    assert _find(events, "SUPPORT", ["FIN"], ["NOR"])  # the joint statement, partner from context


def test_joint_exercise_with_quantity(events):
    found = [e for e in _find(events, "AGREE", ["FIN"], ["NOR"]) if e.context == "military"]
    assert found, events
    ev = found[0]
    assert ev.modality == "future" and ev.sources[0].sector == "MIL"
    assert ev.quantity is not None and ev.quantity.value == 3000 and ev.quantity.unit == "troops"


def test_nothing_asserted_from_uncertainty_or_boilerplate(events):
    assert not [e for e in events if "Sweden" in e.sentence and e.modality == "asserted"]
    assert not [e for e in events if "comments" in e.sentence]
    assert not [
        e
        for e in events
        if e.quad_class in {3, 4} and {"NOR", "FIN"} >= set(_codes(e.sources) + _codes(e.targets))
    ]  # noqa: E501


def test_cli_code_jsonl_and_table(tmp_path):
    from polybius.cli import app

    src = tmp_path / "article.txt"
    src.write_text("Chile attacked Peru on Tuesday.\n", encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(
        app, ["code", str(src), "--date", "2023-04-20", "--typing", "rules", "--explain"]
    )  # noqa: E501
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.output.splitlines() if line.startswith("{")]
    assert rows and rows[0]["event_type"] == "ASSAULT" and rows[0]["date"] == "2023-04-18"
    assert "roles" in rows[0]["explain"]
    res = runner.invoke(
        app,
        ["code", str(src), "--date", "2023-04-20", "--format", "table"],
        env={"COLUMNS": "160"},  # ten columns: on 80 the type is cut to "ASS…"
    )
    assert res.exit_code == 0 and "ASSAULT" in res.output
    res = runner.invoke(app, ["code", str(src), "--format", "xml"])
    assert res.exit_code != 0


def test_code_table_says_where(tmp_path) -> None:
    from typer.testing import CliRunner

    from polybius.cli import app
    from polybius.cli.code import _where

    assert _where({"location": "Mosul", "location_country": "IRQ"}) == "Mosul (IRQ)"
    assert _where({"location": "CHL", "location_country": "CHL"}) == "CHL"
    assert _where({"location": None, "location_country": None}) == "-"
    src = tmp_path / "article.txt"
    src.write_text("Chilean troops attacked Peru near Arica on Tuesday.\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["code", str(src), "--date", "2023-04-20", "--format", "table"], env={"COLUMNS": "250"}
    )
    assert res.exit_code == 0 and "Arica (CHL)" in res.output, res.output
