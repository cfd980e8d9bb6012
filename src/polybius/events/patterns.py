"""Event patterns: the CAMEO verb dictionary (converted) plus hand-written noun and verb patterns.

The pattern files live in ``polybius/data/patterns`` (see SOURCES.md there):

* ``verbs.tsv`` / ``verb_patterns.tsv`` / ``synsets.tsv``: generated from CAMEO.2.0.txt by
  ``scripts/build_patterns.py``. A verb lemma belongs to a block; a block has patterns (words
  before the verb, words after it, prepositional phrases) that select a CAMEO code.
* ``curated.tsv``: noun events ("talks with", "sanctions on"), verb patterns that take priority,
  verbs too generic to code alone, governing verbs and context modifiers.

This module only loads and matches; it knows nothing about spaCy. Matching works on plain
"word bags" (lower-cased forms and lemmas) that the clause code builds from the parse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from polybius.ontology import PLOVER_TYPES, cameo_to_plover, quad_class

#: PLOVER type -> quad class (1 verbal cooperation .. 4 material conflict).
_QUADS: dict[str, int] = {t: quad_class(t) for t in PLOVER_TYPES}

__all__ = [
    "Lexicon",
    "NounPattern",
    "PatternMatch",
    "VerbPattern",
    "WordBag",
    "lexicon",
    "CONTEXT_CAMEO",
    "TYPE_OVERRIDES",
]

#: CAMEO code for (PLOVER type, context) when a modifier sets the context of an event.
CONTEXT_CAMEO: dict[tuple[str, str], str] = {
    ("COOPERATE", "military"): "062",
    ("COOPERATE", "economic"): "061",
    ("COOPERATE", "legal"): "063",
    ("COOPERATE", "intelligence"): "064",
    ("AID", "economic"): "071",
    ("AID", "military"): "072",
    ("AID", "humanitarian"): "073",
    ("AGREE", "economic"): "0311",
    ("AGREE", "military"): "0312",
    ("AGREE", "legal"): "0313",
    ("AGREE", "intelligence"): "0314",
    ("AGREE", "humanitarian"): "0333",
}


@dataclass(frozen=True, slots=True)
class WordBag:
    """What the parse offers a pattern: words before the verb, after it, and per preposition.

    Each entry is a set of lower-cased surface forms and lemmas; ``post_seq`` keeps the order
    of the words after the verb so that multi-word phrases ("joint exercise") can match.
    """

    pre: frozenset[str] = frozenset()
    post: frozenset[str] = frozenset()
    post_seq: tuple[str, ...] = ()
    preps: dict[str, frozenset[str]] = field(default_factory=dict)
    particles: frozenset[str] = frozenset()
    #: head words of the verb's objects (direct and prepositional), without their modifiers
    heads: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PatternMatch:
    """A pattern that fired: CAMEO code, PLOVER type/mode/context, a readable rule name."""

    cameo: str
    event_type: str
    mode: str | None
    context: str | None
    rule: str
    specificity: int
    confidence: float


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """One CAMEO pattern: required words (alternatives per slot) and prepositional phrases."""

    block: str
    pre: tuple[frozenset[str], ...]
    post: tuple[frozenset[str], ...]
    preps: tuple[tuple[str, tuple[frozenset[str], ...]], ...]
    cameo: str
    event_type: str
    mode: str | None
    context: str | None
    text: str
    curated: bool = False


@dataclass(frozen=True, slots=True)
class NounPattern:
    """An event noun: the prepositions that introduce its target and its CAMEO code."""

    lemma: str
    needs_joint: bool
    of_role: str | None
    preps: frozenset[str]
    cameo: str
    event_type: str
    mode: str | None
    context: str | None
    note: str


def _open_tsv(name: str) -> list[list[str]]:
    path = resources.files("polybius") / "data" / "patterns" / name
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as fh:
        header_seen = False
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            if not header_seen:
                header_seen = True
                continue
            rows.append(line.rstrip("\n").split("\t"))
    return rows


#: CAMEO codes whose PLOVER root differs from CAMEO2PLOVER in PLOVER-coded data: armed
#: seizure of territory or a base (192 "occupy territory") and blockades (191) are coded as
#: ASSAULT there (see docs/coding.md, "PLOVER conventions").
TYPE_OVERRIDES: dict[str, str] = {"192": "ASSAULT", "191": "ASSAULT"}


def _type_for(cameo: str, override: str = "") -> tuple[str, str | None, str | None]:
    if not override and cameo in TYPE_OVERRIDES:
        override = TYPE_OVERRIDES[cameo]
    if override:
        _, mode, ctx = cameo_to_plover(cameo) if cameo else (None, None, None)
        return override, mode, ctx
    if cameo.startswith("02"):
        return "REQUEST", None, None
    t, m, c = cameo_to_plover(cameo)
    return t or "", m, c


def _matches(word: str, bag: frozenset[str]) -> bool:
    """A pattern word matches a bag entry exactly, or as a stem of 4+ letters (TABARI style)."""
    if word in bag:
        return True
    if " " in word:
        return False
    if len(word) >= 4:
        return any(b.startswith(word) and len(b) - len(word) <= 3 for b in bag)
    return word + "s" in bag


def _slot_matches(slot: frozenset[str], bag: frozenset[str], seq: Sequence[str]) -> bool:
    for alt in slot:
        if " " in alt:
            parts = alt.split()
            n = len(parts)
            for i in range(len(seq) - n + 1):
                if all(_matches(p, frozenset((seq[i + j],))) for j, p in enumerate(parts)):
                    return True
        elif _matches(alt, bag):
            return True
    return False


def _word_ok(word: str, entry: str) -> bool:
    """``_matches(word, frozenset((entry,)))`` for one bag entry, without building a set."""
    if word == entry:
        return True
    if " " in word:
        return False
    if len(word) >= 4:
        return entry.startswith(word) and len(entry) - len(word) <= 3
    return word + "s" == entry


class _BagIndex:
    """One word set of a WordBag prepared for matching: ``_slot_matches`` as set lookups.

    ``_matches(word, words)`` holds when ``word`` is an entry, a 4+ letter prefix of an entry
    with at most 3 letters left over (a TABARI stem), or a short word whose plural is an
    entry. The set of all such keys of all entries (built once per bag, as
    ``polybius.prefilter.TriggerIndex.sentence_words`` does) answers a slot of single words
    with one ``isdisjoint``; a phrase is scanned in sequence only when all its words are keys.
    """

    __slots__ = ("words", "seq", "_keys", "_seq_in_words")

    def __init__(self, words: frozenset[str], seq: Sequence[str]) -> None:
        self.words = words
        self.seq = seq
        self._keys: frozenset[str] | None = None
        # a phrase word that matches an entry of ``seq`` is a key when seq ⊆ words, so a
        # word that is no key rules the phrase out without scanning ``seq``
        self._seq_in_words = words.issuperset(seq)

    def keys(self) -> frozenset[str]:
        if self._keys is None:
            keys = set(self.words)
            for b in self.words:
                n = len(b)
                keys.update(b[:k] for k in range(max(4, n - 3), n))
                if n <= 4 and b.endswith("s"):  # "s" itself: the empty word + s
                    keys.add(b[:-1])
            self._keys = frozenset(keys)
        return self._keys

    def _phrase(self, parts: tuple[str, ...]) -> bool:
        seq = self.seq
        if not seq:
            return False
        if self._seq_in_words and not self.keys().issuperset(parts):
            return False
        n = len(parts)
        for i in range(len(seq) - n + 1):
            if all(_word_ok(p, seq[i + j]) for j, p in enumerate(parts)):
                return True
        return False

    def slot(self, slot: frozenset[str]) -> bool:
        """Whether one alternative of ``slot`` matches (same result as ``_slot_matches``)."""
        single, phrases = _compiled(slot)
        if not single.isdisjoint(self.keys()):
            return True
        return any(self._phrase(parts) for parts in phrases)


_CompiledSlot = tuple[frozenset[str], tuple[tuple[str, ...], ...]]
_COMPILED: dict[frozenset[str], _CompiledSlot] = {}


def _compiled(slot: frozenset[str]) -> _CompiledSlot:
    """A slot split into its single words and its multi-word phrases (as word tuples)."""
    got = _COMPILED.get(slot)
    if got is None:
        got = (
            frozenset(a for a in slot if " " not in a),
            tuple(tuple(a.split()) for a in slot if " " in a),
        )
        _COMPILED[slot] = got
    return got


class _BagMatcher:
    """The indexes of one WordBag for one ``match_verb`` call (prep indexes built lazily)."""

    __slots__ = ("bag", "pre", "post", "_heads", "_preps")

    def __init__(self, bag: WordBag) -> None:
        self.bag = bag
        self.pre = _BagIndex(bag.pre, ())
        self.post = _BagIndex(bag.post, bag.post_seq)
        self._heads: _BagIndex | None = None
        self._preps: dict[str, _BagIndex] = {}

    @property
    def heads(self) -> _BagIndex:
        if self._heads is None:
            self._heads = _BagIndex(self.bag.heads, ())
        return self._heads

    def prep(self, prep: str) -> _BagIndex | None:
        got = self._preps.get(prep)
        if got is None:
            words = self.bag.preps.get(prep)
            if words is None:
                return None
            got = _BagIndex(words, tuple(words))
            self._preps[prep] = got
        return got


class _BlockGate:
    """Which patterns of one CAMEO block can match a bag: an index on each pattern's first
    requirement (its first pre slot, else its first post slot, else its first preposition).

    A pattern whose first requirement fails cannot score, so ``candidates`` skips it; the
    others keep their order, so the best-scoring pattern is the same as in a full scan.
    """

    __slots__ = ("size", "always", "pre", "post", "preps", "pre_keys", "post_keys")

    def __init__(self, patterns: Sequence[VerbPattern]) -> None:
        self.size = len(patterns)
        always: list[int] = []
        pre: dict[str, list[int]] = defaultdict(list)
        post: dict[str, list[int]] = defaultdict(list)
        preps: dict[str, list[int]] = defaultdict(list)
        for j, pat in enumerate(patterns):
            if pat.pre or pat.post:
                gate = pat.pre[0] if pat.pre else pat.post[0]
                single, phrases = _compiled(gate)
                if phrases:
                    always.append(j)
                    continue
                for w in single:
                    (pre if pat.pre else post)[w].append(j)
            elif pat.preps:
                preps[pat.preps[0][0]].append(j)
            else:
                always.append(j)
        self.always = tuple(always)
        self.pre = {k: tuple(v) for k, v in pre.items()}
        self.post = {k: tuple(v) for k, v in post.items()}
        self.preps = {k: tuple(v) for k, v in preps.items()}
        self.pre_keys = frozenset(self.pre)
        self.post_keys = frozenset(self.post)

    def candidates(self, m: _BagMatcher) -> list[int]:
        """Indexes (in pattern order) of the patterns whose first requirement ``m`` meets."""
        got = set(self.always)
        if self.pre_keys:
            for w in self.pre_keys & m.pre.keys():
                got.update(self.pre[w])
        if self.post_keys:
            for w in self.post_keys & m.post.keys():
                got.update(self.post[w])
        for prep, js in self.preps.items():
            if prep in m.bag.preps:
                got.update(js)
        return sorted(got)


class Lexicon:
    """All event patterns, indexed for matching by verb lemma and by noun lemma."""

    def __init__(self) -> None:
        self.synsets: dict[str, frozenset[str]] = {}
        self.verb_blocks: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.block_patterns: dict[str, list[VerbPattern]] = defaultdict(list)
        self.curated_verbs: dict[str, list[tuple[str, VerbPattern]]] = defaultdict(list)
        self.nouns: dict[str, list[NounPattern]] = defaultdict(list)
        self.no_default: set[str] = set()
        self.governors: dict[str, tuple[str, str]] = {}
        self.modifiers: dict[str, str] = {}
        self.irregular: dict[str, str] = {}
        #: speech-act verbs that are events between actors (accuse, urge, thank, warn ...):
        #: their complement clauses ("of blocking", "to stop") never select their pattern.
        self.speech: set[str] = set()
        self._gates: dict[str, _BlockGate] = {}
        self._load()

    # -- loading -----------------------------------------------------------------------
    def _slot(self, word: str) -> frozenset[str]:
        alts: set[str] = set()
        for part in word.split("|"):
            part = part.strip().lower()
            if not part:
                continue
            if part.startswith("&"):
                alts |= self.synsets.get(part[1:].rstrip("_"), frozenset({part[1:]}))
            else:
                alts.add(part.rstrip("_"))
        return frozenset(alts)

    def _slots(self, text: str) -> tuple[frozenset[str], ...]:
        """Split pattern words into slots; a phrase like 'joint exercise' stays one slot."""
        out: list[frozenset[str]] = []
        for w in text.split():
            out.append(self._slot(w))
        return tuple(out)

    def _load(self) -> None:
        syn: dict[str, set[str]] = defaultdict(set)
        for name, word in (r[:2] for r in _open_tsv("synsets.tsv")):
            syn[name].add(word)
        self.synsets = {k: frozenset(v) for k, v in syn.items()}
        for row in _open_tsv("verbs.tsv"):
            lemma, particle, block, cameo = row[0], row[1], row[2], row[3]
            forms = row[7] if len(row) > 7 else ""
            self.verb_blocks[lemma].append((particle, block, cameo))
            for f in forms.split():
                self.irregular.setdefault(f, lemma)
        for row in _open_tsv("verb_patterns.tsv"):
            block, pre, post, preps, cameo, ptype, mode, ctx = row[:8]
            prep_slots = []
            for phrase in (p.strip() for p in preps.split(";") if p.strip()):
                words = phrase.split()
                prep_slots.append((words[0], self._slots(" ".join(words[1:]))))
            text = " ".join(x for x in (pre, "*", post) if x)
            if preps:
                text += " " + " ".join(f"({p.strip()})" for p in preps.split(";"))
            self.block_patterns[block].append(
                VerbPattern(
                    block=block,
                    pre=self._slots(pre),
                    post=self._slots(post),
                    preps=tuple(prep_slots),
                    cameo=cameo,
                    event_type=TYPE_OVERRIDES.get(cameo, ptype),
                    mode=mode or None,
                    context=ctx or None,
                    text=text,
                )
            )
        for row in _open_tsv("curated.tsv"):
            row += [""] * (10 - len(row))
            kind, lemmas, particle, cwords, cpreps, cameo, ptype, mode, ctx, note = row[:10]
            names = [x.strip() for x in lemmas.split("|") if x.strip()]
            if kind == "noun":
                of_role = cwords[3:] if cwords.startswith("of=") else None
                joint = particle == "joint"
                if particle.startswith("of="):
                    of_role = particle[3:]
                t, m, c = _type_for(cameo, ptype)
                for n in names:
                    self.nouns[n].append(
                        NounPattern(
                            lemma=n,
                            needs_joint=joint,
                            of_role=of_role,
                            preps=frozenset(p for p in cpreps.split("|") if p),
                            cameo=cameo,
                            event_type=t,
                            mode=mode or m,
                            context=ctx or c,
                            note=note,
                        )
                    )
            elif kind == "verb":
                t, m, c = _type_for(cameo, ptype)
                groups = tuple(self._slot(g) for g in cwords.split(";") if g.strip())
                cprep_slots: tuple[tuple[str, tuple[frozenset[str], ...]], ...] = (
                    tuple((p, ()) for p in cpreps.split("|") if p) if cpreps else ()
                )
                for n in names:
                    pat = VerbPattern(
                        block="curated",
                        pre=(),
                        post=groups,
                        preps=cprep_slots[:1],
                        cameo=cameo,
                        event_type=t,
                        mode=mode or m,
                        context=ctx or c,
                        text=f"{n} {particle} * {cwords}".replace("  ", " ").strip(),
                        curated=True,
                    )
                    self.curated_verbs[n].append((particle, pat))
            elif kind == "nodefault":
                self.no_default.update(names)
            elif kind == "speech":
                self.speech.update(names)
            elif kind == "governor":
                t, _, _ = _type_for(cameo, ptype)
                for n in names:
                    self.governors[n] = (cameo, t)
            elif kind == "modifier":
                for n in names:
                    self.modifiers[n] = ctx

    # -- queries -----------------------------------------------------------------------
    def is_event_verb(self, lemma: str) -> bool:
        return lemma in self.verb_blocks or lemma in self.curated_verbs

    def noun_patterns(self, lemma: str) -> list[NounPattern]:
        return self.nouns.get(lemma, [])

    def match_verb(self, lemma: str, bag: WordBag) -> PatternMatch | None:
        """The best pattern for verb ``lemma`` given what its clause offers, or None.

        Curated patterns first; then CAMEO patterns of the verb's blocks (most words matched
        wins); then the verb form's default code, unless the verb is listed as too generic.
        A matched pattern with code ``---`` means "explicitly not an event" and returns None.
        """
        best: tuple[int, VerbPattern] | None = None
        m = _BagMatcher(bag)
        for particle, pat in self.curated_verbs.get(lemma, []):
            if particle and particle not in bag.particles and particle not in bag.post:
                continue
            score = self._fast_score(pat, m)
            if score is None:
                continue
            score += 100 + (5 if particle else 0)
            if best is None or score > best[0]:
                best = (score, pat)
        if best is not None:
            return self._result(best[1], best[0] - 100, lemma, curated=True)
        default: tuple[str, str] | None = None
        base_quad = self._base_quad(lemma)
        for particle, block, cameo in self.verb_blocks.get(lemma, []):
            if particle and particle not in bag.particles and particle not in bag.post:
                if (
                    not any(particle in ws for ws in bag.preps.values())
                    and particle not in bag.preps
                ):  # noqa: E501
                    continue
            pats = self.block_patterns.get(block, [])
            for j in self._gate(block, pats).candidates(m) if pats else ():
                pat = pats[j]
                score = self._fast_score(pat, m)
                if score is None:
                    continue
                if not self._fast_head_ok(pat, m, base_quad):
                    continue
                score += 2 if particle else 0
                if best is None or score > best[0]:
                    best = (score, pat)
            if cameo and (default is None or particle):
                default = (cameo, block if not particle else f"{block}+{particle}")
        if best is not None and best[0] > 0:
            if best[1].cameo == "---":
                return None
            return self._result(best[1], best[0], lemma)
        if default is None or default[0] == "---" or lemma in self.no_default:
            return None
        t, mode, c = _type_for(default[0])
        if not t:
            return None
        return PatternMatch(
            cameo=default[0],
            event_type=t,
            mode=mode,
            context=c,
            rule=f"cameo:{lemma}[{default[0]}]",
            specificity=0,
            confidence=0.6,
        )

    def _gate(self, block: str, pats: list[VerbPattern]) -> _BlockGate:
        """The (cached) first-requirement index of a block's patterns."""
        gate = self._gates.get(block)
        if gate is None or gate.size != len(pats):
            gate = self._gates[block] = _BlockGate(pats)
        return gate

    def _base_quad(self, lemma: str) -> int | None:
        """Quad class of the verb's own default code (None when it has none)."""
        for particle, _, cameo in self.verb_blocks.get(lemma, []):
            if not particle and cameo and cameo != "---":
                t = _type_for(cameo)[0]
                return _QUADS.get(t)
        return None

    @staticmethod
    def _head_ok(pat: VerbPattern, bag: WordBag, base_quad: int | None) -> bool:
        """A bare-noun CAMEO pattern that moves a verb to another quad class ("attack *
        GOVERNMENT" -> criticise) needs that noun as an object head: "attacked the
        government", not "attacked government forces" or "a bus carrying government staff"."""
        if base_quad is None or pat.pre or pat.preps or len(pat.post) != 1 or not pat.event_type:
            return True
        if _QUADS.get(pat.event_type) == base_quad:
            return True
        return all(_slot_matches(slot, bag.heads, ()) for slot in pat.post)

    @staticmethod
    def _fast_head_ok(pat: VerbPattern, m: _BagMatcher, base_quad: int | None) -> bool:
        """``_head_ok`` on a prepared bag."""
        if base_quad is None or pat.pre or pat.preps or len(pat.post) != 1 or not pat.event_type:
            return True
        if _QUADS.get(pat.event_type) == base_quad:
            return True
        heads = m.heads
        return all(heads.slot(slot) for slot in pat.post)

    @staticmethod
    def _fast_score(pat: VerbPattern, m: _BagMatcher) -> int | None:
        """``_score`` on a prepared bag: the same number, from set lookups."""
        score = 0
        if pat.pre:
            pre = m.pre
            for slot in pat.pre:
                if not pre.slot(slot):
                    return None
                score += 1
        if pat.post:
            post = m.post
            for slot in pat.post:
                if not post.slot(slot):
                    return None
                score += 1
        for prep, slots in pat.preps:
            idx = m.prep(prep)
            if idx is None:
                return None
            for slot in slots:
                if not idx.slot(slot):
                    return None
                score += 1
            score += 1
        return score

    def _score(self, pat: VerbPattern, bag: WordBag) -> int | None:
        score = 0
        for slot in pat.pre:
            if not _slot_matches(slot, bag.pre, ()):
                return None
            score += 1
        for slot in pat.post:
            if not _slot_matches(slot, bag.post, bag.post_seq):
                return None
            score += 1
        for prep, slots in pat.preps:
            words = bag.preps.get(prep)
            if words is None:
                return None
            seq = tuple(words)
            for slot in slots:
                if not _slot_matches(slot, words, seq):
                    return None
                score += 1
            score += 1
        return score

    def _result(
        self, pat: VerbPattern, score: int, lemma: str, *, curated: bool = False
    ) -> PatternMatch | None:
        if not pat.event_type:
            return None
        prefix = "curated" if curated else "cameo"
        return PatternMatch(
            cameo=pat.cameo,
            event_type=pat.event_type,
            mode=pat.mode,
            context=pat.context,
            rule=f"{prefix}:{lemma} {pat.text}[{pat.cameo}]".replace(
                f"{lemma} {lemma} ", f"{lemma} "
            ),  # noqa: E501
            specificity=score,
            confidence=min(0.9, 0.65 + 0.05 * score),
        )

    def context_for(self, words: Iterable[str]) -> str | None:
        """The context named by modifier words ("military cooperation" -> military)."""
        for w in words:
            ctx = self.modifiers.get(w)
            if ctx:
                return ctx
        return None


@cache
def lexicon() -> Lexicon:
    """The loaded pattern lexicon (once per process)."""
    return Lexicon()
