"""Self-tests of the synthetic document generator: valid PDFs whose expected rows match the framework and the page."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from tests.synth import (CHECK, CROSS, STYLE_VARIANTS, SynthStyle, column_bounds, load_framework, make_factsheet,
                         make_followup)

FRAMEWORK = {ind.indicator_id: ind for ind in load_framework()}
AANPAK_2013 = ("Gezinscoaching", "Samen Sterk")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _column_text(path, kind: str) -> list[str]:
    """Per page, the text of the findings columns (each column cropped separately, whitespace collapsed)."""
    bounds = column_bounds(kind)[2:] if kind == "factsheet" else column_bounds(kind)[1:]
    with pdfplumber.open(path) as pdf:
        return [_normal(" ".join(page.crop((x0 + 0.5, 0, x1 - 0.5, page.height)).extract_text() or ""
                                 for x0, x1 in bounds))
                for page in pdf.pages]


def _check_rows_against_framework(rows: list[dict]) -> None:
    for row in rows:
        ind = FRAMEWORK[row["indicator_id"]]
        assert (row["theme"], row["criterion"]) == (ind.theme, ind.criterion)
        assert row["verdict"] in ("pass", "fail")
        assert row["finding"].startswith((CHECK if row["verdict"] == "pass" else CROSS) + " ")
        assert row["caveat"] == ("let op:" in row["finding"].lower())


@pytest.mark.slow  # a generated corpus: 16 documents typeset
@pytest.mark.parametrize("name", sorted(STYLE_VARIANTS))
@pytest.mark.parametrize("kind", ["factsheet", "followup"])
def test_every_style_gives_a_readable_pdf(tmp_path, kind, name):
    path = tmp_path / f"{kind}.pdf"
    make = make_factsheet if kind == "factsheet" else make_followup
    doc = make(path, style=STYLE_VARIANTS[name], rng_seed=1)
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) > 0
        last = pdf.pages[-1]
        assert f"pagina {len(pdf.pages)}" in last.crop((0, last.height - 60, last.width, last.height)).extract_text()
    assert doc.findings
    _check_rows_against_framework(doc.findings)


def test_factsheet_rows_cover_the_framework_once(tmp_path):
    doc = make_factsheet(tmp_path / "f.pdf", gemeente="Veenhoven", aanpak="Thuis Sterk", rng_seed=2)
    assert sorted(r["indicator_id"] for r in doc.findings) == sorted(FRAMEWORK)
    assert {(r["gemeente"], r["aanpak"], r["year"]) for r in doc.findings} == {("Veenhoven", "Thuis Sterk", 2013)}
    assert doc.aanpak_2013 == ["Thuis Sterk"] and doc.published == "2013-10"
    assert [c["theme"] for c in doc.conclusions] == list(dict.fromkeys(i.theme for i in FRAMEWORK.values()))
    assert len({r["finding"] for r in doc.findings}) > 20


@pytest.mark.slow  # a loop over five generated documents
def test_factsheet_has_a_paragraph_answering_several_indicators(tmp_path):
    for seed in range(5):
        rows = make_factsheet(tmp_path / f"f{seed}.pdf", rng_seed=seed).findings
        repeated = [a for a, b in zip(rows, rows[1:]) if a["finding"] == b["finding"]]
        assert repeated and all(a["criterion"] == "Planmatig" for a in repeated)


def test_followup_rows_carry_the_aanpak_of_their_column(tmp_path):
    doc = make_followup(tmp_path / "u.pdf", aanpak_2014="Sociale Teams", aanpak_2013=AANPAK_2013, rng_seed=3)
    _check_rows_against_framework(doc.findings)
    keys = [(r["indicator_id"], r["aanpak"], r["year"]) for r in doc.findings]
    assert len(keys) == len(set(keys))
    assert {(a, y) for _, a, y in keys} <= {(AANPAK_2013[0], 2013), (AANPAK_2013[1], 2013), ("Sociale Teams", 2014)}
    assert {y for _, _, y in keys} == {2013, 2014}
    assert doc.published == "2015-06" and doc.conclusions == []


def test_followup_header_is_incomplete_once(tmp_path):
    path = tmp_path / "u.pdf"
    make_followup(path, aanpak_2013=AANPAK_2013, rng_seed=4)
    with pdfplumber.open(path) as pdf:
        text = _normal(" ".join(page.extract_text() for page in pdf.pages))
    assert "Indicator 2013 2014 2014" in text
    assert "(2013: Samen sterk en Gezinscoaching)" in text


@pytest.mark.slow  # typesets two documents and crops every column of every page
@pytest.mark.parametrize("kind", ["factsheet", "followup"])
def test_expected_text_is_on_the_page(tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    doc = (make_factsheet if kind == "factsheet" else make_followup)(path, rng_seed=5)
    text = " ".join(_column_text(path, kind))
    for row in doc.findings:
        assert row["finding"] in text, row["indicator_id"]


@pytest.mark.slow  # typesets a document and crops every column of every page
def test_split_rows_continue_a_finding_on_the_next_page(tmp_path):
    path = tmp_path / "f.pdf"
    doc = make_factsheet(path, style=STYLE_VARIANTS["split_rows"], rng_seed=0)
    pages = _column_text(path, "factsheet")
    split = [r for r in doc.findings
             if not any(r["finding"] in page for page in pages)
             and any(r["finding"][:40] in a and r["finding"][-30:] in b for a, b in zip(pages, pages[1:]))]
    assert split


def test_zapf_markers_extract_as_the_fonts_codes(tmp_path):
    path = tmp_path / "f.pdf"
    make_factsheet(path, style=SynthStyle(marker_style="zapf"))
    with pdfplumber.open(path) as pdf:
        glyphs = {c["text"] for page in pdf.pages for c in page.chars if c["fontname"] == "ZapfDingbats"}
    assert glyphs == {"4", "8"}


def test_generation_is_deterministic(tmp_path):
    a, b, c = (tmp_path / n for n in ("a.pdf", "b.pdf", "c.pdf"))
    style = STYLE_VARIANTS["split_rows"]
    assert make_followup(a, style=style, rng_seed=7) == make_followup(b, style=style, rng_seed=7)
    assert a.read_bytes() == b.read_bytes()
    assert make_followup(c, style=style, rng_seed=8).findings != make_followup(a, style=style, rng_seed=7).findings


def test_unknown_style_is_refused(tmp_path):
    with pytest.raises(ValueError):
        make_factsheet(tmp_path / "x.pdf", style=SynthStyle(marker_style="emoji"))
