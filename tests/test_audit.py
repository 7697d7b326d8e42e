"""Audit: provenance on every row, the review page in a real headless Chromium, and corrections that last."""

from __future__ import annotations

import csv
import shutil
import time

import pandas as pd
import pdfplumber
import pytest

from extract import api
from extract.analysis.audit import build_audit
from extract.core.settings import RunOptions
from extract.ocr.image import unturn_box
from extract.read.pdf import read_pdf
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome
from tests.conftest import ROOT, SAMPLES

INPUTS = ["haarlemmermeer-2013.pdf", "almere-2015.pdf", "almere-2015-scan.pdf"]


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit-out")
    options = RunOptions(cache_dir=tmp_path_factory.mktemp("audit-cache"))
    api.run([SAMPLES / name for name in INPUTS], out, jobs=2, options=options)
    index = build_audit(out, sample=15, seed=3, below=0.9)
    return out, index, options


def _first_words(text: str, count: int = 3) -> list[str]:
    return text.split()[1:1 + count]  # after the marker


@pytest.mark.slow  # the audited run OCRs a scanned sample
def test_every_row_has_provenance(audited):
    out, _, _ = audited
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    assert len(findings) == 78
    for column in ("page", "x0", "top", "x1", "bottom", "confidence", "method"):
        assert (findings[column] != "").all(), column
    assert findings.confidence.between(0, 1).all()
    assert (findings.confidence <= findings[["marker_confidence", "indicator_score", "alignment_score",
                                             "ocr_confidence"]].min(axis=1) + 1e-9).all()
    assert (findings.marker_x0 != "").all()


@pytest.mark.slow  # the audited run OCRs a scanned sample
def test_born_digital_boxes_contain_the_first_words(audited):
    out, _, _ = audited
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    for name in ("haarlemmermeer-2013.pdf", "almere-2015.pdf"):
        with pdfplumber.open(SAMPLES / name) as pdf:
            for row in findings[findings.source_file == name].itertuples():
                page = pdf.pages[row.page - 1]
                inside = page.crop((row.x0 - 1, row.top - 1, row.x1 + 1, row.bottom + 1)).extract_text() or ""
                assert all(word in inside for word in _first_words(row.finding)), (name, row.indicator_id)
                marker = page.crop((row.marker_x0 - 1, row.marker_top - 1, row.marker_x1 + 1,
                                    row.marker_bottom + 1)).extract_text()
                assert marker.strip() == row.marker


@pytest.mark.slow  # real OCR of a scanned sample
def test_scan_boxes_contain_the_first_words(audited):
    out, _, options = audited
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    from extract.run.pipeline import apply_ocr
    source = read_pdf(SAMPLES / "almere-2015-scan.pdf")
    apply_ocr(source, options)
    assert any(page.skew for page in source.pages)  # read deskewed: boxes are turned back into the page's frame
    for row in findings[findings.source_file == "almere-2015-scan.pdf"].itertuples():
        page = source.pages[row.page - 1]
        boxes = [(w.text, unturn_box((w.x0, w.top, w.x1, w.bottom), page.skew, page.width, page.height))
                 for w in page.words]
        words = [text for text, (x0, top, x1, bottom) in boxes
                 if x0 >= row.x0 - 1 and x1 <= row.x1 + 1 and top >= row.top - 1 and bottom <= row.bottom + 1]
        assert all(word in words for word in _first_words(row.finding)), row.indicator_id


@pytest.mark.slow  # the audited run OCRs a scanned sample
def test_audit_files(audited):
    out, index, _ = audited
    html = index.read_text(encoding="utf-8")
    assert '<script type="application/json" id="cards-data">[' in html  # the cards, as JSON
    images = list((out / "audit" / "img").glob("*.jpg"))
    assert len(images) >= 15


@pytest.mark.slow  # a headless browser, and the audited run OCRs a scanned sample
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are installed by setup.sh")
def test_review_in_headless_chromium(audited, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, index, options = audited
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = headless_chrome(tmp_path, "1400,1000", downloads)
    try:
        driver.get(index.as_uri())
        findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
        low = int((findings.confidence < 0.9).sum())
        status = driver.find_element(By.ID, "page-status").text  # the cards are paged: "cards 1–25 of N"
        assert status.endswith(f" of {low + 15}")
        cards = driver.find_elements(By.CSS_SELECTOR, ".card")
        assert len(cards) == min(low + 15, int(status.split("–")[1].split()[0]))
        # the pictures load as they come into view (lazily): bring each into view and wait for it
        assert driver.execute_script("return [...document.images].every(i => i.loading === 'lazy')")
        driver.set_script_timeout(30)
        loaded = driver.execute_async_script("""
          const done = arguments[0], images = [...document.images];
          (async () => {
            for (const i of images) {
              i.scrollIntoView();
              for (let k = 0; k < 250 && !(i.complete && i.naturalWidth); k++) await new Promise(r => setTimeout(r, 20));
            }
            window.scrollTo(0, 0);
            done(images.every(i => i.complete && i.naturalWidth > 100));
          })();""")
        assert loaded
        Select(driver.find_element(By.ID, "f-method")).select_by_value("ocr")
        visible = [c for c in driver.find_elements(By.CSS_SELECTOR, ".card") if c.is_displayed()]
        assert visible and all(c.get_attribute("data-method") == "ocr" for c in visible)
        Select(driver.find_element(By.ID, "f-method")).select_by_value("")
        cards = driver.find_elements(By.CSS_SELECTOR, ".card")
        driver.find_element(By.ID, "reviewer").send_keys("tester")
        first, second = cards[0], cards[1]
        first.find_element(By.CSS_SELECTOR, ".mark-wrong").click()
        first.find_element(By.CSS_SELECTOR, ".note").send_keys("marker misread")
        verdict = Select(second.find_element(By.CSS_SELECTOR, "select[data-field=verdict]"))
        new_verdict = "pass" if verdict.first_selected_option.text == "fail" else "fail"
        verdict.select_by_visible_text(new_verdict)
        driver.find_element(By.ID, "export").click()
        review = downloads / "review.csv"
        for _ in range(50):
            if review.exists() and review.stat().st_size:
                break
            time.sleep(0.1)
        screenshots = ROOT / "output" / "audit"
        screenshots.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(screenshots / "screenshot.png"))
        driver.save_screenshot(str(out / "audit" / "screenshot.png"))
        wrong_id, edited_id = first.get_attribute("data-id"), second.get_attribute("data-id")
    finally:
        driver.quit()
    rows = list(csv.DictReader(review.open(encoding="utf-8")))
    assert {"finding_id": wrong_id, "field": "review", "value": "wrong", "reviewer": "tester",
            "note": "marker misread"} in rows
    assert {"finding_id": edited_id, "field": "verdict", "value": new_verdict, "reviewer": "tester",
            "note": ""} in rows
    # a re-run with the review applies it, and keeps applying it from OUT/corrections.csv
    shutil.copy(review, out / "corrections.csv")
    summary = api.run([SAMPLES / name for name in INPUTS], out, jobs=1, options=options)
    assert all(c.applied for c in summary.corrections)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False).set_index("finding_id")
    assert findings.loc[wrong_id, "review"] == "wrong"
    assert findings.loc[edited_id, "verdict"] == new_verdict
    assert str(findings.loc[edited_id, "corrected"]) == "True"


def test_audit_of_the_born_digital_run(born_digital_run, tmp_path):
    """The fast layer's audit (no OCR): a copy of the session run's output gets a review page with a card and a page
    image for every row under the confidence bar and for each sampled row."""
    _, out = born_digital_run
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    findings = pd.read_csv(copy / "findings.csv", keep_default_na=False)
    low = int((findings.confidence < 0.9).sum())
    index = build_audit(copy, sample=5, seed=3, below=0.9)
    html = index.read_text(encoding="utf-8")
    assert '<script type="application/json" id="cards-data">[' in html  # the cards, as JSON
    images = sorted((copy / "audit" / "img").glob("*.jpg"))
    assert len(images) == low + 5
    assert {p.stem for p in images} <= set(findings.finding_id)
    assert all(p.stem in html for p in images)
    queue = pd.read_csv(copy / "audit" / "queue.csv", keep_default_na=False)
    assert list(queue.columns) == ["queue", "finding_id", "reason"] and len(queue) == low + 5
    assert (queue.reason == "random sample").sum() == 5


def test_correction_of_a_missing_row_is_reported(tmp_path):
    review = tmp_path / "review.csv"
    review.write_text("finding_id,field,value,reviewer,note\nnot-a-row,verdict,pass,me,\n"
                      "x,colour,blue,me,\n", encoding="utf-8")
    summary = api.run([SAMPLES / "almere-2015.pdf"], tmp_path / "out", jobs=1, corrections=[review])
    reasons = [c.reason for c in summary.corrections]
    assert not any(c.applied for c in summary.corrections)
    assert "no longer exists" in reasons[0]
    table = pd.read_csv(tmp_path / "out" / "corrections.csv", keep_default_na=False)
    assert list(table.applied) == [False, False]
    assert "1 files" in summary.line() and "0 of 2 corrections applied" in summary.line()


@pytest.mark.slow  # runs the stj command as a subprocess
def test_eval_command_prints_the_figures(born_digital_run):
    import subprocess
    import sys

    _, out = born_digital_run
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "eval", *map(str, sorted((SAMPLES / "gold").glob(
        "*.json"))), "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    lines = {line.split()[0]: line.split() for line in proc.stdout.splitlines()[1:] if line and line[0] != " "}
    assert lines["almere-2015.pdf"][2:8] == ["1.000"] * 6
    assert lines["overall"][1:6] == ["1.000"] * 5
    assert "haarlemmermeer-2013-scan.pdf" not in lines  # not in this run


@pytest.mark.slow  # three runs of the sample
def test_a_correction_given_once_lasts(tmp_path):
    out = tmp_path / "out"
    api.run([SAMPLES / "almere-2015.pdf"], out, jobs=1)
    target = pd.read_csv(out / "findings.csv", keep_default_na=False).iloc[0]
    flipped = "pass" if target.verdict == "fail" else "fail"
    review = tmp_path / "review.csv"
    review.write_text(f"finding_id,field,value,reviewer,note\n{target.finding_id},verdict,{flipped},ann,typo\n",
                      encoding="utf-8")
    api.run([SAMPLES / "almere-2015.pdf"], out, jobs=1, corrections=[review])
    review.unlink()
    summary = api.run([SAMPLES / "almere-2015.pdf"], out, jobs=1)  # no --corrections this time
    row = pd.read_csv(out / "findings.csv", keep_default_na=False).set_index("finding_id").loc[target.finding_id]
    assert row.verdict == flipped and str(row.corrected) == "True" and "[ann] typo" in row.correction_note
    assert len(summary.corrections) == 1 and summary.corrections[0].applied


def test_the_queue_holds_every_row_low_confidence_first_then_a_seeded_random_order():
    from extract.analysis.audit import RANDOM, choose_cards

    findings = pd.DataFrame({"finding_id": [f"f{i}" for i in range(10)], "doc_id": ["d"] * 10,
                             "page": [1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
                             "confidence": [1, 0.5, 1, 1, 0.7, 1, 1, 1, 1, 1]})
    queue = choose_cards(findings, None, seed=1, below=0.9, short_pages={("d", 1)})
    assert list(queue.finding_id[:3]) == ["f0", "f1", "f4"]  # the page that lost rows, then low confidence
    assert list(queue.reason[:3]) == ["on a page that lost rows"] * 2 + ["low confidence"]
    assert sorted(queue.finding_id) == sorted(findings.finding_id)  # every row can be reviewed
    assert set(queue.reason[3:]) == {RANDOM} and list(queue.queue) == list(range(1, 11))
    again = choose_cards(findings, None, seed=1, below=0.9, short_pages={("d", 1)})
    assert list(again.finding_id) == list(queue.finding_id)  # seeded
    assert list(choose_cards(findings, 2, seed=1, below=0.9, short_pages={("d", 1)}).finding_id) == \
        list(queue.finding_id[:5])  # --sample N: the first N of the same random order


def test_rows_two_reviewers_disagree_on_come_first_in_the_queue(tmp_path):
    from extract.analysis.audit import CONFLICT, choose_cards
    from extract.output.corrections import conflicted_findings

    (tmp_path / "corrections.csv").write_text(
        "finding_id,field,value,reviewer,note\n"
        "f7,verdict,fail,anna,\nf7,verdict,pass,ben,\n"  # a conflict
        "f2,verdict,fail,anna,\nf2,verdict,fail,ben,\n", encoding="utf-8")  # agreement: no conflict
    findings = pd.DataFrame({"finding_id": [f"f{i}" for i in range(10)], "doc_id": ["d"] * 10,
                             "page": [1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
                             "confidence": [1, 0.5, 1, 1, 0.7, 1, 1, 1, 1, 1]})
    queue = choose_cards(findings, None, seed=1, below=0.9, short_pages={("d", 1)},
                         conflicts=conflicted_findings(tmp_path))
    assert list(queue.finding_id[:4]) == ["f7", "f0", "f1", "f4"]
    assert queue.reason.iloc[0] == CONFLICT and "f2" not in set(queue.finding_id[:4])
    assert sorted(queue.finding_id) == sorted(findings.finding_id)
