"""Context facts, organisations, and the statistics folder (tables checked against counts computed here from
findings.csv; plots checked as images and in headless Chromium)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from PIL import Image

from extract import api
from extract.analysis.stats import build_stats
from extract.facts.context import parse_dutch_number
from tests.conftest import SAMPLES

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.parametrize("text,value", [("144.000", 144000), ("25.445", 25445), ("3%", 3), ("1,5", 1.5),
                                        ("750", 750), ("12.5.3", None), ("abc", None)])
def test_dutch_numbers(text, value):
    assert parse_dutch_number(text) == value


def test_factsheet_context_facts(born_digital_run):
    _, out = born_digital_run
    context = pd.read_csv(out / "context.csv", keep_default_na=False)
    sheet = context[context.gemeente == "Haarlemmermeer"].set_index("fact")
    value = sheet.value.replace("", "nan").astype(float)
    assert (value["inwoners"], sheet.loc["inwoners", "qualifier"]) == (144000, "bijna")
    assert value["meerpersoonshuishoudens_met_kind"] == 25445
    assert (value["ggsr_gezinnen"], sheet.loc["ggsr_gezinnen", "qualifier"]) == (750, "bij benadering")
    assert (value["ggsr_aandeel"], sheet.loc["ggsr_aandeel", "unit"]) == (3, "%")
    assert int(sheet.loc["inwoners", "page"]) == 1


def test_followup_conversation_date(born_digital_run):
    _, out = born_digital_run
    context = pd.read_csv(out / "context.csv", keep_default_na=False)
    follow = context[(context.gemeente == "Almere") & (context.fact == "gesprek_datum")]
    assert len(follow) >= 1 and set(follow.date) == {"2014-11-20"}


def test_respondents_and_mentions(born_digital_run):
    _, out = born_digital_run
    organisations = pd.read_csv(out / "organisations.csv", keep_default_na=False)
    sheet = organisations[organisations.gemeente == "Haarlemmermeer"]
    respondents = sheet[sheet.role == "respondent"]
    assert list(respondents.name) == ["GGD Kennemerland", "MEE Amstel en Zaan", "Meerwaarde"]
    assert list(respondents.canonical) == ["GGD", "MEE", "Meerwaarde"]
    mentioned = sheet[sheet.role == "mentioned"]
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False).set_index("finding_id")
    assert len(mentioned) and set(mentioned.finding_id) <= set(findings.index)
    for row in mentioned.itertuples():
        assert row.name in findings.loc[row.finding_id, "finding"]


@pytest.fixture(scope="module")
def stats_dir(born_digital_run):
    _, out = born_digital_run
    build_stats(out)
    return out


def test_pass_counts_per_theme_match_findings(stats_dir):
    findings = pd.read_csv(stats_dir / "findings.csv", keep_default_na=False)
    unique = findings.drop_duplicates(["gemeente", "aanpak", "year", "indicator_id"])
    table = pd.read_csv(stats_dir / "stats" / "pass_rate_theme.csv").set_index("theme")
    for theme, group in unique.groupby("theme"):
        passed, failed = (group.verdict == "pass").sum(), (group.verdict == "fail").sum()
        assert (table.loc[theme, "pass"], table.loc[theme, "fail"]) == (passed, failed)
        assert table.loc[theme, "pass_rate"] == pytest.approx(passed / (passed + failed), abs=1e-4)


def test_indicator_rates_and_grid_match_findings(stats_dir):
    findings = pd.read_csv(stats_dir / "findings.csv", keep_default_na=False)
    findings = findings.drop_duplicates(["gemeente", "aanpak", "year", "indicator_id"])  # a copy counts once
    rates = pd.read_csv(stats_dir / "stats" / "pass_rate_indicator.csv").set_index("indicator_id")
    assert rates.loc["I29", "fail"] == (findings[findings.indicator_id == "I29"].verdict == "fail").sum()
    assert len(rates) == 30
    grid = pd.read_csv(stats_dir / "stats" / "verdict_grid.csv", keep_default_na=False)
    caveats = findings[findings.caveat.astype(str) == "True"]
    for row in caveats.itertuples():
        cell = grid[(grid.gemeente == row.gemeente) & (grid.aanpak == row.aanpak) & (grid.year == row.year)]
        assert cell.iloc[0][row.indicator_id] == "caveat"
    assert (grid.drop(columns=["gemeente", "aanpak", "year"]) != "not assessed").sum().sum() == len(findings)


def test_changes_match_links(stats_dir):
    links = pd.read_csv(stats_dir / "links.csv", keep_default_na=False)
    links = links.drop_duplicates(["gemeente", "indicator_id", "aanpak_2013", "aanpak_2014"])  # a copy counts once
    table = pd.read_csv(stats_dir / "stats" / "changes.csv").set_index("gemeente")
    for change, count in links.change.value_counts().items():
        assert table.loc["Almere", change] == count


def test_pngs_are_valid_images(stats_dir):
    pngs = sorted((stats_dir / "stats").glob("*.png"))
    assert {p.stem for p in pngs} >= {"verdict_grid", "pass_rate_indicator", "pass_rate_theme", "changes"}
    for png in pngs:
        with Image.open(png) as image:
            image.verify()
        with Image.open(png) as image:
            assert image.size[0] > 200 and image.size[1] > 100
            assert len(image.convert("L").getcolors(maxcolors=1 << 16) or []) > 5  # not blank


@pytest.mark.slow  # a second whole run and its charts (the fast layer keeps the charts of the session run)
def test_one_document_says_what_it_left_out(tmp_path):
    api.run([SAMPLES / "haarlemmermeer-2013.pdf"], tmp_path, jobs=1)
    index = build_stats(tmp_path).read_text(encoding="utf-8")
    assert "no national report" in index and "no follow-up" in index
    assert not (tmp_path / "stats" / "changes.png").exists()


@pytest.mark.slow  # a headless browser
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are installed by setup.sh")
def test_stats_page_in_headless_chromium(stats_dir, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome = webdriver.ChromeOptions()
    chrome.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        chrome.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=chrome)
    try:
        driver.get((stats_dir / "stats" / "index.html").as_uri())
        count = driver.execute_script("return document.images.length")
        loaded = driver.execute_script("return [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    finally:
        driver.quit()
    assert count == len(list((stats_dir / "stats").glob("*.png"))) and loaded
