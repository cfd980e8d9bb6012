"""`polybius actors` on a file, and the dictionary build being reproducible."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polybius.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_cli_jsonl(tmp_path: Path) -> None:
    src = tmp_path / "story.txt"
    src.write_text(
        "Kenya and Uganda agree on border\n\nKenyan police met Ugandan troops.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["actors", str(src), "--date", "2020-02-02", "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    got = {(r["text"], r["country"], r["sector"]) for r in rows}
    assert ("Kenyan police", "KEN", "COP") in got
    assert ("Ugandan troops", "UGA", "MIL") in got
    assert all(r["doc_id"] == "story.txt" and r["date"] == "2020-02-02" for r in rows)


def test_cli_rejects_bad_date_and_format(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Peru protested.\n", encoding="utf-8")
    bad_date = CliRunner().invoke(app, ["actors", str(src), "--date", "2020-13-40"])
    assert bad_date.exit_code != 0 and "--date" in bad_date.output
    bad_fmt = CliRunner().invoke(app, ["actors", str(src), "--format", "xml"])
    assert bad_fmt.exit_code != 0 and "--format" in bad_fmt.output


@pytest.mark.slow
@pytest.mark.corpus
def test_build_is_reproducible(shared_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "actors.json.gz"
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build_actor_dictionary.py"),
        "--shared",
        str(shared_data),
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    shipped = ROOT / "src" / "polybius" / "data" / "actors" / "actors.json.gz"
    assert json.loads(gzip.decompress(out.read_bytes())) == json.loads(
        gzip.decompress(shipped.read_bytes())
    )


def test_build_exits_cleanly_without_shared_data(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build_actor_dictionary.py"),
        "--shared",
        str(tmp_path / "missing"),
        "--out",
        str(tmp_path / "x.json.gz"),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 2 and "not found" in proc.stderr
    assert not (tmp_path / "x.json.gz").exists()
