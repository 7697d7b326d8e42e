"""Stage: OCR text repair. Correct OCR noise against the series' known vocabulary, without inventing text.

Only words Tesseract was unsure of (confidence below ``RepairSettings.max_confidence``) that are not Dutch words
already (spaCy's Dutch lemma table) are considered, and only a vocabulary word one edit away, and the only one that close, replaces
them. The vocabulary: the framework's wording and the series' fixed headings and month names (callers may add
words, such as known gemeente names). Besides, the document's own words that OCR read surely and more than once
(names of aanpakken, organisations) repair a letter misread elsewhere in the same document (a substitution only:
"Muitiprobleemgezinnen"). The raw OCR text is kept beside the repaired text (``Word.raw``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from functools import lru_cache

from extract.core.enums import Method
from extract.core.records import Page
from extract.core.stages import RepairSettings
from extract.series.description import series
from extract.series.framework import indicators
from extract.series.nlp import dutch_words

log = logging.getLogger(__name__)

# the thresholds are RepairSettings' (max_confidence, min_length, document_word_*)
WORD = re.compile(r"^([\W_]*)([^\W_](?:[^\W_]|['-])*?)([\W_]*)$")  # punctuation (and "_"), word, punctuation


def vocabulary(min_length: int = RepairSettings().min_length) -> frozenset[str]:
    """The series' vocabulary: its headings (``Series.repair_words``), month names and framework wording."""
    current = series()
    return _vocabulary(current.digest, current.repair_words, current.months, min_length)


@lru_cache(maxsize=4)
def _vocabulary(digest: str, headings: tuple[str, ...], months: tuple[str, ...], min_length: int) -> frozenset[str]:
    words = set(headings) | set(months)
    for ind in indicators():
        for text in (ind.text, ind.criterion, ind.theme):
            words.update(re.findall(r"[\wÀ-ÿ]+", text))
    return frozenset(w.lower() for w in words if len(w) >= min_length)


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one substitution, insertion or deletion."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _one_substitution(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def document_vocabulary(pages: list[Page], settings: RepairSettings = RepairSettings()) -> frozenset[str]:
    """Lower-cased words of at least ``document_word_length`` letters that the document has at least
    ``document_word_count`` times with a confidence of ``document_word_confidence`` or more."""
    counts: dict[str, int] = {}
    for page in pages:
        for word in page.words:
            match = WORD.match(word.text)
            if (match and word.confidence >= settings.document_word_confidence
                    and len(match.group(2)) >= settings.document_word_length):
                key = match.group(2).lower()
                counts[key] = counts.get(key, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= settings.document_word_count)


def repair_token(token: str, confidence: float, extra: frozenset[str] = frozenset(),
                 document: frozenset[str] = frozenset(), settings: RepairSettings = RepairSettings()) -> str:
    """The repaired form of one OCR token (the token itself when nothing is sure)."""
    if confidence >= settings.max_confidence:
        return token
    match = WORD.match(token)
    if not match:
        return token
    before, core, after = match.groups()
    lowered = core.lower()
    known = vocabulary(settings.min_length) | {w.lower() for w in extra}
    if (len(core) < settings.min_length or lowered in dutch_words(stop_words=False) or lowered in known
            or lowered in document):
        return token
    candidates = {w for w in known if _one_edit(lowered, w)}
    if len(core) >= settings.document_word_length:
        candidates |= {w for w in document if _one_substitution(lowered, w)}
    if len(candidates) != 1:
        return token
    (word,) = candidates
    if core.isupper() and len(core) > 1:
        word = word.upper()
    elif core[0].isupper():
        word = word[0].upper() + word[1:]
    return f"{before}{word}{after}"


def repair_page(page: Page, extra: frozenset[str] = frozenset(), document: frozenset[str] = frozenset(),
                settings: RepairSettings = RepairSettings()) -> Page:
    """A copy of an OCR page with repaired words; each changed word keeps its OCR text in ``raw``. ``document``:
    the document's surely read words (``document_vocabulary``)."""
    if page.method != Method.ocr:
        return page
    words = []
    changed = 0
    for word in page.words:
        fixed = repair_token(word.text, word.confidence, extra, document, settings)
        if fixed != word.text:
            changed += 1
            words.append(replace(word, text=fixed, raw=word.text))
        else:
            words.append(word)
    if changed:
        log.info("page %d: repaired %d OCR words", page.number, changed)
    return replace(page, words=words)
