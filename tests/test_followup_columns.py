"""Follow-up column roles: complete headers, the incomplete "2013 | 2014 | 2014" header, positional fallback; the
header cell that goes with each column (when it names the column's year)."""

from __future__ import annotations

from extract.core.records import Box, Column, DocumentInfo, Table
from extract.document.columns import findings_columns

INFO = DocumentInfo("followup", "Dorpstad", "2015-06", "Nieuw Team", ["Team A", "Team B"])


def _table(headers):
    xs = [0, 160, 290, 410]
    columns = [Column(x, x + 120, h, Box(3, x + 2, 50, x + 100, 60)) for x, h in zip(xs, headers)]
    return Table("Toeleiding", columns, [[] for _ in columns], [], [3])


def test_incomplete_header_is_read_from_the_other_tables():
    full = _table(["Indicator", "2013 Team A", "2013 Team B", "2014"])
    odd = _table(["Indicator", "2013", "2014", "2014"])
    roles = findings_columns(odd, INFO, [full, odd])
    assert [(c.year, c.aanpak) for c in roles] == [(2013, "Team A"), (2013, "Team B"), (2014, "Nieuw Team")]


def test_without_any_named_header_the_known_order_fills_the_columns():
    odd = _table(["Indicator", "2013", "2013", "2014"])
    roles = findings_columns(odd, INFO, [odd])
    assert [(c.year, c.aanpak) for c in roles] == [(2013, "Team A"), (2013, "Team B"), (2014, "Nieuw Team")]


def test_the_header_cell_goes_with_a_column_whose_year_it_names():
    full = _table(["Indicator", "2013 Team A", "2013 Team B", "2014"])
    odd = _table(["Indicator", "2013", "2014", "2014"])
    assert [c.header for c in findings_columns(full, INFO, [full, odd])] == [c.cell for c in full.columns[1:]]
    roles = findings_columns(odd, INFO, [full, odd])
    # "2013" names the year (the aanpak comes from the other table); "2014" over a 2013 column bears out nothing
    assert [c.header for c in roles] == [odd.columns[1].cell, None, odd.columns[3].cell]
    unnamed = _table(["Indicator", "Team A", "Team B", "Nieuw"])
    assert [c.header for c in findings_columns(unnamed, INFO, [unnamed])] == [None, None, None]
