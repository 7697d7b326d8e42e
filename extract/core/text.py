"""Text helpers every stage shares: ``squash``, the form in which wording is compared."""

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
