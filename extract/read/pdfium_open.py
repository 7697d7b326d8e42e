"""pdfium opened in one place (``load_pdfium``), and its errors translated from that call only.

pdfium keeps its last error until a later failure sets another, and pypdfium2 reads that error also for a file that
opened but has no pages: after a password-protected file, a file without pages was called password-protected. Here
the error is read only right after the call that failed to open the file (it returned no document). Every module
that opens a PDF with pdfium (the reader, the triage, OCR's rendering, the audit's images) opens it here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.internal as pdfium_i
import pypdfium2.raw as pdfium_c

from extract.core.errors import EncryptedPdfError, StjError, TruncatedPdfError

NO_PAGES = "The PDF has no pages"  # the reason given when neither reader finds a page


class PdfiumRefusal(pdfium.PdfiumError):
    """pdfium cannot open a file: ``code`` (also ``err_code``) is the error of that very call (an ``FPDF_ERR_*``),
    ``text`` says it as pypdfium2 does ("Failed to load document (PDFium: Data format error).")."""

    def __init__(self, code: int):
        self.code = code
        self.text = f"Failed to load document (PDFium: {pdfium_i.ErrorToStr.get(code, f'error {code}')})."
        super().__init__(self.text, err_code=code)

    @property
    def password(self) -> bool:
        """It needs a password (no password, or the empty one, opens it)."""
        return self.code == pdfium_c.FPDF_ERR_PASSWORD


def load_pdfium(path: Path | str) -> pdfium.PdfDocument:
    """``path`` opened with pdfium (no password: an empty user password opens it), with as many pages as pdfium
    finds in it, none included. Raises ``PdfiumRefusal`` when pdfium cannot open it, ``OSError`` for a file that is
    not there. The error is that of this call, read right after it returned no document (see the module's
    docstring)."""
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise FileNotFoundError(path)
    raw = pdfium_c.FPDF_LoadDocument(os.fsencode(path) + b"\x00", None)
    if not raw:
        raise PdfiumRefusal(pdfium_c.FPDF_GetLastError())
    return pdfium.PdfDocument(raw)


def open_pdfium(path: Path) -> pdfium.PdfDocument:
    """``path`` opened with pdfium (``load_pdfium``); its errors translated: ``EncryptedPdfError`` for a file that
    needs a password, ``TruncatedPdfError`` for one pdfium cannot open or finds no pages in."""
    try:
        pdf = load_pdfium(path)
    except PdfiumRefusal as refusal:
        raise pdfium_reason(refusal) from refusal
    if len(pdf) == 0:
        pdf.close()
        raise TruncatedPdfError(f"{NO_PAGES}; download it again.")
    return pdf


def pdfium_reason(refusal: PdfiumRefusal) -> StjError:
    """Why pdfium cannot open a file, as the reason to give."""
    if refusal.password:
        return EncryptedPdfError()
    if refusal.code == pdfium_c.FPDF_ERR_SECURITY:
        return EncryptedPdfError.unsupported(f"pdfium: {refusal.text.rstrip('.')}")
    return TruncatedPdfError(f"The PDF is damaged or truncated and cannot be read (pdfium: {refusal.text.rstrip('.')}"
                             "); download it again.")
