"""Rows come back when a page's row rules are missed: erased, faded, broken into pieces, cut short, or too thick for
the OCR's thin-line test (so that Tesseract reads them as a line of letters, which used to end the table and lose
every row below it).

Fast tests work on text-layer pages whose rules are taken away, broken up or replaced by the letters OCR reads from
a rule, and compare with the same document's own rows; the slow ones OCR made-up scans of one page each (in colour on
yellowed paper), swapped into the born-digital PDF, and compare with the gold rows or, for the made-up factsheet, the
generator's own answers (``test_a_scanned_page_with_faded_rules_matches_generator_answers``).
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest

from extract import api
from extract.analysis.evaluate import compare, load_gold
from extract.core.records import Column, DocumentResult, Line, Page, Rule, SourceDocument, Word
from extract.core.settings import OcrSettings, RunOptions
from extract.document.align import split_paragraphs
from extract.layout.lines import is_residue
from extract.layout.rows import PlacedTable, row_boundaries
from extract.layout.tables import document_tables, merge_continued, page_tables
from extract.ocr.rules import ruling_lines
from extract.read.pdf import read_pdf
from extract.run.pipeline import apply_ocr, extract_into
from tests.builders import line, words
from tests.conftest import GOLD, SAMPLES
from tests.scans import YELLOWED_PAPER, RuleDamage, scan_pages_into
from tests.synth import STYLE_VARIANTS, SynthDocument, make_factsheet

COLUMNS = [Column(0, 156, "Criteria"), Column(156, 310, "Indicatoren"), Column(310, 600, "Bevindingen")]
RIGHT_EDGE = 540.0
JUNK_CONFIDENCE = 0.2  # what Tesseract gives the letters it reads from a rule (0.0-0.45 measured)
JUNK_SIZE = 5.8  # ... and the height of that line (the rule's ink, not type)


def _placed(body: list[Line], rules: list[Rule]) -> PlacedTable:
    return PlacedTable("Aanpak", COLUMNS, body, rules, 1)


def _rows(top: float = 100.0) -> list[Line]:
    """Two rows of a three-column table: the second starts at top + 40."""
    return [line("Planmatig", 60, top), line("De gemeente heeft beleid", 160, top),
            line("✓ De gemeente heeft beleid.", 314, top), line("voor de groep GGSR", 160, top + 11),
            line("De resultaten worden", 160, top + 40), line("X De resultaten worden", 314, top + 40)]


def _body(lines: list[Line]) -> list[Line]:
    """Lines of one height merged into page lines, as ``page_lines`` gives them."""
    by_top: dict[float, list[Word]] = {}
    for item in lines:
        by_top.setdefault(item.top, []).extend(item.words)
    return [Line(sorted(ws, key=lambda w: w.x0)) for _, ws in sorted(by_top.items())]


def _pieces(y: float, spans: list[tuple[float, float]]) -> list[Rule]:
    return [Rule(x0, y, x1, y, 1) for x0, x1 in spans]


# ---------------------------------------------------------------- row boundaries from rule pieces


def test_a_whole_rule_is_a_row_boundary():
    assert row_boundaries(_placed(_body(_rows()), _pieces(131, [(156, RIGHT_EDGE)]))) == [131.0]


def test_a_broken_rule_is_one_row_boundary():
    """No piece alone crosses the columns right of the first one; together they do."""
    pieces = _pieces(131, [(156, 200), (214, 280), (296, 380), (395, 470), (484, RIGHT_EDGE)])
    pieces += _pieces(131.8, [(60, 120)])  # the piece under the criterion column, a little off in height
    assert row_boundaries(_placed(_body(_rows()), pieces)) == [131.0]


@pytest.mark.parametrize("spans", [
    [(320, RIGHT_EDGE)],  # under the findings only: between two paragraphs of one cell
    [(156, 305)],  # under the indicators only: between two indicators of a merged cell
    [(160, 175), (330, 345)],  # specks of a rule in both columns: too little of either
])
def test_a_rule_over_some_columns_only_is_no_row_boundary(spans):
    placed = _placed(_body(_rows()), _pieces(131, spans) + _pieces(180, [(156, RIGHT_EDGE)]))
    assert row_boundaries(placed) == [180.0]


def test_a_rule_through_type_is_no_row_boundary():
    """A rule at the height of the middle of a line of the indicator column runs through it (an underline or a
    strike, or a rule misplaced): it does not stand between rows."""
    assert row_boundaries(_placed(_body(_rows()), _pieces(115, [(156, RIGHT_EDGE)]))) == []


def test_a_rule_beside_the_criterion_columns_type_still_counts():
    """The criterion cell spans rows: its type may stand at the height of a rule that starts at the second column."""
    body = _body(_rows() + [line("toegeruste regisseur", 60, 128)])
    assert row_boundaries(_placed(body, _pieces(131, [(156, RIGHT_EDGE)]))) == [131.0]


# ---------------------------------------------------------------- rule residue


def _junk(x0: float, x1: float, y: float, page: int = 1, seed: int = 0, size: float = JUNK_SIZE) -> list[Word]:
    """What Tesseract reads from a rule it was left: a few unsure capitals stretched along the rule."""
    rng = random.Random(seed)
    cuts = sorted(rng.uniform(x0, x1) for _ in range(rng.randint(1, 4)))
    edges = [x0] + cuts + [x1]
    return [Word("".join(rng.choice("ENTRIDA") for _ in range(rng.randint(2, 5))), a + 1, b - 1, y - size / 2,
                 y + size / 2, page, "OCR", size, confidence=rng.uniform(0.0, 0.45))
            for a, b in zip(edges, edges[1:]) if b - a > 4]


def _ocr_words(text: str, x0: float, top: float, confidence: float = 0.95) -> list[Word]:
    return [dataclasses.replace(w, confidence=confidence, fontname="OCR") for w in words(text, x0, top)]


def test_letters_read_from_a_rule_are_residue():
    """Five seeded lines of junk letters: one test, every seed that is not taken for residue named."""
    missed = [seed for seed in range(5) if not is_residue(Line(_junk(156, RIGHT_EDGE, 131, seed=seed)), 8.6)]
    assert missed == [], f"junk of seeds {missed} is not taken for residue"


def test_a_tall_line_of_junk_with_a_word_stretched_along_a_rule_is_residue():
    """A rule read together with the white around it: as tall as type, but one "word" runs across the table."""
    assert is_residue(Line([Word("Dn", 49, 546, 72, 92, 1, "OCR", 20.0, confidence=0.3)]), 8.6)


@pytest.mark.parametrize("made", [
    lambda: Line(_ocr_words("netwerkpartners evalueren", 160, 100, confidence=0.35)),  # type read poorly
    lambda: Line(_ocr_words("GGSR", 160, 100, 0.3) + _ocr_words("doel.", 314, 100, 0.3)),  # short words, far apart
    lambda: Line(_ocr_words("a", 160, 100, 0.3) + _ocr_words("b", 520, 100, 0.3)),  # two letters across the table
    lambda: Line(words("X", 160, 100) + words("Y", 520, 100)),  # a text layer (confidence 1)
])
def test_type_is_not_residue(made):
    assert not is_residue(made(), 8.6)


def _ocr_page(lines: list[list[Word]]) -> Page:
    return Page(number=1, width=595, height=842, words=[w for ws in lines for w in ws], rules=[], method="ocr")


def test_residue_does_not_end_the_table_and_stands_for_its_rule():
    """A rule the OCR did not find, read as a line of letters across the columns, used to end the table there (a
    line running across the columns is prose); now the rows below it stay in the table, and the rule it was read
    from separates them."""
    header = _ocr_words("Criteria", 60, 80) + _ocr_words("Indicatoren", 160, 80) + _ocr_words("Bevindingen", 314, 80)
    first = (_ocr_words("Planmatig", 60, 100) + _ocr_words("De gemeente heeft beleid", 160, 100)
             + _ocr_words("✓ De gemeente heeft beleid.", 314, 100))
    second = _ocr_words("De resultaten worden", 160, 130) + _ocr_words("X De resultaten worden", 314, 130)
    third = _ocr_words("Op basis van de evaluatie", 160, 160) + _ocr_words("✓ Het beleid wordt", 314, 160)
    page = _ocr_page([header, first, _junk(156, RIGHT_EDGE, 121, seed=3), second, _junk(156, RIGHT_EDGE, 151, seed=4),
                      third])
    tables = page_tables(page, set())
    assert len(tables) == 1
    table = tables[0]
    assert [round(l.top) for l in table.body] == [100, 130, 160]
    assert [round(b) for b in row_boundaries(table)] == [121, 151]


def test_residue_beside_type_of_a_cell_spanning_rows_is_taken_out_alone():
    """The criterion cell spans both rows: its third line stands at the height of the rule the OCR missed, so
    the letters read from the rule share a baseline with it. They go; the criterion's line stays, and the row
    below stays in the table."""
    header = _ocr_words("Criteria", 60, 80) + _ocr_words("Indicatoren", 160, 80) + _ocr_words("Bevindingen", 314, 80)
    first = (_ocr_words("De aanpak stelt", 60, 100) + _ocr_words("De gemeente heeft beleid", 160, 100)
             + _ocr_words("✓ De gemeente heeft beleid.", 314, 100))
    second = _ocr_words("het gezin en zijn", 60, 110.5)
    third = _ocr_words("sociale netwerk", 60, 121) + _junk(156, RIGHT_EDGE, 123, seed=5)
    fourth = _ocr_words("De resultaten worden", 160, 131) + _ocr_words("X De resultaten worden", 314, 131)
    tables = page_tables(_ocr_page([header, first, second, third, fourth]), set())
    assert len(tables) == 1
    body = tables[0].body
    assert [l.text for l in body][2] == "sociale netwerk"
    assert round(body[-1].top) == 131
    assert [round(b) for b in row_boundaries(tables[0])] == [123]


def test_a_word_glued_across_the_gap_between_cells_is_cut_at_the_column_edge():
    """With no vertical rule between the cells, OCR may read the last word of an indicator and the cross opening
    the finding beside it as one unsure word ("(dex"): it neither ends the table (it is no prose) nor takes the
    cross from the finding."""
    header = _ocr_words("Criteria", 60, 80) + _ocr_words("Indicatoren", 160, 80) + _ocr_words("Bevindingen", 314, 80)
    first = (_ocr_words("Regisseur", 60, 100) + _ocr_words("In de aanpak is er een", 160, 100)
             + _ocr_words("✓ Er is een regisseur.", 314, 100))
    glued = Word("(dex", 290, 320, 111, 119.6, 1, "OCR", 8.6, confidence=0.34)
    second = [*_ocr_words("centrale persoon", 160, 111), glued, *_ocr_words("De doorzettingsmacht", 324, 111)]
    third = _ocr_words("regisseur)", 160, 122) + _ocr_words("is niet geregeld.", 314, 122)
    placed = page_tables(_ocr_page([header, first, second, third]), set())
    assert len(placed) == 1 and len(placed[0].body) == 3
    table = merge_continued(placed)[0]
    assert [l.text for l in table.cells[1]][1] == "centrale persoon (de"
    paragraphs = split_paragraphs(table.cells[2], [])
    assert [p.marker.verdict if p.marker else None for p in paragraphs] == ["pass", "fail"]


def _sized(found: list[Word], size: float) -> list[Word]:
    return [dataclasses.replace(w, bottom=w.top + size, size=size) for w in found]


def test_a_row_stretched_by_a_rules_remains_is_no_heading_but_a_heading_is():
    """On a scan, dashes of a rule the OCR did not find, just above a row, stretch the type size measured for that
    row: a row with words in two columns stays in the table; a line of larger type in one column is a heading and
    ends it."""
    header = _ocr_words("Criteria", 60, 80) + _ocr_words("Indicatoren", 160, 80) + _ocr_words("Bevindingen", 314, 80)
    first = _ocr_words("De gemeente heeft beleid", 160, 100) + _ocr_words("✓ De gemeente heeft beleid.", 314, 100)
    stretched = _sized(_ocr_words("De resultaten worden", 160, 112) + _ocr_words("X Er is geen", 314, 112), 10.8)
    third = _ocr_words("bijgehouden", 160, 124) + _ocr_words("evaluatie.", 314, 124)
    heading = _sized(_ocr_words("Samenwerking", 60, 140), 12.0)
    prose = _ocr_words("De gemeente voert de regie.", 60, 156)
    placed = page_tables(_ocr_page([header, first, stretched, third, heading, prose]), set())
    assert len(placed) == 1
    assert [round(l.top) for l in placed[0].body] == [100, 112, 124]


# ---------------------------------------------------------------- text-layer pages with their rules taken away


def _extract(source: SourceDocument) -> DocumentResult:
    result = DocumentResult(source_file=Path(source.path).name, path=source.path)
    extract_into(result, source)
    return result


def _rows_of(result: DocumentResult) -> dict[tuple, tuple]:
    return {(f.aanpak, f.year, f.indicator_id): (f.verdict, f.caveat, " ".join(f.finding.split()))
            for f in result.findings}


def _richest_page(source: SourceDocument) -> Page:
    """The page with the most distinct horizontal rules (the most rows)."""
    return max(source.pages, key=lambda p: len({round(r.top) for r in p.rules if r.horizontal}))


def _erase(page: Page, keep: int, seed: int) -> None:
    """Keep ``keep`` of the page's horizontal rules (drawn with ``seed``), drop the others."""
    heights = sorted({round(r.top) for r in page.rules if r.horizontal})
    kept = set(random.Random(seed).sample(heights, min(keep, len(heights))))
    page.rules = [r for r in page.rules if not r.horizontal or round(r.top) in kept]


def _break(page: Page, seed: int) -> None:
    """Every horizontal rule broken into pieces with gaps of 8-20 points (none crossing the columns alone)."""
    rng = random.Random(seed)
    broken = []
    for rule in page.rules:
        if not rule.horizontal:
            broken.append(rule)
            continue
        x = rule.x0
        while x < rule.x1:
            end = min(rule.x1, x + rng.uniform(30, 70))
            broken.append(Rule(x, rule.top, end, rule.bottom, rule.page))
            x = end + rng.uniform(8, 20)
    page.rules = broken


def _residue(page: Page, seed: int) -> None:
    """Every horizontal rule replaced by what OCR reads from a rule it did not find: a line of unsure letters."""
    rules = [r for r in page.rules if r.horizontal]
    page.rules = [r for r in page.rules if not r.horizontal]
    seen: set[int] = set()
    for index, rule in enumerate(rules):
        if round(rule.top) not in seen:
            seen.add(round(rule.top))
            page.words += _junk(rule.x0, rule.x1, (rule.top + rule.bottom) / 2, page.number, seed + index)


MUTATIONS = {"erased": lambda page, seed: _erase(page, 0, seed), "four kept": lambda page, seed: _erase(page, 4, seed),
             "broken": _break, "read as letters": _residue}


@pytest.fixture(scope="module")
def open_document(tmp_path_factory) -> tuple[Path, SynthDocument]:
    """A factsheet in the open-table layout (no vertical rules) typeset by the generator, and what it says."""
    path = tmp_path_factory.mktemp("open") / "open-factsheet.pdf"
    expected = make_factsheet(path, gemeente="Westerkwartier", aanpak="Samen Verder",
                              style=STYLE_VARIANTS["no_vertical"], rng_seed=11)
    return path, expected


@pytest.fixture(scope="module")
def open_factsheet(open_document) -> Path:
    return open_document[0]


@pytest.fixture(scope="module")
def whole_rows(open_factsheet):
    """Each document's rows with its rules as drawn, made once: {document: rows}."""
    made: dict[str, dict] = {}

    def rows(document: str) -> dict:
        if document not in made:
            made[document] = _rows_of(_extract(read_pdf(_path(document, open_factsheet))))
        return made[document]
    return rows


def _path(document: str, open_factsheet: Path) -> Path:
    return open_factsheet if document == "open factsheet" else SAMPLES / document


# each case extracts a whole document twice: the fast layer keeps the real open-table sample with its rules read as
# letters (what a scan's OCR leaves; the residue units above are fast too)
FAST_MISSED_RULES = {("almere-2015-open.pdf", "read as letters")}


@pytest.mark.parametrize("document, mutation", [
    pytest.param(document, mutation, marks=() if (document, mutation) in FAST_MISSED_RULES else pytest.mark.slow)
    for document in ("haarlemmermeer-2013.pdf", "almere-2015-open.pdf", "open factsheet")
    for mutation in sorted(MUTATIONS)])
def test_rows_come_back_when_a_pages_rules_are_missed(open_factsheet, whole_rows, document, mutation):
    """The page with the most rows loses its rules (all, all but four, broken into pieces, or turned into the
    letters OCR reads from them): the document gives the same rows, verdicts and texts as with its rules."""
    whole = whole_rows(document)
    assert len(whole) >= 20
    source = read_pdf(_path(document, open_factsheet))
    MUTATIONS[mutation](_richest_page(source), seed=len(document))
    assert _rows_of(_extract(source)) == whole


@pytest.mark.slow  # typesets the open factsheet, reads every page twice (the broken-rule units above stay fast)
def test_a_broken_rule_gives_the_boundaries_of_the_whole_one(open_factsheet):
    whole = [b for t in document_tables(read_pdf(open_factsheet)) for b in t.boundaries]
    source = read_pdf(open_factsheet)
    for page in source.pages:
        _break(page, seed=page.number)
    assert [b for t in document_tables(source) for b in t.boundaries] == pytest.approx(whole, abs=0.2)


# ---------------------------------------------------------------- OCR: a rule too thick for the thin-line test


def test_a_thick_rule_is_found_and_type_and_filled_areas_are_not():
    """A 4-point bar across the page is a rule (the thin-line test looks beside it and finds it dark there too);
    a line of bold capitals set tight is not, and neither is a filled block thicker than a rule."""
    dpi = 400
    k = dpi / 72
    gray = np.full((round(842 * k), round(595 * k)), 250, np.uint8)
    bar = (round(300 * k), round(304 * k))
    gray[bar[0]:bar[1], round(50 * k):round(545 * k)] = 40
    gray[round(500 * k):round(540 * k), round(50 * k):round(545 * k)] = 60  # a block 40 pt high: no rule
    cv2.putText(gray, "WWWWMMMMWWWWMMMMWWWWMMMMWWWW", (round(50 * k), round(200 * k)), cv2.FONT_HERSHEY_SIMPLEX,
                3.0, 20, 12)
    gray = cv2.GaussianBlur(gray, (0, 0), 0.8)
    rules, mask = ruling_lines(gray, OcrSettings(dpi=dpi), 1)
    horizontal = [r for r in rules if r.horizontal]
    assert len(horizontal) == 1 and abs(horizontal[0].top - 302) < 1.5 and horizontal[0].x1 - horizontal[0].x0 > 480
    assert mask[round(302 * k), round(300 * k)] and not mask[round(190 * k):round(205 * k)].any()


# ---------------------------------------------------------------- made-up scans of one page, through real OCR

# (source, scanned page, resolution, damage, expected rows: a gold file's name, or None for the generator's)
SCANS = {
    "thick": ("haarlemmermeer-2013.pdf", 5, 400, RuleDamage(5, "thick", width=4.0), "haarlemmermeer-2013.json"),
    "broken": ("haarlemmermeer-2013.pdf", 6, 300, RuleDamage(6, "break", gap=14.0, period=60.0),
               "haarlemmermeer-2013.json"),
    "erased": ("almere-2015-open.pdf", 3, 400, RuleDamage(3, "erase", share=0.7, seed=2), "almere-2015.json"),
    "faded": ("open factsheet", 3, 400, RuleDamage(3, "fade", strength=0.3), None),
}


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory, open_factsheet):
    """One batch over the made-up scans: (output folder, {variant: file}, OCR options)."""
    folder = tmp_path_factory.mktemp("missing-rules")
    options = RunOptions(cache_dir=tmp_path_factory.mktemp("ocr-cache"))
    files = {}
    for seed, (name, (source, page, dpi, damage, _)) in enumerate(SCANS.items()):
        path = open_factsheet if source == "open factsheet" else SAMPLES / source
        files[name] = folder / f"{name}-{path.name}"
        scan_pages_into(path, files[name], [page], dpi, seed, paper=YELLOWED_PAPER, damage=[damage])
    out = tmp_path_factory.mktemp("missing-rules-out")
    api.run(list(files.values()), out, jobs=2, options=options)
    return out, files, options


def _check_scanned_rows(out: Path, file: Path, expected: list[dict], page: int) -> None:
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    rows = findings[findings.source_file == file.name]
    score = compare(expected, rows.to_dict("records"), strict_text=False)
    assert score.f1 == 1.0 and score.verdict_accuracy == 1.0, score.differences
    assert "ocr" in set(rows[rows.page == page].method)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    assert documents.loc[file.name].status == "ok", documents.loc[file.name].error


@pytest.mark.slow
@pytest.mark.parametrize("variant", sorted(name for name, scan in SCANS.items() if scan[4]))
def test_a_scanned_page_with_its_rules_missed_gives_every_gold_row(scan_run, variant):
    """Every row of the sample, with its verdict, as its hand-checked gold file gives it."""
    out, files, _ = scan_run
    _check_scanned_rows(out, files[variant], load_gold(GOLD / SCANS[variant][4])["findings"], SCANS[variant][1])


@pytest.mark.slow
def test_a_scanned_page_with_faded_rules_matches_generator_answers(scan_run, open_document):
    """Proves: the made-up open factsheet, one page scanned with its rules faded, gives every row and verdict the
    generator says it typeset (as the other variants give their gold rows). Does not prove those rows right: they are
    the generator's answers, not values written independently of the code."""
    out, files, _ = scan_run
    assert SCANS["faded"][4] is None
    _check_scanned_rows(out, files["faded"], open_document[1].findings, SCANS["faded"][1])


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["thick", "broken"])
def test_rules_too_thick_or_broken_still_separate_the_rows(scan_run, variant):
    """The scanned page's tables get the row boundaries the born-digital page has (within 2 points; a table's
    closing rule, under the last line of its indicators and findings, separates no rows and is not counted)."""
    _, files, options = scan_run
    source, page, _, _, _ = SCANS[variant]
    scanned = read_pdf(files[variant])
    apply_ocr(scanned, options)

    def on_page(doc: SourceDocument) -> list[float]:
        low, high = (page - 1) * 100_000.0, page * 100_000.0
        return sorted(b - low for t in document_tables(doc) for b in t.boundaries if low <= b < high
                      and b < max(l.flow_top for cell in t.cells[1:] for l in cell))

    expected, got = on_page(read_pdf(SAMPLES / source)), on_page(scanned)
    assert len(got) == len(expected) and np.allclose(got, expected, atol=2.0), (expected, got)
