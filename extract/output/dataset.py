"""Stage: dataset. Tables as pandas frames, checked against one schema, written as CSV, Parquet, SQLite and a
Frictionless ``datapackage.json``, atomically.

The schema (``schema``) is the single source of truth: the frames' columns, the checks, the SQLite DDL and the data
package are all derived from it. ``write_files`` writes them into the run's staging folder; ``output`` publishes that
folder as a whole version.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extract import __version__
from extract.core.enums import ProblemCategory
from extract.core.errors import OutputError
from extract.core.problems import Problem
from extract.core.records import DocumentResult, PageCoverage
from extract.core.rows import Link
from extract.core.text import drop_unmapped
from extract.output.constraints import Violation, enforce, problems_by_document
from extract.output.corrections import Correction
from extract.output.corrections import apply as apply_corrections
from extract.output.corrections import table as correction_rows
from extract.output.schema import (B, FOREIGN_KEYS, I, N, PANDAS_TYPES, PRIMARY_KEYS, S, SCHEMA, TABLE_DESCRIPTIONS,
                                   Field, table_schema)
from extract.series.description import series
from extract.series.identity import aanpak_id, aanpak_year, name_key, role_label

if TYPE_CHECKING:  # pandas is imported where a table is first made, not with this module (start-up)
    import pandas as pd

log = logging.getLogger(__name__)


SQLITE_FILE = "stj.sqlite"


# ---------------------------------------------------------------- frames


@dataclass
class Dataset:
    """The run's tables, and the rows each document lost to a constraint (already named in its ``error``)."""

    tables: dict[str, pd.DataFrame]
    violations: list[Violation]


DOCUMENT_TABLES = ("findings", "conclusions", "national_figures", "context", "organisations", "aanpakken", "coverage")


def document_rows(result: DocumentResult) -> dict[str, list[dict]]:
    """The rows one document contributes to each table of ``DOCUMENT_TABLES`` (before corrections and checks),
    their text without glyph codes the text layer left unmapped (``clean_row``)."""
    return {name: [clean_row(row) for row in rows] for name, rows in _document_rows(result).items()}


def clean_row(row: dict) -> dict:
    """A row whose texts hold no glyph code the text layer could not map ("(cid:127)"): each is dropped
    (``core.text.drop_unmapped``). The stages drop them where they build a text; this keeps every text column of
    every table clean, whatever stage a text came from."""
    return {key: drop_unmapped(value) if isinstance(value, str) else value for key, value in row.items()}


def _document_rows(result: DocumentResult) -> dict[str, list[dict]]:
    return {"findings": [finding_row(f) for f in result.findings],
            "conclusions": [{"doc_id": result.doc_id, "gemeente": result.info.gemeente, **asdict(c)}
                            for c in result.conclusions],
            "national_figures": [{"figure_id": f"{f.doc_id}-{index:03d}", **asdict(f)}
                                 for index, f in enumerate(result.national_figures, start=1)],
            "context": [{"fact_id": f"{c.doc_id}-{c.fact}", **asdict(c)} for c in result.context],
            "organisations": [{"organisation_id": f"{o.doc_id}-{index:03d}", **asdict(o)}
                              for index, o in enumerate(result.organisations, start=1)],
            "aanpakken": [aanpak_row(result, a) for a in result.info.aanpakken],
            "coverage": [coverage_row(result.doc_id, page, len(result.info.aanpakken) > 1) for page in
                         (result.coverage.pages if result.coverage else [])]}


def coverage_row(doc_id: str, page: PageCoverage, several: bool = False) -> dict:
    """One page's coverage (and, where a document has several aanpakken, one aanpak's on that page)."""
    whose = f"-{name_key(page.aanpak)}" if several and page.aanpak else ""
    return {"coverage_id": f"{doc_id}-p{page.page:03d}{whose}", "doc_id": doc_id, "page": page.page,
            "aanpak": page.aanpak,
            "indicator_cells": page.cells, "complete": page.complete, "missing": "; ".join(page.missing)}


def tables_in_memory(results: list[DocumentResult]) -> dict[str, pd.DataFrame]:
    """``DOCUMENT_TABLES`` of the given results, built in memory (``parts.PartStore`` builds them from disk)."""
    rows: dict[str, list[dict]] = {name: [] for name in DOCUMENT_TABLES}
    for result in results:
        for name, items in document_rows(result).items():
            rows[name] += items
    return {name: frame(name, items) for name, items in rows.items()}


def build_dataset(results: list[DocumentResult], links: list[Link],
                  corrections: list[Correction] | None = None,
                  document_tables: dict[str, pd.DataFrame] | None = None) -> Dataset:
    """The run's tables. ``document_tables``: the per-document tables when they were collected elsewhere (from the
    parts on disk); else they are built from ``results``. Rows that break a constraint are left out and their
    document made ``partial`` with the reason (see ``constraints``); every other row is kept."""
    corrections = corrections or []
    tables = dict(document_tables if document_tables is not None else tables_in_memory(results))
    tables["links"] = frame("links", [clean_row(asdict(l)) for l in links])
    tables["findings"] = typed("findings", apply_corrections(tables["findings"], corrections))
    tables["corrections"] = frame("corrections", correction_rows(corrections))  # after apply: applied, reason
    tables["documents"] = frame("documents", [document_row(r) for r in results])
    tables = {name: tables[name] for name in SCHEMA}
    tables, violations = enforce(tables, table_schema(), PRIMARY_KEYS, FOREIGN_KEYS)
    _report_violations(results, violations)
    counts = tables["findings"]["doc_id"].value_counts()
    tables["documents"] = frame("documents", [document_row(r, int(counts.get(r.doc_id, 0))) for r in results])
    return Dataset(tables, violations)


def build_tables(results: list[DocumentResult], links: list[Link],
                 corrections: list[Correction] | None = None) -> dict[str, pd.DataFrame]:
    return build_dataset(results, links, corrections).tables


def _report_violations(results: list[DocumentResult], violations: list[Violation]) -> None:
    """Each document that lost rows says so in its error, and an ``ok`` one becomes ``partial``."""
    by_doc = problems_by_document(violations)
    for result in results:
        for message in by_doc.get(result.doc_id, []):
            result.add_problem(Problem(None, ProblemCategory.left_out, message))


def aanpak_row(result: DocumentResult, aanpak) -> dict:
    owed = next((a for a in (result.coverage.aanpakken if result.coverage else [])
                 if a.aanpak == aanpak.canonical and a.year == aanpak_year(aanpak)), None)
    return {"aanpak_id": aanpak_id(result.doc_id, aanpak.role, aanpak.canonical), "doc_id": result.doc_id,
            "gemeente": result.info.gemeente, "year": aanpak_year(aanpak), "role": role_label(aanpak.role),
            "aanpak": aanpak.canonical, "aliases": "; ".join(aanpak.aliases), "sources": "; ".join(aanpak.sources),
            "declared_page": aanpak.page, "rows_expected": owed.expected if owed else None,
            "rows_found": owed.found if owed else None}


def document_row(result: DocumentResult, findings: int | None = None) -> dict:
    info = result.info
    return clean_row({"doc_id": result.doc_id, "source_file": result.source_file, "path": result.path,
            "sha256": result.sha256, "kind": info.kind, "gemeente": info.gemeente, "published": info.published,
            "aanpak": info.aanpak, "aanpak_2013": "; ".join(info.aanpak_2013), "pages": result.pages,
            "first_page": result.first_page, "last_page": result.last_page,
            "status": result.status, "error": result.error,
            "findings": len(result.findings) if findings is None else findings,
            "indicators_expected": result.coverage.expected if result.coverage else None,
            "indicators_found": result.coverage.found if result.coverage else None})


def finding_row(finding) -> dict:
    row = asdict(finding)
    row["confidence"] = round(min(finding.indicator_score, finding.alignment_score, finding.marker_confidence,
                                  finding.ocr_confidence), 4)
    for key in ("x0", "top", "x1", "bottom"):
        row[key] = round(row[key], 2)
    return row


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table of the schema from row dicts (missing keys empty)."""
    import pandas as pd

    return typed(name, pd.DataFrame(rows, columns=[f.name for f in SCHEMA[name]]))


def typed(name: str, data: pd.DataFrame) -> pd.DataFrame:
    """``data`` with exactly the schema's columns, in order, each of its pandas type; empty text is '' (NA in an
    enum column)."""
    import pandas as pd

    fields = SCHEMA[name]
    data = data.reindex(columns=[f.name for f in fields]).reset_index(drop=True)
    for f in fields:
        data[f.name] = data[f.name].astype(PANDAS_TYPES[f.type])
        if f.type == S and not f.enum:
            data[f.name] = data[f.name].fillna("")
        elif f.enum:
            data[f.name] = data[f.name].replace("", pd.NA)
    return data


# ---------------------------------------------------------------- checks


def check_tables(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Schema violations (required values, enums, primary and foreign keys), one line each."""
    problems = []
    for name, fields in table_schema().items():
        data = tables[name]
        for f in fields:
            column = data[f.name]
            if f.required and (column.isna() | (column.astype("string") == "")).any():
                problems.append(f"{name}.{f.name}: a required value is missing")
            if f.enum:
                bad = column.dropna()[~column.dropna().isin(f.enum)]
                if len(bad):
                    problems.append(f"{name}.{f.name}: value {bad.iloc[0]!r} is not one of {', '.join(f.enum)}")
        if PRIMARY_KEYS[name] and data.duplicated(PRIMARY_KEYS[name]).any():
            problems.append(f"{name}: duplicate primary key {PRIMARY_KEYS[name]}")
        for column, target, target_column in FOREIGN_KEYS.get(name, []):
            known = set(tables[target][target_column])
            missing = set(data[column].dropna()) - known - {""}
            if missing:
                problems.append(f"{name}.{column}: {len(missing)} value(s) not in {target}.{target_column}")
    return problems


# ---------------------------------------------------------------- writers


LICENSE = {"name": "CC0-1.0", "title": "Creative Commons Zero v1.0 Universal",
           "path": "https://creativecommons.org/publicdomain/zero/1.0/"}


def package_description() -> str:
    """What the dataset is, in the words of the active series (its name and years)."""
    current = series()
    return (f"The findings of the {current.name} inspections, extracted by stj-extract from the published documents: "
            f"one row per finding (an indicator of the framework judged pass or fail for one gemeente, aanpak and "
            f"year) with the page and box it was read from; the {current.assessed_year} factsheets' complete "
            f"assessments, the follow-ups' {current.assessed_year} → {current.followup_year} changes, and the "
            f"national report's figures. The source documents are publications of Dutch public authorities; this "
            f"extraction is offered under CC0 1.0.")


def package_sources(documents: pd.DataFrame) -> list[dict]:
    """The publisher, then each document of the run (file name, kind, gemeente, month published)."""
    sources = [{"title": f"{series().name}: {len(documents)} published documents (the documents table)"}]
    for row in documents.itertuples():
        about = ", ".join(str(v) for v in (row.kind, row.gemeente, row.published) if str(v) not in ("", "nan", "<NA>"))
        sources.append({"title": f"{row.source_file} ({about})", "path": str(row.source_file)})
    return sources


def datapackage(tables: dict[str, pd.DataFrame]) -> dict:
    resources = []
    for name, fields in table_schema().items():
        schema = {
            "fields": [_field_descriptor(f) for f in fields],
            "missingValues": [""],
        }
        if PRIMARY_KEYS[name]:
            schema["primaryKey"] = PRIMARY_KEYS[name]
        if name in FOREIGN_KEYS:
            schema["foreignKeys"] = [{"fields": c, "reference": {"resource": t, "fields": tc}}
                                     for c, t, tc in FOREIGN_KEYS[name]]
        resources.append({"name": name, "path": f"{name}.csv", "description": TABLE_DESCRIPTIONS[name],
                          "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", "schema": schema})
    return {"name": "stj-findings", "title": "Samenwerkend Toezicht Jeugd: findings of the GGSR inspections",
            "description": package_description(), "licenses": [LICENSE],
            "sources": package_sources(tables["documents"]),
            "profile": "tabular-data-package", "stj_extract_version": __version__, "resources": resources}


def _field_descriptor(f: Field) -> dict:
    out = {"name": f.name, "type": f.type}
    if f.description:
        out["description"] = f.description
    constraints = {}
    if f.required:
        constraints["required"] = True
    if f.enum:
        constraints["enum"] = list(f.enum)
    if constraints:
        out["constraints"] = constraints
    return out


def write_sqlite(tables: dict[str, pd.DataFrame], path: Path) -> None:
    sql_types = {S: "TEXT", I: "INTEGER", N: "REAL", B: "INTEGER"}
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = ON")
        for name, fields in SCHEMA.items():
            columns = [f'"{f.name}" {sql_types[f.type]}{" NOT NULL" if f.required else ""}' for f in fields]
            if PRIMARY_KEYS[name]:
                columns.append(f"PRIMARY KEY ({', '.join(PRIMARY_KEYS[name])})")
            for column, target, target_column in FOREIGN_KEYS.get(name, []):
                columns.append(f'FOREIGN KEY ("{column}") REFERENCES {target}("{target_column}")')
            db.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
        for name in SCHEMA:  # parents first: documents, findings, links, ...
            placeholders = ", ".join("?" for _ in SCHEMA[name])
            db.executemany(f"INSERT INTO {name} VALUES ({placeholders})", _sql_rows(name, tables[name]))


SQL_CHUNK = 2000  # rows converted for SQLite at a time (a copy of a whole table is never made)
EMPTY_IS_NULL = ("links", "national_figures", "context", "organisations", "aanpakken")


def _sql_rows(name: str, table: pd.DataFrame):
    """The table's rows as SQLite values (NA → NULL; '' → NULL in ``EMPTY_IS_NULL``), a chunk at a time."""
    for start in range(0, len(table), SQL_CHUNK):
        chunk = table.iloc[start:start + SQL_CHUNK]
        data = chunk.astype(object).where(chunk.notna(), None)
        data = data.replace({"": None}) if name in EMPTY_IS_NULL else data
        for row in data.itertuples(index=False):
            yield tuple(_sql_value(v) for v in row)


def _sql_value(value):
    return int(value) if isinstance(value, bool) else value


def write_files(tables: dict[str, pd.DataFrame], folder: Path) -> list[str]:
    """Write every table as CSV and Parquet, the SQLite file and ``datapackage.json`` (last) into ``folder``;
    returns the file names. Raises OutputError (publishing them is ``output.OutputFolder``'s)."""
    problems = check_tables(tables)
    if problems:
        raise OutputError("the dataset breaks its schema: " + "; ".join(problems))
    try:
        names = []
        for name, data in tables.items():
            data.to_csv(folder / f"{name}.csv", index=False)
            data.to_parquet(folder / f"{name}.parquet", index=False)
            names += [f"{name}.csv", f"{name}.parquet"]
        write_sqlite(tables, folder / SQLITE_FILE)
        (folder / "datapackage.json").write_text(json.dumps(datapackage(tables), indent=2, ensure_ascii=False),
                                                 encoding="utf-8")
        return names + [SQLITE_FILE, "datapackage.json"]
    except OSError as exc:
        raise OutputError(f"cannot write the dataset to {folder}: {exc.strerror or exc}; free space or choose "
                          "another --out folder") from exc
