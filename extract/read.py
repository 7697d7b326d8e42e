"""Stage 1, read: open a PDF, hash it, and collect every page's words (with positions and fonts) and ruling lines.

This is where library errors of pdfminer/pdfplumber enter and are translated, once, into ``StjError`` subclasses.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from .errors import EmptyFileError, EncryptedPdfError, NotPdfError, TruncatedPdfError
from .records import Page, Rule, SourceDocument, Word

log = logging.getLogger(__name__)

WORD_ATTRS = ["fontname", "size"]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_pdf_header(path: Path) -> None:
    """Raise for an empty file or one that is not a PDF at all (cheap, before any parsing)."""
    size = path.stat().st_size
    if size == 0:
        raise EmptyFileError()
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise NotPdfError()


def _translate(exc: Exception) -> Exception:
    """Map a pdfminer/pdfplumber exception onto the StjError it means."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
        return EncryptedPdfError()
    detail = f"{type(inner).__name__}: {str(inner)[:80] or 'no detail'}"
    return TruncatedPdfError(f"The PDF is damaged or truncated and cannot be read ({detail}); download it again.")


def page_words(page: pdfplumber.page.Page, number: int) -> list[Word]:
    raw = page.extract_words(extra_attrs=WORD_ATTRS, keep_blank_chars=False, x_tolerance=1.5, y_tolerance=2)
    return [
        Word(text=w["text"], x0=w["x0"], x1=w["x1"], top=w["top"], bottom=w["bottom"], page=number,
             fontname=w.get("fontname", ""), size=float(w.get("size", 0.0)))
        for w in raw
        if w["text"].strip()
    ]


def page_rules(page: pdfplumber.page.Page, number: int) -> list[Rule]:
    """Ruling lines: drawn lines plus the edges of rectangles (cell borders and row shading both bound rows)."""
    rules = [Rule(l["x0"], l["top"], l["x1"], l["bottom"], number) for l in page.lines]
    for r in page.rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        if bottom - top <= 2 or x1 - x0 <= 2:
            rules.append(Rule(x0, top, x1, bottom, number))
            continue
        rules += [Rule(x0, top, x1, top, number), Rule(x0, bottom, x1, bottom, number),
                  Rule(x0, top, x0, bottom, number), Rule(x1, top, x1, bottom, number)]
    return rules


def read_pdf(path: Path) -> SourceDocument:
    """Open ``path`` and read the text layer of every page. Raises an StjError for unusable input."""
    check_pdf_header(path)
    sha = file_sha256(path)
    pages: list[Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            for number, plumber_page in enumerate(pdf.pages, start=1):
                pages.append(read_page(plumber_page, number))
    except (PdfminerException, PDFSyntaxError, PSException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _translate(exc) from exc
    except (ValueError, KeyError, TypeError, AttributeError, AssertionError, IndexError) as exc:
        # pdfminer reports many kinds of damage as generic Python errors
        raise _translate(exc) from exc
    if not pages:
        raise TruncatedPdfError("The PDF has no pages; download it again.")
    return SourceDocument(path=str(path), source_file=path.name, sha256=sha, pages=pages)


def read_page(plumber_page: pdfplumber.page.Page, number: int) -> Page:
    page = Page(number=number, width=float(plumber_page.width), height=float(plumber_page.height),
                has_images=bool(plumber_page.images))
    try:
        page.words = page_words(plumber_page, number)
        page.rules = page_rules(plumber_page, number)
    except (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        page.error = f"page {number}: the page could not be read ({type(exc).__name__})"
        log.warning(page.error)
    return page
