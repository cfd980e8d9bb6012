"""Fixtures for event tests: code invented text with hand-built actor mentions."""

from __future__ import annotations

import re

import pytest

from polybius.events import code_events
from polybius.records import ActorMention, Article

#: Invented actor dictionary for the tests: phrase -> ActorMention fields.
ACTORS: dict[str, dict] = {
    "Norway": {"country": "NOR"},
    "Oslo": {"country": "NOR", "kind": "metonym", "sector": "GOV"},
    "Finland": {"country": "FIN"},
    "Helsinki": {"country": "FIN", "kind": "metonym", "sector": "GOV"},
    "Chile": {"country": "CHL"},
    "Santiago": {"country": "CHL", "kind": "metonym", "sector": "GOV"},
    "Peru": {"country": "PER"},
    "Lima": {"country": "PER", "kind": "metonym", "sector": "GOV"},
    "Kenya": {"country": "KEN"},
    "Ghana": {"country": "GHA"},
    "Finnish troops": {"country": "FIN", "sector": "MIL", "kind": "agent"},
    "Chilean": {"country": "CHL"},
    "Peruvian Foreign Minister Ana Ruiz": {
        "country": "PER",
        "sector": "GOV",
        "name": "Ana Ruiz",
        "kind": "person",
    },  # noqa: E501
    "Ana Ruiz": {"country": "PER", "sector": "GOV", "name": "Ana Ruiz", "kind": "person"},
    "Lars Berg": {"name": "Lars Berg", "kind": "person", "country": "NOR", "sector": "ELI"},
    "Nordo-Chilean": {"kind": "combining_form", "members": ("NOR", "CHL")},
    "the Andean Pact": {
        "org": "ANDP",
        "country": "IGO",
        "kind": "org",
        "members": ("PER", "CHL", "BOL"),
    },  # noqa: E501
}


def mentions_for(text: str, extra: dict[str, dict] | None = None) -> list[ActorMention]:
    """Longest-first, non-overlapping dictionary matches of ACTORS (and extra) in text."""
    table = {**ACTORS, **(extra or {})}
    out: list[ActorMention] = []
    for phrase, kw in sorted(table.items(), key=lambda x: -len(x[0])):
        for m in re.finditer(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text):
            if any(o.start < m.end() and m.start() < o.end for o in out):
                continue
            fields = {"kind": "country", **kw}
            out.append(ActorMention(text=phrase, start=m.start(), end=m.end(), **fields))
    return sorted(out, key=lambda m: m.start)


@pytest.fixture(scope="session")
def code(nlp):
    """code(text, title="", date=..., extra=..., pronouns=..., typing="rules") -> list of
    Explained events."""

    def run(
        text: str,
        *,
        title: str = "",
        date: str = "2023-04-20",
        extra=None,
        pronouns=(),
        typing: str = "rules",
    ):
        art = Article.create(text, doc_id="test", title=title, date=date)
        doc = nlp(art.full_text)
        ms = mentions_for(art.full_text, extra)
        for word, antecedent in pronouns:  # (pronoun text, antecedent phrase): resolved refs
            ante = next(m for m in ms if m.text == antecedent)
            for pm in re.finditer(r"\b" + re.escape(word) + r"\b", art.full_text):
                ms.append(
                    ActorMention(
                        text=word,
                        start=pm.start(),
                        end=pm.end(),
                        kind="pronoun",
                        country=ante.country,
                        name=ante.name,
                        sector=ante.sector,
                        refers_to=ante.start,
                    )
                )  # noqa: E501
        return code_events(doc, sorted(ms, key=lambda m: m.start), art, typing=typing)

    return run


def summary(explained) -> list[tuple]:
    """(type, modality, sorted source codes, sorted target codes) per event."""
    return [
        (
            e.event.event_type,
            e.event.modality,
            tuple(sorted(a.code for a in e.event.sources)),
            tuple(sorted(a.code for a in e.event.targets)),
        )  # noqa: E501
        for e in explained
    ]


@pytest.fixture(scope="session")
def summarize():
    """The ``summary`` helper as a fixture."""
    return summary
