"""Triage: decide cheaply, before the full read, whether a file can be one of the series at all.

A file that is no factsheet, follow-up or national report (a book, a form, a newsletter) would otherwise be read
whole (pdfplumber's words and rules of every page, the OCR decision per page) only to be skipped at the end: a
352-page book took minutes and grew a worker to 1.9 GiB. Here pdfium's plain text of the opening pages is read
(fast and light: no layout analysis, each page let go once read), at most ``TriageSettings.max_pages`` pages and
``page_chars`` characters a page, whatever the file's length.

The decision leans towards reading. A file is called ``foreign`` only when every page looked at has a usable text
layer, together they hold enough text, and none of it has any of the series' own words (``segment.series_evidence``:
the titles' "toezichtonderzoek", "Samenwerkend Toezicht Jeugd", "geringe sociale redzaamheid", GGSR). Every document
``segment.classify`` accepts has one of them in its opening lines, and the pages looked at cover those lines with a
margin, so a file called foreign here would have been skipped as unrelated after the full read too. A page
``ocr.decide_source`` sends to OCR (a scan, glyphs without a unicode mapping, text drawn as outlines) cannot be
judged from its text, so a scanned document is always ``unsure`` and read in full; so is a file pdfium cannot open
or a page it cannot load (the full read then names the damage), and one of more pages than --max-pages (refused by
the full read).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from extract.core.enums import Method
from extract.core.errors import UnrelatedDocumentError
from extract.core.records import DocumentResult, SourceDocument
from extract.core.settings import MAX_PAGES
from extract.core.stages import ReadSettings, TriageSettings
from extract.read.pdf import file_sha256
from extract.read.pdfium_open import PdfiumRefusal, load_pdfium
from extract.read.source import PageFacts, curved_paths, decide_source
from extract.series.titles import series_evidence

log = logging.getLogger(__name__)

SERIES, FOREIGN, UNSURE = "series", "foreign", "unsure"
UNMAPPED = "\ufffd\ufffe"  # what pdfium gives for a glyph without a unicode mapping (besides the private use area)


@dataclass(frozen=True)
class Triage:
    """The triage's decision on one file and what it rests on."""

    verdict: str  # SERIES, FOREIGN or UNSURE
    pages: int  # the file's page count as pdfium reads it (0 when it cannot open the file)
    looked_at: int  # pages whose text was read
    reason: str  # what the verdict rests on, for the log

    @property
    def foreign(self) -> bool:
        return self.verdict == FOREIGN


@dataclass(frozen=True)
class PageText:
    """One page's text as pdfium reads it, and whether that text can be trusted (no scan, no unmapped glyphs)."""

    text: str
    usable: bool


def triage(path: Path, settings: TriageSettings | None = None, max_pages: int = MAX_PAGES,
           read: ReadSettings = ReadSettings()) -> Triage:
    """Whether ``path`` can be a document of the series (see the module's docstring). Never raises: a file that
    cannot be judged is UNSURE, and the full read reports what is wrong with it. ``read``: how a page's text layer
    is judged usable (as the full read judges it)."""
    settings = settings or TriageSettings()
    try:
        pdf = load_pdfium(path)
    except (PdfiumRefusal, OSError, ValueError) as exc:
        return Triage(UNSURE, 0, 0, f"pdfium cannot open it ({exc})")
    try:
        return _judge(pdf, settings, max_pages, read)
    except Exception as exc:  # noqa: BLE001 - a triage that cannot judge leaves the file to the full read
        log.exception("triage of %s failed; it is read in full", path)
        return Triage(UNSURE, 0, 0, f"the triage failed ({type(exc).__name__})")
    finally:
        pdf.close()


def _judge(pdf: pdfium.PdfDocument, settings: TriageSettings, max_pages: int, read: ReadSettings) -> Triage:
    count = len(pdf)
    if count > max_pages:
        return Triage(UNSURE, count, 0, f"{count} pages, more than --max-pages {max_pages}")
    letters = lines = looked = 0
    for index in range(min(count, settings.max_pages)):
        page = page_text(pdf, index, settings.page_chars, read)
        looked += 1
        if page is None:
            return Triage(UNSURE, count, looked, f"pdfium cannot read page {index + 1}")
        if not page.usable:
            return Triage(UNSURE, count, looked, f"page {index + 1} has no usable text layer (a scan?)")
        found = series_evidence(page.text)
        if found:
            return Triage(SERIES, count, looked, f"page {index + 1} has the series' word {found!r}")
        letters += sum(c.isalpha() for c in page.text)
        lines += sum(1 for line in page.text.splitlines() if line.strip())
        if lines >= settings.opening_lines:
            break
    if letters < settings.min_letters:
        return Triage(UNSURE, count, looked, f"only {letters} letters of text on its first {looked} pages")
    where = f"its {count} pages" if looked == count else f"its first {looked} of {count} pages"
    return Triage(FOREIGN, count, looked, f"none of the series' words in the text of {where} ({lines} lines)")


def page_text(pdf: pdfium.PdfDocument, index: int, limit: int,
              read: ReadSettings = ReadSettings()) -> PageText | None:
    """The first ``limit`` characters of a page's text and whether they are usable as its text layer (as
    ``ocr.decide_source`` decides); None for a page pdfium cannot load or read the text of."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        log.info("triage: page %d: pdfium cannot load it (%s)", index + 1, exc)
        return None
    try:
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError as exc:
            log.info("triage: page %d: pdfium cannot read its text (%s)", index + 1, exc)
            return None
        try:
            count = min(limit, textpage.count_chars())
            text = textpage.get_text_range(count=count) if count > 0 else ""
        finally:
            textpage.close()
        chars = sum(1 for c in text if not c.isspace())
        unmapped = sum(1 for c in text if c in UNMAPPED or "\ue000" <= c <= "\uf8ff")
        images = chars < read.min_text_chars and has_image(page)  # only looked for where the decision needs it
        curves = curved_paths(page, read.min_curves) if chars < read.min_text_chars and not images else 0
        facts = PageFacts(chars, unmapped, max(1, len(text.split())), images, curves=curves)
        return PageText(text, decide_source(facts, index + 1, read) == Method.text)
    finally:
        page.close()


def has_image(page: pdfium.PdfPage) -> bool:
    """Whether the page draws an image (in its content or in a form it draws)."""
    return any(True for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))


def skip_if_foreign(path: Path, result: DocumentResult, max_pages: int = MAX_PAGES,
                    settings: TriageSettings | None = None, read: ReadSettings = ReadSettings()) -> None:
    """Raise ``UnrelatedDocumentError`` for a file the triage finds foreign, before it is read in full; ``result``
    then has the file's hash, id and page count, as a file skipped after the full read has."""
    decision = triage(path, settings, max_pages, read)
    log.info("triage of %s: %s (%s)", path.name, decision.verdict, decision.reason)
    if decision.foreign:
        result.sha256 = file_sha256(path)
        result.doc_id = SourceDocument(str(path), path.name, result.sha256, []).doc_id  # as the full read's
        result.pages = decision.pages
        raise UnrelatedDocumentError()
