"""Which sentences of an article can hold an event, decided from the raw text (no parser).

Parsing is the cost floor of a naive coder. An event needs (1) a trigger that a pattern can
type and (2) an actor the event can be about; both can be checked on raw text, with the
same dictionaries the coder uses, far faster than spaCy parses the sentence:

* **Triggers** come from the event pattern lexicon (:func:`polybius.events.patterns.lexicon`).
  A word form is a *strong* trigger when its verb lemma fires with nothing else in the clause
  (``Lexicon.match_verb(lemma, WordBag())`` returns a match) or when it is an event noun.
  A *weak* trigger ("said", "held", "took") fires only through a pattern that needs other
  words ("took part in", "held talks"); it counts only when every slot of at least one typed
  pattern of its lemma can be filled by a word of the sentence (the same loose matching as
  the pattern matcher: exact, ``+s``, or a 4+ letter stem). A pattern coded ``---`` or with
  no PLOVER type never makes an event, so it never keeps a sentence.
* **Actors** are any dictionary hit (:func:`polybius.actors.actor_spans_in_text`), a
  hyphenated country compound ("Sino-Russian"), a capitalised word that does not open the
  sentence (a name the entity recogniser may find), or a pronoun or definite description
  that the co-reference rules can resolve ("he", "its", "the alliance").

A sentence is *kept* (parsed) when it has a trigger and two actor cues (a source and a
target), or one cue when a trigger may stand alone (PROTEST, MOBILIZE) or the sentence
has a joint/mutual word. Kept sentences are parsed with the full
pipeline; the others are only tokenised, so their text, offsets and dictionary mentions
stay in the Doc (a pronoun in a kept sentence still finds its antecedent there) while the
parser, tagger and entity recogniser never see them. See docs/performance.md.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    IDX,
    LEMMA,
    LENGTH,
    MORPH,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc

from polybius.nlp import doc_text, remember_text

__all__ = [
    "FilterStats",
    "TriggerIndex",
    "prefiltered_docs",
    "parse_inputs",
    "trigger_index",
    "sentence_starts",
    "sentence_keeps",
    "keep_flags",
    "PRONOUNS",
    "DESCRIPTION_NOUNS",
]

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_VOWELS = frozenset("aeiou")
_NAME_GROUP = re.compile(r"(?<![\w'-])[A-Z][\w'-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'-]*)*")
_COMPOUND = re.compile(r"(?<![\w-])[A-Z][\w.]*(?:-[A-Z][\w.]*)+(?![\w-])")

#: Pronouns the co-reference rules resolve to an earlier actor (polybius.actors.coref).
PRONOUNS = frozenset(
    "he him his she her himself herself it its itself they them their themselves".split()
)
#: Nouns of definite descriptions and groups that co-reference resolves ("the alliance",
#: "both countries", "his government"): the noun lists of polybius.actors.coref.
DESCRIPTION_NOUNS = frozenset(
    "alliance bloc grouping group organisation organization pact coalition body partnership "
    "forum quartet country nation state kingdom republic government administration regime "
    "leadership countries nations states members powers sides leaders allies partners "
    "governments neighbours neighbors".split()
)
#: Capitalised words that are not names (the name proxy ignores them).
_NOT_NAMES = frozenset(
    "The A An In On At For But And Or If When While As After Before Since This That These "
    "Those It He She They We I You His Her Its Their Our My Mr Mrs Ms Dr Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December".split()
)
#: What may separate two dictionary hits of one actor chain ("Iraqi security forces").
_CHAIN_GAP = re.compile(r"[\s\-\u2010\u2011\u2013']*(?:s\s+)?")

#: Event types coded without a target (polybius.events.extract codes them with one actor).
SELF_STANDING_TYPES = frozenset({"PROTEST", "MOBILIZE"})
#: Words that make one named actor enough: a joint or mutual event lists each participant as
#: both source and target ("the four countries held joint exercises").
MUTUAL_WORDS = frozenset(
    "joint jointly bilateral trilateral multilateral combined mutual together summit".split()
)
#: Words that open or close a sentence: after them a capital letter starts a new sentence.
_FINAL = frozenset({".", "!", "?", "...", "\u2026"})
_CLOSERS = frozenset({'"', "'", "\u201d", "\u2019", ")", "]"})


def _inflect(lemma: str) -> set[str]:
    """Regular English inflections of a verb lemma (over-generating is harmless here)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) >= 3 and lemma[-1] not in _VOWELS and lemma[-2] in _VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@lru_cache(maxsize=65_536)
def _stems(word: str) -> frozenset[str]:
    """A word and its likely lemmas (pattern words are lemmas or stems); remembered, since
    news repeats its words."""
    out = {word}
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("d", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            out.add(word[: len(word) - len(suffix)] + repl)
    return frozenset(out)


Requirement = tuple[frozenset[str], ...]
#: A requirement as :meth:`TriggerIndex.fires` tests it: per slot, its single words and its
#: phrases (as word tuples), the slots with the fewest alternatives first.
_Check = tuple[tuple[frozenset[str], tuple[tuple[str, ...], ...]], ...]


def _compile_checks(requirements: Sequence[Requirement]) -> tuple[_Check, ...]:
    """The requirements of one lemma, reduced to the same test: a sentence fills one of
    them exactly when it fills one of these. Repeated slots and repeated requirements go,
    and so does a requirement whose slots include all of another's (the smaller one is
    filled whenever it is); each check tests its narrowest slots first, and the checks
    with the fewest slots come first."""
    minimal: list[frozenset[frozenset[str]]] = []
    for req in sorted({frozenset(r) for r in requirements}, key=len):
        if not any(m <= req for m in minimal):
            minimal.append(req)
    return tuple(
        tuple(_split_slot(slot) for slot in sorted(req, key=lambda x: (len(x), sorted(x))))
        for req in minimal
    )


@dataclass(frozen=True, slots=True)
class TriggerIndex:
    """Word forms that may trigger an event, with what a weak one needs around it.

    ``strong``: lower-cased forms that can make an event on their own. ``weak``: form ->
    lemmas whose patterns need more words; ``needs``: lemma -> the slot lists of its typed
    patterns (each slot a set of alternatives; a sentence must fill every slot of one).
    ``irregular``: irregular verb form -> lemma, for filling slots with lemmas.
    ``standalone``: forms that may make an event with one actor and no target (a type
    coded without a target, such as PROTEST or MOBILIZE) or with a joint/mutual reading.
    """

    strong: frozenset[str]
    weak: dict[str, frozenset[str]]
    needs: dict[str, tuple[Requirement, ...]]
    irregular: dict[str, str]
    standalone: frozenset[str] = frozenset()
    _checks: dict[str, tuple[_Check, ...]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def sentence_words(self, words: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
        """(word forms with their likely lemmas, 4+ letter stems of them) for slot filling."""
        forms: set[str] = set()
        for w in words:
            forms |= _stems(w)
            lem = self.irregular.get(w)
            if lem:
                forms.add(lem)
        prefixes = {f[:k] for f in forms for k in range(max(4, len(f) - 3), len(f) + 1)}
        return frozenset(forms), frozenset(prefixes)

    def fires(self, words: Sequence[str]) -> bool:
        """Whether the lower-cased ``words`` of one sentence hold a trigger that can fire."""
        weak_lemmas: set[str] = set()
        for w in words:
            if w in self.strong:
                return True
            lemmas = self.weak.get(w)
            if lemmas:
                weak_lemmas |= lemmas
        if not weak_lemmas:
            return False
        forms, prefixes = self.sentence_words(words)
        # every word _alt_ok accepts, as one set: forms, 4+ letter stems, and "x" for "xs"
        keys = forms | prefixes | {f[:-1] for f in forms if f.endswith("s")}
        for lemma in weak_lemmas:
            checks = self._checks.get(lemma)
            if checks is None:
                checks = self._checks[lemma] = _compile_checks(self.needs.get(lemma, ()))
            for check in checks:
                if all(
                    not single.isdisjoint(keys) or any(keys.issuperset(p) for p in phrases)
                    for single, phrases in check
                ):
                    return True
        return False


def _alt_ok(alt: str, forms: frozenset[str], prefixes: frozenset[str]) -> bool:
    if alt in forms or alt + "s" in forms:
        return True
    return len(alt) >= 4 and alt in prefixes


def _slot_ok(slot: frozenset[str], forms: frozenset[str], prefixes: frozenset[str]) -> bool:
    for alt in slot:
        if " " in alt:
            if all(_alt_ok(p, forms, prefixes) for p in alt.split()):
                return True
        elif _alt_ok(alt, forms, prefixes):
            return True
    return False


@cache
def _split_slot(slot: frozenset[str]) -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """A slot's single words and its phrases (as word tuples), once per slot."""
    return (
        frozenset(a for a in slot if " " not in a),
        tuple(tuple(a.split()) for a in slot if " " in a),
    )


@cache
def trigger_index() -> TriggerIndex:
    """Build the trigger index from the event pattern lexicon (once per process)."""
    from polybius.events.patterns import WordBag, lexicon

    lex = lexicon()
    empty = WordBag()
    lemmas = set(lex.verb_blocks) | set(lex.curated_verbs)
    forms_of: dict[str, set[str]] = defaultdict(set)
    for lemma in lemmas:
        for form in _inflect(lemma):
            forms_of[form].add(lemma)
    for form, lemma in lex.irregular.items():
        forms_of[form].add(lemma)
    strong_lemmas: set[str] = set()
    needs: dict[str, tuple[Requirement, ...]] = {}
    for lemma in lemmas:
        if " " in lemma:
            continue
        try:
            fires_alone = lex.match_verb(lemma, empty) is not None
        except Exception:  # a malformed pattern must not stop the filter: keep the word
            fires_alone = True
        if fires_alone:
            strong_lemmas.add(lemma)
            continue
        reqs: list[Requirement] = []
        for particle, pat in lex.curated_verbs.get(lemma, []):
            req = _requirement(pat, particle)
            if req is not None:
                reqs.append(req)
        for particle, block, cameo in lex.verb_blocks.get(lemma, []):
            if particle and cameo and cameo != "---":
                reqs.append((frozenset({particle}),))  # "call off": the particle decides
            for pat in lex.block_patterns.get(block, []):
                req = _requirement(pat, particle)
                if req is not None:
                    reqs.append(req)
        needs[lemma] = tuple(reqs)
    strong: set[str] = set()
    weak: dict[str, set[str]] = defaultdict(set)
    for form, lems in forms_of.items():
        if lems & strong_lemmas:
            strong.add(form)
        else:
            weak[form] |= {lem for lem in lems if needs.get(lem)}
    for noun in lex.nouns:
        for form in (noun, noun + "s", noun + "es"):
            strong.add(form)
    alone_lemmas = _standalone_lemmas(lex)
    standalone = {f for f, lems in forms_of.items() if lems & alone_lemmas}
    for noun, pats in lex.nouns.items():
        if any(p.event_type in SELF_STANDING_TYPES or p.needs_joint for p in pats):
            standalone |= {noun, noun + "s", noun + "es"}
    return TriggerIndex(
        strong=frozenset(strong),
        weak={k: frozenset(v) for k, v in weak.items() if v and k not in strong},
        needs=needs,
        irregular=dict(lex.irregular),
        standalone=frozenset(standalone | MUTUAL_WORDS),
    )


def _standalone_lemmas(lex: object) -> set[str]:
    """Verb lemmas with a default code or a pattern of a type coded without a target."""
    from polybius.ontology import cameo_to_plover

    out: set[str] = set()
    for lemma, blocks in lex.verb_blocks.items():  # type: ignore[attr-defined]
        for _particle, block, cameo in blocks:
            types = {p.event_type for p in lex.block_patterns.get(block, [])}  # type: ignore[attr-defined]
            if cameo and cameo != "---":
                try:
                    types.add(cameo_to_plover(cameo)[0] or "")
                except Exception:
                    types.add("")
            if types & SELF_STANDING_TYPES:
                out.add(lemma)
    for lemma, pats in lex.curated_verbs.items():  # type: ignore[attr-defined]
        if any(p.event_type in SELF_STANDING_TYPES for _, p in pats):
            out.add(lemma)
    return out


def _requirement(pat: object, particle: str) -> Requirement | None:
    """The slots a pattern needs filled, or None when it can never make an event."""
    cameo = getattr(pat, "cameo", "")
    if not getattr(pat, "event_type", "") or cameo == "---":
        return None
    slots: list[frozenset[str]] = [*pat.pre, *pat.post]  # type: ignore[attr-defined]
    for prep, prep_slots in pat.preps:  # type: ignore[attr-defined]
        slots.append(frozenset({prep}))
        slots.extend(prep_slots)
    if particle:
        slots.append(frozenset({particle}))
    return tuple(s for s in slots if s)


def sentence_starts(doc: Doc, text: str | None = None) -> list[int]:
    """Token indices where sentences start in a tokenised (unparsed) ``doc``.

    Rule-based and cheap: a line break starts a sentence (as ``polybius_paragraphs`` does),
    and so does a word after sentence-final punctuation (optionally followed by a closing
    quote or bracket) and whitespace, when it begins with a letter, digit, quote or bracket.
    A full stop counts only as a token of its own: the tokenizer keeps abbreviations such as
    "Mr." or "U.S." whole, so they end no sentence; lower-case text such as wire copy is
    split too. Always starts with 0 when the doc is not empty. ``text`` is ``doc.text``
    when the caller has it (building it again costs a pass over the tokens).
    """
    n = len(doc)
    if n == 0:
        return []
    text = doc_text(doc) if text is None else text
    idx = doc.to_array(IDX).astype("int64").reshape(-1)
    positions: list[int] = [m.end() for m in _AFTER_NEWLINE.finditer(text)]
    for m in _AFTER_FINAL.finditer(text):
        run, p = m.group(1), m.start(1)
        if set(run) == {"."} and len(run) < 3:
            k = int(numpy.searchsorted(idx, p))
            if k >= n or idx[k] != p:
                continue  # the full stop belongs to a token such as "Mr." or "U.S."
        positions.append(m.end())
    starts = {0}
    if positions:
        pos = numpy.asarray(sorted(set(positions)), dtype="int64")
        ks = numpy.searchsorted(idx, pos)
        ok = ks < n
        ks, pos = ks[ok], pos[ok]
        starts.update(int(k) for k in ks[idx[ks] == pos])
    return sorted(starts)


# the first non-space character after a line break
_AFTER_NEWLINE = re.compile(r"\n\s*(?=\S)")
# sentence-final punctuation, closing quotes/brackets, whitespace, then a sentence opener
_AFTER_FINAL = re.compile(
    "([.!?\u2026]+)[\"'\u201d\u2019)\\]]*[ \t\u00a0]+(?=[\\w\"'\u201c\u2018(\\[])"
)


def keep_flags(text: str, bounds: Sequence[tuple[int, int]]) -> list[bool]:
    """For each (start, end) character range of ``text`` (its sentences, in order): can it
    hold an event? See the module docstring for the test.

    An event needs a source and a target (two actor cues), except a type coded without a
    target or a joint event, where one cue is enough. Cues: a chain of adjacent dictionary
    hits, a country compound, a capitalised name not covered by a hit (the entity
    recogniser may find a person or organisation there; the sentence's first word does not
    count), and pronouns and description nouns that co-reference can resolve.
    """
    from polybius.actors import scan_text

    n = len(bounds)
    if n == 0:
        return []
    starts = [s for s, _ in bounds]
    hits: list[list[tuple[int, int, bool]]] = [[] for _ in range(n)]

    def add(s: int, e: int, coded: bool) -> None:
        k = bisect.bisect_right(starts, s) - 1
        if 0 <= k < n:
            hits[k].append((s, e, coded))

    for h in scan_text(text):
        kinds = {e.kind for e in h.entries}
        if "block" in kinds or kinds <= {"former"}:
            continue
        add(h.start, h.end, bool(kinds - _UNCODED_KINDS))
    for m in _COMPOUND.finditer(text):
        add(m.start(), m.end(), True)
    index = trigger_index()
    support = _support_sentences(text, starts)
    out: list[bool] = []
    for k, (s, e) in enumerate(bounds):
        sent = text[s:e]
        words = [w.lower() for w in _WORD.findall(sent)]
        if not words:
            out.append(False)
            continue
        if index.fires(words):
            need = 1 if any(w in index.standalone for w in words) else 2
        elif k in support or _stated_by(words):
            need = 1  # a sentence that tells who said what the events say
        else:
            out.append(False)
            continue
        out.append(_cues(text, sent, s, words, sorted(hits[k]), need) >= need)
        if out[-1] and any(w in _PERSON_PRONOUNS for w in words):
            _keep_antecedent(text, bounds, k, out)
    return out


#: Pronouns resolved to the latest person (co-reference looks back five sentences).
_PERSON_PRONOUNS = frozenset("he him his she her himself herself".split())
_COREF_WINDOW = 5


def _keep_antecedent(text: str, bounds: Sequence[tuple[int, int]], k: int, out: list[bool]) -> None:
    """A kept sentence with "he"/"she": keep the latest earlier sentence (within the
    co-reference window) that names someone by a capitalised name, unless a kept sentence
    comes first: that person's mention needs the entity recogniser to exist at all."""
    for j in range(k - 1, max(-1, k - 1 - _COREF_WINDOW), -1):
        if out[j]:
            return
        s, e = bounds[j]
        sent = text[s:e]
        lead = len(sent) - len(sent.lstrip(" \t\n\"'\u201c\u2018(["))
        for m in _NAME_GROUP.finditer(sent):
            if " " in m.group() or m.start() != lead:
                if m.group() not in _NOT_NAMES:
                    out[j] = True
                    return


@cache
def _speech_forms() -> frozenset[str]:
    """Inflected forms of the speech verbs the attribution rules know ("said", "wrote")."""
    from polybius.events.attribution import SPEECH_VERBS

    forms: set[str] = set()
    for verb in SPEECH_VERBS:
        forms |= _inflect(verb)
    return frozenset(forms | _IRREGULAR_SPEECH)


_IRREGULAR_SPEECH = frozenset("said told wrote written thought stressed".split())
_DEMONSTRATIVES = frozenset({"this", "that", "it", "these", "those"})
_QUOTE_CLOSE = re.compile('[\u201d\u00bb"]')
_QUOTE_OPEN = re.compile('[\u201c\u00ab"]')
_APPOSITION = re.compile(
    r"\b[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)+,\s+(?:a|an|the|who|former|[a-z]+\s+of)\b"
)


def _stated_by(words: Sequence[str]) -> bool:
    """'This was stated by X': attributes the sentence before it (attribution.stated_by)."""
    return words[0] in _DEMONSTRATIVES and any(w in _speech_forms() for w in words[1:6])


def _support_sentences(text: str, starts: Sequence[int]) -> set[int]:
    """Sentences that event sentences lean on although they hold no event themselves: the
    speech clause after or before a quotation ('..." he wrote.', 'X said: "...'), and the
    apposition that introduces a person ("Kevin Rudd, an Australian ex-premier, ...")."""
    out: set[int] = set()
    speech = _speech_forms()

    def sentence_of(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    for m in _QUOTE_CLOSE.finditer(text):
        tail = text[m.end() : m.end() + 60]
        for w in _WORD.finditer(tail):
            if w.group().lower() in speech:
                out.add(sentence_of(m.end() + w.start()))
                break
    for m in _QUOTE_OPEN.finditer(text):
        head = text[max(0, m.start() - 60) : m.start()].lower()
        if any(f" {v}" in head for v in ("said", "wrote", "stated", "added", "declared")):
            out.add(sentence_of(m.start() - 1))
    for m in _APPOSITION.finditer(text):
        out.add(sentence_of(m.start()))
    return out


#: Dictionary entry kinds that carry no code on their own.
_UNCODED_KINDS = frozenset({"agent", "former", "block"})


def _chains(text: str, hits: Sequence[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Join adjacent hits into chains (one actor): coded when any hit in it is."""
    chains: list[tuple[int, int, bool]] = []
    for s, e, coded in hits:
        if chains:
            cs, ce, cc = chains[-1]
            gap = _CHAIN_GAP.fullmatch(text, ce, s) if s >= ce else None
            if gap is not None:
                chains[-1] = (cs, max(ce, e), cc or coded)
                continue
        chains.append((s, e, coded))
    return chains


def _cues(
    text: str,
    sent: str,
    offset: int,
    words: Sequence[str],
    hits: Sequence[tuple[int, int, bool]],
    need: int,
) -> int:
    """Count actor cues in one sentence, stopping early once ``need`` is reached. Adjacent
    dictionary hits are one cue ("Iraqi security forces"). A bare agent word ("police")
    counts too: co-reference and the entity recogniser may give it a code.
    (Measured: not counting bare agent words keeps 15% fewer tokens but loses 4% of the
    events; docs/performance.md.)"""
    chains = _chains(text, hits)
    count = len(chains)
    if count >= need:
        return count
    count += sum(1 for w in words if w in PRONOUNS or w in DESCRIPTION_NOUNS)
    if count >= need:
        return count
    lead = len(sent) - len(sent.lstrip(" \t\n\"'\u201c\u2018(["))
    for m in _NAME_GROUP.finditer(sent):
        group = m.group()
        if group in _NOT_NAMES or (m.start() == lead and " " not in group):
            continue  # the sentence's first word is capitalised anyway
        gs, ge = offset + m.start(), offset + m.end()
        if any(hs < ge and gs < he for hs, he, _ in chains):
            continue
        count += 1
        if count >= need:
            break
    return count


def sentence_keeps(doc: Doc, text: str | None = None) -> tuple[list[int], list[bool]]:
    """Sentence start token indices of a tokenised ``doc`` and, per sentence, keep or not."""
    text = doc_text(doc) if text is None else text
    starts = sentence_starts(doc, text)
    bounds: list[tuple[int, int]] = []
    for k, i in enumerate(starts):
        end_tok = starts[k + 1] if k + 1 < len(starts) else len(doc)
        last = doc[end_tok - 1]
        bounds.append((doc[i].idx, last.idx + len(last.text)))
    return starts, keep_flags(text, bounds)


def prefiltered_docs(
    texts: Iterable[str],
    nlp: Language,
    *,
    batch_size: int = 64,
    prefilter: bool = True,
) -> Iterator[tuple[Doc, FilterStats]]:
    """Parse ``texts`` with ``nlp``, sending only the sentences that can hold an event.

    Each text is tokenised and split into sentences (:func:`sentence_starts`); the sentence
    starts are fixed on the tokens before parsing (the parser respects them), so a text is
    segmented the same way whether the filter is on or off. With ``prefilter`` each
    sentence is tested (:func:`keep_flags`); runs of kept sentences are parsed with the full
    pipeline (``nlp.pipe``, batched across texts) and the other runs are only tokenised.
    The pieces are joined with ``Doc.from_docs``, so each Doc's text is exactly the input
    text and every character offset is the same as in a full parse. With
    ``prefilter=False`` every text is parsed whole. Yields (Doc, FilterStats) in input
    order; ``texts`` is consumed lazily, ``batch_size`` texts at a time.
    """
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= batch_size:
            yield from _prefilter_batch(batch, nlp, batch_size, prefilter)
            batch = []
    if batch:
        yield from _prefilter_batch(batch, nlp, batch_size, prefilter)


@dataclass(frozen=True, slots=True)
class FilterStats:
    """How much of one text the pre-filter sent to the parser."""

    sentences: int
    kept_sentences: int
    tokens: int
    kept_tokens: int


def _set_sentences(doc: Doc, starts: Sequence[int]) -> None:
    """Fix sentence starts on an unparsed doc: the given tokens start one, no other does.
    (Vectorised: setting ``Token.is_sent_start`` one token at a time costs more than the
    tagger.)"""
    arr = numpy.full(len(doc), -1, dtype="int64")
    arr[list(starts)] = 1
    doc.from_array([SENT_START], arr.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]


#: Runs of sentences sent to ``nlp.pipe`` per batch (at least).
PIECE_BATCH = 128
#: Annotations copied from parsed pieces into the whole Doc.
_COPY_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


@dataclass(slots=True)
class _Plan:
    """One text cut into runs of sentences: (begin token, end token, parse?, sentence
    starts relative to begin), with the parse inputs for the kept runs."""

    doc: Doc
    text: str
    runs: list[tuple[int, int, bool, list[int]]]
    stats: FilterStats


class _Cutter:
    """``doc0[begin:end].as_doc()`` for the runs of one tokenised (unparsed) doc, cheaper.

    ``Span.as_doc`` exports the whole doc to an array on every call, averages the span's
    word vectors token by token and repairs dependency arcs one token at a time; on an
    unparsed doc there are no arcs to repair and the parser never reads the vector. This
    exports the array once and builds each piece from it with the same ``from_array``
    call, so the tokens and their attributes are the same as with ``as_doc``. A doc that
    already carries a parse or entities takes ``as_doc`` itself."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self.plain = not doc.has_annotation("DEP") and not doc.ents and not doc.cats
        if self.plain:
            self.attrs = list(doc._get_array_attrs())
            self.array = doc.to_array(self.attrs)
            extra = doc.to_array([IDX, LENGTH, SPACY]).astype("int64")
            self.idx, self.length, self.spacy = (extra[:, c].tolist() for c in range(3))

    def piece(self, begin: int, end: int) -> Doc:
        doc = self.doc
        if not self.plain:
            return doc[begin:end].as_doc()
        text, idx, length = self.text, self.idx, self.length
        words = [text[idx[i] : idx[i] + length[i]] for i in range(begin, end)]
        spaces = [bool(x) for x in self.spacy[begin:end]]
        out = Doc(doc.vocab, words=words, spaces=spaces)
        out.from_array(self.attrs, self.array[begin:end].copy())  # type: ignore[arg-type]
        out.noun_chunks_iterator = doc.noun_chunks_iterator  # type: ignore[attr-defined]
        out.user_hooks = doc.user_hooks
        out.user_span_hooks = doc.user_span_hooks
        out.user_token_hooks = doc.user_token_hooks
        out.tensor = doc.tensor[begin:end]
        return out


def _plan(text: str, nlp: Language, prefilter: bool) -> tuple[_Plan, list[Doc]]:
    """Cut one text into runs; return the plan and the Docs to parse (sentences fixed)."""
    doc0 = nlp.make_doc(text)
    if prefilter:
        starts, keeps = sentence_keeps(doc0, text)
    else:
        starts = sentence_starts(doc0, text)
        keeps = [True] * len(starts)
    runs: list[tuple[int, int, bool, list[int]]] = []
    to_parse: list[Doc] = []
    kept_tokens = 0
    cut: _Cutter | None = None
    k = 0
    while k < len(starts):
        j = k
        while j + 1 < len(starts) and keeps[j + 1] == keeps[k]:
            j += 1
        begin = starts[k]
        end = starts[j + 1] if j + 1 < len(starts) else len(doc0)
        local = [x - begin for x in starts[k : j + 1]]
        runs.append((begin, end, keeps[k], local))
        if keeps[k]:
            kept_tokens += end - begin
            if begin == 0 and end == len(doc0):
                piece = doc0
            else:
                cut = cut or _Cutter(doc0, text)
                piece = cut.piece(begin, end)
            _set_sentences(piece, local)
            to_parse.append(piece)
        k = j + 1
    stats = FilterStats(len(starts), sum(keeps), len(doc0), kept_tokens)
    return _Plan(doc0, text, runs, stats), to_parse


def parse_inputs(text: str, nlp: Language, prefilter: bool = True) -> list[Doc]:
    """The tokenised runs of sentences of ``text`` that coding sends to the parser, each with
    its sentence starts fixed (for checks of the parsing components on real input)."""
    return _plan(text, nlp, prefilter)[1]


def _assemble(plan: _Plan, parsed: Iterator[Doc]) -> Doc:
    """Copy the parsed runs' annotations into the whole tokenised Doc; unparsed runs get
    one root per sentence (dep ROOT, no other arcs) so that their sentences survive: a
    parsed Doc derives sentence starts from the roots of its dependency trees."""
    doc = plan.doc
    if len(plan.runs) == 1 and plan.runs[0][2]:
        return remember_text(next(parsed), plan.text)  # one parsed run: doc0, parsed
    root = doc.vocab.strings.add("ROOT")
    dep_col = _COPY_ATTRS.index(DEP)
    arrays = []
    for begin, end, keep, local in plan.runs:
        if keep:
            arrays.append(next(parsed).to_array(_COPY_ATTRS))
        else:
            arr = numpy.zeros((end - begin, len(_COPY_ATTRS)), dtype="uint64")
            arr[local, dep_col] = root
            arrays.append(arr)
    if arrays:
        doc.from_array(_COPY_ATTRS, numpy.concatenate(arrays))  # type: ignore[arg-type]
    return remember_text(doc, plan.text)


def _prefilter_batch(
    texts: Sequence[str], nlp: Language, batch_size: int, prefilter: bool
) -> Iterator[tuple[Doc, FilterStats]]:
    plans: list[_Plan] = []
    to_parse: list[Doc] = []
    for text in texts:
        plan, docs = _plan(text, nlp, prefilter)
        plans.append(plan)
        to_parse += docs
    # sentence starts are already fixed, so the paragraph component has nothing to add
    skip = [n for n in ("polybius_paragraphs",) if n in nlp.pipe_names]
    # kept runs are short: batch more of them (spaCy's cost per batch is not per token)
    parsed = iter(nlp.pipe(to_parse, batch_size=max(batch_size, PIECE_BATCH), disable=skip))
    for plan in plans:
        yield _assemble(plan, parsed), plan.stats
