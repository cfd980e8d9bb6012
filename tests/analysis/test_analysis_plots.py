"""Plots write non-empty PNG and SVG files; bad paths are refused."""

from __future__ import annotations

import pytest
from store_helpers import store_events

from polybius.analysis import dyad_series, relations_graph, trends
from polybius.analysis.plots import plot_dyad, plot_relations, plot_trends

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def store(mem_store):
    store_events(
        mem_store.con,
        [
            ("2022-01-05", [("CONSULT", "USA", "IRQ"), ("AID", "USA", "NATO")]),
            ("2022-03-20", [("THREATEN", "IRQ", "USA")]),
            ("2022-04-03", [("ASSAULT", "USA", "IRQ"), ("CONSULT", "FRA", "NATO")]),
        ],
    )
    return mem_store


def test_dyad_plot_png_and_svg(store, tmp_path):
    rows = dyad_series(store, "USA", "IRQ", by="month")
    png = plot_dyad(rows, "USA", "IRQ", tmp_path / "d.png")
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 10_000
    svg = plot_dyad(rows, "USA", "IRQ", tmp_path / "d.svg", by="month")
    assert "<svg" in svg.read_text()[:500]


def test_empty_dyad_plot_still_draws(tmp_path):
    assert plot_dyad([], "USA", "CHN", tmp_path / "e.png").stat().st_size > 1000


def test_relations_and_trends_plots(store, tmp_path):
    g = relations_graph(store)
    assert plot_relations(g, tmp_path / "r.png").read_bytes().startswith(PNG_MAGIC)
    rows = trends(store, period="month")
    assert rows
    assert plot_trends(rows, tmp_path / "t.png").read_bytes().startswith(PNG_MAGIC)


def test_plot_path_must_be_png_or_svg(store, tmp_path):
    with pytest.raises(ValueError, match=".png or .svg"):
        plot_dyad([], "USA", "IRQ", tmp_path / "d.jpg")
