"""Dutch language tools on ``spacy.blank("nl")``: tokenizer, stop words and lookup lemmas from ``models/``.

No model is downloaded: the lemma table ``models/nl_lemma_lookup.json.gz`` is spaCy's own Dutch lookup table
(from spacy-lookups-data, MIT licence), shipped with the project.

Everything is loaded on first use, once per process (a worker forked from a process that loaded it shares it), and
spaCy itself is only imported then: a run that reads no prose does not pay for it. Lemmas are looked up the way
spaCy's Dutch lookup lemmatizer does it (the lower-cased token text in the table, else the lower-cased text), from a
plain dict: building spaCy's own ``Lookups`` table of the 200,000 entries cost more than everything else here.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .paths import MODELS_DIR

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

LEMMA_TABLE = MODELS_DIR / "nl_lemma_lookup.json.gz"
MIN_CONTENT_WORD = 3  # content words have at least this many letters


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    with gzip.open(LEMMA_TABLE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def dutch() -> Language:
    """A blank Dutch pipeline: spaCy's Dutch tokenizer, stop words and lexical attributes (cached per process).
    It has no components: ``lemma`` gives a token's lemma. Its tokenizer adds the language's exceptions as texts
    need them (``extract.lazy_tokenizer``: the same tokens, without building all 4,670 of them up front)."""
    from .lazy_tokenizer import blank

    return blank("nl")


def lemma(text: str) -> str:
    """The lookup lemma of a token's text, as spaCy's Dutch lookup lemmatizer gives it (lower case)."""
    lowered = text.lower()
    return _lemma_table().get(lowered, lowered)


@dataclass(frozen=True)
class WordSet:
    """Words, as a set to test membership in: the lemma table's forms (its keys, not copied) and other words."""

    forms: Mapping[str, str]
    others: frozenset[str]

    def __contains__(self, word: object) -> bool:
        return word in self.forms or word in self.others


@lru_cache(maxsize=1)
def dutch_words() -> WordSet:
    """Every Dutch word form and lemma of the lookup table and spaCy's Dutch stop words, lower case: a vocabulary to
    tell a word from a piece."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    table = _lemma_table()
    return WordSet(table, frozenset(table.values()) | frozenset(STOP_WORDS))


@lru_cache(maxsize=4096)
def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas of the content words of ``text`` (no stop words, punctuation or numbers), lower case."""
    doc = dutch().make_doc(text)
    return frozenset(
        (lemma(tok.text) or tok.text).lower()
        for tok in doc
        if tok.is_alpha and not tok.is_stop and len(tok.text) >= MIN_CONTENT_WORD
    )
