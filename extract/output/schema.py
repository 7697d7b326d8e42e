"""The dataset's schema: each table's fields (name, type, description, enum, required), its primary and foreign keys
and the pandas type of each field type. The single source of truth: ``dataset`` derives the frames' columns, the
checks, the SQLite DDL and the data package from it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from extract.core.enums import Change, Kind, LinkSource, Method, OrganisationRole, Status, Verdict
from extract.series import framework
from extract.series.identity import roles


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # frictionless: string, integer, number, boolean
    description: str = ""
    enum: tuple[str, ...] | None = None
    required: bool = False


S, I, N, B = "string", "integer", "number", "boolean"
KINDS, STATUSES = tuple(k.value for k in Kind), tuple(s.value for s in Status)
VERDICTS = tuple(v.value for v in Verdict)
FROM_SERIES = ("<the active series'>",)  # an enum ``table_schema`` takes from the series (indicator ids, roles)

SCHEMA: dict[str, list[Field]] = {
    "documents": [
        Field("doc_id", S, "first 16 hex digits of the file's SHA-256", required=True),
        Field("source_file", S, "file name as found", required=True),
        Field("path", S, "path as given to stj run"),
        Field("sha256", S, "SHA-256 of the file"),
        Field("kind", S, "document kind", KINDS, True),
        Field("gemeente", S), Field("published", S, "YYYY-MM"),
        Field("aanpak", S, "assessed aanpak (factsheet) or 2014 aanpak (follow-up)"),
        Field("aanpak_2013", S, "2013 aanpakken, '; '-separated"),
        Field("pages", I, "number of pages of the file"),
        Field("first_page", I, "the document's first page in its file (a file may hold several documents, each "
                               "starting at a title block of the series)"),
        Field("last_page", I, "the document's last page in its file"),
        Field("status", S, "extraction status", STATUSES, True),
        Field("error", S, "one line per problem, '; '-separated"), Field("findings", I, "rows in findings"),
        Field("indicators_expected", I, "rows the document must answer: a factsheet every indicator of the "
                                        "framework for every aanpak it declares, a follow-up every row it lists "
                                        "(empty for other kinds)"),
        Field("indicators_found", I, "of those, the rows answered completely (a follow-up row: in the assessed "
                                     "and the follow-up year); less than expected makes the document partial"),
    ],
    "coverage": [
        Field("coverage_id", S, "doc_id and page", required=True), Field("doc_id", S, required=True),
        Field("page", I, "the page of the indicator cells; 0 for framework indicators no table showed"),
        Field("aanpak", S, "a factsheet's: the aanpak the cells answer for (one findings column each); empty for a "
                           "follow-up's rows"),
        Field("indicator_cells", I, "indicator cells recognised on the page (or, on page 0, indicators not seen)"),
        Field("complete", I, "cells that gave every finding they owe"),
        Field("missing", S, "indicators short, '; '-separated"),
    ],
    "findings": [
        Field("finding_id", S, "stable id: hash of doc_id, aanpak, year and indicator", required=True),
        Field("doc_id", S, required=True), Field("source_file", S, "file name of that document"),
        Field("gemeente", S), Field("aanpak", S, "the aanpak judged: its canonical name (aanpakken.aanpak)"),
        Field("year", I, "2013 or 2014", required=True),
        Field("theme", S, "theme of the framework (toetsingskader) the indicator belongs to"),
        Field("criterion", S, "criterion of the framework the indicator belongs to"),
        Field("indicator_id", S, "I01-I30 of the toetsingskader", FROM_SERIES, True),
        Field("indicator", S, "canonical indicator text"),
        Field("verdict", S, "pass (check) or fail (cross); empty when the marker could not be read", VERDICTS),
        Field("marker", S, "the marker glyph as found (the series' own for a corrected verdict)"),
        Field("caveat", B, "a LET OP caveat is present"), Field("caveat_text", S, "the caveat's text"),
        Field("finding", S, "canonical marker, then the paragraphs joined"),
        Field("page", I, "1-based page of the finding's first line"),
        Field("method", S, "how the page was read: text (its text layer) or ocr (a scan, or text drawn as outlines)",
              tuple(m.value for m in Method)),
        Field("x0", N, "the finding's box on its page: PDF points, origin at the top-left corner of the page"),
        Field("top", N, "see x0"), Field("x1", N, "see x0"), Field("bottom", N, "see x0"),
        Field("marker_x0", N, "the marker's box, same coordinates"), Field("marker_top", N, "see marker_x0"),
        Field("marker_x1", N, "see marker_x0"), Field("marker_bottom", N, "see marker_x0"),
        Field("header_page", I, "the column header cell over the finding's column that bears out its year: its page "
                                "(the table's first page when the table continues over pages, so it can be before "
                                "page); in a follow-up the cell names the year and mostly the aanpak (a cell reading "
                                "only the year leaves the aanpak to the subtitle, or to the cell at the same place in "
                                "another table); in a factsheet it is the findings column's label (Bevindingen), naming "
                                "neither: the aanpak is the title's and the year the series' assessed year; empty when "
                                "the cell names no year or another one than the row's (the year was then told by the "
                                "column's place)"),
        Field("header_x0", N, "that cell's box (around its words) on header_page, same coordinates as x0"),
        Field("header_top", N, "see header_x0"), Field("header_x1", N, "see header_x0"),
        Field("header_bottom", N, "see header_x0"),
        Field("indicator_score", N, "similarity of the indicator text to the framework wording"),
        Field("alignment_score", N, "how surely the finding answers this indicator"),
        Field("marker_confidence", N, "1.0 for a glyph in a text layer; the pixel classifier's vote share for OCR"),
        Field("confidence", N, "the weakest of marker_confidence, indicator_score, alignment_score, ocr_confidence"),
        Field("finding_raw", S, "OCR: the finding as read, before vocabulary repair (same as finding otherwise)"),
        Field("ocr_confidence", N, "mean Tesseract word confidence (1.0 for a text layer)"),
        Field("corrected", B, "a reviewer's correction was applied to this row"),
        Field("review", S, "a reviewer's mark", ("right", "wrong")),
        Field("correction_note", S, "reviewer and note of the corrections applied"),
    ],
    "links": [
        Field("link_id", S, "stable id of the link", required=True), Field("gemeente", S),
        Field("indicator_id", S, "I01-I30 of the toetsingskader", FROM_SERIES),
        Field("aanpak_2013", S, "the aanpak judged in 2013"),
        Field("finding_2013_id", S, "its 2013 finding (findings.finding_id): the factsheet's when source is "
                                    "factsheet+followup, else the follow-up's"),
        Field("verdict_2013", S, "that finding's verdict", VERDICTS),
        Field("aanpak_2014", S, "the aanpak judged in 2014 (the follow-up's new aanpak)"),
        Field("finding_2014_id", S, "its 2014 finding (findings.finding_id)"),
        Field("verdict_2014", S, "that finding's verdict", VERDICTS),
        Field("change", S, "resolved (fail → pass), persists (fail → fail), regressed (pass → fail), maintained "
                           "(pass → pass)", tuple(c.value for c in Change), True),
        Field("source", S, "where the 2013 side comes from: followup (the follow-up's own 2013 column) or "
                           "factsheet+followup (the gemeente's 2013 factsheet in the same run)",
              tuple(s.value for s in LinkSource), True),
        Field("conflict", S, "text when two documents disagree"),
        Field("verdict_2013_followup", S, "the follow-up's own 2013 verdict"),
        Field("followup_doc_id", S, "the follow-up (documents.doc_id)"),
    ],
    "national_figures": [
        Field("figure_id", S, "stable id of the statement", required=True), Field("doc_id", S, required=True),
        Field("page", I),
        Field("topic", S, "the subject of the sentence (a topic phrase of models/national_topics.json, in the sentence "
                          "or in the heading or figure caption just before it)"),
        Field("n", I, "aanpakken the statement counts"), Field("total", I, "aanpakken it counts them among"),
        Field("percent", N, "the percentage stated"),
        Field("indicator_id", S, "framework indicator of the topic, where it maps onto one", FROM_SERIES),
        Field("sentence", S),
    ],
    "context": [
        Field("fact_id", S, "stable id of the fact", required=True), Field("doc_id", S, required=True),
        Field("gemeente", S),
        Field("fact", S, "inwoners, meerpersoonshuishoudens_met_kind, ggsr_gezinnen, ggsr_aandeel, "
                         "gezinnen_in_aanpak, casussen_behandeld, gesprek_datum"),
        Field("value", N, "the number (Dutch notation parsed)"),
        Field("unit", S, "what value counts (inwoners, huishoudens, gezinnen, procent, datum, ...)"),
        Field("qualifier", S, "bijna, ruim, ongeveer, bij benadering, ..."),
        Field("date", S, "YYYY-MM-DD, for dates"), Field("sentence", S), Field("page", I),
    ],
    "organisations": [
        Field("organisation_id", S, "stable id", required=True), Field("doc_id", S, required=True),
        Field("gemeente", S),
        Field("name", S, "as written"), Field("canonical", S, "the organisation it is (models/organisations.jsonl)"),
        Field("role", S, "respondent (listed as having answered for the gemeente) or mentioned (named in a finding)",
              tuple(r.value for r in OrganisationRole), True),
        Field("finding_id", S, "the finding that mentions it"), Field("sentence", S),
    ],
    "corrections": [
        Field("finding_id", S, "the row corrected (findings.finding_id)", required=True),
        Field("field", S, "the field corrected, or review (right / wrong) or note", required=True),
        Field("value", S, "the reviewer's value"), Field("reviewer", S, "who reviewed"),
        Field("note", S, "the reviewer's note"), Field("source", S, "the corrections file"),
        Field("applied", B, "the correction is in the findings table"),
        Field("conflict", B, "reviewers' latest values of this field differ: none applied"),
        Field("reason", S, "why it was not applied (the row no longer exists, superseded, a conflict: each value)"),
    ],
    "conclusions": [
        Field("doc_id", S, required=True), Field("gemeente", S),
        Field("theme", S, "theme of the framework the conclusion is about", required=True),
        Field("goes_well", S, "the conclusion's \"Wat gaat goed?\" (what goes well)"),
        Field("could_improve", S, "the conclusion's \"Wat kan beter?\" (what could improve)"),
    ],
    "aanpakken": [
        Field("aanpak_id", S, "stable id: hash of doc_id, role and the canonical name's key", required=True),
        Field("doc_id", S, required=True), Field("gemeente", S),
        Field("year", I, "the year the aanpak was judged in: 2013 or 2014", required=True),
        Field("role", S, "assessed: the factsheet's aanpak; 2013: a follow-up's earlier aanpak; 2014: a follow-up's "
                         "new aanpak", FROM_SERIES, True),
        Field("aanpak", S, "canonical name: the table header's wording where there is one, else the title's",
              required=True),
        Field("aliases", S, "every other spelling seen in the document, '; '-separated"),
        Field("sources", S, "where it was read: header, title, line-2013, intro; '; '-separated"),
        Field("declared_page", I, "the page it is first named on (title block, introduction, section or header)"),
        Field("rows_expected", I, "findings the document owes for it: a factsheet's every framework indicator; "
                                  "empty for a follow-up's (it lists only verbeterpunten, and a cell may be empty), 0 where its "
                                  "column stands in the tables with every cell empty"),
        Field("rows_found", I, "findings extracted for it (complete indicator rows, for a factsheet)"),
    ],
}

# the descriptions of the fields many tables share, for those that give none of their own
SHARED = {
    "doc_id": "the document it was read from (documents.doc_id)",
    "gemeente": "the gemeente (municipality), as the document names it",
    "page": "1-based page of the document",
    "sentence": "the sentence it was read from",
}
SCHEMA = {name: [f if f.description else replace(f, description=SHARED.get(f.name, "")) for f in fields]
          for name, fields in SCHEMA.items()}

TABLE_DESCRIPTIONS = {
    "documents": "One row per input file: what it is (factsheet, follow-up, national report), its gemeente and "
                 "aanpak, and whether it was extracted in full (status, error, indicators expected and found).",
    "coverage": "Per page (and, in a factsheet, aanpak) of a factsheet or follow-up: the indicator cells "
                "recognised, how many gave every finding they owe, and the indicators short; an aanpak the "
                "document declares that gave no finding has a row on the page it is declared on.",
    "findings": "One row per finding: an indicator of the framework judged pass (voldoet) or fail (verbeterpunt) "
                "for one gemeente, aanpak and year, with its text, caveat and the page and box it was read from. A "
                "follow-up lists only the indicators that failed in the assessed year; a scan and its born-digital "
                "copy are two documents with the same rows.",
    "links": "Per follow-up row: the assessed year's finding of an aanpak linked to the follow-up year's finding of "
             "the gemeente's new aanpak for the same indicator, and the change between them.",
    "national_figures": "Statements of the national report (\"In 24 van de 30 onderzochte aanpakken (80%) ...\") "
                        "with their counts and the indicator they map onto.",
    "context": "Facts read from the documents' prose: inhabitants, households with children, estimated GGSR "
               "families, families in the aanpak, cases handled, the date of the follow-up conversation.",
    "organisations": "Organisations named in the documents: a factsheet's respondents and those a finding mentions, "
                     "with a canonical name.",
    "corrections": "Every reviewer correction applied to this folder (stj audit, then stj run --corrections), and "
                   "why one could not be.",
    "conclusions": "Per factsheet and theme: the conclusion's \"Wat gaat goed?\" and \"Wat kan beter?\" text.",
    "aanpakken": "Per document and aanpak: its canonical name, the year it was judged in, its role, every other "
                 "spelling seen, where it is declared, and the rows owed and found for it.",
}


def table_schema() -> dict[str, list[Field]]:
    """``SCHEMA`` with the enums of the active series: its framework's indicator ids and its aanpakken's roles (for
    STJ the same as SCHEMA's)."""
    ids = tuple(i.indicator_id for i in framework.indicators())
    enums = {("findings", "indicator_id"): ids, ("links", "indicator_id"): ids,
             ("national_figures", "indicator_id"): ids, ("aanpakken", "role"): roles()}
    return {name: [replace(f, enum=enums[name, f.name]) if (name, f.name) in enums else f for f in fields]
            for name, fields in SCHEMA.items()}


PRIMARY_KEYS = {"documents": ["doc_id"], "findings": ["finding_id"], "links": ["link_id"],
                "national_figures": ["figure_id"], "context": ["fact_id"], "organisations": ["organisation_id"],
                "corrections": [], "conclusions": ["doc_id", "theme"], "aanpakken": ["aanpak_id"],
                "coverage": ["coverage_id"]}
FOREIGN_KEYS = {
    "findings": [("doc_id", "documents", "doc_id")],
    "links": [("finding_2013_id", "findings", "finding_id"), ("finding_2014_id", "findings", "finding_id")],
    "national_figures": [("doc_id", "documents", "doc_id")],
    "context": [("doc_id", "documents", "doc_id")],
    "organisations": [("doc_id", "documents", "doc_id")],
    "conclusions": [("doc_id", "documents", "doc_id")],
    "aanpakken": [("doc_id", "documents", "doc_id")],
    "coverage": [("doc_id", "documents", "doc_id")],
}
PANDAS_TYPES = {S: "string", I: "Int64", N: "Float64", B: "boolean"}
