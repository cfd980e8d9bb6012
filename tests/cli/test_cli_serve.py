"""`polybius serve`: prints its address, binds loopback by default, refuses bad settings."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from polybius.cli import app
from polybius.cli.serve import is_loopback, loopback_hosts, server_url


def test_address_helpers() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    assert server_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert server_url("::1", 9000) == "http://[::1]:9000/"
    assert server_url("0.0.0.0", 80) == "http://127.0.0.1:80/"
    hosts = loopback_hosts("127.0.0.1", 8123)
    assert "localhost:8123" in hosts and "127.0.0.1" in hosts
    assert not any("example" in h for h in hosts)


def test_serve_refuses_a_missing_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "no such store" in " ".join(result.output.split())


def test_serve_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    db.write_bytes(b"this is not a database")
    result = CliRunner().invoke(app, ["serve", "--db", str(db)])
    assert result.exit_code == 2
    assert "x.duckdb" in " ".join(result.output.split())


def test_serve_refuses_a_short_token(tmp_path: Path) -> None:
    from polybius.store import Store

    db = tmp_path / "x.duckdb"
    Store.open(db).close()
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--token", "abc"])
    assert result.exit_code == 2
    assert "at least 16 characters" in " ".join(result.output.split())


def test_serve_options_are_in_help_and_docs() -> None:
    import re

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    doc = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    options = set(re.findall(r"--[a-z][a-z-]+", result.output)) - {"--help"}
    assert {"--db", "--host", "--port", "--token", "--cors-origin"} <= options
    for option in options:
        assert f"`{option}" in doc, f"{option} is not in docs/web.md"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_serve_prints_its_address_and_answers(tmp_path: Path, workers: int) -> None:
    from polybius.store import Store

    db = tmp_path / "serve.duckdb"
    Store.open(db).close()  # an empty, migrated store
    port = _free_port()
    exe = shutil.which("polybius", path=str(Path(sys.executable).parent)) or "polybius"
    env = {**os.environ, "POLYBIUS_TOKEN": "env-token-0123456789abcdef"}
    proc = subprocess.Popen(
        [exe, "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line, line
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert json.loads(r.read())["store"] == "ok"
                    break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=5) as r:
            assert json.loads(r.read())["code_enabled"] is True  # token taken from the env
        # a foreign Host header (DNS rebinding) is refused on a loopback server
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"Host": "attacker.example"}
        )
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(req, timeout=5)
        assert info.value.code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_app_from_env_needs_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from polybius.web.app import CONFIG_ENV, app_from_env

    monkeypatch.delenv(CONFIG_ENV, raising=False)
    with pytest.raises(RuntimeError, match=CONFIG_ENV):
        app_from_env()
    monkeypatch.setenv(
        CONFIG_ENV, json.dumps({"db_path": str(tmp_path / "x.duckdb"), "max_page_size": 7})
    )
    assert app_from_env().state.settings.max_page_size == 7
