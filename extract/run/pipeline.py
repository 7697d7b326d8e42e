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
from functools import partial
from pathlib import Path

from extract import __version__
from extract.core.enums import Kind, Method, ProblemCategory, Role, Status
from extract.core.errors import ImageTooLargeError, PageOcrError, StjError, UnrelatedDocumentError
from extract.core.problems import Problem
from extract.core.records import DocumentContext, DocumentInfo, DocumentResult, Finding, Line, Page, SourceDocument
from extract.core.rows import Aanpak
from extract.core.settings import RunOptions
from extract.core.stages import LayoutSettings, ReadSettings
from extract.document.coverage import coverage_problems, document_coverage
from extract.document.findings import document_findings, stray_cells
from extract.document.segment import conclusions, document_info
from extract.document.split import split_documents
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
from extract.series.description import use as use_series
from extract.series.framework import indicators

log = logging.getLogger(__name__)



def process_document(path: Path, options: RunOptions | None = None) -> DocumentResult:
    """Extract one file. Bad input yields a failed/skipped result with a one-line reason, never an exception."""
    options = options or RunOptions()
    use_series(options.series_file)  # a worker process reads the run's series (checked by the run beforehand)
    result = DocumentResult(source_file=path.name, path=str(path))
    try:
        skip_if_foreign(path, result, options.max_pages, options.triage, options.read)  # a file plainly not of the series is not read in full
        source = read_pdf(path, options.max_pages)
        result.sha256, result.doc_id, result.pages = source.sha256, source.doc_id, len(source.pages)
        apply_ocr(source, options)
        documents = split_documents(source, options.layout)
        alone = len(documents) == 1
        extract_document(result, documents[0], options, alone)
        result.more = [extract_document(DocumentResult(path.name, str(path), source.sha256, part.doc_id,
                                                       pages=len(source.pages)), part, options, alone)
                       for part in documents[1:]]
    except StjError as exc:
        result.status = exc.status if exc.status != Status.partial else Status.failed
        result.problems = [exc.problem]
    except Exception as exc:  # noqa: BLE001 - one broken document must not stop a batch
        log.exception("unexpected error in %s", path)
        result.status = Status.failed
        result.problems = [internal_error(exc)]
    return result


def extract_document(result: DocumentResult, source: SourceDocument, options: RunOptions, alone: bool = True
                     ) -> DocumentResult:
    """One document of a file into ``result``, its page range set. The only document of a file raises what stops it
    (``process_document`` makes that the file's reason); one of several gets its own reason, and the file's other
    documents go on (a cover letter before a factsheet is skipped, the factsheet read)."""
    result.first_page, result.last_page = source.pages[0].number, source.pages[-1].number
    if alone:
        extract_into(result, source, options)
        return result
    try:
        extract_into(result, source, options)
    except StjError as exc:
        result.status = exc.status if exc.status != Status.partial else Status.failed
        result.problems = [exc.problem]
    return result


def internal_error(exc: Exception, where: str = "") -> Problem:
    """A bug met while extracting (``where``: while doing what), with the version to report it against."""
    doing = f" {where}" if where else ""
    return Problem(None, ProblemCategory.internal, f"{INTERNAL_ERROR}{doing} in stj-extract {__version__} "
                                                   f"({type(exc).__name__}: {exc}); please report this with the file")


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
    if cache and sha and result.sha256 == sha and result.cacheable:
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


def relabel(result: DocumentResult, path: Path) -> DocumentResult:
    """A cached result named after this run's file (the same bytes may have been moved or renamed)."""
    for document in [result, *result.more]:
        document.path, document.source_file = str(path), path.name
        for finding in document.findings:
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
        facts = facts_of_page(page, page.has_images, Path(source.path), options.read)
        if decide_source(facts, page.number, options.read) != Method.ocr:
            continue
        cache = cache or _cache(options)
        try:
            if not resolutions:
                resolutions = native_resolutions(Path(source.path), options.read)
            native = resolutions[page.number - 1] if page.number <= len(resolutions) else None
            ocred = ocr_cached(Path(source.path), source.sha256, page.number, options, cache, native)
            coarse = low_resolution(page.number, native, options.read)
            ocred.problems = [*(ocred.problems or page.problems), *([coarse] if coarse else [])]  # damage stays
            source.pages[index] = ocred
            read.append(index)
        except (PageOcrError, ImageTooLargeError) as exc:
            log.info(exc.message)  # one of the document's reasons (on stderr as its stj: line)
            page.problems = [exc.problem, *page.problems]
            refused = refused or (exc if isinstance(exc, ImageTooLargeError) else None)
    if refused is not None and not any(p.words for p in source.pages):
        raise refused  # no page could be read: the image limit is the document's reason to fail
    if read:  # repaired against the framework's wording and the words the document itself has surely
        known = document_vocabulary(source.pages, options.repair)
        for index in read:
            source.pages[index] = repair_page(source.pages[index], document=known, settings=options.repair)


def low_resolution(page_number: int, native_dpi: float | None, settings: ReadSettings = ReadSettings()
                   ) -> Problem | None:
    """The warning for a page scanned at too low a resolution to be read reliably (None for one that is not): under
    ``min_scan_dpi`` OCR loses text (at 72 dpi most rows of a factsheet)."""
    if not native_dpi or native_dpi >= settings.min_scan_dpi:
        return None
    return Problem(page_number, ProblemCategory.low_resolution, f"scanned at only {native_dpi:.0f} dpi, too coarse "
                   f"to read reliably (under {settings.min_scan_dpi}); rows may be missing: scan it again at 200 dpi "
                   "or more")


def ocr_task(task: tuple[Path, str, int, float], options: RunOptions) -> str:
    """OCR one page into the cache (a unit of page-parallel work); returns '' or the page's error."""
    path, sha256, page_number, native_dpi = task
    use_series(options.series_file)
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
            if triage(path, options.triage, options.max_pages, options.read).foreign:
                continue  # skipped by process_document before any page is read: nothing to OCR ahead
            facts = quick_facts(path, options.max_pages, options.read)
        except Exception:  # noqa: BLE001 - unreadable files are reported by process_document
            continue
        wanted = [n for n, f in enumerate(facts, start=1) if decide_source(f, n, options.read) == Method.ocr]
        if not wanted:
            continue
        cache = cache or _cache(options)
        sha = file_sha256(path)
        tasks += [(facts[n - 1].pixels(options.ocr), (path, sha, n, facts[n - 1].native_dpi)) for n in wanted
                  if cache.get(cache.key(sha, n, options.ocr.for_page(facts[n - 1].native_dpi))) is None]
    return [task for _, task in sorted(tasks, key=lambda pair: -pair[0])]  # stable: equal pages in batch order


# ---------------------------------------------------------------- extraction


def document_lines(source: SourceDocument, settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    furniture = running_furniture(source.pages, settings)
    return [line for page in source.pages for line in content_lines(page, furniture, settings)]


def in_page_frames(findings: list[Finding], pages: list[Page]) -> None:
    """Turn the boxes of findings on scans that were read deskewed or turned upright back into their pages' own
    frames (see ``ocr.unturn_box``): the finding's and its marker's by the finding's page, its column header cell's by
    the header's page."""
    by_number = {p.number: p for p in pages}
    for finding in findings:
        header = by_number.get(finding.header_page) if finding.header_page is not None else None
        if header is not None and (header.skew or header.turns):  # the header's own page (a continued table's first)
            finding.header_x0, finding.header_top, finding.header_x1, finding.header_bottom = (
                round(v, 2) for v in unturn_box((finding.header_x0, finding.header_top, finding.header_x1,
                                                 finding.header_bottom), header.skew, header.width, header.height,
                                                header.turns))
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


def extract_into(result: DocumentResult, source: SourceDocument, options: RunOptions | None = None) -> None:
    """The document's findings and facts from its pages, each stage with its settings from ``options``."""
    options = options or RunOptions()
    damaged = [p for p in source.pages if p.problems]  # pages with problems, each named in one line
    if not any(p.words for p in source.pages):
        first = f" ({damaged[0].error})" if damaged else ""
        raise StjError(f"No text could be read from any page{first} (an empty or unreadable scan?).",
                       category=cause(damaged, ProblemCategory.no_text))
    lines = document_lines(source, options.layout)
    tables = document_tables(source, options.layout)
    info = document_info(lines, tables, " ".join(l.text for l in lines[:400]), options.align)
    result.info = info
    if info.kind == Kind.unknown:
        if damaged:  # perhaps one of the series whose telling page is lost: not "unrelated" on that evidence
            more = f" (and {len(damaged) - 1} more pages)" if len(damaged) > 1 else ""
            raise StjError(f"{damaged[0].error}{more}; without it the document is not recognised as one of the series "
                           "(if the file is damaged, download it again)", category=cause(damaged))
        raise UnrelatedDocumentError()
    problems = [problem for page in damaged for problem in page.problems]
    document = DocumentContext(source.doc_id, source.source_file, info.gemeente,
                               {p.number: p.method for p in source.pages})
    found = document_findings(tables, info, document, options.align, options.matching)
    result.findings, cells = list(found.rows), list(found.cells)
    problems += found.problems
    in_page_frames(result.findings, source.pages)
    cells += stray_cells(tables, info, lines, options.align, options.matching)
    result.coverage = document_coverage(info.kind, cells, [i.indicator_id for i in indicators()],
                                        owed_aanpakken(info), result.findings, found.columns)
    if info.kind == Kind.factsheet:
        result.conclusions = conclusions(lines)
    if info.kind in (Kind.factsheet, Kind.followup):
        result.context = context_facts(document, lines)
        result.organisations = respondents(document, lines) + mentioned(result.findings)
    if info.kind == Kind.report:
        result.national_figures = national_figures(document, lines)
        if not result.national_figures:
            problems.append(Problem(None, ProblemCategory.unrecognised,
                                    "no national figures (\"N van de M aanpakken (P%)\") were found in the report"))
    if info.kind in (Kind.factsheet, Kind.followup) and not result.findings:
        problems.append(Problem(None, ProblemCategory.unrecognised, "no findings table was recognised"))
    elif result.coverage is not None:  # a lost row is named, never silent (see ``coverage``)
        problems += coverage_problems(result.coverage)
    result.problems = problems
    if problems:
        result.status = Status.partial


def owed_aanpakken(info: DocumentInfo) -> list[Aanpak]:
    """The aanpakken a document owes findings for: a factsheet's assessed ones, a follow-up's every one it names."""
    if info.kind == Kind.factsheet:
        return [a for a in info.aanpakken if a.role == Role.assessed]
    return list(info.aanpakken)


def cause(pages: list[Page], otherwise: ProblemCategory = ProblemCategory.damaged) -> ProblemCategory:
    """The category of a document's failure that its first page's problem explains (a Tesseract failure stays
    one: the result is not cached), else ``otherwise``."""
    first = pages[0].problems[0].category if pages else None
    return first if first in (ProblemCategory.ocr_failed, ProblemCategory.ocr_unavailable) else otherwise
