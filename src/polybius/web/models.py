"""Pydantic response and request models of the HTTP API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ActorOut",
    "ActorRow",
    "ActorsOut",
    "ArticleOut",
    "ArticlePage",
    "ArticleSummary",
    "AttributionOut",
    "BlocOut",
    "BlocsOut",
    "CodeRequest",
    "CodeResponse",
    "CodedArticleOut",
    "DyadOut",
    "DyadRow",
    "ErrorOut",
    "EventDetail",
    "EventOut",
    "EventPage",
    "GraphEdge",
    "GraphNode",
    "Health",
    "Highlight",
    "MetaOut",
    "QuantityOut",
    "RelationsOut",
    "SummaryOut",
    "TrendOut",
    "TrendsOut",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ErrorOut(_Model):
    """Every error response: a message, plus the failed checks for a 422."""

    detail: str
    errors: list[dict[str, object]] | None = None


class ActorOut(_Model):
    text: str
    country: str | None = None
    sector: str | None = None
    org: str | None = None
    name: str | None = None
    code: str = Field(description="Compact code used in dyads and the graph.")


class AttributionOut(_Model):
    speaker: str
    country: str | None = None
    verb: str = "said"
    sector: str | None = None
    org: str | None = None


class QuantityOut(_Model):
    value: float
    unit: str
    text: str = ""
    approximate: bool = False


class EventOut(_Model):
    """One coded event (the JSON contract of docs/formats.md, plus actor codes)."""

    event_id: str
    article_id: str
    doc_id: str
    event_type: str
    mode: str | None = None
    context: str | None = None
    cameo: str | None = None
    goldstein: float | None = None
    quad_class: int | None = None
    sources: list[ActorOut]
    targets: list[ActorOut]
    modality: str
    attribution: AttributionOut | None = None
    date: str | None = None
    date_precision: str | None = None
    location: str | None = None
    location_country: str | None = Field(
        default=None, description="ISO alpha-3 country of the place, from the gazetteer."
    )
    location_lat: float | None = Field(default=None, description="Latitude of the place.")
    location_lon: float | None = Field(default=None, description="Longitude of the place.")
    quantity: QuantityOut | None = None
    sentence: str
    sentence_index: int
    span: list[int] = Field(description="Trigger offsets into the article's full text.")
    trigger: str = ""
    rule: str
    confidence: float
    mentions: int


class EventPage(_Model):
    total: int
    limit: int
    offset: int
    items: list[EventOut]


class Highlight(_Model):
    """A stretch of the event's sentence to mark: offsets are into ``sentence``."""

    role: Literal["source", "target", "trigger"]
    start: int
    end: int
    text: str


class ArticleSummary(_Model):
    article_id: str
    doc_id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None
    duplicate_of: str | None = Field(None, description="First article of its duplicate cluster.")
    events: int | None = Field(None, description="Events coded from this article.")


class EventDetail(EventOut):
    """One event with its evidence located in the sentence and its article's summary."""

    highlights: list[Highlight]
    article: ArticleSummary | None = None


class ArticlePage(_Model):
    total: int | None = Field(None, description="All articles in the store when unfiltered.")
    limit: int
    offset: int
    items: list[ArticleSummary]


class ArticleOut(ArticleSummary):
    text: str
    duplicates: list[str] = Field(default_factory=list, description="Stored copies of it.")
    truncated: bool = Field(description="True when the text was cut to the response limit.")


class ActorRow(_Model):
    code: str
    kind: str | None = None
    events: int
    as_source: int | None = None
    as_target: int | None = None


class ActorsOut(_Model):
    items: list[ActorRow]


class DyadRow(_Model):
    period: str
    period_start: str | None = None
    direction: Literal["A->B", "B->A"]
    source: str | None = None
    target: str | None = None
    events: int
    q1: int = 0
    q2: int = 0
    q3: int = 0
    q4: int = 0
    goldstein_sum: float | None = None
    goldstein_mean: float | None = None
    net_cooperation: int | float = 0


class DyadOut(_Model):
    a: str
    b: str
    by: str
    rows: list[DyadRow]
    truncated: bool = False


class GraphNode(_Model):
    id: str
    kind: str | None = None
    events: int = 0


class GraphEdge(_Model):
    source: str
    target: str
    events: int
    cooperation: int | float = 0
    conflict: int | float = 0
    goldstein_sum: float | None = None
    goldstein_mean: float | None = None
    sign: int | float | str | None = None


class RelationsOut(_Model):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(False, description="True when only the heaviest edges were kept.")


class BlocOut(_Model):
    bloc: int | str
    members: list[str]
    cohesion: float | None = None
    internal_events: int = 0
    mean_goldstein: float | None = None
    internal_cooperation: int | None = None
    external_cooperation: int | None = None


class BlocsOut(_Model):
    items: list[BlocOut]


class TrendOut(_Model):
    a: str
    b: str
    previous: float
    current: float
    change: float
    kind: str | None = None
    previous_events: int | None = None
    current_events: int | None = None
    previous_net: int | None = None
    current_net: int | None = None
    previous_period: list[str] | None = None
    current_period: list[str] | None = None


class TrendsOut(_Model):
    items: list[TrendOut]


class SummaryOut(_Model):
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    mentions: int = 0
    actors: int = 0
    errors: int = 0
    first_date: str | None = None
    last_date: str | None = None


class Health(_Model):
    status: Literal["ok"]
    store: Literal["ok", "missing", "busy", "error"]
    version: str


class MetaOut(_Model):
    """Vocabularies for filters: PLOVER types with quad class, quad names, modalities."""

    event_types: dict[str, int]
    quads: dict[int, str]
    modalities: list[str]
    max_page_size: int
    code_enabled: bool


class CodeRequest(_Model):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="The text to code (bounded length).")
    title: str = Field("", max_length=500)
    date: str | None = Field(
        None,
        pattern=r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}$",
        description="Article date YYYY-MM-DD.",
    )
    doc_id: str = Field("http", min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")
    typing: Literal["rules", "model", "hybrid"] = Field(
        "hybrid",
        description="Event typing: hybrid (default, most accurate), model, or rules (faster).",
    )


class CodedArticleOut(_Model):
    article_id: str
    doc_id: str
    title: str
    date: str | None = None


class CodeResponse(_Model):
    article: CodedArticleOut
    events: list[EventOut]
