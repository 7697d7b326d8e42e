"""The Dutch tokenizer whose special cases are added on demand gives exactly the tokens of ``spacy.blank("nl")``."""

from __future__ import annotations

import random

import pytest
import spacy

from extract.read.pdf import read_pdf
from extract.run.pipeline import document_lines
from extract.series import lazy_tokenizer
from extract.series.prose import sentences_by_page
from tests.conftest import SAMPLES
from tests.synth import make_factsheet, make_followup

CONTEXTS = ("{}", "Zie ({}) hier.", "x{}y", "{}{}")


def _tokens(doc) -> list[tuple]:
    return [(t.text, t.whitespace_, t.idx, t.norm_, t.lower_, t.is_stop, t.is_alpha, t.is_punct, t.like_num,
             t.is_space) for t in doc]


@pytest.fixture(scope="module")
def reference():
    return spacy.blank("nl")


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> list[str]:
    """Lines and sentences of made-up documents and of a born-digital sample, and every tokenizer exception of
    Dutch in several surroundings (shuffled, so exceptions are met in no particular order)."""
    folder = tmp_path_factory.mktemp("tokens")
    found = []
    paths = [SAMPLES / "almere-2015.pdf"]
    for seed, make in ((5, make_factsheet), (6, make_followup)):
        paths.append(folder / f"{seed}.pdf")
        make(paths[-1], rng_seed=seed)
    for path in paths:
        lines = document_lines(read_pdf(path))
        found += [line.text for line in lines] + [s for _, s in sentences_by_page(lines)]
    keys = list(spacy.blank("nl").Defaults.tokenizer_exceptions)
    found += [context.format(key, key) for key in keys for context in CONTEXTS]
    random.Random(3).shuffle(found)
    return found


@pytest.mark.slow  # a generated corpus: typeset documents' lines and every tokenizer exception in context
def test_the_same_tokens_as_spacy_blank(reference, texts):
    nlp = lazy_tokenizer.blank("nl")
    assert isinstance(nlp.tokenizer, lazy_tokenizer.OnDemandTokenizer)
    for text in texts:
        assert _tokens(nlp(text)) == _tokens(reference(text)), text
    assert len(nlp.tokenizer.added) > 100  # the exceptions were needed, and added


@pytest.mark.slow  # a generated corpus: typeset documents' lines and every tokenizer exception in context
def test_texts_read_before_later_exceptions_keep_their_tokens(reference, texts):
    nlp = lazy_tokenizer.blank("nl")
    first = texts[:300]
    before = [_tokens(nlp(text)) for text in first]
    for text in texts[300::5]:
        nlp(text)
    assert [_tokens(nlp(text)) for text in first] == before == [_tokens(reference(text)) for text in first]


def test_only_exceptions_met_are_added():
    nlp = lazy_tokenizer.blank("nl")
    nlp("De gemeente werkt m.b.t. de aanpak samen.")
    assert "m.b.t." in nlp.tokenizer.added
    assert len(nlp.tokenizer.added) < 50


def test_the_same_tokens_as_spacy_blank_on_a_few_texts(reference):
    """The fast layer's version of the corpus test above: handwritten lines and every 20th tokenizer exception of
    Dutch in each surrounding."""
    keys = list(reference.Defaults.tokenizer_exceptions)[::20]
    texts = ["De gemeente werkt m.b.t. de aanpak samen (o.a. met de GGD).", "Zie blz. 3 t/m 5, d.w.z. het plan.",
             "In 2014 is 25,5% v.d. gezinnen bereikt; zo'n 1.200 in totaal.", "X Er is geen plan.", "✓ Wel."]
    texts += [context.format(key, key) for key in keys for context in CONTEXTS]
    nlp = lazy_tokenizer.blank("nl")
    differ = [text for text in texts if _tokens(nlp(text)) != _tokens(reference(text))]
    assert differ == [] and len(keys) > 20
    assert nlp.tokenizer.added
