"""Small builders of words and lines for stage unit tests (no PDF needed)."""

from __future__ import annotations

from extract.core.records import Line, Word

CHAR_WIDTH = 4.5


def word(text: str, x0: float, top: float, page: int = 1, font: str = "LiberationSans", size: float = 8.6) -> Word:
    return Word(text, x0, x0 + CHAR_WIDTH * len(text), top, top + size, page, font, size)


def words(text: str, x0: float, top: float, page: int = 1, font: str = "LiberationSans",
          size: float = 8.6) -> list[Word]:
    out, x = [], x0
    for token in text.split():
        out.append(word(token, x, top, page, font, size))
        x += CHAR_WIDTH * (len(token) + 1)
    return out


def line(text: str, x0: float, top: float, page: int = 1, font: str = "LiberationSans") -> Line:
    return Line(words(text, x0, top, page, font))


def column_lines(texts: list[str], x0: float, top: float, pitch: float = 10.75, page: int = 1) -> list[Line]:
    """Consecutive lines of a column; an empty string leaves one empty line (a paragraph gap)."""
    out = []
    y = top
    for text in texts:
        if text:
            out.append(line(text, x0, y, page))
        y += pitch
    return out


def build_pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; the first is the catalog) with a cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def text_pdf(runs: list[tuple[str, float, float, float, bytes]], fonts: dict[str, bytes],
             size: tuple[float, float] = (595.0, 842.0)) -> bytes:
    """A one-page PDF that shows each run (font resource name, type size, x, top, the character codes) at its place
    (``top``: from the page's top edge, as pdfplumber measures), with the given font dictionaries (by resource
    name, e.g. ``{"F1": b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"}``).
    Codes are shown as they are: no font's encoding is applied."""
    width, height = size
    shown = b"".join(b"BT /%s %.2f Tf %.2f %.2f Td <%s> Tj ET\n" % (font.encode(), points, x, height - top - points,
                                                                   codes.hex().encode())
                     for font, points, x, top, codes in runs)
    names = sorted(fonts)
    font_refs = b" ".join(b"/%s %d 0 R" % (name.encode(), 5 + index) for index, name in enumerate(names))
    return build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << %s >> >> /Contents 4 0 R >>"
        % (width, height, font_refs),
        b"<< /Length %d >>\nstream\n" % len(shown) + shown + b"\nendstream",
        *(fonts[name] for name in names),
    ])
