"""The findings table model: which column of a table holds the indicators, and, for every findings column, the
(aanpak, year) its findings belong to. One model for factsheets and follow-ups alike.

A findings column is keyed by (aanpak, year). Each part is told by the best evidence there is, in this order:

1. **the column's header cell**: "Bevindingen <aanpak>", "<year> <aanpak>", a bare name, or only a year;
2. **the column at the same place in the document's other tables** (a continued table, or the incomplete
   "2013 | 2014 | 2014" header of a follow-up, is read from a complete header in the same position);
3. **the section the table stands in**: "Aanpak: <name>" (or "Aanpak: A en B") starts a section and the next one
   ends it; its aanpakken fill its tables' unnamed columns from the left;
4. **what the document declares**: the aanpakken of the title block, the introduction ("In deze factsheet beoordeelt
   STJ de aanpak 'A' en de aanpak 'B'") and, in a follow-up, the "(2013: … en …)" line, in declared order, the later
   year's aanpak in the last column.

A factsheet with one findings column is the one-column case: its only column is its only aanpak's, in the assessed
year. Nothing here depends on a gemeente, an aanpak's name or a page; the words are the series description's.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from extract.core.enums import Kind, Role
from extract.core.records import Box, DocumentInfo, Section, Table
from extract.core.stages import AlignSettings
from extract.core.text import squash
from extract.series.description import series
from extract.series.identity import aanpak_year, canonical_for

log = logging.getLogger(__name__)


@dataclass
class FindingsColumn:
    """A findings column of a table: its index, the (aanpak, year) of its findings, and ``header``: the box of the
    column's header cell when that cell bears out the column (a cell naming its year; a factsheet's label or name
    cell, whose year is the series' assessed year), None when the column was told otherwise."""

    index: int
    year: int
    aanpak: str
    header: Box | None = None
    told_by: str = "header"  # header | place (a column at the same place elsewhere) | section | declared

    @property
    def key(self) -> tuple[str, int]:
        return self.aanpak, self.year


@dataclass
class TableRoles:
    indicator_column: int
    findings_columns: list[FindingsColumn]


# ---------------------------------------------------------------- headers


def _header_starts(column_header: str, *prefixes: str) -> bool:
    key = squash(column_header)
    return any(key.startswith(p) for p in prefixes)


def indicator_column(table: Table) -> int:
    """The column headed by an indicator word ("Indicatoren"), else the one before the last."""
    heads = series().indicator_heads
    return next((i for i, c in enumerate(table.columns) if _header_starts(c.header, *heads)),
                max(0, len(table.columns) - 2))


def header_year_and_name(header: str) -> tuple[int | None, str]:
    """What a findings column's header cell says: "2013 Aanpak A" → (2013, "Aanpak A"); "2014" → (2014, "");
    "Bevindingen Samen Sterk" → (None, "Samen Sterk"); "Bevindingen" → (None, ""); a bare name → (None, name).
    A header word of the series alone ("Toelichting", "Indicatoren") names nothing."""
    current = series()
    text = " ".join((header or "").split())
    heads = "|".join(re.escape(h) for h in sorted(current.findings_heads, key=len, reverse=True))
    text = re.sub(rf"^\W*(?:{heads})\b\W*", "", text, flags=re.IGNORECASE) if heads else text
    match = re.match(r"^\W*((?:19|20)\d\d)\b\s*(.*)$", text)
    year, name = (int(match.group(1)), match.group(2).strip()) if match else (None, text.strip())
    if name and (squash(name) in current.cell_heads or not re.search(r"[A-Za-zÀ-ÿ]{2}", name)):
        name = ""
    return year, name


def findings_column_indexes(table: Table) -> list[int]:
    """The columns after the indicator column, less those headed only by a label word of the series ("Toelichting",
    "Nr."), as long as one is left."""
    first = indicator_column(table) + 1
    indexes = list(range(first, len(table.columns)))
    labels = series().column_labels
    kept = [i for i in indexes if squash(table.columns[i].header) not in labels or not table.columns[i].header]
    return kept or indexes[-1:]


def header_names(tables: list[Table], kind: Kind) -> list[tuple[float, int, str]]:
    """(x position, year, name as written) of every findings column header that names an aanpak, in document order.
    A factsheet's header without a year is the assessed year's."""
    found, current = [], series()
    for table in tables:
        for index in findings_column_indexes(table):
            column = table.columns[index]
            year, name = header_year_and_name(column.header)
            year = current.assessed_year if year is None and kind == Kind.factsheet else year
            if name:
                found.append((column.x0, year, name))
    return found


def named_columns(tables: list[Table], kind: Kind, tolerance: float = AlignSettings().column_x_tolerance
                  ) -> list[tuple[float, int | None, str]]:
    """(x position, year, aanpak as written) of the columns whose header names an aanpak, left to right, one per
    column position (tables on other pages or scans may shift a column a few points: ``tolerance``)."""
    named: list[tuple[float, int | None, str]] = []
    for x, year, name in header_names(tables, kind):
        if not any(abs(x - seen) <= tolerance for seen, _, _ in named):
            named.append((x, year, name))
    return sorted(named)


# ---------------------------------------------------------------- sections


def table_start(table: Table) -> tuple[int, float]:
    """Where a table starts in the document: its first page and the top of its header (or first body line)."""
    tops = [c.cell.top for c in table.columns if c.cell is not None and c.cell.page == table.pages[0]]
    tops += [cell[0].top for cell in table.cells if cell and cell[0].page == table.pages[0]]
    return table.pages[0], min(tops) if tops else 0.0


def section_of(table: Table, sections: list[Section]) -> Section | None:
    """The section a table stands in: the last one that starts before it (None before the first)."""
    start = table_start(table)
    before = [s for s in sections if (s.page, s.top) <= start]
    return before[-1] if before else None


# ---------------------------------------------------------------- roles


def declared_keys(info: DocumentInfo) -> list[tuple[str, int]]:
    """The (aanpak, year) columns the document declares, in declared order: a factsheet's assessed aanpakken; a
    follow-up's earlier ones, then its later one."""
    if info.kind == Kind.factsheet:
        return [(a.canonical, aanpak_year(a)) for a in info.aanpakken if a.role == Role.assessed]
    earlier = [(name, series().assessed_year) for name in info.aanpak_2013]
    return earlier + ([(info.aanpak, series().followup_year)] if info.aanpak else [])


def table_roles(table: Table, info: DocumentInfo, tables: list[Table], settings: AlignSettings = AlignSettings()
                ) -> TableRoles:
    """The indicator column and every findings column with its (aanpak, year)."""
    indicator = indicator_column(table)
    return TableRoles(indicator, findings_columns(table, info, tables, settings))


def findings_columns(table: Table, info: DocumentInfo, tables: list[Table],
                     settings: AlignSettings = AlignSettings()) -> list[FindingsColumn]:
    """(aanpak, year) of each findings column of ``table``, by header, same place elsewhere, section, declaration."""
    indexes = findings_column_indexes(table)
    told = [_told_by_header(table, i, info, tables, settings.column_x_tolerance) for i in indexes]
    fill = _fill_order(table, info, len(indexes))
    taken = {key for key, _ in told if key[0]}
    spare = iter([key for key in fill if key not in taken])
    section = section_of(table, info.sections) if info.kind == Kind.factsheet else None
    result = []
    for offset, (index, ((name, year), box)) in enumerate(zip(indexes, told)):
        told_by = "header" if header_year_and_name(table.columns[index].header)[1] else "place"
        if not name:
            year, name = _unnamed(offset, len(indexes), year, fill, spare)
            told_by = "section" if section is not None and fill != declared_keys(info) else "declared"
        result.append(FindingsColumn(index, year, name, box, told_by))
    return result


def next_declared(columns: list[FindingsColumn], info: DocumentInfo, repeated: set[tuple[str, int]]
                  ) -> list[FindingsColumn] | None:
    """A factsheet table whose only column was filled from the declarations, while its indicators were answered
    for that aanpak already, is the next declared aanpak's (a factsheet repeating its tables per aanpak without a
    section heading): the column moved to the first declared aanpak not yet ``repeated``; None when there is none."""
    if info.kind != Kind.factsheet or len(columns) != 1 or columns[0].told_by != "declared":
        return None
    column = columns[0]
    following = [key for key in declared_keys(info) if key not in repeated and key != column.key]
    if not following:
        return None
    name, year = following[0]
    log.info("a table repeats indicators of %s: taken for the next declared aanpak, %s", column.aanpak, name)
    return [FindingsColumn(column.index, year, name, column.header, "declared")]


def _told_by_header(table: Table, index: int, info: DocumentInfo, tables: list[Table], tolerance: float
                    ) -> tuple[tuple[str, int | None], Box | None]:
    """The (canonical aanpak or '', year or None) a column's header tells, directly or through the named column at
    the same place in another table, and the header box that bears it out."""
    current = series()
    column = table.columns[index]
    written, name = header_year_and_name(column.header)
    year = written
    if info.kind == Kind.factsheet:
        year = current.assessed_year if year is None else year
    if not name:
        same_place = [(y, n) for x, y, n in named_columns(tables, info.kind, tolerance)
                      if abs(x - column.x0) <= tolerance and (y is None or y == current.assessed_year)]
        if same_place and (written is None or written == current.assessed_year or info.kind == Kind.followup):
            year, name = current.assessed_year, same_place[0][1]
    if name and year is None:  # a bare name in a follow-up: the year of the aanpak it names
        year = _year_of_name(info, name)
    box = column.cell if (info.kind == Kind.factsheet and written in (None, year)) or (
        written is not None and written == year) else None
    return (canonical_for(info.aanpakken, name, year) if name and year else "", year), box


def _year_of_name(info: DocumentInfo, name: str) -> int | None:
    for aanpak in info.aanpakken:
        if canonical_for([aanpak], name, aanpak_year(aanpak)) == aanpak.canonical:
            return aanpak_year(aanpak)
    return None


def _fill_order(table: Table, info: DocumentInfo, count: int) -> list[tuple[str, int]]:
    """The (aanpak, year) keys that fill a table's unnamed columns, left to right: its section's aanpakken when they
    are as many as its columns (or it has one column), else those the document declares."""
    section = section_of(table, info.sections) if info.kind == Kind.factsheet else None
    year = series().assessed_year
    if section is not None and (len(section.aanpakken) == count or count == 1):
        return [(name, year) for name in section.aanpakken]
    return declared_keys(info)


def _unnamed(offset: int, count: int, written: int | None, fill: list[tuple[str, int]], spare) -> tuple[int, str]:
    """A column its header does not name: the follow-up year's column (a later year, written or declared last) is
    the last; the others take the declared keys in order."""
    later = [key for key in fill if key[1] != series().assessed_year]
    if later and (offset == count - 1 and written != series().assessed_year or written == later[-1][1]):
        return later[-1][1], later[-1][0]
    for name, year in spare:
        if year == series().assessed_year:
            return year, name
    return written or series().assessed_year, ""
