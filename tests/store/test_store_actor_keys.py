"""The actor_keys table (schema migration 4): the events filters actor/source/target read from
it and find exactly what the old case-insensitive match over event_actors found."""

from __future__ import annotations

import dataclasses

import pytest

from polybius.records import Actor, Article, Event
from polybius.store import Store
from polybius.store.queries import count_events, query_events
from polybius.store.schema import ACTOR_KEYS_BACKFILL, LATEST_VERSION
from polybius.store.writer import transaction, write_article

#: The filter before migration 4 (the reference): an actor of the event (in the role) whose
#: code, country or org equals the value, case-insensitively.
OLD_MATCH = """
    SELECT e.event_id FROM events e
    WHERE EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.event_id{role}
                  AND (upper(ea.code) = upper(?) OR upper(ea.country) = upper(?)
                       OR upper(ea.org) = upper(?)))
    ORDER BY e.day ASC NULLS LAST, e.event_id
"""

USA, CHN, RUS = (Actor(c.title(), country=c) for c in ("USA", "CHN", "RUS"))
NATO = Actor("Nato", country="IGO", org="NATO")
EU_LOWER = Actor("the Union", country="igo", org="eu")  # lower-case codes
BIDEN = Actor("Joe Biden", country="USA", name="Joe Biden")
PUTIN = Actor("Vladimir Putin", name="Putin")
REBELS = Actor("some rebels")

SPECS = [  # (day, sources, targets)
    ("2021-01-04", (USA,), (CHN,)),
    ("2021-01-05", (USA, BIDEN), (CHN, NATO)),
    ("2021-02-01", (CHN, RUS), (USA,)),
    ("2021-02-02", (USA,), (USA,)),  # USA on both sides
    ("2021-03-01", (EU_LOWER,), (RUS, PUTIN)),
    ("2021-03-02", (REBELS,), (NATO, EU_LOWER)),
    ("2022-01-03", (PUTIN,), (REBELS,)),
    (None, (NATO,), (CHN,)),
]
VALUES = ["USA", "usa", "CHN", "RUS", "NATO", "nato", "IGO", "igo", "EU", "Eu", "Putin",
          "PUTIN", "Joe Biden", "some rebels", "SOME REBELS", "GBR"]  # fmt: skip


def _fill(con) -> None:
    arts = [
        Article.create(f"Hand-made key article {i}, topic {i * 7907}, nothing like the rest {i}.",
                       doc_id=f"key-art-{i}", date="2021-06-01")
        for i in range(len(SPECS))
    ]  # fmt: skip
    for i, ((day, srcs, tgts), art) in enumerate(zip(SPECS, arts, strict=True)):
        ev = Event(
            event_id=Event.make_id(art.article_id, "CONSULT", srcs, tgts, day, "asserted"),
            article_id=art.article_id,
            doc_id=art.doc_id,
            event_type="CONSULT",
            sources=srcs,
            targets=tgts,
            sentence=f"Hand-made key event {i}.",
            sentence_index=0,
            span=(0, 4),
            rule="hand",
            confidence=0.8,
            goldstein=1.0,
            quad_class=1,
            modality="asserted",
            date=day,
            date_precision="day" if day else None,
        )
        with transaction(con):
            write_article(con, art, [dataclasses.replace(ev, article_id=art.article_id)])


def _old(store, value: str, role: str | None) -> list[str]:
    clause = f" AND ea.role = '{role}'" if role else ""
    rows = store.con.execute(OLD_MATCH.format(role=clause), [value] * 3).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def store(mem_store):
    _fill(mem_store.con)
    return mem_store


@pytest.mark.parametrize("value", VALUES)
def test_actor_filters_equal_the_event_actors_match(store, value):
    for name, role in (("actor", None), ("source", "source"), ("target", "target")):
        got = [e.event_id for e in query_events(store, **{name: value}, limit=1000)]
        assert got == _old(store, value, role), (value, name)
        assert count_events(store, **{name: value}) == len(got)


def test_hand_counted(store):
    assert count_events(store, actor="usa") == 4
    assert count_events(store, source="USA", target="usa") == 1  # USA -> USA
    assert count_events(store, actor="igo") == 4  # NATO and the EU are IGO
    assert count_events(store, target="eu") == 1
    assert count_events(store, actor="GBR") == 0
    assert count_events(store, actor="NATO", since="2021-03-01") == 2  # one undated: 06-01


def test_writer_rows_equal_the_backfill(store):
    written = store.con.execute("SELECT * FROM actor_keys ORDER BY ALL").fetchall()
    # Biden: code and country USA, kept once; the EU: org "eu" and country "igo" upper-cased
    assert sum(1 for r in written if r[2] == "USA") == 5
    assert {r[2] for r in written} >= {"EU", "IGO", "PUTIN", "SOME REBELS"}
    store.con.execute("DELETE FROM actor_keys")
    store.con.execute(ACTOR_KEYS_BACKFILL)
    assert store.con.execute("SELECT * FROM actor_keys ORDER BY ALL").fetchall() == written


def test_migration_backfills_an_old_store(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        _fill(store.con)
        written = store.con.execute("SELECT * FROM actor_keys ORDER BY ALL").fetchall()
        store.con.execute("DROP TABLE actor_keys")
        store.con.execute("DELETE FROM schema_migrations WHERE version = 4")
    with Store.open(path) as store:
        assert store.con.execute("SELECT * FROM actor_keys ORDER BY ALL").fetchall() == written
        assert count_events(store, actor="RUS") == 2
        (version,) = store.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert version == LATEST_VERSION == 5


@pytest.mark.parametrize("order", ["date", "-date", "mentions"])
def test_pages_read_in_two_steps_equal_one_query(store, monkeypatch, order):
    from polybius.store import queries

    pages = [query_events(store, actor="usa", order=order, limit=2, offset=o) for o in (0, 2, 4)]
    whole = query_events(store, order=order, limit=5)
    with monkeypatch.context() as m:
        m.setattr(queries, "_IDS_FIRST_MAX", 0)  # every page in one query
        assert pages == [
            query_events(store, actor="usa", order=order, limit=2, offset=o) for o in (0, 2, 4)
        ]
        assert whole == query_events(store, order=order, limit=5)
    assert [len(p) for p in pages] == [2, 2, 0] and len(whole) == 5
