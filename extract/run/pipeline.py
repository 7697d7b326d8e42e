"""The pipeline: a short sequence of named stages from one PDF to one ``DocumentResult``.

    read → ocr (pages without a usable text layer) → layout → segment → findings (framework, markers, align)

``process_document`` never raises for a bad input: the reason becomes the result's status and error, so the rest of
a batch goes on. OCR for a whole batch can be done ahead, page-parallel, by ``prefetch_ocr``; ``process_document``
then finds every OCR'd page in the cache. Linking across documents and writing the dataset happen in ``api.run``.
``process_cached`` wraps ``process_document`` in the results cache (``results_cache``): an unchanged document is not
extracted again, and every finished one is stored at once, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from pathlib import Path

from extract.core.errors import (ImageTooLargeError, OcrUnavailableError, PageOcrError, StjError,
                                 UnrelatedDocumentError)
from extract.core.records import DocumentResult, Finding, Line, Page, SourceDocument
from extract.core.settings import RunOptions
from extract.document.coverage import coverage_problems, document_coverage
from extract.document.findings import stray_cells, table_findings
from extract.document.segment import conclusions, document_info
from extract.facts.context import context_facts, mentioned, respondents
from extract.facts.report import national_figures
from extract.layout.lines import content_lines, running_furniture
from extract.layout.tables import document_tables
from extract.ocr.cache import OcrCache
from extract.ocr.image import unturn_box
from extract.ocr.page import ocr_page, page_settings
from extract.ocr.repair import document_vocabulary, repair_page
from extract.ocr.tesseract import tesseract_version
from extract.read.pdf import file_sha256, read_pdf
from extract.read.source import decide_source, facts_of_page, native_resolutions, quick_facts
from extract.read.triage import skip_if_foreign, triage
from extract.run.results_cache import ResultsCache, settings_fingerprint
from extract.series.framework import indicators

log = logging.getLogger(__name__)



def process_document(path: Path, options: RunOptions | None = None) -> DocumentResult:
    """Extract one file. Bad input yields a failed/skipped result with a one-line reason, never an exception."""
    options = options or RunOptions()
    result = DocumentResult(source_file=path.name, path=str(path))
    try:
        skip_if_foreign(path, result, options.max_pages)  # a file plainly not of the series is not read in full
        source = read_pdf(path, options.max_pages)
        result.sha256, result.doc_id, result.pages = source.sha256, source.doc_id, len(source.pages)
        apply_ocr(source, options)
        extract_into(result, source)
    except StjError as exc:
        result.status = exc.status if exc.status != "partial" else "failed"
        result.errors = [exc.message]
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop a batch
        log.exception("unexpected error in %s", path)
        result.status = "failed"
        result.errors = [f"{INTERNAL_ERROR} ({type(exc).__name__}: {exc}); please report this with the file"]
    return result


def warm_up() -> None:
    """Load the small things every extraction needs (the framework and its squashed wording, the OCR vocabulary)
    ahead: a worker process calls this when it starts. spaCy, its Dutch pipeline, the lemma table and the
    patterns are loaded where prose is first read, once per process (about 2 s; a document that reads no prose
    never loads them)."""
    import gc

    from extract.ocr import repair
    from extract.series import framework

    for indicator in framework.indicators():
        indicator.squashed  # noqa: B018 - computed once, then cached on the indicator
    repair.vocabulary()
    gc.freeze()  # what is loaded stays: the cyclic collector need not scan it again and again (nor copy it on fork)


# ---------------------------------------------------------------- results cache

INTERNAL_ERROR = "internal error"  # how the reason of a document that failed for a bug starts
OCR_FAILED = re.compile(r"^page \d+: OCR failed")  # a page Tesseract could not read (PageOcrError)


def process_cached(path: Path, options: RunOptions | None = None) -> DocumentResult:
    """``process_document`` through the results cache: a document whose bytes, settings and code are unchanged
    comes from the cache; a newly finished one is stored at once (so an interrupted run resumes where it was).
    Only results of files that were read (their hash the one looked up, so the file did not change meanwhile) are
    stored: a file rejected before it is read (empty, not a PDF, damaged, encrypted) is cheap to reject again."""
    options = options or RunOptions()
    cache = results_cache(options)
    sha = _sha256_or_empty(path) if cache else ""
    cached = from_results_cache(path, options, cache, sha)
    if cached is not None:
        return cached
    log.info("extracting %s", path.name)
    result = process_document(path, options)
    if cache and sha and result.sha256 == sha and cacheable(result):
        cache.put(sha, result)
    return result


def from_results_cache(path: Path, options: RunOptions, cache: ResultsCache | None = None,
                       sha: str | None = None) -> DocumentResult | None:
    """The document's result from the results cache, named after this file, or None when it has to be extracted."""
    cache = cache or results_cache(options)
    sha = sha if sha is not None else (_sha256_or_empty(path) if cache else "")
    cached = cache.get(sha) if cache and sha else None
    if cached is None:
        return None
    log.info("results of %s from the cache", path.name)
    return relabel(cached, path)


def results_cache(options: RunOptions) -> ResultsCache | None:
    """The run's results cache, or None when ``use_results_cache`` is off."""
    return ResultsCache(options.cache_dir, settings_fingerprint(options)) if options.use_results_cache else None


def uncached(paths: list[Path], options: RunOptions) -> list[Path]:
    """The inputs whose result is not in the results cache (those that still need OCR and extraction)."""
    cache = results_cache(options)
    if cache is None:
        return list(paths)
    pending = [p for p in paths if not (sha := _sha256_or_empty(p)) or not cache.has(sha)]
    log.info("%d of %d documents from the results cache; %d to extract", len(paths) - len(pending), len(paths),
             len(pending))
    return pending


def cacheable(result: DocumentResult) -> bool:
    """Whether a result may be served again: not when it failed for an internal error (a fixed bug must retry) or
    when Tesseract was missing or failed on a page (the machine was at fault, not the file)."""
    unavailable = OcrUnavailableError().message
    return not any(e.startswith(INTERNAL_ERROR) or OCR_FAILED.match(e) or e == unavailable for e in result.errors)


def relabel(result: DocumentResult, path: Path) -> DocumentResult:
    """A cached result named after this run's file (the same bytes may have been moved or renamed)."""
    result.path, result.source_file = str(path), path.name
    for finding in result.findings:
        finding.source_file = path.name
    return result


def _sha256_or_empty(path: Path) -> str:
    """The file's sha256, or '' when it cannot be read (``process_document`` then reports why)."""
    try:
        return file_sha256(path)
    except OSError:
        return ""


# ---------------------------------------------------------------- OCR


def _cache(options: RunOptions) -> OcrCache:
    return OcrCache(options.cache_dir, tesseract_version())


def ocr_cached(path: Path, sha256: str, page_number: int, options: RunOptions, cache: OcrCache,
               native_dpi: float | None = None) -> Page:
    """One page's OCR reading, from the cache or made (and cached). The key holds the resolution the page is read
    at (under dpi='auto', the scan's own, from ``native_dpi`` or measured here)."""
    settings = options.ocr.for_page(native_dpi) if native_dpi is not None else page_settings(path, page_number,
                                                                                                options.ocr)
    key = cache.key(sha256, page_number, settings)
    page = cache.get(key)
    if page is None:
        page = ocr_page(path, page_number, settings, options.max_image_pixels)
        cache.put(key, page)
    return page


def apply_ocr(source: SourceDocument, options: RunOptions) -> None:
    """Replace every page that needs OCR by its OCR reading; a page whose OCR fails keeps an error."""
    cache = None
    resolutions: list[float] = []
    read: list[int] = []
    refused: ImageTooLargeError | None = None
    for index, page in enumerate(source.pages):
        if decide_source(facts_of_page(page, page.has_images), page.number) != "ocr":
            continue
        cache = cache or _cache(options)
        try:
            if not resolutions:
                resolutions = native_resolutions(Path(source.path))
            native = resolutions[page.number - 1] if page.number <= len(resolutions) else None
            source.pages[index] = ocr_cached(Path(source.path), source.sha256, page.number, options, cache, native)
            source.pages[index].error = "; ".join(filter(None, (  # damage the reader found stays
                source.pages[index].error or page.error, low_resolution(page.number, native))))
            read.append(index)
        except (PageOcrError, ImageTooLargeError) as exc:
            log.info(exc.message)  # one of the document's reasons (on stderr as its stj: line)
            page.error = f"{exc.message}; {page.error}" if page.error else exc.message
            refused = refused or (exc if isinstance(exc, ImageTooLargeError) else None)
    if refused is not None and not any(p.words for p in source.pages):
        raise refused  # no page could be read: the image limit is the document's reason to fail
    if read:  # repaired against the framework's wording and the words the document itself has surely
        known = document_vocabulary(source.pages)
        for index in read:
            source.pages[index] = repair_page(source.pages[index], document=known)


MIN_SCAN_DPI = 100  # scans under this resolution lose text in OCR (at 72 dpi most rows of a factsheet)


def low_resolution(page_number: int, native_dpi: float | None) -> str:
    """The warning for a page scanned at too low a resolution to be read reliably ('' for one that is not)."""
    if not native_dpi or native_dpi >= MIN_SCAN_DPI:
        return ""
    return (f"page {page_number}: scanned at only {native_dpi:.0f} dpi, too coarse to read reliably (under "
            f"{MIN_SCAN_DPI}); rows may be missing: scan it again at 200 dpi or more")


def ocr_task(task: tuple[Path, str, int, float], options: RunOptions) -> str:
    """OCR one page into the cache (a unit of page-parallel work); returns '' or the page's error."""
    path, sha256, page_number, native_dpi = task
    try:
        ocr_cached(path, sha256, page_number, options, _cache(options), native_dpi)
        return ""
    except StjError as exc:
        return exc.message


def ocr_tasks(paths: list[Path], options: RunOptions) -> list[tuple[Path, str, int, float]]:
    """The (file, hash, page, scan resolution) of each page of a batch that needs OCR and is not in the cache yet,
    largest first: the longest pieces of work start first, so that the workers finish together instead of one of
    them reading a large page alone at the end."""
    tasks = []
    cache = None
    for path in paths:
        try:
            if triage(path, max_pages=options.max_pages).foreign:
                continue  # skipped by process_document before any page is read: nothing to OCR ahead
            facts = quick_facts(path, options.max_pages)
        except Exception:  # noqa: BLE001 - unreadable files are reported by process_document
            continue
        wanted = [n for n, f in enumerate(facts, start=1) if decide_source(f, n) == "ocr"]
        if not wanted:
            continue
        cache = cache or _cache(options)
        sha = file_sha256(path)
        tasks += [(facts[n - 1].pixels(options.ocr), (path, sha, n, facts[n - 1].native_dpi)) for n in wanted
                  if cache.get(cache.key(sha, n, options.ocr.for_page(facts[n - 1].native_dpi))) is None]
    return [task for _, task in sorted(tasks, key=lambda pair: -pair[0])]  # stable: equal pages in batch order


# ---------------------------------------------------------------- extraction


def document_lines(source: SourceDocument) -> list[Line]:
    furniture = running_furniture(source.pages)
    return [line for page in source.pages for line in content_lines(page, furniture)]


def in_page_frames(findings: list[Finding], pages: list[Page]) -> None:
    """Turn the boxes of findings on scans that were read deskewed or turned upright back into their pages' own
    frames (see ``ocr.unturn_box``)."""
    by_number = {p.number: p for p in pages}
    for finding in findings:
        page = by_number.get(finding.page)
        if page is None or not (page.skew or page.turns):
            continue
        turn = partial(unturn_box, angle=page.skew, width=page.width, height=page.height, turns=page.turns)
        finding.x0, finding.top, finding.x1, finding.bottom = (
            round(v, 2) for v in turn((finding.x0, finding.top, finding.x1, finding.bottom)))
        if finding.marker_x0 is not None:
            finding.marker_x0, finding.marker_top, finding.marker_x1, finding.marker_bottom = (
                round(v, 2) for v in turn((finding.marker_x0, finding.marker_top, finding.marker_x1,
                                           finding.marker_bottom)))


def extract_into(result: DocumentResult, source: SourceDocument) -> None:
    page_errors = [p.error for p in source.pages if p.error]
    if not any(p.words for p in source.pages):
        first = f" ({page_errors[0]})" if page_errors else ""
        raise StjError(f"No text could be read from any page{first} (an empty or unreadable scan?).")
    lines = document_lines(source)
    tables = document_tables(source)
    info = document_info(lines, tables, " ".join(l.text for l in lines[:400]))
    result.info = info
    if info.kind == "unknown":
        if page_errors:  # perhaps one of the series whose telling page is lost: not "unrelated" on that evidence
            more = f" (and {len(page_errors) - 1} more pages)" if len(page_errors) > 1 else ""
            raise StjError(f"{page_errors[0]}{more}; without it the document is not recognised as one of the series "
                           "(if the file is damaged, download it again)")
        raise UnrelatedDocumentError()
    problems = list(page_errors)
    methods = {p.number: p.method for p in source.pages}
    cells = []
    for table in tables:
        found = table_findings(table, info, tables, source.doc_id, source.source_file, methods)
        result.findings += found.rows
        cells += found.cells
        problems += found.problems
    in_page_frames(result.findings, source.pages)
    cells += stray_cells(tables, info, lines)
    result.coverage = document_coverage(info.kind, cells, [i.indicator_id for i in indicators()])
    if info.kind == "factsheet":
        result.conclusions = conclusions(lines)
    if info.kind in ("factsheet", "followup"):
        result.context = context_facts(source.doc_id, info.gemeente, lines)
        result.organisations = respondents(source.doc_id, info.gemeente, lines) + mentioned(result.findings)
    if info.kind == "report":
        result.national_figures = national_figures(source.doc_id, lines)
        if not result.national_figures:
            problems.append("no national figures (\"N van de M aanpakken (P%)\") were found in the report")
    if info.kind in ("factsheet", "followup") and not result.findings:
        problems.append("no findings table was recognised")
    elif result.coverage is not None:  # a lost row is named, never silent (see ``coverage``)
        problems += coverage_problems(result.coverage)
    result.errors = problems
    if problems:
        result.status = "partial"
