"""Stage: OCR, the page orchestration. Turn a scanned page into the same ``Page`` record a born-digital page gives: words with positions
(from Tesseract's TSV output), ruling lines (from the image), and check/cross markers classified from pixels.

    render (at the scan's own resolution) → deskew → invert title bars → flatten the background → ruling lines
    → Tesseract words (and a second look at type its layout analysis left out) → baselines and type sizes
    → boldness → markers from pixels → Page (PDF points)

A page that reads poorly that way (``reads_poorly``: scanned sideways or upside down, most likely) is turned as
Tesseract's orientation detection says and read again; the better reading is kept. Page records how it was turned
(``turns``, ``skew``), and ``unturn_box`` takes boxes back into the page's own frame.

``decide_source`` is the one place that decides, per page, between the text layer and OCR, and logs why.

Resolution: a scanned page is rendered at its own scan's resolution (the page image's pixels over its size on the
page, ``native_dpi``), bounded to ``AUTO_DPI_RANGE``, unless the settings fix one. Every pixel measure of the image
steps (kernels, band heights, blob sizes, padding) is given at ``REFERENCE_DPI`` and scaled to the page's resolution
by ``OcrSettings.px``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from extract.core.enums import Method
from extract.core.errors import PageOcrError
from extract.core.records import Page, Word
from extract.core.settings import MAX_IMAGE_PIXELS, OcrSettings, OcrTuning
from extract.ocr.image import deskew, flatten_background, ink, invert_dark_bands, render
from extract.ocr.marks import UNREADABLE, UNREADABLE_FONT, classify_markers
from extract.ocr.rules import ruling_lines
from extract.ocr.tesseract import (drop_specks, mark_bold, pytesseract, recover_missed_text, tesseract_words,
                                   type_geometry, upright_turns)
from extract.read.source import native_resolutions

log = logging.getLogger(__name__)

def ocr_image(gray: np.ndarray, page_number: int, settings: OcrSettings) -> Page:
    """OCR a page image into a Page (words and rules in PDF points). A page that reads poorly is checked for having
    been scanned sideways or upside down (``upright_turns``) and, if so, read again turned upright."""
    page = read_image(gray, page_number, settings)
    if not reads_poorly(page, settings.tuning):
        return page
    turns = upright_turns(gray, settings)
    if not turns:
        return page
    upright = read_image(np.rot90(gray, turns), page_number, settings, turns)
    better = uprightness(upright, settings.tuning) > uprightness(page, settings.tuning)
    log.info("page %d: read poorly as scanned; turned by %d° it reads %s", page_number, 90 * turns,
             "better, kept" if better else "no better, not kept")
    return upright if better else page


def sure_share(page: Page, tuning: OcrTuning = OcrTuning()) -> float:
    """The share of a page's words Tesseract was sure of (``sure_confidence``)."""
    return sum(w.confidence >= tuning.sure_confidence for w in page.words) / len(page.words) if page.words else 0.0


def standing_share(page: Page) -> float:
    """The share of a page's longer words (four characters or more) that are taller than wide."""
    longer = [w for w in page.words if len(w.text) >= 4]
    return sum(w.bottom - w.top > w.x1 - w.x0 for w in longer) / len(longer) if longer else 0.0


def uprightness(page: Page, tuning: OcrTuning = OcrTuning()) -> float:
    """How upright a page's reading looks: most words sure, and lying (1 at best, -1 at worst)."""
    return sure_share(page, tuning) - standing_share(page)


def reads_poorly(page: Page, tuning: OcrTuning = OcrTuning()) -> bool:
    """Upright type reads with most words sure (over 90% on the samples); type upside down reads as guesses (about
    10%). Type turned a quarter Tesseract may read well, but line by line downwards: most of its longer words are
    then taller than wide."""
    return len(page.words) >= tuning.poor_reading_words and (sure_share(page, tuning) < tuning.poor_reading_share
                                                              or standing_share(page) > 0.5)



def read_image(gray: np.ndarray, page_number: int, settings: OcrSettings, turns: int = 0) -> Page:
    """Read a page image as it is (``turns``: the quarter turns it was given first, recorded on the Page)."""
    angle = 0.0
    if settings.deskew:
        gray, angle = deskew(gray, settings.resolved, settings.tuning.skew_limit)
    gray = flatten_background(invert_dark_bands(gray, settings), settings)
    binary = ink(gray)
    rules, rule_mask = ruling_lines(gray, settings, page_number)
    text_ink = binary & ~rule_mask
    gray = np.where(rule_mask, np.uint8(255), gray)  # Tesseract reads boxed text better without the boxes
    words = tesseract_words(gray, settings)
    words += recover_missed_text(gray, text_ink, words, settings)
    type_geometry(words, text_ink)
    mark_bold(words, text_ink, gray, settings.tuning.bold_ratio)
    verticals = [r.x0 / settings.scale for r in rules if r.vertical]
    words = drop_specks(classify_markers(words, text_ink, verticals, settings))
    s = settings.scale
    page = Page(number=page_number, width=gray.shape[1] * s, height=gray.shape[0] * s, rules=rules, method=Method.ocr,
                skew=angle, turns=turns)
    for w in words:
        size = w.line_height * s
        top = w.line_top * s
        page.words.append(Word(text=w.text, x0=w.left * s, x1=(w.left + w.width) * s, top=top,
                               bottom=top + size, page=page_number,
                               fontname=UNREADABLE_FONT if w.text == UNREADABLE else "OCR-Bold" if w.bold else "OCR",
                               size=size, confidence=w.conf))
    log.info("page %d: OCR read %d words, %d rules (deskewed %.2f°)", page_number, len(page.words), len(rules), angle)
    return page


def page_settings(path: Path, page_number: int, settings: OcrSettings) -> OcrSettings:
    """The settings one page is OCR'd with (under dpi='auto': at its scan's own resolution)."""
    if settings.dpi != "auto":
        return settings
    resolutions = native_resolutions(path)
    return settings.for_page(resolutions[page_number - 1] if page_number <= len(resolutions) else 0.0)


def ocr_page(path: Path, page_number: int, settings: OcrSettings, max_pixels: int = MAX_IMAGE_PIXELS) -> Page:
    """OCR one page; ``settings`` may still say dpi='auto' (resolved here for the page). A page over the pixel
    budget raises ``ImageTooLargeError`` (see ``render``)."""
    try:
        settings = page_settings(path, page_number, settings)
        return ocr_image(render(path, page_number, settings, max_pixels), page_number, settings)
    except (pytesseract.TesseractError, RuntimeError, cv2.error, pdfium.PdfiumError) as exc:
        raise PageOcrError(f"OCR failed ({type(exc).__name__}: {str(exc)[:80]})", page_number) from exc
