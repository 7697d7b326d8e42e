"""Hostile but valid PDFs get true reasons, read in one batch (one process: pdfium's state outlives a file).

Made from a born-digital sample: encrypted with a user password, then a file pdfium opens but finds no pages in
(pdfium keeps its last error, and pypdfium2 reads it for a file without pages too: it was called password-protected);
encrypted (AES-256) with an empty user password (opened and read as the original); a page compressed with
/BrotliDecode (no reader here decodes it: the reason names the filter, not damage); a form whose /BBox holds a
reference to a number, and an /Info entry pointing at the page tree (readers read both: not damaged).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from extract.core.errors import EncryptedPdfError, TruncatedPdfError
from extract.core.settings import RunOptions
from extract.read import pdf as read
from extract.run.pipeline import process_document
from tests.builders import build_pdf
from tests.conftest import SAMPLES
from tests.fuzzing import splice

SAMPLE = SAMPLES / "almere-2015.pdf"


def locked(target: Path) -> Path:
    with pikepdf.open(SAMPLE) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="x", user="geheim", R=6))
    return target


def no_pages(target: Path) -> Path:
    target.write_bytes(build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    return target


def empty_user_password(target: Path) -> Path:
    with pikepdf.open(SAMPLE) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="x", user="", aes=True, R=6))
    return target


def brotli(target: Path) -> Path:
    """The last page's content said to be compressed with /BrotliDecode (a filter of PDF 2.0's drafts)."""
    with pikepdf.open(SAMPLE) as pdf:
        pdf.pages[-1].obj.Contents.write(b"\x1b\x03\x00\xf8\xa5\x40\x20", filter=pikepdf.Name.BrotliDecode)
        pdf.save(target)
    return target


def bbox_reference(target: Path) -> Path:
    """Every page draws an (empty) form whose /BBox is ``[0 0 N 0 R 842]``, object N the number 595."""
    with pikepdf.open(SAMPLE) as pdf:
        pdf.Root.StjMarker = pdf.make_indirect(pikepdf.Dictionary(StjMarker=1))
        for page in pdf.pages:
            resources = page.obj.Resources
            if "/XObject" not in resources:
                resources.XObject = pikepdf.Dictionary()
            resources.XObject.StjForm = pdf.make_stream(b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                                        BBox=pikepdf.Array([0, 0, 595.123456, 842]))
            page.obj.Contents.write(page.obj.Contents.read_bytes() + b"\nq /StjForm Do Q\n")
        pdf.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = target.read_bytes()
    number = int(re.search(rb"/StjMarker (\d+) 0 R", data).group(1))
    at = data.index(b"<< /StjMarker 1 >>")
    data = splice(data, at, at + len(b"<< /StjMarker 1 >>"), b"595")
    for found in reversed(list(re.finditer(rb"595\.123456", data))):
        data = splice(data, found.start(), found.end(), b"%d 0 R" % number)
    assert re.search(rb"/BBox \[ 0 0 %d 0 R 842 \]" % number, data)
    target.write_bytes(data)
    return target


def info_to_pages(target: Path) -> Path:
    with pikepdf.open(SAMPLE) as pdf:
        pdf.trailer.Info = pdf.trailer.get("/Info") or pdf.make_indirect(pikepdf.Dictionary())
        pdf.trailer.Info.Foo = pdf.Root.Pages
        pdf.save(target)
    return target


CORPUS = {"locked.pdf": locked, "no-pages.pdf": no_pages, "empty-user-password.pdf": empty_user_password,
          "brotli.pdf": brotli, "bbox-reference.pdf": bbox_reference, "info-to-pages.pdf": info_to_pages}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The corpus and the original read in this order, one after the other, in this process."""
    folder = tmp_path_factory.mktemp("hostile")
    options = RunOptions(cache_dir=folder / "cache")
    results = {"original": process_document(SAMPLE, options)}
    for name, make in CORPUS.items():
        results[name] = process_document(make(folder / name), options)
    assert results["original"].status == "ok" and results["original"].findings
    return results


def test_a_password_is_protection(batch):
    assert (batch["locked.pdf"].status, batch["locked.pdf"].errors) == ("failed", [EncryptedPdfError().message])


def test_a_file_after_a_password_protected_one_is_not_called_password_protected(batch):
    result = batch["no-pages.pdf"]
    assert result.status == "failed"
    assert result.errors == ["The PDF has no pages; download it again."]
    assert "password" not in result.error


def test_pdfium_reports_the_error_of_its_own_call(tmp_path):
    """pdfium's last error (a password asked for) does not stick to the next file."""
    protected, empty = locked(tmp_path / "locked.pdf"), no_pages(tmp_path / "empty.pdf")
    with pytest.raises(read.PdfiumRefusal) as refused:
        read.load_pdfium(protected)
    assert refused.value.password
    assert read.ask_pdfium(protected).password
    second = read.ask_pdfium(empty)
    assert (second.pages, second.password, second.error) == (0, False, "")
    with pytest.raises(TruncatedPdfError, match="^The PDF has no pages"):
        read.open_pdfium(empty)
    with pytest.raises(TruncatedPdfError, match="^The PDF has no pages"):
        read.read_pdf(empty)


def test_an_empty_user_password_is_read_as_the_original(batch):
    result, original = batch["empty-user-password.pdf"], batch["original"]
    assert (result.status, result.errors) == ("ok", [])
    assert len(result.findings) == len(original.findings)


def test_an_unsupported_filter_is_named_not_called_damage(batch):
    result = batch["brotli.pdf"]
    assert result.status == "partial"
    [reason] = [e for e in result.errors if "Brotli" in e]
    assert reason == ("page 5: the page could not be read: it is compressed with /BrotliDecode, a filter the PDF "
                      "reader used here does not support")
    assert "damaged" not in reason and "download" not in reason


def test_a_bbox_holding_a_reference_is_read(batch):
    result, original = batch["bbox-reference.pdf"], batch["original"]
    assert (result.status, result.errors) == ("ok", [])
    assert len(result.findings) == len(original.findings)


def test_an_info_entry_pointing_at_the_pages_is_read(batch):
    result, original = batch["info-to-pages.pdf"], batch["original"]
    assert (result.status, result.errors) == ("ok", [])
    assert len(result.findings) == len(original.findings)
