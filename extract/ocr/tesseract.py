"""Tesseract, the only module that calls it: words with their boxes (TSV output), a second look at type its
layout analysis left out, baselines and type sizes, boldness, and orientation detection."""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image

from extract.core.errors import OcrUnavailableError
from extract.core.settings import OcrSettings, OcrTuning
from extract.ocr.image import stroke_width

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

RULE_FRAGMENT = re.compile(r"^[|\[\]_—–=]+$")  # Tesseract's reading of a table rule, not a word
RULE_RESIDUE = "|_"  # ... and of a rule's remains glued to a word ("_Netwerkpartners"), stripped off
LINE_BOX_SHARE = 0.82  # type size / height of Tesseract's line box (ascender to descender), when nothing better
CAP_HEIGHT = 0.72  # capitals and ascenders above the baseline, as a share of the type size
X_HEIGHT = 0.50  # lower-case letters without ascenders
DESCENT = 0.21  # a word's box reaches this far below the baseline (as a born-digital word's box does)
ASCENDING = frozenset("bdfhklijß")  # ... and capitals, digits and accented letters: reach about the cap height
X_LETTERS = frozenset("acemnorsuvwxzgpqy")  # reach the x-height only (a word of these and 't' is neither)
DESCENDING = frozenset("gjpqyQ,;()[]{}|/@ç")  # reach below the baseline



@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """Tesseract's version (asked once per process: it is part of every OCR cache key)."""
    if not shutil.which(pytesseract.pytesseract.tesseract_cmd):
        raise OcrUnavailableError()
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise OcrUnavailableError() from exc



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


# OcrTuning.missed_min_width: narrower ink left unread is a marker's business (classify_markers), not text's


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
        if not (0.5 * size <= h <= 2.5 * size and w >= settings.tuning.missed_min_width * size):
            continue
        piece = (labels[y:y + h, x:x + w] == index) & ink_mask[y:y + h, x:x + w]
        if piece.sum() and (piece & covered[y:y + h, x:x + w]).sum() < 0.2 * piece.sum():
            regions.append((x, y, w, h))
    if not regions or len(regions) > settings.tuning.missed_max_regions:
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


def mark_bold(words: list[OcrWord], binary: np.ndarray, gray: np.ndarray | None = None,
              ratio: float = OcrTuning().bold_ratio) -> None:
    """Bold words have clearly thicker strokes (``ratio`` times) than the page's typical word (measured on the darkness of the
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
        word.bold = typical > 0 and width > ratio * typical


SPECKS = frozenset(".,‚'`’‘\"·:;")  # a word of these only is a speck of dirt or a rule's remains, not text


def drop_specks(words: list[OcrWord]) -> list[OcrWord]:
    return [w for w in words if not set(w.text) <= SPECKS]


def upright_turns(gray: np.ndarray, settings: OcrSettings) -> int:
    """Quarter turns counterclockwise (as ``np.rot90`` turns) that bring the page's type upright, from Tesseract's
    orientation detection (0 when it is upright, or Tesseract is unsure or cannot tell)."""
    try:
        osd = pytesseract.image_to_osd(Image.fromarray(gray), config=f"--psm 0 --dpi {settings.resolved}",
                                       output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as exc:  # too few characters, say
        log.info("orientation not detected (%s)", str(exc).strip().splitlines()[-1:] or exc)
        return 0
    if float(osd.get("orientation_conf", 0.0)) < settings.tuning.osd_min_confidence:
        return 0
    return (-int(osd.get("rotate", 0)) // 90) % 4  # Tesseract's "rotate" is clockwise
