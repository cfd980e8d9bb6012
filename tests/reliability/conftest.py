"""Fixtures for the reliability tests: helper modules on the path, subprocess environments,
and a runner for the ``polybius`` command in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

#: The stand-in coder, by name, for ``$POLYBIUS_INGEST_CODER``.
STAND_IN = "polybius_reliability_coder:code"


def child_env(*, stand_in: bool = True, delay: float = 0.0, **extra: str) -> dict[str, str]:
    """Environment for a child ``polybius``: this folder importable, the stand-in coder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH")) if p)
    env.pop("POLYBIUS_INGEST_CODER", None)
    if stand_in:
        env["POLYBIUS_INGEST_CODER"] = STAND_IN
    if delay:
        env["POLYBIUS_RELIABILITY_DELAY"] = str(delay)
    env.setdefault("COLUMNS", "200")
    env.update(extra)
    return env


def polybius_cmd(*args: str) -> list[str]:
    """argv that runs the installed polybius CLI with this interpreter."""
    boot = "import sys; sys.argv[0] = 'polybius'; from polybius.cli import main; main()"
    return [sys.executable, "-c", boot, *args]


def run_polybius(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``polybius ARGS`` in a child process and capture its output."""
    return subprocess.run(
        polybius_cmd(*args),
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def stand_in_coder(monkeypatch: pytest.MonkeyPatch):
    """The stand-in coder function (also importable by name in child processes)."""
    monkeypatch.syspath_prepend(str(HERE))
    import polybius_reliability_coder

    return polybius_reliability_coder.code
