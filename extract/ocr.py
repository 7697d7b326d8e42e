"""Stage: OCR. Turn a scanned page into the same ``Page`` record a born-digital page gives: words with positions
(from Tesseract's TSV output), ruling lines (from the image), and check/cross markers classified from pixels.

    render → deskew → Tesseract words → ruling lines → boldness → markers from pixels → Page (PDF points)

``decide_source`` is the one place that decides, per page, between the text layer and OCR, and logs why.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytesseract

from .errors import StjError
from .glyphs import classify
from .records import Page, Rule, Word

log = logging.getLogger(__name__)

MARKER_LOOKALIKES = {"/", "v", "V", "J", "y", "Y", "X", "x", "K", "«", "»", "4", "¥", "\\", "|", "W", "vw", "Vv",
                     "w", "Â", "J/", "/}", "f", "7", "Y.", "v/", "x.", "X.", "✓", "✔", "%"}
RULE_FRAGMENT = re.compile(r"^[|\[\]_—–=]+$")  # Tesseract's reading of a table rule, not a word
LINE_BOX_SHARE = 0.82  # type size / height of Tesseract's line box (ascender to descender)
MIN_TEXT_CHARS = 40  # a page with fewer extractable characters than this is read by OCR
CID_SHARE = 0.2  # ... and so is one where this share of the words are unmapped glyphs, "(cid:NN)"


class OcrUnavailableError(StjError):
    """Tesseract is not installed (or has no Dutch model): run ./setup.sh, or apt-get install tesseract-ocr
    tesseract-ocr-nld."""


class PageOcrError(StjError):
    """A page could not be read by OCR."""

    status = "partial"


@dataclass(frozen=True)
class OcrSettings:
    """How pages are OCR'd. Checked on creation; a bad value names itself."""

    dpi: int = 200
    lang: str = "nld"
    deskew: bool = True
    psm: int = 3

    def __post_init__(self):
        if not 100 <= self.dpi <= 600:
            raise ValueError(f"OcrSettings.dpi must be between 100 and 600, not {self.dpi}")
        if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", self.lang):
            raise ValueError(f"OcrSettings.lang must be Tesseract language codes such as 'nld', not {self.lang!r}")
        if self.psm not in (1, 3, 4, 6, 11, 12):
            raise ValueError(f"OcrSettings.psm must be a page segmentation mode (1, 3, 4, 6, 11, 12), not {self.psm}")

    @property
    def scale(self) -> float:
        """PDF points per pixel."""
        return 72.0 / self.dpi


# ---------------------------------------------------------------- the decision


@dataclass(frozen=True)
class PageFacts:
    """What the text layer of a page offers, as far as the OCR decision goes."""

    chars: int  # extractable characters
    unmapped: int  # words (or characters) without a unicode mapping, such as "(cid:12)"
    words: int
    has_images: bool


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


def quick_facts(path: Path) -> list[PageFacts]:
    """Page facts from pdfium, without pdfminer's layout analysis: enough to plan OCR for a whole batch."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        facts = []
        for page in pdf:
            text = page.get_textpage().get_text_range()
            unmapped = sum(1 for c in text if c in "\ufffd\ufffe" or "\ue000" <= c <= "\uf8ff")
            images = any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
            stripped = "".join(text.split())
            facts.append(PageFacts(len(stripped), unmapped, max(1, len(text.split())), images))
        return facts
    finally:
        pdf.close()


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


def render(path: Path, page_number: int, settings: OcrSettings) -> np.ndarray:
    """The page as an 8-bit grey image at the chosen resolution."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        image = pdf[page_number - 1].render(scale=settings.dpi / 72, grayscale=True).to_numpy()
    finally:
        pdf.close()
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary ink mask (Otsu threshold): True where the page is dark."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary > 0


def skew_angle(gray: np.ndarray, limit: float = 3.0, step: float = 0.1) -> float:
    """The rotation (degrees) that makes text rows horizontal: maximises the variance of the row profile."""
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    binary = (small < 160).astype(np.float32)
    centre = (binary.shape[1] / 2, binary.shape[0] / 2)
    best, best_angle = -1.0, 0.0
    for angle in np.arange(-limit, limit + step / 2, step):
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(binary, matrix, (binary.shape[1], binary.shape[0]))
        score = float(np.var(rotated.sum(axis=1)))
        if score > best:
            best, best_angle = score, float(angle)
    return best_angle


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    angle = skew_angle(gray)
    if abs(angle) < 0.05:
        return gray, 0.0
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    rotated = cv2.warpAffine(gray, matrix, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_LINEAR,
                             borderValue=255)
    return rotated, angle


def invert_dark_bands(gray: np.ndarray) -> np.ndarray:
    """Light-on-dark bands (table title bars) turned dark-on-light, so that Tesseract reads their text."""
    dark = (gray < 110).astype(np.uint8)
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 9)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(solid)
    out = gray
    for x, y, w, h, area in stats[1:count]:
        if w > gray.shape[1] * 0.25 and 12 <= h <= 120 and area > 0.6 * w * h:
            out = out.copy() if out is gray else out
            out[y:y + h, x:x + w] = 255 - out[y:y + h, x:x + w]
    return out


def ruling_lines(binary: np.ndarray, settings: OcrSettings, page_number: int) -> tuple[list[Rule], np.ndarray]:
    """Long horizontal and vertical strokes (table rules), and a mask of their pixels (slightly widened)."""
    mask = binary.astype(np.uint8) * 255
    length = max(40, binary.shape[1] // 25)
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    rules = []
    s = settings.scale
    for lines in (horizontal, vertical):
        count, _, stats, _ = cv2.connectedComponentsWithStats(lines)
        for x, y, w, h, _ in stats[1:count]:
            if max(w, h) >= length:
                if w >= h:
                    mid = (y + h / 2) * s
                    rules.append(Rule(x * s, mid, (x + w) * s, mid, page_number))
                else:
                    mid = (x + w / 2) * s
                    rules.append(Rule(mid, y * s, mid, (y + h) * s, page_number))
    rule_mask = cv2.dilate(((horizontal > 0) | (vertical > 0)).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    return rules, rule_mask


def stroke_width(binary: np.ndarray) -> float:
    """Mean stroke width of the ink in a box: twice the ink area over the length of its edges."""
    area = int(binary.sum())
    if area == 0:
        return 0.0
    padded = np.pad(binary, 1)
    interior = padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    edges = area - int(interior.sum())
    return 2.0 * area / max(edges, 1)


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
    line_top: int
    line_height: int
    bold: bool = False


def tesseract_words(gray: np.ndarray, settings: OcrSettings) -> list[OcrWord]:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(gray, lang=settings.lang, config=f"--psm {settings.psm}",
                                     output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], tuple[int, int]] = {}
    words = []
    for i, level in enumerate(data["level"]):
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if level == 4:
            lines[key] = (data["top"][i], data["height"][i])
        elif level == 5 and data["text"][i].strip() and not RULE_FRAGMENT.match(data["text"][i].strip()):
            words.append(OcrWord(data["text"][i].strip(), data["left"][i], data["top"][i], data["width"][i],
                                 data["height"][i], max(0.0, float(data["conf"][i])) / 100.0, key, 0, 0))
    for word in words:
        word.line_top, word.line_height = lines.get(word.line_key, (word.top, word.height))
    return words


def mark_bold(words: list[OcrWord], binary: np.ndarray) -> None:
    """Bold words have clearly thicker strokes than the page's typical word."""
    widths = []
    for w in words:
        box = binary[w.top:w.top + w.height, w.left:w.left + w.width]
        widths.append(stroke_width(box) if len(w.text) >= 2 else 0.0)
    typical = float(np.median([x for x in widths if x])) if any(widths) else 0.0
    for word, width in zip(words, widths):
        word.bold = typical > 0 and width > 1.28 * typical


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


def classify_markers(words: list[OcrWord], binary: np.ndarray, vertical_xs: list[float]) -> list[OcrWord]:
    """Find the marker at the start of each line segment and classify it from the image.

    A segment's first word may be Tesseract's reading of the marker ("/", "v", "X" ...), or the marker may be
    missing from the OCR output altogether (an ink blob just left of the first word). Either is cut out of the
    image and classified; a check or cross becomes a word "✓" or "X" whose confidence is the classifier's.
    """
    result = list(words)
    for segment in line_segments(words, vertical_xs):
        first = segment[0]
        if first.text in MARKER_LOOKALIKES or (len(first.text) <= 2 and not first.text.isalnum()):
            verdict = _classify_box(binary, first.left, first.top, first.width, first.height)
            if verdict:
                first.text, first.conf = verdict
            continue
        blob = _blob_left_of(first, binary)
        if blob is not None:
            verdict = _classify_box(binary, *blob)
            if verdict:
                result.append(OcrWord(verdict[0], blob[0], blob[1], blob[2], blob[3], verdict[1], first.line_key,
                                      first.line_top, first.line_height))
    return result


def _classify_box(binary: np.ndarray, left: int, top: int, width: int, height: int) -> tuple[str, float] | None:
    pad = 2
    crop = binary[max(0, top - pad):top + height + pad, max(0, left - pad):left + width + pad]
    verdict = classify(crop)
    if verdict.label == "check":
        return "✓", verdict.confidence
    if verdict.label == "cross":
        return "X", verdict.confidence
    return None


def _blob_left_of(first: OcrWord, binary: np.ndarray) -> tuple[int, int, int, int] | None:
    """An ink blob of about one character just left of a line's first word, that OCR did not read."""
    height = max(first.line_height, first.height)
    x1 = first.left - 2
    x0 = max(0, first.left - int(2.2 * height))
    top = max(0, first.line_top - 2)
    region = binary[top:top + height + 4, x0:x1]
    if region.size == 0 or not region.any():
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8))
    boxes = [s for s in stats[1:count] if s[4] >= 6 and s[3] >= 0.35 * height]
    if not boxes:
        return None
    left = min(b[0] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    btop = min(b[1] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    if right - left > 1.6 * height or left < 1:  # a wide blob or one touching the region's edge is not a marker
        return None
    return x0 + left, top + btop, right - left, bottom - btop


# ---------------------------------------------------------------- the page


def ocr_image(gray: np.ndarray, page_number: int, settings: OcrSettings) -> Page:
    """OCR a page image into a Page (words and rules in PDF points)."""
    angle = 0.0
    if settings.deskew:
        gray, angle = deskew(gray)
    gray = invert_dark_bands(gray)
    binary = ink(gray)
    rules, rule_mask = ruling_lines(binary, settings, page_number)
    text_ink = binary & ~rule_mask
    gray = np.where(rule_mask, np.uint8(255), gray)  # Tesseract reads boxed text better without the boxes
    words = tesseract_words(gray, settings)
    mark_bold(words, text_ink)
    verticals = [r.x0 / settings.scale for r in rules if r.vertical]
    words = classify_markers(words, text_ink, verticals)
    s = settings.scale
    page = Page(number=page_number, width=gray.shape[1] * s, height=gray.shape[0] * s, rules=rules, method="ocr")
    for w in words:
        size = w.line_height * s * LINE_BOX_SHARE
        top = w.line_top * s
        page.words.append(Word(text=w.text, x0=w.left * s, x1=(w.left + w.width) * s, top=top,
                               bottom=top + size, page=page_number,
                               fontname="OCR-Bold" if w.bold else "OCR", size=size, confidence=w.conf))
    log.info("page %d: OCR read %d words, %d rules (deskewed %.2f°)", page_number, len(page.words), len(rules), angle)
    return page


def ocr_page(path: Path, page_number: int, settings: OcrSettings) -> Page:
    try:
        return ocr_image(render(path, page_number, settings), page_number, settings)
    except (pytesseract.TesseractError, RuntimeError, cv2.error, pdfium.PdfiumError) as exc:
        raise PageOcrError(f"page {page_number}: OCR failed ({type(exc).__name__}: {str(exc)[:80]})") from exc
