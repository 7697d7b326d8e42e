"""Check and cross markers from pixels: the glyph left of a findings line, cut out and classified (``glyphs``)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np

from extract.core.settings import REFERENCE_DPI, MarkerSettings, OcrSettings
from extract.ocr.glyphs import K, classify
from extract.ocr.tesseract import OcrWord
from extract.series.description import Series, series

log = logging.getLogger(__name__)

# What Tesseract reads a marker as (OCR knowledge, whatever the series); the active series' own marker glyphs are
# added to it and to MARKER_START (``SeriesMarks``)
MARKER_LOOKALIKES = {"/", "v", "V", "J", "y", "Y", "X", "x", "K", "«", "»", "4", "¥", "\\", "|", "W", "vw", "Vv",
                     "w", "Â", "J/", "/}", "f", "7", "Y.", "v/", "x.", "X.", "✓", "✔", "%"}


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
# MarkerSettings.votes: a glyph with this many check/cross votes (of glyphs.K) but no verdict is unreadable
MARKER_START = frozenset("XxvV/✓✔%J|Y¥")  # a marker Tesseract glued to the next word: "XEr", "/De"
LABEL_VERDICTS = {"check": "pass", "cross": "fail"}  # the pixel classifier's labels → verdicts


@dataclass(frozen=True)
class SeriesMarks:
    """What the active series' description says about the markers the classifier writes and looks for.

    ``written``: verdict → the word written for a glyph the pixel classifier reads as that verdict. That is the
    description's canonical marker for the verdict when the description itself reads that glyph as the verdict (one
    of its checks; one of its crosses that is no check), else the description's own marker glyph for the verdict that
    is no letter, the lowest-coded (a canonical "+" that is none of the series' markers would be no marker to the
    markers stage, and the verdict would be lost). ``glyphs``: all of the description's marker glyphs, which join
    MARKER_LOOKALIKES and MARKER_START (Tesseract may read a marker as the very glyph the series uses)."""

    written: dict[str, str]
    glyphs: frozenset[str]
    lookalikes: frozenset[str] = field(init=False)
    starts: frozenset[str] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "lookalikes", frozenset(MARKER_LOOKALIKES) | self.glyphs)
        object.__setattr__(self, "starts", MARKER_START | self.glyphs)

    @property
    def key(self) -> str:
        """What of the series an OCR reading depends on, as text: a part of the OCR cache's key."""
        return f"markers:{self.written['pass']}|{self.written['fail']}|{''.join(sorted(self.glyphs))}"


def series_marks(current: Series | None = None) -> SeriesMarks:
    """The ``SeriesMarks`` of a series' description (default: the active series, ``series()``)."""
    current = current or series()
    return _series_marks(current.checks, current.crosses, current.letter_crosses,
                         current.canonical_markers["pass"], current.canonical_markers["fail"])


@lru_cache(maxsize=8)
def _series_marks(checks: frozenset[str], crosses: frozenset[str], letters: frozenset[str], canonical_pass: str,
                  canonical_fail: str) -> SeriesMarks:
    written = {}
    # the glyphs the markers stage reads as each verdict (``document.markers.classify_glyph`` asks checks first)
    for verdict, reads_as, canonical in (("pass", checks, canonical_pass), ("fail", crosses - checks, canonical_fail)):
        own = sorted(reads_as)
        written[verdict] = (canonical if canonical in reads_as or not own
                            else next((g for g in own if g not in letters), own[0]))
    return SeriesMarks(written, checks | crosses)


def classify_markers(words: list[OcrWord], binary: np.ndarray, vertical_xs: list[float],
                     settings: OcrSettings | None = None) -> list[OcrWord]:
    """Find the marker at the start of each line segment and classify it from the image.

    A segment's first word may be Tesseract's reading of the marker ("/", "v", "X" ...), the marker glued to the
    word after it ("XEr"), or the marker may be missing from the OCR output altogether (an ink blob just left of the
    first word). The glyph (the connected ink there, not Tesseract's box, which may hold half a check) is cut out and
    classified; a check or cross becomes a word, the active series' marker for that verdict (``SeriesMarks.written``:
    the canonical one, "✓" or "X" for STJ), whose confidence is the classifier's, and a glyph that looks like a
    marker but is neither becomes an unreadable marker (UNREADABLE), so that its finding says so.
    """
    settings = settings or OcrSettings(dpi=REFERENCE_DPI)
    ours = series_marks()
    result = list(words)
    for segment in line_segments(words, vertical_xs):
        first = segment[0]
        size = max(first.line_height, 1.0)
        if first.text in ours.lookalikes or (len(first.text) <= 2 and not first.text.isalnum()):
            glyph = _glyph_at(binary, (first.left, first.top, first.width, first.height), size, settings)
            verdict = (_verdict(glyph[1], first.text in ours.lookalikes, settings.markers.votes, ours) if glyph
                       else None)
            if verdict:
                first.text, first.conf = verdict
                first.left, first.top, first.width, first.height = glyph[0]
            continue
        if len(first.text) >= 3 and first.text[0] in ours.starts and first.text[1].isupper():
            split = _split_glued(first, binary, size, settings, ours)
            if split is not None:
                result.append(split)
                continue
        blob = _blob_left_of(first, binary, settings)
        if blob is not None:
            glyph = _glyph_at(binary, blob, size, settings)
            verdict = _verdict(glyph[1], False, settings.markers.votes, ours) if glyph else None
            if verdict:
                box = glyph[0]
                result.append(OcrWord(verdict[0], box[0], box[1], box[2], box[3], verdict[1], first.line_key,
                                      first.line_top, first.line_height))
    return result


def _verdict(glyph: np.ndarray, looks_like_marker: bool, votes: int = MarkerSettings().votes,
             ours: SeriesMarks | None = None) -> tuple[str, float] | None:
    """The series' marker for a check or cross (``SeriesMarks.written``) with the classifier's confidence;
    UNREADABLE for a glyph that is marker-like but neither (a split vote, or a marker lookalike Tesseract read that
    the classifier gives some marker votes); None for no marker."""
    verdict = classify(glyph)
    if verdict.label in LABEL_VERDICTS:
        return (ours or series_marks()).written[LABEL_VERDICTS[verdict.label]], verdict.confidence
    marker_votes = round((1.0 - verdict.confidence) * K)  # the votes the winning 'none' did not get
    if marker_votes >= votes or (looks_like_marker and marker_votes >= 1):
        return UNREADABLE, 0.0
    return None


def _glyph_at(binary: np.ndarray, box: tuple[int, int, int, int], size: float,
              settings: OcrSettings) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
    """The whole glyph at a box: the connected ink that meets the box (Tesseract's box may hold only part of a
    check), as its bounding box and an image of that ink alone."""
    left, top, width, height = box
    reach = int(0.5 * size) + settings.px(settings.markers.pad)
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


def _split_glued(word: OcrWord, binary: np.ndarray, size: float, settings: OcrSettings,
                 ours: SeriesMarks | None = None) -> OcrWord | None:
    """A marker Tesseract read as the first letter of the next word ("XEr"): if the word's first glyph (its
    leftmost ink, clear of the rest) classifies as a check or cross, it becomes a word of its own; the word keeps
    the rest."""
    pad = settings.px(settings.markers.pad)
    x0, y0 = max(0, word.left - pad), max(0, int(round(word.line_top)) - pad)
    region = binary[y0:y0 + int(round(size)) + 2 * pad, x0:word.left + word.width].astype(np.uint8)
    if not region.any():
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    parts = sorted(range(1, count), key=lambda i: stats[i][0])
    parts = [i for i in parts if stats[i][4] >= settings.markers.blob_min_area * (settings.resolved / REFERENCE_DPI) ** 2]
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
    if verdict.label not in LABEL_VERDICTS:
        return None
    text = (ours or series_marks()).written[LABEL_VERDICTS[verdict.label]]
    cut = min(stats[i][0] for i in rest) + x0
    word.text, word.width, word.left = word.text[1:], word.left + word.width - cut, cut
    return OcrWord(text, box[0], box[1], box[2], box[3], verdict.confidence, word.line_key, word.line_top,
                   word.line_height)


def _blob_left_of(first: OcrWord, binary: np.ndarray, settings: OcrSettings) -> tuple[int, int, int, int] | None:
    """An ink blob of about one character just left of a line's first word, that OCR did not read."""
    height = int(round(max(first.line_height, first.height)))
    gap = settings.px(settings.markers.blob_gap)
    x1 = first.left - gap
    x0 = max(0, first.left - int(2.2 * height))
    top = max(0, int(round(first.line_top)) - gap)
    region = binary[top:top + height + 2 * gap, x0:x1]
    if region.size == 0 or not region.any():
        return None
    count, _, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8))
    min_area = settings.markers.blob_min_area * (settings.resolved / REFERENCE_DPI) ** 2
    boxes = [s for s in stats[1:count] if s[4] >= min_area and s[3] >= 0.35 * height]
    if not boxes or _separate_glyphs(boxes):
        return None
    left = min(b[0] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    btop = min(b[1] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    if right - left > 1.6 * height or left < 1:  # a wide blob or one touching the region's edge is not a marker
        return None
    if x0 + right > first.left - settings.markers.blob_space * first.line_height:  # no space after it: a letter of the word itself
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
