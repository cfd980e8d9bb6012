"""HTTP routes, one module per concern; each exposes ``build(settings) -> APIRouter``."""

from __future__ import annotations

__all__: list[str] = []
