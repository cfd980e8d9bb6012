"""Build events and articles by hand for store tests."""

from __future__ import annotations

from polybius.records import Actor, Article, Event
from polybius.store.writer import transaction, write_article

QUAD = {
    "CONSULT": (1, 1.0),
    "AID": (2, 7.0),
    "THREATEN": (3, -6.0),
    "ASSAULT": (4, -10.0),
    "COOPERATE": (2, 6.0),
    "ACCUSE": (3, -2.0),
}


CAMEO = {
    "CONSULT": "040",
    "AID": "070",
    "THREATEN": "130",
    "ASSAULT": "190",
    "COOPERATE": "060",
    "ACCUSE": "111",
}


def actor(code: str, sector: str | None = None) -> Actor:
    if code in {"NATO", "EU", "UN"}:
        return Actor(code, country="IGO", org=code)
    return Actor(code.title(), country=code, sector=sector)


def event(
    art: Article,
    etype: str,
    src: str,
    tgt: str,
    *,
    date: str | None = None,
    modality: str = "asserted",
    mentions: int = 1,
    goldstein: float | None = None,
) -> Event:
    quad, gold = QUAD[etype]
    s, t = (actor(src),), (actor(tgt),)
    d = date or art.date
    return Event(
        event_id=Event.make_id(art.article_id, etype, s, t, d, modality),
        article_id=art.article_id,
        doc_id=art.doc_id,
        event_type=etype,
        sources=s,
        targets=t,
        sentence=f"{src} {etype.lower()} {tgt}.",
        sentence_index=0,
        span=(0, 5),
        rule="hand",
        confidence=0.9,
        goldstein=gold if goldstein is None else goldstein,
        quad_class=quad,
        modality=modality,
        date=d,
        date_precision="day",
        mentions=mentions,
        cameo=CAMEO[etype],
    )


def article(i: int, date: str, text: str | None = None) -> Article:
    body = text or f"Hand-made article number {i} about unrelated topic {i * 7919} and more."
    return Article.create(body, doc_id=f"hand{i}", date=date, title=f"Title {i}")


def store_events(con, specs):
    """specs: list of (date, [(etype, src, tgt), ...]); one article per spec."""
    with transaction(con):
        for i, (date, evs) in enumerate(specs):
            art = article(i, date)
            write_article(con, art, [event(art, *e) for e in evs])


#: PLOVER type -> (quad class, Goldstein) for hand-made summary-table events.
HAND_QUADS = {
    "CONSULT": (1, 1.0),
    "COOPERATE": (2, 6.0),
    "AID": (2, 7.0),
    "ACCUSE": (3, -2.0),
    "ASSAULT": (4, -10.0),
}


def hand_event(
    i: int,
    day: str | None,
    etype: str,
    srcs: tuple[Actor, ...],
    tgts: tuple[Actor, ...],
    gold: float | str | None,
    no_quad: bool,
    *,
    prefix: str = "hand",
    mention_cycle: int = 3,
) -> Event:
    """Event ``i`` of a hand-made store for the summary-table tests: ``gold`` None takes the
    type's Goldstein, "none" leaves it missing; ``no_quad`` leaves the quad class missing."""
    quad, default_gold = HAND_QUADS[etype]
    art_id = f"{prefix}-art-{i}"
    return Event(
        event_id=Event.make_id(art_id, etype, srcs, tgts, day, "asserted"),
        article_id=art_id,
        doc_id=f"{prefix}{i}",
        event_type=etype,
        sources=srcs,
        targets=tgts,
        sentence=f"Hand-made {prefix} event {i}.",
        sentence_index=0,
        span=(0, 4),
        rule="hand",
        confidence=0.8,
        goldstein=None if gold == "none" else (default_gold if gold is None else gold),  # type: ignore[arg-type]
        quad_class=None if no_quad else quad,
        modality="asserted",
        date=day,
        date_precision="day" if day else None,
        mentions=1 + i % mention_cycle,
    )
