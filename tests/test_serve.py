"""`stj serve` over a real run of the born-digital samples, in headless Chromium: the server is the `stj` command
started as a subprocess on a free port. The findings table with its facets, each canned query's answer, a finding's
links to its crop and to its page in the PDF, and writing refused. The expected values are counted by hand from
samples/gold/*.json: the run holds haarlemmermeer-2013.pdf (the factsheet: 30 findings, 6 of them fail: I01, I10,
I16, I21, I29, I30) and two born-digital copies of the Almere follow-up (24 findings each: 9 + 5 fail in 2013, 3 of
the 10 in 2014 fail: I06, I21, I29; 14 links: 10 resolved, 4 persist)."""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome
from tests.conftest import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver: setup.sh")]

START_TIMEOUT = 120  # seconds for the crops to be rendered and the server to listen


def _start(out, *options: str) -> tuple[subprocess.Popen, str]:
    """`stj serve OUT --port 0` as a subprocess, and the address it prints once it listens."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-m", "extract.cli", "serve", str(out), "--port", "0", *options],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 1.0)
        if ready:
            line = proc.stdout.readline()
            if line.startswith("serving "):
                return proc, line.split(" at ")[1].split()[0]
            if not line and proc.poll() is not None:
                break
    proc.kill()
    raise AssertionError(f"stj serve did not start: {proc.stderr.read()}")


def _stop(proc: subprocess.Popen) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    try:
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, proc.stderr.read()


@pytest.fixture(scope="module")
def served(counted_run, tmp_path_factory):
    """A copy of the run over the counted samples (OUT/serve is written into it) served by `stj serve`: (folder,
    address)."""
    out = tmp_path_factory.mktemp("served") / "out"
    shutil.copytree(counted_run[1], out, symlinks=True)
    proc, url = _start(out)
    yield out, url
    code, errors = _stop(proc)
    assert code == 0 and "Traceback" not in errors, errors


@pytest.fixture
def browser(tmp_path):
    driver = headless_chrome(tmp_path)
    yield driver
    driver.quit()


def _table(driver) -> list[dict]:
    """The rows of the page's result table, as {column: text}."""
    return driver.execute_script("""
        const table = document.querySelector('table.rows-and-columns');
        if (!table) return [];
        const heads = [...table.querySelectorAll('thead th')].map(th => th.getAttribute('data-column')
                                                                      || th.textContent.trim());
        return [...table.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
            [...tr.querySelectorAll('td')].map((td, i) => [heads[i], td.textContent.trim()])));""")


def test_findings_table_faceted_by_verdict(served, browser):
    from selenium.webdriver.common.by import By

    _, url = served
    browser.get(url + "stj/findings")
    assert "78 rows" in browser.find_element(By.TAG_NAME, "h3").text
    assert "One row per finding" in browser.find_element(By.CSS_SELECTOR, ".metadata-description").text
    assert "Creative Commons Zero" in browser.page_source
    fold = browser.find_element(By.CSS_SELECTOR, "details.stj-column-descriptions")
    assert fold.find_element(By.TAG_NAME, "summary").text == "What the 39 columns hold"
    assert not fold.find_element(By.TAG_NAME, "dl").is_displayed()  # folded: the rows come first
    assert browser.find_element(By.CSS_SELECTOR, "th.col-verdict").get_attribute("title").startswith("pass (check)")
    facets = [e.get_attribute("data-column") for e in browser.find_elements(By.CSS_SELECTOR, ".facet-info")]
    assert sorted(facets) == ["gemeente", "theme", "verdict", "year"]  # in order of their count of values
    browser.find_element(By.CSS_SELECTOR, "#facet-verdict a[href*='verdict=fail']").click()
    heading = browser.find_element(By.TAG_NAME, "h3").text
    assert heading == '40 rows where verdict = "fail"'  # 6 + 2 x 17
    assert {row["verdict"] for row in _table(browser)} == {"fail"}


def test_fail_rate_2013_counts_the_factsheet_only(served, browser):
    _, url = served
    browser.get(url + "stj/fail_rate_2013")
    rows = {row["indicator_id"]: row for row in _table(browser)}
    assert len(rows) == 30
    failed = {k for k, row in rows.items() if row["fail"] == "1"}
    assert failed == {"I01", "I10", "I16", "I21", "I29", "I30"}  # the follow-ups' 2013 failures are not counted
    assert [rows["I01"][c] for c in ("assessed", "fail", "pass", "copies_disagree", "fail_rate_pct")] == [
        "1", "1", "0", "0", "100.0"]
    assert [rows["I02"][c] for c in ("assessed", "fail", "pass", "fail_rate_pct")] == ["1", "0", "1", "0.0"]


def test_followup_changes(served, browser):
    _, url = served
    browser.get(url + "stj/followup_changes")
    rows = [(r["gemeente"], r["aanpak_2014"], r["change"], r["links"], r["indicators"]) for r in _table(browser)]
    assert rows == [("Almere", "Wijkteams en Gezinsbegeleiders", "resolved", "10", "I01, I03, I09, I10, I24, I25, I30"),
                    ("Almere", "Wijkteams en Gezinsbegeleiders", "persists", "4", "I06, I21, I29")]


def test_failed_twice(served, browser):
    _, url = served
    browser.get(url + "stj/failed_twice")
    rows = [(r["gemeente"], r["indicator_id"], r["failed_2013_in"], r["failed_2014_in"]) for r in _table(browser)]
    assert rows == [("Almere", "I06", "Multiprobleemgezinnen", "Wijkteams en Gezinsbegeleiders"),
                    ("Almere", "I21", "Versterkt Verder", "Wijkteams en Gezinsbegeleiders"),
                    ("Almere", "I29", "Multiprobleemgezinnen; Versterkt Verder", "Wijkteams en Gezinsbegeleiders")]


def test_a_finding_links_to_its_crop_and_its_pdf_page(served, browser):
    from selenium.webdriver.common.by import By

    out, url = served
    browser.get(url + "stj/findings?gemeente=Haarlemmermeer&indicator_id=I01")
    [row] = _table(browser)
    page = row["page"].split()[0]
    pdf = browser.find_element(By.CSS_SELECTOR, "td.col-page a.stj-pdf").get_attribute("href")
    assert pdf.endswith(f".pdf#page={page}")
    with urllib.request.urlopen(pdf.split("#")[0]) as response:  # the source PDF, the very file the run read
        data = response.read()
        assert response.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(data).hexdigest() == hashlib.sha256(
        (ROOT / "samples" / "haarlemmermeer-2013.pdf").read_bytes()).hexdigest()
    browser.find_element(By.CSS_SELECTOR, "td.col-page a.stj-crop").click()
    assert browser.current_url.endswith(".jpg")
    assert browser.execute_script("return document.contentType") == "image/jpeg"
    width, height = browser.execute_script("const i = document.images[0]; return [i.naturalWidth, i.naturalHeight]")
    assert width > 1000 and 100 < height < width  # a strip of the page, 144 dpi


def test_the_canned_query_of_links_links_as_well(served, browser):
    from selenium.webdriver.common.by import By

    _, url = served
    browser.get(url + "stj/findings_with_links")
    crops = browser.find_elements(By.CSS_SELECTOR, "td.col-crop_url a.stj-crop")
    pdfs = browser.find_elements(By.CSS_SELECTOR, "td.col-pdf_url a.stj-pdf")
    assert len(crops) == len(pdfs) == 78


def test_writing_through_the_browser_is_refused(served, browser):
    from selenium.webdriver.common.by import By

    out, url = served
    before = hashlib.sha256((out / "stj.sqlite").read_bytes()).hexdigest()
    browser.get(url + "stj?sql=" + urllib.parse.quote("insert into corrections (finding_id, field) values ('x', 'y')"))
    assert "Statement must be a SELECT" in browser.find_element(By.TAG_NAME, "body").text
    browser.get(url + "stj?sql=" + urllib.parse.quote("with x as (select 1) delete from findings"))
    assert "attempt to write a readonly database" in browser.find_element(By.TAG_NAME, "body").text
    statuses = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const posts = ['/stj', '/stj/findings', '/stj/fail_rate_2013', '/stj/findings/-/insert'].map(path =>
            fetch(path, {method: 'POST', body: new URLSearchParams({sql: 'delete from findings'})})
                .then(r => r.status));
        Promise.all(posts).then(done);""")
    assert statuses == [405, 405, 405, 405]
    browser.get(url + "stj/findings")
    assert "78 rows" in browser.find_element(By.TAG_NAME, "h3").text
    assert hashlib.sha256((out / "stj.sqlite").read_bytes()).hexdigest() == before


def test_a_second_start_reuses_the_crops_and_a_taken_port_is_named(served):
    out, url = served
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    crops = out / "serve" / "crops"
    made = {p.name: p.stat().st_mtime_ns for p in crops.iterdir()}
    done = subprocess.run([sys.executable, "-m", "extract.cli", "serve", str(out), "--port", str(port)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "choose another --port" in done.stderr
    proc, _ = _start(out)
    code, errors = _stop(proc)
    assert code == 0 and "stopped" in errors and "Traceback" not in errors
    assert {p.name: p.stat().st_mtime_ns for p in crops.iterdir()} == made  # not rendered again
    assert len(made) == 78


def test_the_port_is_free_after_ctrl_c(served):
    out, _ = served
    proc, url = _start(out)
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    code, _ = _stop(proc)
    assert code == 0
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
