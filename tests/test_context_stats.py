"""Context facts and organisations (the statistics folder is tested in test_stats.py and test_stats_page.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from extract.facts.context import parse_dutch_number


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
