"""Align: paragraphs of a findings cell → finding units → the indicators they answer."""

from __future__ import annotations

from extract.document.align import align_units, split_paragraphs, units_of
from extract.series import framework
from tests.builders import column_lines

FINDINGS_X, INDICATOR_X = 300, 160


def _indicators(texts_by_id: list[tuple[str, list[str]]], top: float):
    lines, y = [], top
    for _, texts in texts_by_id:
        lines += column_lines(texts, INDICATOR_X, y)
        y += 10.75 * len(texts)
    return framework.segment_indicators(lines, None)


def test_marker_or_gap_starts_a_paragraph_and_unmarked_ones_continue():
    lines = column_lines(["X Er is geen beleid voor de", "doelgroep.", "", "Wel is er een plan in de maak.",
                          "✓ De gemeente heeft een visie."], FINDINGS_X, 100)
    paragraphs = split_paragraphs(lines, [])
    assert [p.marker.verdict if p.marker else None for p in paragraphs] == ["fail", None, "pass"]
    units = units_of(paragraphs, [])
    assert len(units) == 2
    assert units[0].text == "Er is geen beleid voor de doelgroep. Wel is er een plan in de maak."


def test_a_row_rule_stops_a_continuation():
    lines = column_lines(["X Er is geen beleid.", "Nog een zin."], FINDINGS_X, 100)
    units = units_of(split_paragraphs(lines, [105.0]), [105.0])
    assert len(units) == 2 and units[1].marker is None


def test_one_to_one_in_a_merged_cell_by_wording():
    indicators = _indicators([
        ("I08", ["De gemeente heeft beleid voor de", "groep GGSR"]),
        ("I09", ["De gemeente zorgt voor een", "gezamenlijke visie op de aanpak", "voor GGSR"]),
        ("I10", ["De netwerkpartners hebben", "gezamenlijke doelen geformuleerd", "ten aanzien van de aanpak"]),
    ], 100)
    findings = column_lines(["✓ De gemeente heeft eigen beleid voor de", "doelgroep GGSR.",
                             "✓ Er is een gezamenlijke visie van de", "gemeente op de aanpak.",
                             "X De netwerkpartners noemen verschillende", "doelen."], FINDINGS_X, 100)
    units = units_of(split_paragraphs(findings, []), [])
    texts = [framework.by_id(m.indicator_id).text for m in indicators]
    alignment = align_units(indicators, units, texts, [])
    assert [chosen for chosen, _ in alignment] == [[0], [1], [2]]


def test_one_paragraph_answers_several_indicators():
    indicators = _indicators([
        ("I11", ["De resultaten van de aanpak", "worden bijgehouden"]),
        ("I12", ["De netwerkpartners evalueren de", "resultaten van de aanpak"]),
        ("I13", ["De gemeente evalueert de", "resultaten van de aanpak"]),
        ("I14", ["Op basis van de evaluatie wordt", "het beleid gecontinueerd dan wel", "bijgesteld"]),
    ], 100)
    findings = column_lines(["✓ De resultaten worden bijgehouden en door", "gemeente en netwerkpartners",
                             "geëvalueerd; het beleid wordt bijgesteld."], FINDINGS_X, 100)
    units = units_of(split_paragraphs(findings, []), [])
    texts = [framework.by_id(m.indicator_id).text for m in indicators]
    alignment = align_units(indicators, units, texts, [])
    assert [chosen for chosen, _ in alignment] == [[0], [0], [0], [0]]


def test_mixed_one_to_one_and_one_to_many_without_rules():
    indicators = _indicators([
        ("I08", ["De gemeente heeft beleid voor de", "groep GGSR"]),
        ("I11", ["De resultaten van de aanpak", "worden bijgehouden"]),
        ("I12", ["De netwerkpartners evalueren de", "resultaten van de aanpak"]),
    ], 100)
    findings = column_lines(["✓ De gemeente heeft beleid voor de groep.", "",
                             "X De resultaten worden niet bijgehouden en", "niet geëvalueerd door de",
                             "netwerkpartners."], FINDINGS_X, 100)
    units = units_of(split_paragraphs(findings, []), [])
    texts = [framework.by_id(m.indicator_id).text for m in indicators]
    alignment = align_units(indicators, units, texts, [])
    assert [chosen for chosen, _ in alignment] == [[0], [1], [1]]


def test_rules_are_hard_row_limits():
    indicators = _indicators([
        ("I20", ["Uitgangspunt bij de aanpak is dat", "outreachend wordt gewerkt"]),
        ("I21", ["Uitgangspunt bij de aanpak is dat", "het gezin niet wordt losgelaten"]),
    ], 100)
    # one paragraph only, in the first row: the second row (below the rule at 120) has no finding
    findings = column_lines(["✓ Er wordt outreachend gewerkt en het gezin", "wordt niet losgelaten."], FINDINGS_X, 100)
    units = units_of(split_paragraphs(findings, [120.0]), [120.0])
    texts = [framework.by_id(m.indicator_id).text for m in indicators]
    alignment = align_units(indicators, units, texts, [120.0])
    assert [chosen for chosen, _ in alignment] == [[0], []]
