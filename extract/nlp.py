"""Dutch language tools on ``spacy.blank("nl")``: tokenizer, stop words and lookup lemmas from ``models/``.

No model is downloaded: the lemma table ``models/nl_lemma_lookup.json.gz`` is spaCy's own Dutch lookup table
(from spacy-lookups-data, MIT licence), shipped with the project.
"""

from __future__ import annotations

import gzip
import json
import logging
from functools import lru_cache

import spacy
from spacy.lookups import Lookups

from .paths import MODELS_DIR

log = logging.getLogger(__name__)

LEMMA_TABLE = MODELS_DIR / "nl_lemma_lookup.json.gz"


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    with gzip.open(LEMMA_TABLE, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def dutch() -> spacy.language.Language:
    """A blank Dutch pipeline with a lookup lemmatizer (cached per process)."""
    nlp = spacy.blank("nl")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", _lemma_table())
    lemmatizer.initialize(lookups=lookups)
    return nlp


@lru_cache(maxsize=1)
def dutch_words() -> frozenset[str]:
    """Every Dutch word form and lemma of the lookup table, lower case: a vocabulary to tell a word from a piece."""
    table = _lemma_table()
    return frozenset(table) | frozenset(table.values()) | frozenset(dutch().Defaults.stop_words)


@lru_cache(maxsize=4096)
def content_lemmas(text: str) -> frozenset[str]:
    """The lemmas of the content words of ``text`` (no stop words, punctuation or numbers), lower case."""
    doc = dutch()(text)
    return frozenset(
        (tok.lemma_ or tok.text).lower()
        for tok in doc
        if tok.is_alpha and not tok.is_stop and len(tok.text) > 2
    )
