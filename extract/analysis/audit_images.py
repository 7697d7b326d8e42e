"""The audit's images: for each card a JPEG crop of its page region with its boxes drawn (the finding's blue, its
marker's red, its column header's dashed blue: taken into the crop when close above, else stacked over it as a strip
with a band saying where it is), one smaller JPEG per page shared by its cards (no boxes: the review page draws them,
from ``page_boxes``), and the whole page of each page that lost rows. Pages are rendered once each, document by
document in page order (``render_document``), every image of a page written as it is made, and the page let go
before the next: memory holds one page whatever the batch. ``make_images`` shares the documents over worker
processes; the queue's order is the caller's (``audit.build_audit``), the grouping is for rendering only.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from extract.core.errors import ImageTooLargeError
from extract.core.settings import MAX_IMAGE_PIXELS
from extract.ocr.image import check_pixels
from extract.read.pdfium_open import PdfiumRefusal, load_pdfium
from extract.run.executor import make_executor

log = logging.getLogger(__name__)

RENDER_SCALE = 2.0  # 144 dpi crops
MARGIN = 60.0  # points above and below the finding's box
PAGE_WIDTH = 900  # pixels of the whole-page JPEG a card opens (one per page; the page draws the boxes over it)
CROP_QUALITY = 85  # JPEG quality of the crops and of the pages that lost rows (bench_audit.py: text read alike)
PAGE_QUALITY = 80  # JPEG quality of the whole-page images
HEADER_COLUMNS = ("header_page", "header_x0", "header_top", "header_x1", "header_bottom")
HEADER_REACH = 200.0  # points: a column header at most this far above the finding's box is taken into the crop
HEADER_PAD = 4.0  # points kept around the header cell in the strip stacked over a crop
FINDING_COLOUR, MARKER_COLOUR = (30, 90, 220), (220, 30, 30)
STRIP_BAND = 28  # pixels of the band between a header strip and the crop below it, saying where the header is


@dataclass(frozen=True)
class CardImage:
    """What a card's images are made from: the finding's box and its marker's on ``page`` (points, the page's
    frame), and the column header cell its aanpak and year were read from (header page, x0, top, x1, bottom)."""
    finding_id: str
    page: int
    box: tuple[float, float, float, float]
    marker: tuple[float, float, float, float] | None = None
    header: tuple[int, float, float, float, float] | None = None


@dataclass
class DocumentJob:
    """The images of one document's cards and of its pages that lost rows, made in one go (``render_document``)."""
    doc_id: str
    path: str
    staging: str  # the audit folder being written; images go in its img/
    cards: list[CardImage] = field(default_factory=list)  # in queue order
    gap_pages: list[int] = field(default_factory=list)
    max_pixels: int = MAX_IMAGE_PIXELS

    def pages(self) -> list[int]:
        """The pages to render, each once: those of the cards, of the gaps, and of the header strips."""
        strips = {c.header[0] for c in self.cards if c.header and not header_in_crop(c)}
        return sorted({c.page for c in self.cards} | set(self.gap_pages) | strips)

    def __repr__(self) -> str:  # the executor logs the item of a worker that died: its path, not every card
        return f"DocumentJob({self.path})"


@dataclass
class DocumentImages:
    """What ``render_document`` wrote: per card {image, page_image, page_boxes}; per page that lost rows its image."""
    cards: dict[str, dict] = field(default_factory=dict)
    gaps: dict[int, str] = field(default_factory=dict)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _box(row, names: tuple[str, str, str, str]) -> tuple[float, float, float, float] | None:
    box = tuple(_number(getattr(row, name, "")) for name in names)
    if any(v is None for v in box) or box[2] < box[0] or box[3] < box[1]:
        return None
    return box


def card_image(row) -> CardImage:
    """The geometry of a findings row (a row of findings.csv): the header cell only when its columns are there and
    filled (output folders written before they existed have none)."""
    header = None
    page = _number(getattr(row, "header_page", ""))
    cell = _box(row, HEADER_COLUMNS[1:])
    if page is not None and page >= 1 and cell is not None:
        header = (int(page), *cell)
    return CardImage(row.finding_id, int(row.page), _box(row, ("x0", "top", "x1", "bottom")) or (0.0, 0.0, 0.0, 0.0),
                     _box(row, ("marker_x0", "marker_top", "marker_x1", "marker_bottom")), header)


def header_in_crop(card: CardImage) -> bool:
    """The card's column header is on its page, at most ``HEADER_REACH`` points above the finding's box and not
    below the crop: the crop is widened upwards to take it in. Else (further up, or on an earlier page, a table
    continued over pages) a strip of it is stacked over the crop."""
    h = card.header
    return (h is not None and h[0] == card.page and h[2] >= card.box[1] - HEADER_REACH
            and h[4] <= card.box[3] + MARGIN)


def render_page(pdf: pdfium.PdfDocument, path: str, number: int, max_pixels: int = MAX_IMAGE_PIXELS,
                whole: bool = False) -> tuple[Image.Image | None, Image.Image | None]:
    """Page ``number`` of ``pdf`` at ``RENDER_SCALE`` and, with ``whole``, at ``PAGE_WIDTH`` pixels wide (rendered
    so rather than downscaled: sharper, and faster for a text page); (None, None) and a warning when it cannot be
    rendered or would be a decompression bomb (its images, or its rendering, over ``max_pixels`` pixels)."""
    try:
        if number < 1:
            raise IndexError(f"no page {number}")
        page = pdf[number - 1]
        try:
            check_pixels(page, number, round(RENDER_SCALE * 72), max_pixels)  # no decompression bomb
            image = _pil(page.render(scale=RENDER_SCALE))
            small = None
            if whole:
                scale = min(RENDER_SCALE, PAGE_WIDTH / max(1.0, image.width / RENDER_SCALE))
                small = _pil(page.render(scale=scale)) if scale < RENDER_SCALE else image
            return image, small
        finally:
            page.close()
    except ImageTooLargeError as exc:
        log.warning("not rendering %s page %d: %s", path, number, exc.message)
    except (pdfium.PdfiumError, OSError, IndexError, ValueError) as exc:
        log.warning("cannot render %s page %d: %s", path, number, exc)
    return None, None


def render_file_page(path: str, number: int, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image | None:
    """Page ``number`` of the PDF at ``path`` at ``RENDER_SCALE``, the file opened for it alone (``stj serve``'s
    crops); None, with a warning, as for ``render_page``."""
    try:
        pdf = load_pdfium(path)
    except (PdfiumRefusal, OSError) as exc:
        log.warning("cannot open %s: %s", path, exc)
        return None
    try:
        return render_page(pdf, path, number, max_pixels)[0]
    finally:
        pdf.close()


def _pil(bitmap: pdfium.PdfBitmap) -> Image.Image:
    image = bitmap.to_pil()
    return image if image.mode == "RGB" else image.convert("RGB")


def render_document(job: DocumentJob) -> DocumentImages:
    """Render each page of ``job.pages()`` once, in page order, make every image wanted of it (written at once:
    the crops of its cards, its whole-page image, the strips of the column headers on it), and let it go: memory
    holds one page (and the small header strips) whatever the batch. Runs in a worker process (``stj audit -j``)."""
    done = DocumentImages()
    by_page: dict[int, list[CardImage]] = {}
    wanted: dict[int, set] = {}  # header page -> the header cells to cut out of it
    for card in job.cards:
        by_page.setdefault(card.page, []).append(card)
        if card.header and not header_in_crop(card):
            wanted.setdefault(card.header[0], set()).add(card.header)
    strips: dict[tuple, Image.Image | None] = {}
    try:
        pdf = load_pdfium(job.path)
    except (PdfiumRefusal, OSError) as exc:
        log.warning("cannot open %s: %s", job.path, exc)
        return done
    try:
        for number in job.pages():
            _page_images(pdf, job, number, by_page.get(number, []), wanted.get(number, set()), strips, done)
    finally:
        pdf.close()
    return done


def _page_images(pdf: pdfium.PdfDocument, job: DocumentJob, number: int, cards: list[CardImage], headers: set,
                 strips: dict, done: DocumentImages) -> None:
    """Everything made of page ``number``: the strips of ``headers`` (kept in ``strips``), its image when it lost
    rows, its whole-page image and the crops of ``cards``; the rendered page is let go on return."""
    staging = Path(job.staging)
    image, small = render_page(pdf, job.path, number, job.max_pixels, whole=bool(cards))
    if image is None:
        strips.update((header, None) for header in headers)
        return
    strips.update((header, header_strip(image, header)) for header in headers)
    if number in job.gap_pages:
        done.gaps[number] = f"img/pages/gap-{job.doc_id}-{number}.jpg"
        image.save(staging / done.gaps[number], quality=CROP_QUALITY)
    if not cards:
        return
    whole = f"img/pages/{job.doc_id}-{number}.jpg"
    small.save(staging / whole, quality=PAGE_QUALITY)
    for card in cards:
        strip = None
        if card.header and not header_in_crop(card):
            if card.header not in strips:  # a header on a later page than its row: rendered for it alone
                other, _ = render_page(pdf, job.path, card.header[0], job.max_pixels)
                strips[card.header] = header_strip(other, card.header) if other is not None else None
                del other
            strip = strips[card.header]
        picture = f"img/{card.finding_id}.jpg"
        crop_card(image, card, strip).save(staging / picture, quality=CROP_QUALITY)
        done.cards[card.finding_id] = {"image": picture, "page_image": whole,
                                       "page_boxes": page_boxes(card, image.width / RENDER_SCALE,
                                                                image.height / RENDER_SCALE)}


def _outline(draw: ImageDraw.ImageDraw, box, colour, width: int, dash: int = 0) -> None:
    """A rectangle, solid or (``dash`` pixels on, as many off) dashed."""
    if not dash:
        draw.rectangle(box, outline=colour, width=width)
        return
    x0, y0, x1, y1 = box
    for a, b, fixed, across in ((x0, x1, y0, True), (x0, x1, y1 - width + 1, True),
                                (y0, y1, x0, False), (y0, y1, x1 - width + 1, False)):
        start = a
        while start < b:
            end = min(b, start + dash)
            draw.rectangle((start, fixed, end, fixed + width - 1) if across else (fixed, start, fixed + width - 1, end),
                           fill=colour)
            start += 2 * dash


def _draw_boxes(image: Image.Image, card: CardImage, s: float, top: float = 0.0, header: bool = False) -> None:
    """The finding's box (blue), its marker's box (red) and, with ``header``, its column header's (dashed blue), at
    scale ``s``, ``top`` pixels cut off above."""
    draw = ImageDraw.Draw(image)
    width = max(2, round(1.5 * s))

    def pixels(box):
        return [box[0] * s - 3, box[1] * s - top - 3, box[2] * s + 3, box[3] * s - top + 3]

    _outline(draw, pixels(card.box), FINDING_COLOUR, width)
    if card.marker:
        _outline(draw, pixels(card.marker), MARKER_COLOUR, width)
    if header and card.header:
        _outline(draw, pixels(card.header[1:]), FINDING_COLOUR, width, dash=round(5 * s))


def header_strip(image: Image.Image, header: tuple[int, float, float, float, float]) -> Image.Image:
    """The band of the page across its width from the top to the bottom of the header cell (a few points more),
    the cell's box dashed: the column over the finding keeps its place across the page."""
    s = RENDER_SCALE
    top = max(0.0, header[2] - HEADER_PAD) * s
    bottom = min(float(image.height), (header[4] + HEADER_PAD) * s)
    strip = image.crop((0, int(top), image.width, max(int(top) + 1, int(bottom))))
    _outline(ImageDraw.Draw(strip), [header[1] * s - 3, header[2] * s - top - 3, header[3] * s + 3,
                                     header[4] * s - top + 3], FINDING_COLOUR, max(2, round(1.5 * s)),
             dash=round(5 * s))
    return strip


_FONT = None


def _font():
    global _FONT
    if _FONT is None:
        try:
            _FONT = ImageFont.load_default(size=18)
        except (TypeError, OSError):  # a Pillow without FreeType: its small bitmap font
            _FONT = ImageFont.load_default()
    return _FONT


def crop_card(image: Image.Image, card: CardImage, strip: Image.Image | None = None) -> Image.Image:
    """The page's full width from ``MARGIN`` points above the finding's box to as far below it, with its boxes; a
    column header close above is taken in (the crop starts above it), one further away (``strip``: from
    ``header_strip``) is stacked over the crop with a band between them saying where it is."""
    s = RENDER_SCALE
    first = max(0.0, card.box[1] - MARGIN)
    near = header_in_crop(card)
    if near:
        first = min(first, max(0.0, card.header[2] - HEADER_PAD - 2))
    top = first * s
    bottom = min(float(image.height), (card.box[3] + MARGIN) * s)
    crop = image.crop((0, int(top), image.width, max(int(top) + 1, int(bottom))))
    _draw_boxes(crop, card, s, int(top), header=near)
    if strip is None:
        return crop
    stacked = Image.new("RGB", (max(strip.width, crop.width), strip.height + STRIP_BAND + crop.height), "white")
    stacked.paste(strip, (0, 0))
    draw = ImageDraw.Draw(stacked)
    band = strip.height
    draw.rectangle((0, band, stacked.width, band + STRIP_BAND - 1), fill=(228, 230, 236))
    draw.line((0, band, stacked.width, band), fill=(120, 124, 136), width=2)
    draw.line((0, band + STRIP_BAND - 2, stacked.width, band + STRIP_BAND - 2), fill=(120, 124, 136), width=2)
    where = "further up this page" if card.header[0] == card.page else f"page {card.header[0]}"
    draw.text((8, band + 4), f"above: the column header ({where}) · below: the finding", fill=(30, 34, 46),
              font=_font())
    stacked.paste(crop, (0, band + STRIP_BAND))
    return stacked


def page_boxes(card: CardImage, width: float, height: float) -> dict[str, list[float]]:
    """The card's boxes as fractions of the page's width and height ([left, top, right, bottom]): the finding's, its
    marker's, and its column header's when on the same page; drawn by the review page over the whole-page image."""
    def share(box):
        return [round(box[0] / width, 5), round(box[1] / height, 5), round(box[2] / width, 5),
                round(box[3] / height, 5)]

    boxes = {"finding": share(card.box)}
    if card.marker:
        boxes["marker"] = share(card.marker)
    if card.header and card.header[0] == card.page:
        boxes["header"] = share(card.header[1:])
    return boxes


Progress = Callable[[int, int, int, int], None]  # (cards done, cards in all, pages done, pages in all)


def make_images(documents: list[DocumentJob], jobs: int | None, progress: Progress | None = None
                ) -> Iterator[tuple[DocumentJob, DocumentImages]]:
    """Each document's images, made over ``jobs`` processes (0 or None: one per core; 1: in this one), as the
    documents are done; ``progress`` is told after each."""
    total_cards = sum(len(j.cards) + len(j.gap_pages) for j in documents)
    total_pages = sum(len(j.pages()) for j in documents)
    executor = make_executor(jobs if len(documents) > 1 else 1)

    def lost(job: DocumentJob, reason) -> DocumentImages:  # its worker died: its cards show no picture
        return DocumentImages()

    cards = pages = 0
    if progress:
        progress(cards, total_cards, pages, total_pages)
    for job, images in zip(documents, executor.map(render_document, documents, on_failure=lost)):
        cards += len(job.cards) + len(job.gap_pages)
        pages += len(job.pages())
        if progress:
            progress(cards, total_cards, pages, total_pages)
        yield job, images
