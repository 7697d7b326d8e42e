"""``stj stats OUT``: the statistics folder ``OUT/stats/``, static files to send or archive.

``index.html`` holds, each with its year, source and n: the assessed year's pass rates per indicator and theme from
the factsheets; what the follow-ups resolved, per gemeente (with the indicators named) and per indicator; the
national figures beside the same year's rates; the verdict grid; links to a page per gemeente
(``gemeente/<name>.html``: each year's verdicts per indicator side by side, with the change); the indicator key;
and what was left out. Every table is a sortable HTML table beside its plot and a CSV. The folder is built aside and
swapped in only when complete.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from extract.analysis.stats import describe, plots
from extract.analysis.stats.cells import FACTSHEETS, FOLLOWUPS, LeftOut, Run, load
from extract.analysis.stats.html import bullets, csv_link, esc, figure, page, paragraph, section, sortable
from extract.analysis.stats.national import national_vs_run
from extract.analysis.stats.rates import (followup_changes, gemeente_sheet, indicator_key, pass_rates,
                                          resolution, verdict_grid)
from extract.core.enums import Change
from extract.core.files import swap_in
from extract.series.identity import gemeente_key

LABELS = {"indicator_id": "indicator", "indicator": "wording", "n": "n (assessed cells)", "pass_rate": "pass rate",
          "pass_with_caveat": "of which with caveat", "not_assessed": "not assessed",
          "resolution_rate": "resolved share", "not_assessed_later": "not assessed later",
          "cells_later": "later verdicts", "national_pass_rate": "national pass rate", "national_n": "national n",
          "national_n_note": "national n is", "run_pass_rate": "run pass rate", "run_n": "run n",
          "aanpak_earlier": "earlier aanpak", "national_passing": "national aanpakken passing",
          "turned_around": "turned around (counts what is missing)", "verdict_earlier": "earlier verdict", "aanpak_later": "later aanpak",
          "verdict_later": "later verdict"}


def build_stats(out: Path) -> Path:
    """Write ``out/stats`` (replacing a previous one only when complete). Returns its index.html."""
    run = load(out)
    staging = Path(tempfile.mkdtemp(prefix=".stj-stats-", dir=out))
    try:
        (staging / "gemeente").mkdir()
        body = _index_body(run, staging)
        (staging / "index.html").write_text(page("Statistics of this run", body), encoding="utf-8")
        swap_in(staging, out / "stats")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "stats" / "index.html"


CONSTANT = ("year", "source", "year_earlier", "year_later", "run_source")  # said by the caption, when constant


def _view(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the page shows it: without the year and source columns when the caption says their one value."""
    return frame.drop(columns=[c for c in CONSTANT if c in frame and frame[c].nunique() <= 1])


def _write(frame: pd.DataFrame, folder: Path, name: str) -> None:
    frame.to_csv(folder / f"{name}.csv", index=False)


def _index_body(run: Run, folder: Path) -> str:
    left = list(run.left_out)
    parts = [_summary(run)]
    by_indicator = pass_rates(run, "indicator_id")
    parts.append(_assessed_year(run, folder, by_indicator, left))
    changes = followup_changes(run)
    parts.append(_followups(run, folder, changes, left))
    national, national_left = national_vs_run(run, by_indicator)
    left += national_left
    parts.append(_national(run, folder, national))
    parts.append(_grid(run, folder))
    parts.append(_gemeenten(run, folder, changes))
    key = indicator_key()
    _write(key, folder, "indicator_key")
    parts.append(section("key", "Indicator key", paragraph("Each indicator code of the framework with its wording, "
                                                           "criterion and theme."),
                         sortable(_view(key), "Indicator key: code → wording → criterion → theme (the framework)",
                                  "table-key", LABELS), csv_link("indicator_key")))
    parts.append(_left_out(run, folder, left))
    nav = ("<nav aria-label='Contents'><ul>" + "".join(
        f"<li><a href='#{a}'>{esc(t)}</a></li>" for a, t in (
            ("assessed", f"{run.assessed_year}: pass rates ({FACTSHEETS})"),
            ("followups", f"{run.assessed_year} → {run.followup_year}: resolved ({FOLLOWUPS})"),
            ("national", "National figures beside this run"), ("grid", "Verdict grid"),
            ("gemeenten", "A page per gemeente"), ("key", "Indicator key"), ("left-out", "Left out"))) + "</ul></nav>")
    return parts[0] + nav + "".join(parts[1:])


def _summary(run: Run) -> str:
    docs = run.documents
    kinds = docs.kind.value_counts().to_dict() if "kind" in docs else {}
    cells = run.cells
    lines = [f"{len(docs)} documents ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items())) or 'none'}), "
             f"{len(run.findings)} rows in findings.csv, counted as {len(cells)} unique cells (gemeente × aanpak × "
             f"year × indicator, per source): {int((cells.source == FACTSHEETS).sum())} from {FACTSHEETS}, "
             f"{int((cells.source == FOLLOWUPS).sum())} from {FOLLOWUPS}. Factsheets and follow-ups are never "
             f"pooled, nor are {run.assessed_year} and {run.followup_year}."]
    if run.copies:
        lines.append("Counted once (copies of the same document): " + "; ".join(
            f"{what}: {', '.join(files)}" for what, files in run.copies) + ".")
    still = (f" ({run.wrong_still_counted} of their cells still counted from another copy)"
             if run.wrong_still_counted else "")
    lines.append(f"Reviews: {run.wrong_rows} row(s) marked wrong in the applied corrections left out{still}; "
                 f"{run.corrected_rows} corrected row(s) used with their corrected values "
                 f"({run.corrected_cells} counted cell(s) come from a corrected row).")
    return "<div id='summary'>" + "".join(paragraph(line) for line in lines) + "</div>"


def _assessed_year(run: Run, folder: Path, by_indicator: pd.DataFrame, left: list[LeftOut]) -> str:
    year = run.assessed_year
    by_theme = pass_rates(run, "theme")
    _write(by_indicator, folder, "pass_rate_indicator")
    _write(by_theme, folder, "pass_rate_theme")
    followup_earlier = int(((run.cells.source == FOLLOWUPS) & (run.cells.year == year)).sum())
    if followup_earlier:
        left.append(LeftOut(f"{FOLLOWUPS}' {year} cells, from the {year} pass rates", followup_earlier,
                            f"a follow-up lists only the {year} failures, so its {year} rows are failures by "
                            "construction (they count in the resolution rates)"))
    if run.units.empty:
        left.append(LeftOut(f"{year} pass rates", 0, "the run holds no factsheet (no complete assessment)"))
        return section("assessed", f"{year}: pass rates ({FACTSHEETS})",
                       paragraph(f"No factsheet in the run: no {year} pass rate (the tables say not assessed)."),
                       csv_link("pass_rate_indicator"), csv_link("pass_rate_theme"))
    parts = [paragraph(f"From the {FACTSHEETS} only: each assesses every indicator of one aanpak. n is the unique "
                       f"assessed cells; a cell without a counted verdict is 'not assessed', never 0%. A pass with a "
                       f"LET OP caveat is a pass (counted in 'of which with caveat').")]
    for table, by, name in ((by_indicator, "indicator_id", "pass_rate_indicator"),
                            (by_theme, "theme", "pass_rate_theme")):
        title = describe.rates_title(run, table, by)
        plots.plot_rates(table, by, "pass_rate", folder / f"{name}.png", title, "pass rate (%)")
        parts += [figure(name, title, describe.rates_alt(run, table, by)),
                  sortable(_view(table), title, f"table-{name}", LABELS), csv_link(name)]
    return section("assessed", f"{year}: pass rates ({FACTSHEETS})", *parts)


def _followups(run: Run, folder: Path, changes: pd.DataFrame, left: list[LeftOut]) -> str:
    earlier, later = run.assessed_year, run.followup_year
    heading = f"{earlier} → {later}: what the {FOLLOWUPS} resolved"
    _write(changes, folder, "changes")
    if changes.empty:
        left.append(LeftOut(f"{earlier} → {later} changes and resolution rates", 0, "the run holds no follow-up"))
        return section("followups", heading, paragraph("No follow-up in the run."), csv_link("changes"))
    by_gemeente = resolution(changes, run, "gemeente")
    by_indicator = resolution(changes, run, "indicator_id")
    unlisted = by_indicator[by_indicator.failures == 0]
    by_indicator = by_indicator[by_indicator.failures > 0].reset_index(drop=True)
    _write(by_gemeente, folder, "resolution_gemeente")
    _write(by_indicator, folder, "resolution_indicator")
    if len(unlisted):
        left.append(LeftOut(f"indicators without a listed {earlier} failure", len(unlisted),
                            "no follow-up lists them, so they have no resolution rate (not in "
                            "resolution_indicator)"))
    passes = int((changes.verdict_earlier == "pass").sum())
    if passes:
        left.append(LeftOut(f"{earlier} passes a follow-up lists", passes, "not failures, so not in the resolution "
                            "rates (their change is in changes.csv)"))
    not_judged = int(by_gemeente.not_assessed_later.sum())
    if not_judged:
        left.append(LeftOut(f"{earlier} failures without a {later} verdict", not_judged,
                            f"not assessed in {later}: not in the n of the resolution rates"))
    intro = paragraph(
        f"A follow-up revisits only the indicators that failed in {earlier}. The resolved share is, of the {earlier} "
        f"failures it lists, how many passed in {later}; n is those failures with a {later} verdict. Each {earlier} "
        f"aanpak's failure counts once; when two {earlier} aanpakken of a gemeente failed the same indicator, the one "
        f"{later} verdict of its new aanpak judges both ('later verdicts' counts those verdicts).")
    change_title = describe.changes_title(run, changes)
    plots.plot_changes(changes, folder / "changes.png", change_title)
    gemeente_title = (f"Resolved by {later} per gemeente ({FOLLOWUPS}; n = {int(by_gemeente.n.sum())} {earlier} "
                      f"failures judged again)")
    links = {"gemeente": {g: f"gemeente/{_slug(run, g)}.html" for g in by_gemeente.gemeente}}
    indicator_title = describe.resolution_title(run, by_indicator)
    plots.plot_rates(by_indicator, "indicator_id", "resolution_rate",
                     folder / "resolution_indicator.png", indicator_title, f"passed in {later} (%)")
    listed = changes.copy()
    return section("followups", heading, intro,
                   sortable(_view(by_gemeente), gemeente_title, "table-resolution-gemeente", LABELS, links=links),
                   csv_link("resolution_gemeente"),
                   figure("changes", change_title, describe.changes_alt(run, changes)),
                   figure("resolution_indicator", indicator_title, describe.resolution_alt(run, by_indicator)),
                   sortable(_view(by_indicator), indicator_title, "table-resolution-indicator", LABELS),
                   csv_link("resolution_indicator"),
                   sortable(_view(listed), f"Every {earlier} cell the {FOLLOWUPS} list, with its {later} verdict "
                            f"and the change (n = {len(listed)})", "table-changes", LABELS,
                            states={"verdict_earlier", "verdict_later", "change"}),
                   csv_link("changes"))


def _national(run: Run, folder: Path, table: pd.DataFrame) -> str:
    _write(table, folder, "national_vs_run")
    heading = "National figures beside this run"
    if table.empty:
        return section("national", heading, paragraph("No national figure set beside a rate (see Left out)."),
                       csv_link("national_vs_run"))
    title = describe.national_title(run, table)
    plots.plot_national(table, folder / "national_vs_run.png", title)
    intro = paragraph(f"The national report's figures are about {run.assessed_year} (the series description's "
                      f"report.figures_year), so each is set beside this run's {run.assessed_year} pass rate from "
                      f"the {FACTSHEETS}. National n: the sentence's total, or derived from its count and "
                      f"percentage (≈), or not stated. A statement about what is missing is turned into a pass rate "
                      f"('turned_around').")
    return section("national", heading, intro, figure("national_vs_run", title, describe.national_alt(run, table)),
                   sortable(_view(table), title, "table-national", LABELS), csv_link("national_vs_run"))


def _grid(run: Run, folder: Path) -> str:
    grid = verdict_grid(run)
    _write(grid, folder, "verdict_grid")
    plots.plot_grid(grid, folder / "verdict_grid.png")
    ids = [c for c in grid.columns if str(c).startswith("I") and str(c)[1:].isdigit()]
    title = (f"Verdict per indicator for each gemeente, aanpak and year, every source (n = {len(run.cells)} unique "
             f"cells): ✓ pass, ! pass with a LET OP caveat, ✗ fail, – not assessed, · not listed by a follow-up "
             f"(it revisits only the {run.assessed_year} failures)")
    return section("grid", "Verdict grid", figure("verdict_grid", title, describe.grid_alt(run, grid)),
                   sortable(_view(grid), title, "table-grid", LABELS, states=set(ids), compact=True),
                   csv_link("verdict_grid"))


def _slug(run: Run, gemeente: str) -> str:
    return gemeente_key(gemeente) or "unknown"


def _gemeenten(run: Run, folder: Path, changes: pd.DataFrame) -> str:
    items = []
    for key, cells in run.cells.groupby("gkey", sort=False):
        name = str(cells.gemeente.iloc[0]) or "(no gemeente)"
        sheet, columns = gemeente_sheet(run, key, changes)
        slug = key or "unknown"
        _write(sheet, folder / "gemeente", slug)
        (folder / "gemeente" / f"{slug}.html").write_text(
            page(f"{name}: verdicts per indicator", _gemeente_body(run, name, cells, sheet, columns, changes, slug),
                 back="../index.html"), encoding="utf-8")
        sources = ", ".join(f"{y} {s}" for s, y in sorted(set(zip(cells.source, cells.year)), key=lambda t: t[1]))
        items.append((name.lower(), f"<li><a href='gemeente/{esc(slug)}.html'>{esc(name)}</a> ({esc(sources)})</li>"))
    return section("gemeenten", "A page per gemeente",
                   paragraph("Each gemeente's verdicts per indicator, every year side by side, with the change."),
                   "<ul>" + "".join(i for _, i in sorted(items)) + "</ul>")


def _gemeente_body(run: Run, name: str, cells: pd.DataFrame, sheet: pd.DataFrame, columns: list[str],
                   changes: pd.DataFrame, slug: str) -> str:
    lines = []
    for (source, year, aanpak), part in cells.groupby(["source", "year", "aanpak"], sort=True):
        judged = part[part.verdict != ""]
        passed = int((judged.verdict == "pass").sum())
        what = (f"{passed} of {len(judged)} assessed indicators pass" if source == FACTSHEETS
                else f"{len(judged)} indicators listed ({passed} pass, {len(judged) - passed} fail)")
        lines.append(f"{year} {aanpak} ({source}): {what}; files: {part.files.iloc[0]}")
    mine = changes[changes.gemeente == name]
    failures = mine[mine.verdict_earlier == "fail"]
    if len(failures):
        resolved = int((failures.change == Change.resolved.value).sum())
        judged = int(failures.change.isin([Change.resolved.value, Change.persists.value]).sum())
        lines.append(f"Follow-up: of {len(failures)} {run.assessed_year} failures it lists, {resolved} passed in "
                     f"{run.followup_year} (n = {judged} with a {run.followup_year} verdict).")
    caption = (f"{name}: verdict per indicator, each aanpak and year a column (its source in brackets), with the "
               f"change from {run.assessed_year} to {run.followup_year}")
    return (bullets(lines) + paragraph(f"'not listed' means the follow-up has no row for the indicator: it revisits "
                                       f"only the {run.assessed_year} failures. 'not assessed' means no counted "
                                       "verdict.")
            + sortable(_view(sheet), caption, "table-gemeente", LABELS, states=set(columns) | {"change"})
            + f"<p class='note'>The table as CSV: <a href='{esc(slug)}.csv'>{esc(slug)}.csv</a></p>")


def _left_out(run: Run, folder: Path, left: list[LeftOut]) -> str:
    still = (f"; {run.wrong_still_counted} of their cells are still counted from another copy of the same document"
             if run.wrong_still_counted else "")
    left = [*left, LeftOut("rows marked wrong in the applied corrections", run.wrong_rows, f"left out{still}"),
            LeftOut("corrected rows", run.corrected_rows, "not left out: counted with their corrected values")]
    frame = pd.DataFrame([{"what": x.what, "count": x.count, "why": x.why} for x in left],
                         columns=["what", "count", "why"])
    _write(frame, folder, "left_out")
    items = [f"{x.what}: {x.count} — {x.why}" if x.count or "rows" in x.what else f"{x.what} — {x.why}"
             for x in left]
    return section("left-out", "Left out", paragraph("What these statistics leave out or count once, and why."),
                   bullets(items or ["nothing"]), csv_link("left_out"))

