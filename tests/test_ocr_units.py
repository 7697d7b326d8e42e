"""OCR stage pieces on their own: the per-page decision, settings checks, the resolution choice and the pixel
measures that follow it, the marker classifier's confusion matrix on freshly rendered glyphs and on heavy and
ambiguous marks, unreadable markers, rule detection (and type that must not be taken for rules), word geometry,
deskew, and national-figure patterns."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extract.core.records import Page, Word
from extract.core.settings import AUTO_DPI_RANGE, FALLBACK_DPI, OcrSettings, auto_dpi
from extract.document.markers import split_marker
from extract.facts.report import figures_in_sentence
from extract.ocr import glyphs, image, marks, page, tesseract
from extract.ocr.cache import OcrCache
from extract.ocr.image import flatten_background, skew_angle
from extract.ocr.rules import ruling_lines
from extract.ocr.tesseract import OcrWord, type_geometry
from extract.read.source import PageFacts, decide_source, native_resolutions

FONTS = "/usr/share/fonts/truetype"


def test_decision_text_layer():
    assert decide_source(PageFacts(chars=2000, unmapped=0, words=300, has_images=False)) == "text"


def test_decision_image_page():
    assert decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=True)) == "ocr"


def test_decision_unmapped_glyphs():
    assert decide_source(PageFacts(chars=900, unmapped=120, words=300, has_images=False)) == "ocr"


def test_decision_empty_page_is_not_ocrd():
    assert decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=False)) == "text"


@pytest.mark.parametrize("bad", [{"dpi": 20}, {"dpi": "fast"}, {"lang": "nl d"}, {"psm": 99}])
def test_settings_name_the_bad_value(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        OcrSettings(**bad)


def test_auto_resolution_is_the_scans_own_within_bounds():
    assert OcrSettings().dpi == "auto"
    assert auto_dpi(300.0) == 300 and auto_dpi(149.97) == 150 and auto_dpi(199.6) == 200
    assert auto_dpi(72.0) == AUTO_DPI_RANGE[0] and auto_dpi(1200.0) == AUTO_DPI_RANGE[1]
    assert auto_dpi(0.0) == FALLBACK_DPI  # no scanned image: a page of unmapped glyphs
    assert OcrSettings().for_page(300.0).dpi == 300
    assert OcrSettings(dpi=200).for_page(300.0).dpi == 200  # a chosen resolution overrides the scan's
    with pytest.raises(ValueError, match="auto"):
        OcrSettings().scale


def test_pixel_measures_scale_with_the_resolution():
    assert OcrSettings(dpi=200).px(40) == 40 and OcrSettings(dpi=300).px(40) == 60
    assert OcrSettings(dpi=150).px(40) == 30 and OcrSettings(dpi=150).px(1) == 1
    assert OcrSettings(dpi=300).odd_px(5) % 2 == 1


def test_native_resolution_of_image_pdfs(tmp_path):
    """The scan's resolution is its pixels over the size it is placed at, whatever the file says it is."""
    for dpi in (150, 300):
        path = tmp_path / f"page{dpi}.pdf"
        Image.new("L", (dpi * 4, dpi * 5), 255).save(path, "PDF", resolution=float(dpi))
        assert [round(r) for r in native_resolutions(path)] == [dpi]


def test_cache_key_holds_the_resolution_read_at():
    cache = OcrCache("/nonexistent", "5.3.0")
    auto = OcrSettings()
    keys = {cache.key("abc", 1, auto.for_page(dpi)) for dpi in (150.0, 200.0, 300.0)}
    assert len(keys) == 3
    assert cache.key("abc", 1, auto.for_page(300.0)) == cache.key("abc", 1, OcrSettings(dpi=300))
    with pytest.raises(ValueError):
        cache.key("abc", 1, auto)  # 'auto' is resolved per page before the cache is asked


@pytest.mark.slow  # renders and classifies a whole fresh glyph set (about 70 s)
def test_marker_classifier_confusion_matrix():
    """Glyphs rendered with another seed than the stored set: check, cross and no-marker in every available font,
    at several sizes, blurs, skews and noise levels."""
    data, labels = glyphs.training_set(seed=12345, per_glyph_font=2)
    stored, stored_labels = glyphs._model()
    matrix = np.zeros((3, 3), int)
    for vector, label in zip(data, labels):
        distances = ((stored - vector) ** 2).sum(axis=1)
        votes = np.bincount(stored_labels[np.argpartition(distances, glyphs.K)[:glyphs.K]], minlength=3)
        matrix[label, votes.argmax()] += 1
    print("rows: true check/cross/none; columns: predicted\n", matrix)
    assert matrix.trace() / matrix.sum() >= 0.99
    assert matrix[0, 0] / matrix[0].sum() >= 0.97 and matrix[1, 1] / matrix[1].sum() >= 0.97


def _rendered(char: str, font: str, px: int, stroke: int = 0, blur: float = 0.8) -> np.ndarray:
    face = ImageFont.truetype(f"{FONTS}/{font}", px)
    canvas = Image.new("L", (px * 3, px * 3), 255)
    ImageDraw.Draw(canvas).text((px, px // 2), char, font=face, fill=0, stroke_width=stroke, stroke_fill=0)
    image = cv2.GaussianBlur(np.array(canvas, np.float32), (0, 0), blur)
    return image < 140


@pytest.mark.parametrize("px", [20, 30, 45])  # about 10 pt at 150, 200 and 300 dpi
@pytest.mark.parametrize("stroke", [0, 2, 4])
def test_heavy_check_marks_are_checks(px, stroke):
    """Bold and emboldened (heavier than any font's) check marks, at the sizes a page gives them."""
    for char, font in (("✔", "dejavu/DejaVuSans-Bold.ttf"), ("✓", "dejavu/DejaVuSans.ttf"),
                       ("✔", "dejavu/DejaVuSerif.ttf")):
        if char == "✔" and "Serif" in font:
            font = "dejavu/DejaVuSans.ttf"  # the serif face has no check: a serif document falls back to this
        assert glyphs.classify(_rendered(char, font, px, stroke * px // 30)).label == "check", (char, font)


@pytest.mark.parametrize("px", [20, 30, 45])
def test_serif_and_bold_crosses_are_crosses(px):
    for font in ("liberation/LiberationSerif-Bold.ttf", "liberation/LiberationSerif-Regular.ttf",
                 "liberation/LiberationSans-Bold.ttf", "dejavu/DejaVuSans-Bold.ttf"):
        assert glyphs.classify(_rendered("X", font, px)).label == "cross", font
    assert glyphs.classify(_rendered("✘", "dejavu/DejaVuSans-Bold.ttf", px)).label == "cross"


@pytest.mark.slow  # a generated loop: 120 drawn marks classified
def test_brush_drawn_marks_of_other_fonts():
    """Check and cross shapes no installed font has (brush strokes, tapered, bowed): fresh ones, another seed. (The
    few misses are hairline marks broken up by noise.)"""
    rng = random.Random(777)
    for label in ("check", "cross"):
        hits = sum(glyphs.classify(glyphs.drawn_mark(label, rng)).label == label for _ in range(60))
        assert hits >= 54, (label, hits)


@pytest.mark.slow  # renders the glyph set twice
def test_marker_glyph_set_is_deterministic():
    first, labels = glyphs.training_set(seed=3, per_glyph_font=1)
    again, labels_again = glyphs.training_set(seed=3, per_glyph_font=1)
    assert np.array_equal(first, again) and np.array_equal(labels, labels_again)


def test_unreadable_marker_verdicts(monkeypatch):
    """A marker-like glyph that is neither check nor cross (a split vote) becomes an unreadable marker; a glyph the
    classifier is sure is no marker stays text."""
    glyph = np.ones((10, 10), bool)
    monkeypatch.setattr(marks, "classify", lambda _: glyphs.GlyphVerdict("none", 0.6))
    assert marks._verdict(glyph, looks_like_marker=False) == (marks.UNREADABLE, 0.0)
    monkeypatch.setattr(marks, "classify", lambda _: glyphs.GlyphVerdict("none", 0.8))
    assert marks._verdict(glyph, looks_like_marker=False) is None
    assert marks._verdict(glyph, looks_like_marker=True) == (marks.UNREADABLE, 0.0)
    monkeypatch.setattr(marks, "classify", lambda _: glyphs.GlyphVerdict("none", 1.0))
    assert marks._verdict(glyph, looks_like_marker=True) is None
    monkeypatch.setattr(marks, "classify", lambda _: glyphs.GlyphVerdict("check", 0.8))
    assert marks._verdict(glyph, looks_like_marker=False) == ("✓", 0.8)


def test_unreadable_marker_opens_a_finding_without_verdict():
    """The markers stage takes the OCR stage's unreadable marker for a marker it cannot read."""
    unreadable = Word(marks.UNREADABLE, 300, 310, 100, 108.6, 1, marks.UNREADABLE_FONT, 8.6, 0.0)
    rest = [Word("De", 312, 322, 100, 108.6, 1, "OCR", 8.6), Word("gemeente", 325, 360, 100, 108.6, 1, "OCR", 8.6)]
    split = split_marker([unreadable, *rest])
    assert split.marker is not None and split.marker.verdict == ""
    assert [w.text for w in split.rest] == ["De", "gemeente"]


def test_classify_a_drawn_check_and_cross():
    check = np.zeros((40, 40), np.uint8)
    cv2.line(check, (6, 22), (15, 33), 255, 4)
    cv2.line(check, (15, 33), (34, 5), 255, 4)
    cross = np.zeros((40, 40), np.uint8)
    cv2.line(cross, (6, 6), (34, 34), 255, 4)
    cv2.line(cross, (34, 6), (6, 34), 255, 4)
    assert glyphs.classify(check > 0).label == "check"
    assert glyphs.classify(cross > 0).label == "cross"


def test_ruling_lines_found_and_masked():
    binary = np.zeros((600, 800), bool)
    binary[100:102, 50:750] = True
    binary[100:500, 400:402] = True
    binary[200:215, 100:110] = True  # a letter-sized blob is no rule
    rules, mask = ruling_lines(binary, OcrSettings(dpi=200), 1)
    assert sum(r.horizontal for r in rules) == 1 and sum(r.vertical for r in rules) == 1
    assert mask[101, 300] and not mask[207, 105]


def _page_of_type(dpi: int, font: str, blur: float) -> np.ndarray:
    """A paragraph of body type (about 10 pt) at ``dpi``, blurred like a scan, on a grey-filled cell between
    light grey rules: a short rule piece between two crossings included."""
    px = round(10 * dpi / 72)
    canvas = Image.new("L", (round(8.27 * dpi), round(3 * dpi)), 244)
    draw = ImageDraw.Draw(canvas)
    face = ImageFont.truetype(f"{FONTS}/{font}", px)
    text = ["gemeente netwerkpartners samenwerkingsafspraken", "De gemeenschappelijkheid in de beschrijving",
            "mmmmmmmm eeeeeeee nnnnnnnn wwwwwwww mmmm"]
    for row, line in enumerate(text):
        draw.text((round(0.5 * dpi), round((0.3 + 0.22 * row) * dpi)), line, font=face, fill=40)
    height, width = canvas.size[1], canvas.size[0]
    y_rule, x_rule = round(1.5 * dpi), round(4 * dpi)
    weight = round(0.75 * dpi / 72)  # a grey rule of 3/4 point
    draw.rectangle((round(0.3 * dpi), y_rule + 3, round(7.9 * dpi), y_rule + round(0.25 * dpi)), fill=222)
    draw.line((round(0.3 * dpi), y_rule, round(7.9 * dpi), y_rule), fill=150, width=weight)
    draw.line((round(0.3 * dpi), y_rule + round(0.25 * dpi), round(7.9 * dpi), y_rule + round(0.25 * dpi)),
              fill=150, width=weight)
    draw.line((x_rule, y_rule - round(0.05 * dpi), x_rule, height - 10), fill=150, width=weight)
    image = cv2.GaussianBlur(np.array(canvas, np.float32), (0, 0), blur * dpi / 200)
    noise = np.random.default_rng(dpi).normal(0, 5, image.shape)
    return np.clip(image + noise, 0, 255).astype(np.uint8), (y_rule, x_rule, round(0.25 * dpi))


@pytest.mark.parametrize("dpi", [150, 200, 300])
@pytest.mark.parametrize("font", ["liberation/LiberationSans-Regular.ttf", "liberation/LiberationSerif-Italic.ttf",
                                  "liberation/LiberationSans-Bold.ttf"])
def test_type_is_never_a_rule_and_light_rules_are_found(dpi, font):
    gray, (y_rule, x_rule, cell) = _page_of_type(dpi, font, blur=1.0)
    settings = OcrSettings(dpi=dpi)
    rules, mask = ruling_lines(flatten_background(gray, settings), settings, 1)
    text_band = mask[round(0.3 * dpi):round(0.95 * dpi), :]
    assert not text_band.any(), "type was taken for a rule"
    s = settings.scale
    horizontal = [r for r in rules if r.horizontal]
    assert any(abs(r.top - y_rule * s) < 2 for r in horizontal) and any(
        abs(r.top - (y_rule + cell) * s) < 2 for r in horizontal)
    verticals = [r for r in rules if r.vertical and abs(r.x0 - x_rule * s) < 2]
    assert verticals and min(r.top for r in verticals) <= (y_rule + 2) * s  # the piece above the cell's rule too


def test_word_geometry_ignores_stretched_boxes():
    """Baseline and type size come from the ink and the letters, not from a box Tesseract stretched."""
    ink = np.zeros((200, 600), bool)
    ink[100:130, 10:150] = True  # "Criteria": capitals, no descender: cap height 30 px, baseline at 130
    ink[100:130, 200:350] = True  # "Indicatoren"
    ink[110:130, 400:440] = True  # "een": x-height only
    words = [OcrWord("Criteria", 10, 100, 140, 70, 0.9, (1, 1, 1), 100, 70),  # stretched down by a speck
             OcrWord("Indicatoren", 200, 100, 150, 30, 0.9, (1, 1, 1), 100, 70),
             OcrWord("een", 400, 110, 40, 20, 0.9, (1, 1, 1), 100, 70)]
    ink[160:168, 12:20] = True  # the speck
    type_geometry(words, ink)
    size = 30 / tesseract.CAP_HEIGHT
    for word in words:
        assert abs(word.line_height - size) < 1.5
        assert abs(word.line_top + (1 - tesseract.DESCENT) * size - 130) < 1.5  # the baseline


def test_skew_is_measured():
    image = np.full((800, 800), 255, np.uint8)
    for y in range(100, 700, 30):
        cv2.line(image, (100, y), (700, y), 0, 3)
    rotated = cv2.warpAffine(image, cv2.getRotationMatrix2D((400, 400), 1.5, 1.0), (800, 800), borderValue=255)
    assert abs(skew_angle(rotated) + 1.5) <= 0.2


@pytest.mark.parametrize("angle", [-7.0, 0.4, 9.5])
def test_a_box_read_deskewed_is_turned_back_into_the_page(angle):
    """``deskew`` turns a page about its centre as cv2.getRotationMatrix2D does; ``unturn_box`` undoes it: a point
    taken into the deskewed frame comes back where it was, and a box comes back as the box around its turned
    corners."""
    width, height = 595.0, 842.0
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    for x, y in [(40.0, 60.0), (550.0, 800.0), (300.0, 421.0)]:
        dx, dy = matrix @ np.array([x, y, 1.0])
        x0, top, x1, bottom = image.unturn_box((dx, dy, dx, dy), angle, width, height)
        assert abs(x0 - x) < 1e-6 and abs(x1 - x) < 1e-6 and abs(top - y) < 1e-6 and abs(bottom - y) < 1e-6
    x0, top, x1, bottom = image.unturn_box((100.0, 100.0, 200.0, 110.0), angle, width, height)
    radians = np.deg2rad(abs(angle))
    assert x1 - x0 == pytest.approx(100 * np.cos(radians) + 10 * np.sin(radians))
    assert bottom - top == pytest.approx(100 * np.sin(radians) + 10 * np.cos(radians))


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_a_box_read_on_a_turned_page_is_turned_back(turns):
    """A page scanned sideways or upside down is read after ``np.rot90(page, turns)``: a mark at a known place on
    the page, found in the turned image, is given back where it is on the page."""
    page = np.zeros((80, 60), np.uint8)  # 60 wide, 80 high
    page[10:14, 40:50] = 255  # a mark: x 40..50, y 10..14
    turned = np.rot90(page, turns)
    rows, columns = np.nonzero(turned)
    found = (columns.min(), rows.min(), columns.max() + 1, rows.max() + 1)
    back = image.unturn_box(found, 0.0, turned.shape[1], turned.shape[0], turns)
    assert back == pytest.approx((40, 10, 50, 14))


def _reading(texts: list[str], sure: float, standing: bool = False) -> Page:
    """A page of words, the first ``sure`` share of them read with confidence 0.95, the others 0.3."""
    words = [Word(text=t, x0=10.0 * i, x1=10.0 * i + (8 if standing else 40), top=0.0, bottom=40 if standing else 8,
                  page=1, confidence=0.95 if i < sure * len(texts) else 0.3) for i, t in enumerate(texts)]
    return Page(number=1, width=600, height=800, words=words, method="ocr")


def test_a_page_read_upside_down_or_sideways_is_told_from_an_upright_one():
    texts = ["Vraaggericht", "werken", "gezin", "plan", "regisseur"] * 8
    upright = _reading(texts, sure=0.95)
    upside_down = _reading(texts, sure=0.1)  # guesses: Tesseract is sure of few words
    sideways = _reading(texts, sure=0.95, standing=True)  # read well, but line by line downwards
    assert not page.reads_poorly(upright)
    assert page.reads_poorly(upside_down) and page.reads_poorly(sideways)
    assert page.uprightness(upright) > page.uprightness(sideways) and page.uprightness(upright) > page.uprightness(
        upside_down)
    assert not page.reads_poorly(_reading(texts[:10], sure=0.1))  # too few words to tell


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("angle", [-1.5, -0.3, 0.8, 4.6, -7.3, 9.5])
def test_skew_of_a_page_of_type(dpi, angle):
    gray, _ = _page_of_type(dpi, "liberation/LiberationSans-Regular.ttf", blur=0.8)
    centre = (gray.shape[1] / 2, gray.shape[0] / 2)
    rotated = cv2.warpAffine(gray, cv2.getRotationMatrix2D(centre, angle, 1.0), gray.shape[::-1], borderValue=244)
    assert abs(skew_angle(rotated, dpi=dpi) + angle) <= 0.06


@pytest.mark.parametrize("sentence,expected", [
    ("28 van de 30 onderzochte aanpakken (93%) hebben dit als uitgangspunt.", (28, 30, 93.0)),
    ("Bij 23 van in totaal 28 aanpakken (82%) wordt gewerkt vanuit de behoefte.", (23, 28, 82.0)),
    ("Dit geldt voor 29 van de 30 aanpakken, dat is 97%.", (29, 30, 97.0)),
    ("Het netwerk vindt een plek in 26 aanpakken (87%).", (26, None, 87.0)),
    ("In tweederde van de onderzochte aanpakken (67%) heeft de regisseur doorzettingsmacht.", (None, None, 67.0)),
    ("In 80% van de aanpakken zijn geen afspraken gemaakt.", (None, None, 80.0)),
])
def test_national_figure_patterns(sentence, expected):
    (n, total, percent, _), = figures_in_sentence(sentence)
    assert (n, total, percent) == expected


def test_sentence_without_figures():
    assert figures_in_sentence("De gemeente heeft 30 medewerkers en 2 teams.") == []
