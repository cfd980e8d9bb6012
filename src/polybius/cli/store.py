"""`polybius ingest`, `polybius watch` and `polybius export`: filling and emptying the store."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from polybius.articles.reading import DEFAULT_MAX_CHARS
from polybius.cli._common import console, err_console, parse_date_option
from polybius.cli._store_util import DB_OPTION, cli_errors, open_reader
from polybius.exports import EXPORT_FORMATS, export
from polybius.ingest import IngestProgress, IngestReport, ingest, load_coder
from polybius.watch import graceful_stop, parse_interval, watch

__all__ = ["register", "print_ingest_report"]

MAX_ERRORS_SHOWN = 20


def _typing_option() -> str:
    return typer.Option(
        "hybrid",
        "--typing",
        help="Event typing: rules, model or hybrid (the default and most accurate; rules "
        "codes about 1.5x faster, docs/performance.md).",
    )


def _max_chars_option() -> int:
    return typer.Option(
        DEFAULT_MAX_CHARS,
        "--max-chars",
        min=1,
        help="Longest article accepted, in characters; longer ones are recorded as errors.",
    )


class _RateColumn(ProgressColumn):
    """Articles per second since the start. (Rich's own speed is measured between the last
    few updates; articles come back a coding batch at a time, so that read e.g. 119,311
    art/s for a demo of 12 articles done in 2 s.)"""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text("-- art/s", style="cyan")
        return Text(f"{task.completed / elapsed:5.1f} art/s", style="cyan")


def print_ingest_report(report: IngestReport, *, db: str) -> None:
    """The end-of-run summary: counts, then the errors met (capped)."""
    t = Table(show_header=False, box=None, padding=(0, 2))
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_row("articles read", str(report.articles_read))
    t.add_row("  new, stored", str(report.articles_new))
    t.add_row("  near-duplicates, linked", str(report.articles_duplicate))
    t.add_row("  already stored", str(report.articles_already))
    t.add_row("  coding failed", str(report.coding_failed))
    if report.files_skipped:
        t.add_row("files unchanged, skipped", str(report.files_skipped))
    t.add_row("events new", str(report.events_new))
    t.add_row("events merged (extra mentions)", str(report.events_merged))
    t.add_row("errors", f"{len(report.errors)} ({report.errors_new} new in the database)")
    t.add_row("time", f"{report.elapsed_s:.1f}s")
    state = "stopped early (committed what was coded)" if report.stopped else "done"
    console.print(f"[bold]ingest {state}[/] → {escape(str(db))}", highlight=False)
    console.print(t)
    for err in report.errors[:MAX_ERRORS_SHOWN]:
        console.print(f"  [yellow]![/] {escape(str(err))}", highlight=False)
    if len(report.errors) > MAX_ERRORS_SHOWN:
        more = len(report.errors) - MAX_ERRORS_SHOWN
        console.print(f"  … and {more} more (SELECT * FROM ingest_errors)")


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    )


def ingest_cmd(
    sources: list[str] = typer.Argument(
        ..., help="Files, directories, globs or URLs (txt, html, jsonl, json, csv, feeds)."
    ),
    db: str = DB_OPTION,
    date: str = typer.Option(None, "--date", help="Date (YYYY-MM-DD) for undated articles."),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Articles per commit."),
    jobs: int = typer.Option(
        0,
        "--jobs",
        "-j",
        min=0,
        help="Worker processes for coding (0: all cores when there are many articles).",
    ),
    max_chars: int = _max_chars_option(),
    typing: str = _typing_option(),
    dask: str = typer.Option(
        None, "--dask", help="Code on a Dask cluster: tcp://host:8786 or local:N (docs/scaling.md)."
    ),
) -> None:
    """Read, code and store articles; re-running adds only what is new."""
    day = parse_date_option(date)
    try:
        coder = load_coder(typing=typing)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if dask:
        from polybius.distributed import ingest_dask

        with cli_errors():
            try:
                run, report = ingest_dask(
                    sources,
                    db,
                    dask,
                    date=day,
                    batch_size=batch_size,
                    read_options={"max_chars": max_chars},
                    coding_options={"typing": typing},
                )
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--dask") from None
        console.print(
            f"dask: {run.partitions} partitions, {run.articles_coded} articles coded "
            f"on {run.workers} workers → {escape(run.output)}",
            highlight=False,
        )
        print_ingest_report(report, db=db)
        return
    with cli_errors():
        with _progress() as bar, graceful_stop() as stop:
            task = bar.add_task("coding", total=None)

            def on_progress(p: IngestProgress) -> None:
                bar.update(
                    task,
                    total=p.total or None,
                    completed=p.done,
                    description=f"coding {Path(p.source).name}",
                )

            report = ingest(
                sources,
                db,
                date=day,
                batch_size=batch_size,
                jobs=jobs,
                coder=coder,
                progress=on_progress,
                should_stop=stop,
                read_options={"max_chars": max_chars},
            )
    print_ingest_report(report, db=db)


def watch_cmd(
    sources: list[str] = typer.Argument(..., help="Feed URLs, files or directories to poll."),
    db: str = DB_OPTION,
    every: str = typer.Option("15m", "--every", help="Interval between polls (30s, 15m, 1h)."),
    once: bool = typer.Option(False, "--once", help="Poll once and exit."),
    date: str = typer.Option(None, "--date", help="Date (YYYY-MM-DD) for undated articles."),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Articles per commit."),
    max_chars: int = _max_chars_option(),
    typing: str = _typing_option(),
) -> None:
    """Poll feeds and folders; ingest only what is new. Ctrl-C stops cleanly."""
    day = parse_date_option(date)
    try:
        interval = parse_interval(every)
        coder = load_coder(typing=typing)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None

    def on_round(r: IngestReport) -> None:
        if not (r.articles_new or r.articles_duplicate or r.errors_new or r.coding_failed):
            return  # a quiet round: nothing new
        console.print(
            f"[dim]{r.articles_read} read, {r.articles_new} new, "
            f"{r.articles_duplicate} duplicates, {r.events_new} events, "
            f"{len(r.errors)} errors, {r.files_skipped} files unchanged[/]",
            highlight=False,
            soft_wrap=True,
        )

    with cli_errors(), graceful_stop() as stop:
        how = "once" if once else f"every {every}"
        console.print(
            f"watching {len(sources)} source(s) {how} → {db} (Ctrl-C to stop)", soft_wrap=True
        )
        report = watch(
            sources,
            db,
            every=interval,
            once=once,
            should_stop=stop,
            on_round=on_round,
            date=day,
            batch_size=batch_size,
            coder=coder,
            read_options={"max_chars": max_chars},
        )
    console.print(
        f"[bold]watch {'stopped' if report.stopped else 'done'}[/]: {report.rounds} round(s), "
        f"{report.articles_new} new articles, {report.articles_duplicate} duplicates, "
        f"{report.events_new} events, {len(report.errors)} errors, "
        f"{report.files_skipped} files unchanged",
        highlight=False,
        soft_wrap=True,
    )


def export_cmd(
    out: Path = typer.Argument(..., help="Output file."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl, csv, parquet or gdelt."),
    since: str = typer.Option(None, "--since", help="First event day (YYYY-MM-DD)."),
    until: str = typer.Option(None, "--until", help="Last event day (YYYY-MM-DD)."),
    header: bool = typer.Option(False, "--header", help="gdelt: write a header row."),
    db: str = DB_OPTION,
) -> None:
    """Export events as JSONL (event contract), CSV, Parquet or GDELT 2.0 TSV."""
    if fmt.strip().lower() not in EXPORT_FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(EXPORT_FORMATS)}", param_hint="--format"
        )
    with open_reader(db) as store:
        n = export(store, fmt, out, since=since, until=until, header=header)
    unit = "rows" if fmt == "gdelt" else "events"
    console.print(f"wrote {n} {unit} to {out} ({fmt})", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ingest, watch and export to the polybius app."""
    app.command("ingest")(ingest_cmd)
    app.command("watch")(watch_cmd)
    app.command("export")(export_cmd)
