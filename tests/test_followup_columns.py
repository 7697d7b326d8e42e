"""Follow-up column roles: complete headers, the incomplete "2013 | 2014 | 2014" header, positional fallback."""

from __future__ import annotations

from extract.core.records import Column, DocumentInfo, Table
from extract.document.findings import followup_columns

INFO = DocumentInfo("followup", "Dorpstad", "2015-06", "Nieuw Team", ["Team A", "Team B"])


def _table(headers):
    xs = [0, 160, 290, 410]
    columns = [Column(x, x + 120, h) for x, h in zip(xs, headers)]
    return Table("Toeleiding", columns, [[] for _ in columns], [], [3])


def test_incomplete_header_is_read_from_the_other_tables():
    full = _table(["Indicator", "2013 Team A", "2013 Team B", "2014"])
    odd = _table(["Indicator", "2013", "2014", "2014"])
    roles = followup_columns(odd, 0, INFO, [full, odd])
    assert [(c.year, c.aanpak) for c in roles] == [(2013, "Team A"), (2013, "Team B"), (2014, "Nieuw Team")]


def test_without_any_named_header_the_known_order_fills_the_columns():
    odd = _table(["Indicator", "2013", "2013", "2014"])
    roles = followup_columns(odd, 0, INFO, [odd])
    assert [(c.year, c.aanpak) for c in roles] == [(2013, "Team A"), (2013, "Team B"), (2014, "Nieuw Team")]
