"""Reuse the store test helpers (hand-built events, fake coder, corpora)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

STORE_TESTS = Path(__file__).resolve().parents[1] / "store"
if str(STORE_TESTS) not in sys.path:
    sys.path.insert(0, str(STORE_TESTS))


@pytest.fixture
def mem_store():
    from polybius.store import Store

    with Store.open(":memory:") as store:
        yield store


@pytest.fixture
def fake_coder(monkeypatch):
    monkeypatch.syspath_prepend(str(STORE_TESTS))
    import polybius_store_fake_coder

    return polybius_store_fake_coder.code
