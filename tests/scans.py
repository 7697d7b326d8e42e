"""Made-up scans of PDFs for the OCR tests: each page rendered at a resolution, turned, rotated a little, blurred,
noised and stored as JPEG in an image-only PDF (``make_scan``), optionally in colour on aged (tinted) paper, and
with the table rules of chosen pages erased, faded, broken or cut short (``RuleDamage``). ``scan_pages_into`` swaps
only chosen pages of a born-digital PDF for their scans, so that a test OCRs one page instead of a whole document.

Rule damage works from the born-digital source's own ruling lines (``read.page_rules``): only sources with a text
layer can have their rules damaged.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image

from extract.core.records import Rule
from extract.read.pdf import page_rules

MAX_SKEW = 1.5  # degrees
WHITE_PAPER = (1.0, 1.0, 1.0)
YELLOWED_PAPER = (0.96, 0.91, 0.72)  # red, green, blue: old paper reflects little blue
RULE_HALF_WIDTH = 1.2  # points either side of a rule's centre line that belong to the rule (its anti-aliased edges)
JPEG_QUALITY = 85


@dataclass(frozen=True)
class RuleDamage:
    """What happens to the horizontal rules of one page.

    ``kind``: "erase" (gone), "fade" (ink kept at ``strength`` of its darkness: light gray), "break" (gaps of
    ``gap`` points every ``period`` points, at a random phase per rule: short ones make a dashed rule), "short"
    (only the right ``keep_right`` share of the rule is kept: a rule spanning some columns only) or "thick" (drawn
    ``width`` points thick in the rule's own darkness). ``share`` of the page's
    rules (drawn with ``seed``) are damaged; ``keep_first`` rules from the top are spared (a table's header rules).
    """

    page: int
    kind: str = "erase"
    share: float = 1.0
    strength: float = 0.2
    gap: float = 14.0
    period: float = 60.0
    keep_right: float = 0.55
    width: float = 2.5
    keep_first: int = 0
    seed: int = 0


def horizontal_rules(source: Path, page_number: int) -> list[Rule]:
    """The distinct horizontal rules of a born-digital page (a rectangle's edges and a line on it count once)."""
    with pdfplumber.open(source) as pdf:
        rules = [r for r in page_rules(pdf.pages[page_number - 1], page_number) if r.horizontal]
    distinct: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (r.top, r.x0)):
        if distinct and abs(rule.top - distinct[-1].top) < 1.0 and rule.x0 <= distinct[-1].x1:
            last = distinct[-1]
            distinct[-1] = Rule(min(last.x0, rule.x0), last.top, max(last.x1, rule.x1), last.bottom, last.page)
        else:
            distinct.append(rule)
    return distinct


def damage_rules(image: np.ndarray, rules: list[Rule], damage: RuleDamage, dpi: int) -> list[Rule]:
    """Damage ``rules`` on a white-paper rendering (``image``, gray or RGB, changed in place) as ``damage`` says;
    returns the rules that were damaged."""
    rng = random.Random(damage.seed)
    candidates = rules[damage.keep_first:]
    chosen = sorted(rng.sample(candidates, round(damage.share * len(candidates))), key=lambda r: r.top)
    k = dpi / 72
    for rule in chosen:
        y = (rule.top + rule.bottom) / 2
        y0, y1 = int((y - RULE_HALF_WIDTH) * k), int(np.ceil((y + RULE_HALF_WIDTH) * k)) + 1
        for x0, x1 in _damaged_stretches(rule, damage, rng):
            band = image[y0:y1, int(x0 * k):int(np.ceil(x1 * k))]
            if damage.kind == "thick":
                half = damage.width / 2 * k
                thick = image[int(y * k - half):int(np.ceil(y * k + half)), int(x0 * k):int(np.ceil(x1 * k))]
                thick[...] = np.minimum(thick, band.min(axis=(0, 1)))
            elif damage.kind == "fade":
                band[...] = (255 - (255 - band.astype(np.float32)) * damage.strength).astype(np.uint8)
            else:
                band[...] = 255
    return chosen


def _damaged_stretches(rule: Rule, damage: RuleDamage, rng: random.Random) -> list[tuple[float, float]]:
    """The x-ranges (points) of a rule that are erased or faded."""
    if damage.kind in ("erase", "fade", "thick"):
        return [(rule.x0 - 1, rule.x1 + 1)]
    if damage.kind == "short":
        return [(rule.x0 - 1, rule.x1 - damage.keep_right * (rule.x1 - rule.x0))]
    if damage.kind == "break":
        stretches, x = [], rule.x0 + rng.uniform(0, damage.period - damage.gap)
        while x < rule.x1:
            stretches.append((x, min(rule.x1, x + damage.gap)))
            x += damage.period
        return stretches
    raise ValueError(f"unknown rule damage {damage.kind!r}")


def age_paper(image: np.ndarray, paper: tuple[float, float, float]) -> np.ndarray:
    """An RGB rendering on tinted paper: white becomes the paper's colour, ink stays dark (multiplied)."""
    return (image.astype(np.float32) * np.array(paper, np.float32)).astype(np.uint8)


def render_page(page: pdfium.PdfPage, dpi: int, colour: bool) -> np.ndarray:
    """A page rendered on white at ``dpi``: gray (2-D) or RGB (3-D)."""
    if colour:
        return np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB")).copy()
    gray = page.render(scale=dpi / 72, grayscale=True).to_numpy()
    return gray if gray.ndim == 2 else cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)


def scan_effects(image: np.ndarray, angle: float, dpi: int, noise_seed: int, border: int | tuple) -> Image.Image:
    """Rotate by ``angle`` degrees (as ``cv2.getRotationMatrix2D`` takes them), blur and noise a little."""
    centre = (image.shape[1] / 2, image.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    turned = cv2.warpAffine(image, matrix, (image.shape[1], image.shape[0]), flags=cv2.INTER_LINEAR,
                            borderValue=border).astype(np.float32)
    turned = cv2.GaussianBlur(turned, (0, 0), 0.4 * dpi / 200)
    noise = np.random.default_rng(noise_seed).normal(0, 6.0, turned.shape)
    pixels = np.clip(turned + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB" if pixels.ndim == 3 else "L")


def scan_images(source: Path, dpi: int, seed: int, max_skew: float = MAX_SKEW,
                quarter_turns: dict[int, int] | None = None, colour: bool = False,
                paper: tuple[float, float, float] = WHITE_PAPER, damage: list[RuleDamage] | None = None,
                pages: list[int] | None = None) -> tuple[list[Image.Image], list[tuple[int, float]]]:
    """The scanned page images of ``source`` (only ``pages`` when given) and each one's (quarter turns, rotation):
    see ``make_scan``."""
    rng = random.Random(seed)
    damage_of = {d.page: d for d in damage or []}
    pdf = pdfium.PdfDocument(str(source))
    images, angles = [], []
    try:
        for index, page in enumerate(pdf):
            if pages is not None and index + 1 not in pages:
                continue
            image = render_page(page, dpi, colour or paper != WHITE_PAPER)
            if index + 1 in damage_of:
                damage_rules(image, horizontal_rules(source, index + 1), damage_of[index + 1], dpi)
            if image.ndim == 3:
                image = age_paper(image, paper)
            turns = (quarter_turns or {}).get(index + 1, 0)
            image = np.ascontiguousarray(np.rot90(image, turns))
            angle = max_skew * (1 if seed % 2 else -1) if not images else rng.uniform(-max_skew, max_skew)
            angles.append((turns, angle))
            border = 255 if image.ndim == 2 else tuple(int(255 * c) for c in paper)
            images.append(scan_effects(image, angle, dpi, rng.randrange(1 << 30), border))
    finally:
        pdf.close()
    return images, angles


def make_scan(source: Path, target: Path, dpi: int, seed: int, max_skew: float = MAX_SKEW,
              quarter_turns: dict[int, int] | None = None, colour: bool = False,
              paper: tuple[float, float, float] = WHITE_PAPER, damage: list[RuleDamage] | None = None,
              quality: int = JPEG_QUALITY) -> list[tuple[int, float]]:
    """Write an image-only PDF of ``source``: each page rendered at ``dpi`` (in colour on ``paper`` when asked),
    its rules damaged as ``damage`` says, turned by ``quarter_turns`` (page number: quarter turns as ``np.rot90``
    gives them, for a page fed sideways or upside down), rotated by up to ``max_skew`` degrees (the first page by
    the full amount), blurred and noised a little, stored as JPEG of ``quality`` at that resolution. Returns each
    page's (quarter turns, rotation in degrees as ``cv2.getRotationMatrix2D`` takes them)."""
    images, angles = scan_images(source, dpi, seed, max_skew, quarter_turns, colour, paper, damage)
    images[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:], quality=quality)
    return angles


def scan_pages_into(source: Path, target: Path, pages: list[int], dpi: int, seed: int,
                    quality: int = JPEG_QUALITY, **options) -> None:
    """Write ``source`` with only ``pages`` replaced by their scans (``make_scan``'s options): the other pages keep
    their text layer, so only the scanned ones are OCR'd."""
    images, _ = scan_images(source, dpi, seed, pages=pages, **options)
    swap_in_images(source, target, dict(zip(sorted(pages), images)), dpi, quality)


def swap_in_images(source: Path, target: Path, images: dict[int, Image.Image], dpi: int,
                   quality: int = JPEG_QUALITY) -> None:
    """Write ``source`` with the pages numbered in ``images`` replaced by those images (image-only pages at
    ``dpi``); the other pages keep their text layer."""
    pdf = pdfium.PdfDocument(str(source))
    try:
        for number, image in sorted(images.items()):
            buffer = io.BytesIO()
            image.save(buffer, "PDF", resolution=float(dpi), quality=quality)
            scanned = pdfium.PdfDocument(buffer.getvalue())
            pdf.del_page(number - 1)
            pdf.import_pages(scanned, [0], index=number - 1)
        pdf.save(str(target))
    finally:
        pdf.close()
