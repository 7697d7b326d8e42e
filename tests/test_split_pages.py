"""A follow-up row whose findings continue on the next page is one row: the continuation (no marker, often no
indicator text beside it) joins the finding it continues, however the template continues the table there.

Two ways of continuing a table used to break it (``tests/split_pages.py`` writes both):

- the next page stands a few points to the side (a scan laid elsewhere on the glass, a table set again under
  "Vervolg …"): its part was not taken for the same table, so the continuation became the first row of a table of
  its own and went to the indicator below it, as an extra finding without a check or cross;
- only the header row is repeated, at the top of each continued page: seen at one height on half the pages, it was
  taken for a running header and dropped, and the page's rows with it.
"""

from __future__ import annotations

import dataclasses

import pytest

from extract.analysis.evaluate import compare
from extract.core.records import Column, Line
from extract.core.stages import LayoutSettings
from extract.layout.lines import running_furniture
from extract.layout.rows import PlacedTable
from extract.layout.tables import merge_continued
from extract.run.pipeline import process_document
from tests.builders import line
from tests.split_pages import make_split_followup
from tests.synth import STYLE_VARIANTS

DORDWIJK = {"gemeente": "Dordwijk", "aanpak_2014": "Samen Verder",
            "aanpak_2013": ["Gezin Centraal", "Krachtig Thuis", "Eén Gezin Eén Plan"]}
OOSTERWOLDE = {"gemeente": "Oosterwolde", "aanpak_2014": "Sociale Teams",
               "aanpak_2013": ["Gezinscoaching", "Samen Sterk"]}


def _differences(path, **kwargs) -> tuple[list[str], list[str]]:
    expected = make_split_followup(path, **kwargs)
    result = process_document(path)
    score = compare(expected.findings, [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    return [str(d) for d in score.differences], result.errors


# seed 3 continues a 2013 cell of I18 on page 3, above I20 (whose cell there is empty); seed 8 continues I06 above
# I07 in the table of three 2013 aanpakken with a "Thema" column; seed 17 breaks a word too long for its column at
# the page break ("jeugdgezondheidsz" / "org"), whose pieces join only by the edges of their own page
@pytest.mark.parametrize("style_name, seed, names, lead", [
    ("split_rows_plain", 3, OOSTERWOLDE, "Nr."),
    ("split_rows", 8, DORDWIJK, "Thema"),
    ("split_rows", 17, DORDWIJK, "Thema"),
])
def test_a_row_continued_on_a_page_set_aside_is_one_row(tmp_path, style_name, seed, names, lead):
    """Proves: with the pages a table continues on set 10 points to the side, every row, verdict and text comes
    out as typeset: the continuation joins its finding (no extra row without a check or cross)."""
    differences, errors = _differences(tmp_path / "shifted.pdf", shift=10.0, style=STYLE_VARIANTS[style_name],
                                       rng_seed=seed, lead_column=lead, **names)
    assert differences == [] and errors == []


def test_a_header_row_repeated_at_the_top_of_each_page_is_kept(tmp_path):
    """Proves: a table continued under its repeated header row alone (no title band) keeps the rows of the pages
    it continues on, the continuation of the split row among them."""
    differences, errors = _differences(tmp_path / "header-only.pdf", repeat_title=False,
                                       style=STYLE_VARIANTS["split_rows"], rng_seed=11, **DORDWIJK)
    assert differences == [] and errors == []


# ---------------------------------------------------------------- the layout steps themselves

HEADERS = ["Indicator", "2013 Team A", "2014"]


def _placed(page: int, shift: float = 0.0, widths: tuple[float, ...] = (150, 180)) -> PlacedTable:
    starts = [0.0, 60 + shift + widths[0], 60 + shift + widths[0] + widths[1]]
    columns = [Column(x, x1, h) for x, x1, h in zip(starts, starts[1:] + [600.0], HEADERS)]
    body = [line("X De gemeente werkt nog aan een plan.", starts[1] + 4, 100, page=page)]
    return PlacedTable("Toeleiding" if page == 1 else "Vervolg uitkomsten verbeterpunten", columns, body, [], page)


def test_a_table_set_aside_on_the_next_page_continues_the_one_before():
    """Proves: a table on the next page whose columns keep their widths but stand up to ``continued_shift``
    points to the side continues the table before it; further aside, or with other widths, it is a table of its
    own."""
    assert len(merge_continued([_placed(1), _placed(2, shift=12)])) == 1
    assert len(merge_continued([_placed(1), _placed(2, shift=-30)])) == 1
    assert len(merge_continued([_placed(1), _placed(2, shift=80)])) == 2
    assert len(merge_continued([_placed(1), _placed(2, widths=(170, 150))])) == 2
    assert len(merge_continued([_placed(1), _placed(2, shift=12)], LayoutSettings(continued_shift=0))) == 2


def test_a_repeated_header_row_is_no_running_header():
    """Proves: a table header row (with its second line) that stands at one height at the top of every page is
    not taken for a running header, while a running title line there is."""
    from extract.core.records import Page

    def page(number: int) -> Page:
        lines = [line("Uitkomsten verbeterpunten Dorpstad", 60, 30, page=number),
                 Line(line("Indicator", 60, 52, page=number).words + line("2013 Team", 214, 52, page=number).words
                      + line("2014", 398, 52, page=number).words),
                 line("A", 214, 62, page=number),
                 line("X De gemeente werkt nog aan een plan.", 214, 80, page=number)]
        bold = [dataclasses.replace(w, fontname="Helvetica-Bold") for l in lines[1:3] for w in l.words]
        return Page(number, 595, 842, lines[0].words + bold + lines[3].words)

    keys = {key for key, _ in running_furniture([page(n) for n in (1, 2, 3)])}
    assert keys == {"uitkomstenverbeterpuntendorpstad"}
