"""The dyad_days summary: the writer keeps it, the migration backfills it, and dyad_series
read from it equals the old query over events/event_actors on a varied hand-made store."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from store_helpers import article, event, hand_event

from polybius.analysis import dyads
from polybius.analysis.dyads import dyad_series
from polybius.records import Actor, Article, Event
from polybius.store import Store
from polybius.store.schema import LATEST_VERSION
from polybius.store.writer import transaction, write_article

USA, CHN, RUS, FRA = (Actor(c.title(), country=c) for c in ("USA", "CHN", "RUS", "FRA"))
NATO = Actor("Nato", country="IGO", org="NATO")
EU = Actor("the Union", country="IGO", org="eu")  # lower-case org code still matches "EU"
BIDEN = Actor("Joe Biden", country="USA", sector="GOV", name="Joe Biden")
LOOSE = Actor("some rebels")  # no country or org: keyed by its text

# (day or None, type, sources, targets, goldstein override ("none" = missing), quad None?)
SPECS = [
    ("2021-01-04", "CONSULT", (USA,), (CHN,), None, False),
    ("2021-01-04", "ACCUSE", (CHN,), (USA,), None, False),
    ("2021-01-05", "ASSAULT", (USA, BIDEN), (CHN,), None, False),  # USA twice among sources
    ("2021-01-20", "COOPERATE", (USA,), (CHN, NATO), None, False),
    ("2021-02-01", "ACCUSE", (CHN, RUS), (USA, NATO), 1.5, False),
    ("2021-02-01", "CONSULT", (USA,), (USA, CHN), None, False),  # USA on both sides
    ("2021-02-14", "COOPERATE", (NATO,), (RUS,), "none", False),  # no Goldstein
    ("2021-03-01", "ASSAULT", (RUS,), (FRA, NATO), None, True),  # no quad class
    ("2021-03-02", "CONSULT", (EU,), (USA,), None, False),
    ("2021-03-02", "CONSULT", (FRA,), (EU, LOOSE), None, False),
    ("2021-12-31", "ACCUSE", (LOOSE,), (RUS,), None, False),
    ("2022-01-03", "ASSAULT", (RUS,), (FRA,), None, False),
    ("2022-06-30", "COOPERATE", (CHN,), (USA,), 0.0, False),
    (None, "ASSAULT", (USA,), (CHN,), None, False),  # no day: left out
    (None, "CONSULT", (CHN,), (USA,), None, False),
]

DYADS = [
    ("USA", "CHN"),
    ("chn", "usa"),
    ("USA", "NATO"),
    ("nato", "RUS"),
    ("IGO", "USA"),
    ("RUS", "igo"),
    ("EU", "usa"),
    ("FRA", "eu"),
    ("Some Rebels", "RUS"),
    ("FRA", "RUS"),
    ("USA", "GBR"),
]


def _event(i: int, *spec) -> Event:  # type: ignore[no-untyped-def]
    return hand_event(i, *spec, prefix="hand", mention_cycle=3)


def _fill(con) -> None:
    """One article per two specs, some in one transaction (repeated upserts of one key)."""
    events = [_event(i, *spec) for i, spec in enumerate(SPECS)]
    groups = [events[i : i + 2] for i in range(0, len(events), 2)]
    arts = [
        Article.create(
            f"Hand-made article {g} on topic {g * 7919}, quite unlike the others {g * 31}.",
            doc_id=f"hand-art-{g}",
            date=None,
        )
        for g in range(len(groups))
    ]
    with transaction(con):
        for art, evs in list(zip(arts, groups, strict=True))[:4]:
            write_article(
                con, art, [dataclasses.replace(e, article_id=art.article_id) for e in evs]
            )
    for art, evs in list(zip(arts, groups, strict=True))[4:]:
        with transaction(con):
            write_article(
                con, art, [dataclasses.replace(e, article_id=art.article_id) for e in evs]
            )


def _dyad_days(con) -> list[tuple]:
    return con.execute("SELECT * FROM dyad_days ORDER BY ALL").fetchall()


@pytest.fixture
def store(mem_store):
    _fill(mem_store.con)
    return mem_store


def _reference(store, monkeypatch, *args, **kwargs):
    with monkeypatch.context() as m:
        m.setattr(dyads, "_dyad_rows", dyads._dyad_rows_from_events)
        return dyad_series(store, *args, **kwargs)


@pytest.mark.parametrize("by", ["day", "week", "month", "year"])
def test_dyad_series_equals_the_events_query(store, monkeypatch, by):
    nonempty = 0
    for a, b in DYADS:
        got = dyad_series(store, a, b, by=by)
        assert got == _reference(store, monkeypatch, a, b, by=by), (a, b, by)
        nonempty += bool(got)
        ranged = dyad_series(store, a, b, by=by, since="2021-01-05", until="2021-12-31")
        expected = _reference(
            store, monkeypatch, a, b, by=by, since="2021-01-05", until="2021-12-31"
        )
        assert ranged == expected, (a, b, by, "ranged")
    assert nonempty == len(DYADS) - 1  # all but USA-GBR have events


def test_hand_counted_values(store):
    rows = {(r["period"], r["direction"]): r for r in dyad_series(store, "USA", "CHN")}
    jan_ab = rows[("2021-01", "A->B")]
    # CONSULT, ASSAULT (USA and Biden: counted once), COOPERATE (to CHN and NATO)
    assert (jan_ab["events"], jan_ab["q1"], jan_ab["q2"], jan_ab["q4"]) == (3, 1, 1, 1)
    assert jan_ab["goldstein_sum"] == pytest.approx(1.0 - 10.0 + 6.0)
    assert rows[("2021-02", "A->B")]["events"] == 1  # USA -> (USA, CHN)
    assert rows[("2021-02", "B->A")]["goldstein_mean"] == pytest.approx(1.5)
    assert sum(r["events"] for r in rows.values()) == 7  # the two undated events left out
    nato_rus = [r for r in dyad_series(store, "NATO", "RUS") if r["direction"] == "A->B"]
    assert [(r["events"], r["goldstein_sum"], r["goldstein_mean"]) for r in nato_rus] == [
        (1, 0.0, None)
    ]
    rus_igo = [r for r in dyad_series(store, "RUS", "IGO") if r["period"] == "2021-03"]
    assert [(r["q1"] + r["q2"] + r["q3"] + r["q4"], r["events"]) for r in rus_igo] == [(0, 1)]


def test_near_duplicate_merge_changes_nothing(mem_store):
    body = (
        "Ministers from two neighbouring states met at a border town on Monday to discuss a "
        "river dam, water sharing and fishing rights. Both delegations called the talks frank "
        "and agreed to meet again in the autumn, with engineers reporting on the dam by then."
    )
    first = Article.create(body, doc_id="wire", date="2023-04-03")
    copy = Article.create(body.replace("frank", "frank and open"), doc_id="copy", date="2023-04-03")
    with transaction(mem_store.con):
        write_article(mem_store.con, first, [event(first, "CONSULT", "USA", "CHN")])
    before = _dyad_days(mem_store.con)
    assert ("USA", "CHN", datetime.date(2023, 4, 3)) in {r[:3] for r in before}
    with transaction(mem_store.con):
        res = write_article(mem_store.con, copy, [event(copy, "CONSULT", "USA", "CHN", mentions=2)])
    assert res.status == "duplicate" and res.events_merged == 1 and res.events_new == 0
    assert _dyad_days(mem_store.con) == before
    (mentions,) = mem_store.con.execute("SELECT sum(mentions) FROM events").fetchone()
    assert mentions == 3
    assert [r["events"] for r in dyad_series(mem_store, "USA", "CHN")] == [1]


def test_rolled_back_article_leaves_dyad_days_unchanged(mem_store):
    art = article(1, "2022-01-02")
    with pytest.raises(RuntimeError), transaction(mem_store.con):
        write_article(mem_store.con, art, [event(art, "AID", "USA", "IRQ")])
        raise RuntimeError("crash after the write")
    assert _dyad_days(mem_store.con) == []


def test_migration_backfills_an_old_store(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store.open(path) as store:
        _fill(store.con)
        written = _dyad_days(store.con)
        # make it a version-1 store: no summary tables, no record of migrations 2 to 4
        # (5 only adds columns)
        for table in ("dyad_days", "pair_days", "actor_days", "actor_kinds", "actor_keys"):
            store.con.execute(f"DROP TABLE {table}")
        store.con.execute("DELETE FROM schema_migrations WHERE version BETWEEN 2 AND 4")
    assert len(written) > 10
    with Store.open(path) as store:
        assert _dyad_days(store.con) == written
        (version,) = store.con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        assert version == LATEST_VERSION


def test_one_key_upserted_within_and_across_transactions(mem_store):
    arts = [article(i, "2022-05-06") for i in range(1, 4)]
    etypes = ["CONSULT", "ASSAULT", "AID"]
    with transaction(mem_store.con):
        for art, etype in zip(arts[:2], etypes[:2], strict=True):
            write_article(mem_store.con, art, [event(art, etype, "USA", "CHN")])
    with transaction(mem_store.con):
        write_article(mem_store.con, arts[2], [event(arts[2], etypes[2], "USA", "CHN")])
    rows = mem_store.con.execute(
        "SELECT events, q1, q2, q3, q4, goldstein_sum, goldstein_n FROM dyad_days "
        "WHERE src_key = 'USA' AND tgt_key = 'CHN'"
    ).fetchall()
    assert rows == [(3, 1, 1, 0, 1, 1.0 - 10.0 + 7.0, 3)]
