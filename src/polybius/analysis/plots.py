"""Pictures of the analyses, drawn with matplotlib's object API (no pyplot, no global state,
so it is safe in a web server thread). Each function writes a PNG or SVG (by the file
extension) and returns the path.

- ``plot_dyad``: for each direction, a diverging bar chart per period (cooperation above the
  zero line: verbal and material; conflict below: verbal and material) and the net
  cooperation line; dates on the x axis.
- ``plot_relations``: the relations network; edge colour = sign (green cooperation, red
  conflict, grey balanced), edge width = number of events, node size = events.
- ``plot_trends``: the dyads that moved most, as arrows from the previous to the current
  Goldstein sum.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

__all__ = ["plot_dyad", "plot_relations", "plot_trends", "PLOT_SUFFIXES", "check_plot_path"]

PLOT_SUFFIXES = (".png", ".svg")

# Colour-blind-safe pairs: blues for cooperation, oranges/reds for conflict.
QUAD_COLOURS = {1: "#9ecae1", 2: "#2171b5", 3: "#fdae6b", 4: "#d94801"}
QUAD_LABELS = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
COOP, CONFLICT, NEUTRAL, INK = "#1a9850", "#d73027", "#9e9e9e", "#333333"


def check_plot_path(path: str | Path) -> Path:
    """The plot path, which must end in .png or .svg (ValueError naming it otherwise)."""
    p = Path(path)
    if p.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"{p}: a plot file must end in .png or .svg")
    return p


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#888888")
    ax.spines["bottom"].set_color("#888888")
    ax.tick_params(colors=INK, labelsize=9)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def _save(fig: Figure, path: str | Path) -> Path:
    p = check_plot_path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=150, bbox_inches="tight", facecolor="white")
    return p


def _periods(rows: Sequence[dict[str, Any]], by: str) -> list[_dt.date]:
    """Every period start from the first to the last row, gaps filled."""
    days = sorted({_dt.date.fromisoformat(r["period_start"]) for r in rows})
    if not days:
        return []
    out, cur, last = [], days[0], days[-1]
    while cur <= last:
        out.append(cur)
        if by == "day":
            cur += _dt.timedelta(days=1)
        elif by == "week":
            cur += _dt.timedelta(days=7)
        elif by == "month":
            cur = _dt.date(cur.year + cur.month // 12, cur.month % 12 + 1, 1)
        else:
            cur = _dt.date(cur.year + 1, 1, 1)
    return out


def _bar_width(by: str) -> float:
    return {"day": 0.8, "week": 5.5, "month": 24.0, "year": 300.0}.get(by, 24.0)


def plot_dyad(
    rows: Sequence[dict[str, Any]],
    a: str,
    b: str,
    path: str | Path,
    *,
    by: str = "month",
    title: str | None = None,
) -> Path:
    """Draw a dyad series (``dyad_series`` rows) to ``path``."""
    periods = _periods(rows, by)
    fig = Figure(figsize=(11, 6.6), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    directions = (("A->B", f"{a} → {b}"), ("B->A", f"{b} → {a}"))
    width = _bar_width(by)
    offset = _dt.timedelta(days=width / 2) if by != "day" else _dt.timedelta(0)
    for ax, (direction, label) in zip(axes, directions, strict=True):
        _style(ax)
        by_period = {r["period_start"]: r for r in rows if r["direction"] == direction}
        xs = [p + offset for p in periods]
        vals = {
            q: [by_period.get(p.isoformat(), {}).get(f"q{q}", 0) for p in periods]
            for q in (1, 2, 3, 4)
        }
        ax.bar(xs, vals[1], width, color=QUAD_COLOURS[1], label=QUAD_LABELS[1])
        ax.bar(xs, vals[2], width, bottom=vals[1], color=QUAD_COLOURS[2], label=QUAD_LABELS[2])
        ax.bar(xs, [-v for v in vals[3]], width, color=QUAD_COLOURS[3], label=QUAD_LABELS[3])
        ax.bar(
            xs,
            [-v for v in vals[4]],
            width,
            bottom=[-v for v in vals[3]],
            color=QUAD_COLOURS[4],
            label=QUAD_LABELS[4],
        )
        net = [vals[1][i] + vals[2][i] - vals[3][i] - vals[4][i] for i in range(len(periods))]
        active = [i for i, p in enumerate(periods) if p.isoformat() in by_period]
        ax.plot(xs, net, color=INK, linewidth=1.2, alpha=0.8, label="net cooperation")
        ax.plot(
            [xs[i] for i in active],
            [net[i] for i in active],
            linestyle="none",
            marker="o",
            markersize=4,
            color=INK,
        )
        ax.axhline(0, color="#555555", linewidth=0.9)
        total = sum(by_period[k]["events"] for k in by_period)
        gsum = sum(by_period[k]["goldstein_sum"] for k in by_period)
        ax.set_title(
            f"{label}   ·   {total} event{'' if total == 1 else 's'}, Goldstein sum {gsum:+.1f}",
            loc="left",
            fontsize=11,
            color=INK,
        )
        ax.set_ylabel("events (conflict below 0)", fontsize=9, color=INK)
        lim = max(
            [1]
            + [abs(v) for q in vals for v in vals[q]]
            + [vals[1][i] + vals[2][i] for i in range(len(periods))]
            + [vals[3][i] + vals[4][i] for i in range(len(periods))]
        )
        ax.set_ylim(-lim * 1.15, lim * 1.15)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if not periods:
            ax.text(
                0.5,
                0.5,
                "no events",
                ha="center",
                va="center",
                transform=ax.transAxes,
                color="#888888",
            )
    locator = AutoDateLocator(minticks=3, maxticks=12)
    axes[1].xaxis.set_major_locator(locator)
    axes[1].xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes[1].set_xlabel(
        f"{by} (one bar per {by}; periods without events are empty)", fontsize=9, color=INK
    )
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=5, frameon=False, fontsize=9)
    fig.suptitle(
        title or f"Relations between {a} and {b}, by {by}",
        fontsize=14,
        fontweight="bold",
        color=INK,
        x=0.01,
        ha="left",
    )
    return _save(fig, path)


def _box(pos: dict[Any, Any], x0: float, y0: float, w: float, h: float) -> dict[Any, Any]:
    """Scale positions into the box (x0, y0, w, h), keeping the aspect ratio."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min(w, h) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        n: (x0 + w / 2 + (p[0] - cx) * scale, y0 + h / 2 + (p[1] - cy) * scale)
        for n, p in pos.items()
    }


def _packed_layout(g: nx.Graph) -> dict[Any, tuple[float, float]]:
    """The largest connected group laid out large on the left, smaller groups stacked in a
    column on the right (a plain spring layout squeezes the main group into a clump)."""
    comps = sorted(nx.connected_components(g), key=lambda c: (-len(c), sorted(c)))
    pos: dict[Any, tuple[float, float]] = {}
    main = g.subgraph(comps[0])
    if len(main) > 2:
        raw = nx.kamada_kawai_layout(main, weight=None)
    else:
        raw = {n: (float(i), 0.0) for i, n in enumerate(sorted(main.nodes))}
    pos.update(_box(raw, 0.0, 0.0, 1.0, 1.0))
    rest = comps[1:]
    if rest:
        total = sum(len(c) for c in rest)
        y = 1.0
        for comp in rest:
            h = max(0.08, 1.0 * len(comp) / max(total, 1))
            sub = g.subgraph(comp)
            raw = (
                nx.spring_layout(sub, seed=7, weight=None)
                if len(sub) > 2
                else {n: (0.0, float(i)) for i, n in enumerate(sorted(sub.nodes))}
            )
            pos.update(_box(raw, 1.15, y - h, 0.25, h * 0.8))
            y -= h
    return pos


def plot_relations(
    g: nx.Graph, path: str | Path, *, title: str | None = None, max_nodes: int = 60
) -> Path:
    """Draw the relations graph (``relations_graph``) to ``path`` (busiest ``max_nodes``)."""
    if g.number_of_nodes() > max_nodes:
        keep = sorted(g.nodes, key=lambda n: -g.nodes[n].get("events", 0))[:max_nodes]
        g = g.subgraph(keep).copy()
    fig = Figure(figsize=(10, 8.5), layout="constrained")
    ax = fig.subplots()
    ax.set_axis_off()
    if g.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no relations in this period", ha="center", va="center", color="#888")
        return _save(fig, path)
    pos = _packed_layout(g)
    max_events = max((d["events"] for _, _, d in g.edges(data=True)), default=1)
    for a, b, d in sorted(g.edges(data=True), key=lambda e: e[2]["events"]):
        colour = COOP if d["sign"] > 0 else CONFLICT if d["sign"] < 0 else NEUTRAL
        width = 0.8 + 7.0 * math.sqrt(d["events"] / max_events)
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.plot(
            [xa, xb],
            [ya, yb],
            color=colour,
            linewidth=width,
            alpha=0.65,
            solid_capstyle="round",
            zorder=1,
        )
    node_events = [g.nodes[n].get("events", 1) for n in g.nodes]
    top = max(node_events) or 1
    sizes = [180 + 1100 * math.sqrt(e / top) for e in node_events]
    colours = ["#fdd49e" if g.nodes[n].get("kind") == "org" else "#deebf7" for n in g.nodes]
    xy = [pos[n] for n in g.nodes]
    ax.scatter(
        [p[0] for p in xy],
        [p[1] for p in xy],
        s=sizes,
        c=colours,
        edgecolors="#4d4d4d",
        linewidths=1.0,
        zorder=2,
    )
    for n in g.nodes:
        ax.text(
            pos[n][0],
            pos[n][1],
            n,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color=INK,
            zorder=3,
        )
    legend = [
        Line2D([0], [0], color=COOP, lw=4, label="cooperative (Goldstein sum > 0)"),
        Line2D([0], [0], color=CONFLICT, lw=4, label="conflictual (Goldstein sum < 0)"),
        Line2D([0], [0], color=NEUTRAL, lw=4, label="balanced"),
        Patch(facecolor="#deebf7", edgecolor="#4d4d4d", label="country / other actor"),
        Patch(facecolor="#fdd49e", edgecolor="#4d4d4d", label="organisation"),
    ]
    fig.legend(
        handles=legend,
        loc="outside lower center",
        ncols=3,
        frameon=False,
        fontsize=9,
        title="line width = number of events, circle size = events of the actor",
        title_fontsize=9,
    )
    ax.margins(0.08)
    fig.suptitle(
        title or "Relations between actors",
        fontsize=14,
        fontweight="bold",
        color=INK,
        x=0.01,
        ha="left",
    )
    return _save(fig, path)


def plot_trends(
    rows: Sequence[dict[str, Any]], path: str | Path, *, title: str | None = None
) -> Path:
    """Draw ``trends`` rows to ``path``: one row per dyad, previous -> current arrow."""
    n = len(rows)
    fig = Figure(figsize=(10, 1.6 + 0.5 * max(n, 1)), layout="constrained")
    ax = fig.subplots()
    _style(ax)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.grid(axis="y", visible=False)
    if not rows:
        ax.text(
            0.5,
            0.5,
            "no change between the two periods",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color="#888888",
        )
    for i, r in enumerate(reversed(list(rows))):
        colour = COOP if r["change"] > 0 else CONFLICT
        ax.annotate(
            "",
            xy=(r["current"], i),
            xytext=(r["previous"], i),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "lw": 2.2,
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
        ax.scatter([r["previous"]], [i], s=30, color="#bdbdbd", zorder=3)
        ax.scatter([r["current"]], [i], s=45, color=colour, zorder=3)
    labels = [f"{r['a']} – {r['b']}" for r in reversed(list(rows))]
    ax.set_yticks(range(n), labels)
    ax.axvline(0, color="#555555", linewidth=0.9)
    ax.set_xlabel("Goldstein sum (previous period → current period)", fontsize=9, color=INK)
    if rows:
        prev, cur = rows[0]["previous_period"], rows[0]["current_period"]
        sub = f"previous {prev[0]} – {prev[1]}, current {cur[0]} – {cur[1]}"
    else:
        sub = ""
    legend = [
        Line2D([0], [0], color=COOP, lw=2.2, label="toward cooperation"),
        Line2D([0], [0], color=CONFLICT, lw=2.2, label="toward conflict"),
        Line2D([0], [0], marker="o", color="w", markerfacecolor="#bdbdbd", label="previous"),
    ]
    fig.legend(handles=legend, loc="outside lower center", ncols=3, frameon=False, fontsize=9)
    fig.suptitle(
        (title or "Dyads that changed most") + (f"\n{sub}" if sub else ""),
        fontsize=13,
        color=INK,
        x=0.01,
        ha="left",
    )
    return _save(fig, path)
