"""Stage: link. Connect 2013 findings to their 2014 follow-ups.

Every follow-up row for an indicator links the finding of each 2013 aanpak to the 2014 finding of the new aanpak.
When the 2013 factsheet of the same gemeente is in the same run, its row for that indicator and aanpak is the 2013
side of the link; where the two documents disagree on the verdict the link says so in ``conflict`` (never silently
resolved: the follow-up's own 2013 verdict stays in ``verdict_2013_followup``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .framework import ratio, squash
from .records import DocumentResult, Finding

log = logging.getLogger(__name__)

CHANGE = {("fail", "pass"): "resolved", ("fail", "fail"): "persists", ("pass", "fail"): "regressed",
          ("pass", "pass"): "maintained"}
SAME_NAME_RATIO = 0.85


@dataclass
class Link:
    gemeente: str
    indicator_id: str
    aanpak_2013: str
    finding_2013_id: str
    verdict_2013: str
    aanpak_2014: str
    finding_2014_id: str
    verdict_2014: str
    change: str
    source: str
    conflict: str
    verdict_2013_followup: str
    followup_doc_id: str


def same_name(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return bool(a) and (a == b or ratio(a, b) >= SAME_NAME_RATIO)


def build_links(results: list[DocumentResult]) -> list[Link]:
    factsheet_rows = [f for r in results if r.info.kind == "factsheet" for f in r.findings]
    links: list[Link] = []
    for result in results:
        if result.info.kind != "followup":
            continue
        links += followup_links(result, factsheet_rows)
    return links


def followup_links(result: DocumentResult, factsheet_rows: list[Finding]) -> list[Link]:
    rows = result.findings
    later = {f.indicator_id: f for f in rows if f.year == 2014}
    links = []
    for indicator_id, new in later.items():
        for aanpak in result.info.aanpak_2013:
            old = next((f for f in rows if f.year == 2013 and f.indicator_id == indicator_id
                        and same_name(f.aanpak, aanpak)), None)
            sheet = next((f for f in factsheet_rows if f.indicator_id == indicator_id
                          and same_name(f.gemeente, result.info.gemeente) and same_name(f.aanpak, aanpak)), None)
            link = make_link(old, sheet, new, aanpak, result.doc_id)
            if link:
                links.append(link)
    return links


def make_link(old: Finding | None, sheet: Finding | None, new: Finding, aanpak: str, doc_id: str) -> Link | None:
    base = sheet or old
    if base is None or not base.verdict or not new.verdict:
        return None
    conflict = ""
    if sheet and old and sheet.verdict != old.verdict:
        conflict = (f"the 2013 factsheet ({sheet.source_file}, page {sheet.page}) says {sheet.verdict}, the follow-up "
                    f"({old.source_file}, page {old.page}) says {old.verdict} for 2013")
        log.warning("%s %s %s: %s", new.gemeente, new.indicator_id, aanpak, conflict)
    return Link(
        gemeente=new.gemeente, indicator_id=new.indicator_id, aanpak_2013=base.aanpak,
        finding_2013_id=base.finding_id, verdict_2013=base.verdict, aanpak_2014=new.aanpak,
        finding_2014_id=new.finding_id, verdict_2014=new.verdict, change=CHANGE[(base.verdict, new.verdict)],
        source="factsheet+followup" if sheet else "followup", conflict=conflict,
        verdict_2013_followup=old.verdict or "" if old else "", followup_doc_id=doc_id,
    )
