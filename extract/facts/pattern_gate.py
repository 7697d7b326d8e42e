"""A quick necessary condition for spaCy ``Matcher`` patterns, checked before the Matcher runs.

A pattern matches a run of consecutive tokens, one token for each of its *required* elements (those without "OP")
and between m and n tokens for an optional or repeated one ("?": 0-1, "{m,n}", "*", "+"). So a sentence can only
match it when its required elements accept tokens in the pattern's order, each the right distance after the one
before (at least the tokens the optional elements between them need, at most the most they take). ``PatternGate``
checks that in plain Python on the tokens' texts (``may_match``), and a weaker form of it on the untokenized text
(``may_match_text``: an element that accepts only certain words needs one of them in the text, a regex needs to
find its match there, an extension the caller can judge on the text needs it); the Matcher's state
machine, which calls Python extension getters token by token, costs many times more, and most sentences of a
document state no fact.

The check is sound by construction: a constraint it does not know (an attribute other than TEXT/ORTH/LOWER and the
extensions it is given, an operator other than equality, IN, NOT_IN and REGEX) is taken to accept every token, and
an operator it does not know is taken to allow any number of tokens, so a sentence it turns away cannot match any
pattern.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

log = logging.getLogger(__name__)

Token = tuple[str, str]  # (text, lower case) of a token, or of a whole sentence
TokenTest = Callable[[Token], bool]
COLUMNS = {"TEXT": 0, "ORTH": 0, "LOWER": 1}  # the token string each attribute compares
Extensions = Mapping[str, Callable[[str], object]]  # a token extension as a function of the token's text
# where anchors or word boundaries could mean something else in a sentence than in one token: not tested on text
UNSAFE_REGEX = re.compile(r"\\[bBAZ]|\(\?|(?<!\[)\^|\\\[\^|(?<!\\)\$")


@dataclass(frozen=True)
class ElementTest:
    """What one pattern element asks of a token: any of ``members`` in one column (a cheap set test), and/or
    ``tests`` on the token itself (both empty: it accepts every token); ``text_tests``: what the whole sentence
    must then pass (each token being a piece of it)."""

    column: int = 0
    members: frozenset[str] | None = None
    tests: tuple[TokenTest, ...] = ()
    text_tests: tuple[TokenTest, ...] = ()

    @property
    def accepts_all(self) -> bool:
        return self.members is None and not self.tests

    def surely_absent(self, columns: tuple[set[str], set[str]]) -> bool:
        """True when no token can be accepted: none of the sentence's token strings is one of ``members``."""
        return self.members is not None and columns[self.column].isdisjoint(self.members)

    def accepts(self, token: Token) -> bool:
        return ((self.members is None or token[self.column] in self.members)
                and all(test(token) for test in self.tests))

    def in_text(self, text: Token) -> bool:
        """Whether a sentence (text, lower case) may hold a token this element accepts."""
        if self.members is not None and not self._any_member.search(text[self.column]):
            return False
        return all(test(text) for test in self.text_tests)

    @cached_property
    def _any_member(self) -> re.Pattern:
        return re.compile("|".join(re.escape(m) for m in sorted(self.members or (), key=len, reverse=True)))


def _regex_in_text(column: int, pattern: str) -> TokenTest | None:
    """The regex without its anchors searched in the whole sentence: whatever it finds in a token it finds there.
    None where that does not hold (word boundaries, lookarounds, anchors inside)."""
    core = pattern[1:] if pattern.startswith("^") else pattern
    core = core[:-1] if core.endswith("$") and not core.endswith("\\$") else core
    if UNSAFE_REGEX.search(core):
        return None
    regex = re.compile(core)
    return lambda text: regex.search(text[column]) is not None


def _string_test(column: int, spec: object) -> tuple[frozenset[str] | None, TokenTest | None, TokenTest | None]:
    """For one string attribute's constraint: a set of allowed values, or a test on a token and one on the whole
    sentence; Nones where unknown."""
    if isinstance(spec, str):
        return frozenset([spec]), None, None
    if isinstance(spec, dict) and len(spec) == 1:
        operator, value = next(iter(spec.items()))
        if operator == "IN" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return frozenset(value), None, None
        if operator == "NOT_IN" and isinstance(value, list):
            banned = frozenset(value)
            return None, lambda token: token[column] not in banned, None
        if operator == "REGEX" and isinstance(value, str):
            regex = re.compile(value)
            return None, lambda token: regex.search(token[column]) is not None, _regex_in_text(column, value)
    return None, None, None


def element_test(element: dict, extensions: Extensions, text_extensions: Extensions | None = None) -> ElementTest:
    """The known part of what ``element`` asks of a token (unknown constraints left out: they accept anything).
    ``text_extensions``: for an extension, whether a sentence may hold a token for which it is true."""
    members: frozenset[str] | None = None
    column = 0
    tests: list[TokenTest] = []
    text_tests: list[TokenTest] = []
    for key, spec in element.items():
        if key in COLUMNS:
            allowed, test, text_test = _string_test(COLUMNS[key], spec)
            if allowed is not None and members is None:
                members, column = allowed, COLUMNS[key]
            elif allowed is not None:  # a second set: checked token by token
                tests.append(lambda token, c=COLUMNS[key], a=allowed: token[c] in a)
            tests += [test] if test else []
            text_tests += [text_test] if text_test else []
        elif key == "_" and isinstance(spec, dict):
            for name, wanted in spec.items():
                getter = extensions.get(name)
                if getter is None or isinstance(wanted, (dict, list)):
                    continue
                tests.append(lambda token, g=getter, w=wanted: g(token[0]) == w)
                holds = (text_extensions or {}).get(name)
                if holds is not None and wanted is True:
                    text_tests.append(lambda text, h=holds: bool(h(text[0])))
    return ElementTest(column, members, tuple(tests), tuple(text_tests))


QUANTIFIER = re.compile(r"^\{(\d*)(,?)(\d*)\}$")
UNBOUNDED = 10**9


def span_of(operator: str) -> tuple[int, int]:
    """The fewest and most tokens an element with this "OP" takes (unknown: any number)."""
    if operator == "?":
        return 0, 1
    if operator == "+":
        return 1, UNBOUNDED
    quantified = QUANTIFIER.match(operator)
    if quantified:
        low, comma, high = quantified.groups()
        least = int(low or 0)
        return least, (int(high) if high else UNBOUNDED) if comma else least
    return 0, UNBOUNDED  # "*", "!" and anything else


@dataclass(frozen=True)
class Step:
    """A required element, and how many tokens may lie between it and the required element before it."""

    key: str
    least: int
    most: int


class PatternGate:
    """Whether a tokenized sentence may match any of a set of Matcher patterns (False: it surely matches none)."""

    def __init__(self, patterns: Iterable[list[dict]], extensions: Extensions,
                 text_extensions: Extensions | None = None):
        """``extensions``: each token extension the patterns use, as a function of the token's text;
        ``text_extensions``: for some of them, whether a whole sentence may hold a token for which it is true."""
        self.tests: dict[str, ElementTest] = {}
        self.patterns: list[tuple[Step, ...]] = []
        for pattern in patterns:
            self.patterns.append(self._steps(pattern, extensions, text_extensions))
        self.always = any(not steps for steps in self.patterns)  # a pattern with nothing required
        log.debug("pattern gate: %d patterns, %d distinct elements", len(self.patterns), len(self.tests))

    def _steps(self, pattern: list[dict], extensions: Extensions,
               text_extensions: Extensions | None) -> tuple[Step, ...]:
        steps: list[Step] = []
        least = most = 0  # tokens the elements since the last required one take
        for element in pattern:
            if "OP" in element:
                low, high = span_of(str(element["OP"]))
                least, most = least + low, min(UNBOUNDED, most + high)
                continue
            key = json.dumps(element, sort_keys=True, default=str)
            test = self.tests.setdefault(key, element_test(element, extensions, text_extensions))
            if test.accepts_all:  # any token will do: one more token between its neighbours
                least, most = least + 1, min(UNBOUNDED, most + 1)
                continue
            steps.append(Step(key, least, most))
            least = most = 0
        return tuple(steps)

    def may_match_text(self, text: str) -> bool:
        """Whether ``text`` may match, judged before it is tokenized: every token is a piece of the text, so an
        element that accepts only some words needs one of them in it (lower-cased for LOWER)."""
        if self.always:
            return True
        pieces = (text, text.lower())
        found: dict[str, bool] = {}
        for steps in self.patterns:
            for step in steps:
                if step.key not in found:
                    found[step.key] = self.tests[step.key].in_text(pieces)
                if not found[step.key]:
                    break
            else:
                return True
        return False

    def may_match(self, tokens: list[Token]) -> bool:
        if self.always:
            return True
        columns = ({t[0] for t in tokens}, {t[1] for t in tokens})
        text = " ".join(t[0] for t in tokens)
        pieces = (text, text.lower())
        in_text: dict[str, bool] = {}
        found: dict[str, list[int]] = {}

        def positions(key: str) -> list[int]:
            if key not in found:
                test = self.tests[key]
                found[key] = [] if test.surely_absent(columns) else [
                    i for i, token in enumerate(tokens) if test.accepts(token)]
            return found[key]

        def possible(key: str) -> bool:
            if key not in in_text:
                in_text[key] = self.tests[key].in_text(pieces)
            return in_text[key]

        for steps in self.patterns:
            if not all(possible(step.key) for step in steps):
                continue  # an element the sentence cannot satisfy at all (cheap, cached)
            if any(not positions(step.key) for step in steps):  # an element no token satisfies
                continue
            if self._in_order(steps, positions):
                return True
        return False

    @staticmethod
    def _in_order(steps: tuple[Step, ...], positions: Callable[[str], list[int]]) -> bool:
        """Whether the required elements accept tokens in order, each at an allowed distance after the one before."""
        reachable = positions(steps[0].key)
        for step in steps[1:]:
            reachable = [p for p in positions(step.key)
                         if any(step.least <= p - q - 1 <= step.most for q in reachable)]
            if not reachable:
                return False
        return True
