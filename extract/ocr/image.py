"""Page images: rendering a page (within the pixel limit), ink, background flattening, deskewing and undoing
turns, and inverting dark title bars."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from extract.core.enums import ProblemCategory
from extract.core.errors import ImageTooLargeError, PageOcrError
from extract.core.settings import MAX_IMAGE_PIXELS, REFERENCE_DPI, OcrSettings, OcrTuning
from extract.read.pdfium_open import PdfiumRefusal, load_pdfium

log = logging.getLogger(__name__)

def render(path: Path, page_number: int, settings: OcrSettings, max_pixels: int = MAX_IMAGE_PIXELS) -> np.ndarray:
    """The page as an 8-bit grey image at the settings' (resolved) resolution. A page whose images hold more than
    ``max_pixels`` pixels, or whose rendering would, is refused (``ImageTooLargeError``) before anything is decoded."""
    try:  # pdfium's errors translated where they enter: damage of the file, not a failure of OCR
        pdf = load_pdfium(path)
    except PdfiumRefusal as exc:
        raise PageOcrError(f"pdfium cannot open the file to render the page ({str(exc).rstrip('.')}; the file is "
                           "damaged)", page_number, ProblemCategory.damaged) from exc
    try:
        try:
            page = pdf[page_number - 1]
        except pdfium.PdfiumError as exc:
            raise PageOcrError(f"pdfium cannot load the page to render it ({str(exc).rstrip('.')}; the file is "
                               "damaged)", page_number, ProblemCategory.damaged) from exc
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


def ink_boxes(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, w, h) of the 8-connected parts of a sparse mask (outer contours: much faster than
    labelling every pixel of a page)."""
    contours, _ = cv2.findContours((mask > 0).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [tuple(int(v) for v in cv2.boundingRect(c)) for c in contours]


def ink(gray: np.ndarray) -> np.ndarray:
    """Binary ink mask (Otsu threshold): True where the page is dark."""
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return binary > 0


def flatten_background(gray: np.ndarray, settings: OcrSettings) -> np.ndarray:
    """The page divided by its own background (a grey-level closing that erases every stroke): paper, scanner
    shading and light cell fills become white, while type and rules keep their contrast to what is around them."""
    side = settings.odd_px(settings.tuning.background_kernel)  # wider than any stroke, narrower than a cell
    calm = cv2.medianBlur(gray, 3)  # so that the closing does not take the scanner's noise for the background
    background = cv2.morphologyEx(calm, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    flat = gray.astype(np.float32) * 255.0 / np.maximum(background.astype(np.float32), 1.0)
    return np.clip(flat, 0, 255).astype(np.uint8)


# the skew search, coarse to fine: (resolution the page is reduced to, step in degrees, span searched either side of
# the previous stage's best; the first stage searches the whole ±limit, OcrTuning.skew_limit: a page fed crookedly
# into a scanner by hand). A 0.5° step cannot step over the peak: rows
# of type stay sharp over about a degree of turn.
SKEW_SEARCH = ((100, 0.5, None), (100, 0.1, 0.5), (200, 0.05, 0.15))


def skew_angle(gray: np.ndarray, limit: float = OcrTuning().skew_limit, dpi: int = REFERENCE_DPI) -> float:
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


def deskew(gray: np.ndarray, dpi: int = REFERENCE_DPI, limit: float = OcrTuning().skew_limit) -> tuple[np.ndarray, float]:
    angle = skew_angle(gray, limit, dpi)
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


def invert_dark_bands(gray: np.ndarray, settings: OcrSettings | None = None) -> np.ndarray:
    """Light-on-dark bands (table title bars) turned dark-on-light, so that Tesseract reads their text.

    The band is inverted and stretched so that its background becomes paper-white and its lettering ink-black
    (a mid-grey bar inverted naively stays mid-grey, which the ink threshold would take for ink).
    """
    settings = settings or OcrSettings(dpi=REFERENCE_DPI)
    tuning = settings.tuning  # band_*: a title bar's darkness, solid kernel, height (1.5 to 15 mm), width and rim
    dark = (gray < tuning.band_dark).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (settings.px(tuning.band_kernel[0]),
                                                        settings.px(tuning.band_kernel[1])))
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
    low, high = settings.px(tuning.band_height[0]), settings.px(tuning.band_height[1])
    paper = float(np.percentile(gray, 90))
    out = gray
    for x, y, w, h in ink_boxes(solid):
        if w > gray.shape[1] * tuning.band_min_width and low <= h <= high and (
                cv2.countNonZero(solid[y:y + h, x:x + w]) > 0.6 * w * h):
            out = out.copy() if out is gray else out
            band = out[y:y + h, x:x + w].astype(np.float32)
            background = float(np.median(band[solid[y:y + h, x:x + w] > 0]))
            lettering = max(paper, background + 40.0)
            stretched = (lettering - band) / (lettering - background)  # 1 on the bar, 0 on its lettering
            edge = settings.px(tuning.band_edge)  # the bar's blurred rim, outside its solid part, goes too
            rim = out[max(0, y - edge):y + h + edge, max(0, x - edge):x + w + edge]
            rim[rim < paper - 40] = np.uint8(paper)
            out[y:y + h, x:x + w] = np.clip(255.0 * stretched, 0, 255).astype(np.uint8)
    return out

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
