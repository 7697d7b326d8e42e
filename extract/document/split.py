"""Stage: split. A file is a sequence of documents: a merged download or a bundle may hold a factsheet with another
gemeente's follow-up appended, or several factsheets one after the other.

A title block of the series ("Uitkomsten (verbeterpunten) toezichtonderzoek <Gemeente>", in the series
description's words, with its month line below it) at the top of a page after the first starts a new document; each document then gets its own
identity, tables, coverage and links. Running headers and footers (which repeat a title on every page) are set
aside first, and a title counts only where it opens a line near the top of its page, so a footer or a sentence that
quotes a title starts nothing.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from extract.core.records import Line, Page, SourceDocument
from extract.core.stages import LayoutSettings
from extract.layout.lines import content_lines, running_furniture
from extract.series.description import series

log = logging.getLogger(__name__)

TITLE_TOP_LINES = 6  # a title block opens a page: within its first content lines ...
TITLE_TOP_SHARE = 0.4  # ... and in the top part of the page
TITLE_OPENS = 2  # characters a title may stand after on its line (a quote, a bullet read by OCR)
TITLE_BLOCK_LINES = 6  # lines below the title within which the block's month line stands


def opens_with_title(lines: list[Line], page: Page) -> bool:
    """Whether a page opens with a title block of the series: a title at the start of a line near the top of the
    page, with the block's month line ("Oktober 2013") below it (a running header repeats a title, never a date)."""
    current = series()
    for index, line in enumerate(lines[:TITLE_TOP_LINES]):
        if line.top > TITLE_TOP_SHARE * page.height:
            break
        for title in (current.followup_title_re, current.factsheet_title_re):
            match = title.search(line.text)
            if match and match.start() <= TITLE_OPENS and any(
                    current.month_line.match(below.text) for below in lines[index + 1:index + 1 + TITLE_BLOCK_LINES]):
                return True
    return False


def _title_word_near_top(page: Page) -> bool:
    """A cheap first look: does the series' title word stand in the top part of the page at all?"""
    word = series().title_word
    return any(word in w.text.lower() for w in page.words if w.top <= TITLE_TOP_SHARE * page.height)


def document_ranges(pages: list[Page], settings: LayoutSettings = LayoutSettings()) -> list[tuple[int, int]]:
    """(first, last) index into ``pages`` of each document the file holds, in order; one range for most files."""
    if len(pages) < 2:
        return [(0, len(pages) - 1)] if pages else []
    if not any(_title_word_near_top(page) for page in pages[1:]):
        return [(0, len(pages) - 1)]  # the usual file: no later page can open with a title block
    furniture = running_furniture(pages, settings)
    starts = [0] + [index for index, page in enumerate(pages) if index and page.words
                    and opens_with_title(content_lines(page, furniture, settings), page)]
    ends = [start - 1 for start in starts[1:]] + [len(pages) - 1]
    if len(starts) > 1:
        log.info("the file holds %d documents, starting on pages %s", len(starts),
                 ", ".join(str(pages[s].number) for s in starts))
    return list(zip(starts, ends))


def split_documents(source: SourceDocument, settings: LayoutSettings = LayoutSettings()) -> list[SourceDocument]:
    """The documents of a file, each with its own pages (their page numbers stay the file's) and its part number;
    a file of one document is returned as it is."""
    ranges = document_ranges(source.pages, settings)
    if len(ranges) <= 1:
        return [source]
    return [replace(source, pages=source.pages[first:last + 1], part=part)
            for part, (first, last) in enumerate(ranges, start=1)]
