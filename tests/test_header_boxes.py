"""The column header cell behind a finding's aanpak and year (``header_page``, ``header_x0`` … ``header_bottom``): it
stands above the finding (or on an earlier page, for a table continued over pages), over the finding's column, and the
page's own words inside it, read here with pdfplumber (or, on a scan, from the OCR'd page turned back into the page's
frame), name the year a follow-up row claims and, where they say more, its aanpak."""

from __future__ import annotations

import re

import pandas as pd
import pdfplumber
import pytest

from extract.core.records import Finding
from extract.run.pipeline import process_document
from tests.conftest import BORN_DIGITAL, SAMPLES
from tests.synth import make_followup

HEADER = ["header_page", "header_x0", "header_top", "header_x1", "header_bottom"]


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _words_in(words: list[tuple[str, float, float, float, float]], box: tuple[float, float, float, float],
              slack: float = 1.0) -> list[str]:
    x0, top, x1, bottom = box
    return [text for text, wx0, wtop, wx1, wbottom in words
            if wx0 >= x0 - slack and wx1 <= x1 + slack and wtop >= top - slack and wbottom <= bottom + slack]


def _page_words(pdf, number: int) -> list[tuple[str, float, float, float, float]]:
    return [(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in pdf.pages[number - 1].extract_words()]


def _check_geometry(row) -> None:
    """Above the finding (or on an earlier page), and over the finding's column."""
    where = (row.source_file, row.indicator_id, row.aanpak, row.year)
    assert row.header_page <= row.page, where
    if row.header_page == row.page:
        assert row.header_bottom <= row.top, where
    assert row.header_x0 < row.header_x1 and row.header_top < row.header_bottom, where
    assert row.header_x0 < row.x1 and row.x0 < row.header_x1, where  # overlaps the finding's column


def _check_words(row, inside: list[str], kind: str) -> None:
    where = (row.source_file, row.indicator_id, row.aanpak, row.year, inside)
    assert inside, where
    if kind == "followup":
        assert str(row.year) in inside, where
        rest = [w for w in inside if w != str(row.year)]
        if rest:  # the cell names the aanpak too: the row's
            assert _key(" ".join(rest)) == _key(row.aanpak), where
    else:  # a factsheet's findings column: its label, no year (the aanpak is the title's)
        assert not any(re.fullmatch(r"(19|20)\d\d", w) for w in inside), where


def test_the_samples_header_boxes(born_digital_run):
    _, out = born_digital_run
    findings = pd.read_parquet(out / "findings.parquet")
    documents = pd.read_parquet(out / "documents.parquet").set_index("doc_id")
    assert set(HEADER) <= set(findings.columns)
    seen_earlier_page = False
    for name in BORN_DIGITAL:
        rows = findings[findings.source_file == name]
        assert len(rows), name
        kind = documents.loc[rows.doc_id.iloc[0], "kind"]
        # in these samples every column's header names its year (or is a factsheet's findings label)
        assert rows[HEADER].notna().all().all(), name
        with pdfplumber.open(SAMPLES / name) as pdf:
            for row in rows.itertuples():
                _check_geometry(row)
                inside = _words_in(_page_words(pdf, int(row.header_page)),
                                   (row.header_x0, row.header_top, row.header_x1, row.header_bottom))
                _check_words(row, inside, kind)
                seen_earlier_page |= row.header_page < row.page
    assert seen_earlier_page  # a table continued over pages: its header is on its first page


def test_the_datapackage_describes_them(born_digital_run):
    import json

    _, out = born_digital_run
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "findings" for f in r["schema"]["fields"]}
    assert fields["header_page"]["type"] == "integer" and "continues over pages" in fields["header_page"]["description"]
    assert all(fields[name]["type"] == "number" for name in HEADER[1:])
    import sqlite3

    with sqlite3.connect(out / "stj.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM findings WHERE header_page IS NOT NULL").fetchone()[0] > 0
    assert "header_x0" in (out / "findings.csv").read_text(encoding="utf-8").splitlines()[0].split(",")


def _rows(findings: list[Finding]) -> pd.DataFrame:
    from dataclasses import asdict

    return pd.DataFrame([asdict(f) for f in findings])


@pytest.mark.parametrize("incomplete", [False, True], ids=["complete headers", "one table headed 2013|2014|2014"])
def test_a_followup_with_three_2013_aanpakken(tmp_path, incomplete):
    """Three 2013 aanpakken and the 2014 one, each in its own column: each row's header box is its own column's. Under
    an incomplete header ("2013 | 2014 | 2014 | 2014") the columns whose cell names another year than the row's
    have no box (their year was told by the layout of the other tables); the others keep theirs."""
    names = ("Gezinscoaching", "Samen Sterk", "Eigen Kracht")
    path = tmp_path / "followup.pdf"
    make_followup(path, aanpak_2013=names, rng_seed=3, incomplete_header=incomplete)
    result = process_document(path)
    assert result.findings and not result.problems, result.errors
    rows = _rows(result.findings)
    assert set(rows.aanpak) == {*names, "Sociale Teams"}
    boxed, unboxed = rows[rows.header_page.notna()], rows[rows.header_page.isna()]
    if incomplete:  # the 2013 columns headed "2014": only those (and the first, "2013", keeps its box)
        assert len(unboxed) and set(unboxed.year) == {2013} and set(unboxed.aanpak) <= set(names[1:])
    else:
        assert unboxed.empty
    with pdfplumber.open(path) as pdf:
        for row in boxed.itertuples():
            row = row._replace(source_file=path.name)
            _check_geometry(row)
            inside = _words_in(_page_words(pdf, int(row.header_page)),
                               (row.header_x0, row.header_top, row.header_x1, row.header_bottom))
            _check_words(row, inside, "followup")
    # on each header row, the aanpakken's cells stand apart, left to right in the columns' order
    for (_, _), cells in boxed.groupby(["header_page", "header_top"]):
        spans = cells.drop_duplicates("aanpak").sort_values("header_x0")
        assert list(spans.header_x1.iloc[:-1]) <= list(spans.header_x0.iloc[1:])
        order = [n for n in (*names, "Sociale Teams") if n in set(spans.aanpak)]
        assert list(spans.aanpak) == order


@pytest.mark.slow  # real OCR of a scanned sample, and of a made scan with two pages fed sideways
@pytest.mark.parametrize("scan", ["almere-2015-scan.pdf", "made"], ids=["sample scan", "made scan, pages turned"])
def test_a_scans_header_boxes_are_in_the_pages_frame(tmp_path, scan):
    """On a scan read deskewed (or turned upright), the header box is turned back into the page's own frame as the
    finding's box is, by its own page's turn (a continued table's header stands on a page turned otherwise than the
    finding's): the OCR'd words, turned back the same way, that fall inside it name the row's year. On a page not fed
    sideways it stands above the finding, where the born-digital original has it, give or take the scan's shift and
    skew."""
    from extract.core.settings import RunOptions
    from extract.ocr.image import unturn_box
    from extract.read.pdf import read_pdf
    from extract.run.pipeline import apply_ocr
    from tests.scans import make_scan

    options = RunOptions(cache_dir=tmp_path / "cache")
    if scan == "made":  # page 3 holds a table continued on page 4; each fed sideways another way
        origin, path = SAMPLES / "almere-2015-open.pdf", tmp_path / "made-scan.pdf"
        make_scan(origin, path, 200, 1, max_skew=2.5, quarter_turns={3: 1, 4: 3})
    else:
        origin, path = SAMPLES / "almere-2015.pdf", SAMPLES / scan
    result = process_document(path, options)
    rows = _rows(result.findings)
    assert len(rows) and rows.header_page.notna().mean() >= 0.9
    source = read_pdf(path)
    apply_ocr(source, options)  # from the cache the run filled
    assert any(page.skew for page in source.pages)
    turned = {page.number for page in source.pages if page.turns}
    assert turned == ({3, 4} if scan == "made" else set())
    words = {page.number: [(w.text, *unturn_box((w.x0, w.top, w.x1, w.bottom), page.skew, page.width, page.height,
                                                page.turns)) for w in page.words] for page in source.pages}
    original = _rows(process_document(origin).findings).set_index(["aanpak", "year", "indicator_id"])
    for row in rows[rows.header_page.notna()].itertuples():
        row = row._replace(source_file=path.name)
        inside = _words_in(words[int(row.header_page)], (row.header_x0, row.header_top, row.header_x1,
                                                         row.header_bottom), slack=2.0)
        assert str(row.year) in inside, (row.page, row.header_page, row.indicator_id, row.aanpak, row.year, inside)
        twin = original.loc[(row.aanpak, row.year, row.indicator_id)]
        assert twin.header_page == row.header_page
        if row.page in turned or row.header_page in turned:
            continue
        _check_geometry(row)
        for side in HEADER[1:]:
            assert abs(getattr(row, side) - twin[side]) <= 12, (row.indicator_id, side)
    if scan == "made":
        assert ((rows.header_page == 3) & (rows.page == 4)).any()
