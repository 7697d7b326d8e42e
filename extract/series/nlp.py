"""Dutch language tools on ``spacy.blank("nl")``: tokenizer, stop words and lookup lemmas from ``models/``.

No model is downloaded: the lemma table ``models/nl_lemma_lookup.json.gz`` is spaCy's own Dutch lookup table
(from spacy-lookups-data, MIT licence), shipped with the project.

Everything is loaded on first use, once per process (a worker forked from a process that loaded it shares it), and
spaCy itself is only imported then: a run that reads no prose does not pay for it. Lemmas are looked up the way
spaCy's Dutch lookup lemmatizer does it (the lower-cased token text in the table, else the lower-cased text), from a
plain dict: building spaCy's own ``Lookups`` table of the 200,000 entries cost more than everything else here.
"""

from __future__ import annotations

import gc
import gzip
import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from extract.series.assets import MODELS_DIR

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
    load_spacy()
    from extract.series.lazy_tokenizer import blank

    nlp = blank("nl")
    gc.freeze()  # spaCy's objects stay for the process: kept out of the cyclic collector's way from now on
    return nlp


SPACY_CLI = ("spacy.cli", "spacy.cli.info")  # what ``import spacy`` imports only for its command line


def load_spacy() -> ModuleType:
    """spaCy, imported once per process without its command-line interface: ``spacy/__init__`` imports
    ``spacy.cli.info`` for ``spacy.info`` alone, and with it every CLI command and their libraries (typer, weasel,
    requests, jinja2: a third of spaCy's import time). A stand-in serves ``spacy.info`` (importing the real one when
    called) and is taken away once spaCy is in, so a later ``import spacy.cli`` gets the real one. Should spaCy's
    import change so that the stand-in does not do, spaCy is imported again as it is."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stand_ins = _cli_stand_ins()
    sys.modules.update(stand_ins)
    try:
        import spacy
    except Exception:  # noqa: BLE001 - any trouble: forget the half-imported spaCy and import it whole
        log.warning("spaCy could not be imported without its command line; imported whole", exc_info=True)
        _drop(stand_ins)
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        _drop(stand_ins)
    return spacy


def _cli_stand_ins() -> dict[str, ModuleType]:
    package, info = ModuleType(SPACY_CLI[0]), ModuleType(SPACY_CLI[1])
    package.__path__ = []  # a package (with nothing in it)

    def real_info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = real_info
    return {SPACY_CLI[0]: package, SPACY_CLI[1]: info}


def _drop(stand_ins: dict[str, ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


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


@lru_cache(maxsize=2)
def dutch_words(stop_words: bool = True) -> WordSet:
    """Every Dutch word form and lemma of the lookup table, lower case, and (``stop_words``) spaCy's Dutch stop words:
    a vocabulary to tell a word from a piece (prose), or a word that needs no OCR repair (``stop_words=False``: the
    table alone, and spaCy is not imported)."""
    table = _lemma_table()
    if not stop_words:
        return WordSet(table, frozenset(table.values()))
    load_spacy()
    from spacy.lang.nl.stop_words import STOP_WORDS

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
