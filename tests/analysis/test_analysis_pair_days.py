"""The pair_days / actor_days / actor_kinds summaries (schema migration 3): the writer keeps
them, the migration backfills them, and the relations graph, blocs and trends read from them
equal the old queries over events/event_actors (kept here only, as the reference) on a varied
hand-made store: multi-actor events, same-code pairs, codes differing only in case, missing
Goldstein scores and quad classes, undated events, date ranges."""

from __future__ import annotations

import dataclasses
import datetime
import importlib
from typing import Any

import pytest
from store_helpers import hand_event  # type: ignore[import-not-found]

from polybius.analysis import find_blocs, graph, relations_graph, trends
from polybius.analysis._sql import date_range
from polybius.records import Actor, Article, Event
from polybius.store import Store
from polybius.store.schema import LATEST_VERSION, SUMMARY_BACKFILL
from polybius.store.writer import transaction, write_article

# the package exports the function ``trends``, which hides the module of the same name
trends_module = importlib.import_module("polybius.analysis.trends")
SUMMARIES = ("pair_days", "actor_days", "actor_kinds")

# ---------------------------------------------------------------- the old queries (reference)

#: The analyses' pairs before migration 3: one row per (event, source code, target code) with
#: different codes, within a date range (since, since, until, until; NULL means open).
OLD_PAIRS_SQL = """
    SELECT DISTINCT e.event_id, s.code AS src, t.code AS tgt, e.day, e.quad_class, e.goldstein
    FROM events e
    JOIN event_actors s ON s.event_id = e.event_id AND s.role = 'source'
    JOIN event_actors t ON t.event_id = e.event_id AND t.role = 'target'
    WHERE s.code <> t.code
      AND (CAST(? AS DATE) IS NULL OR e.day >= ?)
      AND (CAST(? AS DATE) IS NULL OR e.day <= ?)
"""


def _old_edge_rows(store, start, end, min_events) -> list[tuple[Any, ...]]:
    return store.con.execute(
        f"""
        WITH pairs AS ({OLD_PAIRS_SQL})
        SELECT least(src, tgt) AS a, greatest(src, tgt) AS b,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class IN (1, 2)) AS cooperation,
               count(*) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
               coalesce(sum(goldstein), 0) AS goldstein_sum,
               avg(goldstein) AS goldstein_mean,
               count(*) FILTER (WHERE src < tgt) AS a_to_b,
               count(*) FILTER (WHERE src > tgt) AS b_to_a
        FROM pairs
        GROUP BY 1, 2
        HAVING count(*) >= ?
        ORDER BY 1, 2
        """,
        [start, start, end, end, min_events],
    ).fetchall()


def _old_node_rows(store, start, end, codes) -> list[tuple[Any, ...]]:
    return store.con.execute(
        f"""
        WITH pairs AS ({OLD_PAIRS_SQL}),
        involved AS (
            SELECT src AS code, event_id FROM pairs UNION SELECT tgt, event_id FROM pairs
        ),
        kinds AS (
            SELECT code,
                   CASE WHEN bool_or(org IS NOT NULL AND org = code) THEN 'org'
                        WHEN bool_or(country IS NOT NULL AND country = code) THEN 'country'
                        WHEN bool_or(name IS NOT NULL) THEN 'person'
                        ELSE 'other' END AS kind
            FROM event_actors GROUP BY code
        )
        SELECT i.code, k.kind, count(DISTINCT i.event_id)
        FROM involved i LEFT JOIN kinds k USING (code)
        WHERE i.code IN (SELECT unnest(?::VARCHAR[]))
        GROUP BY i.code, k.kind
        """,
        [start, start, end, end, codes],
    ).fetchall()


def _old_trend_rows(store, previous, current) -> list[tuple[Any, ...]]:
    (p0, _p1), (c0, c1) = previous, current
    return store.con.execute(
        f"""
        WITH pairs AS ({OLD_PAIRS_SQL}),
        w AS (
            SELECT least(src, tgt) AS a, greatest(src, tgt) AS b, quad_class,
                   coalesce(goldstein, 0) AS g, day >= ? AS cur
            FROM pairs
        )
        SELECT a, b,
               coalesce(sum(g) FILTER (WHERE NOT cur), 0) AS prev,
               coalesce(sum(g) FILTER (WHERE cur), 0) AS curr,
               count(*) FILTER (WHERE NOT cur) AS prev_events,
               count(*) FILTER (WHERE cur) AS cur_events,
               count(*) FILTER (WHERE NOT cur AND quad_class IN (1, 2))
                 - count(*) FILTER (WHERE NOT cur AND quad_class IN (3, 4)) AS prev_net,
               count(*) FILTER (WHERE cur AND quad_class IN (1, 2))
                 - count(*) FILTER (WHERE cur AND quad_class IN (3, 4)) AS cur_net
        FROM w
        GROUP BY a, b
        ORDER BY a, b
        """,
        [p0, p0, c1, c1, c0],
    ).fetchall()


def _both(monkeypatch, fn, *args, **kwargs):
    """(result, result with the old queries over events/event_actors) of one analysis call."""
    new = fn(*args, **kwargs)
    with monkeypatch.context() as m:
        m.setattr(graph, "_edge_rows", _old_edge_rows)
        m.setattr(graph, "_node_rows", _old_node_rows)
        m.setattr(trends_module, "_trend_rows", _old_trend_rows)
        old = fn(*args, **kwargs)
    return new, old


# ---------------------------------------------------------------- a varied hand-made store

USA, CHN, RUS, FRA, GBR = (Actor(c.title(), country=c) for c in ("USA", "CHN", "RUS", "FRA", "GBR"))
NATO = Actor("Nato", country="IGO", org="NATO")
NATO_TEXT = Actor("NATO")  # code NATO, kind other on its own: org wins over it
BIDEN = Actor("Joe Biden", country="USA", sector="GOV", name="Joe Biden")  # code USA
LOWER_USA = Actor("usa")  # code "usa": a different code from "USA" (case kept)
LOOSE = Actor("some rebels")
PUTIN_TEXT = Actor("Putin")  # code "Putin", first seen unnamed (other) ...
PUTIN = Actor("Vladimir Putin", name="Putin")  # ... then named (person)

# (day or None, type, sources, targets, goldstein ("none" = missing), no quad class)
SPECS = [
    ("2021-01-04", "CONSULT", (USA,), (CHN,), None, False),
    ("2021-01-04", "ACCUSE", (CHN,), (USA,), None, False),
    ("2021-01-05", "ASSAULT", (USA, BIDEN), (CHN,), None, False),
    ("2021-01-20", "COOPERATE", (USA,), (CHN, NATO), None, False),
    ("2021-02-01", "ACCUSE", (CHN, RUS), (USA, NATO), 1.5, False),
    ("2021-02-01", "CONSULT", (USA,), (USA, CHN), None, False),  # USA on both sides
    ("2021-02-02", "CONSULT", (FRA,), (FRA,), None, False),  # same code only: no pair
    ("2021-02-14", "COOPERATE", (NATO,), (RUS,), "none", False),  # no Goldstein
    ("2021-03-01", "ASSAULT", (RUS,), (FRA, NATO), None, True),  # no quad class
    ("2021-03-02", "CONSULT", (NATO_TEXT,), (USA,), None, False),
    ("2021-03-02", "AID", (FRA, GBR), (LOOSE, LOWER_USA), None, False),
    ("2021-06-30", "ACCUSE", (LOWER_USA,), (USA,), "none", True),  # neither score
    ("2021-12-31", "ACCUSE", (LOOSE,), (RUS, PUTIN_TEXT), None, False),
    ("2022-01-03", "ASSAULT", (RUS, PUTIN), (FRA,), None, False),
    ("2022-06-30", "COOPERATE", (CHN,), (USA,), 0.0, False),
    ("2022-07-15", "AID", (USA, GBR), (FRA, NATO), 2.25, False),
    ("2022-07-16", "ASSAULT", (RUS,), (USA,), None, False),
    (None, "ASSAULT", (USA,), (CHN,), None, False),  # no day: its article's (2022-07-18)
    (None, "CONSULT", (CHN,), (USA, PUTIN), None, False),  # no day, undated article
    (None, "COOPERATE", (GBR,), (FRA,), "none", True),
]

RANGES = [
    (None, None),
    ("2021-01-05", "2021-12-31"),
    ("2021-02-01", None),
    (None, "2021-02-14"),
    ("2022-01-01", "2022-12-31"),
    ("2030-01-01", None),  # nothing
]


def _event(i: int, *spec) -> Event:  # type: ignore[no-untyped-def]
    return hand_event(i, *spec, prefix="pair", mention_cycle=2)


def _fill(con) -> None:
    """Two specs per article (the last undated); the first four articles in one transaction,
    the rest one transaction each (upserts of one key within and across transactions)."""
    events = [_event(i, *spec) for i, spec in enumerate(SPECS)]
    groups = [events[i : i + 2] for i in range(0, len(events), 2)]
    arts = [
        Article.create(
            f"Hand-made pair article {g}, topic {g * 7919}, unlike any other {g * 31} at all.",
            doc_id=f"pair-art-{g}",
            date=None if g == len(groups) - 1 else f"2022-07-{10 + g:02d}",
        )
        for g in range(len(groups))
    ]
    pairs = list(zip(arts, groups, strict=True))
    with transaction(con):
        for art, evs in pairs[:4]:
            write_article(
                con, art, [dataclasses.replace(e, article_id=art.article_id) for e in evs]
            )
    for art, evs in pairs[4:]:
        with transaction(con):
            write_article(
                con, art, [dataclasses.replace(e, article_id=art.article_id) for e in evs]
            )


def _summaries(con) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in SUMMARIES}


@pytest.fixture
def store(mem_store):
    _fill(mem_store.con)
    return mem_store


# ---------------------------------------------------------------- the analyses: new == old


@pytest.mark.parametrize("since,until", RANGES)
@pytest.mark.parametrize("min_events", [1, 2, 3])
def test_relations_graph_equals_the_events_query(store, monkeypatch, since, until, min_events):
    new, old = _both(
        monkeypatch, relations_graph, store, since=since, until=until, min_events=min_events
    )
    assert list(new.nodes(data=True)) == list(old.nodes(data=True))
    assert list(new.edges(data=True)) == list(old.edges(data=True))
    if (since, until, min_events) == (None, None, 1):
        assert new.number_of_edges() > 15  # the store is not trivially small


@pytest.mark.parametrize("since,until", RANGES[:5])
def test_blocs_equal_the_events_query(store, monkeypatch, since, until):
    new, old = _both(monkeypatch, find_blocs, store, since=since, until=until)
    assert new == old
    if since is None:
        assert new  # the whole store (and its first weeks) has cooperating blocs


@pytest.mark.parametrize("period", ["week", "month", "quarter", "year", 1, 45, 400])
@pytest.mark.parametrize("until", [None, "2021-03-02", "2022-07-16", "2022-12-31"])
def test_trends_equal_the_events_query(store, monkeypatch, period, until):
    new, old = _both(monkeypatch, trends, store, period=period, until=until, top=1000)
    assert new == old
    if period in ("quarter", "year", 400) and until is not None:
        assert new  # every such window holds events


def test_trends_ties_keep_a_fixed_order(store):
    got = trends(store, period="year", until="2022-12-31", top=1000)
    keys = [(-abs(r["change"]), -(r["previous_events"] + r["current_events"])) for r in got]
    assert keys == sorted(keys)
    for r1, r2 in zip(got, got[1:], strict=False):
        k1 = (-abs(r1["change"]), -(r1["previous_events"] + r1["current_events"]))
        k2 = (-abs(r2["change"]), -(r2["previous_events"] + r2["current_events"]))
        if k1 == k2:
            assert (r1["a"], r1["b"]) < (r2["a"], r2["b"])


def test_hand_counted_graph(store):
    g = relations_graph(store)
    usa_chn = g.edges["USA", "CHN"]
    # dated: CONSULT, ACCUSE, ASSAULT (USA and Biden as sources: once for USA), COOPERATE,
    # ACCUSE (CHN, RUS -> USA, NATO), CONSULT (USA -> USA, CHN), COOPERATE (0.0), ASSAULT
    # (no date of its own: its article's); undated: CONSULT (CHN -> USA, Putin)
    assert usa_chn["events"] == 9
    assert (usa_chn["a_to_b"], usa_chn["b_to_a"]) == (4, 5)  # CHN < USA
    assert usa_chn["goldstein_sum"] == pytest.approx(1 - 2 - 10 + 6 + 1.5 + 1 + 0 - 10 + 1)
    assert "FRA" not in g["FRA"]  # a same-code event adds no self-loop
    usa_usa = g.edges["USA", "usa"]  # case is kept: two codes
    assert (usa_usa["events"], usa_usa["cooperation"], usa_usa["conflict"]) == (1, 0, 0)
    assert (usa_usa["goldstein_sum"], usa_usa["goldstein_mean"]) == (0.0, None)
    aid = g.edges["GBR", "NATO"]  # one score, counted once per pair however many actors
    assert (aid["events"], aid["goldstein_mean"], aid["a_to_b"]) == (1, 2.25, 1)
    assert g.edges["NATO", "RUS"]["cooperation"] == 1 and g.edges["FRA", "RUS"]["conflict"] == 1
    kinds = {n: d["kind"] for n, d in g.nodes(data=True)}
    assert kinds["NATO"] == "org" and kinds["USA"] == "country"
    assert kinds["Putin"] == "person"  # named in a later article than the unnamed mention
    assert kinds["usa"] == kinds["some rebels"] == "other"
    assert g.nodes["FRA"]["events"] == 5  # the FRA -> FRA event is not one of them
    ranged = relations_graph(store, since="2021-01-05", until="2021-01-20")
    assert ranged.nodes["USA"]["events"] == 2 and ranged.edges["USA", "CHN"]["events"] == 2
    undated_out = relations_graph(store, until="2099-12-31")
    assert undated_out.edges["USA", "CHN"]["events"] == 8


# ---------------------------------------------------------------- the tables themselves


def test_writer_tables_equal_a_full_recompute(store):
    written = _summaries(store.con)
    assert all(written.values())
    undated = store.con.execute("SELECT count(*) FROM pair_days WHERE NOT isfinite(day)").fetchone()
    assert undated == (3,)  # CHN->USA, CHN->Putin, GBR->FRA
    for table in SUMMARIES:
        store.con.execute(f"DELETE FROM {table}")
    for statement in SUMMARY_BACKFILL:
        store.con.execute(statement)
    assert _summaries(store.con) == written


def test_migration_backfills_an_old_store(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        _fill(store.con)
        written = _summaries(store.con)
        graph_before = list(relations_graph(store).edges(data=True))
        # make it a version-2 store: no migration-3 or -4 tables, no record of them
        for table in (*SUMMARIES, "actor_keys"):
            store.con.execute(f"DROP TABLE {table}")
        store.con.execute("DELETE FROM schema_migrations WHERE version BETWEEN 3 AND 4")
    with Store.open(path) as store:
        assert _summaries(store.con) == written
        (version,) = store.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert version == LATEST_VERSION
        assert list(relations_graph(store).edges(data=True)) == graph_before


def test_near_duplicate_merge_adds_nothing(mem_store):
    body = (
        "Delegates of two coastal states met in a harbour town on Tuesday about shared fishing "
        "grounds, shipping lanes and a new lighthouse. Both sides called the meeting useful and "
        "promised a second round after the harvest, with surveyors reporting by then."
    )
    first = Article.create(body, doc_id="wire", date="2023-05-02")
    copy = Article.create(body.replace("useful", "useful and calm"), doc_id="copy", date=None)
    ev = _event(0, "2023-05-02", "CONSULT", (USA,), (CHN, PUTIN), None, False)
    with transaction(mem_store.con):
        write_article(mem_store.con, first, [dataclasses.replace(ev, article_id=first.article_id)])
    before = _summaries(mem_store.con)
    assert [r[:4] for r in before["pair_days"]] == [
        ("USA", "CHN", datetime.date(2023, 5, 2), 1),
        ("USA", "Putin", datetime.date(2023, 5, 2), 1),
    ]
    again = dataclasses.replace(
        ev,
        article_id=copy.article_id,
        event_id=Event.make_id(copy.article_id, "CONSULT", (USA,), (CHN, PUTIN), None, "x"),
    )
    with transaction(mem_store.con):
        res = write_article(mem_store.con, copy, [again])
    assert res.status == "duplicate" and res.events_merged == 1
    assert _summaries(mem_store.con) == before


def test_rolled_back_article_leaves_the_tables_unchanged(mem_store):
    art = Article.create("A short hand-made note on a border incident.", doc_id="rb")
    ev = dataclasses.replace(
        _event(1, "2022-02-02", "ASSAULT", (RUS,), (FRA,), None, False), article_id=art.article_id
    )
    with pytest.raises(RuntimeError), transaction(mem_store.con):
        write_article(mem_store.con, art, [ev])
        raise RuntimeError("crash after the write")
    assert _summaries(mem_store.con) == {t: [] for t in SUMMARIES}


def test_date_range_checks_still_apply(store):
    with pytest.raises(Exception, match="after"):
        relations_graph(store, since="2022-01-01", until="2021-01-01")
    assert date_range(None, None)[:2] == (None, None)
