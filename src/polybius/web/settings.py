"""Settings of one web app instance: where the store is, the token, CORS and the limits.

They are fixed when the app is created (``create_app``) and never change while it runs, so
every route reads the same bounds that the OpenAPI schema documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DEFAULT_MAX_PAGE_SIZE",
    "HARD_MAX_PAGE_SIZE",
    "MIN_TOKEN_LENGTH",
    "WebSettings",
]

#: Default largest page of events/articles one request may ask for.
DEFAULT_MAX_PAGE_SIZE = 500
#: No configuration may raise the page size above this (bounds every response).
HARD_MAX_PAGE_SIZE = 5000
#: Shortest token accepted for ``POST /api/code`` (guessing must be hopeless).
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Everything a request handler may need to know about the server it runs in.

    ``token`` None means ``POST /api/code`` is disabled. ``cors_origins`` None or empty means
    no CORS headers at all (browsers then refuse cross-origin reads). ``allowed_hosts``, when
    given, rejects requests whose Host header is not listed (DNS-rebinding protection for a
    server bound to localhost).
    """

    db_path: Path
    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    max_page_size: int = DEFAULT_MAX_PAGE_SIZE
    max_offset: int = 1_000_000
    max_body_bytes: int = 256 * 1024
    max_code_chars: int = 100_000
    max_article_chars: int = 200_000
    max_graph_edges: int = 2000
    max_series_rows: int = 10_000
    lock_retry_seconds: float = 2.0

    def __post_init__(self) -> None:
        if not 1 <= self.max_page_size <= HARD_MAX_PAGE_SIZE:
            raise ValueError(
                f"max_page_size must be between 1 and {HARD_MAX_PAGE_SIZE}, "
                f"got {self.max_page_size}"
            )
        if self.token is not None and len(self.token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the API token must be at least {MIN_TOKEN_LENGTH} characters long")
