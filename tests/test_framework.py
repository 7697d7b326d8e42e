"""Framework: the toetsingskader and matching reworded, wrapped and reordered indicator text onto it."""

from __future__ import annotations

from extract.series import framework
from tests.builders import column_lines


def test_framework_has_30_indicators_in_5_themes_and_13_criteria():
    inds = framework.indicators()
    assert [i.indicator_id for i in inds] == [f"I{n:02d}" for n in range(1, 31)]
    assert len({i.theme for i in inds}) == 5
    assert len({i.criterion for i in inds}) == 13


def test_rewording_still_matches():
    ind, score = framework.best_indicator("De gemeente voert regie op de aanpak GGSR.")
    assert ind.indicator_id == "I22" and score > 0.9
    ind, _ = framework.best_indicator("De netwerkpartners weten waar de gezinnen voor de aanpak kunnen worden aangemeld")
    assert ind.indicator_id == "I03"


def test_wrap_inside_a_word_matches():
    ind, score = framework.best_indicator("Er zijn samenwerkingsaf spraken gemaakt over de aanpak")
    assert ind.indicator_id == "I25" and score > 0.95
    ind, _ = framework.best_indicator("Bij stagnatie van de intensieve zorg en ondersteuning op casusniveau zijn "
                                      "opschalings- mogelijkheden geregeld")
    assert ind.indicator_id == "I23"


def test_merged_cell_is_split_into_its_indicators_in_document_order():
    lines = column_lines([
        "De resultaten van de aanpak", "worden bijgehouden",
        "De gemeente evalueert de", "resultaten van de aanpak",  # order swapped with I12
        "De netwerkpartners evalueren de", "resultaten van de aanpak",
        "Op basis van de evaluatie wordt", "het beleid gecontinueerd dan wel", "bijgesteld",
    ], x0=160, top=100)
    matches = framework.segment_indicators(lines, "Aanpak")
    assert [m.indicator_id for m in matches] == ["I11", "I13", "I12", "I14"]
    assert [len(m.lines) for m in matches] == [2, 2, 2, 3]


def test_lines_that_are_no_indicator_are_skipped():
    lines = column_lines(["De gemeente heeft beleid voor de", "groep GGSR", "(zie ook bijlage 2)"], 160, 100)
    matches = framework.segment_indicators(lines, None)
    assert [m.indicator_id for m in matches] == ["I08"]


def test_theme_headings():
    assert framework.match_theme("De aanpak") == "Aanpak"
    assert framework.match_theme("Gezin centraal") == "Gezin centraal"
    assert framework.match_theme("Conclusie") is None
