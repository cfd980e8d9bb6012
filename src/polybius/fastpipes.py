"""Array-based equivalents of spaCy's attribute ruler and rule lemmatizer (same output).

Why: in ``en_core_web_sm`` the attribute ruler (179 token patterns run by the Matcher) and the
rule lemmatizer (a Python loop that creates a ``Token`` per word) cost about a fifth of the
whole pipeline's CPU time, as much as the dependency parser twice over
(``benchmarks/throughput.py``, docs/performance.md). Both are deterministic functions of a
few token attributes, so their results can be computed once per distinct attribute
combination and written back with ``Doc.to_array``/``Doc.from_array``:

* :class:`FastAttributeRuler` evaluates the ruler's own patterns (read from the loaded
  component) per distinct (lower form, tag, dependency label, is-space) combination, and the
  few two-token patterns ("gon na", "let 's") at the positions where their first word occurs.
  Like spaCy, it matches on the values before any rule is applied and applies the rules in
  pattern order, so a later rule wins.
* :class:`FastRuleLemmatizer` keeps spaCy's rule: a token without a lemma gets
  ``rule_lemmatize(token)[0]``, computed the first time a (form, part of speech,
  morphology) combination is seen, and looked up after that. The computing is done by a
  twin of the component whose lists of known lemmas are sets (same answers, no list scan).

:func:`speed_up` swaps them into a loaded pipeline when the components are of the kinds they
reproduce (otherwise it leaves the pipeline alone); ``POLYBIUS_FAST_PIPES=0`` turns it off.
Tests compare every token attribute with the original components
(tests/test_fastpipes.py), and ``benchmarks/fastpipes_check.py`` does so over real news.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

__all__ = [
    "FastAttributeRuler",
    "FastRuleLemmatizer",
    "speed_up",
    "swap_components",
    "pipeline_layers",
    "fast_pipes_on",
    "FAST_PIPES_ENV",
]

#: Set to 0 to keep spaCy's own attribute ruler and lemmatizer.
FAST_PIPES_ENV = "POLYBIUS_FAST_PIPES"


def fast_pipes_on() -> bool:
    """Whether polybius's spaCy speed-ups apply: $POLYBIUS_FAST_PIPES is not 0."""
    return os.environ.get(FAST_PIPES_ENV, "1") != "0"


#: Token attributes the ruler's patterns may test, in the order of a signature tuple.
_KEYS = ("LOWER", "TAG", "DEP", "IS_SPACE")
_KEY_IDS = (LOWER, TAG, DEP, IS_SPACE)
#: Entries a cache may hold before it is emptied, so a long-running process (``watch``,
#: ``serve``) does not grow without bound; refilling costs a few seconds of CPU.
MAX_CACHE = 300_000
#: Attributes a rule may set; they are written back as arrays.
_ARRAY_ATTRS = (POS, TAG, MORPH, LEMMA, DEP)


class UnsupportedPattern(ValueError):
    """A ruler pattern uses a key or operator this module does not reproduce."""


def _predicate(key: str, spec: Any) -> Callable[[Any], bool]:
    """A test on one decoded attribute value, with the Matcher's meaning of ``spec``."""
    if key == "IS_SPACE":
        if not isinstance(spec, bool):
            raise UnsupportedPattern(f"IS_SPACE={spec!r}")
        return lambda v: v == spec
    if isinstance(spec, str):
        return lambda v: v == spec
    if isinstance(spec, dict) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op == "IN":
            allowed = frozenset(arg)
            return lambda v: v in allowed
        if op == "NOT_IN":
            banned = frozenset(arg)
            return lambda v: v not in banned
        if op == "REGEX":
            rx = re.compile(arg)
            return lambda v: rx.search(v) is not None
    raise UnsupportedPattern(f"{key}={spec!r}")


@dataclass(frozen=True)
class _Rule:
    """One ruler entry: alternative token-pattern sequences, the target index, attributes."""

    order: int
    sequences: tuple[tuple[tuple[tuple[int, Callable[[Any], bool]], ...], ...], ...]
    index: int
    attrs: dict[int, Any]


def _entries(ruler: AttributeRuler) -> list[dict[str, Any]]:
    """The ruler's entries in order: {"patterns": [[token dict, ...], ...], "attrs", "index"}."""
    return cast(list[dict[str, Any]], ruler.patterns)


def _compile(ruler: AttributeRuler) -> list[_Rule]:
    rules = []
    for order, entry in enumerate(_entries(ruler)):
        seqs = []
        for seq in entry["patterns"]:
            toks = []
            for tok in seq:
                preds = []
                for key, spec in tok.items():
                    if key not in _KEYS:
                        raise UnsupportedPattern(f"pattern key {key}")
                    preds.append((_KEYS.index(key), _predicate(key, spec)))
                toks.append(tuple(preds))
            seqs.append(tuple(toks))
        rules.append(_Rule(order, tuple(seqs), int(entry.get("index", 0)), ruler.attrs[order]))
    return rules


def _token_ok(preds: tuple[tuple[int, Callable[[Any], bool]], ...], sig: tuple) -> bool:
    return all(test(sig[k]) for k, test in preds)


def _lower_keys(spec: dict[str, Any]) -> Any:
    """The LOWER values a first token must have (a tuple), "any" when it tests no LOWER, or
    None when the test is not a set of values (a regex, NOT_IN)."""
    low = spec.get("LOWER")
    if isinstance(low, str):
        return (low,)
    if isinstance(low, dict) and set(low) == {"IN"}:
        return tuple(low["IN"])
    return "any" if low is None else None


@dataclass(frozen=True)
class _Start:
    """One way a rule can match, seen from its first token."""

    order: int
    rule: _Rule
    seq: tuple[tuple[tuple[int, Callable[[Any], bool]], ...], ...]


class FastAttributeRuler:
    """spaCy's ``AttributeRuler`` of a loaded pipeline, applied per distinct token signature.

    A signature's rules are found from three groups: those whose first token tests no lower
    form (evaluated once per (tag, dependency, is-space)), those that name the lower form
    (looked up by it), and the rest (tested one by one; none in en_core_web_sm's singles).
    """

    def __init__(self, name: str = "attribute_ruler") -> None:
        self.name = name
        self.original: AttributeRuler | None = None
        self._by_order: dict[int, _Rule] = {}
        self._no_lower: list[_Start] = []
        self._by_lower: dict[str, list[_Start]] = {}
        self._other: list[_Start] = []
        self._base: dict[tuple, list[_Start]] = {}
        self._sig_rules: dict[tuple, tuple[tuple[int, ...], tuple]] = {}
        self._decoded: dict[int, str] = {}
        self._combined: dict[tuple[int, ...], tuple[int, ...]] = {}

    def adopt(self, ruler: AttributeRuler) -> FastAttributeRuler:
        """Take over ``ruler``'s patterns (raises UnsupportedPattern if one is not covered)."""
        rules = _compile(ruler)
        if any(r.index < 0 for r in rules):
            raise UnsupportedPattern("negative index")
        if any(set(r.attrs) - set(_ARRAY_ATTRS) for r in rules):
            raise UnsupportedPattern("a rule sets an attribute other than POS/TAG/MORPH/LEMMA/DEP")
        self.original = ruler
        self._by_order = {r.order: r for r in rules}
        self._no_lower, self._by_lower, self._other = [], {}, []
        for r, entry in zip(rules, _entries(ruler), strict=True):
            for seq, spec in zip(r.sequences, entry["patterns"], strict=True):
                start = _Start(r.order, r, seq)
                keys = _lower_keys(spec[0])
                if keys == "any":
                    self._no_lower.append(start)
                elif keys is None:
                    self._other.append(start)
                else:
                    for k in keys:
                        self._by_lower.setdefault(k, []).append(start)
        self._base.clear()
        self._sig_rules.clear()
        self._combined.clear()
        return self

    # -- matching ---------------------------------------------------------------------------
    def _decode(self, doc: Doc, h: int) -> str:
        s = self._decoded.get(h)
        if s is None:
            s = doc.vocab.strings[h] if h else ""
            self._decoded[h] = s
        return s

    def _rules_for(self, sig: tuple) -> tuple[tuple[int, ...], tuple]:
        """(single-token rules matching ``sig``, multi-token sequences that may start here)."""
        hit = self._sig_rules.get(sig)
        if hit is None:
            rest = sig[1:]
            base = self._base.get(rest)
            if base is None:
                base = [s for s in self._no_lower if _token_ok(s.seq[0], sig)]
                self._base[rest] = base
            named = [s for s in self._by_lower.get(sig[0], ()) if _token_ok(s.seq[0], sig)]
            other = [s for s in self._other if _token_ok(s.seq[0], sig)]
            found = base + named + other
            single = tuple(sorted({s.order for s in found if len(s.seq) == 1}))
            starts = tuple((s.rule, s.seq) for s in found if len(s.seq) > 1)
            hit = (single, starts)
            self._sig_rules[sig] = hit
        return hit

    def _apply_plan(self, orders: tuple[int, ...]) -> tuple[int, ...]:
        """Value per ``_ARRAY_ATTRS`` column (-1: unchanged) of applying rules ``orders``."""
        hit = self._combined.get(orders)
        if hit is None:
            final: dict[int, Any] = {}
            for o in sorted(orders):
                final.update(self._by_order[o].attrs)
            hit = tuple(final.get(a, -1) for a in _ARRAY_ATTRS)
            self._combined[orders] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        if len(self._sig_rules) > MAX_CACHE or len(self._decoded) > MAX_CACHE:
            self._sig_rules.clear()
            self._decoded.clear()
        raw = doc.to_array(list(_KEY_IDS))
        sigs = [
            (self._decode(doc, lo), self._decode(doc, tg), self._decode(doc, dp), bool(sp))
            for lo, tg, dp, sp in raw.tolist()
        ]
        found = [self._rules_for(s) for s in sigs]
        per_token = [single for single, _ in found]
        for i, (_, starts) in enumerate(found):
            for rule, seq in starts:
                width = len(seq)
                if i + width <= n and all(_token_ok(seq[j], sigs[i + j]) for j in range(1, width)):
                    t = i + rule.index
                    per_token[t] = per_token[t] + (rule.order,)
        cur = doc.to_array(list(_ARRAY_ATTRS))
        out = cur.copy()
        changed = False
        for i, orders in enumerate(per_token):
            if not orders:
                continue
            for c, v in enumerate(self._apply_plan(orders)):
                if v != -1:
                    out[i, c] = v
                    changed = True
        if changed:
            doc.from_array(list(_ARRAY_ATTRS), cast(Any, out))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


class FastRuleLemmatizer:
    """spaCy's rule lemmatizer with its answers cached by (form, part of speech, morphology)."""

    def __init__(self, name: str = "lemmatizer") -> None:
        self.name = name
        self.original: Lemmatizer | None = None
        self._twin: Lemmatizer | None = None
        self._cache: dict[tuple[int, int, int], int] = {}

    def adopt(self, lemmatizer: Lemmatizer) -> FastRuleLemmatizer:
        """Take over ``lemmatizer`` (it must be in rule mode and not overwrite lemmas).

        New forms are lemmatised by a twin of the component, of the same class with the same
        tables, except that each part of speech's list of known lemmas (``lemma_index``,
        57,528 nouns in en_core_web_sm, tested with ``in``) is a frozenset: the same answers,
        without a scan of the list per candidate form.
        """
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise UnsupportedPattern(f"lemmatizer mode={lemmatizer.mode} overwrite")
        twin = type(lemmatizer)(lemmatizer.vocab, lemmatizer.model, lemmatizer.name, mode="rule")
        lookups = Lookups()
        for table_name in lemmatizer.lookups.tables:
            table = lemmatizer.lookups.get_table(table_name)
            data = dict(table.items())
            if table_name == "lemma_index":
                data = {k: frozenset(v) for k, v in data.items()}
            lookups.add_table(table_name, data)
        twin.lookups = lookups
        twin._validate_tables()
        self.original = lemmatizer
        self._twin = twin
        self._cache.clear()
        return self

    def __call__(self, doc: Doc) -> Doc:
        twin = self._twin
        assert twin is not None
        if len(doc) == 0:
            return doc
        if len(self._cache) > MAX_CACHE:
            self._cache.clear()
            twin.cache.clear()
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        strings = doc.vocab.strings
        cache = self._cache
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            h = cache.get(key)
            if h is None:
                h = strings.add(twin.rule_lemmatize(doc[i])[0])
                cache[key] = h
            lemmas[i] = h
        doc.from_array([LEMMA], cast(Any, lemmas.astype(np.uint64)))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("polybius_fast_attribute_ruler")
def _make_fast_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(name)


@Language.factory("polybius_fast_rule_lemmatizer")
def _make_fast_lemmatizer(nlp: Language, name: str) -> FastRuleLemmatizer:
    return FastRuleLemmatizer(name)


def speed_up(nlp: Language) -> list[str]:
    """Swap the attribute ruler and rule lemmatizer of ``nlp`` for the array-based ones.

    Only components of exactly those kinds are swapped, and only when every pattern is one
    this module reproduces; returns the names swapped. Does nothing when
    $POLYBIUS_FAST_PIPES is 0.
    """
    if not fast_pipes_on():
        return []
    done = []
    for name, proc in list(nlp.pipeline):
        if type(proc) is AttributeRuler:
            try:
                fast: Any = FastAttributeRuler(name).adopt(proc)
            except UnsupportedPattern:
                continue
            factory = "polybius_fast_attribute_ruler"
        elif isinstance(proc, Lemmatizer) and proc.mode == "rule" and not proc.overwrite:
            fast = FastRuleLemmatizer(name).adopt(proc)
            factory = "polybius_fast_rule_lemmatizer"
        else:
            continue
        new = cast(Any, nlp.replace_pipe(name, factory))
        new.adopt(fast.original)
        done.append(name)
    return done


def swap_components(
    nlp: Language,
    kind: type,
    check: Callable[[Any], object],
    factory: str,
    unsupported: type[Exception],
) -> list[str]:
    """Replace every component of exactly type ``kind`` that ``check`` accepts (it raises
    ``unsupported`` otherwise) with a new ``factory`` component adopting it; returns the
    names swapped. Does nothing when $POLYBIUS_FAST_PIPES is 0. (For the batched decoders
    of :mod:`polybius.fastner` and :mod:`polybius.fastparser`.)"""
    if not fast_pipes_on():
        return []
    done = []
    for name, proc in list(nlp.pipeline):
        if type(proc) is not kind:
            continue
        try:
            check(proc)
        except unsupported:
            continue
        new = cast(Any, nlp.replace_pipe(name, factory))
        new.adopt(proc)
        done.append(name)
    return done


def pipeline_layers(nlp: Language) -> Iterator[Any]:
    """Every thinc layer inside ``nlp``'s components' models, in each model's walk order (a
    layer shared by two components comes once per component). For the speed-ups that
    change layers in place (:mod:`polybius.blas`, :mod:`polybius.fastembed`,
    :mod:`polybius.fastcnn`)."""
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        yield from model.walk()
