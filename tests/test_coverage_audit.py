"""A document that lost rows end to end: a factsheet one of whose pages is a scan with part of its findings column
blank (as a page whose text did not survive scanning) is ``partial`` naming that page and the indicators, the
``coverage`` table and ``documents`` say how many indicators were expected and found, and the audit page puts that
page first, as a card a reviewer can see and a screen reader names (driven in headless Chromium)."""

from __future__ import annotations

import pandas as pd
import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import ImageDraw

from extract import api
from extract.analysis.audit import build_audit
from extract.analysis.evaluate import load_gold
from extract.core.settings import RunOptions
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome
from tests.conftest import GOLD, SAMPLES
from tests.scans import swap_in_images

SOURCE = "haarlemmermeer-2013.pdf"
DPI = 200
BLANK_FROM, BLANK_TO = 0.45, 0.93  # share of the page's height whose findings text is blanked


def _blanked_page(source) -> tuple[int, float]:
    """The page with the most text under a "Bevindingen" column header (right of the page's first third: not the
    running heading "Vervolg bevindingen ..."), and that header's left edge (points)."""
    with pdfplumber.open(source) as pdf:
        candidates = [(len(page.extract_words()), number, min(w["x0"] for w in heads))
                      for number, page in enumerate(pdf.pages, start=1)
                      if (heads := [w for w in page.extract_words()
                                    if w["text"].lower() == "bevindingen" and w["x0"] > page.width / 3])]
    _, number, left = max(candidates)
    return number, left


def make_lossy_factsheet(source, target) -> int:
    """``source`` with one page replaced by a scan of it whose findings column is blank over part of the page."""
    number, left = _blanked_page(source)
    pdf = pdfium.PdfDocument(str(source))
    try:
        image = pdf[number - 1].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()
    ImageDraw.Draw(image).rectangle([int((left - 2) * DPI / 72), int(BLANK_FROM * image.height), image.width,
                                     int(BLANK_TO * image.height)], fill=255)
    swap_in_images(source, target, {number: image}, DPI)
    return number


@pytest.fixture(scope="module")
def lossy_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lossy-in")
    target = folder / "factsheet-lossy.pdf"
    page = make_lossy_factsheet(SAMPLES / SOURCE, target)
    out = tmp_path_factory.mktemp("lossy-out")
    api.run([target], out, jobs=1, options=RunOptions(cache_dir=tmp_path_factory.mktemp("lossy-cache")))
    return out, page


@pytest.mark.slow
def test_lost_rows_are_named_with_their_page(lossy_run):
    out, page = lossy_run
    gold = {f["indicator_id"] for f in load_gold(GOLD / "haarlemmermeer-2013.json")["findings"]}
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    lost = gold - set(findings.indicator_id)
    document = pd.read_csv(out / "documents.csv", keep_default_na=False).iloc[0]
    assert lost, "the blanked stretch must take rows away, or this test proves nothing"
    assert document.status == "partial"
    assert f"page {page}:" in document.error
    assert (int(document.indicators_expected), int(document.indicators_found)) == (len(gold), len(gold - lost))
    coverage = pd.read_csv(out / "coverage.csv", keep_default_na=False)
    short = coverage[coverage.complete < coverage.indicator_cells]
    named = {i for missing in short.missing for i in missing.split("; ")}
    assert lost <= named and set(short.page) == {page}


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are installed by setup.sh")
def test_audit_shows_the_short_page_first(lossy_run, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    out, page = lossy_run
    index = build_audit(out, sample=5, seed=1, below=0.9)
    driver = headless_chrome(tmp_path, "390,900")
    try:
        driver.get(index.as_uri())
        cards = driver.find_elements(By.CSS_SELECTOR, ".card")
        first = cards[0]
        assert "gap" in first.get_attribute("class").split()
        assert first.get_attribute("aria-label") == "missing rows"
        assert f"p. {page}" in first.text and "Missing rows:" in first.text
        for image in driver.find_elements(By.CSS_SELECTOR, ".card img"):  # pictures load lazily: bring each into view
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)
            WebDriverWait(driver, 10).until(lambda d: d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 100", image))
        driver.execute_script("window.scrollTo(0, 0)")
        following = [c for c in cards[1:] if "gap" not in c.get_attribute("class").split()]
        on_page = [c for c in following if "on a page that lost rows" in c.text]
        assert on_page and following[:len(on_page)] == on_page  # that page's rows come next
        driver.save_screenshot(str(out / "audit" / "gap-390.png"))
    finally:
        driver.quit()
