"""``Problem``: one thing that went wrong with a document (or a page of it), with its category.

Every reason a document gives (its ``documents.error``, its ``stj:`` lines on stderr) is a ``Problem``; its string
form is the one line a user reads, "page N: ..." where it is tied to a page, formatted here and nowhere else.
Decisions about a problem (may the result be cached, did the document run out of time) look at its ``category``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from extract.core.enums import NOT_CACHEABLE, ProblemCategory

SEPARATOR = "; "  # between the problems of a page, and of a document, in one line


@dataclass(frozen=True)
class Problem:
    """What went wrong, on which page (None: the document as a whole), of which category."""

    page: int | None
    category: ProblemCategory
    message: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.message}" if self.page is not None else self.message

    @property
    def cacheable(self) -> bool:
        """Whether a result with this problem may be served again (the file at fault, not the machine or code)."""
        return self.category not in NOT_CACHEABLE


def one_line(problems: Iterable[Problem]) -> str:
    """Problems as one line: each one's string form, '; '-separated."""
    return SEPARATOR.join(str(p) for p in problems)
