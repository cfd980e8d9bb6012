"""polybius.nlp.doc_text: a Doc's text built once, never a stale one."""

from __future__ import annotations

from polybius.nlp import doc_text, remember_text
from polybius.prefilter import prefiltered_docs

TEXTS = [
    "Ruritania's envoy met officials of Freedonia on Tuesday.\n\n"
    "The weather was mild and the markets were calm.",
    "  Leading spaces, a tab\tand a trailing newline.\n",
    "",
]


def test_doc_text_equals_spacy_text_and_is_kept(nlp) -> None:
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert doc_text(doc) == doc.text == text
        assert doc.user_data["polybius.text"] == text


def test_a_copied_text_that_does_not_fit_is_rebuilt(nlp) -> None:
    doc = nlp.make_doc(TEXTS[0])
    doc_text(doc)
    span_doc = doc[0:5].as_doc(copy_user_data=True)  # carries the whole text along
    assert span_doc.user_data["polybius.text"] == TEXTS[0]
    assert doc_text(span_doc) == span_doc.text == "Ruritania's envoy met officials "


def test_remember_text_is_what_doc_text_returns(nlp) -> None:
    doc = nlp.make_doc("Two words")
    assert remember_text(doc, "Two words") is doc
    doc.user_data["polybius.text"] = "Two wordz"  # same length: trusted, as documented
    assert doc_text(doc) == "Two wordz"


def test_prefiltered_docs_carry_their_input_text(nlp) -> None:
    for on in (True, False):
        docs = prefiltered_docs(TEXTS, nlp, prefilter=on)
        for text, (doc, _stats) in zip(TEXTS, docs, strict=True):
            assert doc.user_data["polybius.text"] == text == doc.text
