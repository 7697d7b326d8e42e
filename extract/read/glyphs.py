"""Glyphs the text layer leaves without a unicode mapping, told from what the font says they are.

pdfminer reads a character code its font gives no unicode for as ``(cid:N)``. Some of those codes say what they
draw all the same:

- **the font's encoding.** In a simple font with ``WinAnsiEncoding`` (a name, or the base of an encoding with
  ``/Differences`` that leave the code alone), every code the encoding leaves unused above 32 draws the bullet (the
  PDF specification, ISO 32000-1, annex D.2, note 3): ReportLab and other writers put a list's bullet there. A
  symbolic font draws its own glyph for the code, so this holds only for a non-symbolic one.
- **the series' symbol fonts.** Which codes of a symbol font (Wingdings, Symbol, ZapfDingbats) are the bullets of the
  series' lists is the series description's knowledge (``Series.bullet_fonts``): such a code becomes the character
  it draws, whether pdfminer read it as ``(cid:N)``, as the letter of its code or as a private-use character.

A code neither tells stays ``(cid:N)`` in the word: later stages see that a glyph stood there (a list item's bullet,
a marker they cannot read) and every text written into the dataset drops it (``core.text.drop_unmapped``).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral

from extract.series.description import series

log = logging.getLogger(__name__)

BULLET = "\u2022"
UNMAPPED = re.compile(r"\(cid:(\d+)\)")
# the codes WinAnsiEncoding leaves unused above 32 (octal 177, 201, 215, 217, 220, 235): drawn as the bullet
WINANSI_UNUSED = frozenset({0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D})
SIMPLE_FONTS = {"Type1", "MMType1", "TrueType"}
SYMBOLIC_STANDARD_FONTS = {"Symbol", "ZapfDingbats"}  # the standard 14's symbolic fonts (no font descriptor needed)
SYMBOLIC_FLAG, NONSYMBOLIC_FLAG = 1 << 2, 1 << 5  # font descriptor /Flags bits 3 and 6
MAX_FORM_DEPTH = 4  # form XObjects nested this deep are looked into for their fonts


def _name(value) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else ""


def encoding_bullets(spec: dict) -> frozenset[int]:
    """The codes a font (its dictionary) leaves without a name but draws as the bullet: the codes WinAnsiEncoding
    leaves unused, in a non-symbolic simple font whose encoding is (based on) WinAnsiEncoding and leaves them alone."""
    if _name(spec.get("Subtype")) not in SIMPLE_FONTS or _symbolic(spec):
        return frozenset()
    encoding = resolve1(spec.get("Encoding"))
    if isinstance(encoding, dict):
        base, named = _name(encoding.get("BaseEncoding")), _differences(encoding.get("Differences"))
    else:
        base, named = _name(encoding), set()
    return WINANSI_UNUSED - named if base == "WinAnsiEncoding" else frozenset()


def _symbolic(spec: dict) -> bool:
    descriptor = resolve1(spec.get("FontDescriptor"))
    if isinstance(descriptor, dict):
        flags = resolve1(descriptor.get("Flags"))
        if isinstance(flags, int):
            return bool(flags & SYMBOLIC_FLAG) and not flags & NONSYMBOLIC_FLAG
    return re.sub(r"^[A-Z]{6}\+", "", _name(spec.get("BaseFont"))) in SYMBOLIC_STANDARD_FONTS


def _differences(value) -> set[int]:
    """The codes an encoding's /Differences array names a glyph for."""
    named, code = set(), None
    for item in resolve1(value) or []:
        item = resolve1(item)
        if isinstance(item, int) and not isinstance(item, bool):
            code = item
        elif code is not None:
            named.add(code)
            code += 1
    return named


def page_bullet_codes(plumber_page) -> dict[str, frozenset[int]]:
    """Per font name, as the page's characters carry it, the codes its encoding draws as the bullet (only fonts with
    such codes; when fonts of one name disagree, the codes they all agree on). Never raises: a font that cannot be
    looked at tells nothing."""
    found: dict[str, frozenset[int]] = {}
    try:
        manager = plumber_page.pdf.rsrcmgr
        for ref in _font_refs(plumber_page.page_obj.resources, set(), 0):
            spec = resolve1(ref)
            if not isinstance(spec, dict):
                continue
            codes = encoding_bullets(spec)
            fontname = manager.get_font(ref.objid if isinstance(ref, PDFObjRef) else None, spec).fontname
            fontname = _name(fontname) or str(fontname)
            found[fontname] = found[fontname] & codes if fontname in found else codes
    except Exception as exc:  # noqa: BLE001 - evidence only: a damaged resource dictionary leaves codes unmapped
        log.debug("page %s: fonts not looked at (%s: %s)", getattr(plumber_page, "page_number", "?"),
                  type(exc).__name__, exc)
    return {name: codes for name, codes in found.items() if codes}


def _font_refs(resources, seen: set, depth: int):
    """The fonts of a resource dictionary and of the form XObjects it holds (to ``MAX_FORM_DEPTH``)."""
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        yield from fonts.values()
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict) or depth >= MAX_FORM_DEPTH:
        return
    for ref in xobjects.values():
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            continue
        seen.add(key)
        stream = resolve1(ref)
        if isinstance(stream, PDFStream) and _name(stream.get("Subtype")) == "Form":
            yield from _font_refs(stream.get("Resources"), seen, depth + 1)


def font_key(fontname: str, keys) -> str | None:
    """The key of ``keys`` (lower-case font names: "wingdings", "symbol") that the font's name holds, the longest
    when several do ("wingdings2" before "wingdings"); the subset prefix ("ABCDEF+") set aside."""
    name = re.sub(r"^[A-Z]{6}\+", "", fontname).lower().replace(" ", "").replace("-", "")
    held = [key for key in keys if key in name]
    return max(held, key=len) if held else None


def _code(char: str) -> int | None:
    """The code a symbol font's character stands for: itself below 256, a private-use character shifted by F000."""
    point = ord(char)
    if point < 0x100:
        return point
    if 0xF000 <= point <= 0xF0FF:
        return point - 0xF000
    return None


@lru_cache(maxsize=1024)
def _bullet_table(fontname: str, digest: str) -> dict[int, str]:
    """The bullets the active series (``digest``: its content, the cache's key) names for the font."""
    fonts = series().bullet_fonts
    key = font_key(fontname, fonts) if fonts else None
    return fonts[key] if key else {}


def resolve_glyphs(text: str, fontname: str, bullet_codes: frozenset[int] = frozenset()) -> str:
    """A word's text with the glyphs its font tells: an unmapped code the encoding draws as the bullet becomes "•",
    and a code of a symbol font the series names as a bullet becomes that bullet (``Series.bullet_fonts``)."""
    table = _bullet_table(fontname, series().digest)
    if "(cid:" not in text and not table:
        return text

    def unmapped(match: re.Match) -> str:
        code = int(match.group(1))
        return table.get(code) or (BULLET if code in bullet_codes else match.group(0))

    text = UNMAPPED.sub(unmapped, text)
    if table:
        text = "".join(part if part.startswith("(cid:") else "".join(table.get(_code(c), c) for c in part)
                       for part in re.split(r"(\(cid:\d+\))", text))
    return text
