"""Words for the statistics: each figure's title (year, source, n) and an alt text that says what the plot shows
(its kind, year, source, n and its notable values), written from the same tables the plots draw.
"""

from __future__ import annotations

import pandas as pd

from extract.analysis.stats.cells import CAVEAT, FACTSHEETS, FOLLOWUPS, NOT_ASSESSED, Run
from extract.analysis.stats.national import n_label
from extract.series.description import series

SHOWN = 3  # lowest and highest values an alt text names


def aanpakken(count: int) -> str:
    """"1 aanpak", "2 aanpakken": the series' own words."""
    return f"{count} {series().approach_word if count == 1 else series().approach_plural}"


def percent(value) -> str:
    return NOT_ASSESSED if pd.isna(value) else f"{float(value) * 100:.0f}%"


def _listed(items: list[str], limit: int = 12) -> str:
    return ", ".join(items) if len(items) <= limit else ", ".join(items[:limit]) + f" and {len(items) - limit} more"


def _extremes(table: pd.DataFrame, key: str, rate: str) -> str:
    rated = table[table[rate].notna()].sort_values([rate, key], kind="stable")
    shown = lambda rows: ", ".join(f"{r[key]} {percent(r[rate])} (n = {int(r['n'])})"  # noqa: E731
                                   for _, r in rows.iterrows())
    if rated.empty:
        return "no rate: nothing assessed"
    if len(rated) <= 2 * SHOWN:
        return "; ".join(f"{r[key]} {percent(r[rate])} (n = {int(r['n'])})" for _, r in
                         table[table[rate].notna()].iterrows())
    return f"lowest {shown(rated.head(SHOWN))}; highest {shown(rated.tail(SHOWN).iloc[::-1])}"


def _unassessed(table: pd.DataFrame, key: str, rate: str, what: str = NOT_ASSESSED) -> str:
    missing = list(table.loc[table[rate].isna(), key].astype(str))
    return f"; {what}: {_listed(missing)}" if missing else ""


def rates_title(run: Run, table: pd.DataFrame, by: str) -> str:
    what = "indicator" if by == "indicator_id" else "theme"
    return (f"{run.assessed_year} pass rate per {what} — {FACTSHEETS} only (complete assessments); "
            f"n = {int(table.n.sum())} unique assessed cells of {aanpakken(len(run.units))}")


def rates_alt(run: Run, table: pd.DataFrame, by: str) -> str:
    what = "indicator" if by == "indicator_id" else "theme"
    return (f"Bar chart: {run.assessed_year} pass rate per {what}, {FACTSHEETS} only, n = {int(table.n.sum())} "
            f"unique assessed cells of {aanpakken(len(run.units))}; {_extremes(table, by, 'pass_rate')}"
            f"{_unassessed(table, by, 'pass_rate')}.")


def resolution_title(run: Run, table: pd.DataFrame) -> str:
    return (f"Resolved by {run.followup_year}: of the {run.assessed_year} failures the {FOLLOWUPS} list, the share "
            f"that passed in {run.followup_year}, per indicator; n = {int(table.n.sum())} failures judged again "
            f"(by {int(table.cells_later.sum())} verdicts of {run.followup_year})")


def resolution_alt(run: Run, table: pd.DataFrame) -> str:
    listed = table[table.failures > 0]
    return (f"Bar chart: share of the {run.assessed_year} failures listed by {FOLLOWUPS} that passed in "
            f"{run.followup_year}, per indicator listed ({len(listed)} indicators), n = {int(table.n.sum())} failures "
            f"judged again; {_extremes(listed, 'indicator_id', 'resolution_rate')}"
            f"{_unassessed(listed, 'indicator_id', 'resolution_rate', f'not assessed in {run.followup_year}')}.")


def changes_title(run: Run, changes: pd.DataFrame) -> str:
    return (f"{run.assessed_year} → {run.followup_year} per gemeente: each {run.assessed_year} cell the {FOLLOWUPS} "
            f"list and what became of it; n = {len(changes)} cells of {run.assessed_year}")


def changes_alt(run: Run, changes: pd.DataFrame) -> str:
    parts = []
    for gemeente, mine in changes.groupby("gemeente", sort=True):
        kinds = []
        for change, rows in mine.groupby("change", sort=False):
            counts = rows.indicator_id.value_counts().sort_index()
            names = [f"{i} (×{c})" if c > 1 else i for i, c in counts.items()]
            kinds.append(f"{len(rows)} {change} ({_listed(names)})")
        parts.append(f"{gemeente}: {', '.join(kinds)}")
    return (f"Stacked bar chart: one bar per gemeente, each {run.assessed_year} cell its follow-up lists, labelled "
            f"with its indicator, by what happened in {run.followup_year} ({FOLLOWUPS}, n = {len(changes)} cells of "
            f"{run.assessed_year}). " + "; ".join(parts) + ".")


def grid_alt(run: Run, grid: pd.DataFrame) -> str:
    ids = [c for c in grid.columns if str(c).startswith("I") and str(c)[1:].isdigit()]
    rows = []
    for r in grid.itertuples(index=False):
        values = pd.Series([getattr(r, i) for i in ids]).value_counts()
        counts = ", ".join(f"{int(v)} {'pass with caveat' if k == CAVEAT else k}" for k, v in values.items())
        rows.append(f"{r.gemeente} {r.aanpak} {r.year} ({r.source}): {counts}")
    return (f"Grid chart: the verdict for each indicator ({ids[0] if ids else ''}–{ids[-1] if ids else ''}, columns) "
            f"of each gemeente, aanpak and year (rows, {len(grid)}), n = {len(run.cells)} unique cells; each cell "
            f"has a glyph (✓ pass, ! pass with caveat, ✗ fail, – not assessed, · not listed). " + "; ".join(rows)
            + ".")


def national_title(run: Run, table: pd.DataFrame) -> str:
    return (f"National figures about {run.assessed_year} beside this run's {run.assessed_year} pass rate "
            f"({FACTSHEETS} only); each bar with its n")


def national_alt(run: Run, table: pd.DataFrame) -> str:
    items = []
    for r in table.itertuples():
        n = n_label(r.national_n, r.national_n_note)
        run_rate = NOT_ASSESSED if pd.isna(r.run_pass_rate) else f"{percent(r.run_pass_rate)} (n = {r.run_n})"
        items.append(f"{r.indicator_id} national {percent(r.national_pass_rate)} ({n}) vs run {run_rate}")
    return (f"Grouped bar chart: the national report's pass rates about {run.assessed_year} beside this run's "
            f"{run.assessed_year} pass rate from {FACTSHEETS}, per indicator: " + "; ".join(items) + ".")
