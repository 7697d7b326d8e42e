"""Coverage: check a document's findings against what the series promises it holds, page by page.

The series tells what a document must contain, so a row lost on the way (a page whose table rules were missed, a
findings cell read as empty) can be named instead of passing silently:

* a **factsheet** assesses every indicator of the framework for its aanpak: each indicator has a cell in one of the
  theme tables, and each cell gives a finding;
* a **follow-up** lists only the indicators that failed in the assessed year, and answers each listed row in the
  assessed year's column (or one of them, when it names several aanpakken); its follow-up year's cell may be empty
  (no finding reported), which a text layer shows plainly, but on a scan an empty cell cannot be told from text
  the scan lost, so there the follow-up year is owed too.

``document_coverage`` compares the indicator cells the findings stage recognised (``IndicatorCell``) with the
findings made from them and returns one ``PageCoverage`` per page that holds indicator cells (plus one, on page 0,
for the framework indicators that no table showed at all), and the document's ``Coverage`` totals.
``coverage_problems`` turns every shortfall into a one-line reason naming the page and the indicators, for example
``page 4: 9 of 10 indicator cells gave no finding (I08, I10–I17)``; a factsheet's indicator that no table showed is
placed on the page where it was due (that of the indicator before it in the framework's order). A document may be ``ok`` only when its coverage
is complete.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace

from extract.core.enums import Kind, ProblemCategory
from extract.core.problems import Problem
from extract.core.records import AanpakCoverage, Coverage, Finding, IndicatorCell, PageCoverage
from extract.core.rows import Aanpak
from extract.series.description import series
from extract.series.identity import aanpak_year

log = logging.getLogger(__name__)

UNSEEN_PAGE = 0  # PageCoverage.page of the indicators that no table showed
LOST = ProblemCategory.lost_rows


def document_coverage(kind: Kind, cells: list[IndicatorCell], framework_ids: list[str],
                      declared: list[Aanpak] = (), findings: list[Finding] = (),
                      columns: set[tuple[str, int]] = frozenset()) -> Coverage | None:
    """The coverage of a factsheet or follow-up (None for other kinds: the report holds no findings table).

    A factsheet must show every id of ``framework_ids`` for every aanpak it declares (``declared``: its assessed
    aanpakken); a follow-up every row it lists, answered in the years it owes (``IndicatorCell.owed``; a table whose
    header lost a year's column still owes that year), and, for every aanpak it names, a findings column in its
    tables (``columns``: a column seen whose cells are all empty reports no finding, which is no loss). An
    indicator recognised twice for one aanpak counts once, by its most complete cell."""
    if kind == Kind.factsheet:
        return _factsheet_coverage(cells, framework_ids, declared)
    if kind != Kind.followup:
        return None
    best = _best_cells(cells)
    pages = _page_coverage(list(best.values()))
    rows = Counter((f.aanpak, f.year) for f in findings)
    keys = [(a, (a.canonical, aanpak_year(a))) for a in declared]
    per_aanpak = [AanpakCoverage(key[0], key[1], 0 if key in columns and not rows[key] else None, rows[key], a.page)
                  for a, key in keys]
    found = sum(1 for cell in best.values() if cell.complete)
    return Coverage(expected=len(best), found=found, pages=pages, aanpakken=per_aanpak)


def _best_cells(cells: list[IndicatorCell]) -> dict[str, IndicatorCell]:
    """Per indicator, its most complete cell (a table whose header lost a year's column still owes that year)."""
    years = {year for cell in cells for year in cell.years}
    best: dict[str, IndicatorCell] = {}
    for cell in (_owing_lost_columns(c, years) for c in cells):
        known = best.get(cell.indicator_id)
        if known is None or (cell.complete and not known.complete):
            best[cell.indicator_id] = cell
    return best


def _factsheet_coverage(cells: list[IndicatorCell], framework_ids: list[str], declared: list[Aanpak]) -> Coverage:
    """Every framework indicator for every declared aanpak: per aanpak its cells, its unseen indicators placed on
    the page they were due, and an aanpak with no cell at all on the page it is declared on."""
    names = [a.canonical for a in declared]
    names += [n for n in dict.fromkeys(c.aanpak for c in cells) if n not in names]  # a column no declaration names
    pages: list[PageCoverage] = []
    per_aanpak: list[AanpakCoverage] = []
    for name in names or [""]:
        best = _best_cells([c for c in cells if c.aanpak == name])
        page = next((a.page for a in declared if a.canonical == name), None)
        if best:
            found_pages = _place_unseen(_page_coverage(list(best.values()), name), framework_ids, best, name)
        else:
            found_pages = [PageCoverage(page or UNSEEN_PAGE, len(framework_ids), 0, list(framework_ids), {},
                                        list(framework_ids), name)]
        expected = len(set(framework_ids) | set(best))
        found = sum(1 for cell in best.values() if cell.complete)
        pages += found_pages
        missing = () if best else tuple(framework_ids)
        per_aanpak.append(AanpakCoverage(name, series().assessed_year, expected, found, page, missing))
    order = {name: index for index, name in enumerate(names)}
    pages.sort(key=lambda p: (p.page, order.get(p.aanpak, 0)))
    return Coverage(expected=sum(a.expected for a in per_aanpak), found=sum(a.found for a in per_aanpak),
                    pages=pages, aanpakken=per_aanpak)


def _owing_lost_columns(cell: IndicatorCell, years: set[int]) -> IndicatorCell:
    """A table whose header lost a year's column (its findings then run together in another column) still owes
    that year: the document's other tables show the column."""
    lost = years - set(cell.years)
    return replace(cell, owed=tuple(sorted(set(cell.owed) | lost))) if lost else cell


def _place_unseen(pages: list[PageCoverage], framework_ids: list[str],
                  seen: dict[str, IndicatorCell], aanpak: str = "") -> list[PageCoverage]:
    """Framework indicators no table showed, on the page where they were due: that of the nearest indicator before
    them in the framework's order that was seen (or after them, for the first ones); page 0 when none was seen."""
    by_page = {p.page: p for p in pages}
    for index, indicator_id in enumerate(framework_ids):
        if indicator_id in seen:
            continue
        before = [seen[i].page for i in reversed(framework_ids[:index]) if i in seen]
        after = [seen[i].page for i in framework_ids[index + 1:] if i in seen]
        page = before[0] if before else after[0] if after else UNSEEN_PAGE
        coverage = by_page.setdefault(page, PageCoverage(page, 0, 0, aanpak=aanpak))
        coverage.cells += 1
        coverage.missing.append(indicator_id)
        coverage.unseen.append(indicator_id)
    return [by_page[p] for p in sorted(by_page)]


def _page_coverage(cells: list[IndicatorCell], aanpak: str = "") -> list[PageCoverage]:
    by_page: dict[int, PageCoverage] = {}
    for cell in sorted(cells, key=lambda c: (c.page, c.indicator_id)):
        page = by_page.setdefault(cell.page, PageCoverage(cell.page, 0, 0, aanpak=aanpak))
        page.cells += 1
        if cell.complete:
            page.complete += 1
            continue
        page.missing.append(cell.indicator_id)
        if cell.answered:
            page.missing_years[cell.indicator_id] = list(cell.missing_years)
    return [by_page[p] for p in sorted(by_page)]


def coverage_problems(coverage: Coverage | None) -> list[Problem]:
    """One line per page (and aanpak) with a shortfall, naming the indicators, and one per declared aanpak that
    gave no finding at all (empty when coverage is complete)."""
    if coverage is None:
        return []
    lost = [a for a in coverage.aanpakken if not a.found and a.aanpak and a.expected != 0]
    absent = {a.aanpak for a in lost}
    problems = [_absent(a) for a in lost]
    several = len(coverage.aanpakken) > 1
    for page in coverage.pages:
        if not page.short or (page.aanpak in absent and page.aanpak):
            continue
        problems += _page_problems(page, f" for aanpak '{page.aanpak}'" if several and page.aanpak else "")
    return problems


def _absent(aanpak: AanpakCoverage) -> Problem:
    """An aanpak the document declares that gave no finding: named with the page it is declared on."""
    where = f", declared on page {aanpak.page}," if aanpak.page else ""
    owed = f": {aanpak.expected} of {aanpak.expected} indicators missing" if aanpak.expected else ""
    owed += f" ({id_ranges(aanpak.missing)})" if aanpak.missing else ""
    return Problem(aanpak.page, LOST, f"aanpak '{aanpak.aanpak}'{where} has no findings{owed}")


def _page_problems(page: PageCoverage, whose: str) -> list[Problem]:
    problems = []
    if page.unseen:
        where = page.page if page.page != UNSEEN_PAGE else None
        problems.append(Problem(where, LOST, f"{len(page.unseen)} of the framework's indicators were not found in "
                                f"any table{whose} ({id_ranges(page.unseen)}): rows may be missing"))
    empty = [i for i in page.missing if i not in page.missing_years and i not in page.unseen]
    if empty:
        problems.append(Problem(page.page, LOST, f"{len(empty)} of {page.cells - len(page.unseen)} indicator "
                                f"cells gave no finding{whose} ({id_ranges(empty)})"))
    for years, ids in _by_missing_years(page).items():
        problems.append(Problem(page.page, LOST, f"{len(ids)} of {page.cells} indicator rows have no finding "
                                f"for {' or '.join(str(y) for y in years)} ({id_ranges(ids)})"))
    return problems


def _by_missing_years(page: PageCoverage) -> dict[tuple[int, ...], list[str]]:
    groups: dict[tuple[int, ...], list[str]] = {}
    for indicator_id, years in page.missing_years.items():
        groups.setdefault(tuple(years), []).append(indicator_id)
    return groups


ID_FORM = re.compile(r"^([A-Za-z]*)(\d+)$")


def id_ranges(ids: list[str]) -> str:
    """Indicator ids with consecutive runs of three or more shortened: I08, I10–I17."""
    parsed = [ID_FORM.match(i) for i in ids]
    if not all(parsed):
        return ", ".join(ids)
    keyed = sorted({(m.group(1), int(m.group(2)), i) for m, i in zip(parsed, ids)})
    runs: list[list[tuple[str, int, str]]] = []
    for item in keyed:
        if runs and runs[-1][-1][0] == item[0] and runs[-1][-1][1] + 1 == item[1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{run[0][2]}–{run[-1][2]}")
        else:
            parts += [item[2] for item in run]
    return ", ".join(parts)
