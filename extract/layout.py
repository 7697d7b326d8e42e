"""Stage: layout. Reconstruct tables from word positions, fonts and (when there are any) ruling lines.

The algorithm, each step a small function:

1. ``page_lines``: words → baselines; ``running_furniture``: lines repeated on most pages (running headers and
   footers) are dropped.
2. ``is_header_line``: a table starts at a header row (Criteria / Indicatoren / Bevindingen, or Indicator / 2013 /
   2014); ``header_columns`` turns the header's word clusters into columns, snapped to a vertical rule when one is
   drawn next to the header text, and reads the header's continuation lines ("2013" / "Aanpak A").
3. ``table_body``: the body runs until a heading (larger type, in one column), another header row, a line with a
   word straddling a column boundary (prose), a wide vertical gap, or the page's end. A word OCR glued across the gap
   between two cells is unsure: it is no prose, and ``cut_at_edges`` cuts it at the column's edge.
4. ``merge_continued``: a table continued on the next page (under a repeated header, with the same heading or none)
   becomes one logical table in flow coordinates; a row split across the page break therefore needs no bottom rule.
5. ``row_boundaries``: horizontal rules inside the body that cross the columns right of the first one separate rows
   (hard boundaries for the align stage); a rule broken into pieces counts when its pieces together cross every one
   of those columns, and a rule that runs through a line of text is no row boundary. Without rules the align stage
   works from positions and wording alone.

On a scan a rule the OCR did not find stays in the image, and Tesseract reads it as a line of letters: ``is_residue``
knows such a line by its geometry (low confidence, a few letters spread over a wide stretch, thinner than the type)
and takes it out of the text. Left in, it would end the table as a line running across the columns and lose every
row below it; ``residue_rules`` turns it back into the rule it was, so that it still separates the rows.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from statistics import median

from .framework import match_theme, squash
from .records import Column, Line, Page, Rule, SourceDocument, Table, Word

log = logging.getLogger(__name__)

HEADER_WORDS = {"criteria", "criterium", "indicatoren", "indicator", "bevindingen", "bevinding", "2013", "2014"}
HEADER_FIRST_WORDS = {"criteria", "criterium", "indicatoren", "indicator"}
HEADING_SIZE_FACTOR = 1.12  # a line this much larger than the table body is a heading
MAX_BODY_GAP_PITCHES = 2.6  # an empty stretch this many line pitches high ends a table
RULE_SNAP = 14.0
MARGIN_SHARE = 0.09
FURNITURE_HEIGHT_TOLERANCE = 6.0  # points  # running headers and footers live in the top and bottom 9% of a page  # a vertical rule this close left of a header cell is the column's edge
UNSURE = 0.5  # an OCR word read with a confidence below this is a guess (a text layer's words have 1.0)
# rule residue: a line OCR read from a rule it did not find (see ``is_residue``)
RESIDUE_MAX_CONFIDENCE = UNSURE  # its words' mean OCR confidence is below this
RESIDUE_SPREAD = 2.0  # its letters are spread wider than this many type sizes each (type sets them about 0.5 apart)
RESIDUE_HEIGHT_SHARE = 0.8  # and it is thinner than this share of the page's type size ...
RESIDUE_WORD_STRETCH = 4.0  # ... or holds a "word" wider than this many type sizes per letter (no type is)
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


# ---------------------------------------------------------------- 1. lines and furniture


def page_lines(words: list[Word]) -> list[Line]:
    """Group words into baselines (top within 40% of the type size), each sorted left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines:
            last = lines[-1]
            tolerance = max(1.5, 0.4 * max(word.size, last[0].size, 1.0))
            if abs(word.top - last[0].top) <= tolerance:
                last.append(word)
                continue
        lines.append([word])
    return [Line(sorted(ws, key=lambda w: w.x0)) for ws in lines]


def _furniture_key(line: Line) -> str:
    return re.sub(r"\d+", "#", squash(line.text))


def _in_margin(line: Line, page: Page) -> bool:
    return line.top < MARGIN_SHARE * page.height or line.bottom > (1 - MARGIN_SHARE) * page.height


def running_furniture(pages: list[Page]) -> set[tuple[str, int]]:
    """Margin lines (text and height) that recur on at least half of the pages (minimum two).

    Theme headings are never furniture, even when a table continues under the same heading on every page.
    """
    if len(pages) < 2:
        return set()
    seen: Counter[tuple[str, int]] = Counter()
    for page in pages:
        margins = [l for l in page_lines(page.words) if _in_margin(l, page) and not match_theme(l.text)]
        for key in {(_furniture_key(l), _height_bucket(l)) for l in margins}:
            seen[key] += 1
    threshold = max(2, len(pages) // 2)
    return {key for key, count in seen.items() if count >= threshold and key[0]}


def _height_bucket(line: Line) -> int:
    return round(line.top / FURNITURE_HEIGHT_TOLERANCE)


def is_furniture(line: Line, furniture: set[tuple[str, int]]) -> bool:
    key, bucket = _furniture_key(line), _height_bucket(line)
    return any((key, b) in furniture for b in (bucket - 1, bucket, bucket + 1))


def content_lines(page: Page, furniture: set[tuple[str, int]]) -> list[Line]:
    """A page's lines without its running headers and footers and without rule residue."""
    return page_content(page, furniture)[0]


def page_content(page: Page, furniture: set[tuple[str, int]]) -> tuple[list[Line], list[Line]]:
    """A page's content lines (``content_lines``) and the rule residue taken out of them."""
    lines = page_lines(page.words)
    bottom_zone = page.height * 0.92
    lines = [l for l in lines
             if not is_furniture(l, furniture)
             and not (l.top > bottom_zone and re.search(r"\bpagina\s+\d+\s*$", l.text, re.IGNORECASE))]
    size = _type_size(lines)
    kept: list[Line] = []
    residue: list[Line] = []
    for line in lines:
        text, junk = split_residue(line, size)
        kept += [text] if text else []
        residue += [junk] if junk else []
    if residue:
        log.info("page %d: %d line(s) read from rules the OCR did not find left out", page.number, len(residue))
    return kept, residue


def split_residue(line: Line, type_size: float) -> tuple[Line | None, Line | None]:
    """A line's type and its rule residue (either None): the residue is its unsure words when they look like a rule
    read as letters (``is_residue``). A baseline may hold both: type of a cell that spans rows beside a rule of the
    next row."""
    unsure = [w for w in line.words if w.confidence < RESIDUE_MAX_CONFIDENCE]
    if not unsure or not is_residue(Line(unsure), type_size):
        return line, None
    sure = [w for w in line.words if w.confidence >= RESIDUE_MAX_CONFIDENCE]
    return (Line(sure) if sure else None), Line(unsure)


def _type_size(lines: list[Line]) -> float:
    sizes = sorted(w.size for l in lines for w in l.words if w.size)
    return sizes[len(sizes) // 2] if sizes else 9.0


def is_residue(line: Line, type_size: float) -> bool:
    """Whether OCR read ``line`` from a rule, not from type: its words are guesses (low confidence), its few letters
    are spread over a long stretch (a rule is ink all along), and it is thinner than the type or holds a "word" far
    wider than its letters could be. Type never looks like that; a text layer never does (its confidence is 1)."""
    words = line.words
    if sum(w.confidence for w in words) / len(words) >= RESIDUE_MAX_CONFIDENCE:
        return False
    size = max(line.size, 1.0)
    letters = sum(len(w.text) for w in words)
    if line.x1 - line.x0 <= RESIDUE_SPREAD * size * letters:
        return False
    stretched = any(w.x1 - w.x0 > RESIDUE_WORD_STRETCH * max(w.size, 1.0) * len(w.text) for w in words)
    return line.size < RESIDUE_HEIGHT_SHARE * type_size or stretched


def residue_rules(residue: list[Line], type_size: float) -> list[Rule]:
    """The rules that thin residue lines were read from: one along the middle of each (a tall one, where a rule
    and type ran together, says too little of where the rule is)."""
    return [Rule(l.x0, l.top + l.size / 2, l.x1, l.top + l.size / 2, l.page) for l in residue
            if l.size < RESIDUE_HEIGHT_SHARE * type_size]


# ---------------------------------------------------------------- 2. header rows and columns


YEAR = re.compile(r"^(?:19|20)\d\d$")
INDICATOR_HEADS = {"indicator", "indicatoren"}
CELL_HEADS = HEADER_WORDS | {"thema", "themas", "nr", "nummer", "no", "norm", "normen", "toelichting"}
NAME_CONNECTORS = {"en", "van", "de", "het", "voor", "op", "in", "&", "-", "(", ")"}  # inside an aanpak's name
MAX_HEADER_CELL_WORDS = 6  # a header cell is a label, a year, or a year and an aanpak's name


def is_header_line(line: Line) -> bool:
    """A table's header row, recognised by its structure, not by its wording's share of header words:

    - one cell (a cluster of words set apart by a wide gap) heads the indicator column ("Indicator(en)"), and
    - every cell is a column label (Criteria, Bevindingen, Thema, Nr., ...) or starts with a year ("2013 Samen
      Sterk"): the findings columns of a follow-up, however many 2013 aanpakken it has and however long their names;
    - and at least one other cell stands beside the indicator column.

    When OCR or tight setting merges the cells, the line still counts if it opens with a label and holds a year or a
    second label (with no sentence punctuation: prose is never a header).
    """
    cells = _cluster_words(line.words)
    heads = [_cell_head(cell) for cell in cells]
    if len(cells) >= 2 and "indicator" in heads and all(heads) and all(
            len(cell) <= MAX_HEADER_CELL_WORDS or head == "year" for cell, head in zip(cells, heads)):
        return True
    keys = [squash(w.text) for w in line.words]
    if not keys or keys[0] not in HEADER_FIRST_WORDS | CELL_HEADS - {"2013", "2014"}:
        return False
    if any(w.text.endswith((".", ",", ";", ":")) and squash(w.text) not in {"nr", "no"} for w in line.words[:-1]):
        return False
    anchors = [k for k in keys[1:] if k in CELL_HEADS or YEAR.match(k)]
    names = [w.text for w, k in zip(line.words[1:], keys[1:]) if k not in CELL_HEADS and not YEAR.match(k)]
    return (any(k in INDICATOR_HEADS for k in keys) and bool(anchors)
            and all(n[:1].isupper() or n[:1].isdigit() or n.lower() in NAME_CONNECTORS for n in names))


def _cell_head(cell: list[Word]) -> str:
    """What a header cell is: "indicator", "label", "year", or "" for a cell no header holds."""
    first = squash(cell[0].text)
    if first in INDICATOR_HEADS:
        return "indicator" if len(cell) <= 2 else ""
    if YEAR.match(first):
        return "year"
    if first in CELL_HEADS and len(cell) <= 3:
        return "label"
    return ""


def _cluster_words(words: list[Word]) -> list[list[Word]]:
    """Split a header line into cells where the gap between words is wider than a few spaces."""
    clusters: list[list[Word]] = []
    for word in words:
        if clusters:
            gap = word.x0 - clusters[-1][-1].x1
            if gap <= max(6.0, 0.9 * word.size):
                clusters[-1].append(word)
                continue
        clusters.append([word])
    return clusters


def header_columns(header: Line, continuation: list[Line], rules: list[Rule], page_width: float) -> list[Column]:
    clusters = _cluster_words(header.words)
    verticals = [r for r in rules if r.vertical and r.top - 3 <= header.top <= r.bottom + 3]
    starts = []
    for cluster in clusters:
        x = cluster[0].x0
        snapped = [r.x0 for r in verticals if x - RULE_SNAP <= r.x0 <= x + 1]
        starts.append(max(snapped) if snapped else x - 3.0)
    starts[0] = min(starts[0], 0.0)
    texts = [" ".join(w.text for w in c) for c in clusters]
    for line in continuation:
        for word in line.words:
            index = max(i for i, s in enumerate(starts) if s <= word.x0) if word.x0 >= starts[0] else 0
            texts[index] += " " + word.text
    ends = starts[1:] + [page_width + 1]
    return [Column(x0, x1, text.strip()) for x0, x1, text in zip(starts, ends, texts)]


def column_of(word: Word, columns: list[Column]) -> int:
    centre_left = word.x0 + min(2.0, (word.x1 - word.x0) / 2)
    for index in range(len(columns) - 1, -1, -1):
        if centre_left >= columns[index].x0:
            return index
    return 0


def _straddles(line: Line, columns: list[Column]) -> bool:
    """Whether a word runs across a column's edge, as prose does. A word OCR glued across the gap between two cells
    (the last word of one and the marker opening the next, say) is a guess and does not count."""
    return any(w.x0 < c.x0 - 1 < w.x1 - 2 for w in line.words for c in columns[1:] if w.confidence >= UNSURE)


def _is_heading(line: Line, body_size: float, columns: list[Column]) -> bool:
    """Type larger than the body's, standing in one column: a heading. A line with words in two columns or more is
    a row of the table, whatever size it measures (on a scan, a rule's remains just above a row can stretch it)."""
    return line.size > HEADING_SIZE_FACTOR * body_size and len({column_of(w, columns) for w in line.words}) < 2


def _header_continuation(lines: list[Line], start: int, rules: list[Rule]) -> int:
    """Index of the first body line after the header line at ``start`` (bold header lines continue it)."""
    header = lines[start]
    first_rule = min((r.top for r in rules if r.horizontal and r.top > header.bottom - 1), default=float("inf"))
    index = start + 1
    while index < len(lines):
        line = lines[index]
        if line.top >= first_rule or not all(w.bold for w in line.words) or line.top - header.bottom > 2 * header.size:
            break
        header = line
        index += 1
    return index


# ---------------------------------------------------------------- 3. table bodies


def _body_size(lines: list[Line]) -> float:
    sizes = [w.size for l in lines[:6] for w in l.words if w.size]
    return median(sizes) if sizes else 9.0


def table_body(lines: list[Line], start: int, columns: list[Column]) -> list[Line]:
    """The lines of a table body starting at ``start``, up to the first line that cannot belong to it."""
    body: list[Line] = []
    size = _body_size(lines[start:])
    pitch = 1.25 * size
    for index in range(start, len(lines)):
        line = lines[index]
        if _is_heading(line, size, columns) or is_header_line(line) or _straddles(line, columns):
            break
        if index + 1 < len(lines) and is_header_line(lines[index + 1]):  # the next table's heading
            break
        if body and line.top - body[-1].top > MAX_BODY_GAP_PITCHES * pitch + pitch:
            break
        body.append(line)
    return body


def _heading_above(lines: list[Line], index: int) -> str:
    """The nearest theme heading above a header row (within a few lines), else the line just above it."""
    for line in reversed(lines[max(0, index - 3):index]):
        if match_theme(line.text):
            return line.text
    return lines[index - 1].text if index else ""


def page_tables(page: Page, furniture: set[tuple[str, int]]) -> list[PlacedTable]:
    lines, residue = page_content(page, furniture)
    page_rules = page.rules + residue_rules(residue, _type_size(lines))
    tables: list[PlacedTable] = []
    index = 0
    while index < len(lines):
        if not is_header_line(lines[index]):
            index += 1
            continue
        body_start = _header_continuation(lines, index, page.rules)
        columns = header_columns(lines[index], lines[index + 1:body_start], page.rules, page.width)
        body = table_body(lines, body_start, columns)
        if body:
            top, bottom = body[0].top - 2, body[-1].bottom + 2
            rules = [r for r in page_rules if r.horizontal and top < (r.top + r.bottom) / 2 < bottom]
            tables.append(PlacedTable(_heading_above(lines, index), columns, body, rules, page.number))
        index = body_start + len(body)
    return tables


# ---------------------------------------------------------------- 4. continued tables


def _same_layout(a: PlacedTable, b: PlacedTable) -> bool:
    return len(a.columns) == len(b.columns) and all(abs(x.x0 - y.x0) < 8 for x, y in zip(a.columns[1:], b.columns[1:]))


def _continues(previous: PlacedTable, table: PlacedTable) -> bool:
    if not _same_layout(previous, table):
        return False
    theme_prev, theme_new = match_theme(previous.heading), match_theme(table.heading)
    if theme_new is None:
        return table.page == previous.page + 1
    return theme_new == theme_prev


def merge_continued(placed: list[PlacedTable]) -> list[Table]:
    tables: list[Table] = []
    last: PlacedTable | None = None
    for table in placed:
        if last is not None and tables and _continues(last, table):
            merged = tables[-1]
            _append_body(merged, table)
        else:
            merged = Table(heading=table.heading, columns=table.columns, cells=[[] for _ in table.columns],
                           boundaries=[], pages=[])
            _append_body(merged, table)
            tables.append(merged)
        if match_theme(table.heading) is None and last is not None and match_theme(merged.heading) is None:
            merged.heading = last.heading
        last = table
    return tables


def _append_body(table: Table, placed: PlacedTable) -> None:
    """Add a placed table's body to a logical table, splitting each line into the logical table's columns."""
    table.pages.append(placed.page)
    for line in placed.body:
        per_column: list[list[Word]] = [[] for _ in table.columns]
        for word in (piece for w in line.words for piece in cut_at_edges(w, placed.columns)):
            per_column[column_of(word, placed.columns)].append(word)
        for index, words in enumerate(per_column):
            if words:
                table.cells[index].append(Line(words))
    table.boundaries += row_boundaries(placed)


def cut_at_edges(word: Word, columns: list[Column]) -> list[Word]:
    """A word OCR glued across the gap between two cells (unsure, running over a column's edge), cut at the edge:
    its letters shared out in proportion to the width on either side ("(dex" from "(de" and a cross opening the
    next cell's finding). Any other word stays whole."""
    if word.confidence >= UNSURE or len(word.text) < 2:
        return [word]
    for column in columns[1:]:
        edge = column.x0
        if word.x0 < edge - 1 < word.x1 - 2:
            keep = round((edge - word.x0) / (word.x1 - word.x0) * len(word.text))
            if 0 < keep < len(word.text):
                left = replace(word, text=word.text[:keep], x1=edge - 1, raw="")
                right = replace(word, text=word.text[keep:], x0=edge + 1, raw="")
                return [left] + cut_at_edges(right, columns)
    return [word]


# ---------------------------------------------------------------- 5. row boundaries


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


def document_tables(doc: SourceDocument) -> list[Table]:
    """All logical tables of a document, in reading order."""
    furniture = running_furniture(doc.pages)
    placed = [t for page in doc.pages for t in page_tables(page, furniture)]
    return merge_continued(placed)
