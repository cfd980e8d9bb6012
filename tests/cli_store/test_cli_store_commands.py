"""Each store command through typer's CliRunner, on a corpus coded by the fake coder."""

from __future__ import annotations

import json

import pytest
from store_corpus import make_records, near_dup_pair, write_jsonl
from typer.testing import CliRunner

from polybius.cli import app
from polybius.exports import read_parquet

runner = CliRunner()


@pytest.fixture
def db(tmp_path, fake_coder, monkeypatch):
    """A database filled through `polybius ingest` with the fake coder."""
    monkeypatch.setenv("POLYBIUS_INGEST_CODER", "polybius_store_fake_coder:code")
    src = write_jsonl(tmp_path / "news.jsonl", make_records(40) + near_dup_pair(), broken_line=True)
    path = tmp_path / "cli.duckdb"
    result = runner.invoke(app, ["ingest", str(src), "--db", str(path), "--batch-size", "8"])
    assert result.exit_code == 0, result.output
    assert "new, stored" in result.output and "41" in result.output
    assert "malformed" in result.output  # the broken line is listed as an error
    return path


def test_ingest_again_reports_everything_already_stored(db, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "news.jsonl"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if "already stored" in ln)
    assert line.split()[-1] == "42"


def test_ingest_bad_date_option(tmp_path):
    result = runner.invoke(
        app, ["ingest", "x.jsonl", "--db", str(tmp_path / "x.duckdb"), "--date", "2022-14-01"]
    )
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_ingest_bad_typing_option(tmp_path):
    args = ["ingest", "x.jsonl", "--db", str(tmp_path / "x.duckdb"), "--typing", "fast"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "'fast'" in result.output and "rules, model, hybrid" in result.output
    assert not (tmp_path / "x.duckdb").exists()


def test_typing_is_refused_with_a_custom_coder(tmp_path, fake_coder, monkeypatch):
    monkeypatch.setenv("POLYBIUS_INGEST_CODER", "polybius_store_fake_coder:code")
    src = write_jsonl(tmp_path / "news.jsonl", make_records(3))
    for cmd in (["ingest"], ["watch", "--once"]):
        args = [*cmd, str(src), "--db", str(tmp_path / "t.duckdb"), "--typing", "rules"]
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert "polybius's own coder" in result.output


def test_events_table_jsonl_csv(db):
    table = runner.invoke(app, ["events", "--db", str(db), "--actor", "FRA", "--limit", "5"])
    assert table.exit_code == 0 and "FRA" in table.output
    out = runner.invoke(
        app,
        [
            "events",
            "--db",
            str(db),
            "--source",
            "FRA",
            "--type",
            "consult",
            "--format",
            "jsonl",
            "--limit",
            "1000",
        ],
    )
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert rows and all(r["event_type"] == "CONSULT" for r in rows)
    assert all(any(s["country"] == "FRA" for s in r["sources"]) for r in rows)
    assert any(r["mentions"] == 2 for r in rows)  # the near-duplicate pair's event
    csv_out = runner.invoke(app, ["events", "--db", str(db), "--quad", "4", "--format", "csv"])
    lines = csv_out.output.splitlines()
    assert lines[0].startswith("event_id,") and len(lines) > 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--quad", "9"], "quad"),
        (["--type", "HUG"], "PLOVER"),
        (["--since", "2022-02-30"], "since"),
        (["--format", "xml"], "xml"),
        (["--modality", "perhaps"], "modality"),
    ],
)
def test_events_bad_options(db, args, message):
    result = runner.invoke(app, ["events", "--db", str(db), *args])
    assert result.exit_code == 2 and message in result.output


def test_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["events", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_dyad_prints_series_and_plots(db, tmp_path):
    png = tmp_path / "d.png"
    result = runner.invoke(
        app, ["dyad", "FRA", "CHN", "--db", str(db), "--by", "month", "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    assert "2022-03" in result.output and "FRA→CHN" in result.output
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000
    js = runner.invoke(app, ["dyad", "FRA", "CHN", "--db", str(db), "-f", "jsonl"])
    rows = [json.loads(line) for line in js.output.splitlines()]
    assert {r["direction"] for r in rows} <= {"A->B", "B->A"} and rows
    bad = runner.invoke(app, ["dyad", "FRA", "CHN", "--db", str(db), "--by", "fortnight"])
    assert bad.exit_code == 2 and "fortnight" in bad.output
    bad_plot = runner.invoke(app, ["dyad", "FRA", "CHN", "--db", str(db), "--plot", "x.gif"])
    assert bad_plot.exit_code == 2


def test_relations_blocs_trends(db, tmp_path):
    rel = runner.invoke(app, ["relations", "--db", str(db), "--plot", str(tmp_path / "r.svg")])
    assert rel.exit_code == 0 and "relations" in rel.output
    assert "<svg" in (tmp_path / "r.svg").read_text()[:500]
    blocs = runner.invoke(app, ["blocs", "--db", str(db), "-f", "jsonl"])
    assert blocs.exit_code == 0
    for line in blocs.output.splitlines():
        assert 0 <= json.loads(line)["cohesion"] <= 1
    tr = runner.invoke(
        app,
        [
            "trends",
            "--db",
            str(db),
            "--period",
            "quarter",
            "--plot",
            str(tmp_path / "t.png"),
            "-f",
            "jsonl",
        ],
    )
    assert tr.exit_code == 0, tr.output
    rows = [json.loads(line) for line in tr.output.splitlines() if line.startswith("{")]
    assert rows and all(r["kind"] in {"toward cooperation", "toward conflict"} for r in rows)
    assert (tmp_path / "t.png").stat().st_size > 1000


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "gdelt"])
def test_export_each_format(db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    n = int(result.output.split()[1])
    if fmt == "parquet":
        assert len(read_parquet(out)) == n
    elif fmt in ("jsonl", "gdelt"):
        assert len(out.read_text().splitlines()) == n


def test_export_rejects_unknown_format(db, tmp_path):
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "xls", str(tmp_path / "o")])
    assert result.exit_code == 2 and "xls" in result.output


def test_watch_once_ingests_a_folder(tmp_path, fake_coder, monkeypatch):
    monkeypatch.setenv("POLYBIUS_INGEST_CODER", "polybius_store_fake_coder:code")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_jsonl(inbox / "a.jsonl", make_records(3))
    db = tmp_path / "w.duckdb"
    first = runner.invoke(app, ["watch", str(inbox), "--db", str(db), "--once"])
    assert first.exit_code == 0, first.output
    assert "3 new articles" in first.output
    second = runner.invoke(app, ["watch", str(inbox), "--db", str(db), "--once"])
    assert "0 new articles" in second.output and "1 files unchanged" in second.output
    bad = runner.invoke(app, ["watch", str(inbox), "--every", "soon", "--once"])
    assert bad.exit_code == 2 and "interval" in bad.output


def test_progress_rate_is_articles_since_the_start() -> None:
    """A batch of articles comes back at once; the rate shown is completed / elapsed, not
    Rich's speed between the last two updates (which read thousands of articles a second)."""
    from rich.progress import Progress

    from polybius.cli.store import _RateColumn

    progress = Progress()
    task_id = progress.add_task("coding", total=None)
    task = progress.tasks[0]
    assert _RateColumn().render(task).plain == "-- art/s"
    task.start_time = task.get_time() - 4.0  # started four seconds ago
    progress.update(task_id, completed=12)  # twelve articles arrive at once
    rate = float(_RateColumn().render(task).plain.split()[0])
    assert 2.9 <= rate <= 3.1
