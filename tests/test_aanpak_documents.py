"""An aanpak is one thing however a document spells it: synthetic follow-ups and factsheets with made-up names,
spelled otherwise in the title, the "(2013: …)" line and the column headers, through the whole run.

The aanpak names expected here are written by hand; the expected rows are the generator's own answers
(``tests/synth.py`` returns what it typeset), so the tests that compare rows say so in their names."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from extract import api
from extract.analysis.evaluate import compare
from extract.run.pipeline import process_document
from tests.synth import make_factsheet, make_followup


def _expect(doc, rename: dict[str, str]) -> list[dict]:
    return [{**row, "aanpak": rename.get(row["aanpak"], row["aanpak"])} for row in doc.findings]


@pytest.mark.parametrize("title_2013, header_names, canonical", [
    # the title says "aanpak X en aanpak Y", the headers "2013 X" / "2013 Y"
    pytest.param("aanpak Kompas en aanpak Samen Verder", None, ["Kompas", "Samen Verder"], marks=pytest.mark.slow),
    # an abbreviation in parentheses in the title, only the abbreviation in the header (the fast layer's case)
    ("Gezin Voorop Team (GVT) en Samen Verder", ["GVT", "Samen Verder"], ["GVT", "Samen Verder"]),
    # other letter case and a hyphen in the title
    pytest.param("de aanpak KOMPAS en de aanpak samen-verder", None, ["Kompas", "Samen Verder"],
                 marks=pytest.mark.slow),
])
def test_title_and_header_spellings_resolve_to_one_aanpak_and_rows_match_generator_answers(tmp_path, title_2013,
                                                                                             header_names, canonical):
    """Proves: the canonical 2013 names (written by hand) are found, and every row comes back as the generator
    typeset it, under the canonical name. Does not prove the rows right: the generator and the extractor share the
    framework's texts and the idea of what a row is, so a mistake they share passes."""
    names = ["Kompas", "Samen Verder"] if header_names is None or header_names[0] != "GVT" else [
        "Gezin Voorop Team", "Samen Verder"]
    path = tmp_path / "followup.pdf"
    doc = make_followup(path, gemeente="Veldhoven aan de Aa", aanpak_2014="Buurtnetwerk", aanpak_2013=names,
                        title_2013=title_2013, header_names=header_names, rng_seed=11, incomplete_header=True)
    result = process_document(path)
    assert result.status == "ok", result.errors
    assert result.info.aanpak_2013 == canonical
    roles = sorted((a.role, a.canonical) for a in result.info.aanpakken)
    assert roles == sorted([("2013", c) for c in canonical] + [("2014", "Buurtnetwerk")])
    rename = dict(zip(names, canonical))
    score = compare(_expect(doc, rename), [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    assert score.differences == []


@pytest.mark.slow  # a loop over two generated documents, each extracted
def test_three_2013_aanpakken_and_a_numbered_first_column_match_generator_answers(tmp_path):
    """Proves: three 2013 columns, after a "Nr." or a "Thema" first column, give the hand-written names and the rows
    the generator typeset. Does not prove the rows right (they are the generator's answers, not independent ones)."""
    names = ["Samen Sterk", "Eigen Kracht", "Thuis Voorop"]
    for lead in ("Nr.", "Thema"):
        path = tmp_path / f"followup-{lead}.pdf"
        doc = make_followup(path, gemeente="Ooststad", aanpak_2014="Wijkzorg", aanpak_2013=names, lead_column=lead,
                            rng_seed=12, incomplete_header=False)
        result = process_document(path)
        assert result.status == "ok", (lead, result.errors)
        assert result.info.aanpak_2013 == names
        score = compare(doc.findings, [dataclasses.asdict(f) for f in result.findings], strict_text=True)
        assert score.differences == [], lead


@pytest.mark.slow  # typesets two documents and runs them (the fast layer keeps one spelling case)
def test_links_and_aanpakken_table_through_a_run(tmp_path):
    """A factsheet names its aanpak in full with an abbreviation, the follow-up's header uses only the
    abbreviation and its title spells it "aanpak …": one aanpak, links unique, the factsheet is the 2013 side. (The
    names and roles expected are written by hand; which verbeterpunten the follow-up leaves out is the generator's
    answer.)"""
    folder = tmp_path / "in"
    folder.mkdir()
    sheet = make_factsheet(folder / "sheet.pdf", gemeente="Veldhoven aan de Aa", aanpak="Gezin Voorop Team (GVT)",
                           rng_seed=13)
    follow = make_followup(folder / "follow.pdf", gemeente="Gemeente Veldhoven aan de Aa", aanpak_2014="Buurtnetwerk",
                           aanpak_2013=["Gezin Voorop Team", "Kompas"], header_names=["GVT", "Kompas"],
                           title_2013="aanpak Gezin Voorop Team (GVT) en aanpak Kompas", rng_seed=13)
    summary = api.run([folder], tmp_path / "out", jobs=1)
    # the generator draws the two documents independently: the factsheet's verbeterpunten that the follow-up does
    # not revisit are named on the follow-up (a follow-up revisits every one), which makes it partial
    unlisted = ({f["indicator_id"] for f in sheet.findings if f["verdict"] == "fail"}
                - {f["indicator_id"] for f in follow.findings})
    by_file = {r.source_file: r for r in summary.results}
    assert unlisted and by_file["sheet.pdf"].status == "ok"
    assert by_file["follow.pdf"].status == "partial" and len(by_file["follow.pdf"].errors) == 1
    (problem,) = by_file["follow.pdf"].errors
    assert f"{len(unlisted)} verbeterpunten of GVT in the factsheet sheet.pdf have no row" in problem
    assert all(i in problem for i in sorted(unlisted))
    links = pd.read_csv(tmp_path / "out" / "links.csv")
    assert links["link_id"].is_unique and len(links) > 0
    assert set(links["aanpak_2013"]) <= {"GVT", "Kompas"}
    assert (links[links["aanpak_2013"] == "GVT"]["source"] == "factsheet+followup").all()
    assert (links[links["aanpak_2013"] == "Kompas"]["source"] == "followup").all()
    aanpakken = pd.read_csv(tmp_path / "out" / "aanpakken.csv").fillna("")
    rows = {(r.role, r.aanpak): r for r in aanpakken.itertuples()}
    assert set(rows) == {("assessed", "Gezin Voorop Team (GVT)"), ("2013", "GVT"), ("2013", "Kompas"),
                         ("2014", "Buurtnetwerk")}
    assert "Gezin Voorop Team (GVT)" in rows[("2013", "GVT")].aliases.split("; ")
    assert aanpakken["aanpak_id"].is_unique


@pytest.mark.slow  # a loop over two generated documents (seeds), each extracted
def test_long_names_and_words_broken_in_narrow_columns_match_generator_answers(tmp_path):
    """Three long 2013 names in narrow columns: header cells break mid-word ("Gezinsondersteunin" / "g ..."), the
    canonical name takes its spaces from the title; findings words too wide for the column are broken without a
    hyphen and joined again. Seeds 3 and 5, in one test that names every seed that fails.

    Proves: the hand-written names come back whole, and the rows as the generator typeset them. Does not prove the
    rows right (they are the generator's answers, not independent ones)."""
    names = ["Gezinsondersteuning Noordoostkwartier", "Multidisciplinaire Wijkaanpak", "Eigen-Kracht-Centrale"]
    failures = {}
    for seed in (3, 5):
        path = tmp_path / f"long-{seed}.pdf"
        doc = make_followup(path, gemeente="Ooststad", aanpak_2014="Wijkzorg", aanpak_2013=names, rng_seed=seed,
                            incomplete_header=False)
        result = process_document(path)
        if result.status != "ok":
            failures[seed] = f"status {result.status}: {result.errors}"
        elif result.info.aanpak_2013 != names:
            failures[seed] = f"2013 aanpakken {result.info.aanpak_2013}"
        elif differences := compare(doc.findings, [dataclasses.asdict(f) for f in result.findings],
                                    strict_text=True).differences:
            failures[seed] = differences
    assert failures == {}, f"seeds {sorted(failures)} fail: {failures}"
