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
from dataclasses import dataclass
from functools import cache

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    LEMMA,
    MORPH,
    POS,
    SENT_START,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc

__all__ = [
    "FilterStats",
    "TriggerIndex",
    "prefiltered_docs",
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
#: Nouns of definite descriptions and groups that co-reference resolves ("the alliance").
DESCRIPTION_NOUNS = frozenset(
    "alliance bloc grouping group organisation organization pact coalition body partnership "
    "forum quartet country countries nation nations state states kingdom republic leaders "
    "government governments ministry minister president premier delegation".split()
)
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


def _stems(word: str) -> set[str]:
    """A word and its likely lemmas (pattern words are lemmas or stems)."""
    out = {word}
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                         ("ed", "e"), ("ing", ""), ("ing", "e"), ("d", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            out.add(word[: len(word) - len(suffix)] + repl)
    return out


Requirement = tuple[frozenset[str], ...]


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
        for lemma in weak_lemmas:
            for requirement in self.needs.get(lemma, ()):
                if all(_slot_ok(slot, forms, prefixes) for slot in requirement):
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


def sentence_starts(doc: Doc) -> list[int]:
    """Token indices where sentences start in a tokenised (unparsed) ``doc``.

    Rule-based and cheap: a line break starts a sentence (as ``polybius_paragraphs`` does),
    and so does a word after a sentence-final punctuation token (optionally followed by a
    closing quote or bracket) and whitespace, when it begins with a letter, digit or quote.
    (The tokenizer keeps abbreviations such as "Mr." or "U.S." whole, so a lone "." token
    ends a sentence; lower-case text such as wire copy is split too.)
    Always starts with 0 when the doc is not empty.
    """
    starts = [0] if len(doc) else []
    n = len(doc)
    for i in range(n - 1):
        tok = doc[i]
        nxt = doc[i + 1]
        if nxt.is_space:
            continue
        if "\n" in tok.text or "\n" in tok.whitespace_:
            starts.append(i + 1)
            continue
        if not (tok.whitespace_ or tok.is_space):
            continue
        j = i
        while j > 0 and doc[j].text in _CLOSERS and not doc[j].is_space:
            j -= 1
        prev = doc[j - 1] if doc[j].is_space and j > 0 else doc[j]
        if prev.text not in _FINAL and not prev.text.endswith(tuple(_FINAL - {"."})):
            continue
        first = nxt.text[:1]
        if first.isalnum() or first in "\"'\u201c\u2018([":
            starts.append(i + 1)
    return starts


def keep_flags(text: str, bounds: Sequence[tuple[int, int]]) -> list[bool]:
    """For each (start, end) character range of ``text`` (its sentences, in order): can it
    hold an event? See the module docstring for the test.

    An event needs a source and a target (two actor cues), except a type coded without a
    target or a joint event, where one cue is enough. Cues: dictionary hits, country
    compounds, capitalised names not covered by a hit (not counting the sentence's first
    word), pronouns and description nouns.
    """
    from polybius.actors import actor_spans_in_text

    n = len(bounds)
    if n == 0:
        return []
    starts = [s for s, _ in bounds]
    hits: list[list[tuple[int, int]]] = [[] for _ in range(n)]

    def add(s: int, e: int) -> None:
        k = bisect.bisect_right(starts, s) - 1
        if 0 <= k < n:
            hits[k].append((s, e))

    for s, e in actor_spans_in_text(text):
        add(s, e)
    for m in _COMPOUND.finditer(text):
        add(m.start(), m.end())
    index = trigger_index()
    out: list[bool] = []
    for k, (s, e) in enumerate(bounds):
        sent = text[s:e]
        words = [w.lower() for w in _WORD.findall(sent)]
        if not words or not index.fires(words):
            out.append(False)
            continue
        need = 1 if any(w in index.standalone for w in words) else 2
        out.append(_cues(sent, s, words, hits[k], need) >= need)
    return out


def _cues(
    sent: str, offset: int, words: Sequence[str], hits: Sequence[tuple[int, int]], need: int
) -> int:
    """Count actor cues in one sentence, stopping early once ``need`` is reached."""
    count = len(hits)
    if count >= need:
        return count
    count += sum(1 for w in words if w in PRONOUNS or w in DESCRIPTION_NOUNS)
    if count >= need:
        return count
    lead = len(sent) - len(sent.lstrip(" \t\n\"'\u201c\u2018(["))
    for m in _NAME_GROUP.finditer(sent):
        if m.start() == lead and " " not in m.group():
            continue  # the sentence's first word is capitalised anyway
        gs, ge = offset + m.start(), offset + m.end()
        if any(hs < ge and gs < he for hs, he in hits):
            continue
        count += 1
        if count >= need:
            break
    return count


def sentence_keeps(doc: Doc) -> tuple[list[int], list[bool]]:
    """Sentence start token indices of a tokenised ``doc`` and, per sentence, keep or not."""
    starts = sentence_starts(doc)
    text = doc.text
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


#: Annotations copied from parsed pieces into the whole Doc.
_COPY_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


@dataclass(slots=True)
class _Plan:
    """One text cut into runs of sentences: (begin token, end token, parse?, sentence
    starts relative to begin), with the parse inputs for the kept runs."""

    doc: Doc
    runs: list[tuple[int, int, bool, list[int]]]
    stats: FilterStats


def _plan(text: str, nlp: Language, prefilter: bool) -> tuple[_Plan, list[Doc]]:
    """Cut one text into runs; return the plan and the Docs to parse (sentences fixed)."""
    doc0 = nlp.make_doc(text)
    if prefilter:
        starts, keeps = sentence_keeps(doc0)
    else:
        starts = sentence_starts(doc0)
        keeps = [True] * len(starts)
    runs: list[tuple[int, int, bool, list[int]]] = []
    to_parse: list[Doc] = []
    kept_tokens = 0
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
            piece = doc0 if (begin == 0 and end == len(doc0)) else doc0[begin:end].as_doc()
            _set_sentences(piece, local)
            to_parse.append(piece)
        k = j + 1
    stats = FilterStats(len(starts), sum(keeps), len(doc0), kept_tokens)
    return _Plan(doc0, runs, stats), to_parse


def _assemble(plan: _Plan, parsed: Iterator[Doc]) -> Doc:
    """Copy the parsed runs' annotations into the whole tokenised Doc; unparsed runs get
    one root per sentence (dep ROOT, no other arcs) so that their sentences survive: a
    parsed Doc derives sentence starts from the roots of its dependency trees."""
    doc = plan.doc
    if len(plan.runs) == 1 and plan.runs[0][2]:
        return next(parsed)  # the whole text was one parsed run: doc0 itself, parsed
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
    return doc


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
    parsed = iter(nlp.pipe(to_parse, batch_size=batch_size, disable=skip))
    for plan in plans:
        yield _assemble(plan, parsed), plan.stats
