"""Turning a ``source`` argument into inputs: files, directory walks, globs, lists, URLs.

Also the byte-level helpers every reader shares: which format a name means, opening plain or
gzipped files, sniffing content, and decoding bytes as UTF-8 with a clear problem (file and
byte offset) when they are not.
"""

from __future__ import annotations

import glob
import gzip
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from polybius.articles.problems import ReadProblem

__all__ = [
    "FORMATS",
    "Input",
    "Source",
    "decode_bytes",
    "expand_sources",
    "format_for_name",
    "is_url",
    "open_binary",
    "sniff_format",
]

Source = str | os.PathLike[str] | Iterable["str | os.PathLike[str]"]

#: File suffix -> format name. ``.gz`` of any of these is read too.
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}
_UNSUPPORTED = {
    ".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx", ".png",
    ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".tif", ".tiff", ".mp3", ".mp4",
    ".wav", ".avi", ".mov", ".zip", ".tar", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst",
    ".parquet", ".db", ".sqlite", ".duckdb", ".pkl", ".exe", ".so", ".bin",
}  # fmt: skip
_GLOB_CHARS = set("*?[")
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True, slots=True)
class Input:
    """One file or URL to read. ``name`` is what doc ids use: the path inside a walked
    directory, else the file name (or the URL)."""

    location: str
    name: str
    is_url: bool = False


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def format_for_name(name: str) -> tuple[str | None, bool]:
    """``(format, gzipped)`` from a file name; format None when the suffix says nothing,
    "unsupported" for known non-text types."""
    lowered = name.lower()
    gzipped = lowered.endswith(".gz")
    if gzipped:
        lowered = lowered[:-3]
    suffix = os.path.splitext(lowered)[1]
    if suffix in FORMATS:
        return FORMATS[suffix], gzipped
    if suffix in _UNSUPPORTED:
        return "unsupported", gzipped
    return None, gzipped


def _walk(directory: Path, prefix: str) -> Iterator[Input]:
    """Readable files under ``directory``, recursively, in sorted (deterministic) order.

    Hidden files and folders are skipped, and so are files whose suffix names no readable
    format (a README.md or a picture beside the news is not news).
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for filename in files:
            fmt, _ = format_for_name(filename)
            if filename.startswith(".") or fmt is None or fmt == "unsupported":
                continue
            path = Path(root) / filename
            found.append((path.relative_to(directory).parts, path))
    for parts, path in sorted(found):
        yield Input(str(path), prefix + "/".join(parts))


def _expand_one(item: str | os.PathLike[str]) -> Iterator[Input | ReadProblem]:
    text = os.fspath(item)
    if text == "-":
        yield Input("-", "stdin")
        return
    if is_url(text):
        yield Input(text, text, is_url=True)
        return
    path = Path(text).expanduser()
    if path.is_dir():
        found = False
        for inp in _walk(path, ""):
            found = True
            yield inp
        if not found:
            yield ReadProblem(
                text,
                "directory holds no readable files (.txt, .html, .jsonl, "
                ".json, .csv, .tsv, .xml/.rss/.atom, or .gz of these)",
                "not_found",
            )
        return
    if path.is_file():
        yield Input(str(path), path.name)
        return
    if _GLOB_CHARS & set(text):
        matches = sorted(glob.glob(str(path), recursive=True))
        if not matches:
            yield ReadProblem(text, "no files match this pattern", "not_found")
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                yield from _walk(match_path, match_path.name + "/")
            elif match_path.is_file():
                yield Input(match, match_path.name)
        return
    yield ReadProblem(text, "no such file or directory", "not_found")


def expand_sources(source: Source) -> Iterator[Input | ReadProblem]:
    """Every input named by ``source`` (a path, directory, glob, URL, or a list of them)."""
    if isinstance(source, str | os.PathLike):
        yield from _expand_one(source)
        return
    for item in source:
        yield from expand_sources(item)


def open_binary(path: str, gzipped: bool) -> IO[bytes]:
    """Open a file for reading bytes, decompressing gzip (by name or by magic number)."""
    if not gzipped:
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == _GZIP_MAGIC
    if gzipped:
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path, "rb")


def sniff_format(head: bytes) -> str:
    """Guess a format from the first bytes: binary, feed, html, xml, json, jsonl or txt."""
    if head.startswith(_UTF16_BOMS):
        return "txt"
    if b"\x00" in head[:8192]:
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = stripped[:4096].lower()
    if lowered.startswith(b"<"):
        from polybius.articles.feeds import is_feed

        if is_feed(lowered):
            return "feed"
        if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
            return "html"
        if lowered.startswith(b"<?xml"):
            return "xml"
        return "html"
    if stripped.startswith(b"["):
        return "json"
    if stripped.startswith(b"{"):
        lines = [ln for ln in stripped[:8192].splitlines() if ln.strip()]
        if len(lines) > 1 and all(ln.lstrip().startswith(b"{") for ln in lines[:3]):
            return "jsonl"
        return "json"
    return "txt"


def _line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode_bytes(data: bytes, where: str) -> str | ReadProblem:
    """``data`` as text: UTF-8 (a BOM is dropped), or UTF-16 when it starts with that BOM.

    Invalid bytes give a ReadProblem naming the byte, its offset, line and column.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return ReadProblem(where, f"not valid UTF-16 at byte offset {exc.start}", "encoding")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        exc.start += bom
        line, column = _line_and_column(data, exc.start)
        byte = data[exc.start]
        return ReadProblem(
            where,
            f"not valid UTF-8: byte 0x{byte:02x} at offset {exc.start} (line {line}, column "
            f"{column}); convert the file to UTF-8 (e.g. iconv -f cp1252 -t utf-8)",
            "encoding",
        )
