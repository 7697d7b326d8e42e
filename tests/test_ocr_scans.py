"""Scanned samples through real Tesseract: the same rows as the born-digital originals, the national report's
figures, and an OCR cache that makes a second run do no OCR at all."""

from __future__ import annotations

import statistics

import pandas as pd
import pytest

from extract import api
from extract.analysis.evaluate import compare, load_gold
from extract.core.settings import RunOptions
from extract.run import pipeline
from tests.conftest import GOLD, SAMPLES, gold_files

pytestmark = pytest.mark.slow  # real Tesseract OCR of the scanned samples and the national report

SCANNED_GOLD = gold_files(scanned=True)  # every scanned sample the gold files cover, at its own resolution
SCANS = sorted({name for _, name in SCANNED_GOLD}) + ["rapportage-2014-scan.pdf"]


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory):
    cache = tmp_path_factory.mktemp("ocr-cache")
    out = tmp_path_factory.mktemp("scan-out")
    options = RunOptions(cache_dir=cache)
    summary = api.run([SAMPLES / name for name in SCANS], out, jobs=2, options=options)
    return summary, out, options


@pytest.mark.parametrize("gold_path, scan", SCANNED_GOLD, ids=lambda p: getattr(p, "stem", p))
def test_scan_matches_gold(scan_run, gold_path, scan):
    _, out, _ = scan_run
    gold = load_gold(gold_path)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    rows = findings[findings.source_file == scan].to_dict("records")
    score = compare(gold["findings"], rows, strict_text=False)
    assert score.f1 >= 0.98, score.differences
    assert score.verdict_ok / score.matched >= 0.99
    assert statistics.mean(score.text_similarity) >= 0.95
    assert set(findings[findings.source_file == scan].method) == {"ocr"}


@pytest.mark.parametrize("gold_path, scan", SCANNED_GOLD, ids=lambda p: getattr(p, "stem", p))
def test_scan_document_fields(scan_run, gold_path, scan):
    _, out, _ = scan_run
    gold = load_gold(gold_path)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    row = documents.loc[scan]
    expected = gold["document"]
    assert row.status == "ok", row.error
    assert (row.kind, row.gemeente, row.published, row.aanpak) == (
        expected["kind"], expected["gemeente"], expected["published"], expected["aanpak"])
    assert row.aanpak_2013.split("; ") == expected["aanpak_2013"]


def test_report_figures(scan_run):
    _, out, _ = scan_run
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    assert documents.loc["rapportage-2014-scan.pdf"].kind == "report"
    figures = pd.read_csv(out / "national_figures.csv")
    got = {(r.page, _int(r.n), _int(r.total), _int(r.percent)) for r in figures.itertuples()}
    gold = load_gold(GOLD / "rapportage-2014.json")["national_figures"]
    for expected in gold:
        assert (expected["page"], expected["n"], expected["total"], expected["percent"]) in got
        if expected.get("indicator_id"):
            row = figures[(figures.page == expected["page"]) & (figures.percent == expected["percent"])].iloc[0]
            assert row.indicator_id == expected["indicator_id"]


def _int(value):
    return None if pd.isna(value) else int(value)


def test_second_run_does_no_ocr(scan_run, tmp_path, monkeypatch):
    _, out, options = scan_run

    def no_ocr(*args, **kwargs):
        raise AssertionError("OCR ran although every page is cached")

    monkeypatch.setattr(pipeline, "ocr_page", no_ocr)
    summary = api.run([SAMPLES / name for name in SCANS], tmp_path, jobs=1, options=options)
    assert summary.counts["ok"] == len(SCANS)
    first = pd.read_csv(out / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    again = pd.read_csv(tmp_path / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(first, again)


def test_page_whose_ocr_fails_is_reported_and_the_rest_goes_on(tmp_path, monkeypatch):
    real = pipeline.ocr_page

    def flaky(path, page_number, settings, *limits):
        if page_number == 4:
            raise pipeline.PageOcrError(f"page {page_number}: OCR failed (TesseractError: simulated)")
        return real(path, page_number, settings, *limits)

    monkeypatch.setattr(pipeline, "ocr_page", flaky)
    result = pipeline.process_document(SAMPLES / "almere-2015-scan.pdf", RunOptions(cache_dir=tmp_path))
    assert result.status == "partial"
    assert "page 4: OCR failed" in result.error
    assert {f.page for f in result.findings} == {3, 5}
