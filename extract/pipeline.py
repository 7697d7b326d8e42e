"""The pipeline: a short sequence of named stages from one PDF to one ``DocumentResult``.

    read → layout → segment → findings (framework, markers, align) → status

``process_document`` never raises for a bad input: the reason becomes the result's status and error, so the rest of
a batch goes on. Linking across documents and writing the dataset happen over the whole batch (``run_batch``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from .errors import StjError, UnrelatedDocumentError
from .layout import content_lines, document_tables, running_furniture
from .read import read_pdf
from .records import DocumentResult, Line, SourceDocument
from .findings import table_findings
from .segment import conclusions, document_info

log = logging.getLogger(__name__)


def process_document(path: Path) -> DocumentResult:
    """Extract one file. Bad input yields a failed/skipped result with a one-line reason, never an exception."""
    result = DocumentResult(source_file=path.name, path=str(path))
    try:
        source = read_pdf(path)
        result.sha256, result.doc_id, result.pages = source.sha256, source.doc_id, len(source.pages)
        extract_into(result, source)
    except StjError as exc:
        result.status = exc.status
        result.errors = [exc.message]
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop a batch
        log.exception("unexpected error in %s", path)
        result.status = "failed"
        result.errors = [f"internal error ({type(exc).__name__}: {exc}); please report this with the file"]
    return result


def document_lines(source: SourceDocument) -> list[Line]:
    furniture = running_furniture(source.pages)
    return [line for page in source.pages for line in content_lines(page, furniture)]


def extract_into(result: DocumentResult, source: SourceDocument) -> None:
    page_errors = [p.error for p in source.pages if p.error]
    if not any(p.words for p in source.pages):
        raise StjError("The PDF has no text layer (a scan); OCR is needed to read it.")
    lines = document_lines(source)
    tables = document_tables(source)
    info = document_info(lines, tables, " ".join(l.text for l in lines[:400]))
    result.info = info
    if info.kind == "unknown":
        raise UnrelatedDocumentError()
    problems = list(page_errors)
    for table in tables:
        rows, table_problems = table_findings(table, info, tables, source.doc_id, source.source_file, "text")
        result.findings += rows
        problems += table_problems
    if info.kind == "factsheet":
        result.conclusions = conclusions(lines)
    if info.kind in ("factsheet", "followup") and not result.findings:
        problems.append("no findings table was recognised")
    result.errors = problems
    if problems:
        result.status = "partial"
