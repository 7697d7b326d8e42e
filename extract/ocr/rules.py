"""Ruling lines from a page image: thin rules (darker than both sides along their length) and solid bars."""

from __future__ import annotations

import logging

import cv2
import numpy as np

from extract.core.records import Rule
from extract.core.settings import OcrSettings
from extract.ocr.image import Box, ink_boxes

log = logging.getLogger(__name__)

# the thresholds are OcrTuning's rule_* (pixel measures at REFERENCE_DPI) and solid_search_dpi


def ruling_lines(gray: np.ndarray, settings: OcrSettings, page_number: int) -> tuple[list[Rule], np.ndarray]:
    """Long thin horizontal and vertical lines (table rules), and a mask of their pixels (slightly widened).

    ``gray`` is the flattened page (``flatten_background``; a boolean ink mask is taken as black on white). A pixel
    belongs to a horizontal rule when it is darker than ``rule_level`` and clearly darker than the pixels ``rule_side`` above
    and below it, along a run of at least the minimum rule length (vertical rules alike, across): a rule stays while
    a word, whose letters have stems and bowls, never gives such a run. A rule too thick for that test is found as
    a solid bar of ink (``solid_bars``): left in the image, Tesseract would read it as a line of letters.
    """
    if gray.dtype == bool:
        gray = np.where(gray, np.uint8(0), np.uint8(255))
    t = settings.tuning
    length = max(settings.px(t.rule_min_length), gray.shape[1] // 25)
    side = settings.px(t.rule_side)
    smooth = settings.odd_px(t.rule_smooth)
    height, width = gray.shape
    short = settings.odd_px(t.rule_smooth_sides)
    thin = []
    for kernel, sides, before, after in (((smooth, 1), (short, 1), (0, side), (2 * side, side)),
                                         ((1, smooth), (1, short), (side, 0), (side, 2 * side))):
        centre = cv2.blur(gray, kernel)  # averaged along the rule: a light rule stays, noise goes
        padded = cv2.copyMakeBorder(cv2.blur(gray, sides), side, side, side, side, cv2.BORDER_REPLICATE)
        one = np.ascontiguousarray(padded[before[0]:before[0] + height, before[1]:before[1] + width])
        other = np.ascontiguousarray(padded[after[0]:after[0] + height, after[1]:after[1] + width])
        contrast = cv2.subtract(cv2.min(one, other), centre)  # saturates at 0
        thin.append(cv2.bitwise_and(cv2.compare(contrast, t.rule_contrast, cv2.CMP_GE),
                                    cv2.compare(centre, t.rule_level, cv2.CMP_LT)))
    thin_h, thin_v = thin
    dark = gray < t.rule_level
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
    bridge = settings.odd_px(t.rule_bridge)  # pieces of one rule a little apart are one rule
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1)))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, bridge)))
    rules = []
    s = settings.scale
    for lines, is_horizontal in ((horizontal, True), (vertical, False)):
        for x, y, w, h in ink_boxes(lines):
            if is_horizontal and w >= length:
                mid = (y + h / 2) * s
                rules.append(Rule(x * s, mid, (x + w) * s, mid, page_number))
            elif not is_horizontal and h >= length:
                mid = (x + w / 2) * s
                rules.append(Rule(mid, y * s, mid, (y + h) * s, page_number))
    grow = settings.odd_px(t.rule_mask_grow)
    core = ((horizontal > 0) | (vertical > 0)).astype(np.uint8)
    rule_mask = cv2.dilate(core, np.ones((grow, grow), np.uint8)) > 0
    return rules, rule_mask


def solid_bars(gray: np.ndarray, settings: OcrSettings) -> tuple[int, list[Box], list[Box]]:
    """Boxes (x, y, w, h, full resolution) of the horizontal and vertical bars of ink unbroken over ``rule_solid_share``
    of the page's width and at most ``rule_max_thickness`` thick, and the gray level ink is darker than: rules too thick
    for the thin-line test (whose sides then lie on the rule itself). Type never runs unbroken that far (words stand
    apart), and a dark area thicker than a rule is none. Bars are looked for on every few pixels of the page (about
    ``solid_search_dpi``: a bar that thick is never missed)."""
    t = settings.tuning
    step = max(1, settings.resolved // t.solid_search_dpi)
    small = np.ascontiguousarray(gray[::step, ::step])
    level, ink_small = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    length = max(1, int(t.rule_solid_share * small.shape[1]))
    thick = max(1, settings.px(t.rule_max_thickness) // step)
    found: list[list[Box]] = []
    for along, across in (((length, 1), (1, thick + 1)), ((1, length), (thick + 1, 1))):
        runs = cv2.morphologyEx(ink_small, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        if runs.any():
            wide = cv2.morphologyEx(runs, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, across))
            runs = cv2.subtract(runs, cv2.dilate(wide, np.ones((3, 3), np.uint8)))
        found.append([(max(0, (x - 1) * step), max(0, (y - 1) * step), (w + 2) * step, (h + 2) * step)
                      for x, y, w, h in ink_boxes(runs)])
    return int(level), found[0], found[1]


def _add_bars(lines: np.ndarray, bars: list[Box], gray: np.ndarray, level: int) -> None:
    """Outline each bar that touches none of the rules in ``lines`` by the ink in its box, into ``lines`` (a rule
    the thin-line test found keeps its own, thinner outline)."""
    for x, y, w, h in bars:
        if not lines[y:y + h, x:x + w].any():
            lines[y:y + h, x:x + w] = cv2.compare(gray[y:y + h, x:x + w], level, cv2.CMP_LE)
