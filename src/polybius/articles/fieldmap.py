"""FieldMap: which record fields (JSON keys, CSV columns) hold text, date, title, url and id.

Each role has a tuple of candidate names tried in order; the first present, non-empty one
wins. Names match exactly first, then case-insensitively; a dotted name (``meta.date``) walks
into nested JSON objects. CSV files with an unnamed first column (as pandas writes them) get
that column called ``index``, which is an id fallback.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["FieldMap", "DEFAULT_FIELDS"]

Names = tuple[str, ...]


def _as_names(value: str | Names | list[str]) -> Names:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(value)


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Candidate field names per role; pass a str ("story" or "story,body") or a tuple."""

    text: Names = ("text", "body", "content", "doc_text", "article", "story")
    date: Names = ("date", "published", "publication_date", "pubdate", "published_at")
    title: Names = ("title", "headline")
    url: Names = ("url", "link")
    id: Names = ("id", "doc_id", "uid", "index")
    source: Names = ("source", "publisher", "site")

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, _as_names(getattr(self, f.name)))

    @classmethod
    def coerce(cls, value: FieldMap | Mapping[str, Any] | None) -> FieldMap:
        """A FieldMap from None (defaults), a FieldMap, or a mapping of overrides."""
        if value is None:
            return DEFAULT_FIELDS
        if isinstance(value, FieldMap):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(
                f"unknown field role(s) {sorted(unknown)}; known roles: {sorted(known)}"
            )
        return replace(DEFAULT_FIELDS, **{k: _as_names(v) for k, v in value.items()})

    def lookup(self, record: Mapping[str, Any], role: str) -> Any:
        """The first non-empty value in ``record`` for ``role`` (None when there is none)."""
        for name in getattr(self, role):
            value = _get(record, name)
            if value is not None and not (isinstance(value, str) and not value.strip()):
                return value
        return None

    def has_column(self, columns: list[str], role: str) -> bool:
        """Whether any candidate name for ``role`` is among ``columns`` (case-insensitive)."""
        lowered = {c.casefold() for c in columns}
        return any(n.casefold() in lowered for n in getattr(self, role))


def _get(record: Mapping[str, Any], name: str) -> Any:
    if name in record:
        return record[name]
    folded = name.casefold()
    for key, value in record.items():
        if isinstance(key, str) and key.casefold() == folded:
            return value
    if "." in name:
        head, _, rest = name.partition(".")
        inner = _get(record, head)
        if isinstance(inner, Mapping):
            return _get(inner, rest)
    return None


DEFAULT_FIELDS = FieldMap()
