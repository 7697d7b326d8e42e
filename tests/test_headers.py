"""Table headers are recognised by their structure (an indicator column, labels, years), not by a share of header
words: three 2013 aanpakken, a first column headed "Thema" or "Nr.", cells set tight or apart; prose never."""

from __future__ import annotations

import pytest

from extract.core.records import Line
from extract.layout.columns import is_header_line
from tests.builders import words


def _cells(*parts: str, gap: float = 30.0) -> Line:
    out, x = [], 10.0
    for part in parts:
        placed = words(part, x, 100)
        out += placed
        x = placed[-1].x1 + gap
    return Line(out)


HEADERS = [
    ("Indicator", "2013 Samen Sterk", "2013 Eigen Kracht", "2013 Thuis Voorop", "2014"),
    ("Thema", "Criteria", "Indicatoren", "Bevindingen"),
    ("Nr.", "Indicator", "2013", "2014"),
    ("Criteria", "Indicatoren", "Bevindingen"),
    ("Indicator", "2013 Huis op Orde", "2014"),
    ("Indicator", "2013", "2014", "2014"),
]


@pytest.mark.parametrize("gap", [30.0, 3.0], ids=["cells apart", "cells tight"])
@pytest.mark.parametrize("parts", HEADERS, ids=lambda p: " | ".join(p))
def test_header_rows_are_found(parts, gap):
    assert is_header_line(_cells(*parts, gap=gap))


@pytest.mark.parametrize("text", [
    "Indicatoren die in 2013 een verbeterpunt waren zijn opnieuw bekeken",
    "Indicator 2013 is niet gehaald",
    "De indicatoren 2013 en 2014",
    "Criteria waaraan de aanpak in 2014 moet voldoen",
    "Bevindingen 2013",
])
def test_prose_is_no_header(text):
    assert not is_header_line(Line(words(text, 10, 100)))


def test_a_findings_row_is_no_header():
    assert not is_header_line(_cells("De gemeente heeft zicht op de populatie", "X De gemeente werkt nog aan",
                                     "✓ In 2014 is het zicht geregeld"))
