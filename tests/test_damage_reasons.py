"""Damage is reported as damage, and only damage; every reason is true; stderr holds only the ``stj:`` lines.

Samples rewritten in ways PDF writers write them (a page's content as an array of streams, split over several
streams, a page tree nested deeper than pdfminer recurses, page leaves without ``/Type``, encrypted with an owner
password only) read ``ok`` with the same rows as the originals. Page boxes that are no boxes end ``partial`` naming
the damage, never as an internal error. A file pdfminer cannot read is checked against pdfium before it is called
damaged, empty or password-protected, and read from pdfium's repair of it where pdfium can read it. Library warnings
stay out of stderr below -v.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from extract.cli import LogFilter, configure_logging
from extract.core.errors import EncryptedPdfError, TruncatedPdfError
from extract.core.settings import RunOptions
from extract.document.findings import finding_id
from extract.read import pdf as read
from extract.read.pagetree import US_LETTER, box_of, rotation, sane_attrs
from extract.read.pdf import read_pdf
from extract.run.pipeline import process_document
from tests.builders import build_pdf
from tests.conftest import BORN_DIGITAL, ROOT, SAMPLES
from tests.fuzzing import BAD_BOXES, BAD_ROTATES, INTERNAL, XREF_ENTRY, mutants, mutate

DEEPER_THAN_PDFMINER_RECURSES = 1500  # page-tree levels (pdfminer's recursive walk fails at about 990)


def rows(result, doc_id: str) -> list[tuple]:
    """A result's findings as (finding_id under ``doc_id``, verdict, caveat, finding text, page), sorted: the same
    document rewritten has another hash, so its ids are recomputed under the original's."""
    return sorted((finding_id(doc_id, f.aanpak, f.year, f.indicator_id), f.verdict, f.caveat, f.finding, f.page)
                  for f in result.findings)


class _Originals(dict):
    """The born-digital samples' results, each extracted when first asked for (most tests want only one)."""

    def __init__(self, cache: Path):
        super().__init__()
        self.cache = cache

    def __missing__(self, name: str):
        self[name] = process_document(SAMPLES / name, RunOptions(cache_dir=self.cache))
        return self[name]


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, object]:
    return _Originals(tmp_path_factory.mktemp("cache"))


def _same_as_original(path: Path, original, tmp_path: Path) -> None:
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert (result.status, result.errors) == ("ok", []), result.errors
    assert original.status == "ok" and original.findings
    assert rows(result, original.doc_id) == rows(original, original.doc_id)


# ---------------------------------------------------------------- content as an array of streams


def split_content(data: bytes, parts: int) -> list[bytes]:
    """Decoded page content cut into ``parts`` pieces at operator boundaries near equal shares: before a line that
    starts with ``q``, ``Q`` or ``BT`` (the line before it ended with an operator)."""
    boundaries = [m.start() + 1 for m in re.finditer(rb"\n(?=(?:q|Q|BT)\b)", data)]
    cuts = sorted({min(boundaries, key=lambda b: abs(b - len(data) * k / parts)) for k in range(1, parts)})
    edges = [0, *cuts, len(data)]
    return [data[a:b] for a, b in zip(edges, edges[1:]) if b > a]


def rewrite_contents(source: Path, target: Path, parts: int) -> Path:
    """``source`` with every page's /Contents an array: of the one stream it had (``parts`` 1), or of its decoded
    content split into ``parts`` streams (each compressed again when saved)."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            content = page.obj.Contents
            if parts == 1:
                page.obj.Contents = pikepdf.Array([content])
            else:
                pieces = split_content(content.read_bytes(), parts)
                assert len(pieces) == parts
                page.obj.Contents = pikepdf.Array([pdf.make_stream(piece) for piece in pieces])
        pdf.save(target)
    return target


@pytest.mark.slow  # each case extracts a whole sample and its original (the fast layer keeps the split itself and a
# missing stream, below)
@pytest.mark.parametrize("name", BORN_DIGITAL)
@pytest.mark.parametrize("parts", [1, 2, 3])
def test_content_as_an_array_of_streams_reads_as_the_original(originals, tmp_path, name, parts):
    path = rewrite_contents(SAMPLES / name, tmp_path / name, parts)
    with pdfplumber.open(path) as pdf:
        contents = pdf.pages[0].page_obj.attrs["Contents"]
        assert isinstance(contents, list) and len(contents) == parts  # references, as pdfminer leaves them
    _same_as_original(path, originals[name], tmp_path)


def test_content_split_is_at_operator_boundaries():
    data = b"q\n1 0 0 1 0 0 cm\nBT (a) Tj ET\nQ\nq\nBT (b) Tj ET\nQ\nBT (c) Tj ET\n"
    pieces = split_content(data, 3)
    assert b"".join(pieces) == data and len(pieces) == 3
    assert all(piece.startswith((b"q", b"Q", b"BT")) for piece in pieces[1:])


def test_an_element_of_the_content_array_that_leads_nowhere_is_named(tmp_path):
    path = rewrite_contents(SAMPLES / "almere-2015.pdf", tmp_path / "two.pdf", 2)
    data = path.read_bytes()
    with pdfplumber.open(path) as pdf:
        lost = pdf.pages[2].page_obj.attrs["Contents"][1].objid
    start = data.index(b"\n%d 0 obj" % lost) + 1
    end = data.index(b"endobj", start) + len(b"endobj")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[:start] + b" " * (end - start) + data[end:])
    result = process_document(damaged, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial"
    assert ("page 3: 1 of its 2 content streams are missing and may be read incompletely (download the file again)"
            in result.errors)


# ---------------------------------------------------------------- page boxes


NOT_A_BOX = {"[0 0 /A4 842]", "[(0) 0 595 842]", "[0 0 true 842]", "[0 0 595]", "[0 0 595 842 10]", "[]", "(A4)",
             "/A4", "null", "9999 0 R", "[0 0 0 0]", "[300 400 300 400]", "[0 0 1e30 1e30]", "[0 0 0.001 0.001]"}


@pytest.mark.slow  # a loop over generated mutants, each extracted whole
def test_a_box_mutant_is_damage_never_an_internal_error(tmp_path):
    """Every box mutant of a sample (a /MediaBox, /CropBox or /Rotate made absurd) ends ok (readers cope: a bad
    /CropBox or /Rotate is ignored) or partial/failed with a reason that says the file is damaged."""
    data = (SAMPLES / "haarlemmermeer-2013.pdf").read_bytes()
    made = mutants(data, 4, 16, source="haarlemmermeer-2013.pdf", operations=["box"])
    assert {m.operations[0].split()[1] for m in made} == {"/MediaBox", "/CropBox", "/Rotate"}
    outcomes, wrong = [], []
    for mutant in made:
        path = tmp_path / mutant.name
        path.write_bytes(mutant.data)
        result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
        outcomes.append((mutant.description, result.status, result.error))
        if any(e.startswith(INTERNAL) for e in result.errors):
            wrong.append((mutant.description, "internal error", result.error))
        elif result.status not in ("ok", "partial", "failed"):
            wrong.append((mutant.description, "status", result.status))
        elif result.status != "ok" and "damaged" not in result.error:
            wrong.append((mutant.description, "reason does not say damaged", result.error))
        elif (mutant.description.startswith("box: /MediaBox") and mutant.description.split(" -> ")[1] in NOT_A_BOX
              and (result.status == "ok" or "its page size is damaged" not in result.error)):
            wrong.append((mutant.description, "a page size that is no box is not named", result.error))
    assert wrong == [], f"{len(wrong)} of {len(made)} mutants: {wrong}"
    assert any(status == "partial" for _, status, _ in outcomes)


def _with_box(data: bytes, old: bytes, new: bytes, every: bool = False) -> bytes:
    """``data`` with the first (or every) ``old`` replaced, the cross-reference shifted to match."""
    from tests.fuzzing import splice

    starts = [m.start() for m in re.finditer(re.escape(old), data)]
    for start in reversed(starts if every else starts[:1]):
        data = splice(data, start, start + len(old), new)
    return data


MEDIABOX = b"/MediaBox [ 0 0 595.2756 841.8898 ]"


@pytest.mark.slow  # extracts the whole damaged sample and the original (the fast layer keeps the box rules as units)
def test_a_mediabox_holding_a_non_number_is_named_damage_with_every_row(originals, tmp_path):
    """It failed as "internal error (MalformedPDFException: Bounding box contains non-number coordinate(s) ...)".
    Now the page is read as US Letter, as pdfminer and pdfium read it, and named."""
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    path = tmp_path / "mediabox.pdf"
    path.write_bytes(_with_box(data, MEDIABOX, b"/MediaBox [ (0) 0 595.2756 841.8898 ]"))
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial"
    assert result.errors[0].startswith("page 1: its page size is damaged (/MediaBox [(0) 0 595.276 841.89]: not "
                                       "four numbers); read as US Letter")
    assert "download the file again" in result.errors[0]
    original = originals["almere-2015.pdf"]
    assert {r[0] for r in rows(result, original.doc_id)} == {r[0] for r in rows(original, original.doc_id)}


@pytest.mark.slow  # each case extracts the whole sample; the fast layer keeps the box and rotation rules as units
@pytest.mark.parametrize("value", [b"(90)", b"/R90", b"[90]", b"9999 0 R", b"true", b"45", b"3.5"])
def test_a_rotate_that_is_no_rotation_is_read_upright(originals, tmp_path, value):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    path = tmp_path / "rotate.pdf"
    path.write_bytes(_with_box(data, b"/Rotate 0", b"/Rotate " + value, every=True))
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


@pytest.mark.slow  # each case extracts the whole sample; the fast layer keeps the box and rotation rules as units
@pytest.mark.parametrize("value", [b"[0 0 /A4 842]", b"(A4)", b"[0 0 595]", b"9999 0 R", b"[0 0 0 0]"])
def test_a_cropbox_that_is_no_box_is_ignored(originals, tmp_path, value):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    path = tmp_path / "cropbox.pdf"
    path.write_bytes(_with_box(data, MEDIABOX, MEDIABOX + b" /CropBox " + value, every=True))
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


@pytest.mark.slow  # extracts the whole sample (the fast layer has the box rules as units)
def test_an_inverted_mediabox_reads_as_the_original(originals, tmp_path):
    """Corners given upper-right first: pdfminer would shift the text off the page; readers take the box whole."""
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    path = tmp_path / "inverted.pdf"
    path.write_bytes(_with_box(data, MEDIABOX, b"/MediaBox [ 595.2756 841.8898 0 0 ]", every=True))
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


def test_box_and_rotation_rules():
    assert box_of([0, 0, 595, 842]) == ([0.0, 0.0, 595.0, 842.0], "")
    assert box_of([595, 842, 0, 0]) == ([0.0, 0.0, 595.0, 842.0], "")
    assert box_of(None)[1] == "missing"
    assert box_of([0, 0, True, 842])[1] == box_of([0, 0, 595])[1] == box_of(b"A4")[1] == "not four numbers"
    assert box_of([0, 0, float("inf"), 842])[1] == "not four numbers"
    assert box_of([0, 0, 0, 0])[1] == box_of([0, 0, 1, 1])[1] == "a box of no size"
    assert [rotation(v, 1) for v in (90, -90, 450, 90.0, 45, 3.5, True, b"90", None)] == [90, 270, 90, 90, 0, 0, 0,
                                                                                          0, 0]
    attrs, problem = sane_attrs({"MediaBox": [0, 0, 0, 0], "CropBox": [1], "Rotate": b"x"}, 7)
    assert attrs == {"MediaBox": list(US_LETTER), "Rotate": 0}
    assert str(problem).startswith("page 7: its page size is damaged (/MediaBox [0 0 0 0]: a box of no size)")
    assert sane_attrs({"MediaBox": [0, 0, 595, 842], "Rotate": 180}, 1) == ({"MediaBox": [0, 0, 595, 842],
                                                                            "Rotate": 180}, None)


def test_box_mutants_damage_only_the_box():
    """The cross-reference is shifted with the edit: every object is still where the table says."""
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    for seed in range(12):
        mutant = mutate(data, seed, "box")
        assert mutant.operations[0].startswith("box: /")
        value = mutant.operations[0].split(" -> ")[1].encode()
        assert value in BAD_BOXES + BAD_ROTATES and value in mutant.data
        for entry in XREF_ENTRY.finditer(mutant.data):
            if entry.group(3) == b"n":
                assert re.match(rb"\d+ \d+ obj", mutant.data[int(entry.group(1)):]), (seed, entry.group(0))


# ---------------------------------------------------------------- the page tree


def pdfminer_pages(path: Path) -> int:
    """The pages pdfminer's own page-tree walk finds."""
    with open(path, "rb") as handle:
        return sum(1 for _ in PDFPage.create_pages(PDFDocument(PDFParser(handle))))


@pytest.mark.slow  # builds a page tree 1500 levels deep, then extracts the whole sample
def test_a_page_tree_deeper_than_pdfminer_recurses_is_read(originals, tmp_path):
    path = tmp_path / "deep.pdf"
    with pikepdf.open(SAMPLES / "almere-2015.pdf") as pdf:
        node = pdf.Root.Pages
        for _ in range(DEEPER_THAN_PDFMINER_RECURSES):
            node = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=pikepdf.Array([node]),
                                                        Count=node.Count))
        pdf.Root.Pages = node
        pdf.save(path)
    with pytest.raises(RecursionError):
        pdfminer_pages(path)  # what failed as "damaged" before
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


@pytest.mark.slow  # extracts the whole sample (the fast layer keeps the pdfium-repair case)
def test_page_leaves_without_a_type_are_pages(originals, tmp_path):
    """pdfminer takes only nodes that say /Type /Page (it found none: "has no pages"); pdfium takes any leaf."""
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    stripped = re.sub(rb"/Type /Page(?![a-z])", lambda m: b" " * len(m.group(0)), data)
    path = tmp_path / "untyped.pdf"
    path.write_bytes(stripped)
    assert pdfminer_pages(path) == 0
    assert len(pdfium.PdfDocument(str(path))) == 5
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


# ---------------------------------------------------------------- checked against pdfium


def test_a_file_pdfminer_finds_no_pages_in_is_read_as_pdfium_repairs_it(originals, tmp_path):
    """Every cross-reference entry pointing at the start of the file: pdfminer finds no pages, pdfium rebuilds the
    table and reads them all; the document is partial (the file is damaged) with every row."""
    data = (SAMPLES / "haarlemmermeer-2013.pdf").read_bytes()
    broken = XREF_ENTRY.sub(lambda m: b"0000000000 %s %s" % (m.group(2), m.group(3)), data)
    path = tmp_path / "xref.pdf"
    path.write_bytes(broken)
    with pytest.raises(read.Unreadable, match="no pages"):
        read.read_text_layer(path)
    assert len(pdfium.PdfDocument(str(path))) == 9
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial"
    assert result.errors == ["the file is damaged (pdfminer finds no pages) and was read as pdfium repairs it: check "
                             "its rows, or download it again"]
    original = originals["haarlemmermeer-2013.pdf"]
    assert rows(result, original.doc_id) == rows(original, original.doc_id)


def test_a_file_neither_reader_can_open_is_damaged(tmp_path):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[:len(data) // 3])
    assert read.ask_pdfium(path).pages == 0
    with pytest.raises(TruncatedPdfError, match="damaged or truncated"):
        read_pdf(path)


def test_a_file_without_pages_for_either_reader_has_no_pages(tmp_path):
    path = tmp_path / "empty-tree.pdf"
    path.write_bytes(build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    assert read.ask_pdfium(path).pages == 0
    with pytest.raises(TruncatedPdfError, match="^The PDF has no pages"):
        read_pdf(path)


OWNER_ONLY = {
    "rc4-128": pikepdf.Encryption(owner="x", user="", R=3, aes=False, metadata=False),
    "aes-128": pikepdf.Encryption(owner="x", user="", R=4, aes=True),
    "aes-256": pikepdf.Encryption(owner="x", user="", R=6),
    "aes-128-no-copying": pikepdf.Encryption(owner="x", user="", R=4, aes=True,
                                             allow=pikepdf.Permissions(extract=False, accessibility=False)),
}


def encrypted(source: Path, target: Path, encryption: pikepdf.Encryption) -> Path:
    with pikepdf.open(source) as pdf:
        pdf.save(target, encryption=encryption, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return target


@pytest.mark.slow  # each case extracts the whole sample and its original (the fast layer keeps the user password)
@pytest.mark.parametrize("kind", sorted(OWNER_ONLY))
def test_an_owner_password_only_is_no_protection(originals, tmp_path, kind):
    path = encrypted(SAMPLES / "almere-2015.pdf", tmp_path / f"{kind}.pdf", OWNER_ONLY[kind])
    assert b"/Encrypt" in path.read_bytes()
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


@pytest.mark.parametrize("revision", [3, 6])
def test_a_user_password_is_protection(tmp_path, revision):
    path = encrypted(SAMPLES / "almere-2015.pdf", tmp_path / "locked.pdf",
                     pikepdf.Encryption(owner="x", user="geheim", R=revision, aes=revision > 3,
                                        metadata=revision > 3))
    assert read.ask_pdfium(path).password
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert (result.status, result.errors) == ("failed", [EncryptedPdfError().message])
    assert "password-protected" in result.error


@pytest.mark.slow  # extracts the whole sample (the fast layer keeps the owner-password case)
def test_an_encryption_pdfminer_does_not_know_is_read_through_pdfium(originals, tmp_path):
    """/V 3 (an algorithm pdfminer does not implement): it was called password-protected; pdfium opens it without
    a password and decrypts it, so it is read whole, and ok."""
    from tests.fuzzing import splice

    path = encrypted(SAMPLES / "almere-2015.pdf", tmp_path / "rc4.pdf", OWNER_ONLY["rc4-128"])
    data = path.read_bytes()
    at = data.index(b"/V 2", data.index(b"/Filter /Standard"))
    path.write_bytes(splice(data, at, at + 4, b"/V 3"))
    with pytest.raises(read.Unreadable) as refused:
        read.read_text_layer(path)
    assert isinstance(refused.value.reason, EncryptedPdfError)
    _same_as_original(path, originals["almere-2015.pdf"], tmp_path)


def test_pdfium_errors_are_translated_where_they_enter(tmp_path):
    from extract.read.source import quick_facts

    path = tmp_path / "truncated.pdf"
    path.write_bytes((SAMPLES / "almere-2015.pdf").read_bytes()[:2000])
    with pytest.raises(TruncatedPdfError, match=r"pdfium: Failed to load document"):
        quick_facts(path)
    locked = encrypted(SAMPLES / "almere-2015.pdf", tmp_path / "locked.pdf",
                       pikepdf.Encryption(owner="x", user="geheim", R=4, aes=True))
    with pytest.raises(EncryptedPdfError):
        read.open_pdfium(locked)


def test_a_page_pdfium_cannot_render_is_damage_not_a_failure_of_ocr(tmp_path):
    """Named as the file's damage (and kept in the results cache), not as "OCR failed" (retried every run)."""
    from extract.core.enums import ProblemCategory
    from extract.core.errors import PageOcrError
    from extract.core.settings import OcrSettings
    from extract.ocr.image import render

    path = tmp_path / "truncated.pdf"
    path.write_bytes((SAMPLES / "almere-2015.pdf").read_bytes()[:2000])
    with pytest.raises(PageOcrError) as refused:
        render(path, 1, OcrSettings(dpi=150))
    assert refused.value.message == ("page 1: pdfium cannot open the file to render the page (Failed to load "
                                     "document (PDFium: Data format error); the file is damaged)")
    assert refused.value.problem.category == ProblemCategory.damaged and refused.value.problem.cacheable


# ---------------------------------------------------------------- library warnings


def fonts_without_bbox_pdf(path: Path) -> Path:
    """One page of text in a font whose descriptor has no /FontBBox (pdfminer warns, and reads the text)."""
    content = b"BT /F1 12 Tf 72 720 Td (Uitkomsten toezichtonderzoek) Tj ET"
    path.write_bytes(build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >>"
        b" >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /DamagedSans /FirstChar 32 /LastChar 126 /Widths [" +
        b" ".join([b"500"] * 95) + b"] /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /DamagedSans /Flags 32 /ItalicAngle 0 /Ascent 900 /Descent -200 "
        b"/CapHeight 700 /StemV 80 >>",
    ]))
    return path


def test_font_warnings_are_counted_and_logged_not_made_problems(tmp_path, caplog):
    path = fonts_without_bbox_pdf(tmp_path / "fonts.pdf")
    with caplog.at_level(logging.INFO):
        source = read_pdf(path)
    page = source.pages[0]
    assert " ".join(w.text for w in page.words) == "Uitkomsten toezichtonderzoek" and page.error == ""
    warned = [r for r in caplog.records if r.name.startswith("pdfminer") and r.levelno >= logging.WARNING]
    assert any("FontBBox" in r.getMessage() for r in warned)
    summary = [r.getMessage() for r in caplog.records if r.name == "extract.read.damage" and "warnings from pdfminer" in
               r.getMessage()]
    assert len(summary) == 1 and summary[0].startswith("page 1: 1 warnings from pdfminer") and "FontBBox" in summary[0]


@pytest.fixture
def restored_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("pdfminer", "pdfplumber", "PIL", "pypdfium2")}
    yield
    root.handlers, root.level = handlers, level
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
    logging.captureWarnings(False)


@pytest.mark.parametrize("verbose,shown", [(0, set()),
                                           (1, {"extract.api WARNING", "extract.api INFO", "pdfminer.pdffont WARNING",
                                                "py.warnings WARNING"})])
def test_library_logs_reach_stderr_only_at_v(capsys, restored_logging, verbose, shown):
    import warnings

    configure_logging(verbose)
    for name, level in (("extract.api", logging.WARNING), ("extract.api", logging.INFO),
                        ("pdfminer.pdffont", logging.WARNING), ("pdfminer.psparser", logging.DEBUG),
                        ("extract.output.folder", logging.WARNING)):
        logging.getLogger(name).log(level, f"a message from {name}")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a library's warning", UserWarning)
    err = capsys.readouterr().err
    seen = {f"{name} {level}" for level, name in re.findall(r"^(\w+) ([\w.]+): ", err, re.M)}
    if verbose == 0:  # only what a user waits on (the lock), as an stj: line
        assert err.splitlines() == ["stj: a message from extract.output.folder"], err
    else:
        assert seen == shown | {"extract.output.folder WARNING"}, err


def test_the_log_filter_tells_our_records_from_the_libraries():
    keep = LogFilter(logging.WARNING, None)
    record = lambda name, level: logging.LogRecord(name, level, __file__, 1, "m", None, None)  # noqa: E731
    assert keep.filter(record("extract.read.pdf", logging.WARNING))
    assert not keep.filter(record("extract.read.pdf", logging.INFO))
    assert not keep.filter(record("pdfminer.pdffont", logging.ERROR))
    assert not keep.filter(record("extractor", logging.WARNING))  # not ours: only "extract" and its children are
    assert LogFilter(logging.INFO, logging.WARNING).filter(record("pdfminer.pdffont", logging.WARNING))


@pytest.mark.slow
def test_stderr_holds_only_the_reasons(tmp_path):
    """``stj run`` over damaged files (fuzz mutants whose pdfminer warns about fonts and boxes, a truncated file,
    a file that is no PDF): every line on stderr is an ``stj:`` reason; the summary is on stdout."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("almere-2015.pdf", "haarlemmermeer-2013.pdf"):
        data = (SAMPLES / name).read_bytes()
        for mutant in mutants(data, 31, 6, source=name, operations=["flip", "box", "number", "delete", "xref"]):
            (folder / mutant.name).write_bytes(mutant.data)
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[:len(data) // 2])
    (folder / "notes.pdf").write_text("dit is geen pdf\n")
    fonts_without_bbox_pdf(folder / "fonts.pdf")
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(folder), "--out", str(tmp_path / "out"),
                           "--no-cache", "--jobs", "1"], capture_output=True, text=True, cwd=ROOT, timeout=900)
    lines = proc.stderr.splitlines()
    assert lines and all(line.startswith("stj: ") for line in lines), proc.stderr
    assert "stj: truncated.pdf: failed: " in proc.stderr and "stj: notes.pdf: failed: " in proc.stderr
    assert not any(INTERNAL in line for line in lines), proc.stderr
    assert re.search(r"^\d+ files: \d+ ok, \d+ partial, \d+ failed, \d+ skipped", proc.stdout, re.M), proc.stdout
