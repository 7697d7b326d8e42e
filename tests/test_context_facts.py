"""Context facts phrased in many ways, Dutch numbers in digits and words, qualifiers, and the date of the follow-up
conversation. Every sentence and name here is made up."""

from __future__ import annotations

import pytest

from extract.core.records import DocumentContext
from extract.facts.context import context_facts, facts_in_sentence
from extract.series.numbers import is_number_tail, is_number_token, parse_number, phrase_value
from tests.builders import line


@pytest.mark.parametrize("text,value", [
    ("twee", 2), ("twintig", 20), ("negentig", 90), ("eenentwintig", 21), ("drieëntwintig", 23),
    ("achtentwintig", 28), ("zeventien", 17), ("honderdvijftig", 150), ("tweehonderdvijfenzeventig", 275),
    ("tweeduizend", 2000), ("drieduizendvijfhonderd", 3500), ("zeshonderdduizend", 600000), ("anderhalf", 1.5),
    ("tweeënhalf", 2.5), ("Twaalfhonderd", 1200), ("1.800", 1800), ("144.000", 144000), ("1,5", 1.5), ("3%", 3),
    ("750", 750),
    ("tweede", None), ("honderden", None), ("twintigdertig", None), ("tweetwee", None), ("half", None),
    ("tienen", None), ("12.5.3", None), ("abc", None), ("", None),
])
def test_number_words_and_digits(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("words,value", [
    (["1,5", "miljoen"], 1_500_000), (["12", "duizend"], 12_000), (["twee", "duizend", "vijfhonderd"], 2500),
    (["anderhalf", "miljoen"], 1_500_000), (["2013", "twee"], None), (["twintig", "dertig"], None),
])
def test_numbers_over_several_tokens(words, value):
    assert phrase_value(words) == value


def test_token_predicates():
    assert is_number_token("tweeduizend") and is_number_token("1.800") and is_number_token("één")
    assert not is_number_token("een") and not is_number_token("3%") and not is_number_token("gezinnen")
    assert is_number_tail("duizend") and is_number_tail("vijfhonderd")
    assert not is_number_tail("twintig") and not is_number_tail("12")


FACTS = [
    # (sentence, fact, value, unit, qualifier)
    ("In Lindendaal zijn naar schatting zo'n 1.800 gezinnen die voldoen aan de omschrijving van GGSR.",
     "ggsr_gezinnen", 1800, "gezinnen", "naar schatting zo'n"),
    ("Bij benadering 600 gezinnen met geringe sociale redzaamheid wonen in Westerbroek.",
     "ggsr_gezinnen", 600, "gezinnen", "bij benadering"),
    ("De doelgroep GGSR bestaat uit ongeveer vierhonderd gezinnen.", "ggsr_gezinnen", 400, "gezinnen", "ongeveer"),
    ("Er zijn in Westerbroek ongeveer 1.200 GGSR-gezinnen.", "ggsr_gezinnen", 1200, "gezinnen", "ongeveer"),
    ("De gemeente telt naar schatting ruim 500 multiprobleemgezinnen.",
     "ggsr_gezinnen", 500, "gezinnen", "naar schatting ruim"),
    ("Het aantal GGSR in Oosterlo is naar schatting 350.", "ggsr_gezinnen", 350, "gezinnen", "naar schatting"),
    ("Ongeveer 2000 gezinnen in de gemeente voldoen aan de definitie van GGSR.",
     "ggsr_gezinnen", 2000, "gezinnen", "ongeveer"),
    ("De aanpak richt zich op naar schatting 1.800 gezinnen met geringe sociale redzaamheid.",
     "ggsr_gezinnen", 1800, "gezinnen", "naar schatting"),
    ("Momenteel ontvangen 240 gezinnen hulp vanuit deze aanpak.", "gezinnen_in_aanpak", 240, "gezinnen", ""),
    ("Het wijkteam had de regie rondom 25 gezinnen.", "gezinnen_in_aanpak", 25, "gezinnen", ""),
    ("Met de aanpak worden momenteel ruim zestig gezinnen bereikt.", "gezinnen_in_aanpak", 60, "gezinnen", "ruim"),
    ("In de aanpak zitten eenentwintig gezinnen.", "gezinnen_in_aanpak", 21, "gezinnen", ""),
    ("Bij het Kompasteam zijn 35 gezinnen aangemeld.", "gezinnen_in_aanpak", 35, "gezinnen", ""),
    ("Lindendaal heeft een kleine 90.000 inwoners.", "inwoners", 90000, "inwoners", "een kleine"),
    ("Westerbroek telt ruim tweeduizend inwoners.", "inwoners", 2000, "inwoners", "ruim"),
    ("De regio telt circa 1,5 miljoen inwoners.", "inwoners", 1_500_000, "inwoners", "circa"),
    ("Met 12 duizend inwoners is Oosterlo een kleine gemeente.", "inwoners", 12000, "inwoners", ""),
    ("Het inwonertal bedraagt ongeveer 45.300.", "inwoners", 45300, "inwoners", "ongeveer"),
    ("Westerbroek heeft ca. 52.000 inwoners.", "inwoners", 52000, "inwoners", "ca."),
    ("De gemeente telt zo\u2019n 61.000 inwoners.", "inwoners", 61000, "inwoners", "zo'n"),
    ("Er wonen in de gemeente 31.250 huishoudens met één of meer kinderen.",
     "meerpersoonshuishoudens_met_kind", 31250, "huishoudens", ""),
    ("Volgens het CBS zijn er bijna 8.400 meerpersoonshuishoudens met kind.",
     "meerpersoonshuishoudens_met_kind", 8400, "huishoudens", "bijna"),
    ("De gemeente schat dat ongeveer 2 procent van alle gezinnen onder de doelgroep GGSR valt.",
     "ggsr_aandeel", 2, "%", "ongeveer"),
    ("Naar schatting 3% van de gezinnen in Oosterlo behoort tot de GGSR.", "ggsr_aandeel", 3, "%", "naar schatting"),
    ("Het aandeel GGSR ligt op zo'n 4,5 procent.", "ggsr_aandeel", 4.5, "%", "zo'n"),
    ("In 2014 zijn 128 casussen besproken in het casusoverleg.", "casussen_behandeld", 128, "casussen", ""),
    ("Het team behandelde vorig jaar ongeveer honderdvijftig casussen.",
     "casussen_behandeld", 150, "casussen", "ongeveer"),
    ("Sinds de start zijn meer dan 300 casussen afgehandeld.", "casussen_behandeld", 300, "casussen", "meer dan"),
]


@pytest.mark.parametrize("sentence,fact,value,unit,qualifier", FACTS)
def test_fact_phrased_otherwise(sentence, fact, value, unit, qualifier):
    assert facts_in_sentence(sentence) == [(fact, pytest.approx(value), unit, qualifier, "")]


def test_two_facts_in_one_sentence():
    found = facts_in_sentence("Westerbroek telt 20.000 gezinnen met kinderen, waarvan ruim 600 GGSR.")
    assert ("meerpersoonshuishoudens_met_kind", 20000, "huishoudens", "", "") in found
    assert ("ggsr_gezinnen", 600, "gezinnen", "ruim", "") in found
    assert len(found) == 2


@pytest.mark.parametrize("sentence", [
    "In 2012 zijn 3 nota's vastgesteld.",
    "De wijk telt 4 scholen.",
    "Sinds 2010 kunnen inwoners zich zelf melden.",
    "In 2013 zijn inwoners en professionals bevraagd.",
    "12% van de inwoners is werkloos.",
    "Ongeveer 40 procent van de gezinnen heeft een laag inkomen.",
    "Eén op de vijf inwoners is jonger dan achttien jaar.",
    "Het aantal inwoners groeide met 3 procent.",
    "Ongeveer 30% van de jongeren in de gemeente valt onder de doelgroep.",
    "De gemeente werkt met 12 wijkteams en 3 gebiedsteams.",
    "In een half jaar is de aanpak in twee wijken gestart.",
    "Indicator 2013 GGSR-gezinnen in beeld 2014 Wijkkracht",
    "Het jaarplan 2015 inwoners aan zet is vastgesteld.",
    "Een gezin met vier kinderen woont in een kleine gemeente.",
    "",
])
def test_sentence_without_fact(sentence):
    assert facts_in_sentence(sentence) == []


@pytest.mark.parametrize("sentence,date", [
    ("Op 3 november 2014 heeft een gesprek plaatsgevonden met de wethouder.", "2014-11-03"),
    ("In een gesprek op 3 november 2014 heeft de gemeente de voortgang toegelicht.", "2014-11-03"),
    ("De voortgang is toegelicht tijdens het gesprek met STJ op 3 november 2014.", "2014-11-03"),
    ("Tijdens het voortgangsgesprek van 9 december 2014 is de aanpak besproken.", "2014-12-09"),
    ("De gemeente heeft op 14 januari 2015 schriftelijk aan de inspecties gerapporteerd.", "2015-01-14"),
    ("Op 2 februari 2015 is het verslag aan STJ verstuurd.", "2015-02-02"),
    ("Op 21 oktober 2014 is de voortgang met de gemeente besproken.", "2014-10-21"),
])
def test_conversation_date(sentence, date):
    assert facts_in_sentence(sentence) == [("gesprek_datum", None, "datum", "", date)]


@pytest.mark.parametrize("sentence", [
    "Op 12 maart 2013 is de nota vastgesteld.",
    "Op 12 maart 2013 is de nota vastgesteld; het gesprek met STJ volgt later.",
    "De wethouder is op 4 april 2014 aangetreden.",
    "Op 31 februari 2014 heeft een gesprek plaatsgevonden.",
    "Het beleidsplan van 1 januari 2015 beschrijft de gesprekken met ouders.",
    "De raad heeft op 5 juni 2014 het plan vastgesteld en de inspecties ontvingen het later.",
])
def test_other_dates_are_no_conversation_date(sentence):
    assert facts_in_sentence(sentence) == []


def test_document_keeps_first_statement_and_skips_other_dates():
    lines = [
        line("Op 12 maart 2013 is de nota vastgesteld.", 50, 100, page=1),
        line("Lindendaal heeft bijna 70.000 inwoners.", 50, 120, page=1),
        line("In het gesprek op 6 mei 2014 is de voortgang besproken.", 50, 100, page=2),
        line("Het centrum telt 9.000 inwoners.", 50, 120, page=2),
    ]
    facts = {f.fact: f for f in context_facts(DocumentContext("doc", "doc.pdf", "Lindendaal"), lines)}
    assert set(facts) == {"inwoners", "gesprek_datum"}
    assert (facts["inwoners"].value, facts["inwoners"].qualifier, facts["inwoners"].page) == (70000, "bijna", 1)
    assert (facts["gesprek_datum"].date, facts["gesprek_datum"].page) == ("2014-05-06", 2)
