"""Character-level normalisation of article text.

What it does, in order: repair mojibake (UTF-8 read as Windows-1252, "â€™" -> "'"), Unicode
NFKC, curly quotes and primes to ASCII quotes, dashes and minus signs to "-", invisible
characters (zero-width spaces, soft hyphens, BOMs) removed, other control characters removed,
line endings unified to "\n", tabs and odd spaces to one space, spaces collapsed within
lines and stripped at line ends. Line breaks are kept: paragraph structure is the cleaner's
business. The result is stable: normalising twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_text", "normalise_line"]

_QUOTE_MAP: dict[str, str] = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark
    "\u201a": "'",  # single low-9
    "\u201b": "'",  # single high-reversed-9
    "\u2032": "'",  # prime
    "\u2035": "'",  # reversed prime
    "\u02bc": "'",  # modifier letter apostrophe
    "\u00b4": "'",  # acute accent used as apostrophe
    "\u0060": "'",  # grave accent used as apostrophe
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u201e": '"',  # double low-9
    "\u201f": '"',  # double high-reversed-9
    "\u2033": '"',  # double prime
    "\u2036": '"',  # reversed double prime
    "\u00ab": '"',  # guillemets
    "\u00bb": '"',
    "\u2039": "'",
    "\u203a": "'",
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2e3a": "-",
    "\u2e3b": "-",
    "\u2028": "\n",  # line separator
    "\u2029": "\n\n",  # paragraph separator
    "\u0085": "\n",  # next line
    "\t": " ",
    "\u000b": "\n",
    "\u000c": "\n",
}
# One regex over the mapped characters: much faster than str.translate on long texts.
_QUOTE_RE = re.compile("[" + re.escape("".join(_QUOTE_MAP)) + "]")
# Invisible characters that carry nothing for a reader.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061-\u2064\ufeff\u180e]")
# Control characters other than newline (tabs were turned into spaces above).
_CONTROL = re.compile("[\u0000-\u0009\u000b-\u001f\u007f-\u009f]")
# Any horizontal whitespace NFKC leaves alone (it maps most odd spaces to U+0020 already).
_SPACES = re.compile(r"[^\S\n]+")
_MOJIBAKE_HINT = re.compile(
    "[\u00c2\u00c3\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178"
    "\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


_MAX_ROUNDS = 4


def _fix_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-Windows-1252 damage, only when its tell-tale pairs are present."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # imported lazily: only damaged texts pay for it

    return ftfy.fix_encoding(text)


def _map_quotes(text: str) -> str:
    return _QUOTE_RE.sub(lambda m: _QUOTE_MAP[m.group()], text)


def normalise_line(line: str) -> str:
    """Collapse runs of horizontal whitespace to one space and strip the ends."""
    return _SPACES.sub(" ", line).strip()


def normalise_text(text: str) -> str:
    """Normalise characters and spacing, keeping line breaks (see module docstring).

    Repairing mojibake can uncover more of it (text damaged twice), so the steps are repeated
    while such pairs remain and change something: normalising twice changes nothing.
    """
    result = _normalise_once(text)
    for _ in range(_MAX_ROUNDS):
        if result.isascii() or not _MOJIBAKE_HINT.search(result):
            break
        again = _normalise_once(result)
        if again == result:
            break
        result = again
    return result


def _normalise_once(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # the Unicode steps have nothing to do on plain ASCII
        text = _fix_mojibake(text)
        text = _map_quotes(text)  # before NFKC, which splits some (U+00B4) into two
        text = unicodedata.normalize("NFKC", text)
        text = _map_quotes(text)  # and after, for those NFKC makes (fullwidth quotes)
        text = _INVISIBLE.sub("", text)
    else:
        text = _map_quotes(text)
    text = _CONTROL.sub("", text)
    return "\n".join(normalise_line(line) for line in text.split("\n"))
