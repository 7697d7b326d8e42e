"""Stage: link. Connect 2013 findings to their 2014 follow-ups.

Every follow-up row for an indicator links the finding of each 2013 aanpak to the 2014 finding of the new aanpak.
Links are keyed on the follow-up, the indicator and the 2013 aanpak's canonical name (``identity``), so a link id
is unique by construction however often or however differently the document spells the aanpak; the factsheet of
the same gemeente (compared exactly, ``identity.same_gemeente``) judges the same aanpak when any spelling of one names
the other.
When the 2013 factsheet of the same gemeente is in the same run, its row for that indicator and aanpak is the 2013
side of the link; where the two documents disagree on the verdict the link says so in ``conflict`` (never silently
resolved: the follow-up's own 2013 verdict stays in ``verdict_2013_followup``).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from extract import __version__
from extract.core.enums import Change, Kind, LinkSource, ProblemCategory, Verdict
from extract.core.problems import Problem
from extract.core.records import DocumentInfo, DocumentResult, Finding, FindingKey
from extract.core.rows import Aanpak, Link
from extract.document.coverage import id_ranges
from extract.series.description import series
from extract.series.identity import aanpak_names, aanpak_year, gemeente_key, name_key, role_of_year, same_aanpak_as

log = logging.getLogger(__name__)

CHANGE = {(Verdict.fail, Verdict.pass_): Change.resolved, (Verdict.fail, Verdict.fail): Change.persists,
          (Verdict.pass_, Verdict.fail): Change.regressed, (Verdict.pass_, Verdict.pass_): Change.maintained}


def link_id(followup_doc_id: str, indicator_id: str, aanpak_2013: str) -> str:
    """One link per follow-up, indicator and (canonical) 2013 aanpak: unique by construction."""
    return hashlib.sha256(f"{followup_doc_id}|{indicator_id}|{name_key(aanpak_2013)}".encode()).hexdigest()[:16]


def build_links(results: list[DocumentResult]) -> list[Link]:
    factsheets = factsheet_index([r for r in results if r.info.kind == Kind.factsheet])
    links: list[Link] = []
    for result in results:
        if result.info.kind != Kind.followup:
            continue
        try:
            links += followup_links(result, factsheets)
        except Exception as exc:  # noqa: BLE001 - one document's links must not cost the batch its dataset
            log.exception("links of %s", result.source_file)
            result.add_problem(Problem(None, ProblemCategory.link_failed, "its links could not be built (internal "
                                       f"error in stj-extract {__version__}, {type(exc).__name__}: {exc}); please "
                                       "report this with the file"))
    return links


def _aanpak_record(info: DocumentInfo, canonical: str, year: int) -> Aanpak:
    found = next((a for a in info.aanpakken if aanpak_year(a) == year and a.canonical == canonical), None)
    return found or Aanpak(canonical, role_of_year(year))


Row = Finding | FindingKey  # a whole finding, or what a run keeps of it in memory (``parts.slim``)
FactsheetIndex = dict[str, list[tuple[DocumentResult, Row]]]  # gemeente key → (factsheet, its 2013 row)


def factsheet_index(factsheets: list[DocumentResult]) -> FactsheetIndex:
    """The factsheets' 2013 rows by gemeente (``identity.gemeente_key``), so that linking a follow-up looks at its
    own gemeente's rows only (a run over the whole series stays linear)."""
    index: FactsheetIndex = defaultdict(list)
    assessed = series().assessed_year
    for sheet in factsheets:
        for finding in sheet.findings:
            key = gemeente_key(finding.gemeente)
            if finding.year == assessed and key:
                index[key].append((sheet, finding))
    return index


def factsheet_rows(factsheets: FactsheetIndex, gemeente: str, aanpak: Aanpak) -> dict[str, Row]:
    """The 2013 rows (by indicator) of the factsheets of the same gemeente that judge the same aanpak."""
    rows: dict[str, Row] = {}
    assessed = series().assessed_year
    for sheet, finding in factsheets.get(gemeente_key(gemeente), ()):
        if same_aanpak_as(_aanpak_record(sheet.info, finding.aanpak, assessed), aanpak):
            rows.setdefault(finding.indicator_id, finding)
    return rows


def followup_links(result: DocumentResult, factsheets: FactsheetIndex) -> list[Link]:
    rows, current = result.findings, series()
    later = {f.indicator_id: f for f in rows if f.year == current.followup_year}
    links = []
    for canonical in dict.fromkeys(result.info.aanpak_2013):
        aanpak = _aanpak_record(result.info, canonical, current.assessed_year)
        earlier = {f.indicator_id: f for f in rows
                   if f.year == current.assessed_year and aanpak_names(aanpak, f.aanpak)}
        sheets = factsheet_rows(factsheets, result.info.gemeente, aanpak)
        _check_listed(result, canonical, sheets, set(later) | set(earlier))
        for indicator_id, new in later.items():
            link = make_link(earlier.get(indicator_id), sheets.get(indicator_id), new, canonical, result.doc_id)
            if link:
                links.append(link)
    return links


def _check_listed(result: DocumentResult, aanpak: str, sheet_rows: dict[str, Row], listed: set[str]) -> None:
    """A follow-up revisits every verbeterpunt of its assessed year: each failure the factsheet of the same gemeente
    and aanpak records must be a row of the follow-up. One it lacks is named, and the follow-up made partial."""
    failed = sorted(i for i, row in sheet_rows.items() if row.verdict == Verdict.fail and i not in listed)
    if not failed:
        return
    source = next(iter(sheet_rows.values())).source_file
    result.add_problem(Problem(None, ProblemCategory.lost_rows, f"{len(failed)} verbeterpunten of {aanpak} in the "
                               f"factsheet {source} have no row in this follow-up ({id_ranges(failed)}): rows may be "
                               "missing"))


def make_link(old: Row | None, sheet: Row | None, new: Row, aanpak: str, doc_id: str) -> Link | None:
    base = sheet or old
    if base is None or not base.verdict or not new.verdict:
        return None
    conflict = ""
    if sheet and old and sheet.verdict != old.verdict:
        year = series().assessed_year
        conflict = (f"the {year} factsheet ({sheet.source_file}, page {sheet.page}) says {sheet.verdict}, the "
                    f"follow-up ({old.source_file}, page {old.page}) says {old.verdict} for {year}")
        log.warning("%s %s %s: %s", new.gemeente, new.indicator_id, aanpak, conflict)
    return Link(
        link_id=link_id(doc_id, new.indicator_id, aanpak),
        gemeente=new.gemeente, indicator_id=new.indicator_id, aanpak_2013=aanpak,
        finding_2013_id=base.finding_id, verdict_2013=base.verdict, aanpak_2014=new.aanpak,
        finding_2014_id=new.finding_id, verdict_2014=new.verdict, change=CHANGE[(base.verdict, new.verdict)],
        source=LinkSource.both if sheet else LinkSource.followup, conflict=conflict,
        verdict_2013_followup=old.verdict or "" if old else "", followup_doc_id=doc_id,
    )
