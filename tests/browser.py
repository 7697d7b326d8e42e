"""Headless Chromium for the tests of the pages people use (Debian's chromium and chromedriver, from setup.sh)."""

from __future__ import annotations

import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def headless_chrome(tmp_path: Path, window: str = "1400,1000", downloads: Path | None = None):
    """A Chromium driver with a fresh profile in ``tmp_path``, a window of ``window`` ("width,height") pixels, and
    downloads saved to ``downloads`` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome = webdriver.ChromeOptions()
    chrome.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--window-size={window}", f"--user-data-dir={tmp_path / 'profile'}"):
        chrome.add_argument(flag)
    if downloads is not None:
        chrome.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                 "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=chrome)
    if downloads is not None:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def review_cards(driver) -> list:
    """The audit page's row cards (not the cards of pages that lost rows)."""
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.CSS_SELECTOR, ".card:not(.gap)")


def reload_page(driver) -> None:
    """Reload, accepting the warning about work not yet exported if the browser shows it."""
    from selenium.common.exceptions import NoAlertPresentException
    driver.refresh()
    try:
        driver.switch_to.alert.accept()
    except NoAlertPresentException:
        pass
