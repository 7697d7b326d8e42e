"""Stage: report. National figures from the STJ national report: statements such as "28 van de 30 onderzochte
aanpakken (93%)", "in 26 aanpakken (87%)", "In tweederde van de onderzochte aanpakken (67%)" or "In 80% …".

Sentences are found in the report's text (text layer or OCR), figures with spaCy ``Matcher`` patterns kept in
``models/national_figures_patterns.json``, and the topic of each sentence is mapped onto a framework indicator with
the phrase list in ``models/national_topics.json``.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import Matcher

from .nlp import dutch
from .paths import MODELS_DIR
from .records import Line
from .segment import sentences_by_page

log = logging.getLogger(__name__)

PATTERNS_FILE = MODELS_DIR / "national_figures_patterns.json"
TOPICS_FILE = MODELS_DIR / "national_topics.json"
FRACTIONS = {"tweederde": 2 / 3, "eenderde": 1 / 3, "derde": 1 / 3, "driekwart": 3 / 4, "helft": 1 / 2,
             "kwart": 1 / 4}
PRIORITY = ["N_OF_M_P", "N_OF_M", "FRACTION_P", "N_P", "IN_P"]  # of overlapping matches, the earlier label wins


@dataclass
class NationalFigure:
    doc_id: str
    page: int
    topic: str
    n: int | None
    total: int | None
    percent: float | None
    sentence: str
    indicator_id: str


@lru_cache(maxsize=1)
def _matcher() -> Matcher:
    matcher = Matcher(dutch().vocab)
    patterns = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
    for label, alternatives in patterns.items():
        if not label.startswith("_"):
            matcher.add(label, alternatives)
    return matcher


@lru_cache(maxsize=1)
def _topics() -> list[tuple[str, str]]:
    return [tuple(t) for t in json.loads(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]]


def _number(token_text: str) -> int | None:
    digits = re.sub(r"\D", "", token_text)
    return int(digits) if digits else None


def figures_in_sentence(sentence: str) -> list[tuple[int | None, int | None, float | None, tuple[int, int]]]:
    """(n, total, percent, character span) for each figure statement in a sentence."""
    doc = dutch()(sentence)
    matches = sorted(_matcher()(doc), key=lambda m: (PRIORITY.index(doc.vocab.strings[m[0]]), m[1], -m[2]))
    taken: list[tuple[int, int]] = []
    found = []
    for match_id, start, end in matches:
        if any(start < e and s < end for s, e in taken):
            continue
        label = doc.vocab.strings[match_id]
        tokens = [t for t in doc[start:end]]
        numbers = [_number(t.text) for t in tokens if any(c.isdigit() for c in t.text)]
        n = total = percent = None
        if label == "N_OF_M_P":
            n, total, percent = numbers[0], numbers[1], numbers[2]
        elif label == "N_OF_M":
            n, total = numbers[0], numbers[1]
            later = re.search(r"\((\d{1,3})\s*%\)", sentence[doc[end - 1].idx:])
            percent = int(later.group(1)) if later else (round(100 * n / total) if total else None)
        elif label == "N_P":
            n, percent = numbers[0], numbers[1]
        elif label == "FRACTION_P":
            percent = numbers[0]
        elif label == "IN_P":
            percent = numbers[0]
        if percent is not None and not 0 <= percent <= 100:
            continue
        taken.append((start, end))
        found.append((n, total, float(percent) if percent is not None else None,
                      (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]))))
    return found


def topic_of(sentence: str, span: tuple[int, int]) -> tuple[str, str]:
    """The sentence's topic phrase (from the topic list) and its indicator, or the words after the figure."""
    lowered = sentence.lower()
    for phrase, indicator_id in _topics():
        if phrase in lowered:
            return phrase, indicator_id
    rest = re.sub(r"^[\s,.:;()%\d]+", "", sentence[span[1]:])
    return " ".join(rest.split()[:8]), ""


def national_figures(doc_id: str, lines: list[Line]) -> list[NationalFigure]:
    figures = []
    for page, sentence in sentences_by_page(lines):
        if "%" not in sentence and " van de " not in sentence:
            continue
        for n, total, percent, span in figures_in_sentence(sentence):
            topic, indicator_id = topic_of(sentence, span)
            figures.append(NationalFigure(doc_id, page, topic, n, total, percent, sentence, indicator_id))
    return figures
