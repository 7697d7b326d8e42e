"""Dutch numbers in digits and in words, for the spaCy ``Matcher`` and for reading the value a match stands for.

Digits follow Dutch notation: "144.000" (thousands dot), "1,5" (decimal comma), "3%" (percent sign dropped).
Words are read by splitting a (compound) word into number parts ("drieduizendvijfhonderd" → drie, duizend, vijf,
honderd) and adding them up the way Dutch is spoken: a unit before "en" and a tens word ("eenentwintig"), a factor
before "honderd", a group before "duizend"/"miljoen"/"miljard". "anderhalf" is 1.5 and "…enhalf" adds a half.

A number may span tokens ("1,5 miljoen", "12 duizend", "twee duizend"): ``phrase_value`` reads such a run.

Two token extensions make numbers visible to ``Matcher`` patterns:

- ``Token._.stj_num``: the token is a number (digits or a number word). The bare article "een" and a bare "half"
  are not (they are words far more often than numbers), "één" is; a percentage such as "3%" is not (a share, not
  a count: patterns that want one match it explicitly).
- ``Token._.stj_num_tail``: the token is a number word with a multiplier in it, which can continue a number
  ("12 *duizend*", "1,5 *miljoen*", "twee *duizend* *vijfhonderd*").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

log = logging.getLogger(__name__)

UNITS = {"nul": 0, "een": 1, "één": 1, "eén": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
         "acht": 8, "negen": 9}
TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
         "zeventien": 17, "achttien": 18, "negentien": 19}
TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80,
        "negentig": 90}
HUNDRED = {"honderd": 100}
LARGE = {"duizend": 1_000, "miljoen": 1_000_000, "miljard": 1_000_000_000}
HALVES = {"anderhalf": 1.5, "anderhalve": 1.5}
AND = ("en", "ën")
HALF = "half"
PARTS = {**UNITS, **TEENS, **TENS, **HUNDRED, **LARGE, **HALVES}
# longest first, so "zeventien" is not read as "zeven" + "tien" and "achttien" not as "acht" + "tien"
MORPHEMES = sorted([*PARTS, *AND, HALF], key=len, reverse=True)
NOT_ALONE = {"een", "half", "en", "ën"}  # an article, an adjective, a conjunction: no number on their own

THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
DECIMAL = re.compile(r"\d+(,\d+)?")
PERCENT_WORDS = ("%", "procent", "percent")


def parse_digits(text: str) -> float | None:
    """'144.000' → 144000, '25.445' → 25445, '1,5' → 1.5, '3%' → 3, '750' → 750; None when it is no number."""
    cleaned = text.strip().rstrip("%").replace("\u00a0", "").strip()
    if THOUSANDS.fullmatch(cleaned):
        return float(cleaned.replace(".", ""))
    if DECIMAL.fullmatch(cleaned):
        return float(cleaned.replace(",", "."))
    return None


def _normalise(word: str) -> str:
    """Lower case, NFC (so 'ë' and 'é' are one character each), no hyphens ('twee-duizend')."""
    return unicodedata.normalize("NFC", word.strip().lower()).replace("-", "")


def split_number_word(word: str) -> list[str] | None:
    """The number parts of a number word, longest part first at each position; None when it is not made of them."""
    text = _normalise(word)
    parts: list[str] = []
    position = 0
    while position < len(text):
        part = next((m for m in MORPHEMES if text.startswith(m, position)), None)
        if part is None:
            return None
        parts.append(part)
        position += len(part)
    return parts or None


def _well_formed(parts: list[str]) -> bool:
    """'en' only between a unit and a tens word (or before 'half'); no two small numbers side by side."""
    for index, part in enumerate(parts):
        before = parts[index - 1] if index else None
        after = parts[index + 1] if index + 1 < len(parts) else None
        if part in AND:
            if before not in UNITS or not (after in TENS or after == HALF):
                return False
        elif part == HALF:
            if before not in AND:
                return False
        elif before is not None and before not in AND and _small(before) and _small(part):
            return False
    return True


def _small(part: str) -> bool:
    return part in UNITS or part in TEENS or part in TENS or part in HALVES


def _sum_parts(values: list[float]) -> float:
    """Add number parts up: factors multiply 'honderd' and the large words, everything else is added."""
    total = 0.0
    group = 0.0
    for value in values:
        if value == 100:
            group = (group or 1) * 100
        elif value >= 1_000:
            total += (group or 1) * value
            group = 0.0
        else:
            group += value
    return total + group


def parse_number_word(word: str) -> float | None:
    """'twee' → 2, 'eenentwintig' → 21, 'honderdvijftig' → 150, 'drieduizendvijfhonderd' → 3500,
    'anderhalf' → 1.5, 'tweeënhalf' → 2.5; None when the word is no number word."""
    parts = split_number_word(word)
    if not parts or not _well_formed(parts) or all(p in AND or p == HALF for p in parts):
        return None
    return _sum_parts([0.5 if p == HALF else PARTS[p] for p in parts if p not in AND])


@lru_cache(maxsize=65536)
def parse_number(text: str) -> float | None:
    """A number written in digits or in one word; None otherwise."""
    value = parse_digits(text)
    return value if value is not None else parse_number_word(text)


def phrase_value(words: list[str]) -> float | None:
    """The value of a run of number tokens: '1,5 miljoen' → 1500000, '12 duizend' → 12000,
    'twee duizend vijfhonderd' → 2500. None when a token is no number or the run does not read as one number
    (digits may only be followed by words that start with 'honderd', 'duizend', 'miljoen' or 'miljard')."""
    if not words:
        return None
    if len(words) == 1:
        return parse_number(words[0])
    head = parse_digits(words[0])
    if head is None:
        return parse_number_word("".join(words))
    parts = split_number_word("".join(words[1:]))
    if not parts or parts[0] not in HUNDRED and parts[0] not in LARGE or not _well_formed(parts):
        return None
    return _sum_parts([head] + [0.5 if p == HALF else PARTS[p] for p in parts if p not in AND])


@lru_cache(maxsize=65536)
def is_number_token(text: str) -> bool:
    """True for a number in digits (not a percentage) or a number word that can stand alone."""
    if "%" in text or _normalise(text) in NOT_ALONE:
        return False
    return parse_number(text) is not None


@lru_cache(maxsize=65536)
def is_number_tail(text: str) -> bool:
    """True for a number word with 'honderd', 'duizend', 'miljoen' or 'miljard' in it, which can continue a
    number ('12 *duizend*', 'twee *duizend* *vijfhonderd*')."""
    if any(c.isdigit() for c in text) or parse_number_word(text) is None:
        return False
    return any(part in HUNDRED or part in LARGE for part in split_number_word(text) or [])


def is_percent_word(text: str) -> bool:
    return text.lower() in PERCENT_WORDS


def may_hold_number(text: str) -> bool:
    """False only when no token of ``text`` can be a number: no digit, and no number part in its words."""
    if DIGIT.search(text):  # numbers in digits are read with \d (parse_digits)
        return True
    plain = text.lower()
    return bool(NUMBER_PART.search(plain) or NUMBER_PART.search(_normalise(plain)))


DIGIT = re.compile(r"\d")
NUMBER_PART = re.compile("|".join(re.escape(part) for part in sorted(PARTS, key=len, reverse=True)))


TOKEN_EXTENSIONS = {"stj_num": is_number_token, "stj_num_tail": is_number_tail}  # each of the token's text
TEXT_EXTENSIONS = {"stj_num": may_hold_number, "stj_num_tail": may_hold_number}  # of a whole sentence


def register_token_extensions() -> None:
    """Make ``Token._.stj_num`` and ``Token._.stj_num_tail`` available (idempotent)."""
    from spacy.tokens import Token  # here, not at import: spaCy is loaded only where prose is read

    for name, test in TOKEN_EXTENSIONS.items():
        if not Token.has_extension(name):
            Token.set_extension(name, getter=lambda token, test=test: test(token.text))
