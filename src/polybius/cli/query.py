"""`polybius events|dyad|relations|blocs|trends`: questions asked of the store.

Each command opens the database read-only, calls one library function
(``polybius.store.queries`` or ``polybius.analysis``) and prints a table, JSON lines or CSV;
``--plot FILE.png|.svg`` draws the result.
"""

from __future__ import annotations

from pathlib import Path

import typer

from polybius.analysis import dyad_series, edge_rows, find_blocs, relations_graph, trends
from polybius.cli._common import console
from polybius.cli._store_util import DB_OPTION, check_format, cli_errors, open_reader, print_rows
from polybius.store.queries import query_events

__all__ = ["register"]

SINCE = typer.Option(None, "--since", help="First event day (YYYY-MM-DD).")
UNTIL = typer.Option(None, "--until", help="Last event day (YYYY-MM-DD).")
FORMAT = typer.Option("table", "--format", "-f", help="table, jsonl or csv.")
PLOT = typer.Option(None, "--plot", help="Also draw the result to FILE.png or FILE.svg.")

CSV_EVENT_COLUMNS = (
    "event_id",
    "article_id",
    "date",
    "event_type",
    "cameo",
    "quad_class",
    "source_codes",
    "target_codes",
    "modality",
    "goldstein",
    "mentions",
    "location",
    "location_country",
    "sentence",
)
#: The table view: date, type (and modality when not asserted), quad, actors, Goldstein,
#: mentions, sentence (shortened).
TABLE_EVENT_COLUMNS = ("date", "event", "q", "who", "gold", "n", "sentence")


def _check_plot(plot: Path | None) -> None:
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise typer.BadParameter(f"{plot}: must end in .png or .svg", param_hint="--plot")


def _plotted(path: Path) -> None:
    console.print(f"plot written to {path}", highlight=False)


def events_cmd(
    actor: str = typer.Option(None, "--actor", help="Actor code as source or target."),
    source: str = typer.Option(None, "--source", help="Actor code as source."),
    target: str = typer.Option(None, "--target", help="Actor code as target."),
    event_type: str = typer.Option(None, "--type", help="PLOVER event type (e.g. CONSULT)."),
    quad: int = typer.Option(None, "--quad", help="Quad class 1-4."),
    modality: str = typer.Option(None, "--modality", help="asserted, future, negated, ..."),
    place: str = typer.Option(
        None, "--place", help="ISO3 country where the events happened (e.g. SYR)."
    ),
    since: str = SINCE,
    until: str = UNTIL,
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many events."),
    fmt: str = FORMAT,
    db: str = DB_OPTION,
) -> None:
    """List stored events matching the filters (oldest first)."""
    fmt = check_format(fmt)
    with open_reader(db) as store:
        events = query_events(
            store,
            actor=actor,
            source=source,
            target=target,
            event_type=event_type,
            quad=quad,
            modality=modality,
            place=place,
            since=since,
            until=until,
            limit=limit,
        )
    if fmt == "jsonl":
        print_rows([e.to_dict() for e in events], [], "jsonl")
        return
    if fmt == "csv":
        rows = [
            {
                "event_id": e.event_id,
                "article_id": e.article_id,
                "date": e.date,
                "event_type": e.event_type,
                "cameo": e.cameo,
                "quad_class": e.quad_class,
                "source_codes": ";".join(a.code for a in e.sources),
                "target_codes": ";".join(a.code for a in e.targets),
                "modality": e.modality,
                "goldstein": e.goldstein,
                "mentions": e.mentions,
                "location": e.location,
                "location_country": e.location_country,
                "sentence": e.sentence,
            }
            for e in events
        ]
        print_rows(rows, CSV_EVENT_COLUMNS, "csv")
        return
    table = [
        {
            "date": e.date or "",
            "event": e.event_type + ("" if e.modality == "asserted" else f" ({e.modality})"),
            "q": e.quad_class,
            "who": f"{','.join(a.code for a in e.sources) or '?'} → "
            f"{','.join(a.code for a in e.targets) or '?'}",
            "gold": e.goldstein,
            "n": e.mentions,
            "sentence": _short(e.sentence),
        }
        for e in events
    ]
    print_rows(
        table, TABLE_EVENT_COLUMNS, "table", title=f"{len(table)} events", empty="no events match"
    )


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


DYAD_COLUMNS = (
    "period",
    "direction",
    "events",
    "q1",
    "q2",
    "q3",
    "q4",
    "goldstein_sum",
    "goldstein_mean",
    "net_cooperation",
)


def dyad_cmd(
    a: str = typer.Argument(..., metavar="A", help="First actor code (e.g. USA)."),
    b: str = typer.Argument(..., metavar="B", help="Second actor code (e.g. IRQ)."),
    by: str = typer.Option("month", "--by", help="day, week, month or year."),
    since: str = SINCE,
    until: str = UNTIL,
    plot: Path = PLOT,
    fmt: str = FORMAT,
    db: str = DB_OPTION,
) -> None:
    """Both directions of a dyad per period: quad counts, Goldstein, net cooperation."""
    fmt = check_format(fmt)
    _check_plot(plot)
    with open_reader(db) as store:
        rows = dyad_series(store, a, b, by=by, since=since, until=until)
    src, tgt = (rows[0]["source"], rows[0]["target"]) if rows else (a.upper(), b.upper())
    if rows and rows[0]["direction"] == "B->A":
        src, tgt = tgt, src
    shown = [
        {**r, "direction": f"{r['source']}→{r['target']}"} if fmt == "table" else r for r in rows
    ]
    print_rows(
        shown,
        DYAD_COLUMNS,
        fmt,
        title=f"{src} and {tgt} by {by}",
        empty=f"no events between {a} and {b}",
    )
    if plot is not None:
        from polybius.analysis.plots import plot_dyad

        with cli_errors():
            _plotted(plot_dyad(rows, src, tgt, plot, by=by.lower()))


def relations_cmd(
    since: str = SINCE,
    until: str = UNTIL,
    min_events: int = typer.Option(1, "--min-events", min=1, help="Hide rarer pairs."),
    limit: int = typer.Option(50, "--limit", min=0, help="Edges to print (busiest first)."),
    plot: Path = PLOT,
    fmt: str = FORMAT,
    db: str = DB_OPTION,
) -> None:
    """The weighted, signed graph of relations, printed as edges (busiest first)."""
    fmt = check_format(fmt)
    _check_plot(plot)
    with open_reader(db) as store:
        g = relations_graph(store, since=since, until=until, min_events=min_events)
    rows = edge_rows(g)
    cols = (
        "source",
        "target",
        "events",
        "cooperation",
        "conflict",
        "goldstein_sum",
        "goldstein_mean",
        "sign",
    )
    print_rows(
        rows[:limit] if limit else rows,
        cols,
        fmt,
        title=f"{g.number_of_nodes()} actors, {g.number_of_edges()} relations",
        empty="no relations",
    )
    if plot is not None:
        from polybius.analysis.plots import plot_relations

        span = f" ({since or '…'} to {until or '…'})" if since or until else ""
        _plotted(plot_relations(g, plot, title=f"Relations between actors{span}"))


def blocs_cmd(
    since: str = SINCE,
    until: str = UNTIL,
    min_events: int = typer.Option(1, "--min-events", min=1, help="Ignore rarer pairs."),
    fmt: str = FORMAT,
    db: str = DB_OPTION,
) -> None:
    """Groups of actors that cooperate among themselves (Louvain), with their cohesion."""
    fmt = check_format(fmt)
    with open_reader(db) as store:
        blocs = find_blocs(store, since=since, until=until, min_events=min_events)
    rows = [{**b, "members": ", ".join(b["members"])} if fmt != "jsonl" else b for b in blocs]
    cols = (
        "bloc",
        "members",
        "cohesion",
        "internal_events",
        "mean_goldstein",
        "internal_cooperation",
        "external_cooperation",
    )
    print_rows(rows, cols, fmt, title="Blocs", empty="no cooperating groups found")


def trends_cmd(
    period: str = typer.Option("month", "--period", help="week, month, quarter, year or days."),
    until: str = UNTIL,
    top: int = typer.Option(10, "--top", min=1, help="How many dyads."),
    plot: Path = PLOT,
    fmt: str = FORMAT,
    db: str = DB_OPTION,
) -> None:
    """Dyads whose relations changed most against the previous period (Goldstein sum)."""
    fmt = check_format(fmt)
    _check_plot(plot)
    with open_reader(db) as store:
        rows = trends(store, period=period, until=until, top=top)
    cols = ("a", "b", "previous", "current", "change", "kind", "previous_events", "current_events")
    title = None
    if rows:
        p, c = rows[0]["previous_period"], rows[0]["current_period"]
        title = f"previous {p[0]}..{p[1]} → current {c[0]}..{c[1]}"
    shown = rows
    if fmt == "table":
        arrows = {"toward cooperation": "↑ coop", "toward conflict": "↓ conflict"}
        shown = [{**r, "kind": arrows.get(r["kind"], r["kind"])} for r in rows]
    print_rows(shown, cols, fmt, title=title, empty="no change between the two periods")
    if plot is not None:
        from polybius.analysis.plots import plot_trends

        _plotted(plot_trends(rows, plot))


def register(app: typer.Typer) -> None:
    """Add events, dyad, relations, blocs and trends to the polybius app."""
    app.command("events")(events_cmd)
    app.command("dyad")(dyad_cmd)
    app.command("relations")(relations_cmd)
    app.command("blocs")(blocs_cmd)
    app.command("trends")(trends_cmd)
