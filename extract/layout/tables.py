"""Layout steps 3 and 4: table bodies below their header rows, a page's tables, and tables continued over a page
break merged into one; ``document_tables`` runs the layout steps over a whole document."""

from __future__ import annotations

import logging
from statistics import median

from extract.core.records import Column, Line, Page, SourceDocument, Table, Word
from extract.core.stages import LayoutSettings
from extract.layout.columns import (column_of, cut_at_edges, header_columns, header_continuation,
                                     is_header_line, is_heading, straddles)
from extract.layout.lines import page_content, residue_rules, running_furniture, type_size
from extract.layout.rows import PlacedTable, row_boundaries
from extract.series.framework import match_theme

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- 3. table bodies


def _body_size(lines: list[Line]) -> float:
    sizes = [w.size for l in lines[:6] for w in l.words if w.size]
    return median(sizes) if sizes else 9.0


def table_body(lines: list[Line], start: int, columns: list[Column], settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """The lines of a table body starting at ``start``, up to the first line that cannot belong to it."""
    body: list[Line] = []
    size = _body_size(lines[start:])
    pitch = settings.line_pitch * size
    for index in range(start, len(lines)):
        line = lines[index]
        if (is_heading(line, size, columns, settings) or is_header_line(line, settings)
                or straddles(line, columns, settings)):
            break
        if index + 1 < len(lines) and is_header_line(lines[index + 1], settings):  # the next table's heading
            break
        if body and line.top - body[-1].top > settings.max_body_gap_pitches * pitch + pitch:
            break
        body.append(line)
    return body


def _heading_above(lines: list[Line], index: int) -> str:
    """The nearest theme heading above a header row (within a few lines), else the line just above it."""
    for line in reversed(lines[max(0, index - 3):index]):
        if match_theme(line.text):
            return line.text
    return lines[index - 1].text if index else ""


def page_tables(page: Page, furniture: set[tuple[str, int]], settings: LayoutSettings = LayoutSettings()) -> list[PlacedTable]:
    lines, residue = page_content(page, furniture, settings)
    page_rules = page.rules + residue_rules(residue, type_size(lines), settings)
    tables: list[PlacedTable] = []
    index = 0
    while index < len(lines):
        if not is_header_line(lines[index], settings):
            index += 1
            continue
        body_start = header_continuation(lines, index, page.rules)
        columns = header_columns(lines[index], lines[index + 1:body_start], page.rules, page.width,
                                 settings)
        body = table_body(lines, body_start, columns, settings)
        if body:
            top, bottom = body[0].top - 2, body[-1].bottom + 2
            rules = [r for r in page_rules if r.horizontal and top < (r.top + r.bottom) / 2 < bottom]
            tables.append(PlacedTable(_heading_above(lines, index), columns, body, rules, page.number))
        index = body_start + len(body)
    return tables


# ---------------------------------------------------------------- 4. continued tables


def _same_layout(a: PlacedTable, b: PlacedTable, tolerance: float, max_shift: float = 0.0) -> bool:
    """The same columns: as many, each starting within ``tolerance`` of the other's, either where they stand or
    once the one table is moved sideways as a whole by at most ``max_shift`` (the median of their offsets): a
    page of a continued table may stand a little to the side of the one before (a scan laid elsewhere on the
    glass, a table set again on the next page), while its columns keep their widths."""
    if len(a.columns) != len(b.columns):
        return False
    offsets = [y.x0 - x.x0 for x, y in zip(a.columns[1:], b.columns[1:])]
    if all(abs(offset) < tolerance for offset in offsets):
        return True
    shift = median(offsets)
    return abs(shift) <= max_shift and all(abs(offset - shift) < tolerance for offset in offsets)


def _continues(previous: PlacedTable, table: PlacedTable, settings: LayoutSettings) -> bool:
    if not _same_layout(previous, table, settings.continued_column_tolerance, settings.continued_shift):
        return False
    theme_prev, theme_new = match_theme(previous.heading), match_theme(table.heading)
    if theme_new is None:
        return table.page == previous.page + 1
    return theme_new == theme_prev


def merge_continued(placed: list[PlacedTable], settings: LayoutSettings = LayoutSettings()) -> list[Table]:
    tables: list[Table] = []
    last: PlacedTable | None = None
    for table in placed:
        if last is not None and tables and _continues(last, table, settings):
            merged = tables[-1]
            _append_body(merged, table, settings)
        else:
            merged = Table(heading=table.heading, columns=table.columns, cells=[[] for _ in table.columns],
                           boundaries=[], pages=[])
            _append_body(merged, table, settings)
            tables.append(merged)
        if match_theme(table.heading) is None and last is not None and match_theme(merged.heading) is None:
            merged.heading = last.heading
        last = table
    return tables


def _append_body(table: Table, placed: PlacedTable, settings: LayoutSettings) -> None:
    """Add a placed table's body to a logical table, splitting each line into the logical table's columns."""
    table.pages.append(placed.page)
    for line in placed.body:
        per_column: list[list[Word]] = [[] for _ in table.columns]
        for word in (piece for w in line.words for piece in cut_at_edges(w, placed.columns, settings)):
            per_column[column_of(word, placed.columns)].append(word)
        for index, words in enumerate(per_column):
            if words:
                table.cells[index].append(Line(words))
    table.boundaries += row_boundaries(placed, settings)




def document_tables(doc: SourceDocument, settings: LayoutSettings = LayoutSettings()) -> list[Table]:
    """All logical tables of a document, in reading order."""
    furniture = running_furniture(doc.pages, settings)
    placed = [t for page in doc.pages for t in page_tables(page, furniture, settings)]
    return merge_continued(placed, settings)
