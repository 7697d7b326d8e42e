"""The review page at 10,000 cards, driven in headless Chromium: the cards are paged (the DOM holds one page of them,
the data stay in the page's script), and everything a reviewer does works across pages: the keys and the move after
a mark cross page boundaries, marks made on one page are there on going back and after a reload, the export holds
the work of every page, and the counts follow the filters over all the cards. How fast it opens and filters is
measured by ``benchmarks/bench_audit_page.py`` (its measurement is run here once, without asserting times)."""

from __future__ import annotations

import csv
import io

import pytest

from benchmarks.bench_audit_page import FILTERS, measure, report, synthetic_records, write_page
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome, reload_page, review_cards

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver: setup.sh")]

CARDS = 10_000


@pytest.fixture(scope="module")
def big_page(tmp_path_factory):
    """A review page of 10,000 generated cards (no gap cards: the queue is the records' order), and its records."""
    index = write_page(tmp_path_factory.mktemp("scale") / "audit", CARDS, seed=7, gaps=0)
    return index, synthetic_records(CARDS, seed=7, gaps=0)


def _open(index, tmp_path, window="1400,1000"):
    driver = headless_chrome(tmp_path, window)
    driver.get(index.as_uri())
    return driver


def _ids(driver) -> list[str]:
    return [c.get_attribute("data-id") for c in review_cards(driver)]


def _status(driver) -> str:
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, "page-status").text


def _focused(driver) -> str:
    return driver.execute_script("return document.activeElement.dataset.id")


def _clear_of_header(driver) -> bool:
    return driver.execute_script("return document.activeElement.getBoundingClientRect().top >= "
                                 "document.querySelector('header').getBoundingClientRect().bottom")


def _card(driver, finding_id):
    from selenium.webdriver.common.by import By
    return driver.find_element(By.CSS_SELECTOR, f".card[data-id='{finding_id}']")


def _next_page(driver, times=1):
    from selenium.webdriver.common.by import By
    for _ in range(times):
        driver.find_element(By.CSS_SELECTOR, "header [data-go=next]").click()


def test_one_page_of_cards_in_the_dom_and_paging_controls(big_page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    index, records = big_page
    driver = _open(index, tmp_path)
    try:
        size = driver.execute_script("return PAGE_SIZE")
        assert 10 <= size <= 100
        assert len(driver.find_elements(By.CSS_SELECTOR, ".card")) == size  # one page, not 10,000
        assert _ids(driver) == [r["finding_id"] for r in records[:size]]
        status = driver.find_element(By.ID, "page-status")
        assert status.text == f"cards 1–{size} of 10,000"
        assert status.get_attribute("aria-live") == "polite"
        assert driver.find_element(By.ID, "count").text.startswith("10000 of 10000 cards")
        # the paging controls: named, reachable with the keyboard, working with it
        controls = driver.find_elements(By.CSS_SELECTOR, ".pager button, .pager input")
        assert controls and all(c.get_attribute("aria-label") for c in controls)
        assert all(driver.execute_script("return arguments[0].tabIndex >= 0 && !arguments[0].disabled", c)
                   for c in controls)
        nxt = driver.find_element(By.CSS_SELECTOR, "header [data-go=next]")
        driver.execute_script("arguments[0].focus()", nxt)
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        assert status.text == f"cards {size + 1}–{2 * size} of 10,000"
        assert _ids(driver) == [r["finding_id"] for r in records[size:2 * size]]
        assert len(driver.find_elements(By.CSS_SELECTOR, ".card")) == size
        box = driver.find_element(By.ID, "page-no")
        assert box.get_attribute("value") == "2"
        box.clear()
        box.send_keys("100", Keys.ENTER)
        assert status.text == f"cards {99 * size + 1:,}–{100 * size:,} of 10,000"
        driver.find_element(By.CSS_SELECTOR, "header [data-go=last]").click()
        last = (CARDS - 1) // size * size
        assert status.text == f"cards {last + 1:,}–10,000 of 10,000"
        assert _ids(driver) == [r["finding_id"] for r in records[last:]]
        assert driver.find_element(By.CSS_SELECTOR, "header [data-go=next]").get_attribute("aria-disabled") == "true"
        driver.find_element(By.CSS_SELECTOR, "main [data-go=prev]").click()  # the pager below the cards
        assert status.text == f"cards {last - size + 1:,}–{last:,} of 10,000"
    finally:
        driver.quit()


def test_keys_and_the_move_after_a_mark_cross_pages(big_page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    index, records = big_page
    driver = _open(index, tmp_path, "1200,800")
    try:
        size = driver.execute_script("return PAGE_SIZE")
        ids = [r["finding_id"] for r in records]
        ActionChains(driver).send_keys(*"j" * size).perform()  # the first j focuses the first card
        assert _focused(driver) == ids[size - 1]
        ActionChains(driver).send_keys("j").perform()
        assert _focused(driver) == ids[size]  # the next page's first card
        assert _status(driver).startswith(f"cards {size + 1}–")
        assert _clear_of_header(driver)
        ActionChains(driver).send_keys("k").perform()
        assert _focused(driver) == ids[size - 1]  # back on page 1, its last card
        assert _status(driver).startswith("cards 1–")
        assert _clear_of_header(driver)
        ActionChains(driver).send_keys("a").perform()  # a mark on the last card of page 1 moves to page 2
        assert _focused(driver) == ids[size]
        assert _clear_of_header(driver)
        ActionChains(driver).send_keys("x", Keys.BACKSPACE).perform()  # undo: back to the card undone
        assert _focused(driver) == ids[size]
        ActionChains(driver).send_keys("k", Keys.BACKSPACE).perform()  # undo the mark on page 1, from page 2
        assert _focused(driver) == ids[size - 1] and _status(driver).startswith("cards 1–")
        assert _card(driver, ids[size - 1]).text.count("not reviewed") == 1
        assert driver.execute_script("return window.stjReviewCsv()") == ""
    finally:
        driver.quit()


def test_marks_survive_paging_and_a_reload_and_are_all_exported(big_page, tmp_path):
    from selenium.webdriver.common.by import By

    index, records = big_page
    driver = _open(index, tmp_path)
    try:
        size = driver.execute_script("return PAGE_SIZE")
        ids = [r["finding_id"] for r in records]
        driver.find_element(By.ID, "reviewer").send_keys("ann")
        _card(driver, ids[0]).find_element(By.CSS_SELECTOR, ".mark-right").click()
        _card(driver, ids[1]).find_element(By.CSS_SELECTOR, ".note").send_keys("look again")
        _next_page(driver, 2)
        on_three = ids[2 * size + 3]
        _card(driver, on_three).find_element(By.CSS_SELECTOR, ".mark-wrong").click()
        aanpak = _card(driver, on_three).find_element(By.CSS_SELECTOR, "input[data-field=aanpak]")
        aanpak.clear()
        aanpak.send_keys("Z")
        driver.find_element(By.CSS_SELECTOR, "header [data-go=first]").click()
        assert _card(driver, ids[0]).find_element(By.CSS_SELECTOR, ".status").text == "✓ right"
        assert _card(driver, ids[1]).find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "look again"
        reload_page(driver)
        assert _card(driver, ids[0]).find_element(By.CSS_SELECTOR, ".status").text == "✓ right"
        assert _card(driver, ids[1]).find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "look again"
        _next_page(driver, 2)
        card = _card(driver, on_three)
        assert card.find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
        assert card.find_element(By.CSS_SELECTOR, "input[data-field=aanpak]").get_attribute("value") == "Z"
        assert "edited" in card.find_element(By.CSS_SELECTOR, "tr[data-row=aanpak]").get_attribute("class")
        assert driver.find_element(By.ID, "progress-text").text.startswith(
            "queue: 2 reviewed (1 right, 1 wrong), 9998 remaining")
        rows = list(csv.DictReader(io.StringIO(driver.execute_script("return window.stjReviewCsv()"))))
    finally:
        driver.quit()
    assert {(r["finding_id"], r["field"], r["value"], r["note"]) for r in rows} == {
        (ids[0], "review", "right", ""), (ids[1], "note", "", "look again"),
        (on_three, "review", "wrong", ""), (on_three, "aanpak", "Z", "")}
    assert {r["reviewer"] for r in rows} == {"ann"}


def test_counts_and_filters_over_all_the_cards(big_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    index, records = big_page
    driver = _open(index, tmp_path)
    try:
        size = driver.execute_script("return PAGE_SIZE")
        # marks on pages 1 and 2, of both methods; then the OCR rows alone
        marked = {}
        for r, value in zip(records[:2 * size:3], ["right", "wrong", "right"] * size):
            if r["finding_id"] not in _ids(driver):
                _next_page(driver)
            driver.execute_script("arguments[0].click()",
                                  _card(driver, r["finding_id"]).find_element(By.CSS_SELECTOR, f".mark-{value}"))
            marked[r["finding_id"]] = value
        ocr = [r for r in records if r["method"] == "ocr"]
        ocr_marked = [r for r in ocr if r["finding_id"] in marked]
        assert 0 < len(ocr_marked) < len(marked)
        Select(driver.find_element(By.ID, "f-method")).select_by_value("ocr")
        text = driver.find_element(By.ID, "progress-text").text
        right = sum(v == "right" for v in marked.values())
        assert text.startswith(f"queue: {len(marked)} reviewed ({right} right, {len(marked) - right} wrong), "
                               f"{CARDS - len(marked)} remaining")
        assert f"this filter: {len(ocr_marked)} reviewed, {len(ocr) - len(ocr_marked)} remaining" in text
        assert driver.find_element(By.ID, "count").text.startswith(f"{len(ocr)} of {CARDS} cards")
        assert _status(driver) == f"cards 1–{size} of {len(ocr):,}"
        assert _ids(driver) == [r["finding_id"] for r in ocr[:size]]
        # a verdict corrected on the second page of the filter: the verdict filter uses the corrected value
        _next_page(driver)
        target = ocr[size + 2]
        old = target["verdict"]
        new = "fail" if old == "pass" else "pass"
        Select(_card(driver, target["finding_id"]).find_element(
            By.CSS_SELECTOR, "select[data-field=verdict]")).select_by_value(new)
        Select(driver.find_element(By.ID, "f-verdict")).select_by_value(new)
        expected = [r for r in ocr if r["verdict"] == new or r is target]
        assert _status(driver) == f"cards 1–{size} of {len(expected):,}"  # a filter starts at its first page
        assert driver.find_element(By.ID, "count").text.startswith(f"{len(expected)} of {CARDS} cards")
        Select(driver.find_element(By.ID, "f-verdict")).select_by_value(old)
        assert _status(driver).endswith(f" of {sum(r['verdict'] == old for r in ocr) - 1:,}")
    finally:
        driver.quit()


def test_an_earlier_review_loaded_on_the_page_reaches_every_page(big_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    index, records = big_page
    far = records[CARDS - 1]["finding_id"]  # on the last page
    review = tmp_path / "review.csv"
    review.write_text("finding_id,field,value,reviewer,note\n"
                      f"{records[0]['finding_id']},review,right,bob,\n{far},review,wrong,bob,misread\n"
                      f"{far},year,2013,bob,\nno-such-finding,review,right,bob,\n", encoding="utf-8")
    driver = _open(index, tmp_path)
    try:
        driver.find_element(By.ID, "import").send_keys(str(review))
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "unrestored"))
        assert "no-such-finding" in driver.find_element(By.ID, "unrestored").text
        assert driver.find_element(By.ID, "progress-text").text.startswith("queue: 2 reviewed (1 right, 1 wrong)")
        assert _card(driver, records[0]["finding_id"]).find_element(By.CSS_SELECTOR, ".status").text == "✓ right"
        driver.find_element(By.CSS_SELECTOR, "header [data-go=last]").click()
        card = _card(driver, far)
        assert card.find_element(By.CSS_SELECTOR, ".status").text == "✗ wrong"
        assert card.find_element(By.CSS_SELECTOR, ".note").get_attribute("value") == "misread"
        assert card.find_element(By.CSS_SELECTOR, "input[data-field=year]").get_attribute("value") == "2013"
    finally:
        driver.quit()


def test_the_page_benchmark_measures_a_page_of_10000_cards(tmp_path, capsys):
    """``benchmarks/bench_audit_page.py``'s measurement, once: it reports the open and every filter (no time is
    asserted here: speed is the benchmark's to judge), and only one page of cards was in the DOM."""
    index = write_page(tmp_path / "audit", CARDS)
    result = measure(index, tmp_path / "chrome")
    assert result["open_ms"] > 0 and result["open"]["ready"] is not None
    assert len(result["filters"]) == 2 * len(FILTERS)  # at once after the open, and settled
    assert all(f["frame"] > 0 and f["status"].startswith("cards 1–") for f in result["filters"])
    assert result["open"]["cards"] <= 100
    with capsys.disabled():
        print("\n" + report(result, CARDS))
