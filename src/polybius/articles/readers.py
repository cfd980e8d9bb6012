"""Format readers: one input (file or URL) -> RawRecords, or ReadProblems naming what failed.

Whole-document formats (.txt, .html, .json, feeds) are read into memory; line formats
(.jsonl, .csv, .tsv) are streamed, so a large file costs little memory, and a bad line costs
only its own record. Records are located as ``file:line`` (JSONL, CSV: the line where the
record starts) or ``file:n`` (the n-th item of a JSON list or entry of a feed).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from polybius.articles.feeds import fetch_url, read_feed
from polybius.articles.fieldmap import FieldMap
from polybius.articles.html import declared_charset, extract_page, looks_like_html
from polybius.articles.problems import ReadProblem
from polybius.articles.raw import RawRecord
from polybius.articles.sources import (
    Input,
    decode_bytes,
    format_for_name,
    open_binary,
    sniff_format,
)

__all__ = ["read_input", "records_from_bytes"]

# Errors that mean a (possibly gzipped) file could not be read through.
_READ_ERRORS = (OSError, EOFError, gzip.BadGzipFile, zlib.error)
_JSON_LIST_KEYS = ("articles", "items", "data", "records", "results", "documents", "docs")
#: Largest JSON document, feed or fetched body read whole (after decompression): a gzip bomb
#: stops here instead of filling memory. Bigger collections belong in JSONL or CSV.
MAX_DOCUMENT_BYTES = 128 * 1024 * 1024
# JSON escapes can spell lone surrogates ("\ud800"), which no UTF-8 text (or store) can hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8_safe(value: str) -> str:
    """``value`` with lone surrogates replaced by U+FFFD, so that it can be encoded."""
    return _LONE_SURROGATE.sub("\ufffd", value)


def _raise_csv_limit() -> None:
    """Allow CSV fields as large as the platform allows (news bodies can be huge)."""
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def _names(fields: FieldMap, role: str) -> str:
    return ", ".join(getattr(fields, role))


def _as_text(value: Any) -> str:
    """A text field as a string; a list of strings is a list of paragraphs."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "\n\n".join(_as_text(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def record_from_mapping(
    record: Mapping[str, Any], where: str, default_id: str, fields: FieldMap
) -> RawRecord | ReadProblem:
    """A RawRecord from a JSON object or CSV row, or a problem when it has no text."""
    text = fields.lookup(record, "text")
    title = fields.lookup(record, "title")
    if text is None or not str(text).strip():
        if title is None:
            return ReadProblem(
                where,
                f"record has no text (looked for fields: {_names(fields, 'text')})",
                "no_text",
            )
        text, title = title, None  # a headline-only record: code the headline
    text = _utf8_safe(_as_text(text))
    own_id = fields.lookup(record, "id")
    url = fields.lookup(record, "url")
    source = fields.lookup(record, "source")
    return RawRecord(
        locator=where,
        doc_id=_utf8_safe(str(own_id)) if own_id is not None else default_id,
        text=text,
        title=_utf8_safe(str(title)) if title is not None else None,
        date=fields.lookup(record, "date"),
        url=_utf8_safe(str(url)) if url is not None else None,
        source=_utf8_safe(str(source)) if source is not None else None,
        html=looks_like_html(text),
    )


def _read_txt(data: bytes, inp: Input) -> Iterator[RawRecord | ReadProblem]:
    text = decode_bytes(data, inp.location)
    if isinstance(text, ReadProblem):
        yield text
        return
    if not text.strip():
        yield ReadProblem(inp.location, "file is empty", "empty")
        return
    yield RawRecord(locator=inp.location, doc_id=inp.name, text=text)


def _read_html(data: bytes, inp: Input) -> Iterator[RawRecord | ReadProblem]:
    text = decode_bytes(data, inp.location)
    if isinstance(text, ReadProblem):
        charset = declared_charset(data)
        if not charset or charset.replace("-", "") == "utf8":
            yield text
            return
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:
            yield ReadProblem(inp.location, f"unknown charset {charset!r} declared", "encoding")
            return
    if not text.strip():
        yield ReadProblem(inp.location, "file is empty", "empty")
        return
    page = extract_page(text, url=inp.location if inp.is_url else None)
    if page is None:
        yield ReadProblem(
            inp.location,
            "no main text found in the HTML (no <body>, or only navigation and boilerplate)",
            "no_text",
        )
        return
    yield RawRecord(
        locator=inp.location,
        doc_id=inp.name,
        text=page.text,
        title=page.title,
        date=page.date,
        url=page.url,
        source=page.sitename,
        one_paragraph_per_line=True,
    )


def _read_json(data: bytes, inp: Input, fields: FieldMap) -> Iterator[RawRecord | ReadProblem]:
    text = decode_bytes(data, inp.location)
    if isinstance(text, ReadProblem):
        yield text
        return
    if not text.strip():
        yield ReadProblem(inp.location, "file is empty", "empty")
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield ReadProblem(
            inp.location,
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
            "malformed",
        )
        return
    if isinstance(value, dict):
        inner = next((value[k] for k in _JSON_LIST_KEYS if isinstance(value.get(k), list)), None)
        if inner is None:
            yield record_from_mapping(value, inp.location, inp.name, fields)
            return
        value = inner
    if not isinstance(value, list):
        yield ReadProblem(
            inp.location, "JSON is neither an object nor a list of objects", "malformed"
        )
        return
    if not value:
        yield ReadProblem(inp.location, "JSON list is empty", "empty")
    for number, item in enumerate(value, 1):
        where = f"{inp.location}:{number}"
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            yield ReadProblem(
                where, f"item {number} is a {type(item).__name__}, not an object", "malformed"
            )
            continue
        yield record_from_mapping(item, where, f"{inp.name}:{number}", fields)


def _decoded_lines(
    fh: Iterable[bytes], inp: Input, bad: dict[int, ReadProblem]
) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line; undecodable or over-long lines are noted in ``bad``
    (an over-long line, already skipped by ``_Chained``, reads as a one-character stand-in)."""
    offset = 0
    for lineno, raw in enumerate(fh, 1):
        if isinstance(raw, _LongLine):
            what = "the rest of the file was not read" if raw.last else "it was skipped"
            bad[lineno] = ReadProblem(
                f"{inp.location}:{lineno}",
                f"line {lineno} is {'over ' if raw.last else ''}{raw.size:,} bytes long, over "
                f"the limit of {raw.limit:,} bytes (max_chars); {what}",
                "too_long",
            )
            offset += raw.size
            yield lineno, "-"
            continue
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            bad[lineno] = ReadProblem(
                f"{inp.location}:{lineno}",
                f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {offset + exc.start} "
                f"(line {lineno}, column {exc.start + 1})",
                "encoding",
            )
            text = raw.decode("utf-8", errors="replace")
        offset += len(raw)
        yield lineno, text


def _read_jsonl(
    fh: Iterable[bytes], inp: Input, fields: FieldMap
) -> Iterator[RawRecord | ReadProblem]:
    bad: dict[int, ReadProblem] = {}
    seen = False
    for lineno, line in _decoded_lines(fh, inp, bad):
        if not line.strip():
            continue
        seen = True
        where = f"{inp.location}:{lineno}"
        if lineno in bad:
            yield bad.pop(lineno)
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadProblem(
                where, f"line is not valid JSON: {exc.msg} (column {exc.colno})", "malformed"
            )
            continue
        if not isinstance(value, dict):
            yield ReadProblem(
                where, f"line holds a JSON {type(value).__name__}, not an object", "malformed"
            )
            continue
        yield record_from_mapping(value, where, f"{inp.name}:{lineno}", fields)
    if not seen:
        yield ReadProblem(inp.location, "file is empty", "empty")


def _header(row: list[str]) -> list[str]:
    """Column names; an unnamed first column (a pandas index) is called ``index``."""
    names = [name.strip() for name in row]
    return [name or ("index" if i == 0 else f"column_{i + 1}") for i, name in enumerate(names)]


def _read_csv(
    fh: Iterable[bytes], inp: Input, fields: FieldMap, delimiter: str
) -> Iterator[RawRecord | ReadProblem]:
    _raise_csv_limit()
    max_line = getattr(fh, "max_line", None)
    if max_line:  # nor may one quoted field grow past the limit over many short lines
        csv.field_size_limit(max_line)
    bad: dict[int, ReadProblem] = {}
    lines = _decoded_lines(fh, inp, bad)
    reader = csv.reader((text for _, text in lines), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    last_line = 0
    try:
        for row in reader:
            first_line, last_line = last_line + 1, reader.line_num
            broken = next((bad.pop(n) for n in range(first_line, last_line + 1) if n in bad), None)
            if header is None:
                if broken:
                    yield broken
                    return
                header = _header(row)
                if not fields.has_column(header, "text"):
                    yield ReadProblem(
                        inp.location,
                        f"no text column: looked for {_names(fields, 'text')}; the file has "
                        f"columns {', '.join(header)}",
                        "missing_field",
                    )
                    return
                continue
            if not any(cell.strip() for cell in row):
                continue
            where = f"{inp.location}:{first_line}"
            if broken:
                yield broken
                continue
            record = dict(zip(header, row, strict=False))
            yield record_from_mapping(record, where, f"{inp.name}:{first_line}", fields)
    except csv.Error as exc:
        yield ReadProblem(f"{inp.location}:{last_line + 1}", f"malformed CSV: {exc}", "malformed")
        return
    if header is None:
        yield ReadProblem(inp.location, "file is empty", "empty")


def records_from_bytes(
    data: bytes, fmt: str, inp: Input, fields: FieldMap
) -> Iterator[RawRecord | ReadProblem]:
    """Records of a whole document already in memory (a URL's body, a small file)."""
    if fmt in ("jsonl", "csv", "tsv"):
        import io

        yield from _read_stream(io.BytesIO(data), fmt, inp, fields)
    elif fmt == "txt":
        yield from _read_txt(data, inp)
    elif fmt == "html":
        yield from _read_html(data, inp)
    elif fmt == "json":
        yield from _read_json(data, inp, fields)
    elif fmt == "feed":
        from polybius.articles.feeds import is_feed

        if not is_feed(data) and data.strip():
            yield ReadProblem(
                inp.location, "XML document is not an RSS or Atom feed", "unsupported"
            )
            return
        yield from read_feed(data, inp.location, inp.name)
    elif fmt == "xml":
        yield ReadProblem(inp.location, "XML document is not an RSS or Atom feed", "unsupported")
    elif fmt == "binary":
        yield ReadProblem(inp.location, "binary file, not text", "binary")
    else:
        yield ReadProblem(inp.location, f"unsupported format {fmt!r}", "unsupported")


def _read_stream(
    fh: Iterable[bytes], fmt: str, inp: Input, fields: FieldMap
) -> Iterator[RawRecord | ReadProblem]:
    if fmt == "jsonl":
        yield from _read_jsonl(fh, inp, fields)
    else:
        yield from _read_csv(fh, inp, fields, "\t" if fmt == "tsv" else ",")


def _records_from_body(
    data: bytes, inp: Input, fields: FieldMap
) -> Iterator[RawRecord | ReadProblem]:
    """Records of a fetched URL body or of standard input: gunzipped if need be, sniffed."""
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(MAX_DOCUMENT_BYTES + 1)
        except _READ_ERRORS as exc:
            yield ReadProblem(inp.location, f"could not decompress: {exc}", "unreadable")
            return
        if len(data) > MAX_DOCUMENT_BYTES:
            yield ReadProblem(
                inp.location,
                f"decompresses to more than {MAX_DOCUMENT_BYTES:,} bytes (a gzip bomb?)",
                "too_long",
            )
            return
    yield from records_from_bytes(data, sniff_format(data[:8192]), inp, fields)


def read_input(
    inp: Input, fields: FieldMap, *, max_bytes: int | None = None
) -> Iterator[RawRecord | ReadProblem]:
    """Every record of one input (file or URL), or problems saying why not.

    ``max_bytes`` refuses whole-document files (.txt, .html) bigger than that before reading.
    """
    if inp.is_url or inp.location == "-":
        body = fetch_url(inp.location) if inp.is_url else sys.stdin.buffer.read()
        if isinstance(body, ReadProblem):
            yield body
            return
        yield from _records_from_body(body, inp, fields)
        return
    fmt, gzipped = format_for_name(inp.name)
    if fmt == "unsupported":
        yield ReadProblem(
            inp.location,
            "unsupported file type (polybius reads .txt, .html, "
            ".jsonl, .json, .csv, .tsv, RSS/Atom and .gz of these)",
            "unsupported",
        )
        return
    try:
        fh = open_binary(inp.location, gzipped)
        with fh:
            head = fh.read(8192)
            sniffed = sniff_format(head)
            if sniffed == "binary":
                yield ReadProblem(inp.location, "binary file, not text", "binary")
                return
            fmt = fmt or sniffed
            if fmt in ("jsonl", "csv", "tsv"):
                yield from _read_stream(_Chained(head, fh, max_bytes), fmt, inp, fields)
                return
            if max_bytes is not None and fmt in ("txt", "html"):
                limit, why = max_bytes, "(max_chars)"
            else:  # a JSON document or feed, read whole: bounded all the same
                limit = max(max_bytes or 0, MAX_DOCUMENT_BYTES)
                why = "(the most read whole for JSON or a feed: use JSONL for more)"
            rest = fh.read(limit + 1 - len(head)) if len(head) <= limit else b""
            if len(head) + len(rest) > limit:
                yield ReadProblem(
                    inp.location,
                    f"file is larger than {limit:,} bytes {why}",
                    "too_long",
                )
                return
            data = head + rest
    except _READ_ERRORS as exc:
        yield ReadProblem(inp.location, f"could not read the file: {exc}", "unreadable")
        return
    yield from records_from_bytes(data, fmt, inp, fields)


class _LongLine(bytes):
    """Stands for a line longer than the limit, which was skipped, not read into memory;
    ``last`` when it was so long (a gzip bomb?) that the rest of the file is given up."""

    size: int
    limit: int
    last: bool


class _Chained:
    """A read-only byte stream: bytes already read, then the rest of the file, by lines.

    With ``max_line``, a line longer than that is skipped in bounded chunks and given as a
    ``_LongLine`` (a 50 MB line, or a gzip bomb with no newline, never fills memory); past
    ``_GIVE_UP`` times the limit the rest of the file is not read at all."""

    _CHUNK = 1 << 20
    _GIVE_UP = 8

    def __init__(self, head: bytes, fh: IO[bytes], max_line: int | None = None) -> None:
        self._head = head
        self._fh = fh
        self.max_line = max_line

    def _long_line(self, pending: bytes) -> _LongLine:
        limit = self.max_line or 0
        size, last = len(pending), False
        while not pending.endswith(b"\n"):
            if size > limit * self._GIVE_UP:
                last = True
                break
            pending = self._fh.readline(self._CHUNK)
            if not pending:
                break
            size += len(pending)
        line = _LongLine(b"")
        line.size, line.limit, line.last = size, limit, last
        return line

    def __iter__(self) -> Iterator[bytes]:
        pending = self._head
        while True:
            newline = pending.find(b"\n")
            if newline >= 0:
                yield pending[: newline + 1]
                pending = pending[newline + 1 :]
                continue
            if self.max_line is not None and len(pending) > self.max_line:
                line = self._long_line(pending)
                yield line
                if line.last:
                    return
                pending = b""
                continue
            more = self._fh.readline(self._CHUNK if self.max_line is not None else -1)
            if not more:
                if pending:
                    yield pending
                return
            pending += more
