"""Every aanpak a document assesses comes out, in every form the series uses: a factsheet of one to three aanpakken in
sections ("Aanpak: <name>" each with its own theme tables) or with a findings column per aanpak (headed
"Bevindingen <name>", by the bare name, or unheaded with the names only in the introduction); a file holding two
documents; and a declared aanpak that gives no rows is named, never passed over or called duplicate keys.

The expected rows are the generator's own answers (``tests/synth.py``), drawn with random names, verdicts and
wordings of the introduction; the hand-checked gold of the two made-up Bergvliet samples is ``test_gold.py``'s."""

from __future__ import annotations

import dataclasses

import pytest

from extract.analysis.evaluate import compare
from extract.core.enums import Kind, Role, Status
from extract.document.coverage import coverage_problems, document_coverage
from extract.core.records import IndicatorCell
from extract.core.rows import Aanpak
from extract.core.settings import RunOptions
from extract.run.pipeline import process_document
from tests.bundles import append_pdfs
from tests.synth import COLUMN_HEADERS, STYLE_VARIANTS, aanpak_names, make_factsheet, make_followup

GEMEENTEN = ["Dorpveen", "Nieuw-Amstelland", "'s-Gravenmeer", "Oud Beijerland-Zuid"]


def _variants(seeds: range) -> list[tuple[int, int, str, str]]:
    """(seed, number of aanpakken, form, column header) over the seeds: every form and header for two and three
    aanpakken, and the one-aanpak factsheet."""
    out = []
    for seed in seeds:
        out.append((seed, 1, "sections", "named"))
        for count in (2, 3):
            out.append((seed, count, "sections", "named"))
            out += [(seed, count, "columns", header) for header in COLUMN_HEADERS]
    return out


def _generate(tmp_path, seed: int, count: int, form: str, header: str):
    style = list(STYLE_VARIANTS.values())[seed % len(STYLE_VARIANTS)]
    path = tmp_path / f"factsheet-{seed}-{count}-{form}-{header}.pdf"
    expected = make_factsheet(path, gemeente=GEMEENTEN[seed % len(GEMEENTEN)], aanpakken=aanpak_names(count, seed),
                              form=form, column_header=header, style=style, rng_seed=seed)
    return path, expected


def _outcome(path, expected) -> tuple[float, list[str], list[str]]:
    """(strict row F1, what differs, what is wrong with the document's status) of one generated factsheet."""
    result = process_document(path)
    score = compare(expected.findings, [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    differences = [str(d) for d in score.differences]
    status = []
    lost = [d for d in differences if d.startswith("missing")]
    if lost and result.status == Status.ok:
        status.append(f"ok although {len(lost)} rows were lost")
    if result.info.aanpak_2013 != expected.aanpak_2013:
        status.append(f"declared {result.info.aanpak_2013}, typeset {expected.aanpak_2013}")
    return score.f1, differences, status


def _measure(tmp_path, variants) -> tuple[float, dict, dict]:
    scores, failures, silent = [], {}, {}
    for variant in variants:
        f1, differences, status = _outcome(*_generate(tmp_path, *variant))
        scores.append((f1, len(differences)))
        if differences:
            failures[variant] = differences[:3]
        if status:
            silent[variant] = status
    return sum(f for f, _ in scores) / len(scores), failures, silent


def test_a_sample_of_variants_born_digital(tmp_path):
    """Proves: a few seeded variants of every form come out with every aanpak declared, F1 ≥ 0.99 overall, and no
    document that lost a row is ``ok``. The full sweep over more seeds is the slow test below."""
    f1, failures, silent = _measure(tmp_path, [(0, 2, "columns", "unheaded"), (0, 3, "sections", "named"),
                                               (0, 2, "columns", "bare")])
    assert silent == {}, silent
    assert f1 >= 0.99, failures


@pytest.mark.slow
def test_seeded_variants_born_digital(tmp_path):
    """Proves: over eight seeds of every form (1-3 aanpakken, sections or columns, every header), strict row F1 is
    at least 0.99 overall and no document that lost a row says ``ok``; every failing seed is named."""
    f1, failures, silent = _measure(tmp_path, _variants(range(1, 9)))
    assert silent == {}, f"documents that lost rows or aanpakken without a word: {silent}"
    assert f1 >= 0.99, f"F1 {f1:.4f}; variants that differ: {failures}"


SCANNED_VARIANTS = [(2, "sections", "named"), (3, "columns", "bare"), (2, "columns", "unheaded")]


def _scanned(tmp_path, count: int, form: str, header: str):
    """A 200-dpi scan of a generated factsheet (real Tesseract): (result, expected verdicts, rows read wrong)."""
    from tests.scans import make_scan

    source, expected = _generate(tmp_path, 3, count, form, header)
    scan = tmp_path / "scan.pdf"
    make_scan(source, scan, 200, seed=3)
    result = process_document(scan)
    got = {(f.aanpak, f.indicator_id): f.verdict for f in result.findings}
    want = {(row["aanpak"], row["indicator_id"]): row["verdict"] for row in expected.findings}
    return result, want, sorted(k for k in want if got.get(k) != want[k])


@pytest.mark.slow
@pytest.mark.parametrize("count, form, header", SCANNED_VARIANTS)
def test_seeded_variants_scanned_lose_nothing_silently(tmp_path, count, form, header):
    """Proves: a 200-dpi scan of a two- or three-aanpak factsheet that gives a row wrong or not at all is never
    ``ok``, and every declared aanpak is found."""
    result, want, wrong = _scanned(tmp_path, count, form, header)
    assert len(result.info.aanpak_2013) == count, result.info.aanpak_2013
    assert not wrong or result.status != Status.ok, wrong


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="measured 7 December 2026: 12 of 60 verdicts of the two-section scan (seed 3, "
                   "Times, no horizontal rules) wrong or missing; the Bergvliet samples' scans are exact")
@pytest.mark.parametrize("count, form, header", SCANNED_VARIANTS[:1])
def test_seeded_variants_scanned_at_least_99_percent(tmp_path, count, form, header):
    """The issue's aim for scans of generated variants: at most 1% of verdicts wrong. Not met yet (see the mark)."""
    _, want, wrong = _scanned(tmp_path, count, form, header)
    assert len(wrong) <= 0.01 * len(want), wrong


def test_a_file_holding_a_factsheet_and_another_gemeentes_followup(tmp_path):
    """Proves: a factsheet with another gemeente's follow-up appended gives two documents, each with its own
    gemeente, aanpakken, page range and exact rows; no row is dropped as a duplicate key."""
    sheet = make_factsheet(tmp_path / "sheet.pdf", gemeente="Dorpveen", aanpakken=["Samen Sterk", "Wijkkracht"],
                           form="columns", column_header="named", rng_seed=4)
    follow = make_followup(tmp_path / "follow.pdf", gemeente="Oosterwolde", aanpak_2014="Sociale Teams",
                           aanpak_2013=("Gezinscoaching", "Samen Sterk"), rng_seed=4)
    ranges = append_pdfs(tmp_path / "bundle.pdf", tmp_path / "sheet.pdf", tmp_path / "follow.pdf")
    result = process_document(tmp_path / "bundle.pdf")
    documents = result.documents
    assert [d.info.kind for d in documents] == [Kind.factsheet, Kind.followup]
    assert [d.info.gemeente for d in documents] == ["Dorpveen", "Oosterwolde"]
    assert [(d.first_page, d.last_page) for d in documents] == [tuple(r) for r in ranges]
    assert len({d.doc_id for d in documents}) == 2
    for document, expected in zip(documents, (sheet, follow)):
        assert document.status == Status.ok, document.errors
        score = compare(expected.findings, [dataclasses.asdict(f) for f in document.findings], strict_text=True)
        assert score.differences == [] and score.f1 == 1.0
        assert {f.doc_id for f in document.findings} == {document.doc_id}


def test_a_bundle_in_a_run_gives_two_documents_rows_and_links(tmp_path):
    """Proves: through ``stj``'s API the bundle's two documents are two rows of ``documents`` with their page ranges,
    and the follow-up's rows link to its own 2013 columns, not to the factsheet's gemeente."""
    import pandas as pd

    from extract import api

    make_factsheet(tmp_path / "sheet.pdf", gemeente="Dorpveen", aanpakken=["Samen Sterk"], rng_seed=2)
    make_followup(tmp_path / "follow.pdf", gemeente="Oosterwolde", rng_seed=2)
    (tmp_path / "in").mkdir()
    append_pdfs(tmp_path / "in" / "bundle.pdf", tmp_path / "sheet.pdf", tmp_path / "follow.pdf")
    options = RunOptions(cache_dir=tmp_path / "cache")
    summary = api.run([tmp_path / "in"], tmp_path / "out", jobs=1, options=options)
    assert "1 files (2 documents)" in summary.line()
    again = api.run([tmp_path / "in"], tmp_path / "out", jobs=1, options=options)  # from the results cache
    assert again.from_cache == 1 and [(r.doc_id, r.first_page, r.last_page, len(r.findings)) for r in again.results] \
        == [(r.doc_id, r.first_page, r.last_page, len(r.findings)) for r in summary.results]
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    assert list(documents.kind) == ["factsheet", "followup"] and list(documents.status) == ["ok", "ok"]
    assert documents.first_page.iloc[1] == documents.last_page.iloc[0] + 1
    links = pd.read_csv(tmp_path / "out" / "links.csv", keep_default_na=False)
    assert set(links.gemeente) == {"Oosterwolde"}


def test_a_title_in_a_running_header_starts_no_document(tmp_path):
    """Proves: a factsheet whose later pages repeat its title as a running line is still one document (a new
    document needs its title block's month line)."""
    make_factsheet(tmp_path / "sheet.pdf", gemeente="Dorpveen", aanpakken=["Samen Sterk", "Wijkkracht"],
                   form="sections", rng_seed=1)
    result = process_document(tmp_path / "sheet.pdf")
    assert result.more == [] and result.first_page == 1 and result.last_page == result.pages


# ---------------------------------------------------------------- a declared aanpak that gives no rows

FRAMEWORK = [f"I{n:02d}" for n in range(1, 31)]


def _cells(aanpak: str, ids: list[str], page: int = 3) -> list[IndicatorCell]:
    return [IndicatorCell(i, page, (2013,), (2013,), (2013,), aanpak) for i in ids]


def test_a_declared_aanpak_without_rows_is_named_with_its_page():
    declared = [Aanpak("Buurtteam Jeugd", Role.assessed, page=2), Aanpak("Gezin Eerst", Role.assessed, page=2)]
    coverage = document_coverage(Kind.factsheet, _cells("Buurtteam Jeugd", FRAMEWORK), FRAMEWORK, declared)
    assert (coverage.expected, coverage.found) == (60, 30)
    assert [(a.aanpak, a.expected, a.found) for a in coverage.aanpakken] == [("Buurtteam Jeugd", 30, 30),
                                                                            ("Gezin Eerst", 30, 0)]
    lines = [str(p) for p in coverage_problems(coverage)]
    assert lines == ["page 2: aanpak 'Gezin Eerst', declared on page 2, has no findings: 30 of 30 indicators missing "
                     "(I01–I30)"]
    assert not any("duplicate" in line for line in lines)


def test_a_short_aanpak_is_named_on_its_page():
    declared = [Aanpak("A", Role.assessed, page=1), Aanpak("B", Role.assessed, page=1)]
    cells = _cells("A", FRAMEWORK) + _cells("B", FRAMEWORK[:4], page=3) + [
        IndicatorCell("I05", 4, (2013,), (), (2013,), "B")] + _cells("B", FRAMEWORK[5:], page=5)
    lines = [str(p) for p in coverage_problems(document_coverage(Kind.factsheet, cells, FRAMEWORK, declared))]
    assert lines == ["page 4: 1 of 1 indicator cells gave no finding for aanpak 'B' (I05)"]


def test_two_aanpakken_never_share_one_merged_name():
    """Proves: "Aanpak: A en B" is two aanpakken where the headers or the introduction name them apart, and one
    name where nothing does ("Wijkteams en Gezinsbegeleiders")."""
    from extract.series.identity import confirmed_list

    assert confirmed_list("Buurtteam Jeugd en Gezin Eerst", ["Gezin Eerst"]) == ["Buurtteam Jeugd", "Gezin Eerst"]
    assert confirmed_list("Wijkteams en Gezinsbegeleiders", []) == ["Wijkteams en Gezinsbegeleiders"]
    assert confirmed_list("Wonen en Werken en Gezin Eerst", ["Wonen en Werken"]) == ["Wonen en Werken",
                                                                                   "Gezin Eerst"]


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["bergvliet-2013-two-sections", "bergvliet-2013-two-columns"])
def test_the_two_aanpak_samples_scanned_at_200_dpi_are_exact(tmp_path, sample):
    """Proves: the made-up two-aanpak samples, printed and scanned at 200 dpi (``tests.scans``), give every row of
    their hand-checked gold with its verdict and caveat (real Tesseract; the finding's text compared as OCR allows)."""
    from extract.analysis.evaluate import load_gold
    from tests.conftest import GOLD, SAMPLES
    from tests.scans import make_scan

    scan = tmp_path / f"{sample}-scan200.pdf"
    make_scan(SAMPLES / f"{sample}.pdf", scan, 200, seed=7)
    result = process_document(scan)
    score = compare(load_gold(GOLD / f"{sample}.json")["findings"], [dataclasses.asdict(f) for f in result.findings],
                    strict_text=False)
    assert score.differences == [] and score.f1 == 1.0
    assert result.status == Status.ok, result.errors


def test_stats_count_two_aanpakken_as_two(tmp_path):
    """Proves: the statistics count each aanpak of a two-aanpak factsheet as an aanpak of its own: per indicator n
    is 2, and the passes and failures are the gold file's (hand-checked rows of the made-up Bergvliet sample)."""
    import pandas as pd

    from extract import api
    from extract.analysis.evaluate import load_gold
    from extract.analysis.stats import build_stats
    from tests.conftest import GOLD, SAMPLES

    out = tmp_path / "out"
    api.run([SAMPLES / "bergvliet-2013-two-columns.pdf"], out, jobs=1)
    build_stats(out)
    rates = pd.read_csv(out / "stats" / "pass_rate_indicator.csv", keep_default_na=False).set_index("indicator_id")
    gold = load_gold(GOLD / "bergvliet-2013-two-columns.json")["findings"]
    for indicator_id in sorted({row["indicator_id"] for row in gold}):
        verdicts = [row["verdict"] for row in gold if row["indicator_id"] == indicator_id]
        row = rates.loc[indicator_id]
        assert (int(row["n"]), int(row["pass"]), int(row["fail"])) == (2, verdicts.count("pass"),
                                                                      verdicts.count("fail")), indicator_id


def test_sections_without_their_headings_take_the_declared_aanpakken_in_turn():
    """Proves: a factsheet that repeats its theme tables per aanpak without an "Aanpak: <name>" heading (here the
    two-sections sample with those headings taken out of the reading) gives each repetition to the next aanpak the
    introduction declares, exactly as the gold says, never two sets of rows under one name."""
    from dataclasses import replace as copy_with

    from extract.analysis.evaluate import load_gold
    from extract.core.records import DocumentResult
    from extract.read.pdf import read_pdf
    from extract.run.pipeline import extract_into
    from tests.conftest import GOLD, SAMPLES

    source = read_pdf(SAMPLES / "bergvliet-2013-two-sections.pdf")
    headings = [(w.page, round(w.top)) for p in source.pages for w in p.words if w.text == "Aanpak:"]
    assert len(headings) == 2
    pages = [copy_with(p, words=[w for w in p.words if (w.page, round(w.top)) not in headings]) for p in source.pages]
    result = DocumentResult(source_file=source.source_file, path=source.path)
    extract_into(result, copy_with(source, pages=pages))
    gold = load_gold(GOLD / "bergvliet-2013-two-sections.json")
    score = compare(gold["findings"], [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    assert score.differences == [] and result.status == Status.ok, result.errors


def test_each_factsheet_aanpak_links_to_the_followup_column_of_the_same_aanpak(tmp_path):
    """Proves: with a two-aanpak factsheet and the same gemeente's follow-up in one run, every link of each 2013
    aanpak takes its 2013 side from the factsheet's row of that same aanpak (never the other's)."""
    import pandas as pd

    from extract import api

    (tmp_path / "in").mkdir()
    make_factsheet(tmp_path / "in" / "sheet.pdf", gemeente="Zuidervaart", aanpakken=["Kompas", "Samen Verder"],
                   form="columns", column_header="bare", rng_seed=6)
    make_followup(tmp_path / "in" / "follow.pdf", gemeente="Zuidervaart", aanpak_2014="Wijkteams",
                  aanpak_2013=("Samen Verder", "Kompas"), rng_seed=6)
    api.run([tmp_path / "in"], tmp_path / "out", jobs=1)
    links = pd.read_csv(tmp_path / "out" / "links.csv", keep_default_na=False)
    findings = pd.read_csv(tmp_path / "out" / "findings.csv", keep_default_na=False).set_index("finding_id")
    assert set(links.aanpak_2013) == {"Kompas", "Samen Verder"}
    assert set(links.source) == {"factsheet+followup"}
    for link in links.itertuples():
        side = findings.loc[link.finding_2013_id]
        assert (side.source_file, side.aanpak, side.indicator_id) == ("sheet.pdf", link.aanpak_2013,
                                                                      link.indicator_id)


def test_a_followup_aanpak_whose_column_is_empty_owes_nothing_but_one_without_a_column_is_named():
    """Proves: a follow-up's named 2013 aanpak whose column stands in the tables with every cell empty reports no
    finding (no loss); one with no column at all and no rows is named with the page it is declared on."""
    declared = [Aanpak("Kompas", Role.earlier, page=1), Aanpak("Samen Sterk", Role.earlier, page=1)]
    cells = [IndicatorCell("I05", 3, (2013, 2014), (2013,), (2013,))]
    empty = document_coverage(Kind.followup, cells, FRAMEWORK, declared, [], {("Kompas", 2013), ("Samen Sterk", 2013)})
    assert [str(p) for p in coverage_problems(empty)] == []
    lost = document_coverage(Kind.followup, cells, FRAMEWORK, declared, [], {("Kompas", 2013)})
    assert [str(p) for p in coverage_problems(lost)] == [
        "page 1: aanpak 'Samen Sterk', declared on page 1, has no findings"]
