"""Typed records passed between the pipeline stages (the smaller tables' rows are in ``rows``, problems in
``problems``; their closed value sets in ``enums``).

Coordinates are PDF points with the origin at the top-left of the page (pdfplumber's convention): ``x0``/``x1``
left/right, ``top``/``bottom`` distance from the top edge. Page numbers are 1-based.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from extract.core.enums import Kind, Method, Status, Verdict
from extract.core.problems import Problem, one_line
from extract.core.coverage import AanpakCoverage, Coverage, IndicatorCell, PageCoverage  # noqa: F401 - offered here
from extract.core.rows import Aanpak, ContextFact, NationalFigure, Organisation

# A page's content sits at FLOW_STRIDE * (page - 1) + top in "flow" coordinates, so that a table continuing over
# pages can be treated as one vertical strip.
FLOW_STRIDE = 100_000.0


@dataclass(frozen=True)
class Word:
    """One word as found on a page, with its font."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    fontname: str = ""
    size: float = 0.0
    confidence: float = 1.0  # 1.0 for a text layer; Tesseract's word confidence / 100 for OCR
    raw: str = ""  # the OCR text before repair, when repair changed it

    @property
    def bold(self) -> bool:
        name = self.fontname.lower()
        return "bold" in name or "black" in name or "heavy" in name or ",bd" in name

    @property
    def flow_top(self) -> float:
        return FLOW_STRIDE * (self.page - 1) + self.top


@dataclass(frozen=True)
class Rule:
    """A ruling line (or the edge of a thin filled rectangle)."""

    x0: float
    top: float
    x1: float
    bottom: float
    page: int

    @property
    def horizontal(self) -> bool:
        return (self.bottom - self.top) <= 2.0 and (self.x1 - self.x0) > 2.0

    @property
    def vertical(self) -> bool:
        return (self.x1 - self.x0) <= 2.0 and (self.bottom - self.top) > 2.0

    @property
    def flow_top(self) -> float:
        return FLOW_STRIDE * (self.page - 1) + (self.top + self.bottom) / 2


@dataclass
class Page:
    """The words and ruling lines of one page, from the text layer or from OCR."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    method: Method = Method.text
    problems: list[Problem] = field(default_factory=list)  # why the page could not be read (well), if it could not
    has_images: bool = False
    skew: float = 0.0  # degrees the page image was turned by before OCR (deskew); its words are in that turned frame
    turns: int = 0  # quarter turns (np.rot90) given first to a page scanned sideways or upside down

    @property
    def error(self) -> str:
        """The page's problems in one line ('' when it has none)."""
        return one_line(self.problems)


def document_id(sha256: str, part: int = 1) -> str:
    """A document's id: the first 16 hex digits of its file's SHA-256, and for the second and later documents of
    one file their part number ("…-part2")."""
    return sha256[:16] if part == 1 else f"{sha256[:16]}-part{part}"


@dataclass
class SourceDocument:
    """An opened input file: its identity and its pages."""

    path: str
    source_file: str
    sha256: str
    pages: list[Page]
    part: int = 1  # which document of the file this is (a file may hold several: ``document.split``)

    @property
    def doc_id(self) -> str:
        return document_id(self.sha256, self.part)


@dataclass
class Line:
    """Words on one baseline within one column (or across the page, before columns are known)."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def flow_top(self) -> float:
        return FLOW_STRIDE * (self.page - 1) + self.top

    @property
    def size(self) -> float:
        """The median type size of the line's words (robust to a marker glyph or an OCR outlier)."""
        sizes = sorted(w.size for w in self.words)
        return sizes[len(sizes) // 2]


@dataclass(frozen=True)
class Box:
    """A rectangle on one page (the box around a header cell's words, say)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Column:
    """One table column: where it starts and ends, what its header says and where that header cell's words stand
    (``cell``: None for a column made without a header row)."""

    x0: float
    x1: float
    header: str
    cell: Box | None = None


@dataclass
class Table:
    """A logical table: one header layout, possibly continued over several pages.

    ``cells[i]`` holds the body lines of column i in reading order; ``boundaries`` are the flow positions of
    horizontal rules inside the body that separate rows (spanning at least the second column).
    """

    heading: str  # the heading just above the table (a theme name, usually)
    columns: list[Column]
    cells: list[list[Line]]
    boundaries: list[float]
    pages: list[int]


@dataclass
class Marker:
    """The check or cross that opens a finding paragraph."""

    glyph: str  # as found in the text (or OCR)
    verdict: Verdict
    confidence: float = 1.0


@dataclass
class Paragraph:
    """One paragraph of a findings cell; ``marker`` is None for a paragraph continuing the one before."""

    lines: list[Line]
    marker: Marker | None
    anchor: Word  # the first word on the paragraph's first line (the marker, when there is one)

    @property
    def flow_top(self) -> float:
        return self.anchor.flow_top

    @property
    def page(self) -> int:
        return self.anchor.page


@dataclass
class IndicatorMatch:
    """A stretch of indicator-cell lines identified as one framework indicator."""

    indicator_id: str
    score: float
    lines: list[Line]

    @property
    def flow_top(self) -> float:
        return self.lines[0].flow_top


@dataclass
class Finding:
    """One extracted finding: the unit of the ``findings`` table."""

    doc_id: str
    source_file: str
    gemeente: str
    aanpak: str
    year: int
    theme: str
    criterion: str
    indicator_id: str
    indicator: str
    verdict: Verdict | None
    marker: str
    caveat: bool
    caveat_text: str
    finding: str
    page: int
    method: Method
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    indicator_score: float = 1.0
    alignment_score: float = 1.0
    marker_confidence: float = 1.0
    finding_id: str = ""
    marker_x0: float | None = None  # the marker's box, same coordinates as the finding's
    marker_top: float | None = None
    marker_x1: float | None = None
    marker_bottom: float | None = None
    finding_raw: str = ""  # OCR: the finding as read, before vocabulary repair
    ocr_confidence: float = 1.0  # mean Tesseract confidence of the finding's words (1.0 for a text layer)
    header_page: int | None = None  # the column header cell behind the row's aanpak and year (``FindingsColumn``):
    header_x0: float | None = None  # its page (a continued table's first page) and box, same coordinates as x0/top
    header_top: float | None = None
    header_x1: float | None = None
    header_bottom: float | None = None


@dataclass(slots=True)
class FindingKey:
    """What the rest of a run needs of a finding once its row is on disk (``parts.slim``): enough to link it."""

    finding_id: str
    doc_id: str
    source_file: str
    gemeente: str
    aanpak: str
    year: int
    indicator_id: str
    verdict: Verdict | None
    page: int


@dataclass
class Conclusion:
    """The "Wat gaat goed?" / "Wat kan beter?" paragraphs of one theme."""

    theme: str
    goes_well: str
    could_improve: str


@dataclass(frozen=True)
class Section:
    """A part of a factsheet that judges the aanpakken a heading names ("Aanpak: <name>", "Aanpak: A en B"): from
    that heading (its page and top) to the next one."""

    page: int
    top: float
    aanpakken: tuple[str, ...]  # canonical names


@dataclass
class DocumentInfo:
    """What the segment stage learnt about a document as a whole."""

    kind: Kind
    gemeente: str = ""
    published: str = ""  # YYYY-MM
    aanpak: str = ""  # factsheet: the (first) assessed aanpak; followup: the later year's aanpak
    aanpak_2013: list[str] = field(default_factory=list)  # the assessed year's canonical names, in column order
    aanpakken: list[Aanpak] = field(default_factory=list)  # canonical name, aliases and role of each
    sections: list[Section] = field(default_factory=list)  # a factsheet's "Aanpak: …" sections, in page order


@dataclass
class DocumentResult:
    """Everything extracted from one input, with a status: ok, partial, failed or skipped."""

    source_file: str
    path: str
    sha256: str = ""
    doc_id: str = ""
    status: Status = Status.ok
    problems: list[Problem] = field(default_factory=list)
    info: DocumentInfo = field(default_factory=lambda: DocumentInfo(kind=Kind.unknown))
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)
    conclusions: list[Conclusion] = field(default_factory=list)
    national_figures: list[NationalFigure] = field(default_factory=list)  # the figures of a national report
    context: list[ContextFact] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    coverage: Coverage | None = None  # factsheet / follow-up: indicators promised and answered (``coverage``)
    first_page: int | None = None  # the document's pages in its file (a file may hold several documents)
    last_page: int | None = None
    more: list[DocumentResult] = field(default_factory=list)  # the file's later documents, each a result of its own

    @property
    def label(self) -> str:
        """The file's name, with the document's pages when the file holds more than this document."""
        whole = self.first_page in (None, 1) and self.last_page in (None, self.pages)
        return self.source_file if whole else f"{self.source_file} (pages {self.first_page}-{self.last_page})"

    @property
    def documents(self) -> list[DocumentResult]:
        """This document and the file's later ones, each without ``more``."""
        return [replace(self, more=[]), *self.more] if self.more else [self]

    @property
    def errors(self) -> list[str]:
        """The problems, one line each ("page N: ..." where tied to a page)."""
        return [str(p) for p in self.problems]

    @property
    def error(self) -> str:
        """The problems in one line (``documents.error``)."""
        return one_line(self.problems)

    def add_problem(self, problem: Problem) -> None:
        """Name one more problem; an ``ok`` document becomes ``partial``."""
        self.problems = [*self.problems, problem]
        self.status = Status.partial if self.status == Status.ok else self.status

    @property
    def cacheable(self) -> bool:
        """Whether the result may be served again: none of its problems is the machine's or the code's fault."""
        return all(p.cacheable for p in self.problems)


@dataclass(frozen=True)
class DocumentContext:
    """Which document the stages are reading: its id and file name (stamped on every row made from it), its
    gemeente once the title block is read, and how each of its pages was read."""

    doc_id: str
    source_file: str
    gemeente: str = ""
    methods: Mapping[int, Method] = field(default_factory=dict)  # page number → text or ocr

    def method(self, page: int) -> Method:
        return self.methods.get(page, Method.text)
