"""spaCy's Dutch tokenizer, with its special cases added when a text that holds them is first tokenized.

``spacy.blank("nl")`` spends nearly all of its half second adding the language's 4,670 tokenizer exceptions
("a.d.h.v.", "m.b.t.", emoticons, ...), each with the lexemes of its pieces, while a run meets a few dozen of them. A
special case can only change how a text is tokenized when its key is a piece of that text: the tokenizer looks
special cases up by the exact string of a chunk (or of what is left of it once prefixes and suffixes are split off),
and its matcher of special cases matches token sequences that spell the key without a space between them. So this
tokenizer is spaCy's own (``spacy.Tokenizer.v1`` with the language's prefixes, suffixes, infixes, token and URL
matches) started without exceptions, and before each text it adds every exception whose key occurs in it: the
tokens are the same as those of the full tokenizer (tests/test_lazy_tokenizer.py holds it to that).

Keys with a space character in them are added at once; every other key lies inside one whitespace-separated chunk,
so each distinct chunk of the texts is searched once per process, by the keys' first letters.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

FACTORY = "stj.dutch_tokenizer_on_demand.v1"  # the name it is registered under in spaCy's tokenizer registry
HEAD = 3  # keys are found by their first HEAD characters (shorter keys whole)


class OnDemandTokenizer:
    """A spaCy ``Tokenizer`` without special cases, and the special cases (``rules``) it is given as texts need
    them. Called like the tokenizer (``tokenizer(text) -> Doc``); ``Language.make_doc`` and ``pipe`` use it so."""

    def __init__(self, tokenizer: Tokenizer, rules: Mapping[str, list[dict]]):
        self.tokenizer = tokenizer
        self.rules = rules
        self.added: set[str] = set()
        self.seen: set[str] = set()  # chunks already searched
        self.short: set[str] = set()
        self.by_head: dict[str, list[str]] = defaultdict(list)
        for key in rules:
            if any(c.isspace() for c in key):
                self._add(key)
            elif len(key) < HEAD:
                self.short.add(key)
            else:
                self.by_head[key[:HEAD]].append(key)

    def __call__(self, text: str) -> Doc:
        self.prepare(text)
        return self.tokenizer(text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def prepare(self, text: str) -> None:
        """Add the special cases whose keys occur in ``text``."""
        for chunk in text.split():
            if chunk in self.seen:
                continue
            self.seen.add(chunk)
            for key in self.keys_in(chunk):
                if key not in self.added:
                    self._add(key)

    def keys_in(self, chunk: str) -> set[str]:
        found = set()
        for start in range(len(chunk)):
            for length in range(1, HEAD):
                piece = chunk[start:start + length]
                if len(piece) == length and piece in self.short:
                    found.add(piece)
            for key in self.by_head.get(chunk[start:start + HEAD], ()):
                if chunk.startswith(key, start):
                    found.add(key)
        return found

    def _add(self, key: str) -> None:
        self.tokenizer.add_special_case(key, self.rules[key])
        self.added.add(key)

    def __getattr__(self, name: str):  # anything else (vocab, explain, ...) is the tokenizer's own
        if name in ("tokenizer", "rules", "added", "seen", "short", "by_head"):  # not yet set: no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def make_tokenizer(nlp: Language) -> OnDemandTokenizer:
    """spaCy's ``create_tokenizer`` for ``nlp``'s language, with the exceptions left to ``OnDemandTokenizer``."""
    from spacy import util
    from spacy.tokenizer import Tokenizer

    defaults = nlp.Defaults
    tokenizer = Tokenizer(
        nlp.vocab,
        rules={},
        prefix_search=util.compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
        suffix_search=util.compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=util.compile_infix_regex(defaults.infixes).finditer if defaults.infixes else None,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )
    return OnDemandTokenizer(tokenizer, defaults.tokenizer_exceptions)


def blank(lang: str) -> Language:
    """``spacy.blank(lang)`` with the on-demand tokenizer."""
    import spacy
    from spacy.util import registry

    if FACTORY not in registry.tokenizers:
        registry.tokenizers.register(FACTORY, func=lambda: make_tokenizer)
    return spacy.blank(lang, config={"nlp": {"tokenizer": {"@tokenizers": FACTORY}}})
