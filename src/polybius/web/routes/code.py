"""POST /api/code: code a text over HTTP (off unless the server has a token)."""

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends

from polybius.web.evidence import event_to_dict
from polybius.web.models import CodeRequest, CodeResponse, ErrorOut
from polybius.web.params import bad_param
from polybius.web.security import require_token
from polybius.web.settings import WebSettings

__all__ = ["build"]


def build(settings: WebSettings) -> APIRouter:
    router = APIRouter(tags=["code"])

    @router.post(
        "/api/code",
        response_model=CodeResponse,
        dependencies=[Depends(require_token)],
        responses={
            400: {"model": ErrorOut, "description": "Body is not valid JSON."},
            401: {"model": ErrorOut, "description": "Missing or wrong token."},
            403: {"model": ErrorOut, "description": "Disabled: the server has no token."},
            413: {"model": ErrorOut, "description": "Body too large."},
            422: {"model": ErrorOut},
        },
    )
    def code(body: CodeRequest) -> dict[str, Any]:
        """Code a text into events (nothing is stored). Needs ``Authorization: Bearer``."""
        from polybius.pipeline import code_text

        if len(body.text) > settings.max_code_chars:
            bad_param(
                "text",
                f"text is longer than {settings.max_code_chars} characters",
                len(body.text),
                where="body",
            )
        if body.date is not None:
            try:
                dt.date.fromisoformat(body.date)
            except ValueError:
                bad_param("date", f"{body.date!r} is not a valid date", body.date, where="body")
        coded = code_text(
            body.text, date=body.date, title=body.title, doc_id=body.doc_id, typing=body.typing
        )
        art = coded.article
        return {
            "article": {
                "article_id": art.article_id,
                "doc_id": art.doc_id,
                "title": art.title,
                "date": art.date,
            },
            "events": [event_to_dict(e) for e in coded.events],
        }

    return router
