"""Per-file limits: a document of more than ``RunOptions.max_pages`` pages fails before any page is read; a page whose
images hold more than ``RunOptions.max_image_pixels`` pixels (a decompression bomb: 15000x15000 pixels in 220 kB),
or whose rendering would, is refused without being decoded, and memory stays bounded; a page whose content would
decompress to more than the reader allows is not read."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract.core.errors import ImageTooLargeError, TooManyPagesError, TruncatedPdfError
from extract.core.settings import MAX_IMAGE_PIXELS, MAX_PAGES, OcrSettings, RunOptions
from extract.ocr.image import check_pixels
from extract.read import damage
from extract.read import pdf as read
from extract.read.pdf import read_pdf
from extract.read.source import quick_facts
from extract.run.pipeline import ocr_tasks, process_document
from tests.builders import build_pdf
from tests.conftest import ROOT
from tests.synth import make_factsheet

A4_POINTS = (595.28, 841.89)


def _deflated(size: int, byte: bytes = b"\xff") -> bytes:
    """``size`` copies of ``byte``, flate-compressed a megabyte at a time (fast, and small: ~1000:1)."""
    packer, block, parts = zlib.compressobj(6), byte * (1 << 20), []
    while size > 0:
        parts.append(packer.compress(block if size >= len(block) else block[:size]))
        size -= len(block)
    return b"".join(parts) + packer.flush()


def image_pdf(path: Path, width: int, height: int, page: tuple[float, float] = A4_POINTS,
              text: list[str] | None = None, content_bytes: int = 0) -> Path:
    """A one-page PDF written by hand: a white ``width`` x ``height`` 8-bit grey image (flate-compressed, as a
    scanner would write it) covering the page, optionally lines of text over it, and optionally a content stream
    padded with ``content_bytes`` spaces (a content decompression bomb). A 15000x15000 image takes about a second
    to make and 220 kB on disk."""
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q\n" % page
    if text:
        content += b"BT /F1 11 Tf 72 760 Td 14 TL " + b" ".join(b"(%s) '" % t.encode() for t in text) + b" ET\n"
    if content_bytes:
        data = _bomb_content(content, content_bytes)
        content_stream = b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
    else:
        content_stream = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    pixels = _deflated(width * height)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R"
        b" >> /Font << /F1 6 0 R >> >> >>" % page,
        content_stream,
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 "
        b"/Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(pixels)) + pixels + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    path.write_bytes(build_pdf(objects))
    return path


def _bomb_content(content: bytes, padding: int) -> bytes:
    """``content`` followed by ``padding`` spaces, flate-compressed."""
    packer = zlib.compressobj(6)
    parts = [packer.compress(content)]
    block = b" " * (1 << 20)
    while padding > 0:
        parts.append(packer.compress(block if padding >= len(block) else block[:padding]))
        padding -= len(block)
    return b"".join(parts) + packer.flush()


def text_pages_pdf(path: Path, pages: int, images: bool = False) -> Path:
    """``pages`` pages of one line of text each (reportlab), or of a small grey box and no text (``images``)."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        if images:
            from PIL import Image

            pdf.drawInlineImage(Image.new("L", (60, 80), 128), 0, 0, A4[0], A4[1])
        else:
            pdf.drawString(72, 760, f"Pagina {number} van het jaarverslag")
        pdf.showPage()
    pdf.save()
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 15000x15000 image filling an A4 page (no text): 225 million pixels, 225 MB decoded, 220 kB on disk."""
    started = time.monotonic()
    path = image_pdf(tmp_path_factory.mktemp("bomb") / "bomb.pdf", 15000, 15000)
    assert time.monotonic() - started < 10 and path.stat().st_size < 1_000_000
    return path


# ---------------------------------------------------------------- pages


def test_defaults():
    options = RunOptions()
    assert (options.max_pages, options.max_image_pixels) == (MAX_PAGES, MAX_IMAGE_PIXELS) == (500, 100_000_000)
    assert 4961 * 7016 * 2 < MAX_IMAGE_PIXELS < 15000 * 15000  # an A4 scan at 600 dpi, twice over; not the bomb


def test_document_over_max_pages_fails_before_reading_a_page(tmp_path, monkeypatch):
    path = text_pages_pdf(tmp_path / "jaarverslag.pdf", 501)
    pages_read = []
    real = read.read_page
    monkeypatch.setattr(read, "read_page", lambda page, number: pages_read.append(number) or real(page, number))
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "failed"
    assert result.errors == ["The PDF has 501 pages, more than --max-pages 500; raise --max-pages to allow it."]
    assert pages_read == []


def test_max_pages_is_an_option(tmp_path):
    path = text_pages_pdf(tmp_path / "vier.pdf", 4)
    with pytest.raises(TooManyPagesError, match="has 4 pages, more than --max-pages 3; raise --max-pages"):
        read_pdf(path, max_pages=3)
    assert len(read_pdf(path, max_pages=4).pages) == 4
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache", max_pages=4))
    assert result.status == "skipped"  # read, and found to be no document of the series


def test_ocr_is_not_planned_for_a_document_over_max_pages(tmp_path):
    path = text_pages_pdf(tmp_path / "scans.pdf", 4, images=True)
    with pytest.raises(TooManyPagesError):
        quick_facts(path, max_pages=3)
    assert ocr_tasks([path], RunOptions(cache_dir=tmp_path / "cache", max_pages=3)) == []
    assert len(ocr_tasks([path], RunOptions(cache_dir=tmp_path / "cache", max_pages=4))) == 4


def test_ocr_is_planned_largest_page_first(tmp_path):
    """A5 pages scanned at 150 dpi, then A4 at 300 and at 150: the A4-300 pages come first, then A4-150, then A5."""
    def scanned(name: str, size: tuple[float, float], dpi: int, pages: int) -> Path:
        from PIL import Image

        pdf = canvas.Canvas(str(tmp_path / name), pagesize=size)
        for _ in range(pages):
            pixels = (round(size[0] / 72 * dpi), round(size[1] / 72 * dpi))
            pdf.drawInlineImage(Image.new("L", pixels, 200), 0, 0, size[0], size[1])
            pdf.showPage()
        pdf.save()
        return tmp_path / name

    a5 = scanned("a5.pdf", (A4_POINTS[0] / 2 ** 0.5, A4_POINTS[1] / 2 ** 0.5), 150, 2)
    a4_low = scanned("a4-150.pdf", A4_POINTS, 150, 2)
    a4_high = scanned("a4-300.pdf", A4_POINTS, 300, 1)
    tasks = ocr_tasks([a5, a4_low, a4_high], RunOptions(cache_dir=tmp_path / "cache"))
    assert [(path.name, page) for path, _, page, _ in tasks] == [
        ("a4-300.pdf", 1), ("a4-150.pdf", 1), ("a4-150.pdf", 2), ("a5.pdf", 1), ("a5.pdf", 2)]


# ---------------------------------------------------------------- page images


def test_image_over_the_pixel_budget_is_refused(bomb, tmp_path):
    result = process_document(bomb, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "failed"  # its only page could not be read
    assert result.errors == [
        "page 1: an image of 15000x15000 pixels (225 million) is more than --max-image-pixels 100000000 allows; "
        "not decoded (raise --max-image-pixels to allow it)"]


@pytest.mark.slow  # a fresh interpreter as a subprocess
def test_memory_stays_bounded_on_a_decompression_bomb(bomb, tmp_path):
    """In a fresh interpreter: the peak resident size grows by far less than the 225 MB the image decodes to."""
    script = (
        "import json, resource, sys\n"
        "from pathlib import Path\n"
        "from extract.core.settings import RunOptions\n"
        "from extract.run.pipeline import process_document\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"result = process_document(Path({str(bomb)!r}), RunOptions(cache_dir=Path({str(tmp_path / 'c')!r})))\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'grew_kb': after - before, 'status': result.status}))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    assert outcome["status"] == "failed"
    assert outcome["grew_kb"] < 64 * 1024, outcome  # decoding it would take 225 MB (grey) or more


@pytest.mark.slow  # typesets a factsheet and extracts it with the bomb page (the fast layer keeps the bomb alone)
def test_bomb_page_in_a_real_document_makes_it_partial(bomb, tmp_path):
    factsheet = tmp_path / "factsheet.pdf"
    expected = make_factsheet(factsheet, rng_seed=3)
    merged = pdfium.PdfDocument.new()
    for part in (factsheet, bomb):
        merged.import_pages(pdfium.PdfDocument(str(part)))
    merged.save(str(tmp_path / "with-bomb.pdf"))
    result = process_document(tmp_path / "with-bomb.pdf", RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial"
    last = result.pages
    assert [e for e in result.errors if "max-image-pixels" in e] == [
        f"page {last}: an image of 15000x15000 pixels (225 million) is more than --max-image-pixels 100000000 "
        "allows; not decoded (raise --max-image-pixels to allow it)"]
    assert len(result.findings) == len(expected.findings)


@pytest.mark.slow  # makes a second 15000x15000 image and extracts its page (the fast layer keeps the bomb refused)
def test_a_bomb_under_a_text_layer_is_never_decoded(tmp_path):
    """A page with a text layer is read from it: its image is neither decoded nor refused."""
    path = image_pdf(tmp_path / "tekst.pdf", 15000, 15000, text=["Jaarverslag van de voetbalvereniging"] * 6)
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "skipped", result.errors


def test_the_budget_is_an_option(tmp_path):
    path = image_pdf(tmp_path / "scan.pdf", 2480, 3508)  # A4 at 300 dpi: 8.7 million pixels
    page = pdfium.PdfDocument(str(path))[0]
    check_pixels(page, 1, 300, MAX_IMAGE_PIXELS)
    with pytest.raises(ImageTooLargeError, match=r"2480x3508 pixels \(9 million\) is more than "
                                                 r"--max-image-pixels 5000000"):
        check_pixels(page, 1, 300, 5_000_000)
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache", max_image_pixels=5_000_000))
    assert result.status == "failed" and "--max-image-pixels 5000000" in result.error


def test_a_600_dpi_a4_scan_is_admitted(tmp_path):
    """An A4 page scanned at 600 dpi (4961x7016: 34.8 million pixels) passes the default budget, rendered at 400 dpi
    too; its image is counted (a budget one pixel short of it refuses the page), so passing is no blind spot."""
    path = image_pdf(tmp_path / "scan600.pdf", 4961, 7016)
    page = pdfium.PdfDocument(str(path))[0]
    assert check_pixels(page, 1, 400, MAX_IMAGE_PIXELS) is None
    with pytest.raises(ImageTooLargeError, match=r"4961x7016 pixels \(35 million\) is more than "
                                                 r"--max-image-pixels 34806375"):
        check_pixels(page, 1, 72, 4961 * 7016 - 1)


def test_a_page_too_large_to_render_is_refused(tmp_path):
    """A page of 5 x 5 metres: a small image on it, but rendering it would take 200 million pixels or more."""
    path = image_pdf(tmp_path / "poster.pdf", 100, 100, page=(14400.0, 14400.0))
    with pytest.raises(ImageTooLargeError, match=r"rendered at 150 dpi it would be 30000x30000 pixels"):
        check_pixels(pdfium.PdfDocument(str(path))[0], 1, 150, MAX_IMAGE_PIXELS)
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache", ocr=OcrSettings(dpi=150)))
    assert result.status == "failed" and "not rendered (raise --max-image-pixels" in result.error


def test_content_that_decompresses_beyond_the_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(damage, "MAX_CONTENT_BYTES", 4 << 20)
    path = image_pdf(tmp_path / "content-bomb.pdf", 10, 10, content_bytes=8 << 20)
    with pytest.raises(TruncatedPdfError, match=r"page 1: its content decompresses to more than 4 MB"):
        read_pdf(path)


def test_the_audit_does_not_render_a_page_over_the_budget(bomb):
    from extract.analysis.audit_images import render_page

    assert render_page(pdfium.PdfDocument(str(bomb)), str(bomb), 1, whole=True) == (None, None)
