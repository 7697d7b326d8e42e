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
