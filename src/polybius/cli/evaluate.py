"""`polybius eval plv|petr FILE`: score the coder on gold data (thin wrappers)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from polybius.cli._common import console, err_console

__all__ = ["register", "eval_app"]

eval_app = typer.Typer(
    help="Score the coder on gold data (PLV pairs, PETRARCH-2 validation).", no_args_is_help=True
)  # noqa: E501


def _check(path: Path) -> None:
    if not path.is_file():
        err_console.print(f"[red]{path}: no such file[/red]")
        raise typer.Exit(2)


def _print(result: dict, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for key, value in result.items():
        if key != "per_class":
            console.print(f"{key}: {value}")


@eval_app.command("plv")
def plv(
    file: Path = typer.Argument(
        ..., help="PLV TSV (uid, sentence_id, sentence, source, target, gold_root, gold_penta)."
    ),  # noqa: E501
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    predictions: Path = typer.Option(
        None, "--predictions", help="Write uid, predicted_root, predicted_penta TSV here."
    ),  # noqa: E501
    typing: str = typer.Option("hybrid", "--typing", help="rules, model or hybrid."),
    split: str = typer.Option(
        "all", "--split", help="all, heldout (the 30% never tuned on) or dev."
    ),  # noqa: E501
) -> None:
    """Type each gold (source, target) pair and score accuracy, macro F1, quad accuracy."""
    from polybius.evaluate.plv import evaluate_plv

    _check(file)
    try:
        result = evaluate_plv(file, typing=typing, split=split, predictions=predictions)
    except ValueError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    _print(result, as_json)


@eval_app.command("petr")
def petr(
    file: Path = typer.Argument(..., help="PETRARCH-2 validation XML."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    typing: str = typer.Option("hybrid", "--typing", help="rules, model or hybrid."),
) -> None:
    """Code each validation sentence; P/R/F1 of (source, target, CAMEO root) triples."""
    from polybius.evaluate.petr import evaluate_petr

    _check(file)
    try:
        result = evaluate_petr(file, typing=typing)
    except ValueError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    _print(result, as_json)


def register(app: typer.Typer) -> None:
    app.add_typer(eval_app, name="eval")
