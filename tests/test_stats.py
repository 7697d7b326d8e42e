"""The statistics (``stj stats``) against values counted by hand from the samples' gold files, written here as
literals: never the code's own tables or deduplication.

Counted from ``samples/gold/haarlemmermeer-2013.json`` (the factsheet: one aanpak, Frontlineteam, 30 indicators):
fails I01, I10, I16, I21, I29, I30; a LET OP caveat on the passes I03 and I27. Per theme: Toeleiding (I01-I04) 3
pass 1 fail, Gezin centraal (I05-I07) 3-0, Aanpak (I08-I21) 11-3, Samenwerking (I22-I27) 6-0, Continu (I28-I30) 1-2.

Counted from ``samples/gold/almere-2015.json`` (the follow-up): 2013 failures listed, Multiprobleemgezinnen I01 I03 I06
I09 I10 I24 I25 I29 I30 (9), Versterkt Verder I09 I21 I25 I29 I30 (5): 14 failures over 10 indicators. The 2014
verdicts (Wijkteams en Gezinsbegeleiders): pass I01 I03 I09 I10 I24 I25 I30, fail I06 I21 I29. So of the 14 failures
10 passed in 2014 (7 of Multiprobleemgezinnen, 3 of Versterkt Verder) and 4 persist (I06, I21, I29 twice).

The born-digital run holds haarlemmermeer-2013.pdf and two copies of the Almere follow-up (almere-2015.pdf and
almere-2015-open.pdf): 30 + 24 + 24 = 78 rows, 54 unique cells.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

from extract import api
from extract.analysis.stats import build_stats
from extract.series.description import using
from tests.conftest import BORN_DIGITAL, COUNTED_SAMPLES, ROOT, SAMPLES


STATS_SAMPLES = COUNTED_SAMPLES  # what the counts below assume


@pytest.fixture(scope="module")
def stats_run(counted_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("stats") / "out"
    shutil.copytree(counted_run[1], out, symlinks=True)
    build_stats(out)
    return out


def _csv(out, name: str, key: str | None = None) -> pd.DataFrame:
    table = pd.read_csv(out / "stats" / f"{name}.csv", keep_default_na=False, na_values=[""])
    return table.set_index(key) if key else table


def test_the_run_is_what_the_counts_below_assume():
    assert set(STATS_SAMPLES) <= set(BORN_DIGITAL)


# ---------------------------------------------------------------- 2013: factsheets only


def test_2013_pass_rates_per_theme_from_the_factsheet(stats_run):
    theme = _csv(stats_run, "pass_rate_theme", "theme")
    counted = {"Toeleiding": (3, 1, 1), "Gezin centraal": (3, 0, 0), "Aanpak": (11, 3, 0), "Samenwerking": (6, 0, 1),
               "Continu": (1, 2, 0)}  # pass, fail, of the passes with a caveat
    for name, (passed, failed, caveat) in counted.items():
        row = theme.loc[name]
        assert (row["pass"], row["fail"], row["pass_with_caveat"], row["n"]) == (passed, failed, caveat,
                                                                                 passed + failed), name
        assert row.not_assessed == 0
    assert theme.pass_rate.round(4).to_dict() == {"Toeleiding": 0.75, "Gezin centraal": 1.0, "Aanpak": 0.7857,
                                                  "Samenwerking": 1.0, "Continu": 0.3333}
    assert set(theme.year) == {2013} and set(theme.source) == {"factsheets"}


def test_2013_pass_rates_per_indicator_leave_the_followups_out(stats_run):
    """Almere's follow-up lists I09 as failed in 2013 by two aanpakken: pooled, I09 would be 1 of 3; from the
    factsheet only it is Haarlemmermeer's one pass."""
    rates = _csv(stats_run, "pass_rate_indicator", "indicator_id")
    assert len(rates) == 30 and rates.n.sum() == 30
    assert (rates.loc["I09", "pass"], rates.loc["I09", "fail"], rates.loc["I09", "n"]) == (1, 0, 1)
    assert sorted(rates.index[rates["fail"] == 1]) == ["I01", "I10", "I16", "I21", "I29", "I30"]
    assert sorted(rates.index[rates.pass_with_caveat == 1]) == ["I03", "I27"]
    assert rates.loc["I29", "pass_rate"] == 0 and rates.loc["I02", "pass_rate"] == 1


# ---------------------------------------------------------------- follow-ups: resolution


def test_resolution_rate_per_gemeente(stats_run):
    almere = _csv(stats_run, "resolution_gemeente", "gemeente").loc["Almere"]
    assert (almere.failures, almere.resolved, almere.persists, almere.not_assessed_later) == (14, 10, 4, 0)
    assert (almere.n, almere.indicators, almere.cells_later) == (14, 10, 10)
    assert almere.resolution_rate == pytest.approx(10 / 14, abs=1e-4)
    assert (almere.year_earlier, almere.year_later, almere.source) == (2013, 2014, "follow-ups")


def test_resolution_rate_per_indicator(stats_run):
    table = _csv(stats_run, "resolution_indicator", "indicator_id")
    assert sorted(table.index) == ["I01", "I03", "I06", "I09", "I10", "I21", "I24", "I25", "I29", "I30"]
    counted = {"I01": (1, 1), "I03": (1, 1), "I06": (1, 0), "I09": (2, 2), "I10": (1, 1), "I21": (1, 0),
               "I24": (1, 1), "I25": (2, 2), "I29": (2, 0), "I30": (2, 2)}  # failures, of which passed in 2014
    for indicator, (failures, resolved) in counted.items():
        assert (table.loc[indicator, "failures"], table.loc[indicator, "resolved"]) == (failures, resolved), indicator


def test_changes_name_every_listed_cell(stats_run):
    changes = _csv(stats_run, "changes")
    assert len(changes) == 14
    persists = changes[changes.change == "persists"]
    assert sorted(zip(persists.aanpak_earlier, persists.indicator_id)) == [
        ("Multiprobleemgezinnen", "I06"), ("Multiprobleemgezinnen", "I29"), ("Versterkt Verder", "I21"),
        ("Versterkt Verder", "I29")]


def test_a_failure_without_a_later_verdict_is_not_assessed_never_persisting(tmp_path):
    """A small folder: a follow-up lists two failures, one judged again (pass), one not (no 2014 row)."""
    _small_folder(tmp_path, findings=[("f", "Ergens", "Oud", 2013, "I01", "fail"), ("f", "Ergens", "Oud", 2013, "I02",
                                                                                   "fail"),
                                      ("f", "Ergens", "Nieuw", 2014, "I01", "pass")])
    build_stats(tmp_path)
    row = _csv(tmp_path, "resolution_gemeente", "gemeente").loc["Ergens"]
    assert (row.failures, row.resolved, row.persists, row.not_assessed_later, row.n) == (2, 1, 0, 1, 1)
    assert row.resolution_rate == 1.0
    rates = _csv(tmp_path, "pass_rate_indicator", "indicator_id")
    assert rates.pass_rate.isna().all() and rates.n.sum() == 0  # no factsheet: not assessed, not 0%
    index = (tmp_path / "stats" / "index.html").read_text(encoding="utf-8")
    assert "without a 2014 verdict: 1" in index and "the run holds no factsheet" in index


# ---------------------------------------------------------------- n, and what was counted once


def test_n_and_the_copies_counted_once(stats_run):
    index = (stats_run / "stats" / "index.html").read_text(encoding="utf-8")
    assert "78 rows in findings.csv, counted as 54 unique cells" in index
    assert "30 from factsheets, 24 from follow-ups" in index
    assert "almere-2015-open.pdf, almere-2015.pdf" in index  # the two copies, named as counted once
    assert "rows counted once: 24" in index


# ---------------------------------------------------------------- corrections


def _ids(out, gemeente: str, indicator: str, year: int, source_file: str | None = None) -> list[str]:
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    rows = findings[(findings.gemeente == gemeente) & (findings.indicator_id == indicator) & (findings.year == year)]
    if source_file:
        rows = rows[rows.source_file == source_file]
    return list(rows.finding_id)


def test_corrections_change_exactly_the_figures_they_should(stats_run, tmp_path):
    """Haarlemmermeer I01 (fail) marked wrong, Haarlemmermeer I29 corrected fail → pass, and Almere's 2014 I06
    corrected fail → pass in one copy: a real run with the corrections file, then the statistics."""
    out = stats_run
    (wrong,), (i29,) = _ids(out, "Haarlemmermeer", "I01", 2013), _ids(out, "Haarlemmermeer", "I29", 2013)
    (i06,) = _ids(out, "Almere", "I06", 2014, "almere-2015-open.pdf")
    fixes = tmp_path / "review.csv"
    fixes.write_text("finding_id,field,value,reviewer,note\n"
                     f"{wrong},review,wrong,anna,\n{i29},verdict,pass,anna,\n{i06},verdict,pass,anna,\n",
                     encoding="utf-8")
    fixed = tmp_path / "out"
    api.run([SAMPLES / name for name in STATS_SAMPLES], fixed, jobs=1, corrections=[fixes])
    build_stats(fixed)
    before, after = _csv(stats_run, "pass_rate_indicator", "indicator_id"), _csv(fixed, "pass_rate_indicator",
                                                                                  "indicator_id")
    changed = sorted(i for i in before.index if not before.loc[i].equals(after.loc[i]))
    assert changed == ["I01", "I29"]
    assert (after.loc["I01", "n"], after.loc["I01", "not_assessed"]) == (0, 1) and pd.isna(after.loc["I01",
                                                                                                  "pass_rate"])
    assert (after.loc["I29", "pass"], after.loc["I29", "fail"], after.loc["I29", "pass_rate"]) == (1, 0, 1.0)
    theme = _csv(fixed, "pass_rate_theme", "theme")
    assert (theme.loc["Toeleiding", "pass"], theme.loc["Toeleiding", "fail"]) == (3, 0)  # was 3 and 1
    assert (theme.loc["Continu", "pass"], theme.loc["Continu", "fail"]) == (2, 1)  # was 1 and 2
    assert theme.loc["Aanpak"].equals(_csv(stats_run, "pass_rate_theme", "theme").loc["Aanpak"])
    almere = _csv(fixed, "resolution_gemeente", "gemeente").loc["Almere"]
    assert (almere.failures, almere.resolved, almere.persists) == (14, 11, 3)  # I06 now resolved
    index = (fixed / "stats" / "index.html").read_text(encoding="utf-8")
    assert "1 row(s) marked wrong in the applied corrections left out" in index
    assert "2 corrected row(s) used with their corrected values" in index
    assert "rows marked wrong in the applied corrections: 1" in index


def test_a_copy_marked_wrong_leaves_the_other_copy_counted(stats_run, tmp_path):
    out = stats_run
    (i06,) = _ids(out, "Almere", "I06", 2014, "almere-2015.pdf")
    fixes = tmp_path / "review.csv"
    fixes.write_text(f"finding_id,field,value,reviewer,note\n{i06},review,wrong,ben,\n", encoding="utf-8")
    fixed = tmp_path / "out"
    api.run([SAMPLES / name for name in STATS_SAMPLES], fixed, jobs=1, corrections=[fixes])
    build_stats(fixed)
    almere = _csv(fixed, "resolution_gemeente", "gemeente").loc["Almere"]
    assert (almere.failures, almere.resolved, almere.persists) == (14, 10, 4)
    index = (fixed / "stats" / "index.html").read_text(encoding="utf-8")
    assert "1 of their cells are still counted from another copy of the same document" in index


# ---------------------------------------------------------------- national figures by year

# the national report's figures as in samples/gold/rapportage-2014.json (page, n, total, percent, indicator), with
# the sentences of the report's pages 8 and 11
FIGURES = [(8, 28, 30, 93, "I05", "28 van de 30 aanpakken hebben het ondersteunen en benutten van de eigen kracht van "
                                  "het gezin als uitgangspunt (93%)."),
           (9, 23, 28, 82, "I07", "Bij 23 van in totaal 28 aanpakken (82%) wordt gewerkt vanuit de behoefte van het "
                                  "gezin."),
           (11, 24, 30, 80, "I29", "In 24 van de 30 onderzochte aanpakken (80%) zijn dergelijke afspraken niet "
                                   "gemaakt."),
           (12, 18, None, 60, "I30", "Binnen 18 aanpakken (60%) zijn afspraken gemaakt over de nazorg.")]


def _small_folder(folder, findings, figures=()):
    """documents.csv, findings.csv and national_figures.csv of a made-up run: findings as (kind, gemeente, aanpak,
    year, indicator, verdict), kind "s" for a factsheet and "f" for a follow-up."""
    kinds = {"s": ("doc-s", "factsheet"), "f": ("doc-f", "followup")}
    documents = [{"doc_id": d, "source_file": f"{d}.pdf", "kind": k, "status": "ok"} for d, k in kinds.values()]
    documents.append({"doc_id": "doc-r", "source_file": "report.pdf", "kind": "report", "status": "ok"})
    pd.DataFrame(documents).to_csv(folder / "documents.csv", index=False)
    rows = [{"finding_id": f"r{i}", "doc_id": kinds[k][0], "source_file": f"{kinds[k][0]}.pdf", "gemeente": g,
             "aanpak": a, "year": y, "indicator_id": ind, "verdict": v, "caveat": False, "method": "text",
             "corrected": False, "review": ""} for i, (k, g, a, y, ind, v) in enumerate(findings)]
    pd.DataFrame(rows).to_csv(folder / "findings.csv", index=False)
    pd.DataFrame([{"figure_id": f"r-{i}", "doc_id": "doc-r", "page": p, "n": n, "total": t, "percent": pc,
                   "indicator_id": ind, "sentence": s} for i, (p, n, t, pc, ind, s) in enumerate(figures)],
                 columns=["figure_id", "doc_id", "page", "n", "total", "percent", "indicator_id", "sentence"]
                 ).to_csv(folder / "national_figures.csv", index=False)


# Haarlemmermeer's factsheet verdicts of I05 (pass), I29 and I30 (fail) from the gold file; no I07 row
HAARLEMMERMEER = [("s", "Haarlemmermeer", "Frontlineteam", 2013, i, v) for i, v in
                  (("I05", "pass"), ("I29", "fail"), ("I30", "fail"))]


def test_national_figures_beside_the_same_years_rates(tmp_path):
    _small_folder(tmp_path, HAARLEMMERMEER + [("f", "Almere", "Versterkt Verder", 2013, "I07", "fail")], FIGURES)
    build_stats(tmp_path)
    table = _csv(tmp_path, "national_vs_run", "indicator_id")
    assert set(table.year) == {2013} and set(table.run_source) == {"factsheets"}
    assert (table.loc["I05", "national_pass_rate"], table.loc["I05", "national_n"]) == (0.93, 30)
    assert (table.loc["I05", "run_pass_rate"], table.loc["I05", "run_n"]) == (1.0, 1)
    # "80% ... niet gemaakt": 6 of 30 made such agreements
    assert (table.loc["I29", "national_pass_rate"], table.loc["I29", "national_passing"]) == (0.2, 6)
    assert (table.loc["I29", "run_pass_rate"], table.loc["I29", "run_n"]) == (0.0, 1)
    assert table.loc["I30", "national_n"] == 30 and table.loc["I30", "national_n_note"].startswith("derived")
    # I07: the follow-up's 2013 failure is no 2013 rate; the factsheet has no I07 row: not assessed, not 0%
    assert table.loc["I07", "run_n"] == 0 and pd.isna(table.loc["I07", "run_pass_rate"])
    alt = _alts(tmp_path / "stats" / "index.html")["national_vs_run.png"]
    assert "I07 national 82% (n = 28) vs run not assessed" in alt
    assert "I29 national 20% (n = 30) vs run 0% (n = 1)" in alt


def test_a_report_about_the_followup_year_is_set_beside_no_rate(tmp_path):
    """The year a national figure is about comes from the series description: about 2014 (when no run has a
    complete assessment), the figures are left out with the reason; without the key, too."""
    data = json.loads((ROOT / "models" / "stj_series.json").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "models" / data["framework"], tmp_path / data["framework"])
    out = tmp_path / "out"
    out.mkdir()
    _small_folder(out, HAARLEMMERMEER, FIGURES)
    for year, says in ((2014, "national figures about 2014: 4 — the run has no complete assessment of 2014"),
                       (None, "national figures: 4 — the series description does not say which year")):
        if year is None:
            del data["report"]["figures_year"]
        else:
            data["report"]["figures_year"] = year
        (tmp_path / "series.json").write_text(json.dumps(data), encoding="utf-8")
        with using(tmp_path / "series.json"):
            build_stats(out)
        assert _csv(out, "national_vs_run").empty
        assert says in (out / "stats" / "index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the page


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            attrs = dict(attrs)
            self.alts[attrs.get("src", "")] = attrs.get("alt") or ""


def _alts(path) -> dict[str, str]:
    parser = _Images()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.alts


def test_alt_texts_say_what_each_plot_shows(stats_run):
    alts = _alts(stats_run / "stats" / "index.html")
    assert set(alts) == {"pass_rate_indicator.png", "pass_rate_theme.png", "changes.png", "resolution_indicator.png",
                         "verdict_grid.png"}
    for src, alt in alts.items():
        assert re.match(r"^(Bar|Stacked bar|Grid|Grouped bar) chart: ", alt) and "n = " in alt, src
    assert alts["pass_rate_theme.png"].startswith("Bar chart: 2013 pass rate per theme, factsheets only, n = 30 ")
    assert "Continu 33% (n = 3)" in alts["pass_rate_theme.png"]
    assert "4 persists (I06, I21, I29 (×2))" in alts["changes.png"]


def test_a_page_per_gemeente(stats_run):
    almere = pd.read_csv(stats_run / "stats" / "gemeente" / "almere.csv", keep_default_na=False).set_index(
        "indicator_id")
    assert list(almere.columns[2:5]) == ["2013 Multiprobleemgezinnen (follow-ups)",
                                         "2013 Versterkt Verder (follow-ups)",
                                         "2014 Wijkteams en Gezinsbegeleiders (follow-ups)"]
    assert list(almere.loc["I29"].iloc[2:5]) == ["fail", "fail", "fail"]
    assert almere.loc["I09", "change"] == "Multiprobleemgezinnen: resolved; Versterkt Verder: resolved"
    assert almere.loc["I02"].iloc[2] == "not listed"
    haarlemmermeer = pd.read_csv(stats_run / "stats" / "gemeente" / "haarlemmermeer.csv", keep_default_na=False)
    assert list(haarlemmermeer.iloc[:, 3].value_counts().sort_index().items()) == [("caveat", 2), ("fail", 6),
                                                                                    ("pass", 22)]


def test_one_factsheet_says_what_it_left_out(tmp_path):
    _small_folder(tmp_path, HAARLEMMERMEER)
    build_stats(tmp_path)
    index = (tmp_path / "stats" / "index.html").read_text(encoding="utf-8")
    assert "the run holds no follow-up" in index and "the run holds no national report" in index
    assert not (tmp_path / "stats" / "changes.png").exists()
    rates = _csv(tmp_path, "pass_rate_indicator", "indicator_id")
    assert (rates.loc["I05", "pass_rate"], rates.loc["I29", "pass_rate"]) == (1.0, 0.0)
    assert rates.loc["I07", "not_assessed"] == 1 and pd.isna(rates.loc["I07", "pass_rate"])
    assert "not assessed: I01, I02, I03, I04, I06, I07" in _alts(tmp_path / "stats" / "index.html")[
        "pass_rate_indicator.png"]


def test_the_national_year_must_be_one_of_the_series_years(tmp_path):
    from extract.series.description import SeriesError, load

    data = json.loads((ROOT / "models" / "stj_series.json").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "models" / data["framework"], tmp_path / data["framework"])
    assert load(ROOT / "models" / "stj_series.json").figures_year == 2013
    data["report"]["figures_year"] = 2010
    (tmp_path / "series.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SeriesError, match="report.figures_year"):
        load(tmp_path / "series.json")


@pytest.mark.slow  # OCR of the national report's scan
def test_the_national_report_beside_the_factsheet_in_a_real_run(tmp_path):
    """The report's figures as gold-checked (rapportage-2014.json: I05 28 of 30 = 93%; I29 24 of 30 = 80% without
    such agreements) beside Haarlemmermeer's 2013 verdicts (I05 pass, I29 fail)."""
    api.run([SAMPLES / "haarlemmermeer-2013.pdf", SAMPLES / "rapportage-2014-scan.pdf"], tmp_path, jobs=1)
    build_stats(tmp_path)
    table = _csv(tmp_path, "national_vs_run", "indicator_id")
    assert set(table.year) == {2013}
    assert tuple(table.loc["I05", ["national_pass_rate", "national_n", "run_pass_rate", "run_n"]]) == (0.93, 30, 1.0, 1)
    assert tuple(table.loc["I29", ["national_pass_rate", "national_n", "run_pass_rate", "run_n"]]) == (0.2, 30, 0.0, 1)
    assert bool(table.loc["I29", "turned_around"])
