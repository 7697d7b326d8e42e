"""Stage: report. National figures from the STJ national report: statements such as "28 van de 30 onderzochte
aanpakken (93%)", "in 26 aanpakken (87%)", "In tweederde van de onderzochte aanpakken (67%)", "In 80% …" or
"In 93 procent …". Counts may be written in words ("twintig van de dertig aanpakken"): numbers are read by
``extract.numbers``.

Sentences are found in the report's text (text layer or OCR), figures with spaCy ``Matcher`` patterns kept in
``models/national_figures_patterns.json``, and the topic of each sentence is mapped onto a framework indicator with
the phrase list in ``models/national_topics.json``. Reading a sentence never raises: a figure whose numbers cannot
all be read keeps what could be read (None for the rest), and a figure with no number at all is skipped.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from extract.core.records import DocumentContext, Line
from extract.core.rows import NationalFigure
from extract.facts.pattern_gate import PatternGate
from extract.series.assets import MODELS_DIR
from extract.series.nlp import dutch
from extract.series.numbers import (TEXT_EXTENSIONS, TOKEN_EXTENSIONS, is_number_token, parse_number,
                                    register_token_extensions)
from extract.series.prose import sentences

if TYPE_CHECKING:  # spaCy is imported where a report is first read, not with this module
    from spacy.matcher import Matcher
    from spacy.tokens import Span

log = logging.getLogger(__name__)

PATTERNS_FILE = MODELS_DIR / "national_figures_patterns.json"
TOPICS_FILE = MODELS_DIR / "national_topics.json"
FRACTIONS = {"tweederde": 2 / 3, "eenderde": 1 / 3, "derde": 1 / 3, "driekwart": 3 / 4, "helft": 1 / 2,
             "kwart": 1 / 4}
PRIORITY = ["N_OF_M_P", "N_OF_M", "FRACTION_P", "N_P", "IN_P"]  # of overlapping matches, the earlier label wins
LATER_PERCENT = re.compile(r"\((\d{1,3}(?:[.,]\d+)?)\s*(?:%|procent|percent)\s*\)", re.IGNORECASE)
PERCENT_HINT = re.compile(r"%|procent|percent| van de ", re.IGNORECASE)
Figure = tuple[int | None, int | None, float | None, tuple[int, int]]


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    dutch()  # spaCy loaded the quick way (extract.nlp.load_spacy) before anything of it is imported here
    from spacy.matcher import Matcher

    register_token_extensions()
    matcher = Matcher(dutch().vocab)
    for label, alternatives in _patterns().items():
        matcher.add(label, alternatives)
    return matcher


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[list[dict]]]:
    """The figure patterns by label (keys starting with "_" are comments)."""
    patterns = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
    return {label: alternatives for label, alternatives in patterns.items() if not label.startswith("_")}


@lru_cache(maxsize=1)
def _gate() -> PatternGate:
    """A sentence this turns away matches no figure pattern: the Matcher is spared it."""
    return PatternGate([p for alternatives in _patterns().values() for p in alternatives], TOKEN_EXTENSIONS,
                       TEXT_EXTENSIONS)


@lru_cache(maxsize=1)
def _topics() -> list[tuple[str, str]]:
    return [tuple(t) for t in json.loads(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]]


def _numbers(span: Span) -> list[float]:
    """The numbers of a match in reading order: digits ('28', '93%', '66,7') and number words ('twintig')."""
    values = []
    for token in span:
        if any(c.isdigit() for c in token.text) or is_number_token(token.text):
            value = parse_number(token.text)
            if value is not None:
                values.append(value)
    return values


def _at(values: list[float], index: int) -> float | None:
    return values[index] if index < len(values) else None


def _count(value: float | None) -> int | None:
    """A count of aanpakken: a whole, non-negative number, else None."""
    return int(value) if value is not None and value >= 0 and float(value).is_integer() else None


def _later_percent(sentence: str, after: int) -> float | None:
    later = LATER_PERCENT.search(sentence[after:])
    return parse_number(later.group(1)) if later else None


def _figure(label: str, values: list[float], sentence: str,
            end_char: int) -> tuple[int | None, int | None, float | None]:
    """(n, total, percent) of one match; None where the match does not give (or we cannot read) a part."""
    if label == "N_OF_M_P":
        return _count(_at(values, 0)), _count(_at(values, 1)), _at(values, 2)
    if label == "N_OF_M":
        n, total = _count(_at(values, 0)), _count(_at(values, 1))
        percent = _later_percent(sentence, end_char)
        if percent is None and n is not None and total:
            percent = round(100 * n / total)
        return n, total, percent
    if label == "N_P":
        return _count(_at(values, 0)), None, _at(values, 1)
    return None, None, _at(values, 0)  # FRACTION_P, IN_P: the only number is the percentage


def figures_in_sentence(sentence: str) -> list[Figure]:
    """(n, total, percent, character span) for each figure statement in a sentence. Never raises: parts that
    cannot be read are None, and a match without any readable number, or with a percentage outside 0-100, is
    skipped."""
    if not sentence or not sentence.strip():
        return []
    if not _gate().may_match_text(sentence):
        return []
    doc = dutch()(sentence)
    if not _gate().may_match([(t.text, t.lower_) for t in doc]):
        return []
    matches = sorted(_matcher()(doc), key=lambda m: (PRIORITY.index(doc.vocab.strings[m[0]]), m[1], -m[2]))
    taken: list[tuple[int, int]] = []
    found = []
    for match_id, start, end in matches:
        if any(start < e and s < end for s, e in taken):
            continue
        span = doc[start:end]
        end_char = span.end_char - 1  # the search for a later "(P%)" starts at the match's last character
        n, total, percent = _figure(doc.vocab.strings[match_id], _numbers(span), sentence, end_char)
        if (n, total, percent) == (None, None, None) or percent is not None and not 0 <= percent <= 100:
            log.debug("figure skipped (nothing readable or percentage out of range): %r", span.text)
            continue
        taken.append((start, end))
        found.append((n, total, float(percent) if percent is not None else None, (span.start_char, span.end_char)))
    return found


def topic_of(sentence: str, span: tuple[int, int], lead: str = "") -> tuple[str, str]:
    """The sentence's topic phrase (from the topic list) and its indicator, or the words after the figure. The
    phrase may stand in the sentence's lead (the heading or figure caption before it: "Figuur 10: Afspraken over
    nazorg" before "Binnen 18 aanpakken (60%) zijn afspraken gemaakt ...")."""
    lowered = f"{lead} {sentence}".lower()
    for phrase, indicator_id in _topics():
        if phrase in lowered:
            return phrase, indicator_id
    rest = re.sub(r"^[\s,.:;()%\d]+", "", sentence[span[1]:])
    return " ".join(rest.split()[:8]), ""


def national_figures(document: DocumentContext, lines: list[Line]) -> list[NationalFigure]:
    figures = []
    for found in sentences(lines):
        if not PERCENT_HINT.search(found.text):
            continue
        for n, total, percent, span in figures_in_sentence(found.text):
            topic, indicator_id = topic_of(found.text, span, found.lead)
            figures.append(NationalFigure(document.doc_id, found.page, topic, n, total, percent, found.text,
                                          indicator_id))
    return figures
