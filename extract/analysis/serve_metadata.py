"""Datasette's metadata for an output folder, generated from its ``datapackage.json``: the title, description,
licence and source of the dataset, a description for each table and column, the facets people browse by, and the
canned queries for the common questions.

The canned queries count what the inspections' design lets one count. A follow-up lists only the indicators that
failed in the assessed year, so the fail rate of that year comes from the factsheets alone (``documents.kind``); a
scan and its born-digital copy are two documents with the same cells, so a cell (gemeente, aanpak, indicator) counts
once, names compared without case and surrounding spaces; rows a reviewer marked wrong (``findings.review``) are
left out, and the corrected rows carry the corrected values already. Copies that disagree on a cell's verdict are
counted apart (``copies_disagree``), never settled silently. Of the spellings of a name the first in sort order is
shown (capitals sort first). The years are the active series' (``series()``).
"""

from __future__ import annotations

import json
from pathlib import Path

from extract.core.enums import Change, Kind, Verdict
from extract.core.errors import ExitCode, StjError
from extract.output.dataset import SQLITE_FILE
from extract.series.description import series

DATABASE = Path(SQLITE_FILE).stem  # the name Datasette gives the database: its file's stem
FACETS = {"findings": ["gemeente", "year", "theme", "verdict"], "links": ["change", "gemeente"]}


class ServeError(StjError):
    """The folder cannot be served (no dataset in it, the port is taken, ...); the message says what to do."""

    exit_code = ExitCode.bad_usage


NOT_WRONG = "coalesce(review, '') <> 'wrong'"
FAIL, PASS = Verdict.fail.value, Verdict.pass_.value


def fail_rate_sql(assessed: int) -> str:
    """Per indicator: the assessed year's factsheet cells, how many failed and passed, and the fail rate."""
    return f"""-- the {assessed} factsheets only: a follow-up lists only the indicators that failed in {assessed}
WITH judged AS (
  SELECT f.indicator_id, f.theme, f.indicator, f.verdict,
         lower(trim(f.gemeente)) AS g, lower(trim(f.aanpak)) AS a
  FROM findings f JOIN documents d ON d.doc_id = f.doc_id
  WHERE d.kind = '{Kind.factsheet.value}' AND f.year = {assessed} AND f.verdict IN ('{PASS}', '{FAIL}')
    AND {NOT_WRONG.replace("review", "f.review")}
), cells AS (  -- one per gemeente, aanpak and indicator: a scan and its born-digital copy count once
  SELECT indicator_id, max(theme) AS theme, max(indicator) AS indicator,
         min(verdict) AS low, max(verdict) AS high
  FROM judged GROUP BY indicator_id, g, a
)
SELECT indicator_id, max(theme) AS theme, max(indicator) AS indicator,
       count(*) AS assessed,
       sum(low = '{FAIL}' AND high = '{FAIL}') AS fail,
       sum(low = '{PASS}' AND high = '{PASS}') AS pass,
       sum(low <> high) AS copies_disagree,
       round(100.0 * sum(low = '{FAIL}' AND high = '{FAIL}') / nullif(sum(low = high), 0), 1) AS fail_rate_pct
FROM cells
GROUP BY indicator_id
ORDER BY fail_rate_pct DESC, indicator_id"""


def followup_changes_sql() -> str:
    """Per follow-up (gemeente and new aanpak) and change: the links and the indicators they are about."""
    order = " ".join(f"WHEN '{c.value}' THEN {i}" for i, c in enumerate(Change))
    return f"""WITH wrong AS (SELECT finding_id FROM findings WHERE review = 'wrong'),
kept AS (  -- a scan and its born-digital copy count once
  SELECT lower(trim(gemeente)) AS g, lower(trim(aanpak_2014)) AS a14, lower(trim(aanpak_2013)) AS a13,
         indicator_id, change, min(trim(gemeente)) AS gemeente, min(trim(aanpak_2014)) AS aanpak_2014
  FROM links
  WHERE coalesce(finding_2013_id, '') NOT IN (SELECT finding_id FROM wrong)
    AND coalesce(finding_2014_id, '') NOT IN (SELECT finding_id FROM wrong)
  GROUP BY g, a14, a13, indicator_id, change
), counted AS (
  SELECT g, a14, min(gemeente) AS gemeente, min(aanpak_2014) AS aanpak_2014, change, count(*) AS links,
         replace(group_concat(DISTINCT indicator_id), ',', ', ') AS indicators
  FROM (SELECT * FROM kept ORDER BY indicator_id)
  GROUP BY g, a14, change
)
SELECT gemeente, aanpak_2014, change, links,
       sum(links) OVER (PARTITION BY g, a14) AS links_of_followup, indicators
FROM counted
ORDER BY gemeente, aanpak_2014, CASE change {order} END"""


def failed_twice_sql(assessed: int, followup: int) -> str:
    """Per gemeente and indicator that failed in both years: the aanpakken it failed in each year."""
    return f"""WITH failed AS (
  SELECT lower(trim(gemeente)) AS g, indicator_id, year, min(trim(gemeente)) AS gemeente,
         max(indicator) AS indicator, min(trim(aanpak)) AS aanpak
  FROM findings
  WHERE verdict = '{FAIL}' AND year IN ({assessed}, {followup}) AND {NOT_WRONG}
  GROUP BY g, indicator_id, year, lower(trim(aanpak))
)
SELECT min(gemeente) AS gemeente, indicator_id, max(indicator) AS indicator,
       group_concat(aanpak, '; ') FILTER (WHERE year = {assessed}) AS failed_{assessed}_in,
       group_concat(aanpak, '; ') FILTER (WHERE year = {followup}) AS failed_{followup}_in
FROM (SELECT * FROM failed ORDER BY aanpak)
GROUP BY g, indicator_id
HAVING max(year = {assessed}) AND max(year = {followup})
ORDER BY gemeente, indicator_id"""


FINDINGS_WITH_LINKS_SQL = """SELECT finding_id, gemeente, aanpak, year, indicator_id, verdict, caveat, finding,
       source_file, page,
       '/crops/' || finding_id || '.jpg' AS crop_url,
       '/pdf/' || doc_id || '.pdf#page=' || page AS pdf_url
FROM findings
ORDER BY gemeente, year, aanpak, indicator_id"""


def canned_queries() -> dict[str, dict]:
    """The canned queries, by name (read-only: none is a writable query)."""
    current = series()
    assessed, followup = current.assessed_year, current.followup_year
    return {
        f"fail_rate_{assessed}": {
            "title": f"Fail rate per indicator in {assessed} (factsheets only)",
            "description": f"Of the {assessed} factsheets' assessments (one cell per gemeente, aanpak and "
                           f"indicator; a scan and its born-digital copy count once; rows a reviewer marked wrong "
                           f"left out), how many failed and passed; fail_rate_pct = fail / (fail + pass). The "
                           f"follow-ups are left out: they list only the {assessed} failures. An indicator no "
                           f"factsheet assessed has no row (not 0%).",
            "sql": fail_rate_sql(assessed)},
        "followup_changes": {
            "title": "What each follow-up resolved, and what persists",
            "description": f"Per follow-up (gemeente and its {followup} aanpak): the {assessed} → {followup} links "
                           f"by change (resolved: fail → pass, persists: fail → fail, regressed, maintained), "
                           f"one link per indicator and {assessed} aanpak, and the indicators they are about.",
            "sql": followup_changes_sql()},
        "failed_twice": {
            "title": f"Gemeenten where an indicator failed twice ({assessed} and {followup})",
            "description": f"Each gemeente and indicator with a failing finding in {assessed} (a factsheet or a "
                           f"follow-up's {assessed} column) and in {followup}, and the aanpakken it failed in.",
            "sql": failed_twice_sql(assessed, followup)},
        "findings_with_links": {
            "title": "Findings with their crop and PDF page",
            "description": "Every finding with the address of its page crop and of its page in the source PDF.",
            "sql": FINDINGS_WITH_LINKS_SQL},
    }


def read_package(out: Path) -> dict:
    """The folder's ``datapackage.json``; an StjError (bad usage) when it is missing or unreadable."""
    path = out / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ServeError(f"{out} holds no datapackage.json: run `stj run ... --out {out}` first") from None
    except (OSError, ValueError) as exc:
        raise ServeError(f"{path} cannot be read: {exc}") from exc


def metadata(package: dict) -> dict:
    """Datasette's metadata (``metadata.json``) from a data package: databases → tables → description, columns,
    facets; the canned queries; the licence and source at the top."""
    licence = (package.get("licenses") or [{}])[0]
    sources = package.get("sources") or []
    tables = {}
    for resource in package.get("resources", []):
        fields = resource.get("schema", {}).get("fields", [])
        table = {"description": resource.get("description", ""),
                 "columns": {f["name"]: _column(f) for f in fields}}
        if resource["name"] in FACETS:
            table["facets"] = FACETS[resource["name"]]
        tables[resource["name"]] = table
    data = {"title": package.get("title", ""), "description": package.get("description", ""),
            "databases": {DATABASE: {"tables": tables, "queries": canned_queries()}}}
    if licence:
        data["license"] = licence.get("title") or licence.get("name", "")
        if licence.get("path"):
            data["license_url"] = licence["path"]
    if sources:
        data["source"] = sources[0].get("title", "")
        if str(sources[0].get("path", "")).startswith(("http://", "https://")):
            data["source_url"] = sources[0]["path"]
    data["about"] = f"stj-extract {package.get('stj_extract_version', '')}".strip()
    return data


def _column(field: dict) -> str:
    """A column's description, with its allowed values when the schema closes them."""
    text = field.get("description", "")
    enum = field.get("constraints", {}).get("enum")
    if enum and len(enum) <= 8:
        text = f"{text} ({' / '.join(str(v) for v in enum)})" if text else " / ".join(str(v) for v in enum)
    return text
