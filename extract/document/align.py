"""Stage: align. Cut a findings column into finding units and decide which indicator(s) each unit answers.

A *unit* is a paragraph that opens with a marker plus the unmarked paragraphs that continue it. In a merged cell
several indicators sit beside several units, not necessarily one-to-one: one unit may answer several indicators.
``align_units`` finds the best monotone alignment (a DTW path through the indicator × unit grid) scored by

* wording: the share of an indicator's content lemmas (spaCy Dutch lookup lemmas) found in the unit;
* position: an indicator and a unit starting on the same height belong together (cells are top-aligned);
* a small cost for every step that is not one-to-one.

Horizontal rules that separate rows are hard limits: nothing is aligned across one.
"""

from __future__ import annotations

import bisect
import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from extract.core.records import IndicatorMatch, Line, Marker, Paragraph
from extract.core.stages import AlignSettings
from extract.document.markers import split_marker
from extract.series.framework import indicators
from extract.series.nlp import content_lemmas
from extract.series.prose import forced_breaks, join_lines

log = logging.getLogger(__name__)



@dataclass
class Unit:
    """A finding: its marker and its paragraphs."""

    marker: Marker | None
    paragraphs: list[Paragraph]

    @property
    def lines(self) -> list[Line]:
        return [l for p in self.paragraphs for l in p.lines]

    @property
    def flow_top(self) -> float:
        return self.paragraphs[0].flow_top

    @property
    def text(self) -> str:
        return join_lines([l.text for l in self.lines], forced_breaks(self.lines))

    @property
    def raw_text(self) -> str:
        """The text as OCR read it, before vocabulary repair."""
        return join_lines([" ".join(w.raw or w.text for w in l.words) for l in self.lines],
                          forced_breaks(self.lines))


def line_pitch(lines: list[Line]) -> float:
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.page == a.page and b.top > a.top)
    return steps[len(steps) // 4] if steps else 11.0


def split_paragraphs(lines: list[Line], boundaries: list[float], settings: AlignSettings = AlignSettings()) -> list[Paragraph]:
    """Paragraphs of a findings column: a marker, a row rule or a wider gap between lines starts a new one."""
    pitch = line_pitch(lines)
    paragraphs: list[Paragraph] = []
    previous: Line | None = None
    for line in lines:
        split = split_marker(line.words)
        new = (split.marker is not None or previous is None
               or crosses_boundary(previous.flow_top, line.flow_top, boundaries)
               or (line.page == previous.page and line.top - previous.top > settings.paragraph_gap * pitch))
        if new:
            paragraphs.append(Paragraph(lines=[], marker=split.marker, anchor=line.words[0]))
        if split.rest:
            paragraphs[-1].lines.append(Line(split.rest))
        previous = line
    return paragraphs


def crosses_boundary(top_a: float, top_b: float, boundaries: list[float]) -> bool:
    low, high = sorted((top_a, top_b))
    index = bisect.bisect_right(boundaries, low)
    return index < len(boundaries) and boundaries[index] < high


def units_of(paragraphs: list[Paragraph], boundaries: list[float]) -> list[Unit]:
    """Attach unmarked paragraphs to the marked one before them (never across a row rule)."""
    units: list[Unit] = []
    for paragraph in paragraphs:
        if paragraph.marker is None and units and not crosses_boundary(
                units[-1].flow_top, paragraph.flow_top, boundaries):
            units[-1].paragraphs.append(paragraph)
        else:
            units.append(Unit(paragraph.marker, [paragraph]))
    return units


# ---------------------------------------------------------------- alignment


def wording_score(indicator_text: str, unit_text: str, settings: AlignSettings = AlignSettings()) -> float:
    """IDF-weighted share of the indicator's content lemmas found in the unit.

    Lemmas that many indicators share ("gemeente", "aanpak") weigh less than those that tell indicators apart
    ("evalueren", "doorzettingsmacht"); a shared stem of ``stem_chars`` letters counts ``stem_credit`` ("evaluatie" answers
    "evalueren").
    """
    wanted = content_lemmas(indicator_text)
    if not wanted:
        return 0.0
    present = content_lemmas(unit_text)
    chars, credit = settings.stem_chars, settings.stem_credit
    stems = {lemma[:chars] for lemma in present if len(lemma) > chars}
    weights = framework_idf()
    found = sum(weights.get(lemma, 1.0) * (1.0 if lemma in present else credit if lemma[:chars] in stems else 0.0)
                for lemma in wanted)
    return found / sum(weights.get(lemma, 1.0) for lemma in wanted)


def framework_idf() -> dict[str, float]:
    """Inverse document frequency of each lemma over the framework's indicator texts (at least 0.2)."""
    return _idf(indicators())


@lru_cache(maxsize=4)
def _idf(framework: tuple) -> dict[str, float]:
    texts = [content_lemmas(ind.text) for ind in framework]
    counts = Counter(lemma for lemmas in texts for lemma in lemmas)
    return {lemma: max(0.2, math.log((1 + len(texts)) / (1 + count))) for lemma, count in counts.items()}


def align_units(indicators: list[IndicatorMatch], units: list[Unit], indicator_texts: list[str],
                boundaries: list[float], settings: AlignSettings = AlignSettings()) -> list[tuple[list[int], float]]:
    """For each indicator, the indexes of the units that answer it and an alignment score in [0, 1].

    Indicators and units are first grouped by the row rules between them; within a group a DTW path assigns every
    indicator at least one unit and every unit at least one indicator.
    """
    result: list[tuple[list[int], float]] = [([], 0.0) for _ in indicators]
    for ind_group, unit_group in _row_groups(indicators, units, boundaries, settings.same_row_tolerance):
        if not unit_group:
            continue
        path = _dtw(ind_group, unit_group, indicators, units, indicator_texts, settings)
        for i, j, score in path:
            chosen, _ = result[i]
            result[i] = (chosen + [j], max(result[i][1], score))
    return result


def _row_groups(indicators: list[IndicatorMatch], units: list[Unit],
                boundaries: list[float], tolerance: float) -> list[tuple[list[int], list[int]]]:
    """Indicator and unit indexes per band between row rules; a unit above the band's first indicator joins it."""
    bands: dict[int, tuple[list[int], list[int]]] = {}
    for i, ind in enumerate(indicators):
        bands.setdefault(bisect.bisect_right(boundaries, ind.flow_top + tolerance), ([], []))[0].append(i)
    keys = sorted(bands)
    for j, unit in enumerate(units):
        band = bisect.bisect_right(boundaries, unit.flow_top + tolerance)
        if band not in bands:  # no indicator in this band: the unit continues the nearest band above
            above = [k for k in keys if k <= band]
            band = above[-1] if above else keys[0] if keys else band
        if band in bands:
            bands[band][1].append(j)
    return [bands[k] for k in keys]


def _cell_scores(ind_group: list[int], unit_group: list[int], indicators: list[IndicatorMatch], units: list[Unit],
                 indicator_texts: list[str], settings: AlignSettings) -> list[list[float]]:
    """Each (indicator, unit) pair's score: its wording's, plus ``position_weight`` where the unit starts level with
    the indicator, less ``cell_baseline``. Starting level counts only where the wording does not clearly point at
    another indicator of the group (by more than ``position_margin``): in a merged cell a paragraph may start level
    with one indicator by chance while it answers the next."""
    wording = [[wording_score(indicator_texts[i], units[j].text, settings) for j in unit_group] for i in ind_group]
    best = [max(row[b] for row in wording) for b in range(len(unit_group))]
    return [[wording[a][b] - settings.cell_baseline + (
        settings.position_weight if abs(indicators[i].flow_top - units[j].flow_top) <= settings.aligned_top_tolerance
        and wording[a][b] >= best[b] - settings.position_margin else 0.0)
        for b, j in enumerate(unit_group)] for a, i in enumerate(ind_group)]


def _dtw(ind_group: list[int], unit_group: list[int], indicators: list[IndicatorMatch], units: list[Unit],
         indicator_texts: list[str], settings: AlignSettings) -> list[tuple[int, int, float]]:
    n, k = len(ind_group), len(unit_group)
    if n == 1 or k == 1:  # one path only (every unit to the one indicator, or every indicator to the one unit):
        return [(i, j, 1.0) for i in ind_group for j in unit_group]  # certain, and no wording to compare
    cell = _cell_scores(ind_group, unit_group, indicators, units, indicator_texts, settings)
    best = [[float("-inf")] * k for _ in range(n)]
    back: list[list[tuple[int, int] | None]] = [[None] * k for _ in range(n)]
    best[0][0] = cell[0][0]
    for a in range(n):
        for b in range(k):
            if a == 0 and b == 0:
                continue
            options = []
            if a and b:
                options.append((best[a - 1][b - 1], (a - 1, b - 1)))
            if a:
                options.append((best[a - 1][b] - settings.step_cost, (a - 1, b)))
            if b:
                options.append((best[a][b - 1] - settings.step_cost, (a, b - 1)))
            value, origin = max(options, key=lambda o: o[0])
            best[a][b], back[a][b] = value + cell[a][b], origin
    path = []
    position: tuple[int, int] | None = (n - 1, k - 1)
    while position is not None:
        path.append(position)
        position = back[position[0]][position[1]]
    path.reverse()
    # an unambiguous shape (one unit for all, one indicator, or one-to-one down the diagonal) is certain
    certain = k == 1 or n == 1 or (n == k and all(a == b for a, b in path))
    return [(ind_group[a], unit_group[b],
             1.0 if certain else max(0.0, min(1.0, cell[a][b] + settings.cell_baseline))) for a, b in path]
