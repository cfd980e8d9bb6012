"""Shared fixtures: the spaCy pipeline (once per session), the shared data path, store helpers."""

from __future__ import annotations

import sys
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


# Store test helpers (hand-built events, a fast fake coder, small corpora) live in tests/store
# and are shared by the store, analysis and CLI tests.
STORE_TESTS = Path(__file__).resolve().parent / "store"
if str(STORE_TESTS) not in sys.path:
    sys.path.insert(0, str(STORE_TESTS))


@pytest.fixture
def mem_store():
    """An in-memory store with the full schema."""
    from polybius.store import Store

    with Store.open(":memory:") as store:
        yield store


@pytest.fixture
def fake_coder(monkeypatch):
    """The fake coder function, importable by name (for POLYBIUS_INGEST_CODER) as well."""
    monkeypatch.syspath_prepend(str(STORE_TESTS))
    import polybius_store_fake_coder

    return polybius_store_fake_coder.code
