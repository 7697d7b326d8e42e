"""Layout step 5: row boundaries, the horizontal rules inside a table body that cross its columns (a broken rule
counts when its pieces cover them; a rule through a line of text does not)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extract.core.records import Column, Line, Rule
from extract.layout.columns import column_of

log = logging.getLogger(__name__)

# row rules
RULE_ROW_TOLERANCE = 2.0  # points: pieces of rule this close in height are one rule (a broken or redrawn rule)
RULE_COLUMN_COVERAGE = 0.25  # a rule's pieces must cover this share of each column right of the first one
RULE_EDGE_REACH = 6.0  # points into the last column a rule must reach (the last column has no right edge)
RULE_TEXT_CLEARANCE = 1.0  # points: a rule this far inside a line of text runs through it: no row boundary




@dataclass
class PlacedTable:
    """A table on one page, before continued tables are merged."""

    heading: str
    columns: list[Column]
    body: list[Line]
    rules: list[Rule]
    page: int




def row_boundaries(placed: PlacedTable) -> list[float]:
    """Flow positions of the horizontal rules that separate rows of the columns right of the first one.

    Pieces of rule at one height are taken together (a rule broken in a scan, or drawn cell by cell): they separate
    rows when they cover every column right of the first one. A rule that runs through a line of the body is no row
    boundary (whatever it is, it does not stand between rows of text)."""
    if len(placed.columns) < 2:
        return []
    right = max([r.x1 for r in placed.rules if r.horizontal] + [l.x1 for l in placed.body])
    positions = [round(_height(pieces), 1) for pieces in _rule_rows(placed.rules)
                 if _crosses_columns(pieces, placed.columns, right)]
    return sorted({p for p in positions if not _through_text(p, placed)})


def _rule_rows(rules: list[Rule]) -> list[list[Rule]]:
    """Horizontal rules grouped by height (pieces within RULE_ROW_TOLERANCE of the group's last one)."""
    rows: list[list[Rule]] = []
    for rule in sorted((r for r in rules if r.horizontal), key=lambda r: r.flow_top):
        if rows and rule.flow_top - rows[-1][-1].flow_top <= RULE_ROW_TOLERANCE:
            rows[-1].append(rule)
        else:
            rows.append([rule])
    return rows


def _height(pieces: list[Rule]) -> float:
    """The flow position of a rule made of pieces: the position of its longest piece."""
    return max(pieces, key=lambda r: r.x1 - r.x0).flow_top


def _crosses_columns(pieces: list[Rule], columns: list[Column], right: float) -> bool:
    """Whether pieces of rule together cross every column right of the first one: a whole rule from the second
    column's edge into the last column, or pieces covering RULE_COLUMN_COVERAGE of each such column (the last
    column taken as far as ``right``, the table's right edge: its longest rule's or its text's)."""
    second, last = columns[1], columns[-1]
    if any(r.x0 <= second.x0 + RULE_EDGE_REACH and r.x1 >= last.x0 + RULE_EDGE_REACH for r in pieces):
        return True
    for column in columns[1:]:
        x1 = min(column.x1, right)
        if x1 - column.x0 < RULE_EDGE_REACH:
            return False
        covered = sum(max(0.0, min(r.x1, x1) - max(r.x0, column.x0)) for r in _disjoint(pieces))
        if covered < RULE_COLUMN_COVERAGE * (x1 - column.x0):
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


def _through_text(position: float, placed: PlacedTable) -> bool:
    """Whether a rule at flow ``position`` runs through type of the columns it separates (well inside a word's
    height; the first column's cell may span rows, so its type does not count)."""
    return any(word.flow_top + RULE_TEXT_CLEARANCE < position < word.flow_top + (word.bottom - word.top)
               - RULE_TEXT_CLEARANCE for line in placed.body for word in line.words
               if column_of(word, placed.columns) > 0)
