"""The JSON API, in-process over httpx.ASGITransport: every endpoint, good and bad parameters.

The store holds invented articles (see conftest.SCHEDULE): 27 events over January-June 2024.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from polybius.ontology import quad_class
from polybius.web.routes.analysis import trim_graph

SyncApi = Any  # the conftest client: .get/.post/.request -> httpx.Response

from web_schedule import SCHEDULE  # noqa: E402  (tests/web is put on sys.path by conftest)

N_EVENTS = len(SCHEDULE)


def test_schedule_copy_matches_the_store(web_store: dict[str, Any]) -> None:
    assert web_store["schedule"] == SCHEDULE


def _assert_422(r: Any, name: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert name in body["detail"], body
    assert body["errors"], body


# ---------- meta ----------


def test_healthz_reports_a_readable_store(api: SyncApi) -> None:
    r = api.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert r.json()["store"] == "ok"


def test_healthz_and_data_routes_with_a_missing_store(tmp_path, make_api) -> None:
    from polybius.web import create_app

    missing = make_api(create_app(tmp_path / "nope.duckdb"))
    assert missing.get("/healthz").json()["store"] == "missing"
    r = missing.get("/api/events")
    assert r.status_code == 503
    assert "does not exist" in r.json()["detail"]
    assert "nope.duckdb" not in r.text  # no file system paths in responses


def test_summary_and_meta(api: SyncApi) -> None:
    s = api.get("/api/summary").json()
    assert s["events"] == N_EVENTS
    assert s["articles"] == len({d for d, *_ in SCHEDULE})
    assert (s["first_date"], s["last_date"]) == ("2024-01-10", "2024-06-03")
    meta = api.get("/api/meta").json()
    assert meta["event_types"]["ASSAULT"] == 4
    assert meta["max_page_size"] == 500
    assert meta["code_enabled"] is False


# ---------- events ----------


def test_events_page_has_total_and_bounded_items(api: SyncApi) -> None:
    page = api.get("/api/events", params={"limit": 5, "offset": 0}).json()
    assert page["total"] == N_EVENTS
    assert (page["limit"], page["offset"]) == (5, 0)
    assert len(page["items"]) == 5
    rest = api.get("/api/events", params={"limit": 500, "offset": 5}).json()
    ids = [e["event_id"] for e in page["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == N_EVENTS
    item = page["items"][0]
    assert item["sources"][0]["code"] and item["sentence"] and item["rule"]
    assert {"location", "location_country", "location_lat", "location_lon"} <= set(item)


def test_event_order(api: SyncApi) -> None:
    def dates(order: str) -> list[str]:
        page = api.get("/api/events", params={"order": order, "limit": 100}).json()
        return [e["date"] for e in page["items"]]

    assert dates("date") == sorted(dates("date"))
    assert dates("-date") == sorted(dates("date"), reverse=True)
    assert len(dates("mentions")) == N_EVENTS
    _assert_422(api.get("/api/events", params={"order": "event_id; DROP"}), "order")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"actor": "NATO"}, sum(1 for _, s, t, _x in SCHEDULE if "NATO" in (s, t))),
        ({"source": "RUS"}, sum(1 for _, s, _t, _x in SCHEDULE if s == "RUS")),
        ({"target": "UKR"}, sum(1 for _, _s, t, _x in SCHEDULE if t == "UKR")),
        ({"source": "USA", "target": "CHN"}, 6),
        ({"type": "ASSAULT"}, 3),
        ({"quad": 4}, sum(1 for *_, e in SCHEDULE if quad_class(e) == 4)),
        ({"modality": "negated"}, 1),
        ({"since": "2024-05-01"}, sum(1 for d, *_ in SCHEDULE if d >= "2024-05-01")),
        ({"until": "2024-01-31"}, sum(1 for d, *_ in SCHEDULE if d <= "2024-01-31")),
        ({"since": "2024-02-01", "until": "2024-02-29", "actor": "CHN"}, 3),
        ({"place": "usa"}, 1),  # the one event placed in Washington
        ({"place": "CHN"}, 0),
    ],
)
def test_event_filters(api: SyncApi, params: dict[str, Any], expected: int) -> None:
    page = api.get("/api/events", params={**params, "limit": 100}).json()
    assert page["total"] == expected
    assert len(page["items"]) == expected


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**9}, "offset"),
        ({"quad": 5}, "quad"),
        ({"quad": 0}, "quad"),
        ({"type": "HUG"}, "type"),
        ({"modality": "maybe"}, "modality"),
        ({"since": "2024-13-01"}, "since"),
        ({"since": "2024/01/01"}, "since"),
        ({"until": "yesterday"}, "until"),
        ({"until": "0001-01-15"}, "until"),
        ({"since": "3000-01-01"}, "since"),
        ({"since": "2024-05-01", "until": "2024-01-01"}, "until"),
        ({"actor": "X" * 81}, "actor"),
        ({"source": "US\x00A"}, "source"),
        ({"target": ""}, "target"),
        ({"place": "Syria"}, "place"),
        ({"place": "S1"}, "place"),
    ],
)
def test_bad_event_parameters_are_clear_422s(
    api: SyncApi, params: dict[str, Any], name: str
) -> None:
    _assert_422(api.get("/api/events", params=params), name)


def test_page_size_bound_follows_the_server_setting(web_store: dict[str, Any], make_api) -> None:
    from polybius.web import create_app

    small = make_api(create_app(web_store["path"], max_page_size=10))
    assert small.get("/api/events", params={"limit": 10}).status_code == 200
    _assert_422(small.get("/api/events", params={"limit": 11}), "limit")
    schema = small.get("/openapi.json").json()
    params = schema["paths"]["/api/events"]["get"]["parameters"]
    limit = next(p for p in params if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10
    with pytest.raises(ValueError, match="max_page_size"):
        create_app(web_store["path"], max_page_size=100_000)


def test_one_event_with_evidence_located_in_its_sentence(
    api: SyncApi, web_store: dict[str, Any]
) -> None:
    ev = next(e for e in web_store["events"] if e.event_type == "SANCTION")
    r = api.get(f"/api/events/{ev.event_id}")
    assert r.status_code == 200
    d = r.json()
    assert d["sentence"] == ev.sentence
    marks = {h["role"]: h for h in d["highlights"]}
    assert marks["trigger"]["text"] == "imposed sanctions"
    assert marks["source"]["text"] == "The United States"
    assert marks["target"]["text"] == "China"
    for h in d["highlights"]:
        assert d["sentence"][h["start"] : h["end"]] == h["text"]
    assert d["article"]["article_id"] == ev.article_id
    assert d["article"]["url"].startswith("https://example.org/")


def test_event_attribution_and_quantity_come_through(
    api: SyncApi, web_store: dict[str, Any]
) -> None:
    with_att = next(e for e in web_store["events"] if e.attribution is not None)
    d = api.get(f"/api/events/{with_att.event_id}").json()
    assert d["attribution"]["speaker"] == "a State Department spokesman"
    with_qty = next(e for e in web_store["events"] if e.quantity is not None)
    d = api.get(f"/api/events/{with_qty.event_id}").json()
    assert d["quantity"]["value"] == 40


def test_unknown_and_malformed_event_ids(api: SyncApi) -> None:
    r = api.get("/api/events/0123456789abcdef")
    assert r.status_code == 404
    assert "no event" in r.json()["detail"]
    for bad in ("abc$", "x" * 65, "a b", "%27%20OR%201%3D1"):
        assert api.get(f"/api/events/{bad}").status_code == 422, bad


# ---------- articles ----------


def test_articles_listing_and_one_article(api: SyncApi, web_store: dict[str, Any]) -> None:
    page = api.get("/api/articles", params={"limit": 3}).json()
    assert page["total"] == len(web_store["articles"])
    assert len(page["items"]) == 3
    assert "text" not in page["items"][0]
    dated = api.get("/api/articles", params={"since": "2024-06-01"}).json()
    assert [a["date"] for a in dated["items"]] == ["2024-06-03"]
    assert dated["total"] is None
    art = web_store["articles"][3]
    d = api.get(f"/api/articles/{art.article_id}").json()
    assert d["text"] == art.text
    assert d["title"] == art.title
    assert d["truncated"] is False
    assert api.get("/api/articles/ffffffffffffffff").status_code == 404
    _assert_422(api.get("/api/articles", params={"limit": 0}), "limit")
    assert api.get("/api/articles/..%2F..%2Fetc").status_code in (404, 422)


# ---------- actors and analyses ----------


def test_actors(api: SyncApi) -> None:
    items = api.get("/api/actors").json()["items"]
    counts = Counter(x for _, s, t, _e in SCHEDULE for x in (s, t))
    assert items[0]["code"] == counts.most_common(1)[0][0]
    assert {a["code"]: a["events"] for a in items} == dict(counts)
    assert next(a for a in items if a["code"] == "NATO")["kind"] == "org"
    assert len(api.get("/api/actors", params={"limit": 2}).json()["items"]) == 2
    _assert_422(api.get("/api/actors", params={"limit": 1001}), "limit")


def test_dyad_series(api: SyncApi) -> None:
    d = api.get("/api/dyad", params={"a": "USA", "b": "CHN"}).json()
    assert d["by"] == "month"
    periods = {r["period"] for r in d["rows"]}
    assert periods == {"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"}
    ab = sum(r["events"] for r in d["rows"] if r["direction"] == "A->B")
    ba = sum(r["events"] for r in d["rows"] if r["direction"] == "B->A")
    assert (ab, ba) == (6, 4)
    week = api.get("/api/dyad", params={"a": "USA", "b": "CHN", "by": "week"}).json()
    assert all(len(r["period"]) == 10 for r in week["rows"])


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"a": "USA"}, "b"),
        ({"b": "USA"}, "a"),
        ({"a": "USA", "b": "USA"}, "b"),
        ({"a": "USA", "b": "CHN", "by": "fortnight"}, "by"),
        ({"a": "USA", "b": "CHN", "since": "2024-02-30"}, "since"),
    ],
)
def test_bad_dyad_parameters(api: SyncApi, params: dict[str, Any], name: str) -> None:
    _assert_422(api.get("/api/dyad", params=params), name)


def test_relations_graph(api: SyncApi) -> None:
    g = api.get("/api/relations").json()
    assert g["truncated"] is False
    edge = next(e for e in g["edges"] if {e["source"], e["target"]} == {"USA", "CHN"})
    assert edge["events"] == 10
    assert edge["cooperation"] + edge["conflict"] == 10
    assert {n["id"] for n in g["nodes"]} >= {"USA", "CHN", "NATO"}
    heavy = api.get("/api/relations", params={"min_events": 5}).json()
    assert all(e["events"] >= 5 for e in heavy["edges"])
    assert len(heavy["edges"]) < len(g["edges"])
    spring = api.get("/api/relations", params={"since": "2024-04-01", "until": "2024-06-30"})
    assert spring.status_code == 200
    _assert_422(api.get("/api/relations", params={"min_events": 0}), "min_events")


def test_trim_graph_keeps_the_heaviest_edges() -> None:
    graph = {
        "nodes": [{"id": x, "kind": "country", "events": 1} for x in "ABCD"],
        "edges": [
            {"source": "A", "target": "B", "events": 9},
            {"source": "C", "target": "D", "events": 1},
            {"source": "A", "target": "C", "events": 5},
        ],
    }
    out = trim_graph(graph, 2)
    assert out["truncated"] is True
    assert [e["events"] for e in out["edges"]] == [9, 5]
    assert {n["id"] for n in out["nodes"]} == {"A", "B", "C"}
    assert trim_graph(graph, 3)["truncated"] is False


def test_blocs_and_trends(api: SyncApi) -> None:
    blocs = api.get("/api/blocs").json()["items"]
    assert blocs and all(len(b["members"]) >= 2 for b in blocs)
    trends = api.get("/api/trends", params={"period": "month", "top": 3}).json()["items"]
    assert 0 < len(trends) <= 3
    assert {"a", "b", "change", "kind"} <= set(trends[0])
    assert api.get("/api/trends", params={"period": "45", "until": "2024-06-30"}).status_code == 200
    _assert_422(api.get("/api/trends", params={"period": "0"}), "period")
    _assert_422(api.get("/api/trends", params={"period": "decade"}), "period")
    _assert_422(api.get("/api/trends", params={"top": 0}), "top")
    _assert_422(api.get("/api/trends", params={"until": "0001-01-15"}), "until")
    _assert_422(api.get("/api/blocs", params={"since": "soon"}), "since")


# ---------- hostile strings ----------

INJECTIONS = [
    "' OR '1'='1",
    "USA' OR 1=1 --",
    "USA'; DROP TABLE events; --",
    "USA) UNION SELECT article_id FROM articles --",
    "%",
    "_",
    "USA%",
    "*",
    "1 OR 1",
    "\\' OR 1=1 #",
    "Robert'); DELETE FROM events; --",
    "../../etc/passwd",
]

STRING_PARAMS: list[tuple[str, str, dict[str, str]]] = [
    ("/api/events", "actor", {}),
    ("/api/events", "source", {}),
    ("/api/events", "target", {}),
    ("/api/events", "type", {}),
    ("/api/events", "modality", {}),
    ("/api/events", "order", {}),
    ("/api/events", "since", {}),
    ("/api/events", "until", {}),
    ("/api/articles", "since", {}),
    ("/api/dyad", "a", {"b": "CHN"}),
    ("/api/dyad", "b", {"a": "USA"}),
    ("/api/dyad", "by", {"a": "USA", "b": "CHN"}),
    ("/api/relations", "since", {}),
    ("/api/blocs", "until", {}),
    ("/api/trends", "period", {}),
    ("/api/trends", "until", {}),
]


def _rows(body: dict[str, Any]) -> list[Any]:
    for key in ("items", "rows", "edges"):
        if key in body:
            return body[key]
    raise AssertionError(body)


@pytest.mark.parametrize(("path", "name", "extra"), STRING_PARAMS)
def test_injection_like_strings_never_match_or_fail(
    api: SyncApi, path: str, name: str, extra: dict[str, str]
) -> None:
    for value in INJECTIONS:
        r = api.get(path, params={**extra, name: value})
        assert r.status_code in (200, 422), (name, value, r.status_code, r.text)
        if r.status_code == 200:
            assert _rows(r.json()) == [], (name, value)
    for value in INJECTIONS:
        quoted = value.replace("/", "%2F").replace("#", "%23").replace("%", "%25")
        for route in ("/api/events/", "/api/articles/"):
            r = api.get(route + quoted)
            assert r.status_code in (404, 422), (route, value, r.status_code)
    assert api.get("/api/summary").json()["events"] == N_EVENTS


# ---------- POST /api/code ----------


def test_code_is_disabled_without_a_token(api: SyncApi) -> None:
    r = api.post("/api/code", json={"text": "France thanked Germany."})
    assert r.status_code == 403
    assert "--token" in r.json()["detail"]


def test_code_needs_the_right_bearer_token(api_with_token: SyncApi) -> None:
    body = {"text": "France thanked Germany."}
    r = api_with_token.post("/api/code", json=body)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    for header in ("Bearer wrong-token-0123456789", "Basic dGVzdA==", "Bearer", "bearer "):
        r = api_with_token.post("/api/code", json=body, headers={"Authorization": header})
        assert r.status_code == 401, header


def test_token_must_be_long_enough(web_store: dict[str, Any]) -> None:
    from polybius.web import create_app

    with pytest.raises(ValueError, match="at least 16"):
        create_app(web_store["path"], token="short")


def test_code_bodies_are_bounded_and_validated(api_with_token: SyncApi, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    huge = "x" * (300 * 1024)
    r = api_with_token.post(
        "/api/code", content=huge, headers={**auth, "Content-Type": "text/plain"}
    )
    assert r.status_code == 413
    long_text = {"text": "Germany met France. " * 6000}  # 120k characters, under the byte limit
    _assert_422(api_with_token.post("/api/code", json=long_text, headers=auth), "text")
    _assert_422(api_with_token.post("/api/code", json={"text": ""}, headers=auth), "text")
    _assert_422(
        api_with_token.post("/api/code", json={"text": "a", "date": "2024-02-31"}, headers=auth),
        "date",
    )
    _assert_422(
        api_with_token.post("/api/code", json={"text": "a", "sql": "DROP"}, headers=auth), "sql"
    )
    _assert_422(
        api_with_token.post("/api/code", json={"text": "a", "typing": "fast"}, headers=auth),
        "typing",
    )
    r = api_with_token.post(
        "/api/code", content=b"{not json", headers={**auth, "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    # an oversized body is refused before the token is even looked at
    assert api_with_token.post("/api/code", content=huge).status_code == 413


@pytest.mark.slow
def test_code_with_the_token_codes_text(api_with_token: SyncApi, nlp: Any, token: str) -> None:
    r = api_with_token.post(
        "/api/code",
        json={
            "text": "Japan accused China of violating the maritime border.",
            "date": "2024-03-01",
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["article"]["date"] == "2024-03-01"
    assert body["events"], body
    for ev in body["events"]:
        assert ev["sentence"] and ev["event_type"]
    assert any(
        e["event_type"] == "ACCUSE" and e["sources"][0]["code"] == "JPN" for e in body["events"]
    ), body["events"]
    assert all(e["rule"].startswith("hybrid:") for e in body["events"])
    r = api_with_token.post(
        "/api/code",
        json={"text": "Japan accused China of violating the maritime border.", "typing": "rules"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    rules = r.json()["events"]
    assert rules and all(e["rule"].startswith("rules:") for e in rules)


# ---------- static files, headers, CORS, hosts, docs ----------

TRAVERSALS = [
    "/static/../pyproject.toml",
    "/static/%2e%2e/pyproject.toml",
    "/static/%2e%2e%2fpyproject.toml",
    "/static/..%2f..%2f..%2f..%2fpyproject.toml",
    "/static/..%5c..%5cpyproject.toml",
    "/static/....//....//pyproject.toml",
    "/static/%252e%252e/pyproject.toml",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/../../../../../../etc/passwd",
    "/static/js/../../app.py",
    "/static/js/%2e%2e/%2e%2e/app.py",
]


def test_no_directory_listing(api: SyncApi) -> None:
    for path in ("/static/", "/static/js/", "/static/vendor/", "/static"):
        assert api.get(path).status_code in (404, 307), path
        assert "main.js" not in api.get(path, follow_redirects=True).text


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal_through_static_files(api: SyncApi, path: str) -> None:
    r = api.get(path)
    assert r.status_code in (400, 404), (path, r.status_code)
    assert "[project]" not in r.text and "root:" not in r.text and "create_app" not in r.text


def test_dashboard_and_assets_are_served_offline(api: SyncApi) -> None:
    import re

    from polybius.web import STATIC_DIR

    r = api.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'id="network"' in r.text
    external = re.compile(r"https?://(?!www\.w3\.org/2000/svg)")
    assets = [p for p in STATIC_DIR.rglob("*") if p.is_file() and "vendor" not in p.parts]
    assert len(assets) >= 8
    for path in assets:
        url = "/static/" + path.relative_to(STATIC_DIR).as_posix()
        a = api.get(url)
        assert a.status_code == 200, url
        assert not external.search(a.text), url  # nothing loaded from elsewhere


def test_docs_use_the_vendored_swagger_ui(api: SyncApi) -> None:
    r = api.get("/docs")
    assert r.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in r.text
    assert "cdn.jsdelivr" not in r.text
    assert api.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert api.get("/static/vendor/swagger-ui/LICENSE").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    for p in (
        "/healthz",
        "/api/events",
        "/api/events/{event_id}",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/actors",
        "/api/dyad",
        "/api/relations",
        "/api/blocs",
        "/api/trends",
        "/api/code",
    ):
        assert p in paths, p


def test_security_headers(api: SyncApi) -> None:
    r = api.get("/api/summary")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["cache-control"] == "no-store"
    assert "unsafe-inline" not in api.get("/").headers["content-security-policy"]


def test_cors_is_off_by_default_and_opt_in(
    api: SyncApi, web_store: dict[str, Any], make_api: Any
) -> None:
    from polybius.web import create_app

    origin = {"Origin": "https://elsewhere.example"}
    assert "access-control-allow-origin" not in api.get("/api/summary", headers=origin).headers
    pre = api.request(
        "OPTIONS",
        "/api/summary",
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in pre.headers
    allowed = make_api(create_app(web_store["path"], cors_origins=["https://elsewhere.example"]))
    r = allowed.get("/api/summary", headers=origin)
    assert r.headers["access-control-allow-origin"] == "https://elsewhere.example"
    other = allowed.get("/api/summary", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_allowed_hosts_reject_rebinding(web_store: dict[str, Any], make_api: Any) -> None:
    from polybius.web import create_app

    local = make_api(create_app(web_store["path"], allowed_hosts=["127.0.0.1", "localhost"]))
    assert local.get("/healthz", headers={"Host": "localhost"}).status_code == 200
    assert local.get("/healthz", headers={"Host": "attacker.example"}).status_code == 400


def test_unknown_routes_and_methods_are_json_4xx(api: SyncApi) -> None:
    r = api.get("/api/nothing")
    assert r.status_code == 404
    assert r.json()["detail"]
    assert api.request("DELETE", "/api/events").status_code == 405
    assert api.post("/api/events").status_code == 405


def test_every_endpoint_and_parameter_is_documented(api: SyncApi) -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "web.md").read_text(encoding="utf-8")
    schema = api.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert f"{method.upper()} {path}" in doc, f"{method.upper()} {path} not in docs/web.md"
            for param in op.get("parameters", []):
                assert f"`{param['name']}`" in doc, f"parameter {param['name']} of {path}"


def test_undecodable_bytes_in_paths_and_queries_are_4xx(api: SyncApi) -> None:
    for url in (
        "/api/events/%ED%A0%80",
        "/api/articles/%FF%FE",
        "/api/events?since=%ED%A0%80",
        "/api/events?type=%FF",
        "/api/dyad?a=%C0%AE&b=USA&by=%ED%A0%80",
    ):
        r = api.get(url)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert r.json()["detail"]
