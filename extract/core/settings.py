"""The settings of a run: ``RunOptions`` and the stage settings gathered under it, each checked on creation."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_PAGES = 500  # the default of RunOptions.max_pages (--max-pages)
REFERENCE_DPI = 200  # the pixel measures in this module are given at this resolution (see OcrSettings.px)
AUTO_DPI_RANGE = (150, 400)  # a scan's own resolution is used within these bounds
FALLBACK_DPI = 300  # pages without a page-sized image (unmapped glyphs of a born-digital page) are rendered at this
# the default of RunOptions.max_image_pixels (--max-image-pixels): the pixels a page's images may hold together, and
# a page's rendering may have; an A4 scan at 600 dpi has 35 million, an A3 one 70 million
MAX_IMAGE_PIXELS = 100_000_000


@dataclass(frozen=True)
class OcrSettings:
    """How pages are OCR'd. Checked on creation; a bad value names itself."""

    dpi: int | str = "auto"  # "auto": each page at its scan's own resolution (see ``for_page``)
    lang: str = "nld"
    deskew: bool = True
    psm: int = 3

    def __post_init__(self):
        if self.dpi != "auto" and not (isinstance(self.dpi, int) and 100 <= self.dpi <= 600):
            raise ValueError(f"OcrSettings.dpi must be 'auto' or between 100 and 600, not {self.dpi!r}")
        if not re.fullmatch(r"[a-z_]{3,}(\+[a-z_]{3,})*", self.lang):
            raise ValueError(f"OcrSettings.lang must be Tesseract language codes such as 'nld', not {self.lang!r}")
        if self.psm not in (1, 3, 4, 6, 11, 12):
            raise ValueError(f"OcrSettings.psm must be a page segmentation mode (1, 3, 4, 6, 11, 12), not {self.psm}")

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
        return replace(self, dpi=auto_dpi(native_dpi))


def auto_dpi(native_dpi: float) -> int:
    """The resolution a page is rendered at under dpi='auto'."""
    if native_dpi <= 0:
        return FALLBACK_DPI
    low, high = AUTO_DPI_RANGE
    return int(min(high, max(low, round(native_dpi))))

@dataclass(frozen=True)
class RunOptions:
    """Settings every document of a run shares (picklable, for worker processes)."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    cache_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "stj-extract-ocr")
    use_results_cache: bool = True  # finished documents are kept in cache_dir/results and not extracted again
    max_pages: int = MAX_PAGES  # a document of more pages fails before any page is read (--max-pages)
    max_image_pixels: int = MAX_IMAGE_PIXELS  # a page whose images (or its rendering) hold more is not rendered
