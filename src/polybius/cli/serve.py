"""`polybius serve`: the HTTP API and dashboard over a store, with uvicorn."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Any

import typer

from polybius.cli._common import console, err_console

__all__ = ["register", "check_store", "is_loopback", "loopback_hosts", "server_url"]

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only default-safe binding)."""
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def loopback_hosts(host: str, port: int) -> list[str]:
    """Host headers accepted when bound to loopback (guards against DNS rebinding)."""
    names = {host, *_LOOPBACK_NAMES}
    return sorted(names | {f"{n}:{port}" for n in names})


def server_url(host: str, port: int) -> str:
    """The address to print: IPv6 literals in brackets, wildcard binds shown as localhost."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def check_store(db: Path) -> str | None:
    """Why the store cannot be served (not a polybius store, too old), or None.

    A store that a writer holds right now is fine: requests retry while it writes.
    """
    from polybius.store import Store, StoreError, StoreLocked

    try:
        Store.open(db, read_only=True, lock_timeout=2.0).close()
    except StoreLocked:
        return None
    except StoreError as exc:
        return str(exc)
    return None


def serve(
    db: Path = typer.Option(
        Path("polybius.duckdb"),
        "--db",
        envvar="POLYBIUS_DB",
        help="The event store to serve (env POLYBIUS_DB).",
    ),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind (default loopback only)."
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    token: str = typer.Option(
        None,
        "--token",
        envvar="POLYBIUS_TOKEN",
        help="Enable POST /api/code, guarded by this bearer token (16+ characters).",
    ),
    cors_origin: list[str] = typer.Option(
        None, "--cors-origin", help="Allow browser calls from this origin (repeatable; off)."
    ),
    max_page_size: int = typer.Option(
        500, "--max-page-size", min=1, max=5000, help="Largest page a listing returns."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (more throughput under load)."
    ),
) -> None:
    """Serve the dashboard and the JSON API (OpenAPI page at /docs) over a store."""
    import uvicorn

    from polybius.web.app import CONFIG_ENV, create_app

    if not db.exists():
        err_console.print(f"[red]{db}: no such store[/red] (run `polybius ingest` first)")
        raise typer.Exit(2)
    problem = check_store(db)
    if problem:
        err_console.print(f"[red]{problem}[/red]")
        raise typer.Exit(2)
    settings: dict[str, Any] = {
        "db_path": str(db.resolve()),
        "token": token,
        "cors_origins": list(cors_origin or []),
        "max_page_size": max_page_size,
        "allowed_hosts": loopback_hosts(host, port) if is_loopback(host) else None,
    }
    try:
        app = create_app(**settings)  # also validates the settings before anything starts
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/yellow] binding {host} exposes the dashboard to the network"
        )
    url = server_url(host, port)
    console.print(f"polybius dashboard: {url}  (API docs: {url}docs; Ctrl+C to stop)")
    if token:
        console.print("POST /api/code is enabled (bearer token required)")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
        return
    os.environ[CONFIG_ENV] = json.dumps(settings)
    uvicorn.run(
        "polybius.web.app:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
