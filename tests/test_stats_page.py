"""The statistics page in headless Chromium: its tables sort from the keyboard (aria-sort follows), every image has
loaded and has an alt text that says what it shows, and a gemeente's page opens from the index."""

from __future__ import annotations

import shutil

import pytest

from extract.analysis.stats import build_stats
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome

pytestmark = [pytest.mark.slow,  # a headless browser
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                 reason="chromium and chromedriver come from setup.sh")]


@pytest.fixture(scope="module")
def stats_page(counted_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("stats-page") / "out"
    shutil.copytree(counted_run[1], out, symlinks=True)
    return build_stats(out)


@pytest.fixture
def driver(tmp_path):
    chrome = headless_chrome(tmp_path)
    yield chrome
    chrome.quit()


def _column(driver, table_id: str, index: int) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
        ".map(r => r.cells[arguments[1]].textContent.trim())", table_id, index)


def _header(driver, table_id: str, label: str):
    from selenium.webdriver.common.by import By
    for button in driver.find_elements(By.CSS_SELECTOR, f"#{table_id} thead button.sort"):
        if button.text.strip() == label:
            return button
    raise AssertionError(f"no column {label!r} in {table_id}")


def test_tables_sort_from_the_keyboard(stats_page, driver):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(stats_page.as_uri())
    table = "table-pass_rate_theme"
    rate = _header(driver, table, "pass rate")
    headers = driver.execute_script(f"return [...document.querySelectorAll('#{table} thead th')]"
                                    ".map(h => h.textContent.trim())")
    column = headers.index("pass rate")
    theme = headers.index("theme")
    # from the column before, Tab reaches the pass rate's button; Enter sorts up, Space down
    driver.execute_script("arguments[0].focus()", _header(driver, table, "not assessed"))
    keys = lambda key: ActionChains(driver).send_keys(key).perform()  # noqa: E731 - to the focused element
    keys(Keys.TAB)
    assert driver.execute_script("return document.activeElement") == rate
    keys(Keys.ENTER)
    th = rate.find_element("xpath", "..")
    assert th.get_attribute("aria-sort") == "ascending"
    assert _column(driver, table, column) == ["33%", "75%", "79%", "100%", "100%"]
    assert _column(driver, table, theme)[0] == "Continu"
    keys(Keys.SPACE)
    assert th.get_attribute("aria-sort") == "descending"
    assert _column(driver, table, column) == ["100%", "100%", "79%", "75%", "33%"]
    assert _column(driver, table, theme)[-1] == "Continu"
    others = driver.execute_script(f"return [...document.querySelectorAll('#{table} thead th')]"
                                   ".filter(h => h.querySelector('button') !== arguments[0])"
                                   ".map(h => h.getAttribute('aria-sort'))", rate)
    assert set(others) == {"none"}
    status = driver.execute_script("return document.getElementById('sort-status').textContent")
    assert "sorted by pass rate, descending" in status


def test_every_image_loads_and_says_what_it_shows(stats_page, driver):
    driver.get(stats_page.as_uri())
    images = driver.execute_script("return [...document.images].map(i => [i.getAttribute('src'), i.alt, "
                                   "i.complete && i.naturalWidth > 0])")
    assert len(images) == 5
    for src, alt, loaded in images:
        assert loaded, src
        assert alt and src not in alt and len(alt.split()) >= 12, (src, alt)
        assert " chart: " in alt and "n = " in alt, (src, alt)


def test_the_gemeente_page_opens_from_the_index(stats_page, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(stats_page.as_uri())
    link = driver.find_element(By.CSS_SELECTOR, "#gemeenten a[href='gemeente/almere.html']")
    link.send_keys(Keys.ENTER)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Almere: verdicts per indicator"
    assert len(driver.find_elements(By.CSS_SELECTOR, "#table-gemeente tbody tr")) == 30
    indicator = _header(driver, "table-gemeente", "indicator")
    indicator.send_keys(Keys.ENTER)
    indicator.send_keys(Keys.ENTER)
    assert _column(driver, "table-gemeente", 0)[:2] == ["I30", "I29"]
    glyphs = _column(driver, "table-gemeente", 5)[:2]  # the 2014 column: ✓ pass for I30, ✗ fail for I29
    assert glyphs == ["✓ pass", "✗ fail"]
    driver.find_element(By.LINK_TEXT, "← all statistics").click()
    assert driver.find_element(By.TAG_NAME, "h1").text == "Statistics of this run"


@pytest.mark.parametrize("width", [1300, 390])
def test_no_page_scrolls_sideways(stats_page, driver, width):
    """Wide tables scroll inside their own box; nothing (a screen-reader-only label in a cell included) widens the
    page, at a desktop width and at a phone's."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 700})
    for page in (stats_page, stats_page.parent / "gemeente" / "almere.html"):
        driver.get(page.as_uri())
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{page.name} at {width} px: {scroll} px wide"
