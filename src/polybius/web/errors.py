"""Exception handlers: every error is JSON ``{"detail": message[, "errors": [...]]}``.

Validation failures become 422 with the failed checks (inputs shortened, so that a huge
body is never echoed back); a busy or missing store becomes 503 with ``Retry-After``; any
unexpected exception becomes a plain 500 without a traceback (and is logged).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from polybius.store.validate import QueryError
from polybius.web.db import StoreUnavailable
from polybius.web.params import ACTOR_PATTERN, DATE_PATTERN, ID_PATTERN

__all__ = ["install_error_handlers"]

log = logging.getLogger(__name__)
_INPUT_MAX = 120
_PATTERN_HINTS = {
    DATE_PATTERN: "must be a date YYYY-MM-DD with a year from 1000 to 2999",
    ACTOR_PATTERN: "must be an actor code or name without control characters "
    'or any of ; = < > { } [ ] \\ " ` |',
    ID_PATTERN: "must be an id made of letters, digits, '_' or '-'",
}


def _clean(text: str) -> str:
    """Text that can be sent as JSON: lone surrogates and the like become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _short(value: Any) -> Any:
    """The offending input, shortened and made encodable, for the error's ``input``."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    if isinstance(value, str):
        if len(value) > _INPUT_MAX:
            return _clean(f"{value[:_INPUT_MAX]}... ({len(value)} chars)")
        return _clean(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    text = _clean(repr(value))
    return text if len(text) <= _INPUT_MAX else text[:_INPUT_MAX] + "..."


def _message(err: dict[str, Any]) -> str:
    """FastAPI's message, with a plain explanation instead of a regular expression."""
    if err.get("type") == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str((err.get("ctx") or {}).get("pattern")))
        if hint:
            return hint
    return str(err.get("msg", "invalid"))


def _describe(err: dict[str, Any]) -> dict[str, Any]:
    loc = _clean(".".join(str(p) for p in err.get("loc", ())))
    return {"loc": loc, "msg": _clean(_message(err)), "input": _short(err.get("input"))}


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_describe(e) for e in exc.errors()]
    first = errors[0] if errors else {"loc": "request", "msg": "invalid"}
    message = f"invalid {first['loc'] or 'request'}: {first['msg']}"
    return JSONResponse({"detail": message, "errors": errors}, status_code=422)


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        {"detail": _clean(str(exc.detail))}, status_code=exc.status_code, headers=exc.headers
    )


async def _store(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StoreUnavailable)
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return JSONResponse({"detail": exc.message}, status_code=503, headers=headers)


async def _query(_: Request, exc: Exception) -> JSONResponse:
    """A store-level check failed (``QueryError`` names the input and the reason)."""
    return JSONResponse({"detail": _clean(str(exc)[:300])}, status_code=422)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"detail": "internal error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(StoreUnavailable, _store)
    app.add_exception_handler(QueryError, _query)
    app.add_exception_handler(Exception, _unexpected)
