"""ReadProblem: why an input (file, record, URL) gave no article, as plain data.

Readers never raise for one bad input: they yield a ``ReadProblem`` naming the input and the
reason, and go on with the rest. The ingest command stores these records, so they hold plain
strings and a bool only, and round-trip through ``to_dict`` / ``from_dict``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["ReadProblem", "PROBLEM_KINDS"]

#: Every ``ReadProblem.kind``, with what it means (documented in docs/reading.md).
PROBLEM_KINDS: dict[str, str] = {
    "not_found": "the path, directory or glob matched nothing",
    "unreadable": "the file or URL could not be opened, fetched or decompressed",
    "unsupported": "a file type polybius does not read (image, PDF, archive, ...)",
    "binary": "the file holds binary data, not text",
    "encoding": "the bytes are not valid UTF-8 (the byte offset is named)",
    "empty": "the file, feed or record holds no text at all",
    "malformed": "broken JSON, CSV, XML or feed syntax",
    "missing_field": "no text column or field (the fields found are named)",
    "no_text": "a record or page whose text is empty once boilerplate is removed",
    "too_long": "an article longer than max_chars",
    "not_english": "the text is in another language (the detected one is named)",
    "bad_date": "a date that could not be read; the article is still kept",
    "error": "an unexpected error while reading (a bug in polybius: please report it)",
}


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """One input that could not be read (or was read with a caveat).

    ``source`` names the input and, for multi-record files, the record: ``news.jsonl:17``
    (line 17), ``data.csv:4`` (the line where the record starts), ``list.json:3`` (third
    item), ``feed.xml:2`` (second entry). ``reason`` is a human sentence; ``kind`` one of
    ``PROBLEM_KINDS``. ``skipped`` is False only for warnings where the article was still
    read (an unreadable date, for instance).
    """

    source: str
    reason: str
    kind: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReadProblem:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})
