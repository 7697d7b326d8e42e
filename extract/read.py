"""Stage 1, read: open a PDF, hash it, and collect every page's words (with positions and fonts) and ruling lines.

This is where library errors of pdfminer/pdfplumber enter and are translated, once, into ``StjError`` subclasses.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from pathlib import Path

import pdfplumber
from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.pdftypes import (LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE, PDFStream,
                               resolve1)
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from .errors import (ContentTooLargeError, EmptyFileError, EncryptedPdfError, NotPdfError, StjError,
                     TooManyPagesError, TruncatedPdfError)
from .records import Page, Rule, SourceDocument, Word

log = logging.getLogger(__name__)

WORD_ATTRS = ["fontname", "size"]
MAX_PAGES = 500  # the default of RunOptions.max_pages (--max-pages)
MAX_CONTENT_BYTES = 64 << 20  # a page's content streams decompress to at most this (a dense real page: under 1 MB)
TEXT_DECODERS = {**{name: ascii85decode for name in LITERALS_ASCII85_DECODE},
                 **{name: asciihexdecode for name in LITERALS_ASCIIHEX_DECODE}}
# what pdfminer raises, besides its own errors, on a damaged file (a page tree nested too deep: RecursionError)
DAMAGE = (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
          AssertionError, IndexError, ZeroDivisionError, OverflowError, RecursionError)


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


def _inner(exc: Exception) -> Exception:
    """The pdfminer exception a pdfplumber one wraps."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    return inner if isinstance(inner, BaseException) else exc


def _detail(exc: Exception) -> str:
    """"Type: message" of the underlying exception, on one line and short."""
    inner = _inner(exc)
    text = " ".join(str(inner).split())[:80]
    return f"{type(inner).__name__}: {text or 'no detail'}"


def _translate(exc: Exception) -> Exception:
    """Map a pdfminer/pdfplumber exception onto the StjError it means."""
    inner = _inner(exc)
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(inner).lower():
        return EncryptedPdfError()
    return TruncatedPdfError(f"The PDF is damaged or truncated and cannot be read ({_detail(exc)}); download it "
                             "again.")


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


def read_pdf(path: Path, max_pages: int = MAX_PAGES) -> SourceDocument:
    """Open ``path`` and read the text layer of every page. Raises an StjError for unusable input, and
    ``TooManyPagesError`` (before any page is read) for a document of more than ``max_pages`` pages."""
    check_pdf_header(path)
    sha = file_sha256(path)
    pages: list[Page] = []
    try:
        with pdfplumber.open(path) as pdf:
            found = sum(1 for _ in PDFPage.create_pages(pdf.doc))
            if found > max_pages:
                raise TooManyPagesError.of(found, max_pages)
            for number, plumber_page in enumerate(pdf.pages, start=1):
                pages.append(read_page(plumber_page, number))
                plumber_page.close()  # let go of its parsed objects: memory stays flat over any page count
            declared = declared_pages(pdf.doc)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise _translate(exc) from exc
    except DAMAGE as exc:  # pdfminer reports many kinds of damage as generic Python errors
        raise _translate(exc) from exc
    if not pages:
        raise TruncatedPdfError("The PDF has no pages; download it again.")
    if all(p.error and not p.words and not p.has_images for p in pages):  # damage everywhere: say so, not "no text"
        raise TruncatedPdfError(f"The PDF is damaged: no page could be read ({pages[0].error}); download it "
                                "again.")
    if declared > len(pages):  # a page object lost (deleted, or the cross-reference to it broken)
        last = pages[-1]
        note = (f"the PDF lists {declared} pages but only {len(pages)} could be found (the file is damaged; "
                "download it again)")
        last.error = f"{last.error}; {note}" if last.error else note
        log.warning(note)
    return SourceDocument(path=str(path), source_file=path.name, sha256=sha, pages=pages)


def declared_pages(document) -> int:
    """The page count the page tree's root states (/Count), 0 when it states none that makes sense."""
    try:
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except (AttributeError, TypeError, ValueError, KeyError, PSException, PdfminerException):
        return 0
    return count if isinstance(count, int) and count > 0 else 0


def read_page(plumber_page: pdfplumber.page.Page, number: int) -> Page:
    """One page's words and rules. Damage confined to the page (its content missing or broken, a font that cannot
    be read) becomes the page's ``error``, and the rest of the document is read."""
    page = Page(number=number, width=float(plumber_page.width), height=float(plumber_page.height))
    try:
        page.error = content_damage(plumber_page.page_obj, number)
        page.has_images = bool(plumber_page.images)
        page.words = page_words(plumber_page, number)
        page.rules = page_rules(plumber_page, number)
    except StjError as exc:
        page.error = exc.message
        log.warning(page.error)
    except DAMAGE as exc:
        page.error = f"page {number}: the page could not be read ({_detail(exc)}; the file is damaged)"
        log.warning(page.error)
    return page


def content_damage(page_obj: PDFPage, number: int) -> str:
    """Why the page's content (the streams that draw it) is damaged, or "": a content stream that is missing, or a
    compressed one that does not decompress whole (pdfminer then reads what it can, silently: the page may lack
    text). Raises ``ContentTooLargeError`` for content that decompresses to more than MAX_CONTENT_BYTES (a
    decompression bomb), before pdfminer decompresses it."""
    if "Contents" not in page_obj.attrs:
        return ""  # a blank page
    if not page_obj.contents or not all(isinstance(s, PDFStream) for s in page_obj.contents):
        return f"page {number}: its content is missing (the file is damaged; download it again)"
    budget = MAX_CONTENT_BYTES
    damaged = False
    for stream in page_obj.contents:
        if stream.rawdata is None or stream.decipher is not None:
            continue  # already decoded, or encrypted (decoded by pdfminer with the key)
        filters = [f for f, _ in stream.get_filters()]
        if not filters or filters[-1] not in LITERALS_FLATE_DECODE or not all(f in TEXT_DECODERS
                                                                                for f in filters[:-1]):
            continue  # only flate, after ASCII85 or hex, is checked (what PDF writers use for page content)
        try:
            data = stream.rawdata
            for name in filters[:-1]:
                data = TEXT_DECODERS[name](data)
            # raw deflate after the two-byte zlib header: complete once its last block ends, whether or not the
            # checksum after it is right (some writers get that wrong, and readers ignore it)
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            budget -= len(inflate.decompress(data[2:] if len(data) > 2 and data[0] & 0x0F == 8 else data,
                                             budget + 1))
        except (zlib.error, ValueError, TypeError):
            damaged = True
            continue
        if budget < 0 or inflate.unconsumed_tail:
            raise ContentTooLargeError(f"page {number}: its content decompresses to more than "
                                       f"{MAX_CONTENT_BYTES >> 20} MB (a decompression bomb?); it was not read")
        damaged = damaged or not inflate.eof
    if damaged:
        return f"page {number}: its content is damaged and may be read incompletely (download the file again)"
    return ""
