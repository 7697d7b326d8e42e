"""Layout step 5: row boundaries, the horizontal rules inside a table body that cross its columns (a broken rule
counts when its pieces cover them; a rule through a line of text does not)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extract.core.records import Column, Line, Rule
from extract.core.stages import LayoutSettings
from extract.layout.columns import column_of

log = logging.getLogger(__name__)

# row rules: LayoutSettings.rule_row_tolerance (pieces this close in height are one rule), rule_column_coverage,
# rule_edge_reach (the last column has no right edge) and rule_text_clearance (a rule this far inside type: no row)




@dataclass
class PlacedTable:
    """A table on one page, before continued tables are merged."""

    heading: str
    columns: list[Column]
    body: list[Line]
    rules: list[Rule]
    page: int




def row_boundaries(placed: PlacedTable, settings: LayoutSettings = LayoutSettings()) -> list[float]:
    """Flow positions of the horizontal rules that separate rows of the columns right of the first one.

    Pieces of rule at one height are taken together (a rule broken in a scan, or drawn cell by cell): they separate
    rows when they cover every column right of the first one. A rule that runs through a line of the body is no row
    boundary (whatever it is, it does not stand between rows of text)."""
    if len(placed.columns) < 2:
        return []
    right = max([r.x1 for r in placed.rules if r.horizontal] + [l.x1 for l in placed.body])
    positions = [round(_height(pieces), 1) for pieces in _rule_rows(placed.rules, settings)
                 if _crosses_columns(pieces, placed.columns, right, settings)]
    return sorted({p for p in positions if not _through_text(p, placed, settings)})


def _rule_rows(rules: list[Rule], settings: LayoutSettings) -> list[list[Rule]]:
    """Horizontal rules grouped by height (pieces within ``rule_row_tolerance``  of the group's last one)."""
    rows: list[list[Rule]] = []
    for rule in sorted((r for r in rules if r.horizontal), key=lambda r: r.flow_top):
        if rows and rule.flow_top - rows[-1][-1].flow_top <= settings.rule_row_tolerance:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    return rows


def _height(pieces: list[Rule]) -> float:
    """The flow position of a rule made of pieces: the position of its longest piece."""
    return max(pieces, key=lambda r: r.x1 - r.x0).flow_top


def _crosses_columns(pieces: list[Rule], columns: list[Column], right: float, settings: LayoutSettings) -> bool:
    """Whether pieces of rule together cross every column right of the first one: a whole rule from the second
    column's edge into the last column, or pieces covering ``rule_column_coverage`` of each such column (the last
    column taken as far as ``right``, the table's right edge: its longest rule's or its text's)."""
    second, last = columns[1], columns[-1]
    reach = settings.rule_edge_reach
    if any(r.x0 <= second.x0 + reach and r.x1 >= last.x0 + reach for r in pieces):
        return True
    for column in columns[1:]:
        x1 = min(column.x1, right)
        if x1 - column.x0 < reach:
            return False
        covered = sum(max(0.0, min(r.x1, x1) - max(r.x0, column.x0)) for r in _disjoint(pieces))
        if covered < settings.rule_column_coverage * (x1 - column.x0):
            return False
    return True


def _disjoint(pieces: list[Rule]) -> list[Rule]:
    """Pieces of one rule with their overlaps merged (so that no stretch is counted twice)."""
    merged: list[Rule] = []
    for piece in sorted(pieces, key=lambda r: r.x0):
        if merged and piece.x0 <= merged[-1].x1:
            last = merged[-1]
            merged[-1] = Rule(last.x0, last.top, max(last.x1, piece.x1), last.bottom, last.page)
        else:
            merged.append(piece)
    return merged


def _through_text(position: float, placed: PlacedTable, settings: LayoutSettings) -> bool:
    """Whether a rule at flow ``position`` runs through type of the columns it separates (well inside a word's
    height; the first column's cell may span rows, so its type does not count)."""
    clearance = settings.rule_text_clearance
    return any(word.flow_top + clearance < position < word.flow_top + (word.bottom - word.top)
               - clearance for line in placed.body for word in line.words
               if column_of(word, placed.columns) > 0)
