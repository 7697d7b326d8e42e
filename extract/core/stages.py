"""The thresholds of the stages after OCR, one checked settings class per stage (gathered under ``RunOptions``):
reading (text layer or OCR), repair of OCR words, layout, indicator matching and alignment. Their defaults are
the values the extraction was tuned with; a stage function takes its settings object, defaulting to these. None of
them changes an OCR reading (the OCR cache's key leaves this module out)."""

from __future__ import annotations

from dataclasses import dataclass

from extract.core.checked import COUNT, NON_NEGATIVE, NUMBER, POSITIVE, RANGE, SHARE, Checked, setting


@dataclass(frozen=True)
class TriageSettings(Checked):
    """How much of a file the triage (``read.triage``) looks at before it calls a file foreign to the series."""

    max_pages: int = setting(20, COUNT)  # pages looked at, at most, from the first
    # ... stopping once this many lines of text are seen: twice the opening lines classify reads the national
    # report's words in (pipeline.extract_into: the first 400), as pdfium may break lines otherwise than the layout
    opening_lines: int = setting(800, COUNT)
    page_chars: int = setting(20_000, COUNT)  # characters of one page's text looked at (a dense page: 3,000-6,000)
    min_letters: int = setting(200, COUNT)  # a file is called foreign only on at least this many letters of text


@dataclass(frozen=True)
class ReadSettings(Checked):
    """Which pages are read from their text layer and which by OCR (``read.source.decide_source``)."""

    min_image_share: float = setting(0.25, SHARE)  # an image covering at least this share of the page is its scan
    min_text_chars: int = setting(40, COUNT)  # a page with fewer extractable characters than this is read by OCR
    cid_share: float = setting(0.2, SHARE)  # ... and so is one where this share of the words are "(cid:NN)" glyphs
    min_curves: int = setting(50, COUNT)  # a page without text or image drawing this many curved paths is OCR'd
    min_scan_dpi: int = setting(100, COUNT)  # a scan under this resolution gets a warning (rows may be lost)


@dataclass(frozen=True)
class RepairSettings(Checked):
    """Which OCR words are repaired against the framework's wording and the document's sure words."""

    max_confidence: float = setting(0.90, SHARE)  # only words read less surely than this are repaired
    min_length: int = setting(4, COUNT)  # ... of at least this many letters
    document_word_confidence: float = setting(0.88, SHARE)  # a document word read this surely ...
    document_word_count: int = setting(2, COUNT)  # ... this many times repairs the same word misread elsewhere
    document_word_length: int = setting(6, COUNT)  # (long words only: short ones are often one letter apart)


@dataclass(frozen=True)
class LayoutSettings(Checked):
    """Lines, running headers and footers, rule residue, table headers, bodies and row rules (``extract.layout``).
    Lengths are in PDF points."""

    line_tolerance: float = setting(1.5, NON_NEGATIVE)  # points: words whose tops are this close are one line ...
    line_tolerance_share: float = setting(0.4, NON_NEGATIVE)  # ... or this share of the type size, if more
    margin_share: float = setting(0.09, SHARE)  # running headers and footers live in this top and bottom share
    footer_zone: float = setting(0.92, SHARE)  # a "pagina N" line below this share of the page height is a footer
    furniture_height_tolerance: float = setting(6.0, POSITIVE)  # points: a running line's height bucket
    unsure: float = setting(0.5, SHARE)  # an OCR word read with a confidence below this is a guess
    residue_spread: float = setting(2.0, POSITIVE)  # rule residue: letters spread wider than this many type sizes
    residue_height_share: float = setting(0.8, POSITIVE)  # ... and thinner than this share of the type size ...
    residue_word_stretch: float = setting(4.0, POSITIVE)  # ... or a "word" this many type sizes wide per letter
    rule_row_tolerance: float = setting(2.0, NON_NEGATIVE)  # points: pieces of rule this close are one rule
    rule_column_coverage: float = setting(0.25, SHARE)  # a row rule covers this share of each column but the first
    rule_edge_reach: float = setting(6.0, NON_NEGATIVE)  # points into the last column a row rule must reach
    rule_text_clearance: float = setting(1.0, NON_NEGATIVE)  # points: a rule this far inside type runs through it
    heading_size_factor: float = setting(1.12, POSITIVE)  # a line this much larger than the body is a heading
    max_body_gap_pitches: float = setting(2.6, POSITIVE)  # an empty stretch this many line pitches ends a table
    rule_snap: float = setting(14.0, POSITIVE)  # points: a vertical rule this close left of a header cell is its edge
    max_header_cell_words: int = setting(6, COUNT)  # a header cell is a label, a year, or a year and a name
    max_header_name_words: int = setting(14, COUNT)  # an aanpak's name heading a findings column (its first row)
    header_cell_gap: float = setting(6.0, NON_NEGATIVE)  # points: a wider gap between header words parts cells ...
    header_cell_gap_share: float = setting(0.9, NON_NEGATIVE)  # ... if wider than this share of the type size too
    line_pitch: float = setting(1.25, POSITIVE)  # a table body's line pitch, in type sizes
    continued_column_tolerance: float = setting(8.0, NON_NEGATIVE)  # points: a table continues one whose columns
    # start this close, ...
    continued_shift: float = setting(36.0, NON_NEGATIVE)  # ... or as close once its page, set this far or less to
    # the side as a whole (a scan laid elsewhere on the glass, a table set again under "Vervolg"), is put back


@dataclass(frozen=True)
class MatchingSettings(Checked):
    """How stretches of a table's indicator column are matched to the framework's indicators
    (``series.framework.segment_indicators``)."""

    min_indicator_ratio: float = setting(0.62, SHARE)  # below this a stretch of lines is not taken for an indicator
    max_indicator_lines: int = setting(10, COUNT)  # an indicator's text spans at most this many lines
    skip_line_penalty: float = setting(0.25, NON_NEGATIVE)  # the cost of a line left out of every indicator
    heading_theme_bonus: float = setting(0.02, NON_NEGATIVE)  # for an indicator of the theme the heading names
    length_window: tuple = setting((0.5, 1.7), RANGE)  # compared only when the squashed lengths are this close


@dataclass(frozen=True)
class AlignSettings(Checked):
    """How a findings column is cut into units and aligned with the indicators beside it (``document.align``,
    ``document.findings``, ``document.segment``). Lengths are in PDF points."""

    paragraph_gap: float = setting(1.3, POSITIVE)  # a gap of this many line pitches starts a new paragraph
    same_row_tolerance: float = setting(3.0, NON_NEGATIVE)  # points: this little above a row rule is still below it
    aligned_top_tolerance: float = setting(1.2, NON_NEGATIVE)  # points: an indicator and its unit start level
    position_weight: float = setting(1.0, NUMBER)  # the score of starting level, beside the wording's
    position_margin: float = setting(0.15, NON_NEGATIVE)  # ... unless another indicator's wording is this much better
    cell_baseline: float = setting(0.5, NUMBER)  # subtracted from each cell's score (a pair must earn its place)
    step_cost: float = setting(0.35, NON_NEGATIVE)  # the cost of a step of the alignment that is not one-to-one
    stem_chars: int = setting(5, COUNT)  # a shared stem of this many letters ...
    stem_credit: float = setting(0.8, SHARE)  # ... counts this much of a shared lemma
    opening_tolerance: float = setting(3.0, NON_NEGATIVE)  # points: a scan's finding opens this close to its indicator
    stray_indicator_ratio: float = setting(0.8, SHARE)  # indicator text outside every table: a lost row this close
    column_x_tolerance: float = setting(12.0, NON_NEGATIVE)  # points: columns this close are the same column
