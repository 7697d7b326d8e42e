"""Markers: check and cross glyph families, symbol fonts, glued markers, LET OP caveats."""

from __future__ import annotations

import pytest

from extract.document.markers import classify_glyph, find_caveat, split_marker
from tests.builders import word, words


@pytest.mark.parametrize("glyph", ["✓", "✔", "√", "☑", "🗸"])
def test_checks_pass(glyph):
    assert classify_glyph(glyph) == "pass"


@pytest.mark.parametrize("glyph", ["X", "x", "✗", "✘", "☒", "×", "✕", "✖"])
def test_crosses_fail(glyph):
    assert classify_glyph(glyph) == "fail"


@pytest.mark.parametrize("glyph,font,verdict", [
    ("4", "ZapfDingbats", "pass"), ("3", "ABCDEF+ZapfDingbats", "pass"), ("8", "ZapfDingbats", "fail"),
    ("ü", "Wingdings-Regular", "pass"), ("û", "Wingdings", "fail"), ("\uf0fc", "Wingdings", "pass"),
    ("P", "Wingdings2", "pass"), ("O", "Wingdings 2", "fail"), ("Ö", "Symbol", "pass"),
])
def test_symbol_font_glyphs(glyph, font, verdict):
    assert classify_glyph(glyph, font) == verdict


def test_digit_in_an_ordinary_font_is_no_marker():
    assert classify_glyph("4", "LiberationSans") is None
    assert split_marker(words("4 gezinnen zijn bereikt", 300, 100)).marker is None


def test_lone_x_before_a_capital_is_a_cross():
    split = split_marker(words("X De gemeente noemt", 300, 100))
    assert split.marker.verdict == "fail"
    assert [w.text for w in split.rest] == ["De", "gemeente", "noemt"]


def test_x_as_a_word_is_not_a_marker():
    assert split_marker(words("x aantal gezinnen", 300, 100)).marker is None
    assert split_marker(words("Xenofobie komt voor", 300, 100)).marker is None


def test_bold_marker_counts():
    bold = [word("✓", 300, 100, font="Arial-BoldMT"), *words("De gemeente", 310, 100)]
    assert split_marker(bold).marker.verdict == "pass"


def test_glued_check():
    split = split_marker([word("✓De", 300, 100), *words("gemeente", 320, 100)])
    assert split.marker.glyph == "✓"
    assert split.rest[0].text == "De"


def test_unreadable_symbol_glyph_is_a_marker_without_verdict():
    split = split_marker([word("(cid:52)", 300, 100, font="Wingdings"), *words("De gemeente", 320, 100)])
    assert split.marker is not None and split.marker.verdict == ""


@pytest.mark.parametrize("text", ["LET OP: De gemeente", "Let op: de gemeente", "LET OP de gemeente",
                                  "let op: de", "LETOP: De gemeente"])
def test_let_op_spellings(text):
    assert find_caveat(words("Er zijn afspraken. " + text + " heeft geen beleid.", 300, 100))


def test_let_op_as_an_ordinary_verb_is_no_caveat():
    assert find_caveat(words("De regisseur let op de signalen van het gezin.", 300, 100)) == ""


def test_bold_caveat_ends_with_the_bold_run():
    plain = words("Er zijn afspraken.", 300, 100)
    bold = words("LET OP: De GGZ tekende niet.", 300, 110, font="Arial-Bold")
    after = words("Verder loopt het goed.", 300, 120)
    assert find_caveat(plain + bold + after) == "LET OP: De GGZ tekende niet."


def test_plain_caveat_runs_to_the_end():
    text = "Er zijn afspraken. LET OP: de GGZ tekende niet. Dat is een risico."
    assert find_caveat(words(text, 300, 100)) == "LET OP: de GGZ tekende niet. Dat is een risico."
