"""Stage 1, read: open a PDF, hash it, and collect every page's words (with positions and fonts) and ruling lines.

This is where the PDF libraries' errors enter and are translated, once, into ``StjError`` subclasses: pdfminer's and
pdfplumber's in ``read_text_layer`` and ``read_page``, pdfium's in ``pdfium_open`` (where every module opens a file
with pdfium: the error of that call only, never one pdfium kept from an earlier file).

pdfminer (through pdfplumber) reads the text layer. pdfium is the second reader, asked before a file is called
damaged, empty or password-protected: a file pdfium opens without a password is not password-protected, and one in
which it finds pages is not empty. Such a file (a page tree or cross-reference pdfminer cannot follow, an encryption
with an owner password only that pdfminer cannot undo) is read from the copy pdfium writes of it, with its
cross-references and page tree rebuilt and without encryption; a damaged one is then ``partial``, with the damage
named on its first page. The page tree is walked, and page boxes are taken, as readers do (``pagetree``).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import struct
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfexceptions import PDFNotImplementedError
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extract.core.errors import (EmptyFileError, EncryptedPdfError, NotPdfError, StjError, TooManyPagesError,
                                 TruncatedPdfError)
from extract.core.enums import ProblemCategory
from extract.core.problems import Problem
from extract.core.records import Page, Rule, SourceDocument, Word
from extract.core.settings import MAX_PAGES
from extract.read.damage import content_damage, library_warnings
from extract.read.glyphs import page_bullet_codes, resolve_glyphs
from extract.read.pagetree import US_LETTER, PageDict, page_dicts, resolve, sane_attrs
from extract.read.pdfium_open import NO_PAGES, PdfiumRefusal, load_pdfium, open_pdfium  # noqa: F401

log = logging.getLogger(__name__)

WORD_ATTRS = ["fontname", "size"]
# what pdfminer and pdfplumber raise, besides their own errors, on a damaged file (a font program cut short:
# struct.error; a stream that does not inflate: zlib.error; an unknown text encoding: LookupError; ...)
DAMAGE = (PdfminerException, MalformedPDFException, PSException, ValueError, LookupError, TypeError, AttributeError,
          AssertionError, ArithmeticError, RecursionError, NotImplementedError, EOFError, struct.error, zlib.error)


class Unreadable(Exception):
    """pdfminer cannot read the file: the reason to give unless pdfium can (``reason``), what pdfminer found
    (``detail``, for the note on a file read from pdfium's copy), and whether it found no pages at all."""

    def __init__(self, reason: StjError, detail: str, no_pages: bool = False):
        super().__init__(reason.message)
        self.reason, self.detail, self.no_pages = reason, detail, no_pages


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


def read_pdf(path: Path, max_pages: int = MAX_PAGES) -> SourceDocument:
    """Open ``path`` and read the text layer of every page. Raises an StjError for unusable input (a reason
    pdfium confirms), and ``TooManyPagesError`` (before any page is read) for a document of more than ``max_pages``
    pages."""
    check_pdf_header(path)
    sha = file_sha256(path)
    try:
        pages = read_text_layer(path, max_pages)
    except Unreadable as unreadable:
        pages = read_as_pdfium_repairs(path, max_pages, unreadable)
    else:
        if any(p.error for p in pages):  # damage pdfminer met: pdfium's repair of the file may read more of it
            pages = better_reading(path, max_pages, pages)
    return SourceDocument(path=str(path), source_file=path.name, sha256=sha, pages=pages)


# ---------------------------------------------------------------- pdfminer / pdfplumber


def _inner(exc: BaseException) -> BaseException:
    """The pdfminer exception a pdfplumber one wraps."""
    inner = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    return inner if isinstance(inner, BaseException) else exc


def _detail(exc: BaseException) -> str:
    """"Type: message" of the underlying exception, on one line and short."""
    inner = _inner(exc)
    text = " ".join(str(inner).split()).split(" param=")[0].rstrip(": ")[:80]  # not pdfminer's dump of a dictionary
    return f"{type(inner).__name__}: {text or 'no detail'}"


def _translate(exc: BaseException) -> Unreadable:
    """A pdfminer/pdfplumber exception as the reason it gives (still to be checked against pdfium)."""
    inner = _inner(exc)
    if isinstance(inner, PDFPasswordIncorrect):
        return Unreadable(EncryptedPdfError(), "pdfminer asks for a password")
    if isinstance(inner, PDFEncryptionError):
        return Unreadable(EncryptedPdfError.unsupported(_detail(exc)), f"pdfminer: {_detail(exc)}")
    if unsupported_filter(exc):  # not damage: downloading the file again does not help
        return Unreadable(TruncatedPdfError(f"The PDF cannot be read: it is compressed with {unsupported_filter(exc)}"
                                            ", a filter the PDF reader used here does not support."),
                          f"pdfminer: {_detail(exc)}")
    return Unreadable(TruncatedPdfError(f"The PDF is damaged or truncated and cannot be read ({_detail(exc)}); "
                                       "download it again."), f"pdfminer: {_detail(exc)}")


@contextmanager
def _stream(source: Path | bytes) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    else:
        with open(source, "rb") as handle:
            yield handle


def read_text_layer(source: Path | bytes, max_pages: int = MAX_PAGES) -> list[Page]:
    """Every page of a PDF (a file, or its bytes) read by pdfminer through pdfplumber, opened with the empty
    password. Raises ``Unreadable`` when the file cannot be opened, has no pages or no page can be read, and
    ``TooManyPagesError`` before any page is read."""
    try:
        with _stream(source) as stream:
            pdf = pdfplumber.PDF(stream, password="")
            found = page_dicts(pdf.doc)
            if len(found) > max_pages:
                raise TooManyPagesError.of(len(found), max_pages)
            pages = read_pages(pdf, found)
            declared = declared_pages(pdf.doc)
    except DAMAGE as exc:  # pdfminer reports many kinds of damage as generic Python errors
        raise _translate(exc) from exc
    if not pages:
        raise Unreadable(TruncatedPdfError(f"{NO_PAGES}; download it again."), "pdfminer finds no pages", True)
    if all(p.error and not p.words and not p.has_images for p in pages):  # damage everywhere: say so, not "no text"
        raise Unreadable(TruncatedPdfError(f"The PDF is damaged: no page could be read ({pages[0].error}); download "
                                           "it again."), "pdfminer can read none of its pages")
    if declared > len(pages):  # a page object lost (deleted, or the cross-reference to it broken)
        add_problem(pages[-1], damage(f"the PDF lists {declared} pages but only {len(pages)} could be found (the file "
                                      "is damaged; download it again)"))
    return pages


def read_pages(pdf: pdfplumber.PDF, found: list[PageDict]) -> list[Page]:
    """Each page of the page tree read in turn; damage confined to a page becomes its ``error``."""
    pages = []
    doctop = 0.0
    for number, entry in enumerate(found, start=1):
        attrs, box_problem = sane_attrs(entry.attrs, number)
        try:
            plumber_page = pdfplumber.page.Page(pdf, PDFPage(pdf.doc, entry.objid, attrs, None), page_number=number,
                                                initial_doctop=doctop)
        except DAMAGE as exc:
            pages.append(Page(number=number, width=US_LETTER[2], height=US_LETTER[3]))
            add_problem(pages[-1], unread_page(exc, number))
        else:
            doctop += float(plumber_page.height)
            try:
                pages.append(read_page(plumber_page, number))
            finally:
                plumber_page.close()  # let go of its parsed objects: memory stays flat over any page count
        if box_problem:
            add_problem(pages[-1], box_problem)
    return pages


def add_problem(page: Page, problem: Problem) -> None:
    """Add ``problem`` to the page's (logged; it becomes one of the document's reasons)."""
    page.problems = [*page.problems, problem]
    log.info("%s", problem)


def damage(message: str, page: int | None = None) -> Problem:
    """The file's damage, on a page or (``page`` None) of the whole file."""
    return Problem(page, ProblemCategory.damaged, message)


FORM_ARRAYS = ("BBox", "Matrix")  # a form's arrays of numbers, that pdfminer takes as numbers without resolving them


def resolve_form_boxes(resources: object, seen: set[int] | None = None) -> None:
    """The /BBox and /Matrix of the forms the page draws (and of the forms they draw) with the references in them
    followed, in place: readers follow them, pdfminer would add a reference to a number (a ``TypeError``, and the
    page would be called damaged). A reference that leads to no number is left as it is (that is damage)."""
    seen = set() if seen is None else seen
    resources = resolve(resources)
    xobjects = resolve(resources.get("XObject")) if isinstance(resources, dict) else None
    if not isinstance(xobjects, dict):
        return
    for value in xobjects.values():
        form = resolve(value)
        if not isinstance(form, PDFStream) or id(form) in seen:
            continue
        seen.add(id(form))
        for key in FORM_ARRAYS:
            array = resolve(form.attrs.get(key))
            if isinstance(array, list):
                values = [resolve(v) for v in array]
                if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
                    form.attrs[key] = values
        resolve_form_boxes(form.attrs.get("Resources"), seen)


def unsupported_filter(exc: BaseException) -> str:
    """The stream filter pdfminer does not implement that ``exc`` is about ("/BrotliDecode"), or ""."""
    inner = _inner(exc)
    found = re.match(r"Unsupported filter: /?'?([^']*)'?$", str(inner)) if isinstance(
        inner, PDFNotImplementedError) else None
    return f"/{found.group(1).lstrip('/')}" if found else ""


def unread_page(exc: BaseException, number: int) -> Problem:
    """Why page ``number`` could not be read: a stream compressed with a filter pdfminer does not implement (named;
    the file is not damaged, and downloading it again does not help), or damage."""
    unsupported = unsupported_filter(exc)
    if unsupported:
        return Problem(number, ProblemCategory.damaged, f"the page could not be read: it is compressed with "
                       f"{unsupported}, a filter the PDF reader used here does not support")
    return damage(f"the page could not be read ({_detail(exc)}; the file is damaged)", number)


def declared_pages(document) -> int:
    """The page count the page tree's root states (/Count), 0 when it states none that makes sense."""
    try:
        count = resolve(resolve(document.catalog.get("Pages")).get("Count"))
    except (AttributeError, TypeError, ValueError, KeyError, PSException, PdfminerException):
        return 0
    return count if isinstance(count, int) and not isinstance(count, bool) and count > 0 else 0


def page_words(page: pdfplumber.page.Page, number: int) -> list[Word]:
    """The page's words, with the glyphs their fonts tell resolved (``glyphs``: a bullet left without a unicode
    mapping, a symbol font's bullet)."""
    raw = page.extract_words(extra_attrs=WORD_ATTRS, keep_blank_chars=False, x_tolerance=1.5, y_tolerance=2)
    bullets = page_bullet_codes(page) if any("(cid:" in w["text"] for w in raw) else {}
    words = []
    for w in raw:
        fontname = w.get("fontname", "")
        text = resolve_glyphs(w["text"], fontname, bullets.get(fontname, frozenset()))
        if text.strip():
            words.append(Word(text=text, x0=w["x0"], x1=w["x1"], top=w["top"], bottom=w["bottom"], page=number,
                              fontname=fontname, size=float(w.get("size", 0.0))))
    return words


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


def read_page(plumber_page: pdfplumber.page.Page, number: int) -> Page:
    """One page's words and rules. Damage confined to the page (its content missing or broken, a font that cannot
    be read) becomes the page's ``error``, and the rest of the document is read. What pdfminer warns about while it
    reads the page (fonts without metrics, ...) is logged, once per page."""
    page = Page(number=number, width=float(plumber_page.width), height=float(plumber_page.height))
    with library_warnings(number):
        try:
            broken = content_damage(plumber_page.page_obj, number)
            resolve_form_boxes(plumber_page.page_obj.resources)
            page.problems = [broken] if broken else []
            page.has_images = bool(plumber_page.images)
            page.words = page_words(plumber_page, number)
            page.rules = page_rules(plumber_page, number)
        except StjError as exc:
            page.problems = [exc.problem]
            log.info(page.error)
        except DAMAGE as exc:
            page.problems = [unread_page(exc, number)]
            log.info(page.error)
    return page


# ---------------------------------------------------------------- pdfium, the second reader


@dataclass(frozen=True)
class SecondReading:
    """What pdfium makes of a file pdfminer cannot read."""

    pages: int = 0  # pages pdfium finds (0: it cannot open the file, or finds none)
    error: str = ""  # why it cannot open the file ("" when it can)
    password: bool = False  # pdfium, too, needs a password to open it
    copy: bytes = b""  # the file as pdfium writes it: cross-references and page tree rebuilt, without encryption


def ask_pdfium(path: Path, max_pages: int = MAX_PAGES) -> SecondReading:
    """Open ``path`` with pdfium (no password) and, when it finds pages (no more than ``max_pages``), write it
    out again."""
    try:
        pdf = load_pdfium(path)
    except PdfiumRefusal as refusal:
        return SecondReading(error=refusal.text, password=refusal.password)
    try:
        pages = len(pdf)
        if not pages or pages > max_pages:
            return SecondReading(pages=pages)
        buffer = io.BytesIO()
        pdf.save(buffer, flags=pdfium_c.FPDF_REMOVE_SECURITY)
        return SecondReading(pages=pages, copy=buffer.getvalue())
    except pdfium.PdfiumError as exc:
        return SecondReading(pages=pages, error=str(exc))
    finally:
        pdf.close()


def read_as_pdfium_repairs(path: Path, max_pages: int, unreadable: Unreadable) -> list[Page]:
    """The pages of a file pdfminer cannot read, read from pdfium's copy of it; raises the reason pdfminer gave
    when pdfium confirms it (it needs a password too, or finds no pages), and says what pdfium saw otherwise."""
    reason = unreadable.reason
    second = ask_pdfium(path, max_pages)
    if second.password:
        raise EncryptedPdfError()
    if second.pages > max_pages:
        raise TooManyPagesError.of(second.pages, max_pages)
    if not second.pages:
        log.info("%s: pdfium cannot read it either (%s)", path.name, second.error or "no pages")
        raise reason
    pages: list[Page] = []
    try:
        pages = read_text_layer(second.copy, max_pages) if second.copy else []
    except Unreadable as again:
        second = SecondReading(second.pages, f"its copy cannot be read either: {again.detail}")
    if not pages:
        if unreadable.no_pages:  # not true: pdfium finds pages, only they cannot be read
            raise TruncatedPdfError(f"The PDF is damaged ({unreadable.detail}); pdfium finds {second.pages} pages in "
                                    f"it but cannot repair it ({second.error or 'it cannot write it out'}); download "
                                    "it again.")
        raise reason  # damage (or an encryption) pdfium's repair does not undo either
    if isinstance(reason, EncryptedPdfError):  # encrypted, with an owner password only: not damaged
        log.info("%s: encrypted in a way pdfminer cannot undo (%s); read from pdfium's decrypted copy", path.name,
                 unreadable.detail)
    else:
        add_problem(pages[0], damage(f"the file is damaged ({unreadable.detail}) and was read as pdfium repairs it: "
                                     "check its rows, or download it again"))
    return pages


def better_reading(path: Path, max_pages: int, pages: list[Page]) -> list[Page]:
    """``pages`` (pdfminer's reading of a damaged file), or the reading of pdfium's repair of the file when that has
    more pages read without damage (a broken cross-reference that pdfium rebuilds, a stream /Length it looks past),
    or as many and more words; the damage is then named on its first page."""
    second = ask_pdfium(path, max_pages)
    try:
        repaired = read_text_layer(second.copy, max_pages) if second.copy else []
    except Unreadable:
        repaired = []
    if not repaired or reading_quality(repaired) <= reading_quality(pages):
        return pages
    damaged = sum(1 for p in pages if p.error)
    log.info("%s: pdfium's repair reads more of it than pdfminer (%s against %s pages and words)", path.name,
             reading_quality(repaired), reading_quality(pages))
    add_problem(repaired[0], damage(f"the file is damaged (pdfminer cannot read {damaged} of its {len(pages)} pages "
                                    "whole) and was read as pdfium repairs it: check its rows, or download it again"))
    return repaired


def reading_quality(pages: list[Page]) -> tuple[int, int]:
    """(pages read without damage, words read): the better of two readings of a file is the greater."""
    return sum(1 for p in pages if not p.error), sum(len(p.words) for p in pages)
