"""The text layer or OCR: the one place that decides, per page, which a page is read from, and logs why; and the
page facts that decision and triage use (characters, unmapped glyphs, page-sized images and their resolution, and
curved paths: the glyph outlines of a page whose text was printed as drawing)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from extract.core.enums import Method
from extract.core.errors import TooManyPagesError
from extract.core.records import Page
from extract.core.settings import OcrSettings
from extract.core.stages import ReadSettings
from extract.read.pdf import open_pdfium

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class PageFacts:
    """What the text layer of a page offers, as far as the OCR decision goes."""

    chars: int  # extractable characters
    unmapped: int  # words (or characters) without a unicode mapping, such as "(cid:12)"
    words: int
    has_images: bool
    native_dpi: float = 0.0  # the resolution of the page's scanned image (0: none covers the page)
    area: float = 0.0  # the page's size in square points
    curves: int = 0  # drawn paths with a curved segment (counted only on a page with little text and no image)

    def pixels(self, settings: OcrSettings) -> float:
        """How many pixels the page is OCR'd at under ``settings``: a measure of what its OCR costs."""
        return self.area * (settings.for_page(self.native_dpi).resolved / 72.0) ** 2


def decide_source(facts: PageFacts, page_number: int = 0, settings: ReadSettings = ReadSettings()) -> Method:
    """text or ocr for one page. The only place this is decided; the reason is logged."""
    if facts.words and facts.unmapped / facts.words >= settings.cid_share:
        choice, why = Method.ocr, f"{facts.unmapped} of {facts.words} words are glyphs without a unicode mapping"
    elif facts.chars >= settings.min_text_chars:
        choice, why = Method.text, f"a text layer with {facts.chars} characters"
    elif facts.has_images:
        choice, why = Method.ocr, f"an image page with only {facts.chars} characters of text"
    elif facts.curves >= settings.min_curves:
        choice, why = Method.ocr, (f"no text layer ({facts.chars} characters) and no image, but {facts.curves} or more "
                                   "curved paths: text drawn as outlines, rendered and read like a scan")
    else:
        choice, why = Method.text, "no images and little text: an (almost) empty page"
    log.info("page %d: %s (%s)", page_number, choice, why)
    return choice


def facts_of_page(page: Page, has_images: bool, path: Path | None = None,
                  settings: ReadSettings = ReadSettings()) -> PageFacts:
    """The facts of a page read from its text layer. Its curved paths are counted (in the file at ``path``) only
    where the decision needs them: on a page with little text and no image."""
    chars = sum(len(w.text) for w in page.words)
    curves = 0
    if path is not None and chars < settings.min_text_chars and not has_images:
        curves = _file_page_curves(path, page.number, settings.min_curves)
    return PageFacts(chars=chars, unmapped=sum(1 for w in page.words if "(cid:" in w.text),
                     words=len(page.words), has_images=has_images, curves=curves)


def curved_paths(page: pdfium.PdfPage, enough: int) -> int:
    """How many of the page's drawn paths have a curved (Bézier) segment, counted up to ``enough``. Text printed
    with its fonts turned into outlines draws nearly every glyph as such a path; table rules and cell shading, the
    drawing of an ordinary born-digital page, are straight lines and rectangles."""
    count = 0
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_PATH]):
        segments = pdfium.raw.FPDFPath_CountSegments(obj.raw)
        if any(pdfium.raw.FPDFPathSegment_GetType(pdfium.raw.FPDFPath_GetPathSegment(obj.raw, i))
               == pdfium.raw.FPDF_SEGMENT_BEZIERTO for i in range(max(0, segments))):
            count += 1
            if count >= enough:
                break
    return count


def _file_page_curves(path: Path, page_number: int, enough: int) -> int:
    """``curved_paths`` of one page of a file (0 where pdfium cannot open the file or load the page)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    try:
        page = pdf[page_number - 1]
        try:
            return curved_paths(page, enough)
        finally:
            page.close()
    except (pdfium.PdfiumError, IndexError):
        return 0
    finally:
        pdf.close()


def quick_facts(path: Path, max_pages: int | None = None, settings: ReadSettings = ReadSettings()) -> list[PageFacts]:
    """Page facts from pdfium, without pdfminer's layout analysis: enough to plan OCR for a whole batch. Raises
    ``TooManyPagesError`` for a document of more than ``max_pages`` pages (its pages are not looked at), and
    ``read.open_pdfium``'s errors for a file pdfium cannot open."""
    pdf = open_pdfium(path)
    try:
        if max_pages is not None and len(pdf) > max_pages:
            raise TooManyPagesError.of(len(pdf), max_pages)
        facts = []
        for page in _pages(pdf):
            if page is None:  # a page pdfium cannot load (a damaged file): nothing to OCR on it
                facts.append(PageFacts(0, 0, 0, False))
                continue
            text = page.get_textpage().get_text_range()
            unmapped = sum(1 for c in text if c in "\ufffd\ufffe" or "\ue000" <= c <= "\uf8ff")
            images = [obj for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE]
            stripped = "".join(text.split())
            width, height = page.get_size()
            curves = (curved_paths(page, settings.min_curves)
                      if len(stripped) < settings.min_text_chars and not images else 0)
            facts.append(PageFacts(len(stripped), unmapped, max(1, len(text.split())), bool(images),
                                   _image_dpi(page, images, settings.min_image_share), width * height, curves))
        return facts
    finally:
        pdf.close()


def _pages(pdf: pdfium.PdfDocument):
    """The document's pages in order, None for one pdfium cannot load (a damaged file)."""
    for index in range(len(pdf)):
        try:
            yield pdf[index]
        except pdfium.PdfiumError as exc:  # the reader names the damage in the document's reason
            log.info("page %d: pdfium cannot load it (%s)", index + 1, exc)
            yield None


def native_resolutions(path: Path, settings: ReadSettings = ReadSettings()) -> list[float]:
    """Per page, the resolution (dpi) of the scanned image that covers it, 0 where there is none ([] for a file
    pdfium cannot open)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return []
    try:
        return [_image_dpi(page, [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE],
                           settings.min_image_share)
                if page is not None else 0.0 for page in _pages(pdf)]
    finally:
        pdf.close()


def _image_dpi(page, images: list, min_share: float = ReadSettings().min_image_share) -> float:
    """The resolution of the largest image on a page that covers at least ``min_share`` of it: its pixels over its
    placed area (so a page scanned sideways and rotated into place measures the same); 0 when there is none."""
    width, height = page.get_size()
    best_area, best_dpi = 0.0, 0.0
    for image in images:
        try:
            left, bottom, right, top = image.get_bounds()
            pixels_w, pixels_h = image.get_px_size()
        except (pdfium.PdfiumError, AttributeError, TypeError, ValueError):
            continue
        area = abs(right - left) * abs(top - bottom)
        if area < min_share * width * height or pixels_w <= 0 or pixels_h <= 0:
            continue
        if area > best_area:
            best_area, best_dpi = area, 72.0 * float(np.sqrt(pixels_w * pixels_h / area))
    return best_dpi
