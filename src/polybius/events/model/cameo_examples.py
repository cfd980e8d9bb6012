"""Template training examples generated from the CAMEO verb dictionary (CAMEO.2.0.txt).

Each verb block lists verb forms, a default CAMEO code and patterns such as
``- * {JOINT EXERCISE} (WITH +) [062]``. For each verb (in the past and present tense) and
each pattern we write a short sentence with invented actors, e.g. ``<s>Freedonia</s> held a
joint exercise with <t>Sylvania</t>``, labelled with the PLOVER type the code maps to through
CAMEO2PLOVER. Codes without a PLOVER type (01 statements, 02 appeals) are skipped.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from polybius.events.model.plvdata import LabelledRow, candidate_from_marked
from polybius.ontology import cameo_to_plover

__all__ = ["VerbBlock", "parse_verb_dictionary", "cameo_examples"]

_SOURCES = (
    "Freedonia",
    "The government",
    "Rebel forces",
    "The minister",
    "Police",
    "Ruritania",
    "The opposition party",
    "Protesters",
    "The foreign ministry",
)
_TARGETS = (
    "Sylvania",
    "the rebels",
    "the neighbouring state",
    "the prime minister",
    "opposition leaders",
    "Borduria",
    "the United Nations",
    "the army",
    "the company",
)
_PREPS = ("", "", "to", "with", "against", "on", "for")
_CODE = re.compile(r"\[([^\]]*)\]")


@dataclass
class VerbBlock:
    """One ``--- NAME [code] ---`` block: verbs (base, past, 3sg, code), default code, patterns."""

    name: str
    code: str | None
    verbs: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (pattern, code)


def _words(token: str, synsets: dict[str, str]) -> str:
    token = token.strip("(){}")
    if token.startswith("&"):
        return synsets.get(token.rstrip("_"), token.lstrip("&").rstrip("_")).lower()
    return token.replace("_", " ").lower()


def _regular(base: str) -> tuple[str, str]:
    """(past, present 3rd person) of a regular verb, inflecting its first word."""
    first, _, rest = base.partition(" ")
    rest = (" " + rest) if rest else ""
    if first.endswith("e"):
        past = first + "d"
    elif first.endswith("y") and len(first) > 2 and first[-2] not in "aeiou":
        past = first[:-1] + "ied"
    else:
        past = first + "ed"
    if first.endswith(("s", "sh", "ch", "x", "z", "o")):
        pres = first + "es"
    elif first.endswith("y") and len(first) > 2 and first[-2] not in "aeiou":
        pres = first[:-1] + "ies"
    else:
        pres = first + "s"
    return past + rest, pres + rest


def _code(text: str) -> str | None:
    m = _CODE.search(text)
    if not m:
        return None
    code = m.group(1).split(":")[0].strip()
    return code if code and code != "---" and code.isdigit() else None


def parse_verb_dictionary(path: Path) -> list[VerbBlock]:
    """Read the synonym sets and verb blocks of a PETRARCH CAMEO verb dictionary."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    synsets: dict[str, str] = {}
    blocks: list[VerbBlock] = []
    section = "head"
    current_set: str | None = None
    block: VerbBlock | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].rstrip()
        if raw.startswith("####### VERB PATTERNS"):
            section = "verbs"
            continue
        if raw.startswith("######## TRANSFORMATIONS"):
            break
        if not line.strip():
            continue
        if section == "head":
            if line.startswith("&"):
                current_set = line.strip().rstrip("_")
            elif line.startswith("+") and current_set and current_set not in synsets:
                synsets[current_set] = line[1:].split("{")[0].strip().replace("_", " ")
            continue
        if line.startswith("---"):
            name = line.strip("- ").split("[")[0].strip()
            block = VerbBlock(name=name, code=_code(line))
            blocks.append(block)
            continue
        if block is None:
            continue
        if line.startswith("-"):
            code = _code(line) or block.code
            pattern = _CODE.sub("", line[1:]).strip()
            if code:
                block.patterns.append((pattern, code))
            continue
        # A verb line: BASE {FORMS} [code]
        head = _CODE.sub("", line)
        forms = re.findall(r"\{([^}]*)\}", head)
        base = re.sub(r"\{[^}]*\}", "", head).strip().lstrip("+")
        if not base or " " in base:
            continue
        base = base.replace("_", " ").lower()
        past, pres = _regular(base)
        if forms:
            extra = [f.lstrip("+").replace("_", " ").lower() for f in forms[0].split()]
            past = next((f for f in extra if f.split(" ")[0].endswith(("ed", "t"))), past)
            pres = next((f for f in extra if f.split(" ")[0].endswith("s")), pres)
        block.verbs.append((base, past, pres, _code(line)))
    for b in blocks:
        b.patterns = [(_expand(p, synsets), c) for p, c in b.patterns]
    return blocks


def _expand(pattern: str, synsets: dict[str, str]) -> str:
    out = []
    for tok in pattern.split():
        core = tok.strip("(){}")
        if core in ("*", "+", "$"):
            out.append(core)
        elif core:
            out.append(_words(core, synsets))
    return " ".join(out)


def _sentence(verb: str, pattern: str, rng: random.Random) -> str | None:
    """Fill a pattern ("* joint exercise (with +)") into a marked sentence."""
    src = f"<s>{rng.choice(_SOURCES)}</s>"
    tgt = f"<t>{rng.choice(_TARGETS)}</t>"
    toks = pattern.split() if pattern else ["*"]
    if "*" not in toks:
        return None
    star = toks.index("*")
    if "+" in toks[:star] and "$" not in toks:
        return None
    words = []
    for t in toks:
        words.append(verb if t == "*" else tgt if t == "+" else src if t == "$" else t)
    text = " ".join(words)
    if "<s>" not in text:
        text = f"{src} {text}"
    if "<t>" not in text:
        prep = rng.choice(_PREPS)
        text = f"{text} {prep} {tgt}".replace("  ", " ")
    return text[0].upper() + text[1:] + "."


def cameo_examples(path: Path, seed: int = 13, per_pattern: int = 2) -> list[LabelledRow]:
    """Labelled template examples from the CAMEO verb dictionary at ``path``."""
    rng = random.Random(seed)
    out: list[LabelledRow] = []
    for b_i, block in enumerate(parse_verb_dictionary(path)):
        for v_i, (_base, past, pres, vcode) in enumerate(block.verbs):
            code = vcode or block.code
            if code:
                out += _rows(past, pres, "", code, f"cameo:{b_i}:{v_i}", rng)
        for p_i, (pattern, code) in enumerate(block.patterns):
            verbs = rng.sample(block.verbs, min(per_pattern, len(block.verbs)))
            for _base, past, pres, _vc in verbs:
                out += _rows(past, pres, pattern, code, f"cameo:{b_i}:p{p_i}", rng)
    return out


def _rows(
    past: str, pres: str, pattern: str, code: str, group: str, rng: random.Random
) -> Iterator[LabelledRow]:
    ptype, _mode, _ctx = cameo_to_plover(code)
    if not ptype:
        return
    verb = past if rng.random() < 0.7 else pres
    marked = _sentence(verb, pattern, rng)
    if marked:
        yield LabelledRow(candidate_from_marked(marked), ptype, group)
