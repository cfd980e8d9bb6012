"""A corpus of nasty inputs, written by the tests into a folder, beside good ones.

``write_nasty_corpus(folder)`` returns what each file should give: ``"coded"`` (its articles
are stored) or the ``ReadProblem`` kind ingest must record for it. Every sentence here was
written for these tests.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GOOD_TEXTS", "Expect", "gzip_bomb", "write_nasty_corpus"]

GOOD_TEXTS = [
    "Russia accused Ukraine of shelling a border village on Monday, officials in Moscow said.",
    "France and Germany signed an agreement on joint border patrols in Paris on Tuesday.",
    "China held talks with Vietnam about fishing rights near the disputed reef, diplomats said.",
    "The United States imposed new sanctions on Iran over its drone exports on Wednesday.",
    "India sent emergency aid to Nepal after the floods, the foreign ministry said.",
    "Turkey threatened Greece over oil drilling near the islands, according to officials.",
    "Brazil praised Argentina for its support during the trade negotiations in Geneva.",
    "Poland expelled two Belarusian diplomats accused of spying, the government said.",
]


@dataclass(frozen=True)
class Expect:
    """What one file must give: ``articles`` stored and/or problems of ``kinds``."""

    articles: int = 0
    kinds: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # acceptable alternative kinds ("or is coded")


def gzip_bomb(path: Path, expanded: int, *, prefix: bytes = b"", fill: bytes = b"a") -> Path:
    """A small .gz that expands to ``expanded`` bytes: one 1 MiB member, repeated.

    gzip readers treat concatenated members as one stream, so the file costs about 1 KiB per
    MiB expanded and is written in an instant.
    """
    mib = 1 << 20
    first = gzip.compress(prefix + fill * ((mib - len(prefix)) // len(fill)), 9)
    member = gzip.compress(fill * (mib // len(fill)), 9)
    with path.open("wb") as fh:
        fh.write(first)
        for _ in range(max(0, expanded // mib - 1)):
            fh.write(member)
    return path


# "Morocco signed an agreement with Mauritania on sea fishing in Rabat on Thursday."
_ARABIC = (
    "\u0627\u0644\u0645\u063a\u0631\u0628 \u0648\u0642\u0639 "
    "\u0627\u062a\u0641\u0627\u0642\u0627 \u0645\u0639 "
    "\u0645\u0648\u0631\u064a\u062a\u0627\u0646\u064a\u0627 \u062d\u0648\u0644 "
    "\u0627\u0644\u0635\u064a\u062f \u0627\u0644\u0628\u062d\u0631\u064a \u0641\u064a "
    "\u0627\u0644\u0631\u0628\u0627\u0637 \u064a\u0648\u0645 "
    "\u0627\u0644\u062e\u0645\u064a\u0633. "
)


def _feed(items: list[tuple[str, str]], title: str = "Wire") -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>https://example.org/{i}</link>"
        f"<pubDate>Mon, 05 Feb 2024 10:00:00 GMT</pubDate><description>{d}</description></item>"
        for i, (t, d) in enumerate(items)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
    return f"{head}{entries}</channel></rss>"


def write_nasty_corpus(folder: Path, *, bomb_bytes: int = 1 << 30) -> dict[str, Expect]:
    """Write good and nasty files into ``folder``; return {file name: Expect}."""
    folder.mkdir(parents=True, exist_ok=True)
    g = GOOD_TEXTS
    out: dict[str, Expect] = {}

    def put(name: str, data: bytes | str, expect: Expect) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out[name] = expect

    # --- good inputs, one of each format
    put("good_story.txt", f"Border talks\n\n{g[0]}\n", Expect(articles=1))
    put(
        "good_wire.jsonl",
        "\n".join(
            [
                json.dumps({"id": "w1", "date": "2024-02-06", "text": g[1]}),
                "{}",  # an empty JSONL record
                json.dumps({"id": "w3", "date": "2024-02-07", "text": g[2]}),
                json.dumps({"id": "w4", "text": ""}),
            ]
        )
        + "\n",
        Expect(articles=2, kinds=("no_text", "no_text")),
    )
    buf = [["id", "date", "title", "text"], ["c1", "2024-02-08", "Sanctions", g[3]]]
    path = folder / "good_table.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(buf)
    out["good_table.csv"] = Expect(articles=1)
    put(
        "good_page.html",
        "<html><head><title>Flood aid</title></head><body><article><h1>Flood aid</h1>"
        f"<p>{g[4]}</p><p>Relief flights were expected to continue through the week, the "
        "ministry added in a statement on Thursday.</p></article></body></html>",
        Expect(articles=1),
    )
    put("good_feed.rss", _feed([("Islands", g[5])]), Expect(articles=1))

    # --- nasty inputs
    put("binary.txt", bytes(range(256)) * 64, Expect(kinds=("binary",)))
    put(
        "invalid_utf8.txt",
        g[6].encode()[:30] + b"\xff\xfe\xc3\x28" + g[6].encode()[30:],
        Expect(kinds=("encoding",)),
    )
    with (folder / "huge_single_line.txt").open("wb") as fh:  # 50 MB, not one newline
        chunk = b"Delegates talked and talked " * 37_450  # ~1 MB
        for _ in range(50):
            fh.write(chunk)
    out["huge_single_line.txt"] = Expect(kinds=("too_long",))
    with (folder / "huge_single_line.jsonl").open("wb") as fh:  # one 50 MB record, then a good one
        fh.write(b'{"id": "big", "text": "')
        for _ in range(50):
            fh.write(b"word " * 209_716)
        fh.write(b'"}\n')
        fh.write(json.dumps({"id": "after-big", "date": "2024-02-09", "text": g[7]}).encode())
        fh.write(b"\n")
    out["huge_single_line.jsonl"] = Expect(articles=1, kinds=("too_long",))
    gzip_bomb(folder / "bomb_text.txt.gz", bomb_bytes)
    out["bomb_text.txt.gz"] = Expect(kinds=("too_long",))
    gzip_bomb(folder / "bomb_lines.jsonl.gz", bomb_bytes, prefix=b'{"text": "')
    out["bomb_lines.jsonl.gz"] = Expect(kinds=("too_long",))
    gzip_bomb(folder / "bomb_list.json.gz", bomb_bytes, prefix=b'[{"text": "')
    out["bomb_list.json.gz"] = Expect(kinds=("too_long",))
    depth = 20_000
    put(
        "deeply_nested.html",
        "<html><body>"
        + "<div><span>" * depth
        + f"<p>{g[0]}</p>"
        + "</span></div>" * depth
        + "</body></html>",
        Expect(articles=1, also=("no_text",)),
    )
    put(
        "broken_entities.rss",
        _feed(
            [
                (
                    "Talks &bogus; resume &#xZZ;",
                    "Chile &nope; and Peru met &amp in Lima &lt;b "
                    "to discuss fisheries and a new port, officials said on Friday.",
                )
            ],
            title="Wire &undefined;",
        ),
        Expect(articles=1, also=("malformed",)),
    )
    put(
        "control_chars.txt",
        "Alarm\x07 bell\x1b[31m\n\n"
        + "Kenya\x0b and Ethiopia\x0c signed\x7f a water-sharing\u0085 deal\u200b in\ufeff "
        "Nairobi on Friday\x01, officials said.\x1f\n",
        Expect(articles=1),
    )
    put("right_to_left.txt", _ARABIC * 4, Expect(articles=1, also=("not_english",)))
    put(
        "right_to_left_override.txt",
        "\u202eMorocco signed a fishing deal with Mauritania\u202c in Rabat on Thursday, "
        "the ministry said. \u2067\u0627\u0644\u0631\u0628\u0627\u0637\u2069 hosted the talks.\n",
        Expect(articles=1),
    )
    put(
        "missing_text_column.csv",
        "id,date,headline_only_here\n1,2024-02-01,Something happened somewhere\n",
        Expect(kinds=("missing_field",)),
    )
    put(
        "lone_surrogate.jsonl",
        '{"id": "s1", "text": "Chile and Peru \\ud800 met in Lima to discuss a new port, '
        'officials said on Friday."}\n',
        Expect(articles=1, also=("encoding",)),
    )
    # a file whose name is not valid UTF-8 (undecodable bytes come back as surrogates)
    odd = os.fsdecode(b"odd_name_\xff.txt")
    with open(os.path.join(os.fsencode(folder), os.fsencode(odd)), "wb") as fh:
        fh.write(f"Name trouble\n\n{g[3].replace('Iran', 'Syria')}\n".encode())
    out[odd] = Expect(articles=1)
    return out
