"""Stage: OCR. Turn a scanned page into the same ``Page`` record a born-digital page gives: words with positions
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
import os
import re
import shutil
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from .errors import ImageTooLargeError, StjError, TooManyPagesError
from .glyphs import K, classify
from .read import open_pdfium
from .records import Page, Rule, Word

log = logging.getLogger(__name__)


class _OnFirstUse:
    """pytesseract, imported when first used (its version is asked at start-up, for cache keys). It imports pandas if
    it can, for an output format this package does not use; pandas costs half a second that a run would pay before
    any document is read (its dataset needs pandas only at the end, by when the workers run on). So pandas is kept
    out of that import, when no other thread is running that might import it meanwhile."""

    def __getattr__(self, name: str):
        import sys
        import threading

        if "pytesseract" not in sys.modules and "pandas" not in sys.modules and threading.active_count() == 1:
            sys.modules["pandas"] = None  # an import of it fails, as if it were not installed
            try:
                import pytesseract  # noqa: F401
            finally:
                if sys.modules.get("pandas", 0) is None:
                    del sys.modules["pandas"]
        import pytesseract as module

        return getattr(module, name)


pytesseract = _OnFirstUse()

MARKER_LOOKALIKES = {"/", "v", "V", "J", "y", "Y", "X", "x", "K", "«", "»", "4", "¥", "\\", "|", "W", "vw", "Vv",
                     "w", "Â", "J/", "/}", "f", "7", "Y.", "v/", "x.", "X.", "✓", "✔", "%"}
RULE_FRAGMENT = re.compile(r"^[|\[\]_—–=]+$")  # Tesseract's reading of a table rule, not a word
RULE_RESIDUE = "|_"  # ... and of a rule's remains glued to a word ("_Netwerkpartners"), stripped off
LINE_BOX_SHARE = 0.82  # type size / height of Tesseract's line box (ascender to descender), when nothing better
CAP_HEIGHT = 0.72  # capitals and ascenders above the baseline, as a share of the type size
X_HEIGHT = 0.50  # lower-case letters without ascenders
DESCENT = 0.21  # a word's box reaches this far below the baseline (as a born-digital word's box does)
ASCENDING = frozenset("bdfhklijß")  # ... and capitals, digits and accented letters: reach about the cap height
X_LETTERS = frozenset("acemnorsuvwxzgpqy")  # reach the x-height only (a word of these and 't' is neither)
DESCENDING = frozenset("gjpqyQ,;()[]{}|/@ç")  # reach below the baseline
REFERENCE_DPI = 200  # the pixel measures in this module are given at this resolution (see OcrSettings.px)
AUTO_DPI_RANGE = (150, 400)  # a scan's own resolution is used within these bounds
FALLBACK_DPI = 300  # pages without a page-sized image (unmapped glyphs of a born-digital page) are rendered at this
MIN_IMAGE_SHARE = 0.25  # an image covering at least this share of the page is a scan of it
MIN_TEXT_CHARS = 40  # a page with fewer extractable characters than this is read by OCR
CID_SHARE = 0.2  # ... and so is one where this share of the words are unmapped glyphs, "(cid:NN)"
# the default of RunOptions.max_image_pixels (--max-image-pixels): the pixels a page's images may hold together, and
# a page's rendering may have; an A4 scan at 600 dpi has 35 million, an A3 one 70 million
MAX_IMAGE_PIXELS = 100_000_000


class OcrUnavailableError(StjError):
    """Tesseract is not installed (or has no Dutch model): run ./setup.sh, or apt-get install tesseract-ocr
    tesseract-ocr-nld."""


class PageOcrError(StjError):
    """A page could not be read by OCR."""

    status = "partial"


@dataclass(frozen=True)
class OcrSettings:
    """How pages are OCR'd. Checked on creation; a bad value names itself."""

    dpi: int | str = "auto"  # "auto": each page at its scan's own resolution (see ``for_page``)
    lang: str = "nld"
    deskew: bool = True
    psm: int = 3

    def __post_init__(self):
        if self.dpi != "auto" and not (isinstance(self.dpi, int) and 100 <= self.dpi <= 600):
            raise ValueError(f"OcrSettings.dpi must be 'auto' or between 100 and 600, not {self.dpi!r}")
        if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", self.lang):
            raise ValueError(f"OcrSettings.lang must be Tesseract language codes such as 'nld', not {self.lang!r}")
        if self.psm not in (1, 3, 4, 6, 11, 12):
            raise ValueError(f"OcrSettings.psm must be a page segmentation mode (1, 3, 4, 6, 11, 12), not {self.psm}")

    @property
    def resolved(self) -> int:
        if self.dpi == "auto":
            raise ValueError("OcrSettings.dpi is 'auto': resolve it for a page with for_page() first")
        return int(self.dpi)

    @property
    def scale(self) -> float:
        """PDF points per pixel."""
        return 72.0 / self.resolved

    def px(self, value_at_reference: float) -> int:
        """A pixel measure given at REFERENCE_DPI, at this resolution (at least 1)."""
        return max(1, round(value_at_reference * self.resolved / REFERENCE_DPI))

    def odd_px(self, value_at_reference: float) -> int:
        """As ``px``, made odd (a kernel with a centre)."""
        value = self.px(value_at_reference)
        return value if value % 2 else value + 1

    def for_page(self, native_dpi: float) -> "OcrSettings":
        """The settings a page is OCR'd with: a fixed dpi as given; 'auto' takes the page image's own resolution
        (``native_dpi``, 0 when the page has no page-sized image) within AUTO_DPI_RANGE."""
        if self.dpi != "auto":
            return self
        return replace(self, dpi=auto_dpi(native_dpi))


def auto_dpi(native_dpi: float) -> int:
    """The resolution a page is rendered at under dpi='auto'."""
    if native_dpi <= 0:
        return FALLBACK_DPI
    low, high = AUTO_DPI_RANGE
    return int(min(high, max(low, round(native_dpi))))


# ---------------------------------------------------------------- the decision


@dataclass(frozen=True)
class PageFacts:
    """What the text layer of a page offers, as far as the OCR decision goes."""

    chars: int  # extractable characters
    unmapped: int  # words (or characters) without a unicode mapping, such as "(cid:12)"
    words: int
    has_images: bool
    native_dpi: float = 0.0  # the resolution of the page's scanned image (0: none covers the page)
    area: float = 0.0  # the page's size in square points

    def pixels(self, settings: OcrSettings) -> float:
        """How many pixels the page is OCR'd at under ``settings``: a measure of what its OCR costs."""
        return self.area * (settings.for_page(self.native_dpi).resolved / 72.0) ** 2


def decide_source(facts: PageFacts, page_number: int = 0) -> str:
    """'text' or 'ocr' for one page. The only place this is decided; the reason is logged."""
    if facts.words and facts.unmapped / facts.words >= CID_SHARE:
        choice, why = "ocr", f"{facts.unmapped} of {facts.words} words are glyphs without a unicode mapping"
    elif facts.chars >= MIN_TEXT_CHARS:
        choice, why = "text", f"a text layer with {facts.chars} characters"
    elif facts.has_images:
        choice, why = "ocr", f"an image page with only {facts.chars} characters of text"
    else:
        choice, why = "text", "no images and little text: an (almost) empty page"
    log.info("page %d: %s (%s)", page_number, choice, why)
    return choice


def facts_of_page(page: Page, has_images: bool) -> PageFacts:
    return PageFacts(chars=sum(len(w.text) for w in page.words),
                     unmapped=sum(1 for w in page.words if "(cid:" in w.text),
                     words=len(page.words), has_images=has_images)


def quick_facts(path: Path, max_pages: int | None = None) -> list[PageFacts]:
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
            facts.append(PageFacts(len(stripped), unmapped, max(1, len(text.split())), bool(images),
                                   _image_dpi(page, images), width * height))
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


def native_resolutions(path: Path) -> list[float]:
    """Per page, the resolution (dpi) of the scanned image that covers it, 0 where there is none ([] for a file
    pdfium cannot open)."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return []
    try:
        return [_image_dpi(page, [o for o in page.get_objects() if o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE])
                if page is not None else 0.0 for page in _pages(pdf)]
    finally:
        pdf.close()


def _image_dpi(page, images: list) -> float:
    """The resolution of the largest image on a page that covers at least MIN_IMAGE_SHARE of it: its pixels over its
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
        if area < MIN_IMAGE_SHARE * width * height or pixels_w <= 0 or pixels_h <= 0:
            continue
        if area > best_area:
            best_area, best_dpi = area, 72.0 * float(np.sqrt(pixels_w * pixels_h / area))
    return best_dpi


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """Tesseract's version (asked once per process: it is part of every OCR cache key)."""
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        raise OcrUnavailableError()
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailableError() from exc


# ---------------------------------------------------------------- image steps


def render(path: Path, page_number: int, settings: OcrSettings, max_pixels: int = MAX_IMAGE_PIXELS) -> np.ndarray:
    """The page as an 8-bit grey image at the settings' (resolved) resolution. A page whose images hold more than
    ``max_pixels`` pixels, or whose rendering would, is refused (``ImageTooLargeError``) before anything is decoded."""
    try:  # pdfium's errors translated where they enter: damage of the file, not a failure of OCR
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise PageOcrError(f"page {page_number}: pdfium cannot open the file to render the page "
                           f"({str(exc).rstrip('.')}; the file is damaged)") from exc
    try:
        try:
            page = pdf[page_number - 1]
        except pdfium.PdfiumError as exc:
            raise PageOcrError(f"page {page_number}: pdfium cannot load the page to render it "
                               f"({str(exc).rstrip('.')}; the file is damaged)") from exc
        check_pixels(page, page_number, settings.resolved, max_pixels)
        image = page.render(scale=settings.resolved / 72, grayscale=True).to_numpy()
    finally:
        pdf.close()
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def check_pixels(page: pdfium.PdfPage, page_number: int, dpi: int, max_pixels: int) -> None:
    """Refuse a page whose images hold more than ``max_pixels`` pixels together (their declared sizes: nothing is
    decoded), or whose rendering at ``dpi`` would have more (a page of several square metres)."""
    sizes = []
    for image in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]):
        try:
            width, height = image.get_px_size()
        except (pdfium.PdfiumError, AttributeError, TypeError, ValueError):
            continue
        if width > 0 and height > 0:
            sizes.append((int(width), int(height)))
    if sizes and sum(w * h for w, h in sizes) > max_pixels:
        raise ImageTooLargeError.images(page_number, sizes, max_pixels)
    width, height = page.get_size()
    across, down = int(np.ceil(width * dpi / 72)), int(np.ceil(height * dpi / 72))
    if across * down > max_pixels:
        raise ImageTooLargeError.render(page_number, across, down, dpi, max_pixels)


Box = tuple[int, int, int, int]  # x, y, width, height in pixels


def _boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of the 8-connected parts of a sparse mask (outer contours: much faster than
    labelling every pixel of a page)."""
    contours, _ = cv2.findContours((mask > 0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [tuple(int(v) for v in cv2.boundingRect(c)) for c in contours]


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary ink mask (Otsu threshold): True where the page is dark."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary > 0


BACKGROUND_KERNEL = 21  # px at REFERENCE_DPI: wider than any stroke (bold type, a heavy check), narrower than a cell


def flatten_background(gray: np.ndarray, settings: OcrSettings) -> np.ndarray:
    """The page divided by its own background (a grey-level closing that erases every stroke): paper, scanner
    shading and light cell fills become white, while type and rules keep their contrast to what is around them."""
    side = settings.odd_px(BACKGROUND_KERNEL)
    calm = cv2.medianBlur(gray, 3)  # so that the closing does not take the scanner's noise for the background
    background = cv2.morphologyEx(calm, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    flat = gray.astype(np.float32) * 255.0 / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


SKEW_LIMIT = 10.0  # degrees either way: a page fed crookedly into a scanner by hand
# the skew search, coarse to fine: (resolution the page is reduced to, step in degrees, span searched either side of
# the previous stage's best; the first stage searches the whole ±limit). A 0.5° step cannot step over the peak: rows
# of type stay sharp over about a degree of turn.
SKEW_SEARCH = ((100, 0.5, None), (100, 0.1, 0.5), (200, 0.05, 0.15))


def skew_angle(gray: np.ndarray, limit: float = SKEW_LIMIT, dpi: int = REFERENCE_DPI) -> float:
    """The rotation (degrees) that makes text rows horizontal: maximises the sharpness of the row profile (the
    energy of its row-to-row differences), searched over ±limit on a small copy of the page, then in finer steps
    around the best (``SKEW_SEARCH``)."""
    best = 0.0
    images: dict[int, np.ndarray] = {}
    for resolution, step, span in SKEW_SEARCH:
        low, high = (-limit, limit) if span is None else (best - span, best + span)
        if resolution not in images:
            images[resolution] = _skew_image(gray, resolution / dpi)
        best = _best_rotation(images[resolution], np.arange(low, high + step / 2, step))
    return round(best, 3)


def _skew_image(gray: np.ndarray, factor: float) -> np.ndarray:
    factor = min(1.0, factor)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else gray
    return np.where(small < 160, np.uint8(255), np.uint8(0))


def _best_rotation(binary: np.ndarray, angles: np.ndarray) -> float:
    """The angle whose row profile is sharpest. Each angle's profile is a histogram of the ink pixels' rows after
    rotation about the centre (as ``cv2.getRotationMatrix2D`` turns them, rounded to whole rows), so a page costs
    one pass over its ink per angle instead of warping the whole image."""
    height, width = binary.shape
    rows, columns = np.nonzero(binary)
    ys = rows.astype(np.float32) - height / 2
    xs = columns.astype(np.float32) - width / 2
    best, best_angle = -1.0, 0.0
    for angle in angles:
        radians = np.deg2rad(angle)
        turned = np.rint(np.cos(radians) * ys - np.sin(radians) * xs + height / 2).astype(np.int64)
        profile = np.bincount(turned[(turned >= 0) & (turned < height)], minlength=height).astype(np.float64)
        score = float(np.sum(np.diff(profile) ** 2))
        if score > best:
            best, best_angle = score, float(angle)
    return best_angle


def deskew(gray: np.ndarray, dpi: int = REFERENCE_DPI) -> tuple[np.ndarray, float]:
    angle = skew_angle(gray, dpi=dpi)
    if abs(angle) < 0.05:
        return gray, 0.0
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    rotated = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
                             borderValue=255)
    return rotated, angle


def unturn_box(box: tuple[float, float, float, float], angle: float, width: float, height: float,
               turns: int = 0) -> tuple[float, float, float, float]:
    """A box (x0, top, x1, bottom) on a page image that was given ``turns`` quarter turns (``np.rot90``) and then
    deskewed by ``angle`` degrees about its centre (``width`` x ``height``: that image's size), as the box around it
    in the page's own frame (what the PDF shows)."""
    if not angle and not turns % 4:
        return box
    radians = np.deg2rad(angle)
    cos, sin = float(np.cos(radians)), float(np.sin(radians))
    cx, cy = width / 2, height / 2
    x0, top, x1, bottom = box
    corners = [_unturn_point((x - cx) * cos - (y - cy) * sin + cx, (x - cx) * sin + (y - cy) * cos + cy, turns,
                             width, height) for x in (x0, x1) for y in (top, bottom)]
    return (min(x for x, _ in corners), min(y for _, y in corners),
            max(x for x, _ in corners), max(y for _, y in corners))


def _unturn_point(x: float, y: float, turns: int, width: float, height: float) -> tuple[float, float]:
    """A point of an image ``width`` x ``height`` made by ``np.rot90(page, turns)``, on the page before the turns."""
    turns %= 4
    if turns == 1:  # the page was height x width: its right edge became the top
        return height - y, x
    if turns == 2:
        return width - x, height - y
    if turns == 3:
        return y, width - x
    return x, y


BAND_DARK = 110  # grey level below which a pixel belongs to a dark band
BAND_KERNEL = (25, 9)  # px at REFERENCE_DPI: what survives an opening with this is a solid area, not type
BAND_HEIGHT = (12, 120)  # px at REFERENCE_DPI (1.5 to 15 mm): a title bar, not a stroke or a picture
BAND_MIN_WIDTH = 0.25  # share of the page width
BAND_EDGE = 3  # px at REFERENCE_DPI: the blurred rim around a bar's solid part


def invert_dark_bands(gray: np.ndarray, settings: OcrSettings | None = None) -> np.ndarray:
    """Light-on-dark bands (table title bars) turned dark-on-light, so that Tesseract reads their text.

    The band is inverted and stretched so that its background becomes paper-white and its lettering ink-black
    (a mid-grey bar inverted naively stays mid-grey, which the ink threshold would take for ink).
    """
    settings = settings or OcrSettings(dpi=REFERENCE_DPI)
    dark = (gray < BAND_DARK).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (settings.px(BAND_KERNEL[0]), settings.px(BAND_KERNEL[1])))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
    low, high = settings.px(BAND_HEIGHT[0]), settings.px(BAND_HEIGHT[1])
    paper = float(np.percentile(gray, 90))
    out = gray
    for x, y, w, h in _boxes(solid):
        if w > gray.shape[1] * BAND_MIN_WIDTH and low <= h <= high and (
                cv2.countNonZero(solid[y:y + h, x:x + w]) > 0.6 * w * h):
            out = out.copy() if out is gray else out
            band = out[y:y + h, x:x + w].astype(np.float32)
            background = float(np.median(band[solid[y:y + h, x:x + w] > 0]))
            lettering = max(paper, background + 40.0)
            stretched = (lettering - band) / (lettering - background)  # 1 on the bar, 0 on its lettering
            edge = settings.px(BAND_EDGE)  # the bar's blurred rim, outside its solid part, goes too
            rim = out[max(0, y - edge):y + h + edge, max(0, x - edge):x + w + edge]
            rim[rim < paper - 40] = np.uint8(paper)
            out[y:y + h, x:x + w] = np.clip(255.0 * stretched, 0, 255).astype(np.uint8)
    return out


RULE_LEVEL = 225  # a rule pixel is at least this much darker than the flattened background (thin rules are light
RULE_CONTRAST = 25  # and blurred in a scan: Otsu's ink threshold misses them) and this much darker than the pixels
RULE_SIDE = 4  # px at REFERENCE_DPI away on both sides across the rule (which a letter's stroke never is all along)
RULE_SMOOTH = 9  # px at REFERENCE_DPI: pixels are averaged over this length along the rule before they are compared
RULE_SMOOTH_SIDES = 3  # ... and those beside it over this (no more: the stems of a row of letters must break a run)
RULE_MIN_LENGTH = 40  # px at REFERENCE_DPI; and at least 1/25 of the page width
RULE_BRIDGE = 9  # px at REFERENCE_DPI: a gap this short between two pieces of a rule is closed
RULE_MASK_GROW = 5  # px at REFERENCE_DPI: the rule mask is widened by this (anti-aliased rule edges)
RULE_MAX_THICKNESS = 16  # px at REFERENCE_DPI: a solid bar of ink up to this thick is a rule too (the thin test's
RULE_SOLID_SHARE = 0.2  # sides lie on a thick rule), when it runs unbroken over this share of the page's width
SOLID_SEARCH_DPI = 100  # solid bars are looked for at about this resolution


def ruling_lines(gray: np.ndarray, settings: OcrSettings, page_number: int) -> tuple[list[Rule], np.ndarray]:
    """Long thin horizontal and vertical lines (table rules), and a mask of their pixels (slightly widened).

    ``gray`` is the flattened page (``flatten_background``; a boolean ink mask is taken as black on white). A pixel
    belongs to a horizontal rule when it is darker than RULE_LEVEL and clearly darker than the pixels RULE_SIDE above
    and below it, along a run of at least the minimum rule length (vertical rules alike, across): a rule stays while
    a word, whose letters have stems and bowls, never gives such a run. A rule too thick for that test is found as
    a solid bar of ink (``solid_bars``): left in the image, Tesseract would read it as a line of letters.
    """
    if gray.dtype == bool:
        gray = np.where(gray, np.uint8(0), np.uint8(255))
    length = max(settings.px(RULE_MIN_LENGTH), gray.shape[1] // 25)
    side = settings.px(RULE_SIDE)
    smooth = settings.odd_px(RULE_SMOOTH)
    height, width = gray.shape
    short = settings.odd_px(RULE_SMOOTH_SIDES)
    thin = []
    for kernel, sides, before, after in (((smooth, 1), (short, 1), (0, side), (2 * side, side)),
                                         ((1, smooth), (1, short), (side, 0), (side, 2 * side))):
        centre = cv2.blur(gray, kernel)  # averaged along the rule: a light rule stays, noise goes
        padded = cv2.copyMakeBorder(cv2.blur(gray, sides), side, side, side, side, cv2.BORDER_REPLICATE)
        one = np.ascontiguousarray(padded[before[0]:before[0] + height, before[1]:before[1] + width])
        other = np.ascontiguousarray(padded[after[0]:after[0] + height, after[1]:after[1] + width])
        contrast = cv2.subtract(cv2.min(one, other), centre)  # saturates at 0
        thin.append(cv2.bitwise_and(cv2.compare(contrast, RULE_CONTRAST, cv2.CMP_GE),
                                    cv2.compare(centre, RULE_LEVEL, cv2.CMP_LT)))
    thin_h, thin_v = thin
    dark = gray < RULE_LEVEL
    along_h = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))
    along_v = cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))
    horizontal = cv2.morphologyEx(thin_h, cv2.MORPH_OPEN, along_h)
    vertical = cv2.morphologyEx(thin_v, cv2.MORPH_OPEN, along_v)
    # where rules cross, neither is thin: a second pass lets each run on over the dark pixels of the other
    reach = 2 * side + 1
    dark8 = dark.astype(np.uint8) * 255
    over_h = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 1))) & dark8
    over_v = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (1, reach))) & dark8
    horizontal = cv2.morphologyEx(thin_h | over_v, cv2.MORPH_OPEN, along_h)
    vertical = cv2.morphologyEx(thin_v | over_h, cv2.MORPH_OPEN, along_v)
    level, bars_h, bars_v = solid_bars(gray, settings)
    _add_bars(horizontal, bars_h, gray, level)
    _add_bars(vertical, bars_v, gray, level)
    bridge = settings.odd_px(RULE_BRIDGE)  # pieces of one rule a little apart are one rule
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    rules = []
    s = settings.scale
    for lines, is_horizontal in ((horizontal, True), (vertical, False)):
        for x, y, w, h in _boxes(lines):
            if is_horizontal and w >= length:
                mid = (y + h / 2) * s
                rules.append(Rule(x * s, mid, (x + w) * s, mid, page_number))
            elif not is_horizontal and h >= length:
                mid = (x + w / 2) * s
                rules.append(Rule(mid, y * s, mid, (y + h) * s, page_number))
    grow = settings.odd_px(RULE_MASK_GROW)
    core = ((horizontal > 0) | (vertical > 0)).astype(np.uint8)
    rule_mask = cv2.dilate(core, np.ones((grow, grow), np.uint8)) > 0
    return rules, rule_mask


def solid_bars(gray: np.ndarray, settings: OcrSettings) -> tuple[int, list[Box], list[Box]]:
    """Boxes (x, y, w, h, full resolution) of the horizontal and vertical bars of ink unbroken over RULE_SOLID_SHARE
    of the page's width and at most RULE_MAX_THICKNESS thick, and the gray level ink is darker than: rules too thick
    for the thin-line test (whose sides then lie on the rule itself). Type never runs unbroken that far (words stand
    apart), and a dark area thicker than a rule is none. Bars are looked for on every few pixels of the page (about
    SOLID_SEARCH_DPI: a bar that thick is never missed)."""
    step = max(1, settings.resolved // SOLID_SEARCH_DPI)
    small = np.ascontiguousarray(gray[::step, ::step])
    level, ink_small = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    length = max(1, int(RULE_SOLID_SHARE * small.shape[1]))
    thick = max(1, settings.px(RULE_MAX_THICKNESS) // step)
    found: list[list[Box]] = []
    for along, across in (((length, 1), (1, thick + 1)), ((1, length), (thick + 1, 1))):
        runs = cv2.morphologyEx(ink_small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        if runs.any():
            wide = cv2.morphologyEx(runs, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
            runs = cv2.subtract(runs, cv2.dilate(wide, np.ones((3, 3), np.uint8)))
        found.append([(max(0, (x - 1) * step), max(0, (y - 1) * step), (w + 2) * step, (h + 2) * step)
                      for x, y, w, h in _boxes(runs)])
    return int(level), found[0], found[1]


def _add_bars(lines: np.ndarray, bars: list[Box], gray: np.ndarray, level: int) -> None:
    """Outline each bar that touches none of the rules in ``lines`` by the ink in its box, into ``lines`` (a rule
    the thin-line test found keeps its own, thinner outline)."""
    for x, y, w, h in bars:
        if not lines[y:y + h, x:x + w].any():
            lines[y:y + h, x:x + w] = cv2.compare(gray[y:y + h, x:x + w], level, cv2.CMP_LE)


def stroke_width(binary: np.ndarray, darkness: np.ndarray | None = None) -> float:
    """Mean stroke width of the ink in a box: twice the ink over the length of its edges. The ink is the area of the
    binary mask, or, given ``darkness`` (0 paper .. 1 full ink, per pixel), the sum of it: a blurred scan spreads
    the mask of every stroke by about the same amount, but not the sum of its darkness."""
    area = int(binary.sum())
    if area == 0:
        return 0.0
    padded = np.pad(binary, 1)
    interior = padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    edges = area - int(interior.sum())
    ink_amount = float(darkness.sum()) if darkness is not None else float(area)
    return 2.0 * ink_amount / max(edges, 1)


# ---------------------------------------------------------------- Tesseract


@dataclass
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    line_key: tuple[int, int, int]
    line_top: float  # the top of the word's type box (its baseline less 1 - DESCENT of the type size) ...
    line_height: float  # ... and the type size, in pixels: see ``type_geometry``
    bold: bool = False


def tesseract_words(gray: np.ndarray, settings: OcrSettings, psm: int | None = None) -> list[OcrWord]:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = f"--psm {psm or settings.psm} --dpi {settings.resolved}"
    image = Image.fromarray(gray)
    image.format = "BMP"  # handed to Tesseract uncompressed: writing a page as PNG costs a tenth of a second
    data = pytesseract.image_to_data(image, lang=settings.lang, config=config, output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], tuple[int, int]] = {}
    words = []
    for i, level in enumerate(data["level"]):
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if level == 4:
            lines[key] = (data["top"][i], data["height"][i])
        elif level == 5 and data["text"][i].strip() and not RULE_FRAGMENT.match(data["text"][i].strip()):
            text, left, width = _strip_residue(data["text"][i].strip(), data["left"][i], data["width"][i])
            words.append(OcrWord(text, left, data["top"][i], width, data["height"][i],
                                 max(0.0, float(data["conf"][i])) / 100.0, key, 0, 0))
    for word in words:
        word.line_top, word.line_height = lines.get(word.line_key, (word.top, word.height))
    return words


MISSED_MIN_WIDTH = 1.6  # type sizes: narrower ink left unread is a marker's business (classify_markers), not text's
MISSED_MAX_REGIONS = 24


def recover_missed_text(gray: np.ndarray, ink_mask: np.ndarray, words: list[OcrWord],
                        settings: OcrSettings) -> list[OcrWord]:
    """Words for the type Tesseract's page layout analysis left out (now and then a whole cell, say a column
    header): runs of ink of text height that no word covers are cut out, stacked into one image and read with
    Tesseract's single-block mode in one more call."""
    if not words:
        return []
    size = float(np.median([w.height for w in words]))
    joined = cv2.morphologyEx(ink_mask.astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(0.6 * size)), 1)))
    covered = np.zeros(ink_mask.shape, bool)
    for w in words:
        covered[max(0, w.top):w.top + w.height, max(0, w.left):w.left + w.width] = True
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    regions = []
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if not (0.5 * size <= h <= 2.5 * size and w >= MISSED_MIN_WIDTH * size):
            continue
        piece = (labels[y:y + h, x:x + w] == index) & ink_mask[y:y + h, x:x + w]
        if piece.sum() and (piece & covered[y:y + h, x:x + w]).sum() < 0.2 * piece.sum():
            regions.append((x, y, w, h))
    if not regions or len(regions) > MISSED_MAX_REGIONS:
        return []
    pad = int(0.4 * size)
    gap = int(1.5 * size)
    crops = [gray[max(0, y - pad):y + h + pad, max(0, x - pad):x + w + pad] for x, y, w, h in regions]
    sheet = np.full((sum(c.shape[0] + gap for c in crops) + gap, max(c.shape[1] for c in crops) + 2 * gap), 255,
                    np.uint8)
    offsets = []
    row = gap
    for crop, (x, y, w, h) in zip(crops, regions):
        sheet[row:row + crop.shape[0], gap:gap + crop.shape[1]] = crop
        offsets.append((row, row + crop.shape[0], int(max(0, x - pad)) - gap, int(max(0, y - pad)) - row))
        row += crop.shape[0] + gap
    found = []
    for word in tesseract_words(sheet, settings, psm=6):
        middle = word.top + word.height / 2
        for index, (start, end, dx, dy) in enumerate(offsets):
            if start <= middle < end:
                word.left += dx
                word.top += dy
                word.line_top += dy
                word.line_key = (-1 - index, word.line_key[1], word.line_key[2])
                found.append(word)
                break
    if found:
        log.info("recovered %d words in %d regions Tesseract's layout analysis left out", len(found), len(regions))
    return found


def type_geometry(words: list[OcrWord], ink_mask: np.ndarray) -> None:
    """Each word's baseline and type size, from the ink in its box and which letters it has, instead of Tesseract's
    line box (which a stray mark, a rule's remains or a word of another row can stretch).

    Per Tesseract line: the baseline is the median bottom of its words without descenders; the type size follows
    from the median top of its words with capitals or ascenders (CAP_HEIGHT) or else of the others (X_HEIGHT). A
    word whose own baseline disagrees with its line's (Tesseract joined two rows) keeps its own.
    """
    tight = {id(w): _ink_rows(ink_mask, w) for w in words}
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        by_line.setdefault(word.line_key, []).append(word)
    for line_words in by_line.values():
        letters = [w for w in line_words if any(c.isalnum() for c in w.text)]
        bottoms = [tight[id(w)][1] for w in letters if not DESCENDING & set(w.text)]
        high = [tight[id(w)][0] for w in letters if _ascends(w.text)]
        low = [tight[id(w)][0] for w in letters if all(c in X_LETTERS or not c.isalnum() for c in w.text)]
        fallback = line_words[0].line_height * LINE_BOX_SHARE
        baseline = float(np.median(bottoms)) if bottoms else (
            float(np.median([tight[id(w)][1] for w in line_words])) - DESCENT * fallback)
        if high:
            size = (baseline - float(np.median(high))) / CAP_HEIGHT
        elif low:
            size = (baseline - float(np.median(low))) / X_HEIGHT
        else:
            size = fallback
        if not 0.5 * line_words[0].line_height <= size <= 1.8 * line_words[0].line_height:  # a line of marks, say
            size = fallback
        for word in line_words:
            top, bottom = tight[id(word)]
            own = bottom - (DESCENT * size if DESCENDING & set(word.text) else 0.0)
            readable = any(c.isalnum() for c in word.text)  # a mark ("/" for a check) keeps its line's baseline
            base = own if readable and abs(own - baseline) > 0.35 * size and top < own else baseline
            word.line_top, word.line_height = base - (1 - DESCENT) * size, size


def _ascends(text: str) -> bool:
    return any(c.isupper() or c.isdigit() or c in ASCENDING or (c.isalpha() and not c.isascii()) for c in text)


def _ink_rows(ink_mask: np.ndarray, word: OcrWord) -> tuple[float, float]:
    """The top and bottom row of the main run of ink in a word's box (with the dots and accents close above it)."""
    box = ink_mask[max(0, word.top):word.top + word.height, max(0, word.left):word.left + word.width]
    counts = box.sum(axis=1) if box.size else np.zeros(0)
    rows = np.nonzero(counts)[0]
    if len(rows) == 0:
        return float(word.top), float(word.top + word.height)
    runs: list[list[int]] = [[rows[0], rows[0]]]
    for row in rows[1:]:
        if row - runs[-1][1] <= 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    main = max(range(len(runs)), key=lambda i: counts[runs[i][0]:runs[i][1] + 1].sum())
    start, end = runs[main]
    allowance = max(2, 0.35 * (end - start + 1))
    for before in reversed(runs[:main]):  # i-dots, accents: a short gap above the main run
        if start - before[1] <= allowance:
            start = before[0]
        else:
            break
    return float(max(0, word.top) + start), float(max(0, word.top) + end + 1)


def _strip_residue(text: str, left: int, width: int) -> tuple[str, int, int]:
    """A word without the rule residue at its ends, its box narrowed by the share of characters taken off."""
    core = text.strip(RULE_RESIDUE)
    if not core or core == text:
        return text, left, width
    char = width / len(text)
    before = len(text) - len(text.lstrip(RULE_RESIDUE))
    after = len(text) - len(text.rstrip(RULE_RESIDUE))
    return core, left + round(before * char), max(1, width - round((before + after) * char))


BOLD_RATIO = 1.2  # a word whose strokes are this much wider than the page's typical word's is bold


def mark_bold(words: list[OcrWord], binary: np.ndarray, gray: np.ndarray | None = None) -> None:
    """Bold words have clearly thicker strokes than the page's typical word (measured on the darkness of the
    flattened page ``gray`` where given, see ``stroke_width``)."""
    darkness = None
    if gray is not None and binary.any():
        ink_level = float(np.percentile(gray[binary], 10))
        darkness = np.clip((255.0 - gray.astype(np.float32)) / max(255.0 - ink_level, 1.0), 0.0, 1.0)
    widths = []
    for w in words:
        box = (slice(max(0, w.top), w.top + w.height), slice(max(0, w.left), w.left + w.width))
        widths.append(stroke_width(binary[box], None if darkness is None else darkness[box])
                      if len(w.text) >= 2 else 0.0)
    typical = float(np.median([x for x in widths if x])) if any(widths) else 0.0
    for word, width in zip(words, widths):
        word.bold = typical > 0 and width > BOLD_RATIO * typical


# ---------------------------------------------------------------- markers from pixels


def line_segments(words: list[OcrWord], vertical_xs: list[float]) -> list[list[OcrWord]]:
    """Tesseract lines cut where a vertical rule or a wide gap separates words: one segment per table cell line."""
    by_line: dict[tuple[int, int, int], list[OcrWord]] = {}
    for word in words:
        by_line.setdefault(word.line_key, []).append(word)
    segments = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.left)
        current = [line_words[0]]
        for word in line_words[1:]:
            previous = current[-1]
            gap = word.left - (previous.left + previous.width)
            ruled = any(previous.left + previous.width <= x <= word.left for x in vertical_xs)
            if ruled or gap > 1.8 * max(previous.line_height, previous.height):
                segments.append(current)
                current = []
            current.append(word)
        segments.append(current)
    return segments


UNREADABLE = "?"  # the text of a marker that is there but reads as neither check nor cross ...
UNREADABLE_FONT = "OCR-Symbol"  # ... and its font: a symbol the markers stage reports as unreadable
MARKER_VOTES = 2  # a glyph that gets at least this many check/cross votes (of glyphs.K) but no verdict is unreadable
MARKER_START = frozenset("XxvV/✓✔%J|Y¥")  # a marker Tesseract glued to the next word: "XEr", "/De"


def classify_markers(words: list[OcrWord], binary: np.ndarray, vertical_xs: list[float],
                     settings: OcrSettings | None = None) -> list[OcrWord]:
    """Find the marker at the start of each line segment and classify it from the image.

    A segment's first word may be Tesseract's reading of the marker ("/", "v", "X" ...), the marker glued to the
    word after it ("XEr"), or the marker may be missing from the OCR output altogether (an ink blob just left of the
    first word). The glyph (the connected ink there, not Tesseract's box, which may hold half a check) is cut out and
    classified; a check or cross becomes a word "✓" or "X" whose confidence is the classifier's, and a glyph that
    looks like a marker but is neither becomes an unreadable marker (UNREADABLE), so that its finding says so.
    """
    settings = settings or OcrSettings(dpi=REFERENCE_DPI)
    result = list(words)
    for segment in line_segments(words, vertical_xs):
        first = segment[0]
        size = max(first.line_height, 1.0)
        if first.text in MARKER_LOOKALIKES or (len(first.text) <= 2 and not first.text.isalnum()):
            glyph = _glyph_at(binary, (first.left, first.top, first.width, first.height), size, settings)
            verdict = _verdict(glyph[1], first.text in MARKER_LOOKALIKES) if glyph else None
            if verdict:
                first.text, first.conf = verdict
                first.left, first.top, first.width, first.height = glyph[0]
            continue
        if len(first.text) >= 3 and first.text[0] in MARKER_START and first.text[1].isupper():
            split = _split_glued(first, binary, size, settings)
            if split is not None:
                result.append(split)
                continue
        blob = _blob_left_of(first, binary, settings)
        if blob is not None:
            glyph = _glyph_at(binary, blob, size, settings)
            verdict = _verdict(glyph[1], False) if glyph else None
            if verdict:
                box = glyph[0]
                result.append(OcrWord(verdict[0], box[0], box[1], box[2], box[3], verdict[1], first.line_key,
                                      first.line_top, first.line_height))
    return result


MARKER_PAD = 2  # px at REFERENCE_DPI around a marker's box when it is cut out
BLOB_GAP = 2  # px at REFERENCE_DPI between a line's first word and the blob left of it
BLOB_MIN_AREA = 6  # px² at REFERENCE_DPI: smaller specks are dirt
BLOB_SPACE = 0.15  # a marker is followed by a space of at least this share of the type size


def _verdict(glyph: np.ndarray, looks_like_marker: bool) -> tuple[str, float] | None:
    """'✓' / 'X' with the classifier's confidence; UNREADABLE for a glyph that is marker-like but neither (a split
    vote, or a marker lookalike Tesseract read that the classifier gives some marker votes); None for no marker."""
    verdict = classify(glyph)
    if verdict.label == "check":
        return "✓", verdict.confidence
    if verdict.label == "cross":
        return "X", verdict.confidence
    marker_votes = round((1.0 - verdict.confidence) * K)  # the votes the winning 'none' did not get
    if marker_votes >= MARKER_VOTES or (looks_like_marker and marker_votes >= 1):
        return UNREADABLE, 0.0
    return None


def _glyph_at(binary: np.ndarray, box: tuple[int, int, int, int], size: float,
              settings: OcrSettings) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
    """The whole glyph at a box: the connected ink that meets the box (Tesseract's box may hold only part of a
    check), as its bounding box and an image of that ink alone."""
    left, top, width, height = box
    reach = int(0.5 * size) + settings.px(MARKER_PAD)
    x0, y0 = max(0, left - reach), max(0, top - reach)
    region = binary[y0:top + height + reach, x0:left + width + reach].astype(np.uint8)
    if not region.any():
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    bx0, by0, bx1, by1 = left - x0, top - y0, left - x0 + width, top - y0 + height
    keep = [i for i in range(1, count)
            if stats[i][0] < bx1 and stats[i][0] + stats[i][2] > bx0 and stats[i][1] < by1
            and stats[i][1] + stats[i][3] > by0 and stats[i][2] <= 2.0 * size and stats[i][3] <= 2.0 * size]
    if not keep:
        return None
    return _glyph_image(labels, stats, keep, x0, y0)


def _glyph_image(labels: np.ndarray, stats: np.ndarray, keep: list[int], x0: int,
                 y0: int) -> tuple[tuple[int, int, int, int], np.ndarray]:
    gx0 = min(stats[i][0] for i in keep)
    gy0 = min(stats[i][1] for i in keep)
    gx1 = max(stats[i][0] + stats[i][2] for i in keep)
    gy1 = max(stats[i][1] + stats[i][3] for i in keep)
    image = np.isin(labels[gy0:gy1, gx0:gx1], keep)
    return (int(x0 + gx0), int(y0 + gy0), int(gx1 - gx0), int(gy1 - gy0)), image


def _split_glued(word: OcrWord, binary: np.ndarray, size: float, settings: OcrSettings) -> OcrWord | None:
    """A marker Tesseract read as the first letter of the next word ("XEr"): if the word's first glyph (its
    leftmost ink, clear of the rest) classifies as a check or cross, it becomes a word of its own; the word keeps
    the rest."""
    pad = settings.px(MARKER_PAD)
    x0, y0 = max(0, word.left - pad), max(0, int(round(word.line_top)) - pad)
    region = binary[y0:y0 + int(round(size)) + 2 * pad, x0:word.left + word.width].astype(np.uint8)
    if not region.any():
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    parts = sorted(range(1, count), key=lambda i: stats[i][0])
    parts = [i for i in parts if stats[i][4] >= BLOB_MIN_AREA * (settings.resolved / REFERENCE_DPI) ** 2]
    if len(parts) < 2:
        return None
    right = stats[parts[0]][0] + stats[parts[0]][2]
    first = [i for i in parts if stats[i][0] < right]  # pieces of the first glyph overlap it across
    rest = [i for i in parts if i not in first]
    if not rest or min(stats[i][0] for i in rest) < max(stats[i][0] + stats[i][2] for i in first):
        return None
    box, image = _glyph_image(labels, stats, first, x0, y0)
    if box[2] > 1.4 * size:
        return None
    verdict = classify(image)
    if verdict.label not in ("check", "cross"):
        return None
    text = "✓" if verdict.label == "check" else "X"
    cut = min(stats[i][0] for i in rest) + x0
    word.text, word.width, word.left = word.text[1:], word.left + word.width - cut, cut
    return OcrWord(text, box[0], box[1], box[2], box[3], verdict.confidence, word.line_key, word.line_top,
                   word.line_height)


def _blob_left_of(first: OcrWord, binary: np.ndarray, settings: OcrSettings) -> tuple[int, int, int, int] | None:
    """An ink blob of about one character just left of a line's first word, that OCR did not read."""
    height = int(round(max(first.line_height, first.height)))
    gap = settings.px(BLOB_GAP)
    x1 = first.left - gap
    x0 = max(0, first.left - int(2.2 * height))
    top = max(0, int(round(first.line_top)) - gap)
    region = binary[top:top + height + 2 * gap, x0:x1]
    if region.size == 0 or not region.any():
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8))
    min_area = BLOB_MIN_AREA * (settings.resolved / REFERENCE_DPI) ** 2
    boxes = [s for s in stats[1:count] if s[4] >= min_area and s[3] >= 0.35 * height]
    if not boxes or _separate_glyphs(boxes):
        return None
    left = min(b[0] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    btop = min(b[1] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    if right - left > 1.6 * height or left < 1:  # a wide blob or one touching the region's edge is not a marker
        return None
    if x0 + right > first.left - BLOB_SPACE * first.line_height:  # no space after it: a letter of the word itself
        return None
    return x0 + left, top + btop, right - left, bottom - btop


def _separate_glyphs(boxes: list) -> bool:
    """True when the pieces (x, y, w, h, ...) stand side by side with a gap across, as letters of a word do; the
    pieces of one broken marker overlap across."""
    spans = sorted((int(b[0]), int(b[0] + b[2])) for b in boxes)
    right = spans[0][1]
    for start, end in spans[1:]:
        if start > right:
            return True
        right = max(right, end)
    return False


SPECKS = frozenset(".,‚'`’‘\"·:;")  # a word of these only is a speck of dirt or a rule's remains, not text


def drop_specks(words: list[OcrWord]) -> list[OcrWord]:
    return [w for w in words if not set(w.text) <= SPECKS]


# ---------------------------------------------------------------- the page


def ocr_image(gray: np.ndarray, page_number: int, settings: OcrSettings) -> Page:
    """OCR a page image into a Page (words and rules in PDF points). A page that reads poorly is checked for having
    been scanned sideways or upside down (``upright_turns``) and, if so, read again turned upright."""
    page = read_image(gray, page_number, settings)
    if not reads_poorly(page):
        return page
    turns = upright_turns(gray, settings)
    if not turns:
        return page
    upright = read_image(np.rot90(gray, turns), page_number, settings, turns)
    better = uprightness(upright) > uprightness(page)
    log.info("page %d: read poorly as scanned; turned by %d° it reads %s", page_number, 90 * turns,
             "better, kept" if better else "no better, not kept")
    return upright if better else page


SURE_CONFIDENCE = 0.8  # a word Tesseract is this sure of is read, not guessed
POOR_READING = (20, 0.5)  # a page of at least this many words, less than this share of them sure: read poorly
OSD_MIN_CONFIDENCE = 2.0  # Tesseract's orientation confidence below which a page is left as it is


def sure_share(page: Page) -> float:
    """The share of a page's words Tesseract was sure of."""
    return sum(w.confidence >= SURE_CONFIDENCE for w in page.words) / len(page.words) if page.words else 0.0


def standing_share(page: Page) -> float:
    """The share of a page's longer words (four characters or more) that are taller than wide."""
    longer = [w for w in page.words if len(w.text) >= 4]
    return sum(w.bottom - w.top > w.x1 - w.x0 for w in longer) / len(longer) if longer else 0.0


def uprightness(page: Page) -> float:
    """How upright a page's reading looks: most words sure, and lying (1 at best, -1 at worst)."""
    return sure_share(page) - standing_share(page)


def reads_poorly(page: Page) -> bool:
    """Upright type reads with most words sure (over 90% on the samples); type upside down reads as guesses (about
    10%). Type turned a quarter Tesseract may read well, but line by line downwards: most of its longer words are
    then taller than wide."""
    return len(page.words) >= POOR_READING[0] and (sure_share(page) < POOR_READING[1] or standing_share(page) > 0.5)


def upright_turns(gray: np.ndarray, settings: OcrSettings) -> int:
    """Quarter turns counterclockwise (as ``np.rot90`` turns) that bring the page's type upright, from Tesseract's
    orientation detection (0 when it is upright, or Tesseract is unsure or cannot tell)."""
    try:
        osd = pytesseract.image_to_osd(Image.fromarray(gray), config=f"--psm 0 --dpi {settings.resolved}",
                                       output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:  # too few characters, say
        log.info("orientation not detected (%s)", str(exc).strip().splitlines()[-1:] or exc)
        return 0
    if float(osd.get("orientation_conf", 0.0)) < OSD_MIN_CONFIDENCE:
        return 0
    return (-int(osd.get("rotate", 0)) // 90) % 4  # Tesseract's "rotate" is clockwise


def read_image(gray: np.ndarray, page_number: int, settings: OcrSettings, turns: int = 0) -> Page:
    """Read a page image as it is (``turns``: the quarter turns it was given first, recorded on the Page)."""
    angle = 0.0
    if settings.deskew:
        gray, angle = deskew(gray, settings.resolved)
    gray = flatten_background(invert_dark_bands(gray, settings), settings)
    binary = ink(gray)
    rules, rule_mask = ruling_lines(gray, settings, page_number)
    text_ink = binary & ~rule_mask
    gray = np.where(rule_mask, np.uint8(255), gray)  # Tesseract reads boxed text better without the boxes
    words = tesseract_words(gray, settings)
    words += recover_missed_text(gray, text_ink, words, settings)
    type_geometry(words, text_ink)
    mark_bold(words, text_ink, gray)
    verticals = [r.x0 / settings.scale for r in rules if r.vertical]
    words = drop_specks(classify_markers(words, text_ink, verticals, settings))
    s = settings.scale
    page = Page(number=page_number, width=gray.shape[1] * s, height=gray.shape[0] * s, rules=rules, method="ocr",
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
        raise PageOcrError(f"page {page_number}: OCR failed ({type(exc).__name__}: {str(exc)[:80]})") from exc
