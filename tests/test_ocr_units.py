"""OCR stage pieces on their own: the per-page decision, settings checks, the marker classifier's confusion matrix
on freshly rendered glyphs, rule detection, deskew, and national-figure patterns."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extract import glyphs
from extract.ocr import OcrSettings, PageFacts, decide_source, ruling_lines, skew_angle
from extract.report import figures_in_sentence


def test_decision_text_layer():
    assert decide_source(PageFacts(chars=2000, unmapped=0, words=300, has_images=False)) == "text"


def test_decision_image_page():
    assert decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=True)) == "ocr"


def test_decision_unmapped_glyphs():
    assert decide_source(PageFacts(chars=900, unmapped=120, words=300, has_images=False)) == "ocr"


def test_decision_empty_page_is_not_ocrd():
    assert decide_source(PageFacts(chars=0, unmapped=0, words=0, has_images=False)) == "text"


@pytest.mark.parametrize("bad", [{"dpi": 20}, {"lang": "nl d"}, {"psm": 99}])
def test_settings_name_the_bad_value(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        OcrSettings(**bad)


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


def test_skew_is_measured():
    image = np.full((800, 800), 255, np.uint8)
    for y in range(100, 700, 30):
        cv2.line(image, (100, y), (700, y), 0, 3)
    rotated = cv2.warpAffine(image, cv2.getRotationMatrix2D((400, 400), 1.5, 1.0), (800, 800), borderValue=255)
    assert abs(skew_angle(rotated) + 1.5) <= 0.2


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
