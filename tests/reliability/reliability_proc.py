"""Running polybius in child processes for the reliability tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["HERE", "STAND_IN", "child_env", "polybius_cmd", "run_polybius"]

HERE = Path(__file__).resolve().parent

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
