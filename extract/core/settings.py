"""The settings of a run: ``RunOptions`` and the stage settings gathered under it, each checked on creation."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from extract.core.checked import (COUNT, GREY, NON_NEGATIVE, POSITIVE, RANGE, SHARE, SIZE, Checked, SettingsError,
                                  nested, setting)
from extract.core.stages import (AlignSettings, LayoutSettings, MatchingSettings, ReadSettings, RepairSettings,
                                 TriageSettings)

MAX_PAGES = 500  # the default of RunOptions.max_pages (--max-pages)
REFERENCE_DPI = 200  # the pixel measures in this module are given at this resolution (see OcrSettings.px)
AUTO_DPI_RANGE = (150, 400)  # a scan's own resolution is used within these bounds
FALLBACK_DPI = 300  # pages without a page-sized image (unmapped glyphs of a born-digital page) are rendered at this
# the default of RunOptions.max_image_pixels (--max-image-pixels): the pixels a page's images may hold together, and
# a page's rendering may have; an A4 scan at 600 dpi has 35 million, an A3 one 70 million
MAX_IMAGE_PIXELS = 100_000_000


@dataclass(frozen=True)
class OcrTuning(Checked):
    """The thresholds of reading a page image (``extract.ocr``). Pixel measures are given at REFERENCE_DPI."""

    auto_dpi_range: tuple = setting(AUTO_DPI_RANGE, RANGE)  # dpi='auto' uses a scan's own resolution within these
    fallback_dpi: int = setting(FALLBACK_DPI, COUNT)  # ... and this for a page without a page-sized image
    background_kernel: int = setting(21, COUNT)  # px: wider than any stroke, narrower than a cell
    skew_limit: float = setting(10.0, NON_NEGATIVE)  # degrees either way a page is looked at for skew
    band_dark: int = setting(110, GREY)  # grey level below which a pixel belongs to a dark band (a title bar)
    band_kernel: tuple = setting((25, 9), SIZE)  # px: what survives an opening with this is a solid area
    band_height: tuple = setting((12, 120), RANGE)  # px: a title bar's height, not a stroke or a picture
    band_min_width: float = setting(0.25, SHARE)  # share of the page width a dark band spans
    band_edge: int = setting(3, COUNT)  # px: the blurred rim around a bar's solid part
    sure_confidence: float = setting(0.8, SHARE)  # a word Tesseract is this sure of is read, not guessed
    poor_reading_words: int = setting(20, COUNT)  # a page of at least this many words ...
    poor_reading_share: float = setting(0.5, SHARE)  # ... less than this share of them sure: read poorly
    osd_min_confidence: float = setting(2.0, NON_NEGATIVE)  # orientation confidence below which a page stays
    rule_level: int = setting(225, GREY)  # a rule pixel is at least this much darker than the background
    rule_contrast: int = setting(25, GREY)  # ... and this much darker than the pixels beside it
    rule_side: int = setting(4, COUNT)  # px away on both sides across the rule
    rule_smooth: int = setting(9, COUNT)  # px: pixels are averaged over this length along the rule
    rule_smooth_sides: int = setting(3, COUNT)  # ... and those beside it over this
    rule_min_length: int = setting(40, COUNT)  # px; and at least 1/25 of the page width
    rule_bridge: int = setting(9, COUNT)  # px: a gap this short between two pieces of a rule is closed
    rule_mask_grow: int = setting(5, COUNT)  # px: the rule mask is widened by this
    rule_max_thickness: int = setting(16, COUNT)  # px: a solid bar of ink up to this thick is a rule too ...
    rule_solid_share: float = setting(0.2, SHARE)  # ... when it runs unbroken over this share of the page's width
    solid_search_dpi: int = setting(100, COUNT)  # solid bars are looked for at about this resolution
    missed_min_width: float = setting(1.6, POSITIVE)  # type sizes: narrower ink left unread is a marker's business
    missed_max_regions: int = setting(24, COUNT)  # more unread regions than this are not read again
    bold_ratio: float = setting(1.2, POSITIVE)  # a word's strokes this much wider than typical: bold


@dataclass(frozen=True)
class MarkerSettings(Checked):
    """How the check and cross markers of a scan are cut out and classified (``ocr.marks``)."""

    votes: int = setting(2, COUNT)  # a glyph with this many check/cross votes but no verdict is unreadable
    pad: int = setting(2, COUNT)  # px at REFERENCE_DPI around a marker's box when it is cut out
    blob_gap: int = setting(2, COUNT)  # px at REFERENCE_DPI between a line's first word and the blob left of it
    blob_min_area: float = setting(6.0, POSITIVE)  # px² at REFERENCE_DPI: smaller specks are dirt
    blob_space: float = setting(0.15, NON_NEGATIVE)  # a marker is followed by a space of this share of the type size


@dataclass(frozen=True)
class OcrSettings(Checked):
    """How pages are OCR'd. Checked on creation; a bad value names itself. Everything here can change an OCR
    reading, and all of it is part of the OCR cache's key."""

    dpi: int | str = "auto"  # "auto": each page at its scan's own resolution (see ``for_page``)
    lang: str = "nld"
    deskew: bool = True
    psm: int = 3
    tuning: OcrTuning = nested(OcrTuning)
    markers: MarkerSettings = nested(MarkerSettings)

    def __post_init__(self):
        if self.dpi != "auto" and not (isinstance(self.dpi, int) and 100 <= self.dpi <= 600):
            raise SettingsError(f"OcrSettings.dpi must be 'auto' or between 100 and 600, not {self.dpi!r}")
        if not isinstance(self.lang, str) or not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", self.lang):
            raise SettingsError(f"OcrSettings.lang must be Tesseract language codes such as 'nld', not {self.lang!r}")
        if not isinstance(self.deskew, bool):
            raise SettingsError(f"OcrSettings.deskew must be true or false, not {self.deskew!r}")
        if self.psm not in (1, 3, 4, 6, 11, 12):
            raise SettingsError(f"OcrSettings.psm must be a page segmentation mode (1, 3, 4, 6, 11, 12), not {self.psm}")
        super().__post_init__()

    @property
    def resolved(self) -> int:
        if self.dpi == "auto":
            raise ValueError("OcrSettings.dpi is 'auto': resolve it for a page with for_page() first")
        return int(self.dpi)

    @property
    def scale(self) -> float:
        """PDF points per pixel."""
        return 72.0 / self.resolved

    def px(self, value_at_reference: float) -> int:
        """A pixel measure given at REFERENCE_DPI, at this resolution (at least 1)."""
        return max(1, round(value_at_reference * self.resolved / REFERENCE_DPI))

    def odd_px(self, value_at_reference: float) -> int:
        """As ``px``, made odd (a kernel with a centre)."""
        value = self.px(value_at_reference)
        return value if value % 2 else value + 1

    def for_page(self, native_dpi: float) -> "OcrSettings":
        """The settings a page is OCR'd with: a fixed dpi as given; 'auto' takes the page image's own resolution
        (``native_dpi``, 0 when the page has no page-sized image) within AUTO_DPI_RANGE."""
        if self.dpi != "auto":
            return self
        return replace(self, dpi=auto_dpi(native_dpi, self.tuning))


def auto_dpi(native_dpi: float, tuning: OcrTuning = OcrTuning()) -> int:
    """The resolution a page is rendered at under dpi='auto'."""
    if native_dpi <= 0:
        return tuning.fallback_dpi
    low, high = tuning.auto_dpi_range
    return int(min(high, max(low, round(native_dpi))))


@dataclass(frozen=True)
class RunOptions(Checked):
    """Settings every document of a run shares (picklable, for worker processes): the stages' settings, and where
    and whether results are kept. ``from_dict`` reads a settings file's sections (``stj run --settings``)."""

    triage: TriageSettings = nested(TriageSettings)
    ocr: OcrSettings = nested(OcrSettings)
    read: ReadSettings = nested(ReadSettings)
    repair: RepairSettings = nested(RepairSettings)
    layout: LayoutSettings = nested(LayoutSettings)
    matching: MatchingSettings = nested(MatchingSettings)
    align: AlignSettings = nested(AlignSettings)
    cache_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "stj-extract-ocr")
    use_results_cache: bool = True  # finished documents are kept in cache_dir/results and not extracted again
    max_pages: int = setting(MAX_PAGES, COUNT)  # a document of more pages fails before any page is read
    max_image_pixels: int = setting(MAX_IMAGE_PIXELS, COUNT)  # a page whose images (or rendering) hold more: refused
    # the series description the documents belong to (--series); None: $STJ_SERIES, else STJ's (models/)
    series_file: Path | None = None


STAGES = ("triage", "read", "ocr", "repair", "layout", "matching", "align")  # the sections of a settings file
