"""Stage: framework. The toetsingskader (5 themes, 13 criteria, I01-I30) and matching document text onto it.

Documents word an indicator slightly differently, wrap and hyphenate it anywhere and reorder the indicators of a
criterion, so matching compares letters only (case, spaces, hyphens and punctuation removed) with a similarity
ratio, and an indicator cell holding several indicators is split by dynamic programming over its lines.

The similarity is difflib's ratio (2·M / T, M the letters of its matching blocks). Scoring every stretch of lines
against every indicator with difflib is slow, so candidates are first scored with rapidfuzz's Indel similarity
(2·LCS / T, in C++): since difflib's matching blocks are a common subsequence, M ≤ LCS and the Indel similarity is an
upper bound of difflib's ratio. Only candidates whose bound reaches the threshold and the best ratio found so far
are scored with difflib, best bound first; the choice and the score are exactly difflib's.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Indel

from extract.core.records import IndicatorMatch, Line
from extract.core.stages import MatchingSettings
from extract.core.text import squash
from extract.series.description import series

log = logging.getLogger(__name__)

BOUND_SLACK = 1e-9  # float tolerance when an Indel bound is compared with a difflib ratio (they may be equal)


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    theme: str
    criterion: str
    text: str

    @cached_property
    def squashed(self) -> str:
        return squash(self.text)



def indicators() -> tuple[Indicator, ...]:
    """The active series' framework (``Series.framework_path``; STJ: ``models/toetsingskader.csv``), in file order."""
    current = series()
    return _read(current.framework_path, current.digest)


@lru_cache(maxsize=4)
def _read(path: Path, digest: str) -> tuple[Indicator, ...]:  # digest: a changed file is read again
    with open(path, encoding="utf-8", newline="") as handle:
        return tuple(Indicator(r["indicator_id"], r["theme"], r["criterion"], r["indicator"])
                     for r in csv.DictReader(handle))


def by_id(indicator_id: str) -> Indicator:
    return {i.indicator_id: i for i in indicators()}[indicator_id]


def themes() -> list[str]:
    seen: list[str] = []
    for ind in indicators():
        if ind.theme not in seen:
            seen.append(ind.theme)
    return seen


def match_theme(text: str) -> str | None:
    """The framework theme a heading names ("De aanpak" → "Aanpak"), or None."""
    words = squash(text)
    for theme in themes():
        key = squash(theme)
        if words == key or words == "de" + key:
            return theme
    return None


def ratio(a: str, b: str) -> float:
    """difflib's similarity of ``a`` to ``b`` (``b``'s index of characters is built once per ``b``)."""
    matcher = _matcher_to(b)
    matcher.set_seq1(a)
    return matcher.ratio()


@lru_cache(maxsize=256)
def _matcher_to(b: str) -> SequenceMatcher:
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(b)
    return matcher


def best_indicator(text: str, candidates: tuple[Indicator, ...] | None = None,
                   cutoff: float = 0.0, settings: MatchingSettings = MatchingSettings()) -> tuple[Indicator | None, float]:
    """The framework indicator most like ``text`` and the similarity (0..1): the first of the candidates with the
    highest ``ratio``. With a ``cutoff``, a best similarity under it may be reported as (None, 0.0)."""
    squashed = squash(text)
    low, high = settings.length_window  # compared only when the lengths are this close
    pool = [ind for ind in candidates or indicators()
            if low * len(ind.squashed) <= len(squashed) <= high * len(ind.squashed)]
    if not pool or not squashed:
        return None, 0.0
    bounds = process.extract(squashed, [ind.squashed for ind in pool], scorer=Indel.normalized_similarity,
                             limit=None, score_cutoff=max(0.0, cutoff - BOUND_SLACK))
    best: tuple[int, float] = (len(pool), 0.0)  # (position in the pool, ratio): the earliest of the best wins
    for _, bound, position in bounds:  # highest bound first
        if bound + BOUND_SLACK < best[1]:
            break  # no candidate left can reach the best ratio
        score = ratio(squashed, pool[position].squashed)
        if score > best[1] or score == best[1] > 0.0 and position < best[0]:
            best = (position, score)
    return (pool[best[0]], best[1]) if best[0] < len(pool) else (None, 0.0)


def segment_indicators(lines: list[Line], theme: str | None = None, settings: MatchingSettings = MatchingSettings()
                       ) -> list[IndicatorMatch]:
    """Split the lines of an indicator column into framework indicators.

    Dynamic programming over line boundaries: every stretch of up to ``max_indicator_lines`` consecutive lines may be
    one indicator (scored by its best similarity minus the acceptance threshold) or lines may be skipped (a small
    penalty), and the best-scoring cover wins. Each indicator is kept once (the better-scoring stretch).
    """
    candidates = indicators()
    threshold = settings.min_indicator_ratio
    n = len(lines)
    best = [0.0] + [float("-inf")] * n
    choice: list[tuple[int, Indicator | None, float]] = [(0, None, 0.0)] * (n + 1)
    for end in range(1, n + 1):
        best[end], choice[end] = best[end - 1] - settings.skip_line_penalty, (end - 1, None, 0.0)
        for start in range(max(0, end - settings.max_indicator_lines), end):
            if not _can_start_indicator(lines[start]):
                continue
            ind, score = best_indicator(" ".join(l.text for l in lines[start:end]), candidates, threshold, settings)
            if ind is None or score < threshold:
                continue
            if theme is not None and ind.theme == theme:
                score += settings.heading_theme_bonus
            total = best[start] + score - threshold + 0.05
            if total > best[end]:
                best[end], choice[end] = total, (start, ind, score)
    return _dedupe(_backtrack(lines, choice))


def _can_start_indicator(line: Line) -> bool:
    first = line.text.lstrip("•-–· ")
    return bool(first) and (first[0].isupper() or first[0].isdigit())


def _backtrack(lines: list[Line], choice: list[tuple[int, Indicator | None, float]]) -> list[IndicatorMatch]:
    matches: list[IndicatorMatch] = []
    end = len(lines)
    while end > 0:
        start, ind, score = choice[end]
        if ind is not None:
            matches.append(IndicatorMatch(ind.indicator_id, score, lines[start:end]))
        end = start
    return matches[::-1]


def _dedupe(matches: list[IndicatorMatch]) -> list[IndicatorMatch]:
    keep: dict[str, IndicatorMatch] = {}
    for m in matches:
        if m.indicator_id not in keep or m.score > keep[m.indicator_id].score:
            if m.indicator_id in keep:
                log.warning("indicator %s found twice in one table; kept the closer wording", m.indicator_id)
            keep[m.indicator_id] = m
    return [m for m in matches if keep[m.indicator_id] is m]
