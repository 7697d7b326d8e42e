"""Synthetic STJ documents with known answers, for measuring an extractor on unseen layouts.

``make_factsheet`` and ``make_followup`` typeset born-digital PDFs of the STJ series (the 2013 factsheet
"Uitkomsten toezichtonderzoek <Gemeente>" and the 2015 follow-up "Uitkomsten verbeterpunten
toezichtonderzoek") with reportlab, and return a :class:`SynthDocument` holding the rows an extractor should
produce, in the format of ``samples/gold/*.json``.

Everything the documents say is invented: gemeente and aanpak names come from the caller, finding sentences are
drawn (seeded) from a small Dutch vocabulary built around the key words of each indicator, so that every finding
text differs and a lexical aligner can tell which indicators a paragraph answers.  Only the framework wording
(``models/toetsingskader.csv``) and the series' fixed headings are reproduced.

:class:`SynthStyle` varies the typesetting: table rules, body font, the marker glyphs and their font, bold
markers, rows split over a page break, font size.  Two seeds are involved: ``rng_seed`` drives the content
(verdicts, sentences, which cells are merged or empty) and ``style.seed`` drives the small typographic
variations (indicator wording, order of two indicators, spelling and weight of "LET OP:").  The same seeds give
the same rows and a byte-identical PDF.

A factsheet may assess two or three aanpakken (``make_factsheet(..., aanpakken=[...], form=..., column_header=...)``):
in a section per aanpak ("Aanpak: <name>", each with its own "Bevindingen toezichtonderzoek" and theme tables) or
in one set of tables with a findings column per aanpak, headed "Bevindingen <name>", "<name>" or just
"Bevindingen"; the introduction always names every aanpak.  :data:`AANPAK_NAMES` and :func:`aanpak_names` give
names unlike the samples' (" en " inside a name, abbreviations in brackets, hyphens, digits, lower-case words, long
names).  ``tests/bundles.py`` appends documents into one PDF; ``tests/scans.py`` (``make_scan``) scans any of them.

Table geometry (for tests that crop a column) is available through :func:`column_bounds` and
:func:`factsheet_widths`.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FRAMEWORK_CSV = Path(__file__).resolve().parents[1] / "models" / "toetsingskader.csv"
DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")

CHECK = "\u2713"
CROSS = "X"

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 50.0
TABLE_WIDTH = PAGE_WIDTH - 2 * MARGIN_LEFT
TOP = PAGE_HEIGHT - 48.0
BOTTOM = 70.0
FOOTER_Y = 40.0

FACTSHEET_WIDTHS = (102.0, 145.0, TABLE_WIDTH - 247.0)
MULTI_FINDINGS_WIDTH = 118.0
# criteria and indicator column widths of a factsheet with one findings column per aanpak
MULTI_LEAD_WIDTHS = {2: (80.0, 115.0), 3: (62.0, TABLE_WIDTH - 62.0 - 3 * MULTI_FINDINGS_WIDTH)}
FOLLOWUP_INDICATOR_WIDTH = 118.0

PAD_X, PAD_TOP, PAD_BOTTOM, PARA_GAP = 3.5, 3.5, 4.5, 2.5
LEADING = 1.22

BLUE = Color(0.10, 0.28, 0.50)
BAND = Color(0.09, 0.24, 0.44)
HEADER_FILL = Color(0.87, 0.90, 0.94)
RULE = Color(0.45, 0.55, 0.68)
GREY = Color(0.35, 0.35, 0.35)

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

SUBTITLE = ("Toezichtonderzoek op beleidsniveau naar de verantwoorde zorg en ondersteuning van gezinnen met "
            "geringe sociale redzaamheid")
LETTERHEAD = ("Samenwerkend Toezicht Jeugd", "Ministerie van Volksgezondheid,", "Welzijn en Sport")


# --------------------------------------------------------------------------------------------------- framework


@dataclass(frozen=True)
class Indicator:
    """One row of the toetsingskader."""

    theme: str
    criterion: str
    indicator_id: str
    text: str


def load_framework(path: Path = FRAMEWORK_CSV) -> list[Indicator]:
    """Read the framework CSV (theme, criterion, indicator_id, indicator) in file order."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [Indicator(r["theme"], r["criterion"], r["indicator_id"], r["indicator"]) for r in rows]


def _grouped(framework: list[Indicator]) -> list[tuple[str, list[tuple[str, list[Indicator]]]]]:
    """Themes in order, each with its criteria in order, each with its indicators."""
    themes: dict[str, dict[str, list[Indicator]]] = {}
    for ind in framework:
        themes.setdefault(ind.theme, {}).setdefault(ind.criterion, []).append(ind)
    return [(theme, list(criteria.items())) for theme, criteria in themes.items()]


# ------------------------------------------------------------------------------------------------ public types


@dataclass(frozen=True)
class SynthStyle:
    """How a synthetic document is typeset."""

    vertical_rules: bool = True
    horizontal_rules: bool = True
    font: str = "Helvetica"
    marker_style: str = "dejavu"
    bold_markers: bool = False
    page_break_rows: bool = False
    font_size: float = 8.6
    seed: int = 0


@dataclass
class SynthDocument:
    """What a generated PDF says, as the extractor should report it."""

    kind: str
    gemeente: str
    published: str
    aanpak: str
    aanpak_2013: list[str]
    findings: list[dict]
    conclusions: list[dict] = field(default_factory=list)

    def gold(self) -> dict:
        """The document in the layout of ``samples/gold/*.json`` (without ``files``)."""
        return {
            "document": {"gemeente": self.gemeente, "kind": self.kind, "published": self.published,
                         "aanpak": self.aanpak, "aanpak_2013": list(self.aanpak_2013)},
            "findings": [dict(row) for row in self.findings],
            "conclusions": [dict(row) for row in self.conclusions],
        }


STYLE_VARIANTS: dict[str, SynthStyle] = {
    "default": SynthStyle(),
    "no_vertical": SynthStyle(vertical_rules=False, marker_style="heavy", seed=1),
    "no_rules": SynthStyle(vertical_rules=False, horizontal_rules=False, marker_style="ballot", seed=2),
    "only_vertical": SynthStyle(horizontal_rules=False, font="Times-Roman", seed=3),
    "zapf": SynthStyle(marker_style="zapf", font="Times-Roman", font_size=9.0, seed=4),
    "lowerx_bold": SynthStyle(marker_style="lowerx", bold_markers=True, seed=5),
    "split_rows": SynthStyle(page_break_rows=True, bold_markers=True, seed=6),
    "split_rows_plain": SynthStyle(page_break_rows=True, vertical_rules=False, marker_style="heavy",
                                   font="Times-Roman", font_size=9.4, seed=7),
}


def column_bounds(kind: str, n_2013: int = 2, n_aanpakken: int = 1) -> list[tuple[float, float]]:
    """x-ranges (PDF points) of the table columns of a ``factsheet`` (with ``n_aanpakken`` findings columns: the
    "columns" form of :func:`make_factsheet`) or ``followup`` (with ``n_2013`` columns for 2013)."""
    widths = factsheet_widths(n_aanpakken) if kind == "factsheet" else _followup_widths(n_2013)
    bounds, x = [], MARGIN_LEFT
    for width in widths:
        bounds.append((x, x + width))
        x += width
    return bounds


def factsheet_widths(n_aanpakken: int = 1) -> tuple[float, ...]:
    """Column widths of a factsheet table with ``n_aanpakken`` findings columns (1 to 3), summing to the table width.

    A findings column of a multi-column table is at least ``MULTI_FINDINGS_WIDTH`` wide, so that no word of the
    finding vocabulary is cut at any style's font size; with three aanpakken the criteria and indicator columns
    get what is left and their longest words wrap inside the word (as narrow PDF columns do)."""
    if n_aanpakken == 1:
        return FACTSHEET_WIDTHS
    if n_aanpakken not in MULTI_LEAD_WIDTHS:
        raise ValueError(f"a factsheet assesses one to three aanpakken, not {n_aanpakken}")
    criteria, indicators = MULTI_LEAD_WIDTHS[n_aanpakken]
    findings = (TABLE_WIDTH - criteria - indicators) / n_aanpakken
    return (criteria, indicators) + (findings,) * n_aanpakken


def _followup_widths(n_2013: int, lead: bool = False) -> tuple[float, ...]:
    lead_width = 42.0 if lead else 0.0
    rest = (TABLE_WIDTH - FOLLOWUP_INDICATOR_WIDTH - lead_width) / (n_2013 + 1)
    return ((lead_width,) if lead else ()) + (FOLLOWUP_INDICATOR_WIDTH,) + (rest,) * (n_2013 + 1)


# ----------------------------------------------------------------------------------------------------- fonts


@dataclass(frozen=True)
class _Run:
    """A stretch of text in one font; ``stroke`` thickens glyphs (fake bold for ZapfDingbats)."""

    text: str
    font: str
    size: float
    stroke: bool = False


@dataclass(frozen=True)
class _Fonts:
    """The body fonts of a style, its two marker glyphs and its table font size."""

    regular: str
    bold: str
    italic: str
    check: _Run
    cross: _Run
    size: float

    def run(self, text: str, weight: str = "regular", size: float | None = None) -> _Run:
        return _Run(text, getattr(self, weight), size or self.size)

    def marker(self, verdict: str, size: float | None = None) -> _Run:
        glyph = self.check if verdict == "pass" else self.cross
        return replace(glyph, size=size or self.size)


_BODY_FONTS = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    "Times-Roman": ("Times-Roman", "Times-Bold", "Times-Italic"),
}

# check, cross: (text, font family).  ZapfDingbats is reached through reportlab's encoding of that font:
# U+2714 and U+2718 are written as the bytes '4' and '8', which is what a PDF text extractor then reports.
_MARKERS = {
    "dejavu": (("\u2713", "dejavu"), ("X", "dejavu")),
    "heavy": (("\u2714", "dejavu"), ("\u2718", "dejavu")),
    "ballot": (("\u2713", "dejavu"), ("\u2717", "dejavu")),
    "zapf": (("\u2714", "zapf"), ("\u2718", "zapf")),
    "lowerx": (("\u2713", "dejavu"), ("x", "body")),
}


def _register_dejavu(bold: bool) -> str:
    """Register DejaVuSans (or -Bold) with reportlab once and return its font name."""
    name = "DejaVuSans-Bold" if bold else "DejaVuSans"
    if name not in pdfmetrics.getRegisteredFontNames():
        ttf = DEJAVU_DIR / f"{name}.ttf"
        if not ttf.is_file():
            raise FileNotFoundError(f"synthetic markers need {ttf} (Debian: apt-get install fonts-dejavu-core)")
        pdfmetrics.registerFont(TTFont(name, str(ttf)))
    return name


def _fonts(style: SynthStyle) -> _Fonts:
    """Resolve the style's body and marker fonts, validating the style."""
    if style.font not in _BODY_FONTS:
        raise ValueError(f"font must be one of {sorted(_BODY_FONTS)}, not {style.font!r}")
    if style.marker_style not in _MARKERS:
        raise ValueError(f"marker_style must be one of {sorted(_MARKERS)}, not {style.marker_style!r}")
    regular, bold, italic = _BODY_FONTS[style.font]

    def glyph(text: str, family: str) -> _Run:
        if family == "dejavu":
            return _Run(text, _register_dejavu(style.bold_markers), style.font_size)
        if family == "zapf":
            return _Run(text, "ZapfDingbats", style.font_size, stroke=style.bold_markers)
        return _Run(text, bold if style.bold_markers else regular, style.font_size)

    check, cross = (glyph(*spec) for spec in _MARKERS[style.marker_style])
    return _Fonts(regular, bold, italic, check, cross, style.font_size)


# ----------------------------------------------------------------------------------------------- line breaking

_TOKEN = re.compile(r"\S+|\s+")
Line = list[_Run]


def _width(runs: list[_Run]) -> float:
    return sum(stringWidth(r.text, r.font, r.size) for r in runs)


def _words(runs: list[_Run]) -> list[list[_Run]]:
    """Split runs at white space into words; a word may mix fonts, e.g. "(✓)"."""
    words, current = [], []
    for run in runs:
        for piece in _TOKEN.findall(run.text):
            if piece.isspace():
                if current:
                    words.append(current)
                    current = []
            else:
                current.append(replace(run, text=piece))
    if current:
        words.append(current)
    return words


def _merge(runs: list[_Run]) -> Line:
    """Join neighbouring runs that share font, size and stroke."""
    merged: Line = []
    for run in runs:
        if merged and replace(merged[-1], text="") == replace(run, text=""):
            merged[-1] = replace(merged[-1], text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def _break_word(word: list[_Run], width: float) -> list[list[_Run]]:
    """Cut a word wider than the column into pieces that fit (no hyphen, as narrow PDF columns do)."""
    pieces, current = [], []
    for run in word:
        for char in run.text:
            glyph = replace(run, text=char)
            if current and _width(current + [glyph]) > width:
                pieces.append(_merge(current))
                current = []
            current.append(glyph)
    pieces.append(_merge(current))
    return pieces


def _wrap(runs: list[_Run], width: float) -> list[Line]:
    """Greedy line breaking of a paragraph given as runs."""
    lines, line, used = [], [], 0.0
    for word in _words(runs):
        for piece in [word] if _width(word) <= width else _break_word(word, width):
            space = replace(piece[0], text=" ", stroke=False)
            gap = _width([space]) if line else 0.0
            if line and used + gap + _width(piece) > width:
                lines.append(_merge(line))
                line, used, gap = [], 0.0, 0.0
            if line:
                line.append(space)
            line.extend(piece)
            used += gap + _width(piece)
    if line:
        lines.append(_merge(line))
    return lines


def _draw_line(canvas: Canvas, x: float, y: float, line: Line, color=black) -> None:
    """Draw one line of runs starting at baseline (x, y)."""
    canvas.saveState()
    canvas.setFillColor(color)
    canvas.setStrokeColor(color)
    canvas.setLineWidth(0.35)
    text = canvas.beginText(x, y)
    for run in line:
        text.setFont(run.font, run.size)
        text.setTextRenderMode(2 if run.stroke else 0)
        text.textOut(run.text)
    canvas.drawText(text)
    canvas.restoreState()


# ------------------------------------------------------------------------------------------------ page writer


class _Writer:
    """A canvas with a cursor: flows headings and paragraphs down A4 pages and adds the running footer."""

    def __init__(self, path: Path | str, footer: str, fonts: _Fonts, title: str):
        self.canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
        self.canvas.setTitle(title)
        self.canvas.setAuthor(LETTERHEAD[0])
        self.canvas.setSubject("Toezichtonderzoek gezinnen met geringe sociale redzaamheid")
        self.footer = footer
        self.fonts = fonts
        self.page = 1
        self.y = TOP
        self.continuation: str | None = None
        self.prose_size = fonts.size + 0.4

    def space_left(self) -> float:
        return self.y - BOTTOM

    def new_page(self) -> None:
        """Close the page (footer) and open the next one under the current "Vervolg ..." heading."""
        self._draw_footer()
        self.canvas.showPage()
        self.page += 1
        self.y = TOP
        if self.continuation:
            self.heading(self.continuation)

    def need(self, height: float) -> None:
        if self.space_left() < height:
            self.new_page()

    def finish(self) -> None:
        self._draw_footer()
        self.canvas.save()

    def _draw_footer(self) -> None:
        size = 7.0
        self.canvas.saveState()
        self.canvas.setFillColor(GREY)
        self.canvas.setFont(self.fonts.regular, size)
        self.canvas.drawString(MARGIN_LEFT, FOOTER_Y, self.footer)
        self.canvas.drawRightString(PAGE_WIDTH - MARGIN_LEFT, FOOTER_Y, f"pagina {self.page}")
        self.canvas.restoreState()

    def letterhead(self) -> None:
        """The inspectorate's name at the top right of the first page."""
        right = PAGE_WIDTH - MARGIN_LEFT
        for i, text in enumerate(LETTERHEAD):
            self.canvas.setFont(self.fonts.bold if i == 0 else self.fonts.regular, 7.5)
            self.canvas.drawRightString(right, self.y - 9.5 * i, text)
        self.y -= 62

    def lines(self, lines: list[Line], size: float, x: float = MARGIN_LEFT, color=black) -> None:
        leading = size * LEADING
        for line in lines:
            if self.space_left() < leading:
                self.new_page()
            self.y -= leading
            _draw_line(self.canvas, x, self.y + leading - size, line, color)

    def paragraph(self, runs: list[_Run], indent: float = 0.0, after: float = 3.0, color=black) -> None:
        size = max(r.size for r in runs)
        self.lines(_wrap(runs, TABLE_WIDTH - indent), size, MARGIN_LEFT + indent, color)
        self.y -= after

    def prose(self, text: str, weight: str = "regular") -> None:
        self.paragraph([self.fonts.run(text, weight, self.prose_size)])

    def bullet(self, runs: list[_Run]) -> None:
        size = self.prose_size
        self.need(size * LEADING)
        _draw_line(self.canvas, MARGIN_LEFT + 2, self.y - size, [self.fonts.run("\u2022", size=size)])
        self.paragraph(runs, indent=14, after=2)

    def heading(self, text: str, size: float = 12.5, color=BLUE, keep: float = 40.0, before: float = 6.0) -> None:
        """A bold heading, moved to the next page with ``keep`` points of what follows when needed."""
        run = self.fonts.run(text, "bold", size)
        lines = [[run]] if _width([run]) <= TABLE_WIDTH else _wrap([run], TABLE_WIDTH)
        self.need(before + len(lines) * size * LEADING + keep)
        if self.y < TOP:
            self.y -= before
        self.lines(lines, size, color=color)
        self.y -= 3


# ------------------------------------------------------------------------------------------------------ tables


@dataclass
class _Row:
    """One table row: per column a list of paragraphs (each a list of runs)."""

    cells: list[list[list[_Run]]]
    group_start: bool = True


@dataclass
class _Table:
    title: str
    header: list[str]
    widths: tuple[float, ...]
    rows: list[_Row]
    spanning: bool = False


@dataclass
class _Fragment:
    """A laid-out row, or the part of one on one page: per column (offset from the top, line)."""

    cells: list[list[tuple[float, Line]]]
    height: float
    starts_row: bool
    group_start: bool


def _layout_row(row: _Row, widths: tuple[float, ...], size: float) -> _Fragment:
    leading = size * LEADING
    cells, height = [], PAD_TOP + leading + PAD_BOTTOM
    for paragraphs, width in zip(row.cells, widths):
        placed, offset = [], PAD_TOP
        for i, paragraph in enumerate(paragraphs):
            offset += PARA_GAP if i else 0.0
            for line in _wrap(paragraph, width - 2 * PAD_X):
                placed.append((offset, line))
                offset += leading
        cells.append(placed)
        height = max(height, offset + PAD_BOTTOM)
    return _Fragment(cells, height, True, row.group_start)


def _split(fragment: _Fragment, available: float, size: float) -> tuple[_Fragment, _Fragment] | None:
    """Cut a fragment so that its head fills ``available`` points; None when that is not worth it."""
    leading = size * LEADING
    limit = available - PAD_BOTTOM
    if limit < PAD_TOP + 2 * leading:
        return None
    head = [[(o, ln) for o, ln in cell if o + leading <= limit] for cell in fragment.cells]
    rest = [[(o, ln) for o, ln in cell if o + leading > limit] for cell in fragment.cells]
    if not any(rest) or not any(head):
        return None
    cut = min(o for cell in rest for o, _ in cell)
    rest = [[(o - cut + PAD_TOP, ln) for o, ln in cell] for cell in rest]
    head_height = max(o + leading for cell in head for o, _ in cell) + PAD_BOTTOM
    rest_height = max(o + leading for cell in rest for o, _ in cell) + PAD_BOTTOM
    return (replace(fragment, cells=head, height=head_height),
            _Fragment(rest, rest_height, starts_row=False, group_start=False))


class _TableDrawer:
    """Draws a :class:`_Table` through a :class:`_Writer`, breaking it over pages as the style says."""

    def __init__(self, writer: _Writer, style: SynthStyle):
        self.w = writer
        self.style = style
        self.size = writer.fonts.size
        self.boxed = style.vertical_rules and style.horizontal_rules

    def draw(self, table: _Table) -> None:
        fragments = [_layout_row(row, table.widths, self.size) for row in table.rows]
        first = fragments[0].height
        if self.style.page_break_rows:
            first = min(first, PAD_TOP + 3 * self.size * LEADING + PAD_BOTTOM)
        self.w.need(self._header_height(table) + first)
        self._header(table)
        for fragment in fragments:
            self._flow(table, fragment)
        self._close()
        self.w.y -= 12

    def _flow(self, table: _Table, fragment: _Fragment) -> None:
        pending: _Fragment | None = fragment
        while pending is not None:
            if pending.height <= self.w.space_left():
                self._fragment(table, pending)
                pending = None
                continue
            too_tall = pending.height > TOP - BOTTOM - 2 * self._header_height(table)
            may_split = self.style.page_break_rows or too_tall
            parts = _split(pending, self.w.space_left(), self.size) if may_split else None
            if parts:
                head, pending = parts
                self._fragment(table, head)
            else:
                self._close()
            self.w.new_page()
            self._header(table)

    # -- pieces

    def _x(self, column: int, widths: tuple[float, ...]) -> float:
        return MARGIN_LEFT + sum(widths[:column])

    def _hline(self, x0: float, x1: float, y: float) -> None:
        c = self.w.canvas
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.line(x0, y, x1, y)
        c.restoreState()

    def _vlines(self, widths: tuple[float, ...], top: float, bottom: float) -> None:
        if not self.style.vertical_rules:
            return
        c = self.w.canvas
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        for column in range(len(widths) + 1):
            x = self._x(column, widths)
            c.line(x, top, x, bottom)
        c.restoreState()

    def _close(self) -> None:
        if self.style.horizontal_rules:
            self._hline(MARGIN_LEFT, MARGIN_LEFT + TABLE_WIDTH, self.w.y)

    def _title_height(self) -> float:
        return self.size + 2 + 9

    def _header_lines(self, table: _Table) -> list[list[Line]]:
        return [_wrap([self.w.fonts.run(text, "bold")], width - 2 * PAD_X)
                for text, width in zip(table.header, table.widths)]

    def _header_height(self, table: _Table) -> float:
        rows = max(len(lines) for lines in self._header_lines(table))
        return self._title_height() + PAD_TOP + rows * self.size * LEADING + PAD_BOTTOM

    def _header(self, table: _Table) -> None:
        """Theme title (a filled band in the boxed style, blue text otherwise) and the column header row."""
        c, size = self.w.canvas, self.size
        title_h = self._title_height()
        top = self.w.y
        title = [self.w.fonts.run(table.title, "bold", size + 2)]
        if self.boxed:
            c.saveState()
            c.setFillColor(BAND)
            c.rect(MARGIN_LEFT, top - title_h, TABLE_WIDTH, title_h, stroke=0, fill=1)
            c.restoreState()
            _draw_line(c, MARGIN_LEFT + PAD_X, top - title_h + 4.5, title, white)
        else:
            _draw_line(c, MARGIN_LEFT, top - title_h + 4.5, title, BLUE)
        header_top = top - title_h
        lines = self._header_lines(table)
        height = self._header_height(table) - title_h
        bottom = header_top - height
        if self.boxed:
            c.saveState()
            c.setFillColor(HEADER_FILL)
            c.rect(MARGIN_LEFT, bottom, TABLE_WIDTH, height, stroke=0, fill=1)
            c.restoreState()
        for column, cell in enumerate(lines):
            x = self._x(column, table.widths) + PAD_X
            for i, line in enumerate(cell):
                _draw_line(c, x, header_top - PAD_TOP - i * size * LEADING - size, line)
        if self.style.horizontal_rules:
            self._hline(MARGIN_LEFT, MARGIN_LEFT + TABLE_WIDTH, header_top)
            self._hline(MARGIN_LEFT, MARGIN_LEFT + TABLE_WIDTH, bottom)
        self._vlines(table.widths, header_top, bottom)
        self.w.y = bottom

    def _fragment(self, table: _Table, fragment: _Fragment) -> None:
        """Draw a row or part of a row at the cursor: its top rule (if it starts a row), text and vertical rules."""
        top, bottom = self.w.y, self.w.y - fragment.height
        if fragment.starts_row and self.style.horizontal_rules:
            first = 0 if fragment.group_start or not table.spanning else 1
            self._hline(self._x(first, table.widths), MARGIN_LEFT + TABLE_WIDTH, top)
        for column, cell in enumerate(fragment.cells):
            x = self._x(column, table.widths) + PAD_X
            for offset, line in cell:
                _draw_line(self.w.canvas, x, top - offset - self.size, line)
        self._vlines(table.widths, top, bottom)
        self.w.y = bottom


# ------------------------------------------------------------------------------------------------- vocabulary

TOPICS = {
    "I01": "een gedeelde omschrijving van de doelgroep GGSR",
    "I02": "het zicht van de gemeente op de populatie GGSR",
    "I03": "de plekken waar netwerkpartners gezinnen kunnen aanmelden",
    "I04": "het aanmelden van gezinnen door netwerkpartners en andere relevante partijen",
    "I05": "het ondersteunen en benutten van de eigen kracht van het gezin",
    "I06": "het benutten van het sociale netwerk van het gezin",
    "I07": "de behoefte van het gezin als uitgangspunt",
    "I08": "gemeentelijk beleid voor de groep GGSR",
    "I09": "een gezamenlijke visie op de aanpak",
    "I10": "gezamenlijk geformuleerde doelen van de netwerkpartners",
    "I11": "het bijhouden van de resultaten",
    "I12": "de evaluatie van de resultaten door de netwerkpartners",
    "I13": "de evaluatie van de resultaten door de gemeente",
    "I14": "het continueren of bijstellen van het beleid op basis van de evaluatie",
    "I15": "één centrale persoon per gezin die de zorg afstemt",
    "I16": "de doorzettingsmacht van de regisseur",
    "I17": "de toerusting van de regisseur voor zijn functie",
    "I18": "een gezamenlijk plan per gezin",
    "I19": "aandacht voor de problemen van alle gezinsleden op alle leefgebieden",
    "I20": "outreachend werken",
    "I21": "het niet loslaten van het gezin",
    "I22": "de regie van de gemeente op de aanpak",
    "I23": "opschalingsmogelijkheden bij stagnatie op casusniveau",
    "I24": "de verbinding van alle relevante partijen met de aanpak",
    "I25": "samenwerkingsafspraken over de aanpak",
    "I26": "de bevoegdheid van medewerkers om beslissingen te nemen",
    "I27": "afspraken over het actief delen van informatie",
    "I28": "doorlopende zorg totdat de problemen opgelost of beheersbaar zijn",
    "I29": "de beschikbaarheid van zorg en ondersteuning zonder wachttijd",
    "I30": "een vervolg op de intensieve zorg en ondersteuning",
}

PASS_ONE = (
    "{T} is vastgelegd in {doc}.",
    "Gemeente en netwerkpartners geven eensluidend aan dat {t} binnen de aanpak goed is geregeld.",
    "Uit de vragenlijsten en de documenten blijkt dat {t} een vast onderdeel van de werkwijze is.",
    "De gemeente heeft {t} in {year} uitgewerkt in {doc}; de netwerkpartners onderschrijven dit.",
    "Volgens de gemeente en {n} netwerkpartners is er in de aanpak aandacht voor {t}.",
)
FAIL_ONE = (
    "Over {t} zijn geen afspraken gemaakt tussen de gemeente en de netwerkpartners.",
    "De netwerkpartners geven verschillende antwoorden over {t}.",
    "Uit de aangeleverde documenten blijkt niet dat {t} is geregeld.",
    "De gemeente werkt nog aan {t}; op het moment van het onderzoek was dit niet vastgelegd.",
    "Eén van de netwerkpartners geeft aan dat {t} in de aanpak ontbreekt.",
)
PASS_MANY = (
    "{T} zijn beschreven in {doc} en worden door alle partijen toegepast.",
    "De gemeente en de netwerkpartners hebben duidelijke afspraken gemaakt over {t}.",
    "In {doc} staan afspraken over {t}; de netwerkpartners bevestigen dit.",
)
FAIL_MANY = (
    "Over {t} zijn nog geen afspraken gemaakt.",
    "Uit de vragenlijsten blijkt niet dat er afspraken zijn over {t}.",
    "De gemeente noemt {t} als aandachtspunt, maar heeft hiervoor nog niets vastgelegd.",
)
PASS_2014 = (
    "In de nieuwe werkwijze is {t} geregeld via {doc}.",
    "Met de start van de {teams} is {t} inmiddels vastgelegd.",
    "De gemeente heeft in 2014 afspraken gemaakt over {t}; deze gelden voor alle {k} {teams}.",
    "{T} is onderdeel geworden van {doc}.",
)
FAIL_2014 = (
    "Voor {t} zijn nog geen specifieke maatregelen getroffen.",
    "Het gesprek over {t} moet nog plaatsvinden.",
    "{T} is in de nieuwe werkwijze nog niet uitgewerkt.",
    "De gemeente verwacht {t} pas na {month} 2015 te regelen.",
)
FILLERS = (
    "Dit blijkt uit {doc}.",
    "In {n} van de {m} besproken casussen is dit terug te zien.",
    "{Org} heeft hierin een coördinerende rol.",
    "Het gaat om ongeveer {m} gezinnen per jaar.",
    "De afspraken komen {freq} aan de orde in het {overleg}.",
    "Dit geldt voor alle {k} wijken van {gemeente}.",
    "Eén netwerkpartner noemt daarbij het {overleg} als voorbeeld.",
    "De gemeente verwijst hiervoor naar {doc}.",
    "Hierover is in {month} {year} gesproken in het {overleg}.",
)
CONTINUATIONS = (
    "In de praktijk loopt dit volgens de gemeente goed, al zijn er {n} knelpunten gemeld.",
    "Daarnaast noemt {org} het {overleg} als belangrijk aanknopingspunt.",
    "Wel geven {n} partijen aan dat de uitvoering in {k} wijken nog achterblijft.",
    "In {month} {year} zijn hierover nadere werkafspraken gemaakt met {org}.",
    "De gemeente geeft aan dat dit in {k} wijken anders wordt ingevuld dan in de rest van {gemeente}.",
)
CAVEATS = (
    "Eén netwerkpartner is niet op de hoogte van deze werkwijze.",
    "De afspraken zijn nog niet schriftelijk vastgelegd.",
    "Dit geldt alleen voor de {k} pilotwijken.",
    "De netwerkpartners noemen {n} verschillende contactpersonen.",
    "{Org} heeft het convenant nog niet ondertekend.",
)
GOES_WELL = (
    "{gemeente} heeft {t} goed geregeld.",
    "Positief is dat de aanpak {aanpak} aandacht heeft voor {t}.",
    "De gemeente en de netwerkpartners zijn het eens over {t}.",
)
COULD_IMPROVE = (
    "Er zijn nog geen afspraken over {t}. Dit kan ertoe leiden dat gezinnen niet tijdig de juiste zorg krijgen.",
    "Aandacht is nodig voor {t}.",
    "De gemeente en de netwerkpartners moeten nog werk maken van {t}.",
)
DOCS = ("de nota '{name}'", "het beleidsplan '{name}'", "het convenant '{name}'", "de werkinstructie '{name}'")
DOC_NAMES = ("Stevig Fundament", "Wijzer Wonen", "Heel de Buurt", "Open Huis", "Koers op Kracht", "Thuis Verder",
             "Nabij en Dichtbij", "Samen de Wijk In")
ORGS = ("het maatschappelijk werk", "de jeugdgezondheidszorg", "het wijkteam", "de woningcorporatie",
        "het Centrum voor Jeugd en Gezin", "de GGD", "de schuldhulpverlening", "de leerplichtambtenaar")
OVERLEG = ("casusoverleg", "zorgoverleg", "wijkoverleg", "signaleringsoverleg", "stuurgroepoverleg")
FREQ = ("maandelijks", "elk kwartaal", "tweewekelijks", "twee keer per jaar")
REGIONS = ("Kustregio", "Veenlanden", "Rivierenland-Noord", "Heuvelrug-Oost", "Lage Polders", "Zuiderkwartier")
TEAMS = ("wijkteams", "sociale teams", "gezinsteams", "buurtteams")
PARTNER_KINDS = ("Stichting Welzijn {gemeente}", "GGD {region}", "Jeugdhulp {region}", "MEE {region}",
                 "Woonstichting {word}", "Maatschappelijk Werk {word}")
PARTNER_WORDS = ("De Linde", "Het Baken", "Oostergo", "De Brug", "Meerstad", "Vaart en Veld")
CAVEAT_LABELS = ("LET OP:", "Let op:", "Let Op:")


def _join(phrases: list[str]) -> str:
    """"a", "a en b", "a, b en c"."""
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " en " + phrases[-1]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Phraser:
    """Seeded Dutch sentences about the indicators; every paragraph it returns is new within the document."""

    def __init__(self, rng: random.Random, gemeente: str, aanpak: str):
        self.rng = rng
        self.gemeente = gemeente
        self.aanpak = aanpak
        self.used: set[str] = set()

    def _fill(self, template: str, topics: list[str] | None = None) -> str:
        """Fill a template's slots: {t}/{T} the topics joined, the others drawn from the vocabulary."""
        rng = self.rng
        t = _join(topics) if topics else ""
        doc = rng.choice(DOCS).format(name=rng.choice(DOC_NAMES))
        org = rng.choice(ORGS)
        return template.format(
            t=t, T=_capital(t), doc=doc, org=org, Org=_capital(org), year=rng.randint(2010, 2013),
            n=rng.randint(2, 5), m=rng.randint(8, 60), k=rng.randint(3, 12), freq=rng.choice(FREQ),
            overleg=rng.choice(OVERLEG), gemeente=self.gemeente, aanpak=self.aanpak,
            month=rng.choice(MONTHS), teams=rng.choice(TEAMS))

    def _unique(self, make: Callable[[], str]) -> str:
        for _ in range(200):
            text = make()
            if text not in self.used:
                self.used.add(text)
                return text
        raise RuntimeError("vocabulary exhausted")

    def finding(self, indicator_ids: list[str], verdict: str, year: int = 2013) -> str:
        """A main sentence naming the indicators' topics, followed by one or two filler sentences."""
        topics = [TOPICS[i] for i in indicator_ids]
        if year == 2014:
            main = PASS_2014 if verdict == "pass" else FAIL_2014
        elif len(topics) > 1:
            main = PASS_MANY if verdict == "pass" else FAIL_MANY
        else:
            main = PASS_ONE if verdict == "pass" else FAIL_ONE

        def make() -> str:
            sentences = [self._fill(self.rng.choice(main), topics)]
            for template in self.rng.sample(FILLERS, self.rng.randint(1, 2)):
                sentences.append(self._fill(template))
            return " ".join(sentences)

        return self._unique(make)

    def continuation(self) -> str:
        return self._unique(lambda: self._fill(self.rng.choice(CONTINUATIONS)))

    def caveat(self) -> str:
        return self._unique(lambda: self._fill(self.rng.choice(CAVEATS)))

    def conclusion(self, templates: tuple[str, ...], indicator_ids: list[str]) -> str:
        topics = [TOPICS[i] for i in indicator_ids]
        return self._unique(lambda: self._fill(self.rng.choice(templates), topics))

    def sentence(self, template: str) -> str:
        return self._fill(template)


# --------------------------------------------------------------------------------------------------- findings


@dataclass
class _Finding:
    """One finding: a marked paragraph (with an optional caveat) and unmarked continuation paragraphs."""

    verdict: str
    body: str
    caveat: str = ""
    caveat_label: str = "LET OP:"
    caveat_weight: str = "all"
    continuations: list[str] = field(default_factory=list)

    def gold_text(self) -> str:
        parts = [CHECK if self.verdict == "pass" else CROSS, self.body]
        if self.caveat:
            parts += [self.caveat_label, self.caveat]
        return " ".join(parts + self.continuations)

    def paragraphs(self, fonts: _Fonts) -> list[list[_Run]]:
        first = [fonts.marker(self.verdict), fonts.run(" " + self.body)]
        if self.caveat:
            label_weight = "regular" if self.caveat_weight == "none" else "bold"
            text_weight = "bold" if self.caveat_weight == "all" else "regular"
            first += [fonts.run(" " + self.caveat_label, label_weight), fonts.run(" " + self.caveat, text_weight)]
        return [first] + [[fonts.run(text)] for text in self.continuations]


def _new_finding(phraser: _Phraser, typo: random.Random, indicator_ids: list[str], verdict: str,
                 year: int = 2013, p_caveat: float = 0.12, p_continuation: float = 0.15) -> _Finding:
    finding = _Finding(verdict, phraser.finding(indicator_ids, verdict, year))
    if phraser.rng.random() < p_caveat:
        finding.caveat = phraser.caveat()
        finding.caveat_label = typo.choice(CAVEAT_LABELS)
        finding.caveat_weight = typo.choice(("all", "all", "label", "none"))
    if phraser.rng.random() < p_continuation:
        finding.continuations = [phraser.continuation()]
    return finding


def _row(gemeente: str, aanpak: str, year: int, ind: Indicator, finding: _Finding) -> dict:
    return {"gemeente": gemeente, "aanpak": aanpak, "year": year, "theme": ind.theme, "criterion": ind.criterion,
            "indicator_id": ind.indicator_id, "verdict": finding.verdict, "caveat": bool(finding.caveat),
            "finding": finding.gold_text()}


def _indicator_wording(ind: Indicator, typo: random.Random) -> str:
    """The indicator as a document words it: now and then a known variant or a trailing full stop."""
    text = ind.text
    if "aanpak voor GGSR" in text and typo.random() < 0.5:
        text = text.replace("aanpak voor GGSR", "aanpak GGSR")
    if "waar gezinnen" in text and typo.random() < 0.5:
        text = text.replace("waar gezinnen", "waar de gezinnen")
    if typo.random() < 0.15:
        text += "."
    return text


def _displayed_order(indicators: list[Indicator], typo: random.Random) -> list[Indicator]:
    """Framework order, sometimes with two neighbouring indicators swapped."""
    shown = list(indicators)
    if len(shown) > 1 and typo.random() < 0.2:
        i = typo.randrange(len(shown) - 1)
        shown[i], shown[i + 1] = shown[i + 1], shown[i]
    return shown


def _answer_counts(n: int, rng: random.Random, merged_largest: bool) -> list[list[int]]:
    """Group a criterion's n indicators into table rows; per row, how many consecutive indicators each
    finding answers.  The largest criterion gets a merged cell of 4-7 indicators answered by fewer findings,
    smaller ones now and then a one-to-one merged cell."""
    if merged_largest and n >= 4:
        size = rng.randint(4, min(7, n))
        start = rng.randint(0, n - size)
        paragraphs = rng.randint(1, size - 1)
        counts = [1] * paragraphs
        counts[rng.randrange(paragraphs)] = size - paragraphs + 1
        return [[1]] * start + [counts] + [[1]] * (n - start - size)
    if 2 <= n <= 3 and rng.random() < 0.25:
        return [[1] * n]
    return [[1]] * n


# -------------------------------------------------------------------------------------------------- factsheet


def _month_line(published: str) -> str:
    year, month = published.split("-")
    return f"{_capital(MONTHS[int(month) - 1])} {year}"


def _verdict(rng: random.Random, p_fail: float) -> str:
    return "fail" if rng.random() < p_fail else "pass"


def _cell_paragraphs(doc: SynthDocument, fonts: _Fonts, phraser: _Phraser, typo: random.Random, aanpak: str,
                     answered: list[Indicator], grouping: list[int]) -> list[list[_Run]]:
    """One findings cell: a finding per group of ``grouping`` indicators of ``answered`` (a merged paragraph answers
    several); appends the rows it should yield for ``aanpak`` to ``doc.findings``."""
    paragraphs, cursor = [], 0
    for count in grouping:
        group = answered[cursor:cursor + count]
        cursor += count
        finding = _new_finding(phraser, typo, [i.indicator_id for i in group], _verdict(phraser.rng, 0.25))
        paragraphs += finding.paragraphs(fonts)
        doc.findings += [_row(doc.gemeente, aanpak, 2013, ind, finding) for ind in group]
    return paragraphs


def _criterion_rows(criterion: str, indicators: list[Indicator], merged_largest: bool, doc: SynthDocument,
                    fonts: _Fonts, phraser: _Phraser, typo: random.Random, weight: str,
                    aanpak: str | None = None) -> list[_Row]:
    """The table rows of one criterion; appends the rows they should yield (for ``aanpak``, by default the
    document's) to ``doc.findings``."""
    aanpak = aanpak or doc.aanpak
    shown = _displayed_order(indicators, typo)
    rows, position = [], 0
    for counts in _answer_counts(len(shown), phraser.rng, merged_largest):
        answered = shown[position:position + sum(counts)]
        position += sum(counts)
        paragraphs = _cell_paragraphs(doc, fonts, phraser, typo, aanpak, answered, counts)
        criterion_cell = [] if rows else [[fonts.run(criterion, weight)]]
        indicator_cell = [[fonts.run(_indicator_wording(ind, typo))] for ind in answered]
        rows.append(_Row([criterion_cell, indicator_cell, paragraphs], group_start=not rows))
    return rows


def _factsheet_tables(doc: SynthDocument, fonts: _Fonts, phraser: _Phraser, typo: random.Random,
                      aanpak: str | None = None) -> list[_Table]:
    """The five theme tables (of ``aanpak``, by default the document's); fills ``doc.findings`` in document order."""
    grouped = _grouped(load_framework())
    largest = max((c for _, criteria in grouped for c in criteria), key=lambda c: len(c[1]))[0]
    tables = []
    for theme, criteria in grouped:
        weight = typo.choice(("bold", "regular"))
        rows = [row for criterion, indicators in criteria
                for row in _criterion_rows(criterion, indicators, criterion == largest, doc, fonts, phraser, typo,
                                           weight, aanpak)]
        tables.append(_Table(theme, ["Criteria", "Indicatoren", "Bevindingen"], FACTSHEET_WIDTHS, rows,
                             spanning=True))
    return tables


def _conclusion_paragraphs(phraser: _Phraser, templates: tuple[str, ...], indicator_ids: list[str]) -> list[str]:
    """One or two paragraphs naming up to four of the given indicators' topics."""
    rng = phraser.rng
    chosen = sorted(rng.sample(indicator_ids, min(4, len(indicator_ids))))
    cut = rng.randint(1, len(chosen) - 1) if len(chosen) > 2 and rng.random() < 0.5 else len(chosen)
    parts = [chosen[:cut], chosen[cut:]] if cut < len(chosen) else [chosen]
    return [phraser.conclusion(templates, part) for part in parts]


def _conclusions(rows: list[dict], phraser: _Phraser) -> list[tuple[str, list[str], list[str]]]:
    """Per theme the "Wat gaat goed?" and "Wat kan beter?" paragraphs (either may be empty)."""
    conclusions = []
    for theme in dict.fromkeys(r["theme"] for r in rows):
        verdicts = {r["indicator_id"]: r["verdict"] for r in rows if r["theme"] == theme}
        passes = [i for i, v in verdicts.items() if v == "pass"]
        fails = [i for i, v in verdicts.items() if v == "fail"]
        good = _conclusion_paragraphs(phraser, GOES_WELL, passes) if passes and phraser.rng.random() < 0.85 else []
        better = _conclusion_paragraphs(phraser, COULD_IMPROVE, fails) if fails else []
        conclusions.append((theme, good, better))
    return conclusions


INTRO_PROSE = (
    "Samenwerkend Toezicht Jeugd (STJ) onderzoekt hoe gemeenten de zorg en ondersteuning regelen voor gezinnen "
    "met geringe sociale redzaamheid (GGSR): gezinnen die op ten minste vier leefgebieden langdurig problemen "
    "hebben en die deze problemen niet op eigen kracht kunnen oplossen.",
    "De kinderen in deze gezinnen groeien op met blijvende risico's. Vaak hebben de gezinnen al meerdere "
    "hulptrajecten achter de rug die weinig hebben opgeleverd.",
)
INTRO_BULLETS = (
    "Leefgebieden: onder meer opvoeding, huisvesting, financiën, gezondheid, school en veiligheid;",
    "Langdurig: de problemen blijven bestaan, ook als de ernst ervan wisselt;",
    "Gezin: ouder of ouders met een of meer kinderen die samen een huishouden vormen.",
)
FACTSHEET_PROSE = (
    "Deze factsheet beschrijft wat STJ heeft gezien in de eerste fase van het onderzoek naar de aanpak van de "
    "gemeente en haar netwerkpartners. Die fase gaat over de vraag of de zorg voor deze gezinnen op "
    "beleidsniveau stevig genoeg is geregeld.",
    "Goede zorg voor deze gezinnen mag niet afhangen van de inzet van toevallig betrokken medewerkers. De "
    "gemeente moet daarom samen met de lokale partijen een gedeeld beleid voeren en afspreken hoe de zorg tot "
    "stand komt. Met de komst van de nieuwe Jeugdwet wordt dat alleen maar belangrijker.",
    "Voor het onderzoek hebben de inspecties een vragenlijst voorgelegd aan de gemeente en aan de netwerkpartners "
    "die de gemeente zelf heeft aangedragen. Daarnaast zijn beleidsstukken en werkafspraken bestudeerd.",
    "STJ vraagt de gemeente om met de verbeterpunten uit deze factsheet aan de slag te gaan en na een jaar te "
    "laten weten wat er is veranderd.",
)
THEME_BULLETS = (
    ("Toeleiding", "de gezinnen zijn bekend en worden door de aanpak bereikt"),
    ("Gezin centraal", "het gezin en zijn eigen netwerk staan voorop"),
    ("Aanpak", "er wordt planmatig, samenhangend en vasthoudend gewerkt, met een goed toegeruste regisseur"),
    ("Samenwerking", "de instanties rond een gezin werken goed met elkaar samen"),
    ("Continu", "zorg en ondersteuning kunnen zo lang en zo intensief als nodig worden ingezet"),
)


def _title_block(w: _Writer, title: str, blue_lines: list[str], month: str) -> None:
    """Letterhead, big title, blue subtitle lines and the month line."""
    w.letterhead()
    w.heading(title, size=17, keep=0)
    for line in blue_lines:
        w.paragraph([w.fonts.run(line, size=11.5)], after=1, color=BLUE)
    w.paragraph([w.fonts.run(month, size=9.5)], after=10)


def _definition(w: _Writer) -> None:
    for text in INTRO_PROSE:
        w.prose(text, "italic")
    for text in INTRO_BULLETS:
        w.bullet([w.fonts.run(text, size=w.prose_size)])


def _theme_bullets(w: _Writer) -> None:
    for theme, text in THEME_BULLETS:
        w.bullet([w.fonts.run(theme + ":", "bold", w.prose_size), w.fonts.run(" " + text, size=w.prose_size)])


def _partners(gemeente: str, rng: random.Random) -> list[str]:
    region = rng.choice(REGIONS)
    return [kind.format(gemeente=gemeente, region=region, word=rng.choice(PARTNER_WORDS))
            for kind in rng.sample(PARTNER_KINDS, 3)]


def _factsheet_front(w: _Writer, doc: SynthDocument, phraser: _Phraser) -> None:
    """Title, introduction, context, the assessed aanpak and its description."""
    g, a, rng, fonts = doc.gemeente, doc.aanpak, phraser.rng, w.fonts
    _title_block(w, f"Uitkomsten toezichtonderzoek {g}", [SUBTITLE], _month_line(doc.published))
    _definition(w)
    for text in FACTSHEET_PROSE:
        w.prose(text, "italic")
    _context(w, g, rng)
    w.heading(f"Aanpak: {a}")
    w.prose("De gemeente heeft de vragenlijst over deze aanpak ingevuld en documenten aangeleverd. Een kortere "
            "vragenlijst over deze aanpak is ingevuld door:")
    for partner in _partners(g, rng):
        w.bullet([fonts.run(partner, size=w.prose_size)])
    w.prose("De gemeente heeft deze netwerkpartners zelf voorgedragen. STJ heeft de beoordeling gebaseerd op de "
            "antwoorden en de aangeleverde stukken samen.")
    w.heading("Beschrijving")
    w.prose(f"Binnen {a} werken {rng.randint(4, 15)} {rng.choice(TEAMS)} met vaste contactpersonen voor de "
            f"gezinnen. {phraser.sentence('{Org} levert de meeste medewerkers.')}")
    w.prose(f"Op het moment van het onderzoek ondersteunde {a} {rng.randint(20, 140)} gezinnen. "
            f"{phraser.sentence('De werkwijze is vastgelegd in {doc}.')}")


def _marker_explanation(w: _Writer) -> None:
    fonts, size = w.fonts, w.prose_size
    w.paragraph([
        fonts.run("Per thema zijn criteria en indicatoren uitgewerkt. In de tabellen hieronder staat per indicator "
                  "wat STJ heeft gevonden: de aanpak voldoet (", size=size),
        fonts.marker("pass", size),
        fonts.run(") of er is een verbeterpunt (", size=size),
        fonts.marker("fail", size),
        fonts.run(").", size=size)])


def _factsheet_conclusion(w: _Writer, gemeente: str, conclusions: list[tuple[str, list[str], list[str]]]) -> None:
    w.continuation = None
    w.new_page()
    w.heading("Conclusie")
    w.continuation = "Vervolg conclusie"
    w.prose("Hieronder staat per thema een korte conclusie. Die is niet volledig: STJ noemt vooral wat al goed gaat "
            f"en wat de grootste risico's met zich meebrengt voor {gemeente}.")
    for theme, good, better in conclusions:
        w.heading(theme, size=w.prose_size + 1.5, keep=60, color=black)
        for label, paragraphs in (("Wat gaat goed?", good), ("Wat kan beter?", better)):
            w.heading(label, size=w.prose_size, keep=12, before=0, color=black)
            for text in paragraphs:
                w.prose(text)


def make_factsheet(path: Path | str, gemeente: str = "Zandvoort aan Zee", aanpak: str = "Wijkgericht Werken",
                   style: SynthStyle = SynthStyle(), rng_seed: int = 0, *, aanpakken: list[str] | None = None,
                   form: str = "sections", column_header: str = "named") -> SynthDocument:
    """Write a synthetic 2013 factsheet to ``path`` and return what it says.

    ``aanpakken`` (one to three distinct names, in declared order) replaces ``aanpak``; the document's ``aanpak``
    is the first and ``aanpak_2013`` all of them, and ``findings`` holds a row for every aanpak and every
    framework indicator, the aanpak spelled as given.  With one aanpak (or none given) the factsheet is the
    single-aanpak layout, byte for byte what ``make_factsheet(path, gemeente, aanpak, style, rng_seed)`` writes,
    and ``form`` and ``column_header`` are not used.  With two or three the introduction names every aanpak in
    one sentence of varied wording (``_declaration``), and ``form`` says how the findings are laid out:

    - ``"sections"``: a section per aanpak, headed "Aanpak: <name>", with its network partners, "Beschrijving",
      "Bevindingen toezichtonderzoek" and the five theme tables (Criteria | Indicatoren | Bevindingen);
    - ``"columns"``: one set of theme tables with a findings column per aanpak, headed (``column_header``)
      "Bevindingen <name>" (``"named"``), "<name>" (``"bare"``) or just "Bevindingen" (``"unheaded"``: the
      names are then only in the text before the tables, in declared order).

    Verdicts are drawn per aanpak (per cell).  ``findings`` is in document order: aanpak after aanpak in
    sections, per table row and then per column in columns (as the two-aanpak gold files have it).  The conclusion
    is one per theme for the whole document, its paragraphs naming the aanpak they are about; ``conclusions``
    holds them as typeset (the hand-made two-aanpak gold files leave theirs empty).  The same arguments give the
    same rows and a byte-identical PDF; ``column_header`` changes the header cells only, not the content.
    """
    names = [aanpak] if aanpakken is None else list(aanpakken)
    _check_aanpakken(names, form, column_header)
    if len(names) > 1:
        return _multi_factsheet(path, gemeente, names, style, rng_seed, form, column_header)
    aanpak = names[0]
    fonts = _fonts(style)
    typo = random.Random(f"style:{style.seed}")
    phraser = _Phraser(random.Random(f"factsheet:{rng_seed}"), gemeente, aanpak)
    doc = SynthDocument("factsheet", gemeente, "2013-10", aanpak, [aanpak], [])
    tables = _factsheet_tables(doc, fonts, phraser, typo)
    conclusions = _conclusions(doc.findings, phraser)
    doc.conclusions = [{"theme": t, "goes_well": " ".join(g), "could_improve": " ".join(b)} for t, g, b in conclusions]
    w = _Writer(path, f"Uitkomsten toezichtonderzoek {gemeente}", fonts, f"Uitkomsten toezichtonderzoek {gemeente}")
    _factsheet_front(w, doc, phraser)
    w.new_page()
    w.heading("Bevindingen toezichtonderzoek")
    w.continuation = "Vervolg bevindingen toezichtonderzoek"
    w.prose(f"STJ heeft de aanpak '{aanpak}' beoordeeld op vijf thema's die samen bepalen of de zorg voor gezinnen "
            "met een geringe sociale redzaamheid verantwoord is:")
    _theme_bullets(w)
    _marker_explanation(w)
    drawer = _TableDrawer(w, style)
    for table in tables:
        drawer.draw(table)
    _factsheet_conclusion(w, gemeente, conclusions)
    w.finish()
    return doc


# ------------------------------------------------------------------------------------ factsheet, several aanpakken

FORMS = ("sections", "columns")
COLUMN_HEADERS = ("named", "bare", "unheaded")

# Aanpak names unlike the samples' two-word title-case ones: " en " inside a name, parenthesised abbreviations,
# hyphens, lower-case words, digits, diacritics and names long enough to wrap in a header cell (and one in an
# "Aanpak: <name>" heading).  No name contains
# another (case-insensitively), so that every name can be told apart wherever it is written.
AANPAK_NAMES = (
    "Wonen en Werken",
    "Gezin Centraal Team (GCT)",
    "1Gezin1Plan",
    "Jeugd- en Gezinsteams",
    "Sociaal Wijkteam Noord-Oost",
    "Zorg voor elkaar",
    "Integrale Vroeghulp 0-23 jaar",
    "Achter de Voordeur",
    "Intensieve Gezinsbegeleiding en Schuldhulp (IGS)",
    "Steunpunt Huiselijk Geweld en Zorgcoördinatie Zuid-Holland Noord",
    "Integrale Aanpak Multiprobleemgezinnen en Zorgmijders Regio Hollands Midden (IAMZ)",
    "de Wijkcoach",
    "Gezinscoaching 2.0",
    "Preventief Interventie Team (PIT)",
    "Zorg- en Adviesteam (ZAT)",
    "Team Jeugd en Veiligheid",
    "Regie op de Keukentafel",
    "Eén Gezin Eén Plan (EGEP)",
    "Frontlijnteam West",
    "Multi Probleem Gezinnen-aanpak (MPG)",
    "Gezin aan Zet",
    "Vroegsignalering 12-plus",
    "Samen Sterk in de Wijk",
    "Buurtzorg Jong",
    "Krachtig Thuis",
)

GOES_WELL_AANPAK = (
    "Binnen {aanpak} is {t} goed geregeld.",
    "Positief is dat er bij {aanpak} aandacht is voor {t}.",
    "Voor {aanpak} zijn de gemeente en de netwerkpartners het eens over {t}.",
)
COULD_IMPROVE_AANPAK = (
    "Binnen {aanpak} zijn nog geen afspraken over {t}. Dit kan ertoe leiden dat gezinnen niet tijdig de juiste "
    "zorg krijgen.",
    "Voor {aanpak} is aandacht nodig voor {t}.",
    "Bij {aanpak} moeten de gemeente en de netwerkpartners nog werk maken van {t}.",
)
COUNT_WORDS = {2: "twee", 3: "drie"}
QUOTES = (("'", "'"), ("\u2018", "\u2019"), ("", ""))


def aanpak_names(count: int, seed: int = 0) -> list[str]:
    """``count`` distinct aanpak names drawn (seeded) from :data:`AANPAK_NAMES`."""
    if not 1 <= count <= 3:
        raise ValueError(f"a factsheet assesses one to three aanpakken, not {count}")
    return random.Random(f"aanpak-names:{seed}").sample(AANPAK_NAMES, count)


def _check_aanpakken(names: list[str], form: str, column_header: str) -> None:
    if not 1 <= len(names) <= 3:
        raise ValueError(f"a factsheet assesses one to three aanpakken, not {len(names)}")
    if any(not isinstance(n, str) or not n.strip() or n != n.strip() for n in names):
        raise ValueError(f"aanpak names must be non-empty strings without outer white space: {names!r}")
    if len({n.casefold() for n in names}) < len(names):
        raise ValueError(f"aanpak names must differ: {names!r}")
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, not {form!r}")
    if column_header not in COLUMN_HEADERS:
        raise ValueError(f"column_header must be one of {COLUMN_HEADERS}, not {column_header!r}")


def _quoted(names: list[str], rng: random.Random) -> list[str]:
    """The names in one quoting style: '…', ‘…’ or bare.  Bare only when a plain list of them stays unambiguous
    (no name holds " en " or a comma)."""
    plain = not any(" en " in n or "," in n for n in names)
    left, right = rng.choice(QUOTES if plain else QUOTES[:2])
    return [f"{left}{n}{right}" for n in names]


def _declaration(names: list[str], gemeente: str, rng: random.Random) -> str:
    """One sentence of the introduction naming every assessed aanpak in the given order, in varied wording:
    "de aanpak 'A' en de aanpak 'B'", "de aanpakken A, B en C", "twee aanpakken beoordeeld: ‘A’ en ‘B’"."""
    listing = rng.choice(("each", "plural", "colon"))
    if listing == "each":  # an article before every name keeps even bare names with " en " apart
        left, right = rng.choice(QUOTES)
        items = _join([f"de aanpak {left}{n}{right}" for n in names])
        return rng.choice((f"In deze factsheet beoordeelt STJ {items}.",
                           f"In {gemeente} heeft STJ {items} onderzocht.",
                           f"Deze factsheet gaat over {items}."))
    items = _join(_quoted(names, rng))
    if listing == "plural":
        return rng.choice((f"In deze factsheet beoordeelt STJ de aanpakken {items}.",
                           f"STJ heeft in {gemeente} de aanpakken {items} beoordeeld."))
    return rng.choice((f"STJ heeft in {gemeente} {COUNT_WORDS[len(names)]} aanpakken beoordeeld: {items}.",
                       f"In deze factsheet beoordeelt STJ {COUNT_WORDS[len(names)]} aanpakken: {items}."))


def _context(w: _Writer, gemeente: str, rng: random.Random, declaration: str = "") -> None:
    """The "Context <gemeente>" section, the declaration sentence (if any) closing its second paragraph."""
    g = gemeente
    w.heading(f"Context {g}")
    inhabitants = rng.randint(12, 180)
    w.prose(f"{g} heeft bijna {inhabitants}.{rng.choice(('000', '500'))} inwoners. Volgens cijfers van het CBS "
            f"(januari 2012) telt {g} {inhabitants * rng.randint(150, 190):,} huishoudens met minstens één "
            "kind.".replace(",", "."))
    w.prose(f"{g} werkt op het gebied van jeugd en zorg samen met {rng.randint(3, 14)} andere gemeenten in de "
            f"regio {rng.choice(REGIONS)}." + (" " + declaration if declaration else ""))
    w.prose(f"De gemeente schat dat er ongeveer {inhabitants * rng.randint(4, 7)} GGSR in {g} wonen.")


def _description(w: _Writer, aanpak: str, phraser: _Phraser) -> None:
    rng = phraser.rng
    w.prose(f"Binnen {aanpak} werken {rng.randint(4, 15)} {rng.choice(TEAMS)} met vaste contactpersonen voor de "
            f"gezinnen. {phraser.sentence('{Org} levert de meeste medewerkers.')}")
    w.prose(f"Op het moment van het onderzoek ondersteunde {aanpak} {rng.randint(20, 140)} gezinnen. "
            f"{phraser.sentence('De werkwijze is vastgelegd in {doc}.')}")


def _partner_list(w: _Writer, gemeente: str, rng: random.Random, subject: str) -> None:
    w.prose(f"De gemeente heeft de vragenlijst over {subject} ingevuld en documenten aangeleverd. Een kortere "
            f"vragenlijst over {subject} is ingevuld door:")
    for partner in _partners(gemeente, rng):
        w.bullet([w.fonts.run(partner, size=w.prose_size)])
    w.prose("De gemeente heeft deze netwerkpartners zelf voorgedragen. STJ heeft de beoordeling gebaseerd op de "
            "antwoorden en de aangeleverde stukken samen.")


def _multi_front(w: _Writer, doc: SynthDocument, rng: random.Random) -> None:
    """Title, definition and introduction; the introduction declares every aanpak, either in a paragraph of its
    own after the general text or at the end of the context's second paragraph."""
    g = doc.gemeente
    _title_block(w, f"Uitkomsten toezichtonderzoek {g}", [SUBTITLE], _month_line(doc.published))
    _definition(w)
    for text in FACTSHEET_PROSE:
        w.prose(text, "italic")
    declaration = _declaration(doc.aanpak_2013, g, rng)
    in_context = rng.random() < 0.5
    if not in_context:
        w.prose(declaration)
    _context(w, g, rng, declaration if in_context else "")


def _findings_intro(w: _Writer, subject: str, per_column: bool) -> None:
    w.heading("Bevindingen toezichtonderzoek")
    w.continuation = "Vervolg bevindingen toezichtonderzoek"
    w.prose(f"STJ heeft {subject} beoordeeld op vijf thema's die samen bepalen of de zorg voor gezinnen met een "
            "geringe sociale redzaamheid verantwoord is:")
    _theme_bullets(w)
    if per_column:
        w.prose("In de tabellen hieronder heeft elke aanpak een eigen kolom met bevindingen.")
    _marker_explanation(w)


def _regrouped(size: int, counts: list[int], rng: random.Random) -> list[int]:
    """How another findings column answers a row of ``size`` indicators: one-to-one stays one-to-one, a merged
    cell gets its own grouping (one to size - 1 paragraphs, one of them answering the rest)."""
    if size == 1 or len(counts) == size:
        return [1] * size
    paragraphs = rng.randint(1, size - 1)
    regrouped = [1] * paragraphs
    regrouped[rng.randrange(paragraphs)] = size - paragraphs + 1
    return regrouped


def _criterion_rows_columns(criterion: str, indicators: list[Indicator], merged_largest: bool, doc: SynthDocument,
                            fonts: _Fonts, phraser: _Phraser, typo: random.Random, weight: str) -> list[_Row]:
    """The rows of one criterion with a findings cell per aanpak (verdicts drawn per cell); appends the rows they
    should yield to ``doc.findings``: per table row, per column, per indicator."""
    shown = _displayed_order(indicators, typo)
    rows, position = [], 0
    for counts in _answer_counts(len(shown), phraser.rng, merged_largest):
        answered = shown[position:position + sum(counts)]
        position += sum(counts)
        cells = []
        for column, aanpak in enumerate(doc.aanpak_2013):
            grouping = counts if column == 0 else _regrouped(len(answered), counts, phraser.rng)
            cells.append(_cell_paragraphs(doc, fonts, phraser, typo, aanpak, answered, grouping))
        criterion_cell = [] if rows else [[fonts.run(criterion, weight)]]
        indicator_cell = [[fonts.run(_indicator_wording(ind, typo))] for ind in answered]
        rows.append(_Row([criterion_cell, indicator_cell] + cells, group_start=not rows))
    return rows


def _findings_headers(names: list[str], column_header: str) -> list[str]:
    if column_header == "named":
        return [f"Bevindingen {n}" for n in names]
    if column_header == "bare":
        return list(names)
    return ["Bevindingen"] * len(names)


def _column_tables(doc: SynthDocument, fonts: _Fonts, phraser: _Phraser, typo: random.Random,
                   column_header: str) -> list[_Table]:
    """The five theme tables with a findings column per aanpak; fills ``doc.findings`` in document order."""
    grouped = _grouped(load_framework())
    largest = max((c for _, criteria in grouped for c in criteria), key=lambda c: len(c[1]))[0]
    header = ["Criteria", "Indicatoren"] + _findings_headers(doc.aanpak_2013, column_header)
    widths = factsheet_widths(len(doc.aanpak_2013))
    tables = []
    for theme, criteria in grouped:
        weight = typo.choice(("bold", "regular"))
        rows = [row for criterion, indicators in criteria
                for row in _criterion_rows_columns(criterion, indicators, criterion == largest, doc, fonts, phraser,
                                                   typo, weight)]
        tables.append(_Table(theme, header, widths, rows, spanning=True))
    return tables


def _multi_conclusions(doc: SynthDocument, phraser: _Phraser) -> list[tuple[str, list[str], list[str]]]:
    """Per theme the "Wat gaat goed?" and "Wat kan beter?" paragraphs of the whole document, each naming the
    aanpak it is about (either part may be empty)."""
    rng, conclusions = phraser.rng, []
    for theme in dict.fromkeys(r["theme"] for r in doc.findings):
        good, better = [], []
        for aanpak in doc.aanpak_2013:
            phraser.aanpak = aanpak
            verdicts = {r["indicator_id"]: r["verdict"] for r in doc.findings
                        if r["theme"] == theme and r["aanpak"] == aanpak}
            passes = [i for i, v in verdicts.items() if v == "pass"]
            fails = [i for i, v in verdicts.items() if v == "fail"]
            if passes and rng.random() < 0.6:
                good += _conclusion_paragraphs(phraser, GOES_WELL_AANPAK, passes)
            if fails and rng.random() < 0.85:
                better += _conclusion_paragraphs(phraser, COULD_IMPROVE_AANPAK, fails)
        conclusions.append((theme, good, better))
    phraser.aanpak = doc.aanpak
    return conclusions


def _multi_factsheet(path: Path | str, gemeente: str, names: list[str], style: SynthStyle, rng_seed: int,
                     form: str, column_header: str) -> SynthDocument:
    """A factsheet assessing two or three aanpakken, in a section per aanpak or a findings column per aanpak."""
    fonts = _fonts(style)
    typo = random.Random(f"style:{style.seed}")
    rng = random.Random(f"factsheet:{rng_seed}:{form}:{len(names)}")
    phraser = _Phraser(rng, gemeente, names[0])
    doc = SynthDocument("factsheet", gemeente, "2013-10", names[0], list(names), [])
    title = f"Uitkomsten toezichtonderzoek {gemeente}"
    w = _Writer(path, title, fonts, title)
    _multi_front(w, doc, rng)
    if form == "sections":
        for index, aanpak in enumerate(names):
            phraser.aanpak = aanpak
            tables = _factsheet_tables(doc, fonts, phraser, typo, aanpak)
            w.continuation = None
            if index and rng.random() < 0.5:
                w.new_page()
            w.heading(f"Aanpak: {aanpak}")
            _partner_list(w, gemeente, rng, "deze aanpak")
            w.heading("Beschrijving")
            _description(w, aanpak, phraser)
            w.new_page()
            left, right = rng.choice(QUOTES[:2])
            _findings_intro(w, f"de aanpak {left}{aanpak}{right}", per_column=False)
            drawer = _TableDrawer(w, style)
            for table in tables:
                drawer.draw(table)
        phraser.aanpak = names[0]
    else:
        tables = _column_tables(doc, fonts, phraser, typo, column_header)
        w.heading(rng.choice((f"Aanpak: {_join(names)}", f"Aanpakken: {_join(names)}", "Aanpakken")))
        _partner_list(w, gemeente, rng, f"{rng.choice(('de', COUNT_WORDS[len(names)]))} aanpakken")
        w.heading("Beschrijving")
        for aanpak in names:
            _description(w, aanpak, phraser)
        w.new_page()
        _findings_intro(w, "de aanpakken " + _join(_quoted(names, rng)), per_column=True)
        drawer = _TableDrawer(w, style)
        for table in tables:
            drawer.draw(table)
    conclusions = _multi_conclusions(doc, phraser)
    doc.conclusions = [{"theme": t, "goes_well": " ".join(g), "could_improve": " ".join(b)} for t, g, b in conclusions]
    _factsheet_conclusion(w, gemeente, conclusions)
    w.finish()
    return doc


# --------------------------------------------------------------------------------------------------- follow-up


def _sentence_case(name: str) -> str:
    """"Samen Sterk" -> "Samen sterk": how running text may spell an aanpak named in a column header."""
    words = name.split(" ")
    return " ".join(words[:1] + [w.lower() if w.istitle() else w for w in words[1:]])


def _followup_selection(rng: random.Random) -> list[tuple[str, list[Indicator]]]:
    """The verbeterpunten revisited: one to three indicators in each of three to five themes."""
    grouped = [(theme, [ind for _, inds in criteria for ind in inds]) for theme, criteria in _grouped(load_framework())]
    kept = set(rng.sample(range(len(grouped)), rng.randint(3, len(grouped))))
    selection = []
    for index, (theme, indicators) in enumerate(grouped):
        if index in kept:
            chosen = rng.sample(indicators, rng.randint(1, min(3, len(indicators))))
            selection.append((theme, sorted(chosen, key=indicators.index)))
    return selection


def _followup_row(ind: Indicator, doc: SynthDocument, fonts: _Fonts, phraser: _Phraser, typo: random.Random,
                  lead: str = "") -> _Row:
    """One verbeterpunt: a cell per 2013 aanpak (some empty, at least one a verbeterpunt) and one for 2014.
    Appends the rows the filled cells should yield to ``doc.findings``."""
    rng = phraser.rng
    present = [rng.random() < 0.6 for _ in doc.aanpak_2013]
    if not any(present):
        present[rng.randrange(len(present))] = True
    columns = [(aanpak, 2013, "fail") if filled else None for aanpak, filled in zip(doc.aanpak_2013, present)]
    columns.append((doc.aanpak, 2014, _verdict(rng, 0.4)) if rng.random() < 0.92 else None)
    cells: list[list[list[_Run]]] = [[[fonts.run(_indicator_wording(ind, typo))]]]
    if lead:
        cells.insert(0, [[fonts.run(lead)]])
    for column in columns:
        if column is None:
            cells.append([])
            continue
        aanpak, year, verdict = column
        finding = _new_finding(phraser, typo, [ind.indicator_id], verdict, year, p_caveat=0.06, p_continuation=0.08)
        cells.append(finding.paragraphs(fonts))
        doc.findings.append(_row(doc.gemeente, aanpak, year, ind, finding))
    return _Row(cells)


def _followup_tables(doc: SynthDocument, fonts: _Fonts, phraser: _Phraser, typo: random.Random,
                     incomplete_header: bool, header_names: list[str] | None = None,
                     lead_column: str = "") -> list[_Table]:
    """One table per theme with a row per verbeterpunt; fills ``doc.findings`` in document order.

    ``header_names`` spells the 2013 aanpakken in the column headers (default: as in ``doc.aanpak_2013``);
    ``lead_column`` ("Nr." or "Thema") adds a first column before the indicators, holding a number or the theme.
    """
    selection = _followup_selection(phraser.rng)
    odd_header = phraser.rng.randrange(1, len(selection)) if incomplete_header else -1
    lead = [lead_column] if lead_column else []
    complete = lead + ["Indicator"] + [f"2013 {a}" for a in header_names or doc.aanpak_2013] + ["2014"]
    incomplete = lead + ["Indicator", "2013"] + ["2014"] * len(doc.aanpak_2013)
    widths = _followup_widths(len(doc.aanpak_2013), bool(lead_column))
    tables, number = [], 0
    for index, (theme, indicators) in enumerate(selection):
        rows = []
        for ind in indicators:
            number += 1
            label = (str(number) if lead_column.lower().startswith("nr") else theme) if lead_column else ""
            rows.append(_followup_row(ind, doc, fonts, phraser, typo, label))
        tables.append(_Table(theme, incomplete if index == odd_header else complete, widths, rows))
    return tables


def _followup_front(w: _Writer, doc: SynthDocument, phraser: _Phraser, title_2013: str = "") -> None:
    """Title block, definition, introduction and the "Ontwikkeling 2014" section."""
    g, a, rng = doc.gemeente, doc.aanpak, phraser.rng
    named_2013 = title_2013 or _join([_sentence_case(name) for name in reversed(doc.aanpak_2013)])
    _title_block(w, "Uitkomsten verbeterpunten toezichtonderzoek", [g, f"Aanpak: {a}", f"(2013: {named_2013})"],
                 _month_line(doc.published))
    _definition(w)
    w.heading("Inleiding")
    quoted = _join([f"de aanpak '{name}'" for name in doc.aanpak_2013])
    w.prose(f"In 2013 heeft STJ in {g} {quoted} beoordeeld met het toetsingskader GGSR. Dat kader kent vijf "
            "thema's voor verantwoorde zorg en ondersteuning:")
    _theme_bullets(w)
    w.heading("Ontwikkeling 2014")
    w.prose(f"Op {rng.randint(2, 27)} {rng.choice(MONTHS[8:])} 2014 heeft de gemeente aan STJ toegelicht hoe zij "
            f"de verbeterpunten uit 2013 heeft opgepakt. Sinds 2014 werkt {g} met de aanpak '{a}'.")
    w.prose(f"Binnen {a} werken {rng.randint(4, 18)} {rng.choice(TEAMS)} samen met een netwerk van specialisten. "
            f"{phraser.sentence('{Org} levert de coördinatoren.')} "
            f"{phraser.sentence('De werkwijze is beschreven in {doc}.')}")
    w.prose("STJ heeft de aanpak niet opnieuw volledig beoordeeld, maar alleen nagegaan wat er met de "
            "verbeterpunten uit 2013 is gebeurd. De tabellen hieronder laten dat per verbeterpunt zien.")


def make_followup(path: Path | str, gemeente: str = "Oosterwolde", aanpak_2014: str = "Sociale Teams",
                  aanpak_2013: tuple[str, ...] | list[str] = ("Gezinscoaching", "Samen Sterk"),
                  style: SynthStyle = SynthStyle(), rng_seed: int = 0, incomplete_header: bool = True,
                  header_names: list[str] | None = None, title_2013: str = "", lead_column: str = ""
                  ) -> SynthDocument:
    """Write a synthetic 2015 follow-up to ``path`` and return what it says.

    The tables have a column per 2013 aanpak (in the given order) and one for 2014; with ``incomplete_header``
    one table after the first heads those columns "2013 | 2014 | 2014". ``header_names`` and ``title_2013`` spell
    the 2013 aanpakken otherwise in the headers and the title's "(2013: …)" line; the expected rows keep
    ``aanpak_2013``'s spelling only where the header is the canonical one (pass ``header_names`` to expect those).
    """
    if not aanpak_2013:
        raise ValueError("a follow-up needs at least one 2013 aanpak")
    fonts = _fonts(style)
    typo = random.Random(f"style:{style.seed}")
    phraser = _Phraser(random.Random(f"followup:{rng_seed}"), gemeente, aanpak_2014)
    doc = SynthDocument("followup", gemeente, "2015-06", aanpak_2014, list(aanpak_2013), [])
    tables = _followup_tables(doc, fonts, phraser, typo, incomplete_header, header_names, lead_column)
    title = f"Uitkomsten verbeterpunten toezichtonderzoek {gemeente}"
    w = _Writer(path, title, fonts, title)
    _followup_front(w, doc, phraser, title_2013)
    w.new_page()
    w.heading("Uitkomsten verbeterpunten")
    w.continuation = "Vervolg uitkomsten verbeterpunten"
    drawer = _TableDrawer(w, style)
    for table in tables:
        drawer.draw(table)
    w.finish()
    return doc
