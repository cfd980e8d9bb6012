#!/usr/bin/env python3
"""Convert the CAMEO verb dictionary (PETRARCH format) into polybius' readable pattern files.

Reads ``../shared/data/dictionaries/CAMEO.2.0.txt`` (Open Event Data Alliance, MIT) and writes
into ``src/polybius/data/patterns/``:

* ``verbs.tsv``          one row per verb form: lemma, particle, verb block, default CAMEO code
* ``verb_patterns.tsv``  one row per pattern of a block: words before the verb, words after it,
                         prepositional phrases, CAMEO code, and its PLOVER type/mode/context
* ``synsets.tsv``        the ``&NAME`` word sets the patterns refer to

CAMEO codes are mapped to PLOVER with ``polybius.ontology.cameo_to_plover`` (CAMEO2PLOVER,
CC BY-SA 4.0). Two additions, documented in SOURCES.md: CAMEO 02x (appeals) -> REQUEST, and
CAMEO 01x (public statements) is kept out (no PLOVER event). Run it again whenever the
dictionary changes: ``python scripts/build_patterns.py [--cameo PATH]``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from polybius.ontology import cameo_to_plover

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "dictionaries" / "CAMEO.2.0.txt"
OUT_DIR = ROOT / "src" / "polybius" / "data" / "patterns"

_BLOCK = re.compile(r"^---\s+(.+?)\s+\[([^\]]*)\]\s+---")
_CODE = re.compile(r"\[([^\]]*)\]")
_MARKERS = {"$", "+", "^", "%", "*"}


def plover_for(code: str) -> tuple[str, str, str]:
    """PLOVER (type, mode, context) for a CAMEO code; 02x appeals are REQUEST."""
    if not code or code.startswith("---"):
        return "", "", ""
    if code.startswith("02"):
        return "REQUEST", "", ""
    t, m, c = cameo_to_plover(code)
    return t or "", m or "", c or ""


def first_code(raw: str) -> str:
    """The source-side code of ``[042:043]`` ('042'); '' for ``[:173]``; '---' for no event."""
    raw = raw.strip()
    if raw.startswith("---"):
        return "---"
    return raw.split(":", 1)[0].strip()


def _clean_words(text: str) -> list[str]:
    """Pattern words lower-cased; {A B} phrases kept together; PETRARCH markers dropped."""
    out: list[str] = []
    for m in re.finditer(r"\{([^}]*)\}|(\S+)", text):
        if m.group(1) is not None:
            words = [w for w in m.group(1).split() if w not in _MARKERS]
            if words:
                out.append(" ".join(words).lower())
        else:
            w = m.group(2)
            if w in _MARKERS:
                continue
            out.append(w.lower())
    return out


def parse_pattern(line: str) -> tuple[str, str, str, str, str] | None:
    """Split ``- PRE * POST (PREP W) [code] # VERB`` into pre, post, preps, code, verb."""
    comment = ""
    if "#" in line:
        line, comment = line.split("#", 1)
    m = _CODE.search(line)
    if not m:
        return None
    code = first_code(m.group(1))
    body = line[: m.start()].strip().lstrip("-").strip()
    if "*" not in body:
        return None
    pre_text, post_text = body.split("*", 1)
    preps = []
    for pm in re.finditer(r"\(([^)]*)\)", post_text):
        words = _clean_words(pm.group(1))
        if words:
            preps.append(" ".join(words))
    post_plain = re.sub(r"\([^)]*\)", " ", post_text)
    pre = " ".join(_clean_words(pre_text))
    post = " ".join(_clean_words(post_plain))
    verb = comment.split(",")[0].strip().lower()
    verb = re.sub(r"[^a-z_ -]", "", verb).strip()
    return pre, post, "; ".join(preps), code, verb


def parse_verb_form(line: str) -> tuple[str, str, str, str] | None:
    """``SPEED {SPED} [020]`` / ``+ASK_FOR {...}`` -> (lemma, particle, code, irregular forms)."""
    text = line.split("#", 1)[0].strip()
    if not text:
        return None
    code = ""
    m = _CODE.search(text)
    if m:
        code = first_code(m.group(1))
        text = text[: m.start()].strip()
    forms = ""
    fm = re.search(r"\{([^}]*)\}", text)
    if fm:
        words = [w.lstrip("+").split("_")[0].lower() for w in fm.group(1).split()]
        forms = " ".join(dict.fromkeys(w for w in words if w))
    text = re.sub(r"\{[^}]*\}", "", text).strip()
    if not text:
        return None
    word = text.split()[0].lstrip("+").lower()
    parts = [p for p in word.split("_") if p]
    if not parts:
        return None
    return parts[0], " ".join(parts[1:]), code, forms


def convert(source: Path) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    """Parse the dictionary into rows for verbs.tsv, verb_patterns.tsv and synsets.tsv."""
    verbs: list[list[str]] = []
    patterns: list[list[str]] = []
    synsets: list[list[str]] = []
    section = "head"
    block = ""
    block_code = ""
    synset = ""
    seen_patterns: set[tuple[str, ...]] = set()
    for raw in source.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.rstrip()
        if line.startswith("####### SYNONYM SETS"):
            section = "synsets"
            continue
        if line.startswith("####### VERB PATTERNS"):
            section = "verbs"
            continue
        if line.startswith("######## TRANSFORMATIONS"):
            break
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if section == "synsets":
            if stripped.startswith("&"):
                synset = stripped.split()[0].lstrip("&").rstrip("_").lower()
            elif stripped.startswith("+") and synset:
                word = stripped.split("#", 1)[0].strip().lstrip("+").strip()
                word = word.replace("_", " ").strip().lower()
                if word:
                    synsets.append([synset, word])
            continue
        if section != "verbs":
            continue
        bm = _BLOCK.match(stripped)
        if bm:
            block = bm.group(1).strip().lower()
            block_code = first_code(bm.group(2))
            continue
        if stripped.startswith("-"):
            parsed = parse_pattern(stripped)
            if parsed is None:
                continue
            pre, post, preps, code, verb = parsed
            if not code or code.startswith("01"):
                continue
            key = (block, pre, post, preps, code)
            if key in seen_patterns:
                continue
            seen_patterns.add(key)
            ptype, mode, ctx = plover_for(code)
            if code != "---" and not ptype:
                continue
            patterns.append([block, pre, post, preps, code, ptype, mode, ctx, verb])
            continue
        form = parse_verb_form(stripped)
        if form is None:
            continue
        lemma, particle, code, forms = form
        code = code or block_code
        if code.startswith("01"):
            code = ""
        ptype, mode, ctx = plover_for(code)
        if code and code != "---" and not ptype:
            code = ""
        verbs.append([lemma, particle, block, code, ptype, mode, ctx, forms])
    return verbs, patterns, synsets


def _write(path: Path, header: list[str], rows: list[list[str]], note: str) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(note)
        fh.write("\t".join(header) + "\n")
        for row in rows:
            fh.write("\t".join(c.replace("\t", " ") for c in row) + "\n")


NOTE = (
    "# Derived from CAMEO.2.0.txt (Copyright (c) 2015 Open Event Data Alliance, MIT licence)\n"
    "# with PLOVER types from CAMEO2PLOVER (PLOVER, CC BY-SA 4.0). Generated by\n"
    "# scripts/build_patterns.py; do not edit by hand (edit curated.tsv instead).\n"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameo", type=Path, default=DEFAULT_SOURCE, help="CAMEO.2.0.txt path")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    if not args.cameo.is_file():
        print(f"build_patterns: {args.cameo} not found (../shared/data absent?)", file=sys.stderr)
        return 1
    verbs, patterns, synsets = convert(args.cameo)
    args.out.mkdir(parents=True, exist_ok=True)
    _write(
        args.out / "verbs.tsv",
        ["lemma", "particle", "block", "cameo", "plover_type", "mode", "context", "forms"],
        verbs,
        NOTE,
    )
    _write(
        args.out / "verb_patterns.tsv",
        ["block", "pre", "post", "preps", "cameo", "plover_type", "mode", "context", "verb"],
        patterns,
        NOTE,
    )
    _write(args.out / "synsets.tsv", ["synset", "word"], synsets, NOTE)
    print(
        f"wrote {len(verbs)} verb forms, {len(patterns)} patterns, {len(synsets)} synset words "
        f"to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
