"""OCR text repair: fixes unsure words one edit away from the series' vocabulary, never anything else."""

from __future__ import annotations

import pytest

from extract.core.records import Page, Word
from extract.ocr.repair import repair_page, repair_token


@pytest.mark.parametrize("token,expected", [
    ("toezichtonderzoak", "toezichtonderzoek"),
    ("Netwerkpartmers,", "Netwerkpartners,"),
    ("(Oktaber", "(Oktober"),
    ("doorzettingsmaeht", "doorzettingsmacht"),
])
def test_unsure_word_near_the_vocabulary_is_repaired(token, expected):
    assert repair_token(token, 0.5) == expected


@pytest.mark.parametrize("token", ["gezinnen", "Zandvoort", "Frontlijn", "xyzzy", "aan"])
def test_known_or_unknown_words_are_left_alone(token):
    assert repair_token(token, 0.3) == token


def test_confident_words_are_left_alone():
    assert repair_token("toezichtonderzoak", 0.95) == "toezichtonderzoak"


def test_extra_vocabulary_is_used():
    assert repair_token("Dorpsted", 0.4, frozenset({"Dorpstad"})) == "Dorpstad"


def test_raw_text_is_kept():
    page = Page(1, 595, 842, [Word("toezichtonderzoak", 10, 60, 10, 20, 1, "OCR", 9, 0.4),
                              Word("gezinnen", 70, 110, 10, 20, 1, "OCR", 9, 0.4)], method="ocr")
    repaired = repair_page(page)
    assert [(w.text, w.raw) for w in repaired.words] == [("toezichtonderzoek", "toezichtonderzoak"),
                                                         ("gezinnen", "")]
    assert page.words[0].text == "toezichtonderzoak"  # the cached page itself is not changed


def test_text_layer_pages_are_never_repaired():
    page = Page(1, 595, 842, [Word("toezichtonderzoak", 10, 60, 10, 20, 1, "Helvetica", 9, 0.4)], method="text")
    assert repair_page(page).words[0].text == "toezichtonderzoak"
