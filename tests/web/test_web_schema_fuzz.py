"""Schemathesis over the OpenAPI schema, in-process: no request it generates gives a 500,
and every response matches its documented status codes and schema.

``positive_data_acceptance`` is left out on purpose: a schema cannot say that ``since`` must
not be after ``until``, and the API answers that combination with a clear 422.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

TOKEN = "fuzz-token-0123456789abcdef"


@pytest.mark.slow
def test_generated_requests_never_fail_the_server(web_store: dict[str, Any]) -> None:
    from polybius.web import create_app

    app = create_app(web_store["path"], token=TOKEN)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/code":
            continue  # runs spaCy per call; covered by test_web_api

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
        tested.append(operation.path)
    assert len(tested) >= 12, tested
