"""Several documents in one PDF file, for tests of files that hold more than one STJ document (a factsheet with
another gemeente's follow-up appended, say).

``append_pdfs`` concatenates PDFs page by page with pikepdf, keeping the first file's document information (title,
author) as a PDF tool that appends to a file does; ``bundle_findings`` lists the rows expected from such a file: every
part's rows, in the parts' order.  A bundle of scans is made by scanning the bundle (``tests.scans.make_scan``) or
by appending scans.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pikepdf

from tests.synth import SynthDocument


def append_pdfs(out: Path | str, *pdfs: Path | str) -> list[tuple[int, int]]:
    """Write the pages of ``pdfs``, in order, to ``out``; return each part's (first, last) page number (from 1).

    The output is byte-identical for the same inputs (fixed document id)."""
    if not pdfs:
        raise ValueError("append_pdfs needs at least one PDF")
    if any(Path(p).resolve() == Path(out).resolve() for p in pdfs):
        raise ValueError(f"{out} is also an input")
    ranges: list[tuple[int, int]] = []
    with ExitStack() as stack:
        bundle = stack.enter_context(pikepdf.open(pdfs[0]))
        ranges.append((1, len(bundle.pages)))
        for pdf in pdfs[1:]:
            source = stack.enter_context(pikepdf.open(pdf))  # open until the bundle is saved: pages copy lazily
            first = len(bundle.pages) + 1
            bundle.pages.extend(source.pages)
            ranges.append((first, len(bundle.pages)))
        bundle.save(out, deterministic_id=True)
    return ranges


def bundle_findings(*docs: SynthDocument) -> list[dict]:
    """The rows an extractor should report for a bundle of ``docs`` (in bundle order): each document's rows."""
    return [dict(row) for doc in docs for row in doc.findings]
