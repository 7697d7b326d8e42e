"""The review page's fields: corrections validated as they are typed against the dataset's own schema
(datapackage.json), an edit marked on its card, the marker following a corrected verdict, filters on the corrected
values, and the legend of the boxes (the browser tests in headless Chromium are marked slow)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from extract.analysis.audit import field_rules
from extract.series.description import series
from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chrome

def _package(tmp_path, fields):
    (tmp_path / "datapackage.json").write_text(json.dumps(
        {"resources": [{"name": "documents", "schema": {"fields": [{"name": "year", "type": "string"}]}},
                       {"name": "findings", "schema": {"fields": fields}}]}), encoding="utf-8")
    return tmp_path


def test_field_rules_read_the_findings_schema(tmp_path):
    out = _package(tmp_path, [
        {"name": "year", "type": "integer", "constraints": {"required": True, "enum": [2013, 2014]}},
        {"name": "indicator_id", "type": "string", "constraints": {"enum": ["I01", "I02"]}},
        {"name": "verdict", "type": "string", "constraints": {"enum": ["pass", "fail"]}},
        {"name": "caveat", "type": "boolean"}, {"name": "gemeente", "type": "string"}])
    rules = field_rules(out)
    assert rules["year"] == {"type": "integer", "enum": ["2013", "2014"]}
    assert rules["indicator_id"]["enum"] == ["I01", "I02"]
    assert rules["verdict"]["enum"] == ["pass", "fail"]
    assert rules["caveat"] == {"type": "boolean", "enum": ["true", "false"]}
    assert rules["gemeente"] == {"type": "string", "required": True}
    assert rules["aanpak"] == {"type": "string"}


def test_a_year_without_an_enum_takes_the_series_years(tmp_path):
    out = _package(tmp_path, [{"name": "year", "type": "integer"}])
    current = series()
    assert field_rules(out)["year"] == {"type": "integer",
                                        "enum": [str(current.assessed_year), str(current.followup_year)]}


def _exported(driver) -> list[dict]:
    return list(csv.DictReader(io.StringIO(driver.execute_script("return window.stjReviewCsv()"))))


def _type(field, text):
    field.clear()
    field.send_keys(text)


@pytest.mark.slow
@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver: setup.sh")
def test_fields_validated_marked_and_filtered(review_audit, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    out, index = review_audit
    assert "datapackage.json" in {p.name for p in out.iterdir()}
    driver = headless_chrome(tmp_path)
    try:
        driver.get(index.as_uri())
        cards = driver.find_elements(By.CSS_SELECTOR, ".card:not(.gap)")
        legend = driver.find_element(By.ID, "legend").text
        assert "blue" in legend and "red" in legend and "marker" in legend
        first, second, third = cards[:3]

        year = first.find_element(By.CSS_SELECTOR, "input[data-field=year]")
        _type(year, "2104")
        assert year.get_attribute("aria-invalid") == "true"
        message = driver.find_element(By.ID, year.get_attribute("aria-describedby"))
        assert "year must be one of" in message.text and "not exported" in message.text
        assert not any(r["field"] == "year" for r in _exported(driver))
        assert any(r[1] == "year" and r[2] == "2104" for r in driver.execute_script("return window.stjRefused()"))
        _type(year, "20x4")
        assert "whole number" in message.text

        ind = second.find_element(By.CSS_SELECTOR, "input[data-field=indicator_id]")
        _type(ind, "I99")
        assert ind.get_attribute("aria-invalid") == "true"
        assert "indicator_id must be one of I01–I30" in driver.find_element(
            By.ID, ind.get_attribute("aria-describedby")).text
        assert not any(r["field"] == "indicator_id" for r in _exported(driver))
        _type(ind, "I05")
        assert ind.get_attribute("aria-invalid") == "false"
        assert {"finding_id": second.get_attribute("data-id"), "field": "indicator_id", "value": "I05"}.items() <= \
            next(r for r in _exported(driver) if r["field"] == "indicator_id").items()

        gemeente = third.find_element(By.CSS_SELECTOR, "input[data-field=gemeente]")
        gemeente.clear()
        gemeente.send_keys("x")
        gemeente.send_keys("\b")
        assert "gemeente cannot be empty" in driver.find_element(
            By.ID, gemeente.get_attribute("aria-describedby")).text

        # a corrected verdict: the marker shown follows it, the field is marked, the filter uses it
        old, first_id = first.get_attribute("data-verdict"), first.get_attribute("data-id")
        new = "fail" if old == "pass" else "pass"
        Select(first.find_element(By.CSS_SELECTOR, "select[data-field=verdict]")).select_by_value(new)
        assert first.find_element(By.CSS_SELECTOR, ".marker-shown").text == {"pass": "✓", "fail": "X"}[new]
        row = first.find_element(By.CSS_SELECTOR, "tr[data-row=verdict]")
        assert "edited" in row.get_attribute("class")
        flag = row.find_element(By.CSS_SELECTOR, ".edited-flag")
        assert flag.is_displayed() and flag.text == "edited" and flag.get_attribute("title") == f"original: {old}"
        assert [r for r in _exported(driver) if r["field"] == "verdict"] == [
            {"finding_id": first.get_attribute("data-id"), "field": "verdict", "value": new, "reviewer": "",
             "note": ""}]
        assert "edited" not in first.find_element(By.CSS_SELECTOR, "tr[data-row=aanpak]").get_attribute("class")
        Select(driver.find_element(By.ID, "f-verdict")).select_by_value(new)
        assert first.is_displayed()
        Select(driver.find_element(By.ID, "f-verdict")).select_by_value(old)
        # only the cards the filters let through are in the page (paged): the first card has left it
        assert not driver.find_elements(By.CSS_SELECTOR, f".card[data-id='{first_id}']")
        Select(driver.find_element(By.ID, "f-verdict")).select_by_value("")

        # the whole page, linked from the card
        link = first.find_element(By.CSS_SELECTOR, "a.whole-page")
        assert (index.parent / link.get_attribute("href").split("/audit/")[-1]).exists()

        # every editable field has an accessible name and a message it is described by
        for field in driver.find_elements(By.CSS_SELECTOR, "[data-field]"):
            assert field.get_attribute("aria-label")
            assert driver.find_elements(By.ID, field.get_attribute("aria-describedby"))
    finally:
        driver.quit()
