"""The records that flow through polybius: Article -> ActorMention -> Event.

Every stage of the pipeline takes and returns these plain, frozen dataclasses, so that the
CLI, the web API, the store and the distributed runner all speak one language. Each record
round-trips through JSON (``to_dict`` / ``from_dict``) without loss; the event JSON contract
is documented in docs/formats.md.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

__all__ = [
    "Article",
    "ActorMention",
    "Actor",
    "Attribution",
    "Quantity",
    "Event",
    "Modality",
    "DatePrecision",
    "MODALITIES",
    "article_id_for",
    "normalise_for_hash",
]

Modality = Literal["asserted", "future", "intended", "hypothetical", "negated"]
MODALITIES: tuple[str, ...] = ("asserted", "future", "intended", "hypothetical", "negated")
DatePrecision = Literal["day", "month", "year"]


def normalise_for_hash(text: str) -> str:
    """Normalise text so that trivially different copies hash alike.

    NFKC, casefold, and all runs of whitespace collapsed to one space.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split())


def article_id_for(text: str) -> str:
    """Content-hash id of an article: the first 16 hex digits of SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, cleaned.

    ``text`` is the cleaned body (paragraphs separated by blank lines); ``title`` is the
    headline, kept apart so that it never merges into the first sentence. ``article_id`` is
    the content hash of title + text; ``doc_id`` is the input's own id or file name.
    ``date`` is an ISO date (YYYY-MM-DD) or None when unknown.
    """

    article_id: str
    doc_id: str
    text: str
    title: str = ""
    date: str | None = None
    url: str | None = None
    source: str | None = None
    language: str = "en"

    @classmethod
    def create(
        cls,
        text: str,
        *,
        doc_id: str,
        title: str = "",
        date: str | None = None,
        url: str | None = None,
        source: str | None = None,
        language: str = "en",
    ) -> Article:
        """Build an Article whose id is the hash of its normalised title and text."""
        return cls(
            article_id=article_id_for(f"{title}\n\n{text}"),
            doc_id=doc_id,
            text=text,
            title=title,
            date=date,
            url=url,
            source=source,
            language=language,
        )

    @property
    def full_text(self) -> str:
        """Headline and body as one string, headline first, separated by a blank line.

        All character offsets in ActorMention and Event refer to this string.
        """
        return f"{self.title}\n\n{self.text}" if self.title else self.text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A reference in text to a political actor, resolved as far as the dictionary allows.

    ``start``/``end`` are character offsets into ``Article.full_text`` (or the coded text).
    ``country`` is ISO 3166 alpha-3 (or "IGO" for an organisation with no single country);
    ``org`` a stable organisation code such as NATO or QUAD; ``sector`` a PLOVER sector code
    (GOV, MIL, COP, ...); ``name`` a person's canonical name; ``role`` that person's role on
    the article's date. ``members`` lists member countries of an organisation or group.
    ``kind`` says how the mention was found: "country", "person", "org", "agent",
    "metonym", "pronoun", "description", "combining_form", "ner", or "place" (a country or
    capital used as a location, "in Beijing": a place for the event, not an actor).
    ``refers_to`` is the start offset of the antecedent for pronouns and descriptions.
    """

    text: str
    start: int
    end: int
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    name: str | None = None
    role: str | None = None
    kind: str = "country"
    members: tuple[str, ...] = ()
    sentence_index: int | None = None
    refers_to: int | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["members"] = list(self.members)
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActorMention:
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in data.items() if k in names}
        kw["members"] = tuple(kw.get("members") or ())
        return cls(**kw)

    def as_actor(self) -> Actor:
        return Actor(
            text=self.text,
            country=self.country,
            sector=self.sector,
            org=self.org,
            name=self.name,
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """An event participant as it appears in the event JSON contract."""

    text: str
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @property
    def code(self) -> str:
        """A compact code for dyads and graphs: the org code, else the country, else the text."""
        return self.org or self.country or self.name or self.text


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who claims an event and how ("Rudd wrote", "according to him", "officials said")."""

    speaker: str
    country: str | None = None
    verb: str = "said"
    sector: str | None = None
    org: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number stated for an event ("about ten thousand troops" -> 10000, "troops")."""

    value: float
    unit: str
    text: str = ""
    approximate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quantity:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with its evidence. See docs/formats.md for the JSON contract.

    ``span`` is (start, end) of the words that triggered the event, as character offsets into
    the article's full text; ``sentence`` is the sentence text and ``sentence_index`` its
    index in the article. ``rule`` names the pattern or model that decided the type;
    ``confidence`` is in [0, 1]. ``mentions`` counts how many times the same event was
    reported (in one article, or across duplicate articles in the store). ``location`` is
    the place as the text names it; ``location_country`` (ISO alpha-3), ``location_lat`` and
    ``location_lon`` resolve it with the place gazetteer (a city's coordinates, or a
    country's representative point; ``None`` where the gazetteer does not know it).
    """

    event_id: str
    article_id: str
    doc_id: str
    event_type: str
    sources: tuple[Actor, ...]
    targets: tuple[Actor, ...]
    sentence: str
    sentence_index: int
    span: tuple[int, int]
    rule: str
    confidence: float
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    modality: str = "asserted"
    attribution: Attribution | None = None
    date: str | None = None
    date_precision: str | None = None
    location: str | None = None
    location_country: str | None = None
    location_lat: float | None = None
    location_lon: float | None = None
    quantity: Quantity | None = None
    mentions: int = 1
    trigger: str = ""

    @staticmethod
    def make_id(
        article_id: str,
        event_type: str,
        sources: tuple[Actor, ...] | list[Actor],
        targets: tuple[Actor, ...] | list[Actor],
        date: str | None,
        modality: str = "asserted",
    ) -> str:
        """Deterministic event id: same article, type, actors, date and modality -> same id."""
        key = "|".join(
            [
                article_id,
                event_type,
                ",".join(sorted(a.code for a in sources)),
                ",".join(sorted(a.code for a in targets)),
                date or "",
                modality,
            ]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: plain types only."""
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "doc_id": self.doc_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "context": self.context,
            "cameo": self.cameo,
            "goldstein": self.goldstein,
            "quad_class": self.quad_class,
            "sources": [a.to_dict() for a in self.sources],
            "targets": [a.to_dict() for a in self.targets],
            "modality": self.modality,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "date": self.date,
            "date_precision": self.date_precision,
            "location": self.location,
            "location_country": self.location_country,
            "location_lat": self.location_lat,
            "location_lon": self.location_lon,
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "sentence": self.sentence,
            "sentence_index": self.sentence_index,
            "span": list(self.span),
            "trigger": self.trigger,
            "rule": self.rule,
            "confidence": self.confidence,
            "mentions": self.mentions,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        att = data.get("attribution")
        qty = data.get("quantity")
        span = data.get("span") or (0, 0)
        return cls(
            event_id=data["event_id"],
            article_id=data["article_id"],
            doc_id=data.get("doc_id", ""),
            event_type=data["event_type"],
            sources=tuple(Actor.from_dict(a) for a in data.get("sources") or ()),
            targets=tuple(Actor.from_dict(a) for a in data.get("targets") or ()),
            sentence=data.get("sentence", ""),
            sentence_index=int(data.get("sentence_index", 0)),
            span=(int(span[0]), int(span[1])),
            rule=data.get("rule", ""),
            confidence=float(data.get("confidence", 0.0)),
            mode=data.get("mode"),
            context=data.get("context"),
            cameo=data.get("cameo"),
            goldstein=data.get("goldstein"),
            quad_class=data.get("quad_class"),
            modality=data.get("modality", "asserted"),
            attribution=Attribution.from_dict(att) if att else None,
            date=data.get("date"),
            date_precision=data.get("date_precision"),
            location=data.get("location"),
            location_country=data.get("location_country"),
            location_lat=data.get("location_lat"),
            location_lon=data.get("location_lon"),
            quantity=Quantity.from_dict(qty) if qty else None,
            mentions=int(data.get("mentions", 1)),
            trigger=data.get("trigger", ""),
        )

    def with_mentions(self, mentions: int) -> Event:
        return replace(self, mentions=mentions)
