"""Identity of aanpakken and gemeenten across spellings (made-up names only)."""

from __future__ import annotations

import pytest

from extract.series.identity import (Mention, aanpak_year, abbreviations, canonical_for, clean_name, gemeente_key,
                                     list_mentions, resolve_aanpakken, same_aanpak, same_gemeente)


@pytest.mark.parametrize("a, b", [
    ("Kompasteam", "aanpak Kompasteam"),  # a leading "aanpak"
    ("Kompasteam", "de aanpak Kompasteam"),  # ... or "de aanpak"
    ("Kompasteam", "De aanpak 'Kompasteam'"),  # quoted, as in the introduction
    ("Gezin Voorop Team (GVT)", "GVT"),  # the abbreviation in parentheses
    ("Gezin Voorop Team (GVT)", "Gezin Voorop Team"),  # the name without it
    ("Gezin Voorop Team", "GVT"),  # the initials of its words
    ("Samen Verder", "samen verder"),  # letter case
    ("Samen Verder", "SAMEN VERDER"),
    ("Samen-Verder", "Samen Verder"),  # hyphenated
    ("Gezinsbinding", "Gezins- binding"),  # broken over lines at a hyphen
    ("Huis op Orde", "Huis op\norde"),  # broken over lines
    ("Zorg Dichtbij", "Zorg Dichtbij."),  # a trailing full stop
    ("Eén Gezin Eén Plan", "Een gezin een plan"),  # diacritics
])
def test_spellings_of_one_aanpak_are_the_same(a, b):
    assert same_aanpak(a, b) and same_aanpak(b, a)


@pytest.mark.parametrize("a, b", [
    ("Samen Verder", "Samen Sterk"),
    ("Kompasteam", "Kompas"),
    ("Gezin Voorop Team (GVT)", "GVA"),
    ("Sociaal Team", "ST Jeugd"),
    ("Huis op Orde", "Huis op Orde Plus"),
])
def test_other_aanpakken_are_not_the_same(a, b):
    assert not same_aanpak(a, b)


def test_clean_name_joins_line_breaks_but_keeps_hyphenated_lists():
    assert clean_name("Gezins-\ncoaching") == "Gezinscoaching"
    assert clean_name("Jeugd- en Gezinsteam") == "Jeugd- en Gezinsteam"
    assert clean_name("  de aanpak 'Kompasteam'. ") == "Kompasteam"
    assert clean_name("Aanpak Thuis") == "Aanpak Thuis"  # a capitalised "Aanpak" is part of the name


def test_abbreviations():
    assert "gvt" in abbreviations("Gezin Voorop Team (GVT)")
    assert abbreviations("GVT") == {"gvt"}
    assert abbreviations("kompasteam") == set()


def test_x_en_y_list_is_split_and_a_name_holding_en_is_rejoined():
    names = [m.text for m in list_mentions("aanpak Kompas en aanpak Samen Verder", "line-2013", "2013",
                                           ["Kompas", "Samen Verder"])]
    assert names == ["Kompas", "Samen Verder"]
    names = [m.text for m in list_mentions("Huis en Haard, Kompas en Samen Verder", "line-2013", "2013",
                                           ["Huis en Haard"])]
    assert names == ["Huis en Haard", "Kompas", "Samen Verder"]
    names = [m.text for m in list_mentions("Wonen en Werken", "line-2013", "2013", ["Wonen en Werken"])]
    assert names == ["Wonen en Werken"]


def test_mentions_resolve_to_one_canonical_name_per_aanpak_with_aliases():
    mentions = [Mention("Gezin Voorop Team (GVT)", "line-2013", "2013"), Mention("Kompas", "line-2013", "2013"),
                Mention("GVT", "header", "2013"), Mention("KOMPAS", "header", "2013"),
                Mention("GVT", "header", "2013"), Mention("Gezin Voorop Team", "intro", "2013"),
                Mention("Zorgnetwerk Noord", "title", "2014")]
    aanpakken = resolve_aanpakken(mentions)
    by_name = {a.canonical: a for a in aanpakken}
    assert set(by_name) == {"GVT", "KOMPAS", "Zorgnetwerk Noord"}  # the header's wording wins
    assert set(by_name["GVT"].aliases) == {"Gezin Voorop Team (GVT)", "Gezin Voorop Team"}
    assert by_name["KOMPAS"].aliases == ["Kompas"] and aanpak_year(by_name["Zorgnetwerk Noord"]) == 2014
    assert canonical_for(aanpakken, "gezin voorop team", 2013) == "GVT"
    assert canonical_for(aanpakken, "Onbekend", 2013) == "Onbekend"


def test_same_name_in_two_roles_stays_two_aanpakken():
    aanpakken = resolve_aanpakken([Mention("Kompas", "header", "2013"), Mention("Kompas", "title", "2014")])
    assert sorted(a.role for a in aanpakken) == ["2013", "2014"]


def test_gemeenten_are_compared_exactly_after_normalising():
    assert not same_gemeente("Haaren", "Haren")
    assert not same_gemeente("Loon", "Loo")
    assert same_gemeente("Gemeente Súdwest-Fryslân", "sudwest fryslan")
    assert same_gemeente("'s-Gravendeel", "s Gravendeel")
    assert gemeente_key("") == "" and not same_gemeente("", "")


def test_a_word_broken_over_lines_without_a_hyphen_is_joined_only_when_the_pieces_are_no_words():
    from extract.series.prose import join_lines

    assert join_lines(["Er is geen formele samen", "werkingsovereenkomst vastgesteld."]) == \
        "Er is geen formele samenwerkingsovereenkomst vastgesteld."
    assert join_lines(["noemt alleen maatschappelijk werk", "en de GGD."]) == "noemt alleen maatschappelijk werk en de GGD."
    assert join_lines(["de regie op de zorg", "en ondersteuning"]) == "de regie op de zorg en ondersteuning"
    assert join_lines(["zij hebben samen", "gewerkt"]) == "zij hebben samen gewerkt"
