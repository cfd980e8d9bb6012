"""Every store command and each of its options is documented in docs/cli-store.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from polybius.cli import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli-store.md"
COMMANDS = ["ingest", "watch", "export", "events", "dyad", "relations", "blocs", "trends"]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_options_are_documented(name):
    text = DOC.read_text(encoding="utf-8")
    assert f"## polybius {name}" in text, f"docs/cli-store.md lacks a section for {name}"
    group = typer.main.get_command(app)
    command = group.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        longs = [o for o in param.opts if o.startswith("--")]
        if param.param_type_name != "option" or not longs or longs[0] == "--help":
            continue
        assert any(o in text for o in longs), f"{name} {longs[0]} is not in docs/cli-store.md"
