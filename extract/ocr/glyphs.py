"""Markers from pixels: classify a small glyph image as a check, a cross or no marker.

Tesseract's Dutch model has no check mark (it reads ✓ as "/" or drops it), so on scanned pages the marker is
classified from the image. The classifier is a k-nearest-neighbour vote over normalised glyph bitmaps; its training
set is rendered here (several fonts, sizes, weights, blurs, skews and noise) and stored in
``models/marker_glyphs.npz`` by ``models/build/build_marker_model.py``. Few installed fonts draw a check, so the set also
has check and cross marks drawn as brush strokes of every weight (heavy, tapered, serif-like) and single strokes that
are no marker; every font glyph is drawn at its own weight and emboldened. All of it from one seed: the same model
every build.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extract.series.assets import MODELS_DIR

log = logging.getLogger(__name__)

MODEL_FILE = MODELS_DIR / "marker_glyphs.npz"
LABELS = ("check", "cross", "none")
SIDE = 20  # glyphs are compared as SIDE x SIDE bitmaps
K = 5

CHECK_GLYPHS = "✓✔"
CROSS_GLYPHS = "X✗✘x×"
NONE_GLYPHS = tuple("/vVJyY()-•·1lI|7LrtfkKaeoOD0cnuhWwAT%'\",.:;!?") + (
    "of", "en", "de", "op", "te", "Er", "ij", "vr", "rv", "tv")  # and letter pairs a glyph crop may catch
MIN_PX, MAX_PX = 18, 48  # glyph sizes in pixels (the classifier compares them scaled to SIDE, so any resolution)
CLASS_WEIGHT = {"check": 6, "cross": 3, "none": 1}  # renders per glyph, so that the classes are about balanced
EMBOLDEN = (0.03, 0.10)  # extra stroke (share of the glyph size) for the heavier renders: bolder than any font
DRAWN = {"check": 700, "cross": 250, "none": 250}  # brush-drawn marks per class
FONT_DIRS = [Path("/usr/share/fonts/truetype"), Path("/usr/share/fonts/opentype")]


@dataclass
class GlyphVerdict:
    label: str  # check | cross | none
    confidence: float


# ---------------------------------------------------------------- features


def features(binary: np.ndarray) -> np.ndarray | None:
    """A glyph's feature vector: its ink (True = ink) cropped, padded square, resized; plus its aspect ratio."""
    ys, xs = np.nonzero(binary)
    if len(xs) < 4:
        return None
    crop = binary[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.uint8) * 255
    h, w = crop.shape
    side = max(h, w)
    square = np.zeros((side, side), np.uint8)
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = crop
    small = cv2.resize(square, (SIDE, SIDE), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    aspect = np.float32(np.log(w / h))
    return np.concatenate([small.ravel(), [aspect * 2.0]])


# ---------------------------------------------------------------- training set


def available_fonts() -> list[Path]:
    found = []
    for folder in FONT_DIRS:
        if folder.exists():
            found += sorted(p for p in folder.rglob("*.ttf") if "DejaVu" in p.name or "Liberation" in p.name
                            or "FreeS" in p.name or "Noto" in p.name)
    return found


def _font_has(font: ImageFont.FreeTypeFont, char: str) -> bool:
    """True when the font draws ``char`` itself, not its missing-glyph box."""
    try:
        mask = font.getmask(char)
        missing = font.getmask("\U0010fffd")
    except (ValueError, OSError):
        return False
    if mask.getbbox() is None:
        return False
    return mask.size != missing.size or bytes(mask) != bytes(missing)


def render_glyph(char: str, font: ImageFont.FreeTypeFont, rng: random.Random) -> np.ndarray:
    """A glyph as a scanner would see it: drawn (a third of them emboldened), skewed, blurred, noised, thresholded
    (True = ink)."""
    size = font.size
    canvas = Image.new("L", (size * 3, size * 3), 255)
    bold = rng.random() < 1 / 3
    stroke = max(1, round(rng.uniform(*EMBOLDEN) * size)) if bold else 0
    ImageDraw.Draw(canvas).text((size, size // 2), char, font=font, fill=0, stroke_width=stroke, stroke_fill=0)
    return _scanned(canvas, size, rng)


def drawn_mark(label: str, rng: random.Random) -> np.ndarray:
    """A check, a cross or a single stroke (label 'none') drawn as brush strokes: random proportions, angles,
    weights (hairline to heavy), tapering and a little curvature, then scanned like a rendered glyph."""
    size = rng.randint(MIN_PX, MAX_PX)
    canvas = Image.new("L", (size * 3, size * 3), 255)
    draw = ImageDraw.Draw(canvas)
    weight = rng.uniform(0.06, 0.2) * size
    ox, oy = size, size

    def point(x: float, y: float) -> tuple[float, float]:
        return ox + (x + rng.uniform(-0.04, 0.04)) * size, oy + (y + rng.uniform(-0.04, 0.04)) * size

    if label == "check":
        width = rng.uniform(0.7, 1.1)
        elbow = point(rng.uniform(0.25, 0.45) * width, rng.uniform(0.85, 1.0))
        strokes = [(point(rng.uniform(0.0, 0.1), rng.uniform(0.45, 0.7)), elbow),
                   (elbow, point(width, rng.uniform(0.0, 0.15)))]
    elif label == "cross":
        width = rng.uniform(0.7, 1.05)
        strokes = [(point(0, 0), point(width, 1)), (point(width, 0), point(0, 1))]
    else:
        kind = rng.choice(["slash", "backslash", "bar", "dash"])
        ends = {"slash": ((0.2, 1), (0.8, 0)), "backslash": ((0.2, 0), (0.8, 1)), "bar": ((0.5, 0), (0.5, 1)),
                "dash": ((0.1, 0.55), (0.7, 0.55))}[kind]
        strokes = [(point(*ends[0]), point(*ends[1]))]
    taper = rng.random() < 0.5
    for index, (start, end) in enumerate(strokes):
        _brush(draw, start, end, weight, (0.45 if taper and index == len(strokes) - 1 else 1.0),
               rng.uniform(-0.12, 0.12) * size)
    return _scanned(canvas, size, rng)


def _brush(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float], weight: float,
           end_share: float, bow: float, steps: int = 12) -> None:
    """A stroke from start to end, bowed sideways by ``bow`` pixels, its width going from ``weight`` to
    ``weight * end_share``."""
    (x0, y0), (x1, y1) = start, end
    length = max(1e-6, ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5)
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    for i in range(steps + 1):
        t = i / steps
        x = x0 + (x1 - x0) * t + nx * bow * 4 * t * (1 - t)
        y = y0 + (y1 - y0) * t + ny * bow * 4 * t * (1 - t)
        radius = max(0.6, weight * (1 + (end_share - 1) * t) / 2)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)


def _scanned(canvas: Image.Image, size: int, rng: random.Random) -> np.ndarray:
    image = np.array(canvas.rotate(rng.uniform(-5, 5), resample=Image.BILINEAR, fillcolor=255))
    shear = rng.uniform(-0.12, 0.12)
    matrix = np.float32([[1, shear, -shear * size], [0, 1, 0]])
    image = cv2.warpAffine(image, matrix, (image.shape[1], image.shape[0]), borderValue=255)
    sigma = rng.uniform(0.0, 1.3)
    if sigma > 0.2:
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(0, 18), image.shape)
    image = np.clip(image + noise, 0, 255)
    return image < rng.uniform(110, 170)


def training_set(seed: int = 0, per_glyph_font: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Rendered glyph features and labels over every available font, size and distortion."""
    rng = random.Random(seed)
    fonts = available_fonts()
    if not fonts:
        raise RuntimeError("no TrueType fonts found (install fonts-dejavu-core) to render marker glyphs")
    rows, labels = [], []
    for path in fonts:
        for label, chars in (("check", CHECK_GLYPHS), ("cross", CROSS_GLYPHS), ("none", NONE_GLYPHS)):
            repeats = per_glyph_font * CLASS_WEIGHT[label]
            for char in chars:
                for _ in range(repeats):
                    font = ImageFont.truetype(str(path), rng.randint(MIN_PX, MAX_PX))
                    if not _font_has(font, char):
                        break
                    vector = features(render_glyph(char, font, rng))
                    if vector is not None:
                        rows.append(vector)
                        labels.append(LABELS.index(label))
    for label, count in DRAWN.items():
        for _ in range(count * per_glyph_font // 6):
            vector = features(drawn_mark(label, rng))
            if vector is not None:
                rows.append(vector)
                labels.append(LABELS.index(label))
    return np.array(rows, np.float32), np.array(labels, np.int8)


def save_model(path: Path = MODEL_FILE, seed: int = 0) -> int:
    data, labels = training_set(seed)
    np.savez_compressed(path, features=data.astype(np.float16), labels=labels)
    return len(labels)


# ---------------------------------------------------------------- classification


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, np.ndarray]:
    stored = np.load(MODEL_FILE)
    return stored["features"].astype(np.float32), stored["labels"]


def classify(binary: np.ndarray) -> GlyphVerdict:
    """Check, cross or none for a binary glyph image (True = ink), with the share of neighbours that agree."""
    vector = features(binary)
    if vector is None:
        return GlyphVerdict("none", 1.0)
    data, labels = _model()
    distances = np.einsum("ij,ij->i", data - vector, data - vector)
    nearest = labels[np.argpartition(distances, K)[:K]]
    votes = np.bincount(nearest, minlength=len(LABELS))
    best = int(votes.argmax())
    return GlyphVerdict(LABELS[best], float(votes[best]) / K)
