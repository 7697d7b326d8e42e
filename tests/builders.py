"""Small builders of words and lines for stage unit tests (no PDF needed)."""

from __future__ import annotations

from extract.records import Line, Word

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
