"""Damage in a page's content streams, found before pdfminer reads them (a stream that does not inflate, a
decompression bomb), and the warnings the PDF libraries log while a page is read, counted per page."""

from __future__ import annotations

import logging
import threading
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import LITERALS_ASCII85_DECODE, LITERALS_ASCIIHEX_DECODE, LITERALS_FLATE_DECODE, PDFStream

from extract.core.enums import ProblemCategory
from extract.core.errors import ContentTooLargeError
from extract.core.problems import Problem
from extract.read.pagetree import resolve

log = logging.getLogger(__name__)

MAX_CONTENT_BYTES = 64 << 20  # a page's content streams decompress to at most this (a dense real page: under 1 MB)
TEXT_DECODERS = {**{name: ascii85decode for name in LITERALS_ASCII85_DECODE},
                 **{name: asciihexdecode for name in LITERALS_ASCIIHEX_DECODE}}
LIBRARY_LOGGER = "pdfminer"  # whose warnings while a page is read are counted and logged (fonts without metrics, ...)


class _WarningCounter(logging.Handler):
    """Counts the warnings a library logs in this thread (a Dask worker reads pages in several), by their first
    words."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.counts[" ".join(record.getMessage().split()[:6])] += 1


@contextmanager
def library_warnings(number: int) -> Iterator[Counter]:
    """Count pdfminer's warnings while page ``number`` is read, and log them as one line (at info: they explain
    damage, but a font without a bounding box, the most common, does not change the text read)."""
    counter = _WarningCounter()
    logger = logging.getLogger(LIBRARY_LOGGER)
    logger.addHandler(counter)
    try:
        yield counter.counts
    finally:
        logger.removeHandler(counter)
        if counter.counts:
            log.info("page %d: %d warnings from pdfminer: %s", number, sum(counter.counts.values()),
                     "; ".join(f"{text} … ({n}x)" for text, n in counter.counts.most_common(3)))


def content_damage(page_obj: PDFPage, number: int) -> Problem | None:
    """Why the page's content (the streams that draw it) is damaged, or None: content streams that are missing (a
    reference, or an element of the array of them, that leads to no stream), or a compressed one that does not
    decompress whole (pdfminer then reads what it can, silently: the page may lack text). Raises
    ``ContentTooLargeError`` for content that decompresses to more than MAX_CONTENT_BYTES (a decompression bomb),
    before pdfminer decompresses it."""
    if "Contents" not in page_obj.attrs:
        return None  # a blank page
    contents = resolve(page_obj.attrs["Contents"])
    parts = contents if isinstance(contents, list) else [contents]
    streams = [s for s in (resolve(part) for part in parts) if isinstance(s, PDFStream)]
    if parts and not streams:
        return Problem(number, ProblemCategory.damaged, "its content is missing (the file is damaged; download it "
                       "again)")
    missing = f"{len(parts) - len(streams)} of its {len(parts)} content streams are missing" if len(streams) < len(
        parts) else ""
    damaged = flate_damaged(streams, number)
    what = "; ".join(filter(None, (missing, "its content is damaged" if damaged else "")))
    return Problem(number, ProblemCategory.damaged, f"{what} and may be read incompletely (download the file again)"
                   ) if what else None


def flate_damaged(streams: list[PDFStream], number: int) -> bool:
    """Whether a flate-compressed content stream does not decompress whole; raises ``ContentTooLargeError`` when
    together they decompress to more than MAX_CONTENT_BYTES."""
    budget = MAX_CONTENT_BYTES
    damaged = False
    for stream in streams:
        if stream.rawdata is None or stream.decipher is not None:
            continue  # already decoded, or encrypted (decoded by pdfminer with the key)
        filters = [f for f, _ in stream.get_filters()]
        if not filters or filters[-1] not in LITERALS_FLATE_DECODE or not all(f in TEXT_DECODERS
                                                                                for f in filters[:-1]):
            continue  # only flate, after ASCII85 or hex, is checked (what PDF writers use for page content)
        try:
            data = stream.rawdata
            for name in filters[:-1]:
                data = TEXT_DECODERS[name](data)
            # raw deflate after the two-byte zlib header: complete once its last block ends, whether or not the
            # checksum after it is right (some writers get that wrong, and readers ignore it)
            inflate = zlib.decompressobj(-zlib.MAX_WBITS)
            budget -= len(inflate.decompress(data[2:] if len(data) > 2 and data[0] & 0x0F == 8 else data,
                                             budget + 1))
        except (zlib.error, ValueError, TypeError):
            damaged = True
            continue
        if budget < 0 or inflate.unconsumed_tail:
            raise ContentTooLargeError(f"its content decompresses to more than {MAX_CONTENT_BYTES >> 20} MB (a "
                                       "decompression bomb?); it was not read", number)
        damaged = damaged or not inflate.eof
    return damaged
