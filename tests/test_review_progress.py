"""The review page's progress: counts of reviewed / right / wrong / remaining for the queue and the current filter, a
progress bar, kept across a reload; and an earlier review.csv loaded on the page (as `stj audit --resume` does)."""

from __future__ import annotations


import pytest

from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome, reload_page, review_cards

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver: setup.sh")]




def _state(driver):
    from selenium.webdriver.common.by import By
    bar = driver.find_element(By.ID, "progress")
    return (driver.find_element(By.ID, "progress-text").text, float(bar.get_attribute("value")),
            float(bar.get_attribute("max")))


def test_counts_progress_filter_and_reload(review_audit, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _, index = review_audit
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        cards = review_cards(driver)
        n = len(cards)
        assert n >= 4
        assert driver.find_element(By.ID, "progress").get_attribute("aria-label")
        cards[0].find_element(By.CSS_SELECTOR, ".mark-right").click()
        cards[1].find_element(By.CSS_SELECTOR, ".mark-right").click()
        cards[2].find_element(By.CSS_SELECTOR, ".mark-wrong").click()
        text, value, top = _state(driver)
        assert text.startswith(f"queue: 3 reviewed (2 right, 1 wrong), {n - 3} remaining")
        assert (value, top) == (3, n)
        doc = cards[0].get_attribute("data-doc")
        three = {x.get_attribute("data-id") for x in cards[:3]}  # before the filter takes some out of the page
        Select(driver.find_element(By.ID, "f-doc")).select_by_value(doc)
        shown = [c for c in review_cards(driver) if c.is_displayed()]
        marked = sum(c.get_attribute("data-id") in three for c in shown)
        text, value, _ = _state(driver)
        assert f"this filter: {marked} reviewed, {len(shown) - marked} remaining" in text
        assert value == 3
        before = _state(driver)
        reload_page(driver)
        Select(driver.find_element(By.ID, "f-doc")).select_by_value(doc)
        assert _state(driver) == before
    finally:
        driver.quit()


def test_an_earlier_review_csv_loaded_on_the_page(review_audit, tmp_path):
    from selenium.webdriver.common.by import By

    _, index = review_audit
    driver = headless_chrome(tmp_path / "fresh")
    try:
        driver.get(index.as_uri())
        cards = review_cards(driver)
        ids = [c.get_attribute("data-id") for c in cards[:2]]
        review = tmp_path / "review.csv"
        review.write_text("finding_id,field,value,reviewer,note\n"
                          f"{ids[0]},review,right,ann,\n"
                          f'{ids[1]},review,wrong,ann,"says ""voldoende"", not ok"\n'
                          "no-such-finding,review,right,ann,\n", encoding="utf-8")
        driver.find_element(By.ID, "import").send_keys(str(review))
        driver.implicitly_wait(5)
        banner = driver.find_element(By.ID, "unrestored")
        assert "no-such-finding" in banner.text
        cards = review_cards(driver)
        assert cards[0].find_element(By.CSS_SELECTOR, ".status").text == "✓ right"
        assert cards[1].find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
        assert cards[1].find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == 'says "voldoende", not ok'
        assert driver.find_element(By.ID, "progress-text").text.startswith("queue: 2 reviewed (1 right, 1 wrong)")
    finally:
        driver.quit()
