"""Coverage: a row lost on the way is named (page and indicators), and a document that lost one is never ``ok``.

Unit tests of ``extract.document.coverage`` on hand-made cells, and a property over damaged readings of the born-digital
samples: words of findings cells (or a page's ruling lines) are taken away from the text layer at random; whatever
rows the pipeline then loses against the gold file must be named in the document's reasons, with their page.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pandas as pd
import pytest

from extract.analysis.evaluate import load_gold
from extract.core.records import DocumentResult, IndicatorCell, SourceDocument
from extract.document.coverage import UNSEEN_PAGE, coverage_problems, document_coverage, id_ranges
from extract.read.pdf import read_pdf
from extract.run.pipeline import extract_into
from tests.conftest import GOLD, SAMPLES

FRAMEWORK_IDS = [f"I{i:02d}" for i in range(1, 31)]  # the toetsingskader's 30 indicators (DOMAIN.md)


def _lines(problems) -> list[str]:
    """Problems as the one-line reasons a user reads."""
    return [str(p) for p in problems]


def _read(methods: dict):
    from extract.core.records import DocumentContext

    return DocumentContext("doc", "doc.pdf", methods=methods)


def cell(indicator_id: str, page: int, answered: tuple[int, ...], years: tuple[int, ...] = (2013,),
         owed: tuple[int, ...] | None = None) -> IndicatorCell:
    return IndicatorCell(indicator_id, page, years, answered, years if owed is None else owed)


# ---------------------------------------------------------------- units


def test_id_ranges_shortens_runs_of_three_or_more():
    assert id_ranges(["I08", "I10", "I11", "I12", "I13", "I14", "I15", "I16", "I17"]) == "I08, I10–I17"
    assert id_ranges(["I02", "I03", "I09"]) == "I02, I03, I09"
    assert id_ranges(["I21", "I20", "I22"]) == "I20–I22"


def test_factsheet_page_with_empty_cells_is_named():
    cells = [cell(f"I{i:02d}", 4, () if i in (8, 10, 11, 12, 13, 14, 15, 16, 17) else (2013,)) for i in range(8, 18)]
    cells += [cell(i, 2, (2013,)) for i in FRAMEWORK_IDS if i not in {c.indicator_id for c in cells}]
    coverage = document_coverage("factsheet", cells, FRAMEWORK_IDS)
    assert (coverage.expected, coverage.found, coverage.complete) == (30, 21, False)
    assert _lines(coverage_problems(coverage)) == ["page 4: 9 of 10 indicator cells gave no finding (I08, I10–I17)"]


def test_factsheet_indicator_in_no_table_is_named_on_the_page_it_was_due():
    cells = [cell(i, 3 if i < "I05" else 4, (2013,)) for i in FRAMEWORK_IDS if i not in ("I05", "I06", "I07")]
    cells.append(cell("I07", 4, ()))
    coverage = document_coverage("factsheet", cells, FRAMEWORK_IDS)
    assert (coverage.expected, coverage.found) == (30, 27)
    assert [(p.page, p.cells, p.complete) for p in coverage.pages] == [(3, 6, 4), (4, 24, 23)]
    assert _lines(coverage_problems(coverage)) == [
        "page 3: 2 of the framework's indicators were not found in any table (I05, I06): rows may be missing",
        "page 4: 1 of 24 indicator cells gave no finding (I07)"]


def test_factsheet_without_any_indicator_names_no_page():
    coverage = document_coverage("factsheet", [], FRAMEWORK_IDS)
    assert [p.page for p in coverage.pages] == [UNSEEN_PAGE] and coverage.found == 0
    assert _lines(coverage_problems(coverage)) == ["30 of the framework's indicators were not found in any table (I01–I30): "
                                           "rows may be missing"]


def test_complete_factsheet_has_no_problems():
    coverage = document_coverage("factsheet", [cell(i, 5, (2013,)) for i in FRAMEWORK_IDS], FRAMEWORK_IDS)
    assert coverage.complete and coverage_problems(coverage) == [] and coverage.found == 30


def test_followup_row_needs_an_assessed_answer_and_on_a_scan_a_followup_one():
    years = (2013, 2014)
    cells = [cell("I01", 3, (2013, 2014), years), cell("I09", 3, (2014,), years), cell("I21", 4, (2013,), years),
             cell("I25", 4, (), years), cell("I29", 4, (2013,), years, owed=(2013,))]  # I29: empty 2014 in text
    coverage = document_coverage("followup", cells, FRAMEWORK_IDS)
    assert (coverage.expected, coverage.found) == (5, 2)  # a follow-up lists only its own rows: not all 30
    assert _lines(coverage_problems(coverage)) == [
        "page 3: 1 of 2 indicator rows have no finding for 2013 (I09)",
        "page 4: 1 of 3 indicator cells gave no finding (I25)",
        "page 4: 1 of 3 indicator rows have no finding for 2014 (I21)",
    ]


def test_followup_table_that_lost_a_column_owes_its_year():
    cells = [cell("I01", 3, (2013, 2014), (2013, 2014), owed=(2013,)), cell("I24", 5, (2013,), (2013,))]
    coverage = document_coverage("followup", cells, FRAMEWORK_IDS)
    assert _lines(coverage_problems(coverage)) == ["page 5: 1 of 1 indicator rows have no finding for 2014 (I24)"]


def test_an_indicator_seen_twice_counts_once_by_its_complete_cell():
    cells = [cell("I01", 3, ()), cell("I01", 4, (2013,))] + [cell(i, 4, (2013,)) for i in FRAMEWORK_IDS[1:]]
    coverage = document_coverage("factsheet", cells, FRAMEWORK_IDS)
    assert coverage.complete and coverage.found == 30


def test_report_has_no_coverage():
    assert document_coverage("report", [], FRAMEWORK_IDS) is None and coverage_problems(None) == []


# ---------------------------------------------------------------- property over damaged readings of the samples

BORN_DIGITAL = [("haarlemmermeer-2013.json", "haarlemmermeer-2013.pdf"), ("almere-2015.json", "almere-2015.pdf"),
                ("almere-2015-open.json", "almere-2015-open.pdf"),
                ("bergvliet-2013-two-sections.json", "bergvliet-2013-two-sections.pdf"),
                ("bergvliet-2013-two-columns.json", "bergvliet-2013-two-columns.pdf")]
HEADS = {"bevindingen", "2013", "2014"}  # the findings columns' header words (DOMAIN.md), not the extractor's lists


def _findings_left(page) -> float | None:
    """Where a page's findings columns start: its leftmost findings header word right of the page's first third
    (the damage stays out of the indicator column, whose loss no document can reveal by itself)."""
    heads = [w.x0 for w in page.words if w.text.lower() in HEADS and w.x0 > page.width / 3]
    return min(heads) - 2 if heads else None


def _damaged(source: SourceDocument, rng: random.Random) -> tuple[SourceDocument, str]:
    """The same reading with one kind of damage on one or two pages that hold table text."""
    tabled = [p for p in source.pages if p.rules and _findings_left(p) is not None]
    pages = rng.sample(tabled, k=min(len(tabled), rng.choice((1, 2))))
    how = rng.choice(("drop findings words", "drop rules", "drop lines of findings"))
    changed = {}
    for page in pages:
        left = _findings_left(page)
        right = [w for w in page.words if w.x0 >= left]
        if how == "drop rules":
            changed[page.number] = replace(page, rules=[r for r in page.rules if rng.random() < 0.3])
        elif how == "drop findings words":
            start = rng.randrange(len(right)) if right else 0
            gone = set(map(id, right[start:start + rng.randrange(20, 200)]))
            changed[page.number] = replace(page, words=[w for w in page.words if id(w) not in gone])
        else:
            tops = sorted({round(w.top) for w in right})
            cut = set(rng.sample(tops, k=len(tops) // 2)) if tops else set()
            changed[page.number] = replace(page, words=[w for w in page.words if not (
                w.x0 >= left and round(w.top) in cut)])
    damaged = replace(source, pages=[changed.get(p.number, p) for p in source.pages])
    return damaged, f"{how} on pages {sorted(changed)}"


ID_LIST = re.compile(r"I\d\d(?:–I\d\d)?(?:, I\d\d(?:–I\d\d)?)*")  # "I08, I10–I17" (aanpak names may hold parentheses)


def _named(errors: list[str]) -> dict[str, set[int]]:
    """Indicator ids named in coverage reasons, with the page each reason names (0: no page)."""
    named: dict[str, set[int]] = {}
    for error in errors:
        page = re.match(r"page (\d+):", error)
        lists = [group for group in re.findall(r"\(([^()]*)\)", error) if ID_LIST.fullmatch(group)]
        if not lists or "indicator" not in error:
            continue
        for part in lists[-1].split(", "):
            first, _, last = part.partition("–")
            low, high = int(first[1:]), int((last or first)[1:])
            for number in range(low, high + 1):
                named.setdefault(f"I{number:02d}", set()).add(int(page.group(1)) if page else 0)
    return named


def _owed_and_lost(expected: set[tuple], found: set[tuple], kind: str) -> set[str]:
    """Indicators whose rows a document owes and lost: a factsheet owes every row; a follow-up (in a text layer)
    owes each listed indicator a 2013 row, while its 2014 cell may be empty (DOMAIN.md: no finding reported), so
    there a lost 2014 row counts only when the row lost everything."""
    if kind == "factsheet":
        return {indicator for indicator, _, _ in expected - found}
    kept = {indicator for indicator, year, _ in found if year == 2013}
    return {indicator for indicator, year, _ in expected if year == 2013} - kept


@pytest.mark.slow
@pytest.mark.parametrize("gold_name, sample", BORN_DIGITAL)
def test_every_row_lost_to_damage_is_named(gold_name, sample):
    gold_path = GOLD / gold_name if (GOLD / gold_name).exists() else GOLD / gold_name.replace("-open", "")
    _assert_damage_is_named(load_gold(gold_path), SAMPLES / sample)


@pytest.mark.slow
@pytest.mark.parametrize("count, form, header", [(3, "columns", "bare"), (2, "sections", "named"),
                                                 (2, "columns", "unheaded")])
def test_every_row_lost_to_damage_is_named_in_generated_factsheets(tmp_path, count, form, header):
    """The same property over factsheets of several aanpakken that no one here typeset (``tests/synth.py``)."""
    from tests.synth import aanpak_names, make_factsheet

    path = tmp_path / "factsheet.pdf"
    made = make_factsheet(path, gemeente="Zuidervaart", aanpakken=aanpak_names(count, 11), form=form,
                          column_header=header, rng_seed=11)
    _assert_damage_is_named({"document": {"kind": "factsheet"}, "findings": made.findings}, path)


def _assert_damage_is_named(gold: dict, path) -> None:
    sample = path.name
    expected = {(f["indicator_id"], f["year"], f["aanpak"]) for f in gold["findings"]}
    source = read_pdf(path)
    rng = random.Random(f"coverage:{sample}")
    silent = []
    for trial in range(12):
        damaged, what = _damaged(source, rng)
        result = DocumentResult(source_file=sample, path=str(path))
        extract_into(result, damaged)
        found = {(f.indicator_id, f.year, f.aanpak) for f in result.findings}
        lost = _owed_and_lost(expected, found, gold["document"]["kind"])
        named = _named(result.errors)
        if lost - set(named) or (lost and result.status == "ok"):
            silent.append(f"{what}: lost {sorted(expected - found)}, named {sorted(named)}, {result.errors}")
    assert silent == [], "\n".join(silent)


def test_intact_samples_are_ok_with_complete_coverage(born_digital_run):
    """The session's run over the intact samples: each is ok, and expects and finds every indicator of its gold."""
    _, out = born_digital_run
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    for gold_name, sample in BORN_DIGITAL:
        gold = load_gold(GOLD / gold_name if (GOLD / gold_name).exists() else GOLD / gold_name.replace("-open", ""))
        factsheet = gold["document"]["kind"] == "factsheet"  # owes every indicator per aanpak; a follow-up per row
        rows = {(f["indicator_id"], f["aanpak"] if factsheet else "") for f in gold["findings"]}
        document = documents.loc[sample]
        assert document.status == "ok", document.error
        assert (int(document.indicators_expected), int(document.indicators_found)) == (len(rows), len(rows)), sample


# ---------------------------------------------------------------- a marker OCR did not read


def _unit(marker_verdict: str | None, tops: list[float], page: int = 2):
    from extract.core.records import Marker, Paragraph
    from extract.document.align import Unit
    from tests.builders import line

    paragraphs = [Paragraph([line("tekst van de bevinding", 300, top, page)], None, line("tekst", 300, top, page).words[0])
                  for top in tops]
    paragraphs[0].marker = Marker("X", marker_verdict) if marker_verdict else None
    return Unit(paragraphs[0].marker, paragraphs)


def _match(indicator_id: str, top: float, page: int = 2):
    from extract.core.records import IndicatorMatch
    from tests.builders import line

    return IndicatorMatch(indicator_id, 1.0, [line("De gemeente", 150, top, page)])


def test_a_scan_paragraph_opening_beside_an_indicator_without_marker_is_named():
    from extract.document.findings import unmarked_openings

    indicators = [_match("I16", 100.0), _match("I17", 160.0)]
    units = [_unit("fail", [100.4, 160.9])]  # the second paragraph opens beside I17 but lost its marker
    assert _lines(unmarked_openings(indicators, units, _read({2: "ocr"}))) == [
        "page 2: the finding beside I17 opens without a readable check or cross (it was read as part of the finding "
        "above; its verdict may be wrong)"]
    assert unmarked_openings(indicators, units, _read({2: "text"})) == []  # a text layer's glyph is not misread
    assert unmarked_openings(indicators, [_unit("fail", [100.4, 130.0])], _read({2: "ocr"})) == []  # a continuation
