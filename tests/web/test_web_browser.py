"""The dashboard in a real browser: Debian's chromium driven by Playwright over a real server.

A uvicorn server runs in a background thread on a free localhost port over the invented
store. The tests open the dashboard, pick a pair of countries, read the timeline, open an
event and check its sentence is highlighted, and write a screenshot of each step to
test-artifacts/screenshots/ (gitignored).
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """Run a real uvicorn server over ``db`` in a background thread; yield its base URL."""
    import uvicorn

    from polybius.web import create_app

    port = _free_port()
    app = create_app(db, allowed_hosts=["127.0.0.1", f"127.0.0.1:{port}"])
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(web_store: dict[str, Any]) -> Iterator[str]:
    """A real server over the invented store."""
    with serving(web_store["path"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors, page errors and any JS dialog."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.requested = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requested.append(r.url))
    pg.on("pageerror", lambda e: pg.problems.append(f"pageerror: {e}"))
    pg.on(
        "console",
        lambda m: pg.problems.append(f"console: {m.text}") if m.type == "error" else None,
    )

    def on_dialog(d: Any) -> None:
        pg.problems.append(f"dialog: {d.message}")
        d.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def _shot(pg: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    pg.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 10_000
    return path


def _open(pg: Any, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector("body[data-ready=true]", timeout=20_000)


def test_pick_a_pair_see_timeline_and_highlighted_evidence(live_server: str, page: Any) -> None:
    pg = page
    _open(pg, live_server + "/")
    assert pg.locator("[data-testid=network-node]").count() == 8
    assert pg.locator("[data-testid=network-edge]").count() >= 10
    assert "27" in pg.locator("[data-testid=store-summary]").inner_text()
    assert pg.locator("[data-testid=event-row]").count() == 27
    _shot(pg, "01-dashboard.png")

    # pick a pair of countries
    pg.select_option("[data-testid=pair-a]", "RUS")
    pg.select_option("[data-testid=pair-b]", "UKR")
    pg.wait_for_selector("[data-testid=timeline-svg][aria-label*='RUS'][aria-label*='UKR']")
    bars = pg.locator("[data-testid=timeline-bar]")
    periods = [bars.nth(i).get_attribute("data-period") for i in range(bars.count())]
    assert periods == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-06"]
    stats = pg.locator("[data-testid=pair-stats]").inner_text()
    assert "5 events" in stats and "5 conflict" in stats and "net -5" in stats
    pair_events = pg.locator("[data-testid=pair-event]")
    expect(pair_events).to_have_count(5)
    for i in range(pair_events.count()):
        text = pair_events.nth(i).inner_text()
        assert "RUS" in text and "UKR" in text
    _shot(pg, "02-pair-timeline.png")

    # open an event from the pair list: its sentence with trigger and actors highlighted
    pair_events.first.click()
    trigger = pg.locator("[data-testid=evidence] [data-testid=hl-trigger]")
    trigger.wait_for()
    assert trigger.inner_text() in ("shelled", "accused")
    sentence = pg.locator("[data-testid=evidence-sentence]").inner_text()
    assert pg.locator("[data-testid=evidence] [data-testid=hl-source]").inner_text() in sentence
    assert pg.locator("[data-testid=evidence] [data-testid=hl-target]").inner_text() in (
        "Ukraine",
        "Russia",
    )
    assert pg.locator("[data-testid=evidence-rule]").inner_text().startswith("test.")
    _shot(pg, "03-evidence.png")

    # everything the dashboard loaded came from this server (it works offline)
    assert all(u.startswith(live_server) for u in pg.requested), pg.requested  # type: ignore[attr-defined]

    # a timeline bar narrows the pair list to its period
    pg.locator("[data-testid=timeline-bar][data-period='2024-02']").click()
    pg.wait_for_selector("[data-testid=pair-period]:has-text('2024-02')")
    expect(pg.locator("[data-testid=pair-event]")).to_have_count(1)
    assert pg.problems == []  # type: ignore[attr-defined]


def test_filter_the_table_open_evidence_and_the_article(live_server: str, page: Any) -> None:
    pg = page
    _open(pg, live_server + "/")
    pg.select_option("[data-testid=f-type]", "SANCTION")
    pg.click("[data-testid=f-apply]")
    expect(pg.locator("[data-testid=event-row]")).to_have_count(1)
    assert "1–1 of 1" in pg.locator("[data-testid=page-info]").inner_text()
    pg.locator("[data-testid=event-row]").first.click()
    pg.wait_for_selector("[data-testid=evidence] [data-testid=hl-trigger]")
    marks = {
        role: pg.locator(f"[data-testid=evidence] [data-testid=hl-{role}]").inner_text()
        for role in ("source", "trigger", "target")
    }
    assert marks == {
        "source": "The United States",
        "trigger": "imposed sanctions",
        "target": "China",
    }
    assert "SANCTION" in pg.locator("[data-testid=evidence-type]").inner_text()
    assert (
        "Washington (USA, 38.90, -77.04)"
        in pg.locator("[data-testid=evidence-location]").inner_text()
    )
    assert "4" in pg.locator("[data-testid=evidence-quad]").inner_text()
    href = pg.locator("[data-testid=article-url]").get_attribute("href")
    assert href and href.startswith("https://example.org/news/")
    _shot(pg, "04-table-evidence.png")

    pg.click("[data-testid=open-article]")
    pg.wait_for_selector("[data-testid=article-dialog][open] [data-testid=article-sentence]")
    assert "imposed sanctions" in pg.locator("[data-testid=article-sentence]").inner_text()
    _shot(pg, "05-article.png", full_page=False)  # the modal covers the viewport
    pg.click("[data-testid=article-close]")
    assert pg.problems == []  # type: ignore[attr-defined]


def test_the_place_filter_keeps_the_events_that_happened_there(live_server: str, page: Any) -> None:
    pg = page
    _open(pg, live_server + "/")
    pg.fill("[data-testid=f-place]", "usa")
    pg.click("[data-testid=f-apply]")
    expect(pg.locator("[data-testid=event-row]")).to_have_count(1)
    assert "f.place=usa" in pg.evaluate("window.location.hash")
    assert pg.problems == []  # type: ignore[attr-defined]


def test_clicking_an_edge_selects_the_pair_and_state_is_in_the_url(
    live_server: str, page: Any
) -> None:
    pg = page
    _open(pg, live_server + "/")
    pg.locator("[data-testid=network-edge][data-source=FRA][data-target=UKR]").dispatch_event(
        "click"
    )
    pg.wait_for_selector("[data-testid=timeline-svg][aria-label*='FRA'][aria-label*='UKR']")
    assert pg.locator("[data-testid=pair-a]").input_value() == "FRA"
    assert pg.locator("[data-testid=pair-b]").input_value() == "UKR"
    assert "a=FRA" in pg.url and "b=UKR" in pg.url
    # reloading the URL restores the view
    _open(pg, pg.url)
    assert pg.locator("[data-testid=pair-a]").input_value() == "FRA"
    assert pg.locator("[data-testid=timeline-bar]").count() == 1
    # a date range with no events shows empty states, not errors
    pg.fill("[data-testid=range-since]", "2030-01-01")
    pg.fill("[data-testid=range-until]", "2030-12-31")
    pg.click("[data-testid=range-apply]")
    pg.wait_for_selector("[data-testid=network] .empty")
    pg.wait_for_selector("[data-testid=timeline] .empty")
    assert pg.locator("[data-testid=event-row]").count() == 0
    assert pg.locator("[data-testid=error-banner]").is_hidden()
    _shot(pg, "06-empty-range.png")
    assert pg.problems == []  # type: ignore[attr-defined]


def test_trends_and_blocs_drive_the_other_views(live_server: str, page: Any) -> None:
    pg = page
    _open(pg, live_server + "/")
    trends = pg.locator("[data-testid=trend]")
    expect(trends.first).to_be_visible()
    a, b = trends.first.get_attribute("data-a"), trends.first.get_attribute("data-b")
    trends.first.click()
    pg.wait_for_selector(f"[data-testid=timeline-svg][aria-label*='{a}'][aria-label*='{b}']")
    blocs = pg.locator("[data-testid=bloc]")
    expect(blocs.first).to_be_visible()
    chip = blocs.first.locator(".chip").first
    code = chip.inner_text()
    chip.click()
    expect(pg.locator("[data-testid=f-actor]")).to_have_value(code)
    expect(pg.locator("#events-title")).to_contain_text(f"actor: {code}")
    rows = pg.locator("[data-testid=event-row]")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td.actor")
        assert code in cells.nth(0).inner_text() + cells.nth(1).inner_text()
    _shot(pg, "09-trends-blocs.png")
    assert pg.problems == []  # type: ignore[attr-defined]


def test_stored_markup_stays_text(live_server: str, page: Any) -> None:
    """An article title holding HTML is shown as text, and a javascript: URL is not a link."""
    pg = page
    _open(pg, live_server + "/#f.until=2024-01-22")
    rows = pg.locator("[data-testid=event-row]")
    expect(rows).to_have_count(6)
    titles = set()
    for i in range(rows.count()):
        event_id = rows.nth(i).get_attribute("data-event-id")
        rows.nth(i).click()
        expect(pg).to_have_url(re.compile(f"event={event_id}"))
        # the panel fills in after its fetch: read it only once it shows this event
        pg.wait_for_selector(f"#evidence[data-event-id='{event_id}'] .evidence-article strong")
        titles.add(pg.locator(".evidence-article strong").inner_text())
    assert 'Bulletin <img src=x onerror="alert(1)"> <b>bold</b>' in titles
    assert pg.locator("img[src=x]").count() == 0
    assert pg.locator("#evidence b").count() == 0
    assert pg.locator("a[href^='javascript']").count() == 0
    assert pg.problems == []  # type: ignore[attr-defined]


def test_an_empty_store_shows_empty_states(tmp_path: Path, page: Any) -> None:
    from polybius.store import Store

    db = tmp_path / "empty.duckdb"
    Store.open(db).close()
    with serving(db) as url:
        pg = page
        _open(pg, url + "/")
        expect(pg.locator("[data-testid=network] .empty")).to_have_count(1)
        expect(pg.locator("[data-testid=timeline] .empty")).to_have_count(1)
        expect(pg.locator("[data-testid=events-empty] .empty, #events-empty .empty")).to_have_count(
            1
        )
        assert "0 events" in pg.locator("[data-testid=store-summary]").inner_text()
        assert "no events yet" in pg.locator("[data-testid=network]").inner_text()
        assert "polybius ingest" in pg.locator("#events-empty").inner_text()
        assert pg.locator("[data-testid=error-banner]").is_hidden()
        _shot(pg, "08-empty-store.png")
        assert pg.problems == []  # type: ignore[attr-defined]


def test_openapi_page_renders_offline(live_server: str, page: Any) -> None:
    pg = page
    pg.goto(live_server + "/docs")
    pg.wait_for_selector(".opblock", timeout=20_000)
    assert pg.locator(".opblock").count() >= 12
    assert all(u.startswith(live_server) for u in pg.requested), pg.requested  # type: ignore[attr-defined]
    _shot(pg, "07-api-docs.png")
    assert pg.problems == []  # type: ignore[attr-defined]


def test_real_server_refuses_raw_traversal_paths(live_server: str) -> None:
    host, port = live_server.removeprefix("http://").split(":")
    for raw in (
        "/static/../pyproject.toml",
        "/static/../../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/js/../../app.py",
        "/../../../../etc/passwd",
    ):
        con = http.client.HTTPConnection(host, int(port), timeout=10)
        con.putrequest("GET", raw, skip_accept_encoding=True)
        con.endheaders()
        resp = con.getresponse()
        body = resp.read().decode("utf-8", "replace")
        con.close()
        assert resp.status in (400, 404), (raw, resp.status)
        assert "[project]" not in body and "root:" not in body and "create_app" not in body
