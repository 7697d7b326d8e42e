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
        Field("pages", I), Field("status", S, "extraction status", STATUSES, True),
        Field("error", S, "one line per problem, '; '-separated"), Field("findings", I, "rows in findings"),
        Field("indicators_expected", I, "indicators the document must answer: a factsheet every indicator of the "
                                        "framework, a follow-up every row it lists (empty for other kinds)"),
        Field("indicators_found", I, "of those, the indicators answered completely (a follow-up row: in the assessed "
                                     "and the follow-up year); less than expected makes the document partial"),
    ],
    "coverage": [
        Field("coverage_id", S, "doc_id and page", required=True), Field("doc_id", S, required=True),
        Field("page", I, "the page of the indicator cells; 0 for framework indicators no table showed"),
        Field("indicator_cells", I, "indicator cells recognised on the page (or, on page 0, indicators not seen)"),
        Field("complete", I, "cells that gave every finding they owe"),
        Field("missing", S, "indicators short, '; '-separated"),
    ],
    "findings": [
        Field("finding_id", S, "stable id: hash of doc_id, aanpak, year and indicator", required=True),
        Field("doc_id", S, required=True), Field("source_file", S), Field("gemeente", S), Field("aanpak", S),
        Field("year", I, "2013 or 2014", required=True), Field("theme", S), Field("criterion", S),
        Field("indicator_id", S, "I01-I30 of the toetsingskader", FROM_SERIES, True),
        Field("indicator", S, "canonical indicator text"),
        Field("verdict", S, "pass (check) or fail (cross); empty when the marker could not be read", VERDICTS),
        Field("marker", S, "the marker glyph as found (the series' own for a corrected verdict)"),
        Field("caveat", B, "a LET OP caveat is present"), Field("caveat_text", S),
        Field("finding", S, "canonical marker, then the paragraphs joined"),
        Field("page", I, "1-based page of the finding's first line"), Field("method", S, "", tuple(m.value for m in Method)),
        Field("x0", N, "the finding's box on its page: PDF points, origin at the top-left corner of the page"),
        Field("top", N), Field("x1", N), Field("bottom", N), Field("marker_x0", N, "the marker's box, same coordinates"),
        Field("marker_top", N), Field("marker_x1", N), Field("marker_bottom", N),
        Field("header_page", I, "the column header cell over the finding's column that bears out its year: its page "
                                "(the table's first page when the table continues over pages, so it can be before "
                                "page); in a follow-up the cell names the year and mostly the aanpak (a cell reading "
                                "only the year leaves the aanpak to the subtitle, or to the cell at the same place in "
                                "another table); in a factsheet it is the findings column's label (Bevindingen), naming "
                                "neither: the aanpak is the title's and the year the series' assessed year; empty when "
                                "the cell names no year or another one than the row's (the year was then told by the "
                                "column's place)"),
        Field("header_x0", N, "that cell's box (around its words) on header_page, same coordinates as x0"),
        Field("header_top", N), Field("header_x1", N), Field("header_bottom", N),
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
        Field("link_id", S, required=True), Field("gemeente", S),
        Field("indicator_id", S, enum=FROM_SERIES),
        Field("aanpak_2013", S), Field("finding_2013_id", S), Field("verdict_2013", S, enum=VERDICTS),
        Field("aanpak_2014", S), Field("finding_2014_id", S), Field("verdict_2014", S, enum=VERDICTS),
        Field("change", S, "", tuple(c.value for c in Change), True),
        Field("source", S, "", tuple(s.value for s in LinkSource), True),
        Field("conflict", S, "text when two documents disagree"),
        Field("verdict_2013_followup", S, "the follow-up's own 2013 verdict"), Field("followup_doc_id", S),
    ],
    "national_figures": [
        Field("figure_id", S, required=True), Field("doc_id", S, required=True),
        Field("page", I), Field("topic", S, "the subject of the sentence (a topic phrase of models/national_topics.json)"),
        Field("n", I, "aanpakken the statement counts"), Field("total", I, "aanpakken it counts them among"),
        Field("percent", N), Field("indicator_id", S, "framework indicator of the topic, where it maps onto one",
                                  FROM_SERIES),
        Field("sentence", S),
    ],
    "context": [
        Field("fact_id", S, required=True), Field("doc_id", S, required=True), Field("gemeente", S),
        Field("fact", S, "inwoners, meerpersoonshuishoudens_met_kind, ggsr_gezinnen, ggsr_aandeel, "
                         "gezinnen_in_aanpak, casussen_behandeld, gesprek_datum"),
        Field("value", N), Field("unit", S), Field("qualifier", S, "bijna, ruim, ongeveer, bij benadering, ..."),
        Field("date", S, "YYYY-MM-DD, for dates"), Field("sentence", S), Field("page", I),
    ],
    "organisations": [
        Field("organisation_id", S, required=True), Field("doc_id", S, required=True), Field("gemeente", S),
        Field("name", S, "as written"), Field("canonical", S, "the organisation it is (models/organisations.jsonl)"),
        Field("role", S, "", tuple(r.value for r in OrganisationRole), True),
        Field("finding_id", S, "the finding that mentions it"), Field("sentence", S),
    ],
    "corrections": [
        Field("finding_id", S, required=True), Field("field", S, required=True), Field("value", S),
        Field("reviewer", S), Field("note", S), Field("source", S, "the corrections file"),
        Field("applied", B), Field("conflict", B, "reviewers' latest values of this field differ: none applied"),
        Field("reason", S, "why it was not applied (the row no longer exists, superseded, a conflict: each value)"),
    ],
    "conclusions": [
        Field("doc_id", S, required=True), Field("gemeente", S), Field("theme", S, required=True),
        Field("goes_well", S), Field("could_improve", S),
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
    ],
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
