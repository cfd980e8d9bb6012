"""Shared fixtures: the loaded spaCy pipeline (once per session) and the shared data path."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def nlp():
    """The default spaCy pipeline, loaded once for the whole test session."""
    from polybius.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip the test when it is absent (tests never depend on it)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED_DATA
