"""A quick necessary condition for spaCy ``Matcher`` patterns, checked before the Matcher runs.

A pattern matches a run of consecutive tokens, one token for each of its *required* elements (those without "OP")
and between m and n tokens for an optional or repeated one ("?": 0-1, "{m,n}", "*", "+"). So a sentence can only
match it when its required elements accept tokens in the pattern's order, each the right distance after the one
before (at least the tokens the optional elements between them need, at most the most they take). ``PatternGate``
checks that in plain Python on the tokens' texts (``may_match``), and a weaker form of it on the untokenized text
(``may_match_text``: an element that accepts only certain words needs one of them in the text); the Matcher's state
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

log = logging.getLogger(__name__)

Token = tuple[str, str]  # (text, lower case)
TokenTest = Callable[[Token], bool]
COLUMNS = {"TEXT": 0, "ORTH": 0, "LOWER": 1}  # the token string each attribute compares


@dataclass(frozen=True)
class ElementTest:
    """What one pattern element asks of a token: any of ``members`` in one column (a cheap set test), and/or
    ``tests`` on the token itself; both empty: it accepts every token."""

    column: int = 0
    members: frozenset[str] | None = None
    tests: tuple[TokenTest, ...] = ()

    @property
    def accepts_all(self) -> bool:
        return self.members is None and not self.tests

    def found_in(self, tokens: list[Token], columns: tuple[set[str], set[str]]) -> bool:
        """Whether some token may be accepted (a set test on the sentence's strings first)."""
        if self.members is not None and columns[self.column].isdisjoint(self.members):
            return False
        return not self.tests or any(self.accepts(token) for token in tokens)

    def accepts(self, token: Token) -> bool:
        return ((self.members is None or token[self.column] in self.members)
                and all(test(token) for test in self.tests))


def _string_test(column: int, spec: object) -> tuple[frozenset[str] | None, TokenTest | None]:
    """A set of allowed values, or a test, for one string attribute's constraint; (None, None) when unknown."""
    if isinstance(spec, str):
        return frozenset([spec]), None
    if isinstance(spec, dict) and len(spec) == 1:
        operator, value = next(iter(spec.items()))
        if operator == "IN" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return frozenset(value), None
        if operator == "NOT_IN" and isinstance(value, list):
            banned = frozenset(value)
            return None, lambda token: token[column] not in banned
        if operator == "REGEX" and isinstance(value, str):
            regex = re.compile(value)
            return None, lambda token: regex.search(token[column]) is not None
    return None, None


def _extension_test(name: str, wanted: object, extensions: Mapping[str, Callable[[str], object]]) -> TokenTest | None:
    getter = extensions.get(name)
    if getter is None or isinstance(wanted, dict):
        return None
    return lambda token: getter(token[0]) == wanted


def element_test(element: dict, extensions: Mapping[str, Callable[[str], object]]) -> ElementTest:
    """The known part of what ``element`` asks of a token (unknown constraints left out: they accept anything)."""
    members: frozenset[str] | None = None
    column = 0
    tests: list[TokenTest] = []
    for key, spec in element.items():
        if key in COLUMNS:
            allowed, test = _string_test(COLUMNS[key], spec)
            if allowed is not None and members is None:
                members, column = allowed, COLUMNS[key]
            elif allowed is not None:  # a second set: checked token by token
                tests.append(lambda token, c=COLUMNS[key], a=allowed: token[c] in a)
            if test is not None:
                tests.append(test)
        elif key == "_" and isinstance(spec, dict):
            tests += [t for name, wanted in spec.items() if (t := _extension_test(name, wanted, extensions))]
    return ElementTest(column, members, tuple(tests))


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

    def __init__(self, patterns: Iterable[list[dict]], extensions: Mapping[str, Callable[[str], object]]):
        self.tests: dict[str, ElementTest] = {}
        self.patterns: list[tuple[Step, ...]] = []
        for pattern in patterns:
            self.patterns.append(self._steps(pattern, extensions))
        self.always = any(not steps for steps in self.patterns)  # a pattern with nothing required
        log.debug("pattern gate: %d patterns, %d distinct elements", len(self.patterns), len(self.tests))

    def _steps(self, pattern: list[dict], extensions: Mapping[str, Callable[[str], object]]) -> tuple[Step, ...]:
        steps: list[Step] = []
        least = most = 0  # tokens the elements since the last required one take
        for element in pattern:
            if "OP" in element:
                low, high = span_of(str(element["OP"]))
                least, most = least + low, min(UNBOUNDED, most + high)
                continue
            key = json.dumps(element, sort_keys=True, default=str)
            test = self.tests.setdefault(key, element_test(element, extensions))
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
                    test = self.tests[step.key]
                    found[step.key] = test.members is None or any(m in pieces[test.column] for m in test.members)
                if not found[step.key]:
                    break
            else:
                return True
        return False

    def may_match(self, tokens: list[Token]) -> bool:
        if self.always:
            return True
        columns = ({t[0] for t in tokens}, {t[1] for t in tokens})
        found: dict[str, list[int]] = {}

        def positions(key: str) -> list[int]:
            if key not in found:
                test = self.tests[key]
                found[key] = [] if not test.found_in(tokens, columns) else [
                    i for i, token in enumerate(tokens) if test.accepts(token)]
            return found[key]

        for steps in self.patterns:
            if any(not positions(step.key) for step in steps):  # an element no token satisfies (cheap, cached)
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
