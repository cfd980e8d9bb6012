"""Fixtures for store tests: helper modules on the path, an in-memory store, a fake coder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture
def mem_store():
    from polybius.store import Store

    with Store.open(":memory:") as store:
        yield store


@pytest.fixture
def fake_coder(monkeypatch):
    """The fake coder function, importable by name (for POLYBIUS_INGEST_CODER) as well."""
    monkeypatch.syspath_prepend(str(HERE))
    import polybius_store_fake_coder

    return polybius_store_fake_coder.code
