"""Fixtures for the tests of benchmark and script code: the scripts are loaded by path (they
are programs, not modules of the package)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(relpath: str) -> ModuleType:
    path = ROOT / relpath
    spec = importlib.util.spec_from_file_location(f"polybius_test_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def load_script() -> Callable[[str], ModuleType]:
    """Load a script of the repository (``"benchmarks/news_typing.py"``) as a module."""
    return _load


@pytest.fixture(scope="session")
def nt() -> ModuleType:
    """benchmarks/news_typing.py."""
    return _load("benchmarks/news_typing.py")
