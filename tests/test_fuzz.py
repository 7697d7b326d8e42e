"""Fuzzed and foreign PDFs. Thirty seeded mutants of the samples (``tests/fuzzing.py``: byte flips in streams,
truncation, deleted objects, broken cross-references, garbage appended, extreme numbers, and combinations) go
through ``extract.api.run`` in one batch with the intact born-digital samples, each document under a time guard:
no internal error, no hang, every mutant ``ok``, ``partial``, ``failed`` or ``skipped`` (with a one-line reason
unless ``ok``), and the intact documents give the same rows as alone. Unrelated real-looking PDFs
(``tests/foreign.py``) are skipped with a reason. (``benchmarks/fuzz.py`` runs 200 and more.)"""

from __future__ import annotations

import hashlib
import shutil

import pypdfium2 as pdfium
import pytest

from extract.core.errors import UnrelatedDocumentError
from extract.core.settings import RunOptions
from extract.read.source import decide_source, quick_facts
from extract.run.pipeline import process_document
from tests.conftest import BORN_DIGITAL, SAMPLES
from tests.foreign import MAKERS, make_all
from tests.fuzzing import (INTERNAL, OPERATIONS, STATUSES, first_pages, mutants, mutate, problems_of, rows_of,
                           run_guarded, streams)

SEED = 20240
BORN_MUTANTS = 28  # over the born-digital samples, every operation
SCANNED_MUTANTS = 2  # of a scanned sample cut to its first three pages (OCR is slow)
GUARD = 120.0  # seconds one document or OCR page may take: a generous guard against hangs, not a timing test


@pytest.fixture(scope="module")
def fuzz_batch(tmp_path_factory):
    """(run, {mutant path: Mutant}, intact paths): one guarded ``api.run`` over the mutants and intact samples."""
    folder = tmp_path_factory.mktemp("fuzz")
    batch = folder / "batch"
    batch.mkdir()
    made = {}
    sources = [SAMPLES / name for name in BORN_DIGITAL]
    for index, source in enumerate(sources):
        count = BORN_MUTANTS // len(sources) + (1 if index < BORN_MUTANTS % len(sources) else 0)
        turn = len(made) % len(OPERATIONS)
        for mutant in mutants(source.read_bytes(), SEED + index, count, source=source.name,
                              operations=OPERATIONS[turn:] + OPERATIONS[:turn]):
            made[batch / mutant.name] = mutant
    scan = first_pages(SAMPLES / "almere-2015-scan.pdf", 3, folder / "almere-2015-scan.first3.pdf")
    for mutant in mutants(scan.read_bytes(), SEED, SCANNED_MUTANTS, source=scan.name, operations=("flip", "xref")):
        made[batch / mutant.name] = mutant
    for path, mutant in made.items():
        path.write_bytes(mutant.data)
    intact = [batch / name for name in BORN_DIGITAL]
    for path in intact:
        shutil.copy(SAMPLES / path.name, path)
    run = run_guarded(sorted(made) + intact, folder / "out", RunOptions(cache_dir=folder / "cache"), GUARD)
    return run, made, intact, folder / "out"


def _results(fuzz_batch) -> dict[str, object]:
    run, _, _, _ = fuzz_batch
    return {r.source_file: r for r in run.summary.results}


def test_cut_scans_are_the_same_bytes_every_time(tmp_path):
    """Mutants are seeded by their source's bytes, so the cut scans they are made from must not carry pdfium's
    creation date or random file ID: the fuzz figures are then the same on every run."""
    one = first_pages(SAMPLES / "almere-2015-scan.pdf", 2, tmp_path / "one.pdf").read_bytes()
    two = first_pages(SAMPLES / "almere-2015-scan.pdf", 2, tmp_path / "two.pdf").read_bytes()
    assert one == two
    assert len(pdfium.PdfDocument(tmp_path / "one.pdf")) == 2


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_every_mutant_was_run(fuzz_batch):
    _, made, intact, _ = fuzz_batch
    assert len(made) == BORN_MUTANTS + SCANNED_MUTANTS == 30
    assert set(_results(fuzz_batch)) == {p.name for p in made} | {p.name for p in intact}


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_no_internal_error(fuzz_batch):
    internal = {name: r.error for name, r in _results(fuzz_batch).items()
                if any(e.startswith(INTERNAL) for e in r.errors)}
    assert internal == {}


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_every_mutant_ends_with_a_status_and_a_reason(fuzz_batch):
    run, made, _, _ = fuzz_batch
    assert problems_of(run.summary.results) == []
    for path in made:
        result = _results(fuzz_batch)[path.name]
        assert result.status in STATUSES
        assert result.status == "ok" or result.error.strip(), path.name


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_no_hang(fuzz_batch):
    """``run_guarded`` stops the batch (the fixture fails) if any one document or OCR page takes over the guard."""
    run, _, _, _ = fuzz_batch
    assert run.seconds and max(run.seconds.values()) < GUARD


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_damage_is_noticed(fuzz_batch):
    """Not every mutant can be read, and not every one comes through unharmed: the batch holds all kinds."""
    statuses = {r.status for name, r in _results(fuzz_batch).items() if ".s" in name}
    assert {"failed", "partial"} <= statuses


@pytest.mark.slow  # the fuzz batch: 30 mutants (two of scans, through OCR)
def test_intact_documents_give_the_same_rows_as_alone(fuzz_batch, born_digital_run):
    run, _, intact, out = fuzz_batch
    ids = {r.doc_id for r in run.summary.results if r.source_file in {p.name for p in intact}}
    assert len(ids) == len(intact)
    _, alone = born_digital_run
    batch_rows, alone_rows = rows_of(out, ids), rows_of(alone, ids)
    assert batch_rows["findings"] and batch_rows == alone_rows
    assert all(_results(fuzz_batch)[p.name].status == "ok" for p in intact)


# ---------------------------------------------------------------- the fuzzer itself


@pytest.mark.parametrize("operation", OPERATIONS)
def test_mutants_are_deterministic_per_seed(operation):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    first, again, other = (mutate(data, 7, operation), mutate(data, 7, operation), mutate(data, 8, operation))
    assert first == again
    assert first.data != data and other.data != first.data
    assert first.operations and all(line for line in first.operations)


def test_each_operation_does_what_it_says():
    data = (SAMPLES / "haarlemmermeer-2013.pdf").read_bytes()
    spans = streams(data)
    flipped = mutate(data, 1, "flip").data
    changed = [i for i, (a, b) in enumerate(zip(data, flipped)) if a != b]
    assert len(flipped) == len(data) and changed
    assert all(any(start <= i < end for start, end in spans) for i in changed)
    assert len(mutate(data, 1, "truncate").data) < len(data)
    grown = mutate(data, 1, "garbage").data
    assert len(grown) > len(data) and grown.startswith(data)
    for seed in range(4):
        deleted = mutate(data, seed, "delete")
        number = deleted.operations[0].split()[2]
        assert data.count(b"\n%s 0 obj" % number.encode()) == 1
        assert deleted.data.count(b"\n%s 0 obj" % number.encode()) == 0
    broken = mutate(data, 3, "xref")
    assert broken.operations[0].startswith("xref:") and broken.data != data


def test_mutants_are_distinct():
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    made = mutants(data, 5, 40)
    digests = {hashlib.sha256(m.data).hexdigest() for m in made}
    assert len(made) == 40 and len(digests) == 40 and hashlib.sha256(data).hexdigest() not in digests
    assert {m.operations[0].split()[0].rstrip(":") for m in made} >= {"flip", "truncate", "delete", "xref",
                                                                       "garbage", "number"}


# ---------------------------------------------------------------- damage the reader reports


def _object_span(data: bytes, number: int) -> tuple[int, int]:
    start = data.index(b"\n%d 0 obj" % number) + 1
    return start, data.index(b"endobj", start) + len(b"endobj")


def test_a_missing_page_content_makes_the_document_partial(tmp_path):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    start, end = _object_span(data, 31)  # the content stream of page 5 (offsets kept: blanked, not cut)
    path = tmp_path / "almere-damaged.pdf"
    path.write_bytes(data[:start] + b" " * (end - start) + data[end:])
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial"
    assert "page 5: its content is missing (the file is damaged; download it again)" in result.errors


@pytest.mark.slow  # extracts the whole damaged sample (the fast layer keeps the missing-content case)
def test_a_lost_page_makes_the_document_partial(tmp_path):
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    start, end = _object_span(data, 7)  # page 5's page object
    path = tmp_path / "almere-lost-page.pdf"
    path.write_bytes(data[:start] + b" " * (end - start) + data[end:])
    result = process_document(path, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "partial" and result.pages == 4
    assert any("the PDF lists 5 pages but only 4 could be found" in e for e in result.errors)


# ---------------------------------------------------------------- foreign PDFs


@pytest.fixture(scope="module")
def foreign(tmp_path_factory):
    folder = tmp_path_factory.mktemp("foreign")
    paths = make_all(folder)
    options = RunOptions(cache_dir=folder / "cache")
    return paths, {name: process_document(path, options) for name, path in paths.items()}


@pytest.mark.slow  # the foreign fixture extracts eight PDFs, the scanned letter through real OCR
@pytest.mark.parametrize("name", sorted(MAKERS))
def test_foreign_pdf_is_skipped_with_a_reason(foreign, name):
    _, results = foreign
    result = results[name]
    assert (result.status, result.info.kind, result.errors) == ("skipped", "unknown",
                                                                [UnrelatedDocumentError().message])


@pytest.mark.slow  # the foreign fixture extracts eight PDFs, the scanned letter through real OCR
def test_the_scanned_letter_is_read_by_ocr(foreign):
    paths, results = foreign
    facts = quick_facts(paths["letter_scan"])
    assert len(facts) == 1 and decide_source(facts[0]) == "ocr"
    assert results["letter_scan"].pages == 1


@pytest.mark.slow  # the foreign fixture extracts eight PDFs, the scanned letter through real OCR
def test_foreign_pdfs_look_like_their_kind(foreign):
    """Each is a real document of its kind: several pages for slides and articles, a landscape deck, a form with
    fields."""
    import pdfplumber

    paths, _ = foreign
    with pdfplumber.open(paths["slides"]) as pdf:
        assert len(pdf.pages) == 4 and pdf.pages[0].width > pdf.pages[0].height
    with pdfplumber.open(paths["article"]) as pdf:
        assert len(pdf.pages) >= 2
    with pdfplumber.open(paths["form"]) as pdf:
        assert len(pdf.doc.catalog.get("AcroForm").resolve()["Fields"]) >= 10
    with pdfplumber.open(paths["newsletter"]) as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
        assert "Samenwerkend Toezicht Jeugd" in text and "geringe sociale redzaamheid" in text


@pytest.mark.slow  # typesets a factsheet and extracts it damaged (the fast layer keeps the missing-content case)
def test_a_document_whose_telling_page_is_lost_fails_instead_of_being_skipped(tmp_path):
    """A factsheet whose first page (title, gemeente) cannot be read is not called unrelated: it fails, naming the
    page."""
    import pdfplumber

    from tests.synth import make_factsheet

    made = tmp_path / "factsheet.pdf"
    make_factsheet(made, gemeente="Ravensburcht", rng_seed=2)
    with pdfplumber.open(made) as pdf:
        contents = pdf.pages[0].page_obj.attrs["Contents"]
        number = (contents[0] if isinstance(contents, list) else contents).objid
    data = made.read_bytes()
    start = data.index(b"\n%d 0 obj" % number) + 1
    end = data.index(b"endobj", start) + len(b"endobj")
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(data[:start] + b" " * (end - start) + data[end:])
    result = process_document(damaged, RunOptions(cache_dir=tmp_path / "cache"))
    assert result.status == "failed", result.errors
    assert result.error.startswith("page 1: ") and "not recognised as one of the series" in result.error
