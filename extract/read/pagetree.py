"""The page tree and the page boxes of a PDF, taken as PDF readers take them (part of stage 1, read).

pdfminer walks the page tree recursively (a tree nested a few thousand levels deep raises ``RecursionError``) and
takes only nodes that say ``/Type /Page``; pdfium walks it without recursion and takes a leaf without ``/Type`` as a
page too. ``page_dicts`` walks it as pdfium does, with an explicit stack and each node visited once (a cycle ends).

pdfplumber refuses a page whose ``/MediaBox``, ``/CropBox`` or ``/Rotate`` is not what it should be, and pdfminer
shifts the text of a page whose box is given upper-right corner first; readers fall back instead. ``sane_attrs``
does what they do before pdfminer and pdfplumber see the page: a ``/CropBox`` (or trim, bleed, art box) that is no
box is left out, a ``/Rotate`` that is no multiple of 90 degrees is taken as 0 (both logged only: the page reads the
same), and a ``/MediaBox`` that is no box, or one of no size, is read as US Letter, as pdfminer and pdfium take it,
and named as the page's damage (the page's size, and so where its text lies, is unknown).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfexceptions import PDFObjectNotFound
from pdfminer.pdftypes import PDFObjRef, PDFStream
from pdfminer.psparser import LIT, PSKeyword, PSLiteral

from extract.core.enums import ProblemCategory
from extract.core.problems import Problem

log = logging.getLogger(__name__)

LITERAL_PAGE, LITERAL_PAGES = LIT("Page"), LIT("Pages")
INHERITABLE = ("Resources", "MediaBox", "CropBox", "Rotate")  # what a page takes from its ancestors (PDF 7.7.3.4)
OTHER_BOXES = ("CropBox", "TrimBox", "BleedBox", "ArtBox")  # pdfplumber reads these too; readers ignore bad ones
US_LETTER = (0.0, 0.0, 612.0, 792.0)  # what pdfminer and pdfium take for a page whose /MediaBox is no box
MIN_PAGE_SIDE = 3.0  # points: the smallest page side PDF allows (ISO 32000-1, annex C); a box below it is damaged
REFERENCE_CHAIN = 32  # references followed one after another before an object counts as missing (a cycle)
SHOWN_CHARS = 40  # how much of a damaged value a reason quotes


@dataclass(frozen=True)
class PageDict:
    """One page of the page tree: its object number (None for a page written inline) and its attributes, the
    inherited ones included."""

    objid: int | None
    attrs: dict


def resolve(value: object, limit: int = REFERENCE_CHAIN) -> object:
    """``value`` with references followed; None for a reference to nothing or a chain that does not end."""
    for _ in range(limit):
        if not isinstance(value, PDFObjRef):
            return value
        value = value.resolve()
    return None


def page_dicts(document: PDFDocument) -> list[PageDict]:
    """The document's pages in order: the page tree walked as pdfium walks it, or, when it has none (its root
    lost), every object that says ``/Type /Page`` (as pdfminer falls back)."""
    return walk(document.catalog.get("Pages")) or loose_pages(document)


def walk(root: object) -> list[PageDict]:
    """The leaves of the page tree under ``root``, depth first, in order, without recursion; a node met again (a
    cycle, or a page listed twice) is skipped. A node with ``/Kids`` is a branch unless it says ``/Type /Page``; a
    leaf is a page unless it says ``/Type /Pages`` (an empty branch) or is the root without a ``/Type``."""
    pages: list[PageDict] = []
    seen: set[int] = set()
    stack: list[tuple[object, dict]] = [(root, {})]
    while stack:
        reference, inherited = stack.pop()
        objid = reference.objid if isinstance(reference, PDFObjRef) else None
        if objid is not None:
            if objid in seen:
                continue
            seen.add(objid)
        node = resolve(reference)
        if not isinstance(node, dict):
            continue  # a reference to nothing (or to a stream): no page
        attrs = {**inherited, **node}
        kind = resolve(node.get("Type"))
        kids = resolve(node.get("Kids"))
        if isinstance(kids, list) and kind is not LITERAL_PAGE:
            passed = {key: attrs[key] for key in INHERITABLE if key in attrs}
            stack += [(kid, passed) for kid in reversed(kids)]
        elif kind is LITERAL_PAGE or (kind is None and reference is not root):
            pages.append(PageDict(objid, attrs))
    return pages


def loose_pages(document: PDFDocument) -> list[PageDict]:
    """Every object of the cross-reference tables that says ``/Type /Page``, once each, in object order."""
    found: dict[int, PageDict] = {}
    for xref in document.xrefs:
        for objid in xref.get_objids():
            if objid in found:
                continue
            try:
                obj = document.getobj(objid)
            except PDFObjectNotFound:
                continue
            if isinstance(obj, dict) and resolve(obj.get("Type")) is LITERAL_PAGE:
                found[objid] = PageDict(objid, dict(obj))
    return [found[objid] for objid in sorted(found)]


# ---------------------------------------------------------------- page boxes and rotation


def sane_attrs(attrs: dict, number: int) -> tuple[dict, Problem | None]:
    """The page's attributes with its boxes and rotation as readers take them (see the module's docstring), and
    the page's damage to report (None when its /MediaBox is a box)."""
    attrs = dict(attrs)
    problem = None
    media, fault = box_of(attrs.get("MediaBox"))
    if fault:
        problem = Problem(number, ProblemCategory.damaged, f"its page size is damaged (/MediaBox "
                          f"{shown(attrs.get('MediaBox'))}: {fault}); read as US Letter, as other readers do: its rows "
                          "may be misplaced or missing (download the file again)")
        media = list(US_LETTER)
    attrs["MediaBox"] = media
    for key in OTHER_BOXES:
        if key in attrs:
            box, fault = box_of(attrs[key], least=0.0)
            if fault:
                log.info("page %d: /%s %s is %s; left out, as readers do", number, key, shown(attrs[key]), fault)
                del attrs[key]
            else:
                attrs[key] = box
    attrs["Rotate"] = rotation(attrs.get("Rotate", 0), number)
    return attrs, problem


def box_of(value: object, least: float = MIN_PAGE_SIDE) -> tuple[list[float], str]:
    """A box as [left, bottom, right, top] (its corners may be given in either order), and "" or what is wrong with
    it: missing, not four numbers, or a side shorter than ``least`` points."""
    box = resolve(value)
    if box is None:
        return [], "missing"
    numbers = [resolve(v) for v in box] if isinstance(box, list) else []
    if len(numbers) != 4 or not all(is_number(v) for v in numbers):
        return [], "not four numbers"
    x0, y0, x1, y1 = (float(v) for v in numbers)
    left, bottom, right, top = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    if right - left < least or top - bottom < least or right == left or top == bottom:
        return [], "a box of no size"
    return [left, bottom, right, top], ""


def rotation(value: object, number: int) -> int:
    """The page's /Rotate in degrees (0, 90, 180 or 270); 0 for one that is no multiple of 90 (as readers take it)."""
    degrees = resolve(value)
    if is_number(degrees) and degrees == int(degrees) and int(degrees) % 90 == 0:
        return int(degrees) % 360
    log.info("page %d: /Rotate %s is no multiple of 90 degrees; read upright, as readers do", number, shown(value))
    return 0


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A PDF value as it is written in the file, shortened to ``limit`` characters (for a reason)."""
    text = _syntax(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _syntax(value: object, depth: int = 0) -> str:
    if isinstance(value, PDFObjRef):
        return f"{value.objid} 0 R"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (PSLiteral, PSKeyword)):
        name = value.name.decode("latin-1") if isinstance(value.name, bytes) else str(value.name)
        return f"/{name}" if isinstance(value, PSLiteral) else name
    if isinstance(value, (bytes, str)):
        text = value.decode("latin-1") if isinstance(value, bytes) else value
        return f"({text})"
    if isinstance(value, list):
        return "[" + " ".join(_syntax(v, depth + 1) for v in value[:8]) + (" …" if len(value) > 8 else "") + "]"
    if isinstance(value, dict):
        return "<< … >>"
    if isinstance(value, PDFStream):
        return "a stream"
    return type(value).__name__
