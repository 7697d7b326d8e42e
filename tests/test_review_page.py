"""The review page as a reviewer's tool, driven in headless Chromium: work saved in the browser survives a reload,
an earlier sitting's export is resumed (`stj audit --resume`), a review with the keys alone, a phone's width, and
an accessible name on every control."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest

from extract.analysis.audit import build_audit
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome, reload_page, review_cards

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver: setup.sh")]


def _exported(driver) -> list[dict]:
    return list(csv.DictReader(io.StringIO(driver.execute_script("return window.stjReviewCsv()"))))


def test_marks_edits_and_notes_survive_a_reload(review_audit, tmp_path):
    from selenium.webdriver.common.by import By

    _, index = review_audit
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        cards = review_cards(driver)
        assert driver.execute_script("return document.documentElement.lang") == "en"
        driver.find_element(By.ID, "reviewer").send_keys("ann")
        cards[0].find_element(By.CSS_SELECTOR, ".mark-right").click()
        cards[1].find_element(By.CSS_SELECTOR, ".mark-wrong").click()
        cards[1].find_element(By.CSS_SELECTOR, ".note").send_keys('says "voldoende"')
        aanpak = cards[2].find_element(By.CSS_SELECTOR, "input[data-field=aanpak]")
        aanpak.clear()
        aanpak.send_keys('aanpak "B"')
        cards[3].find_element(By.CSS_SELECTOR, ".note").send_keys("only a note")
        ids = [c.get_attribute("data-id") for c in cards[:4]]
        assert driver.find_element(By.ID, "saved").text.startswith("saved")
        assert driver.execute_script("return window.stjUnexported()")
        before = _exported(driver)
        reload_page(driver)
        cards = review_cards(driver)
        assert [c.get_attribute("data-id") for c in cards[:4]] == ids
        assert driver.find_element(By.ID, "reviewer").get_attribute("value") == "ann"
        assert cards[0].find_element(By.CSS_SELECTOR, ".status").text == "✓ right"  # a symbol and text, not colour alone
        assert cards[1].find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
        assert cards[1].find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == 'says "voldoende"'
        assert cards[2].find_element(By.CSS_SELECTOR, "input[data-field=aanpak]").get_attribute("value") == 'aanpak "B"'
        assert cards[3].find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "only a note"
        assert driver.find_element(By.ID, "saved").text.startswith("last saved")
        rows = _exported(driver)
        driver.find_element(By.ID, "export").click()
        assert not driver.execute_script("return window.stjUnexported()")  # exported: no warning on closing
        assert ("exported 4 line(s) for 4 row(s): 2 mark(s), 1 field(s) changed, 1 note(s) on their own"
                in driver.find_element(By.ID, "saved").text)  # the export says what it holds
    finally:
        driver.quit()
    assert rows == before
    assert {"finding_id": ids[0], "field": "review", "value": "right", "reviewer": "ann", "note": ""} in rows
    assert {"finding_id": ids[1], "field": "review", "value": "wrong", "reviewer": "ann",
            "note": 'says "voldoende"'} in rows
    assert {"finding_id": ids[2], "field": "aanpak", "value": 'aanpak "B"', "reviewer": "ann", "note": ""} in rows
    assert {"finding_id": ids[3], "field": "note", "value": "", "reviewer": "ann", "note": "only a note"} in rows
    assert len(rows) == 4


def test_a_review_with_the_keys_alone(review_audit, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _, index = review_audit
    driver = headless_chrome(tmp_path, "1200,800")
    try:
        driver.get(index.as_uri())
        ids = [c.get_attribute("data-id") for c in review_cards(driver)]
        gaps = len(driver.find_elements(By.CSS_SELECTOR, ".card.gap"))
        if gaps:  # the pages that lost rows come first: pass them
            ActionChains(driver).send_keys(*"j" * (gaps - 1)).perform()
        ActionChains(driver).send_keys("a", "x", " ", "a", "x", Keys.BACKSPACE, "a").perform()
        state = driver.execute_script(
            "return Object.fromEntries([...document.querySelectorAll('.card:not(.gap)')].slice(0, 6)"
            ".map(s => [s.dataset.id, s.querySelector('.status').textContent]))")
        assert [state[i] for i in ids[:5]] == ["✓ right", "✗ wrong", "not reviewed", "✓ right", "✓ right"]
        focused = driver.execute_script("return document.activeElement.dataset.id")
        assert focused == ids[5]  # focus moved on after the last mark
        header = driver.execute_script("return document.querySelector('header').getBoundingClientRect().bottom")
        top = driver.execute_script("return document.activeElement.getBoundingClientRect().top")
        assert top >= header  # scrolled clear of the sticky header
        ActionChains(driver).send_keys("k", "k", Keys.ARROW_DOWN).perform()
        assert driver.execute_script("return document.activeElement.dataset.id") == ids[4]
        ActionChains(driver).send_keys("?").perform()
        assert driver.find_element(By.ID, "help").is_displayed()
        ActionChains(driver).send_keys(Keys.ESCAPE).perform()
        assert not driver.find_element(By.ID, "help").is_displayed()
        ActionChains(driver).send_keys("e").perform()
        assert driver.execute_script("return document.activeElement.dataset.field") == "gemeente"  # first editable
        ActionChains(driver).send_keys("x").perform()  # typed into the field, not a mark
        assert "x" in driver.execute_script("return document.activeElement.value")
        assert review_cards(driver)[4].find_element(By.CSS_SELECTOR, ".status").text == "✓ right"
        ActionChains(driver).send_keys(Keys.ESCAPE, "x").perform()  # Escape leaves the field: keys work again
        assert review_cards(driver)[4].find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
    finally:
        driver.quit()


def test_a_phone_width_and_accessible_names(review_audit, tmp_path):
    _, index = review_audit
    driver = headless_chrome(tmp_path, "390,844")
    try:
        # a window is at least 500 px wide: emulate a phone's 390 px screen, as a phone draws it
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True})
        driver.get(index.as_uri())
        assert driver.execute_script("return document.querySelector('meta[name=viewport]') !== null")
        width = driver.execute_script("return window.innerWidth")
        assert width == 390  # the viewport meta: a phone does not draw 980 px scaled down
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        columns = driver.execute_script("return getComputedStyle(document.querySelector('.card:not(.gap)'))"
                                        ".gridTemplateColumns.split(' ').length")
        assert columns == 1
        unnamed = driver.execute_script("""
          return [...document.querySelectorAll('input, select, textarea, button')].filter(el => {
            if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
            if (el.labels && el.labels.length && el.labels[0].textContent.trim()) return false;
            if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
            return true; }).map(el => el.outerHTML.slice(0, 80));""")
        assert unnamed == []
    finally:
        driver.quit()


def test_resume_restores_an_earlier_sitting(review_audit, tmp_path):
    from click.testing import CliRunner
    from selenium.webdriver.common.by import By

    from extract.cli import main

    out, _ = review_audit
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    shown = set(pd.Series([p.stem for p in (out / "audit" / "img").glob("*.jpg")]))
    unshown = [f for f in findings.finding_id if f not in shown][0]  # resumed rows become cards
    shown_id = sorted(shown & set(findings.finding_id))[0]
    review = tmp_path / "review.csv"
    review.write_text("finding_id,field,value,reviewer,note\n"
                      f"{shown_id},review,wrong,bob,marker misread\n{unshown},aanpak,A,bob,\n"
                      "gone-row-1,review,right,bob,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(out), "--sample", "6", "--seed", "3", "--resume", str(review)])
    assert result.exit_code == 0, result.output
    assert "gone-row-1" in result.stderr and "no longer exists" in result.stderr
    driver = headless_chrome(tmp_path)
    try:
        driver.get((out / "audit" / "index.html").as_uri())
        banner = driver.find_element(By.ID, "unrestored").text
        assert "gone-row-1" in banner and "no longer exists" in banner
        card = driver.find_element(By.CSS_SELECTOR, f".card[data-id='{shown_id}']")
        assert card.find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
        assert card.find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "marker misread"
        other = driver.find_element(By.CSS_SELECTOR, f".card[data-id='{unshown}']")
        assert other.find_element(By.CSS_SELECTOR, "input[data-field=aanpak]").get_attribute("value") == "A"
        assert driver.find_element(By.ID, "reviewer").get_attribute("value") == "bob"
        rows = _exported(driver)
    finally:
        driver.quit()
    assert {(r["finding_id"], r["field"], r["value"]) for r in rows} == {(shown_id, "review", "wrong"),
                                                                          (unshown, "aanpak", "A")}


def test_an_empty_export_is_refused_and_quotes_are_kept(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from extract.analysis.audit import page_html

    index = tmp_path / "index.html"
    record = {"finding_id": "f1", "aanpak": 'the "B" & <c>', "verdict": "fail", "caveat": False, "finding": "x",
              "image": "", "source_file": "a.pdf", "kind": "factsheet", "page": 1, "method": "text",
              "confidence": 1.0, "reason": "random sample"}
    index.write_text(page_html([record], 1, "quotes"), encoding="utf-8")
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        box = driver.find_element(By.CSS_SELECTOR, "input[data-field=aanpak]")
        assert box.get_attribute("value") == 'the "B" & <c>'
        driver.find_element(By.ID, "export").click()
        assert "nothing to export" in driver.find_element(By.ID, "saved").text
        box.send_keys("x", "y", "z")
        box.send_keys(Keys.ESCAPE, Keys.BACKSPACE)  # one undo takes back the whole typing in the field
        assert box.get_attribute("value") == 'the "B" & <c>'
        assert driver.execute_script("return window.stjReviewCsv()") == ""
    finally:
        driver.quit()


def test_the_error_estimate_on_the_page_follows_the_marks_on_random_cards(born_digital_run, tmp_path):
    """3 random cards right and 1 wrong (and a low-confidence card wrong, which does not count): the page's block
    says "1 wrong of 4" with the interval that `stj audit --summary` (accuracy.py) gives for the same marks."""
    from selenium.webdriver.common.by import By

    from extract.analysis.accuracy import summarise

    out = tmp_path / "out"  # a page of its own: another test resumes a review into the shared one
    shutil.copytree(born_digital_run[1], out, symlinks=True)
    index = build_audit(out, sample=6, seed=3, below=0.9)
    queue = pd.read_csv(out / "audit" / "queue.csv", keep_default_na=False, dtype=str)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False, dtype=str)
    random_ids = list(queue.finding_id[queue.reason == "random sample"][:4])
    other = list(queue.finding_id[queue.reason != "random sample"][:1])
    marked = dict(zip(random_ids, ["right", "right", "wrong", "right"])) | {f: "wrong" for f in other}
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        block = driver.find_element(By.ID, "accuracy")
        assert "no random rows reviewed yet, no estimate" in block.text
        for finding_id, value in marked.items():
            card = driver.find_element(By.CSS_SELECTOR, f'.card[data-id="{finding_id}"]')
            driver.execute_script("arguments[0].click()", card.find_element(By.CSS_SELECTOR, f".mark-{value}"))
        text = block.text
        lines = driver.execute_script("return window.stjAccuracy()")
    finally:
        driver.quit()
    assert "1 wrong of 4 random rows reviewed: 25.0% (95% CI " in text
    expected = [e.line() for e in summarise(queue, dict(zip(findings.finding_id, findings.method)), marked)]
    assert lines == expected
    assert all(line in text for line in expected)
