"""Self-tests of the synthetic document generator: valid PDFs whose expected rows match the framework and the page."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest

from tests.bundles import append_pdfs, bundle_findings
from tests.synth import (AANPAK_NAMES, BOTTOM, CHECK, CROSS, PAGE_HEIGHT, PAGE_WIDTH, STYLE_VARIANTS, SynthStyle,
                         _declaration, aanpak_names, column_bounds, factsheet_widths, load_framework, make_factsheet,
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


# --------------------------------------------------------------------------- factsheets with several aanpakken

MULTI_CASES = {  # name: (aanpakken, form, column_header, rng_seed)
    "columns-3-named": (["Steunpunt Huiselijk Geweld en Zorgcoördinatie Zuid-Holland Noord", "1Gezin1Plan",
                         "Zorg- en Adviesteam (ZAT)"], "columns", "named", 11),
    "columns-2-bare": (["Wonen en Werken", "de Wijkcoach"], "columns", "bare", 12),
    "columns-3-unheaded": (["Gezin Centraal Team (GCT)", "Integrale Vroeghulp 0-23 jaar",
                            "Eén Gezin Eén Plan (EGEP)"], "columns", "unheaded", 13),
    "sections-2": (["Multi Probleem Gezinnen-aanpak (MPG)",
                    "Integrale Aanpak Multiprobleemgezinnen en Zorgmijders Regio Hollands Midden (IAMZ)"],
                   "sections", "named", 14),  # a heading of two lines
    "sections-3": (["Intensieve Gezinsbegeleiding en Schuldhulp (IGS)", "Jeugd- en Gezinsteams", "Krachtig Thuis"],
                   "sections", "named", 15),
}
COLUMN_CASES = [name for name, case in MULTI_CASES.items() if case[1] == "columns"]
SECTION_CASES = [name for name, case in MULTI_CASES.items() if case[1] == "sections"]


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    middle: float  # distance of the line's middle from the top of the page


def _chars(path) -> list[list[_Char]]:
    """Per page, its characters with their advance boxes, the footer left out (pypdfium2: ten times faster than
    pdfplumber here)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            textpage, height = page.get_textpage(), page.get_height()
            count = textpage.count_chars()
            texts = textpage.get_text_range(0, count)
            assert len(texts) == count, "one character per text page index"
            chars = []
            for index, text in enumerate(texts):
                if text in "\r\n":
                    continue
                left, bottom, right, top = textpage.get_charbox(index, loose=True)
                if height - (top + bottom) / 2 < PAGE_HEIGHT - BOTTOM:  # the running footer left out
                    chars.append(_Char(text, left, right, height - (top + bottom) / 2))
            pages.append(chars)
        return pages
    finally:
        pdf.close()


def _text(chars: list[_Char]) -> str:
    """The characters as lines (clustered by height, read left to right), whitespace collapsed."""
    lines: list[list[_Char]] = []
    for char in sorted(chars, key=lambda c: c.middle):
        if lines and char.middle - lines[-1][0].middle < 3.0:
            lines[-1].append(char)
        else:
            lines.append([char])
    words = []
    for line in lines:
        previous = None
        for char in sorted(line, key=lambda c: c.x0):
            if previous is not None and char.x0 - previous.x1 > 1.5:  # a gap between two cells
                words.append(" ")
            words.append(char.text)
            previous = char
        words.append(" ")
    return _normal("".join(words))


def _in_column(chars: list[_Char], bounds: tuple[float, float], below: float = 0.0) -> list[_Char]:
    x0, x1 = bounds
    return [c for c in chars if x0 < (c.x0 + c.x1) / 2 < x1 and c.middle > below]


def _header_top(chars: list[_Char]) -> float | None:
    """Where the first column header row ("Criteria") of a page is, if the page has one."""
    text = "".join(c.text for c in chars)
    at = text.find("Criteria")
    return chars[at].middle - 3.0 if at >= 0 else None


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    """The documents of MULTI_CASES, made once: name -> (path, SynthDocument, per-page characters)."""
    folder, made = tmp_path_factory.mktemp("multi"), {}

    def get(name: str):
        if name not in made:
            aanpakken, form, header, seed = MULTI_CASES[name]
            path = folder / f"{name}.pdf"
            doc = make_factsheet(path, gemeente="Lindewaard", aanpakken=aanpakken, form=form, column_header=header,
                                 rng_seed=seed)
            made[name] = (path, doc, _chars(path))
        return made[name]

    return get


@pytest.mark.parametrize("name", sorted(MULTI_CASES))
def test_multi_rows_cover_every_aanpak_and_indicator(multi, name):
    _, doc, _ = multi(name)
    aanpakken = MULTI_CASES[name][0]
    assert len(doc.findings) == 30 * len(aanpakken)
    assert sorted((r["aanpak"], r["indicator_id"]) for r in doc.findings) == sorted(
        (a, i) for a in aanpakken for i in FRAMEWORK)
    assert {(r["gemeente"], r["year"]) for r in doc.findings} == {("Lindewaard", 2013)}
    assert (doc.aanpak, doc.aanpak_2013, doc.kind, doc.published) == (aanpakken[0], aanpakken, "factsheet", "2013-10")
    gold = doc.gold()["document"]
    assert gold["aanpak"] == aanpakken[0] and gold["aanpak_2013"] == aanpakken
    _check_rows_against_framework(doc.findings)
    assert [c["theme"] for c in doc.conclusions] == list(dict.fromkeys(i.theme for i in FRAMEWORK.values()))
    verdicts = {a: [r["verdict"] for r in doc.findings if r["aanpak"] == a] for a in aanpakken}
    assert len({tuple(v) for v in verdicts.values()}) == len(aanpakken), "verdicts are drawn per aanpak"


@pytest.mark.parametrize("name", sorted(MULTI_CASES))
def test_the_introduction_declares_every_aanpak_in_order(multi, name):
    _, _, pages = multi(name)
    text = " ".join(_text(page) for page in pages[:3])
    intro = text[:re.search(r" Aanpak(: |ken\b)", text).start()]  # up to the "Aanpak: …" / "Aanpakken" heading
    positions = [intro.find(name) for name in MULTI_CASES[name][0]]
    assert -1 not in positions and positions == sorted(positions), intro[-400:]


def test_every_declared_name_is_in_the_pdfplumber_text(multi):
    path, doc, _ = multi("columns-3-named")
    with pdfplumber.open(path) as pdf:
        text = _normal(" ".join(page.extract_text() for page in pdf.pages[:2]))
    for aanpak in doc.aanpak_2013:
        assert aanpak in text


@pytest.mark.parametrize("name", sorted(MULTI_CASES))
def test_text_stays_within_the_margins(multi, name):
    """Long names wrap: in a heading ("Aanpak: <name>"), a header cell, a sentence."""
    _, _, pages = multi(name)
    assert all(50.0 - 0.5 <= c.x0 and c.x1 <= PAGE_WIDTH - 50.0 + 0.5 for page in pages for c in page)


@pytest.mark.parametrize("name", COLUMN_CASES)
def test_findings_columns_are_headed_as_asked(multi, name):
    _, doc, pages = multi(name)
    header = MULTI_CASES[name][2]
    page = next(p for p in pages if _header_top(p) is not None)
    for column, aanpak in enumerate(doc.aanpak_2013):
        bounds = column_bounds("factsheet", n_aanpakken=len(doc.aanpak_2013))[2 + column]
        text = _text(_in_column(page, bounds, _header_top(page)))
        expected = {"named": f"Bevindingen {aanpak}", "bare": aanpak, "unheaded": "Bevindingen"}[header]
        assert re.match(re.escape(expected) + f" [{CHECK}{CROSS}] ", text), text[:120]


@pytest.mark.parametrize("name", COLUMN_CASES)
def test_findings_columns_fit_the_page_and_hold_their_findings(multi, name):
    _, doc, pages = multi(name)
    n = len(doc.aanpak_2013)
    bounds = column_bounds("factsheet", n_aanpakken=n)
    assert bounds[0][0] == pytest.approx(50.0) and bounds[-1][1] == pytest.approx(PAGE_WIDTH - 50.0)
    for page in pages:
        top = _header_top(page)
        if top is None:
            continue
        for x0, x1 in bounds[2:]:  # no character of a findings cell crosses its rules
            assert all(x0 + 1.0 <= c.x0 and c.x1 <= x1 - 1.0 for c in _in_column(page, (x0, x1), top))
    for column, aanpak in enumerate(doc.aanpak_2013):
        texts = [_text(_in_column(page, bounds[2 + column])) for page in pages]
        for row in doc.findings:
            if row["aanpak"] == aanpak:  # the whole finding, its words uncut, in its own column on one page
                assert any(row["finding"] in text for text in texts), (aanpak, row["indicator_id"])


@pytest.mark.parametrize("name", SECTION_CASES)
def test_sections_hold_their_aanpaks_tables(multi, name):
    """A section per aanpak, in declared order, each with one "Bevindingen toezichtonderzoek", five theme tables
    and that aanpak's findings."""
    _, doc, pages = multi(name)
    texts = [_text(page) for page in pages]
    starts = [next(i for i, text in enumerate(texts) if f"Aanpak: {aanpak}" in text) for aanpak in doc.aanpak_2013]
    assert starts == sorted(starts)
    ends = starts[1:] + [next(i for i, text in enumerate(texts) if text.startswith("Conclusie"))]
    findings = [_text(_in_column(page, column_bounds("factsheet")[2])) for page in pages]
    stops = [f"Aanpak: {aanpak}" for aanpak in doc.aanpak_2013[1:]] + ["Conclusie"]
    for aanpak, start, end, stop in zip(doc.aanpak_2013, starts, ends, stops):
        section = " ".join(texts[start:end + 1])
        section = section[section.index(f"Aanpak: {aanpak}"):section.index(stop)]
        assert section.count("Bevindingen toezichtonderzoek") == 1
        assert section.count("Criteria Indicatoren Bevindingen") >= 5
        for row in doc.findings:
            if row["aanpak"] == aanpak:
                assert any(row["finding"] in text for text in findings[start:end + 1]), (aanpak, row["indicator_id"])


def test_one_aanpak_in_a_list_is_the_single_aanpak_factsheet(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    one = make_factsheet(a, gemeente="Veenhoven", aanpak="Thuis Sterk", rng_seed=2)
    listed = make_factsheet(b, gemeente="Veenhoven", aanpakken=["Thuis Sterk"], form="columns",
                            column_header="bare", rng_seed=2)
    assert one == listed and a.read_bytes() == b.read_bytes()


def test_multi_aanpak_generation_is_deterministic(multi, tmp_path):
    path, doc, _ = multi("columns-2-bare")
    aanpakken, form, _, seed = MULTI_CASES["columns-2-bare"]
    for header in ("bare", "unheaded"):
        again = make_factsheet(tmp_path / f"{header}.pdf", gemeente="Lindewaard", aanpakken=aanpakken, form=form,
                               column_header=header, rng_seed=seed)
        assert again == doc, "the column header changes the header cells only"
    assert (tmp_path / "bare.pdf").read_bytes() == path.read_bytes()


def test_column_widths_fill_the_table():
    for n in (1, 2, 3):
        widths = factsheet_widths(n)
        assert len(widths) == 2 + n and sum(widths) == pytest.approx(PAGE_WIDTH - 100.0)
        assert min(widths[2:]) >= 118.0 and min(widths) > 55.0
    with pytest.raises(ValueError):
        factsheet_widths(4)


def test_declarations_vary_and_name_every_aanpak_unambiguously():
    shapes, bare = set(), set()
    for names in (["Wonen en Werken", "de Wijkcoach", "Zorg- en Adviesteam (ZAT)"], ["1Gezin1Plan", "Buurtzorg Jong"]):
        for seed in range(120):
            sentence = _declaration(names, "Lindewaard", random.Random(seed))
            positions = [sentence.find(n) for n in names]
            assert -1 not in positions and positions == sorted(positions), sentence
            quoted = any(q + names[0] in sentence for q in "'\u2018")
            shapes.add(re.sub(r"'[^']*'|\u2018[^\u2019]*\u2019", "N", sentence.replace(names[0], "N"))[:30])
            if not quoted:
                bare.add(names[0])
                if " en " in names[0]:  # bare names holding " en " only with an article before each
                    assert sentence.count("de aanpak ") == len(names), sentence
    assert len(shapes) >= 5 and bare == {"Wonen en Werken", "1Gezin1Plan"}


def test_name_pool_differs_from_the_samples_in_every_way():
    assert any(" en " in n for n in AANPAK_NAMES) and any(re.search(r"\([A-Z]+\)$", n) for n in AANPAK_NAMES)
    assert any("-" in n for n in AANPAK_NAMES) and any(re.search(r"\d", n) for n in AANPAK_NAMES)
    assert any(re.search(r"(^| )[a-zé]", n) for n in AANPAK_NAMES) and max(map(len, AANPAK_NAMES)) > 50
    folded = [n.casefold() for n in AANPAK_NAMES]
    assert not [(a, b) for a in folded for b in folded if a != b and a in b]
    assert aanpak_names(3, seed=4) == aanpak_names(3, seed=4) and len(set(aanpak_names(3, seed=4))) == 3


@pytest.mark.parametrize("options", [
    {"aanpakken": []}, {"aanpakken": ["A", "B", "C", "D"]}, {"aanpakken": ["Samen", "samen"]},
    {"aanpakken": ["A", "B"], "form": "tabs"}, {"aanpakken": ["A", "B"], "column_header": "numbered"},
    {"aanpakken": ["A", " B"]}])
def test_bad_aanpakken_are_refused(tmp_path, options):
    with pytest.raises(ValueError):
        make_factsheet(tmp_path / "x.pdf", **options)


def test_append_pdfs_bundles_documents_with_both_documents_rows(tmp_path):
    sheet = make_factsheet(tmp_path / "sheet.pdf", gemeente="Lindewaard", aanpakken=["Wonen en Werken", "1Gezin1Plan"],
                           form="columns", rng_seed=3)
    followup = make_followup(tmp_path / "followup.pdf", gemeente="Oosterwolde", rng_seed=3)
    ranges = append_pdfs(tmp_path / "bundle.pdf", tmp_path / "sheet.pdf", tmp_path / "followup.pdf")
    again = append_pdfs(tmp_path / "again.pdf", tmp_path / "sheet.pdf", tmp_path / "followup.pdf")
    assert ranges == again and (tmp_path / "bundle.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()
    with pikepdf.open(tmp_path / "sheet.pdf") as a, pikepdf.open(tmp_path / "followup.pdf") as b:
        sizes = len(a.pages), len(b.pages)
    assert ranges == [(1, sizes[0]), (sizes[0] + 1, sum(sizes))]
    pages = [_text(page) for page in _chars(tmp_path / "bundle.pdf")]
    assert "Uitkomsten toezichtonderzoek Lindewaard" in pages[0]
    assert "Uitkomsten verbeterpunten toezichtonderzoek Oosterwolde" in pages[sizes[0]]
    with pikepdf.open(tmp_path / "bundle.pdf") as bundle:
        assert len(bundle.pages) == sum(sizes)
    rows = bundle_findings(sheet, followup)
    assert rows == sheet.findings + followup.findings and len(rows) == 60 + len(followup.findings)
    with pytest.raises(ValueError):
        append_pdfs(tmp_path / "sheet.pdf", tmp_path / "sheet.pdf")
