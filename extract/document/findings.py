"""Stage: findings. Turn the logical tables of a factsheet or follow-up into ``Finding`` rows.

For each table: find which column holds the indicators and which hold findings (and, in a follow-up, the year and
aanpak of each findings column), identify the indicators against the framework, cut each findings column into
units and align them to the indicators.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
from dataclasses import dataclass, field, replace

from extract.core.enums import Kind, Method, ProblemCategory
from extract.core.problems import Problem
from extract.core.records import Box, DocumentContext, DocumentInfo, Finding, IndicatorMatch, Line, Table
from extract.core.stages import AlignSettings, MatchingSettings
from extract.core.text import drop_unmapped
from extract.document.align import Unit, align_units, split_paragraphs, units_of
from extract.document.coverage import IndicatorCell
from extract.document.markers import find_caveat
from extract.document.columns import FindingsColumn, TableRoles, next_declared, table_roles
from extract.series import framework
from extract.series.description import series
from extract.series.identity import name_key

log = logging.getLogger(__name__)



@dataclass
class TableYield:
    """What one table gave: its findings, the indicator cells they came from (for the coverage check), and one-line
    problems found on the way."""

    rows: list[Finding]
    cells: list[IndicatorCell]
    problems: list[Problem]
    columns: set[tuple[str, int]] = field(default_factory=set)  # the (aanpak, year) of its findings columns


def document_findings(tables: list[Table], info: DocumentInfo, document: DocumentContext,
                      settings: AlignSettings = AlignSettings(), matching: MatchingSettings = MatchingSettings()
                      ) -> TableYield:
    """The findings of every table of a document. A table that would answer again what an earlier one answered for
    the same (aanpak, year), its column told only by the document's declarations, is the next declared aanpak's."""
    rows, cells, problems, columns = [], [], [], set()
    answered: dict[tuple[str, int], set[str]] = {}
    for table in tables:
        roles = table_roles(table, info, tables, settings)
        found = table_findings(table, info, tables, document, settings, matching, roles)
        while clashing := _clashing(found.rows, answered):
            moved = next_declared(roles.findings_columns, info, clashing)
            if moved is None:
                break
            roles = TableRoles(roles.indicator_column, moved)
            found = table_findings(table, info, tables, document, settings, matching, roles)
        for row in found.rows:
            answered.setdefault((row.aanpak, row.year), set()).add(row.indicator_id)
        rows, cells, problems = rows + found.rows, cells + found.cells, problems + found.problems
        columns |= {column.key for column in roles.findings_columns}
    return TableYield(rows, cells, problems, columns)


def _clashing(rows: list[Finding], answered: dict[tuple[str, int], set[str]]) -> set[tuple[str, int]]:
    """When rows answer an indicator already answered for their own (aanpak, year): every key that answered any of
    their indicators already (none of them is free for these rows); else nothing."""
    if not any(row.indicator_id in answered.get((row.aanpak, row.year), ()) for row in rows):
        return set()
    ids = {row.indicator_id for row in rows}
    return {key for key, done in answered.items() if ids & done}


def table_findings(table: Table, info: DocumentInfo, tables: list[Table], document: DocumentContext,
                   settings: AlignSettings = AlignSettings(),
                   matching: MatchingSettings = MatchingSettings(), roles: TableRoles | None = None) -> TableYield:
    """The findings of one table, the indicator cells recognised in it, and one-line problems found on the way."""
    roles = roles or table_roles(table, info, tables, settings)
    theme = framework.match_theme(table.heading)
    indicators = framework.segment_indicators(table.cells[roles.indicator_column], theme, matching)
    problems: list[Problem] = []
    if not indicators:
        return TableYield([], [], [Problem(table.pages[0], ProblemCategory.unrecognised, "no framework indicator "
                                           f"recognised in the table under '{table.heading}'")])
    texts = [framework.by_id(m.indicator_id).text for m in indicators]
    rows: list[Finding] = []
    answered: list[set[tuple[str, int]]] = [set() for _ in indicators]
    for column in roles.findings_columns:
        units = units_of(split_paragraphs(table.cells[column.index], table.boundaries, settings), table.boundaries)
        if info.kind == Kind.factsheet:
            alignment = align_units(indicators, units, texts, table.boundaries, settings)
        else:
            alignment = by_row(indicators, units, settings.same_row_tolerance)
        problems += unmarked_openings(indicators, units, document, settings.opening_tolerance)
        for index, (match, (unit_indexes, score)) in enumerate(zip(indicators, alignment)):
            if unit_indexes:
                row = make_finding(match, [units[j] for j in unit_indexes], score, column, info, document)
                rows.append(row)
                answered[index].add(column.key)
                if not row.verdict:
                    problems.append(Problem(row.page, ProblemCategory.no_verdict, f"finding for {row.indicator_id} "
                                            f"({row.aanpak} {row.year}) has no readable check or cross"))
                if info.kind == Kind.followup and sum(units[j].marker is not None for j in unit_indexes) > 1:
                    problems.append(crowded_cell(row, sum(units[j].marker is not None for j in unit_indexes)))
    problems += unnamed_columns(table, roles.findings_columns)
    return TableYield(rows, cells_of(indicators, answered, roles.findings_columns, info.kind, document), problems)


def cells_of(indicators: list[IndicatorMatch], answered: list[set[tuple[str, int]]], columns: list[FindingsColumn],
             kind: Kind, document: DocumentContext) -> list[IndicatorCell]:
    """The indicator cells of a table for the coverage check: a factsheet's one per indicator and findings column
    (each aanpak owes every indicator), a follow-up's one per row (answered by year, in any of its columns)."""
    if kind == Kind.factsheet:
        return [IndicatorCell(m.indicator_id, m.lines[0].page, (c.year,), (c.year,) if c.key in done else (),
                              (c.year,), c.aanpak) for m, done in zip(indicators, answered) for c in columns]
    years = tuple(sorted({c.year for c in columns}))
    return [IndicatorCell(m.indicator_id, m.lines[0].page, years, tuple(sorted({year for _, year in done})),
                          owed_years(years, kind, document.method(m.lines[0].page)))
            for m, done in zip(indicators, answered)]


def unnamed_columns(table: Table, columns: list[FindingsColumn]) -> list[Problem]:
    """A findings column that neither its header, its section nor the document's declarations tie to an aanpak."""
    return [Problem(table.pages[0], ProblemCategory.unrecognised, f"findings column {c.index + 1} of the table under "
                    f"'{table.heading}' names no aanpak, and no section or declaration of the document tells which "
                    "it judges") for c in columns if not c.aanpak]


def stray_cells(tables: list[Table], info: DocumentInfo, lines: list[Line], settings: AlignSettings = AlignSettings(),
                matching: MatchingSettings = MatchingSettings()) -> list[IndicatorCell]:
    """Indicators whose text stands in a table's indicator column on the table's pages but outside every table
    body (the body was cut short, for example at a gap left by text the reading lost): rows that gave no finding.

    Only lines that keep to the table's columns are looked at (prose runs across them), and only close matches
    (``stray_indicator_ratio``)."""
    in_tables = {id(w) for table in tables for column in table.cells for line in column for w in line.words}
    cells: list[IndicatorCell] = []
    for table in tables:
        roles = table_roles(table, info, tables, settings)
        left = table.columns[roles.indicator_column].x0
        right = table.columns[roles.indicator_column + 1].x0 if roles.indicator_column + 1 < len(table.columns) else 1e9
        stray = [Line([w for w in line.words if left <= w.x0 < right]) for line in lines
                 if line.page in table.pages and not any(id(w) in in_tables for w in line.words)
                 and not any(w.x0 < c.x0 - 1 < w.x1 - 2 for w in line.words for c in table.columns[1:])]
        stray = [line for line in stray if line.words]
        for match in framework.segment_indicators(stray, None, matching):
            if match.score >= settings.stray_indicator_ratio:
                cells += [replace(cell, answered=(), owed=cell.years) for cell in
                          cells_of([match], [set()], roles.findings_columns, info.kind, DocumentContext("", ""))]
    return cells


def unmarked_openings(indicators: list[IndicatorMatch], units: list[Unit], document: DocumentContext,
                      tolerance: float = AlignSettings().opening_tolerance) -> list[Problem]:
    """On a scan, a paragraph that opens at the height of an indicator (cells are top-aligned) but carries no
    marker was taken to continue the finding above it: its check or cross was not read (OCR turned it into other
    characters), so that indicator's verdict is borrowed from its neighbour. Named, never silent. ``tolerance``:
    points between the paragraph's and the indicator's height."""
    problems = []
    for unit in units:
        for paragraph in unit.paragraphs[1:]:
            if document.method(paragraph.page) != Method.ocr:
                continue
            beside = [m for m in indicators if abs(m.flow_top - paragraph.flow_top) <= tolerance]
            for match in beside:
                problems.append(Problem(paragraph.page, ProblemCategory.no_verdict, f"the finding beside "
                                        f"{match.indicator_id} opens without a readable check or cross (it was read "
                                        "as part of the finding above; its verdict may be wrong)"))
    return problems


def owed_years(years: tuple[int, ...], kind: Kind, method: Method) -> tuple[int, ...]:
    """The years a row of a table with findings columns for ``years`` must answer. A follow-up lists only the
    assessed year's failures, so each row answers that year; an empty follow-up-year cell means no finding was
    reported, which a text layer shows plainly, but a scan cannot tell from text it lost, so it is owed there."""
    if kind != Kind.followup or len(years) < 2:
        return years
    return years if method == Method.ocr else years[:-1]


def crowded_cell(row: Finding, marked: int) -> Problem:
    """A follow-up cell answers one indicator for one aanpak and year: several marked findings in it mean that the
    indicator of a row below was not recognised, and that row's findings were taken for this one's."""
    return Problem(row.page, ProblemCategory.lost_rows, f"the cell of {row.indicator_id} ({row.aanpak} {row.year}) "
                   f"holds {marked} marked findings; the indicator of a row below it was not recognised (rows may be "
                   "missing)")


def by_row(indicators: list[IndicatorMatch], units: list[Unit],
           tolerance: float = AlignSettings().same_row_tolerance) -> list[tuple[list[int], float]]:
    """Follow-up cells are one per indicator row: a unit answers the indicator whose row it starts in."""
    tops = [m.flow_top - tolerance for m in indicators]
    result: list[tuple[list[int], float]] = [([], 0.0) for _ in indicators]
    for j, unit in enumerate(units):
        row = max(0, bisect.bisect_right(tops, unit.flow_top) - 1)
        result[row] = (result[row][0] + [j], 1.0)
    return result


def make_finding(match: IndicatorMatch, units: list[Unit], alignment: float, column: FindingsColumn,
                 info: DocumentInfo, document: DocumentContext) -> Finding:
    ind = framework.by_id(match.indicator_id)
    marked = [u for u in units if u.marker is not None]
    marker = marked[0].marker if marked else None
    verdict = marker.verdict if marker and marker.verdict else None
    if len({u.marker.verdict for u in marked}) > 1:
        log.warning("%s: units with different verdicts answer %s; kept the first", document.source_file,
                    ind.indicator_id)
    words = [w for u in units for l in u.lines for w in l.words]
    caveat_text = " ".join(filter(None, (find_caveat([w for l in u.lines for w in l.words]) for u in units)))
    body = " ".join(u.text for u in units)
    found = drop_unmapped(marker.glyph) if marker else ""  # a glyph of unknown code is no text: shown as none
    glyph = series().canonical_markers.get(verdict or "", found)
    first_page = units[0].paragraphs[0].page
    on_page = [w for w in words if w.page == first_page] or [units[0].paragraphs[0].anchor]
    anchors = [u.paragraphs[0].anchor for u in units if u.paragraphs[0].page == first_page]
    return Finding(
        doc_id=document.doc_id, source_file=document.source_file, gemeente=info.gemeente, aanpak=column.aanpak,
        year=column.year,
        theme=ind.theme, criterion=ind.criterion, indicator_id=ind.indicator_id, indicator=ind.text,
        verdict=verdict, marker=found, caveat=bool(caveat_text), caveat_text=caveat_text,
        finding=f"{glyph} {body}".strip(), page=first_page, method=document.method(first_page),
        x0=min(w.x0 for w in on_page + anchors), top=min(w.top for w in on_page + anchors),
        x1=max(w.x1 for w in on_page), bottom=max(w.bottom for w in on_page),
        indicator_score=round(min(1.0, match.score), 4), alignment_score=round(alignment, 4),
        marker_confidence=marker.confidence if marker else 0.0,
        finding_id=finding_id(document.doc_id, column.aanpak, column.year, ind.indicator_id),
        **_marker_box(units[0].paragraphs[0].anchor if marker else None), **_header_box(column.header),
        finding_raw=f"{glyph} {' '.join(u.raw_text for u in units)}".strip(),
        ocr_confidence=round(sum(w.confidence for w in words) / len(words), 4) if words else 1.0,
    )


def _marker_box(word) -> dict:
    if word is None:
        return {}
    return {"marker_x0": round(word.x0, 2), "marker_top": round(word.top, 2), "marker_x1": round(word.x1, 2),
            "marker_bottom": round(word.bottom, 2)}


def _header_box(box: Box | None) -> dict:
    if box is None:
        return {}
    return {"header_page": box.page, "header_x0": round(box.x0, 2), "header_top": round(box.top, 2),
            "header_x1": round(box.x1, 2), "header_bottom": round(box.bottom, 2)}


def finding_id(doc_id: str, aanpak: str, year: int, indicator_id: str) -> str:
    """Stable across runs: the same file gives the same ids."""
    key = f"{doc_id}|{name_key(aanpak)}|{year}|{indicator_id}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]
