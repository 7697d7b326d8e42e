"""Text helpers every stage shares: ``squash``, the form in which wording is compared; ``drop_unmapped``, the
glyph codes the text layer left without a character taken out of a text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


@lru_cache(maxsize=1 << 16)
def squash(text: str) -> str:
    """Lower-case letters and digits only: the form in which wording is compared (cached: layout asks it of the same
    line texts many times)."""
    text = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", text)


UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def unmapped_code(text: str) -> int | None:
    """N for a glyph the text layer left unmapped, "(cid:N)"; None for any other text."""
    match = UNMAPPED_GLYPH.fullmatch(text)
    return int(text[5:-1]) if match else None


def drop_unmapped(text: str) -> str:
    """``text`` without the glyph codes the text layer could not map to a character ("(cid:127)"; the glyphs the
    font tells are resolved when the page is read, ``read.glyphs``): what the dataset's text never holds. The
    spaces around a dropped code close up."""
    if "(cid:" not in text:
        return text
    return re.sub(r" {2,}", " ", UNMAPPED_GLYPH.sub("", text)).strip()
