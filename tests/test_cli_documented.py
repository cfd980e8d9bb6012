"""Every command and each of its long options is documented in docs/cli.md or docs/cli-store.md.

A new command or option without documentation fails this test (the datasette lesson).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from polybius.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _commands() -> list[tuple[str, Any]]:
    root = typer.main.get_command(app)
    out: list[tuple[str, Any]] = []

    def walk(prefix: str, group: Any) -> None:
        for name, cmd in getattr(group, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            if getattr(cmd, "commands", None):
                walk(full, cmd)
            else:
                out.append((full, cmd))

    walk("", root)
    return out


def _doc_text() -> str:
    return "\n".join(
        (DOCS / name).read_text(encoding="utf-8") for name in ("cli.md", "cli-store.md")
    )


def test_the_cli_has_the_commands_the_issues_name():
    names = {name for name, _ in _commands()}
    expected = {"actors", "code", "eval plv", "eval petr", "ingest", "events", "dyad"}
    expected |= {"relations", "blocs", "trends", "export", "watch", "serve"}
    assert expected <= names


@pytest.mark.parametrize("name,command", _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_command_and_options_are_documented(name, command):
    text = _doc_text()
    assert f"## polybius {name}" in text, f"no section '## polybius {name}' in docs/cli*.md"
    for param in command.params:
        longs = [o for o in param.opts if o.startswith("--")]
        if param.param_type_name != "option" or not longs or longs[0] == "--help":
            continue
        assert any(o in text for o in longs), f"{name} {longs[0]} is not documented"
