"""Layout step 2: header rows, and the columns their word clusters give (snapped to a vertical rule beside them);
which column a word is in, and a word OCR glued across a column edge cut at it."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from extract.core.records import Box, Column, Line, Rule, Word
from extract.core.stages import LayoutSettings
from extract.core.text import squash
from extract.series.description import series

log = logging.getLogger(__name__)

YEAR = re.compile(r"^(?:19|20)\d\d$")
# the header's words (the series' column labels, its years) and the connectors inside an aanpak's name are the
# series description's: ``Series.header_words``, ``header_first_words``, ``indicator_heads``, ``cell_heads``,
# ``name_connectors``


def is_header_line(line: Line, settings: LayoutSettings = LayoutSettings()) -> bool:
    """A table's header row, recognised by its structure, not by its wording's share of header words:

    - one cell (a cluster of words set apart by a wide gap) heads the indicator column ("Indicator(en)"), and
    - every cell is a column label (Criteria, Bevindingen, Thema, Nr., ...) or starts with a year ("2013 Samen
      Sterk"): the findings columns of a follow-up, however many 2013 aanpakken it has and however long their names;
      a cell after the indicator column may also be an aanpak's bare or labelled name ("Gezin Centraal Team (GCT)",
      "Bevindingen Zorg voor elkaar"): a factsheet's findings column per aanpak;
    - and at least one other cell stands beside the indicator column.

    When OCR or tight setting merges the cells, the line still counts if it opens with a label and holds a year or a
    second label (with no sentence punctuation: prose is never a header).
    """
    current = series()
    cells = _cluster_words(line.words, settings)
    heads = [_cell_head(cell, current.indicator_heads, current.cell_heads) for cell in cells]
    if len(cells) >= 2 and "indicator" in heads and all(
            head or (index > heads.index("indicator") and _name_like(cell, settings))
            for index, (cell, head) in enumerate(zip(cells, heads))) and all(
            len(cell) <= settings.max_header_cell_words or head in ("year", "") for cell, head in zip(cells, heads)):
        return True
    keys = [squash(w.text) for w in line.words]
    cell_heads = current.cell_heads
    if not keys or keys[0] not in current.header_first_words | cell_heads - current.years:
        return False
    if any(w.text.endswith((".", ",", ";", ":")) and squash(w.text) not in {"nr", "no"} for w in line.words[:-1]):
        return False
    anchors = [k for k in keys[1:] if k in cell_heads or YEAR.match(k)]
    names = [w.text for w, k in zip(line.words[1:], keys[1:]) if k not in cell_heads and not YEAR.match(k)]
    return (any(k in current.indicator_heads for k in keys) and bool(anchors)
            and all(n[:1].isupper() or n[:1].isdigit() or n.lower() in current.name_connectors for n in names))


def _name_like(cell: list[Word], settings: LayoutSettings) -> bool:
    """A header cell after the indicator column that names an aanpak ("Gezin Centraal Team (GCT)", "Bevindingen
    Zorg voor elkaar"): it opens with a capital or a digit, is short, and holds no sentence punctuation."""
    first = cell[0].text
    return ((first[:1].isupper() or first[:1].isdigit()) and len(cell) <= settings.max_header_name_words
            and not any(w.text.endswith((".", ",", ";", ":")) for w in cell))


def _cell_head(cell: list[Word], indicator_heads: frozenset[str], cell_heads: frozenset[str]) -> str:
    """What a header cell is: "indicator", "label", "year", or "" for a cell no header holds."""
    first = squash(cell[0].text)
    if first in indicator_heads:
        return "indicator" if len(cell) <= 2 else ""
    if YEAR.match(first):
        return "year"
    if first in cell_heads and len(cell) <= 3:
        return "label"
    return ""


def _cluster_words(words: list[Word], settings: LayoutSettings) -> list[list[Word]]:
    """Split a header line into cells where the gap between words is wider than a few spaces."""
    clusters: list[list[Word]] = []
    for word in words:
        if clusters:
            gap = word.x0 - clusters[-1][-1].x1
            if gap <= max(settings.header_cell_gap, settings.header_cell_gap_share * word.size):
                clusters[-1].append(word)
                continue
        clusters.append([word])
    return clusters


def header_columns(header: Line, continuation: list[Line], rules: list[Rule], page_width: float,
                   settings: LayoutSettings = LayoutSettings()) -> list[Column]:
    clusters = _cluster_words(header.words, settings)
    verticals = [r for r in rules if r.vertical and r.top - 3 <= header.top <= r.bottom + 3]
    starts = []
    for cluster in clusters:
        x = cluster[0].x0
        snapped = [r.x0 for r in verticals if x - settings.rule_snap <= r.x0 <= x + 1]
        starts.append(max(snapped) if snapped else x - 3.0)
    starts[0] = min(starts[0], 0.0)
    cells = [list(c) for c in clusters]
    for line in continuation:
        for word in line.words:
            index = max(i for i, s in enumerate(starts) if s <= word.x0) if word.x0 >= starts[0] else 0
            cells[index].append(word)
    ends = starts[1:] + [page_width + 1]
    return [Column(x0, x1, " ".join(w.text for w in cell).strip(), _box(cell))
            for x0, x1, cell in zip(starts, ends, cells)]


def _box(words: list[Word]) -> Box:
    """The box around a header cell's words (all on the header row's page)."""
    return Box(words[0].page, min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
               max(w.bottom for w in words))


def column_of(word: Word, columns: list[Column]) -> int:
    centre_left = word.x0 + min(2.0, (word.x1 - word.x0) / 2)
    for index in range(len(columns) - 1, -1, -1):
        if centre_left >= columns[index].x0:
            return index
    return 0


def straddles(line: Line, columns: list[Column], settings: LayoutSettings = LayoutSettings()) -> bool:
    """Whether a word runs across a column's edge, as prose does. A word OCR glued across the gap between two cells
    (the last word of one and the marker opening the next, say) is a guess and does not count."""
    return any(w.x0 < c.x0 - 1 < w.x1 - 2 for w in line.words for c in columns[1:]
               if w.confidence >= settings.unsure)


def is_heading(line: Line, body_size: float, columns: list[Column], settings: LayoutSettings = LayoutSettings()) -> bool:
    """Type larger than the body's, standing in one column: a heading. A line with words in two columns or more is
    a row of the table, whatever size it measures (on a scan, a rule's remains just above a row can stretch it)."""
    return line.size > settings.heading_size_factor * body_size and len({column_of(w, columns) for w in line.words}) < 2


def header_continuation(lines: list[Line], start: int, rules: list[Rule]) -> int:
    """Index of the first body line after the header line at ``start`` (bold header lines continue it)."""
    header = lines[start]
    first_rule = min((r.top for r in rules if r.horizontal and r.top > header.bottom - 1), default=float("inf"))
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.top >= first_rule or not all(w.bold for w in line.words) or line.top - header.bottom > 2 * header.size:
            break
        header = line
        index += 1
    return index




def cut_at_edges(word: Word, columns: list[Column], settings: LayoutSettings = LayoutSettings()) -> list[Word]:
    """A word OCR glued across the gap between two cells (unsure, running over a column's edge), cut at the edge:
    its letters shared out in proportion to the width on either side ("(dex" from "(de" and a cross opening the
    next cell's finding). Any other word stays whole."""
    if word.confidence >= settings.unsure or len(word.text) < 2:
        return [word]
    for column in columns[1:]:
        edge = column.x0
        if word.x0 < edge - 1 < word.x1 - 2:
            keep = round((edge - word.x0) / (word.x1 - word.x0) * len(word.text))
            if 0 < keep < len(word.text):
                left = replace(word, text=word.text[:keep], x1=edge - 1, raw="")
                right = replace(word, text=word.text[keep:], x0=edge + 1, raw="")
                return [left] + cut_at_edges(right, columns, settings)
    return [word]
