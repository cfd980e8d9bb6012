"""Writing articles: idempotence, whole-article transactions, near-duplicate linking."""

from __future__ import annotations

import pytest
from store_helpers import article, event

from polybius.records import Article
from polybius.store import Store
from polybius.store.dedup import find_near_duplicate, shingles, signature, similarity
from polybius.store.queries import get_article, query_events
from polybius.store.writer import event_key, transaction, write_article

BODY = (
    "Japan met India in Delhi on Friday to talk about solar panels, shipping lanes and a new "
    "rail link between two port cities. Both sides said the meeting was useful and agreed to "
    "meet again before the monsoon. Engineers from each country will visit the rail yards in "
    "the summer, and a working group will report on costs by the end of the year."
)


def _copy(text: str, doc_id: str) -> Article:
    return Article.create(text, doc_id=doc_id, title="Japan and India talk rail", date="2022-05-06")


def test_shingles_and_similarity_behave():
    assert shingles("One two three four") == {b"one two three", b"two three four"}
    sig = signature(BODY)
    assert similarity(sig, sig) == 1.0
    other = signature("Completely different words about weather in a mountain village today.")
    assert similarity(sig, other) < 0.2


def test_rewriting_an_article_adds_nothing(mem_store):
    art = article(1, "2022-01-02")
    with transaction(mem_store.con):
        first = write_article(mem_store.con, art, [event(art, "CONSULT", "USA", "IRQ")])
        again = write_article(mem_store.con, art, [event(art, "CONSULT", "USA", "IRQ")])
    assert (first.status, first.events_new) == ("new", 1)
    assert (again.status, again.events_new) == ("already", 0)
    counts = [
        mem_store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "events", "event_actors", "event_mentions")
    ]
    assert counts == [1, 1, 2, 1]


def test_near_duplicates_are_linked_and_events_counted_once_with_two_mentions(mem_store):
    original = _copy(BODY, "wire")
    update = _copy(
        BODY.replace("on Friday", "on Friday morning").replace("useful", "very useful"),
        "wire-update",
    )
    assert original.article_id != update.article_id
    with transaction(mem_store.con):
        write_article(mem_store.con, original, [event(original, "CONSULT", "JPN", "IND")])
        res = write_article(
            mem_store.con,
            update,
            [event(update, "CONSULT", "JPN", "IND"), event(update, "AID", "JPN", "IND")],
        )
    assert res.status == "duplicate" and res.duplicate_of == original.article_id
    assert (res.events_new, res.events_merged) == (1, 1)
    stored = get_article(mem_store, update.article_id)
    assert stored["duplicate_of"] == original.article_id
    assert get_article(mem_store, original.article_id)["duplicates"] == [update.article_id]
    events = query_events(mem_store, event_type="CONSULT")
    assert len(events) == 1 and events[0].mentions == 2
    assert events[0].article_id == original.article_id
    mentions = mem_store.con.execute(
        "SELECT article_id FROM event_mentions WHERE event_id = ? ORDER BY article_id",
        [events[0].event_id],
    ).fetchall()
    assert sorted(r[0] for r in mentions) == sorted([original.article_id, update.article_id])
    # the AID event only the update reported is stored, in the original's cluster
    assert [e.event_type for e in query_events(mem_store, event_type="AID")] == ["AID"]


def test_events_differing_in_modality_or_date_are_not_merged(mem_store):
    original = _copy(BODY, "a")
    update = _copy(BODY + " Updated.", "b")
    with transaction(mem_store.con):
        write_article(mem_store.con, original, [event(original, "CONSULT", "JPN", "IND")])
        res = write_article(
            mem_store.con,
            update,
            [
                event(update, "CONSULT", "JPN", "IND", modality="future"),
                event(update, "CONSULT", "JPN", "IND", date="2022-05-07"),
            ],
        )
    assert res.status == "duplicate" and res.events_new == 2 and res.events_merged == 0


def test_different_articles_are_not_linked(mem_store):
    a = article(1, "2022-01-01", "Russia threatened France over a gas pipeline in the north sea.")
    b = article(2, "2022-01-01", "China helped Iraq rebuild a dam after heavy floods in spring.")
    with transaction(mem_store.con):
        write_article(mem_store.con, a, [])
        res = write_article(mem_store.con, b, [])
    assert res.status == "new"
    assert find_near_duplicate(mem_store.con, signature("nothing like these at all")) is None


def test_lsh_index_persists_across_opens(tmp_path):
    db = tmp_path / "d.duckdb"
    original = _copy(BODY, "wire")
    with Store.open(db) as store, transaction(store.con):
        write_article(store.con, original, [])
    update = _copy(BODY.replace("Friday", "Saturday"), "wire-2")
    with Store.open(db) as store, transaction(store.con):
        res = write_article(store.con, update, [])
    assert res.status == "duplicate" and res.duplicate_of == original.article_id


def test_failed_transaction_leaves_no_part_of_an_article(mem_store):
    art = article(3, "2022-02-02")
    with pytest.raises(RuntimeError), transaction(mem_store.con):
        write_article(mem_store.con, art, [event(art, "AID", "USA", "IRQ")])
        raise RuntimeError("crash after writing")
    for table in ("articles", "article_bands", "events", "event_actors", "event_mentions"):
        assert mem_store.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_event_key_ignores_article_but_not_actors():
    a, b = article(1, "2022-01-01"), article(2, "2022-01-01")
    assert event_key(event(a, "AID", "USA", "IRQ")) == event_key(event(b, "AID", "USA", "IRQ"))
    assert event_key(event(a, "AID", "USA", "IRQ")) != event_key(event(a, "AID", "IRQ", "USA"))
