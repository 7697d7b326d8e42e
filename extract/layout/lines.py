"""Layout step 1: words into lines, running headers and footers dropped, and rule residue (a rule OCR read as
letters) told from text and turned back into the rule it was."""

from __future__ import annotations

import logging
import re
from collections import Counter

from extract.core.records import Line, Page, Rule, Word
from extract.core.stages import LayoutSettings
from extract.core.text import squash
from extract.layout.columns import header_continuation, is_header_line
from extract.series.description import series
from extract.series.framework import match_theme

log = logging.getLogger(__name__)

# the thresholds are LayoutSettings' (margin_share, furniture_height_tolerance, unsure, residue_*); rule residue is
# a line OCR read from a rule it did not find (see ``is_residue``): its words' mean confidence is below ``unsure``


def page_lines(words: list[Word], settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """Group words into baselines (top within 40% of the type size, ``line_tolerance_share``), each sorted left to
    right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            size = max(word.size, last[0].size, 1.0)
            tolerance = max(settings.line_tolerance, settings.line_tolerance_share * size)
            if abs(word.top - last[0].top) <= tolerance:
                last.append(word)
                continue
        lines.append([word])
    return [Line(sorted(ws, key=lambda w: w.x0)) for ws in lines]


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", squash(line.text))


def _in_margin(line: Line, page: Page, margin: float) -> bool:
    return line.top < margin * page.height or line.bottom > (1 - margin) * page.height


def running_furniture(pages: list[Page], settings: LayoutSettings = LayoutSettings()) -> set[tuple[str, int]]:
    """Margin lines (text and height) that recur on at least half of the pages (minimum two).

    Theme headings are never furniture, even when a table continues under the same heading on every page; nor is a
    table's header row (with its continuation lines), which a table continued over pages repeats at the top of each.
    """
    if len(pages) < 2:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        lines = page_lines(page.words, settings)
        headers = _header_rows(lines, page.rules, settings)
        margins = [l for i, l in enumerate(lines) if _in_margin(l, page, settings.margin_share)
                   and not match_theme(l.text) and i not in headers]
        for key in {(_furniture_key(l), _height_bucket(l, settings)) for l in margins}:
            seen[key] += 1
    threshold = max(2, len(pages) // 2)
    return {key for key, count in seen.items() if count >= threshold and key[0]}


def _header_rows(lines: list[Line], rules: list[Rule], settings: LayoutSettings) -> set[int]:
    """Indexes of the lines of a page's table header rows: each header line and the bold lines continuing it."""
    rows: set[int] = set()
    for index, line in enumerate(lines):
        if index not in rows and is_header_line(line, settings):
            rows.update(range(index, header_continuation(lines, index, rules)))
    return rows


def _height_bucket(line: Line, settings: LayoutSettings = LayoutSettings()) -> int:
    return round(line.top / settings.furniture_height_tolerance)


def is_furniture(line: Line, furniture: set[tuple[str, int]], settings: LayoutSettings = LayoutSettings()) -> bool:
    key, bucket = _furniture_key(line), _height_bucket(line, settings)
    return any((key, b) in furniture for b in (bucket - 1, bucket, bucket + 1))


def content_lines(page: Page, furniture: set[tuple[str, int]], settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """A page's lines without its running headers and footers and without rule residue."""
    return page_content(page, furniture, settings)[0]


def page_content(page: Page, furniture: set[tuple[str, int]], settings: LayoutSettings = LayoutSettings()
                 ) -> tuple[list[Line], list[Line]]:
    """A page's content lines (``content_lines``) and the rule residue taken out of them."""
    lines = page_lines(page.words, settings)
    bottom_zone, footer = page.height * settings.footer_zone, series().page_footer
    lines = [l for l in lines
             if not is_furniture(l, furniture, settings) and not (l.top > bottom_zone and footer.search(l.text))]
    size = type_size(lines)
    kept: list[Line] = []
    residue: list[Line] = []
    for line in lines:
        text, junk = split_residue(line, size, settings)
        kept += [text] if text else []
        residue += [junk] if junk else []
    if residue:
        log.info("page %d: %d line(s) read from rules the OCR did not find left out", page.number, len(residue))
    return kept, residue


def split_residue(line: Line, type_size: float, settings: LayoutSettings = LayoutSettings()
                  ) -> tuple[Line | None, Line | None]:
    """A line's type and its rule residue (either None): the residue is its unsure words when they look like a rule
    read as letters (``is_residue``). A baseline may hold both: type of a cell that spans rows beside a rule of the
    next row."""
    unsure = [w for w in line.words if w.confidence < settings.unsure]
    if not unsure or not is_residue(Line(unsure), type_size, settings):
        return line, None
    sure = [w for w in line.words if w.confidence >= settings.unsure]
    return (Line(sure) if sure else None), Line(unsure)


def type_size(lines: list[Line]) -> float:
    sizes = sorted(w.size for l in lines for w in l.words if w.size)
    return sizes[len(sizes) // 2] if sizes else 9.0


def is_residue(line: Line, type_size: float, settings: LayoutSettings = LayoutSettings()) -> bool:
    """Whether OCR read ``line`` from a rule, not from type: its words are guesses (low confidence), its few letters
    are spread over a long stretch (a rule is ink all along), and it is thinner than the type or holds a "word" far
    wider than its letters could be. Type never looks like that; a text layer never does (its confidence is 1)."""
    words = line.words
    if sum(w.confidence for w in words) / len(words) >= settings.unsure:
        return False
    size = max(line.size, 1.0)
    letters = sum(len(w.text) for w in words)
    if line.x1 - line.x0 <= settings.residue_spread * size * letters:
        return False
    stretched = any(w.x1 - w.x0 > settings.residue_word_stretch * max(w.size, 1.0) * len(w.text) for w in words)
    return line.size < settings.residue_height_share * type_size or stretched


def residue_rules(residue: list[Line], type_size: float, settings: LayoutSettings = LayoutSettings()) -> list[Rule]:
    """The rules that thin residue lines were read from: one along the middle of each (a tall one, where a rule
    and type ran together, says too little of where the rule is)."""
    return [Rule(l.x0, l.top + l.size / 2, l.x1, l.top + l.size / 2, l.page) for l in residue
            if l.size < settings.residue_height_share * type_size]
