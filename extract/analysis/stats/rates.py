"""The tables of the statistics, each following the design of the inspections.

* ``pass_rates``: the assessed year's pass rate per indicator or theme, from the factsheets only (complete
  assessments); ``n`` is the unique assessed cells, ``not_assessed`` the factsheet cells without a counted verdict.
* ``followup_changes``: every assessed-year cell a follow-up lists, beside the follow-up year's verdict of the same
  gemeente and indicator, with the change (resolved, persists, regressed, maintained).
* ``resolution``: of the assessed-year failures the follow-ups list, how many passed in the follow-up year, per
  indicator or per gemeente; ``n`` is the failures judged again (a failure of each earlier aanpak counts once, and
  two earlier aanpakken failing one indicator are both judged by the one later verdict: ``cells_later`` says how
  many later verdicts there were).
* ``verdict_grid``: every document kind's cells as gemeente, aanpak, year × indicator.
* ``gemeente_sheet``: one gemeente's verdicts per indicator, each year side by side, with the change.

Every table carries ``year`` and ``source`` columns: the statistics never pool years or sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from extract.analysis.stats.cells import (CAVEAT, FACTSHEETS, FOLLOWUPS, NOT_ASSESSED, NOT_LISTED, Run,
                                          assessed_cells)
from extract.core.enums import Change, Verdict
from extract.series import framework
from extract.series.identity import gemeente_key as key_of

CHANGE_OF = {(Verdict.fail.value, Verdict.pass_.value): Change.resolved.value,
             (Verdict.fail.value, Verdict.fail.value): Change.persists.value,
             (Verdict.pass_.value, Verdict.fail.value): Change.regressed.value,
             (Verdict.pass_.value, Verdict.pass_.value): Change.maintained.value}
NOT_JUDGED = f"{NOT_ASSESSED} later"  # an earlier failure without a follow-up-year verdict


def _rate(passed, assessed):
    return (pd.Series(passed, dtype=float) / pd.Series(assessed, dtype=float).replace(0, np.nan)).round(4).values


def pass_rates(run: Run, by: str) -> pd.DataFrame:
    """The assessed year's pass rate per ``indicator_id`` or ``theme`` from the factsheets only."""
    indicators = framework.indicators()
    keys = [i.indicator_id for i in indicators] if by == "indicator_id" else framework.themes()
    size = {k: (1 if by == "indicator_id" else sum(i.theme == k for i in indicators)) for k in keys}
    cells = run.cells[(run.cells.source == FACTSHEETS) & (run.cells.year == run.assessed_year)]
    judged = assessed_cells(cells)
    count = lambda mask: judged[mask].groupby(by).size().reindex(keys, fill_value=0)  # noqa: E731
    passed, failed = count(judged.verdict == Verdict.pass_.value), count(judged.verdict == Verdict.fail.value)
    caveat = count(judged.state == CAVEAT)
    assessed = passed + failed
    units = len(run.units)
    table = pd.DataFrame({"year": run.assessed_year, "source": FACTSHEETS, by: keys})
    if by == "indicator_id":
        table["indicator"] = [i.text for i in indicators]
        table["theme"] = [i.theme for i in indicators]
    else:
        table["indicators"] = [size[k] for k in keys]
    table["pass"], table["pass_with_caveat"], table["fail"] = passed.values, caveat.values, failed.values
    table["n"] = assessed.values
    table["not_assessed"] = [units * size[k] - int(a) for k, a in zip(keys, assessed.values)]
    table["pass_rate"] = _rate(passed.values, assessed.values)
    return table


def followup_changes(run: Run) -> pd.DataFrame:
    """Each assessed-year cell of the follow-ups beside the follow-up year's verdict(s) of its gemeente and
    indicator."""
    columns = ["gemeente", "indicator_id", "theme", "aanpak_earlier", "verdict_earlier", "aanpak_later",
               "verdict_later", "change", "year_earlier", "year_later", "source"]
    cells = run.cells[run.cells.source == FOLLOWUPS]
    earlier = cells[cells.year == run.assessed_year]
    later = cells[cells.year == run.followup_year]
    rows = []
    for e in earlier.itertuples():
        matches = later[(later.gkey == e.gkey) & (later.indicator_id == e.indicator_id)]
        for new in (matches.itertuples() if len(matches) else [None]):
            verdict = new.verdict if new is not None else ""
            change = CHANGE_OF.get((e.verdict, verdict), NOT_JUDGED if e.verdict and not verdict else NOT_ASSESSED)
            rows.append({"gemeente": e.gemeente, "indicator_id": e.indicator_id, "theme": e.theme,
                         "aanpak_earlier": e.aanpak, "verdict_earlier": e.verdict or NOT_ASSESSED,
                         "aanpak_later": new.aanpak if new is not None else "",
                         "verdict_later": verdict or NOT_ASSESSED, "change": change})
    table = pd.DataFrame(rows, columns=columns[:8])
    table["year_earlier"], table["year_later"], table["source"] = run.assessed_year, run.followup_year, FOLLOWUPS
    return table[columns]


def resolution(changes: pd.DataFrame, run: Run, by: str) -> pd.DataFrame:
    """Of the assessed-year failures the follow-ups list, how many passed in the follow-up year, per ``by``
    (``indicator_id`` or ``gemeente``)."""
    failures = changes[changes.verdict_earlier == Verdict.fail.value]
    if by == "indicator_id":
        keys = [i.indicator_id for i in framework.indicators()]
    else:
        keys = sorted(set(changes.gemeente), key=str.lower)
    grouped = failures.groupby(by)
    count = lambda kind: failures[failures.change == kind].groupby(by).size().reindex(keys, fill_value=0)  # noqa
    resolved, persists = count(Change.resolved.value), count(Change.persists.value)
    judged = resolved + persists
    later = failures[failures.verdict_later != NOT_ASSESSED].drop_duplicates(["gemeente", "indicator_id",
                                                                               "aanpak_later"])
    table = pd.DataFrame({"year_earlier": run.assessed_year, "year_later": run.followup_year, "source": FOLLOWUPS,
                          by: keys})
    if by == "indicator_id":
        table["indicator"] = [i.text for i in framework.indicators()]
        table["gemeenten"] = grouped.gemeente.nunique().reindex(keys, fill_value=0).values
    else:
        table["aanpak_later"] = [
            "; ".join(sorted(set(changes.loc[(changes.gemeente == g) & (changes.aanpak_later != ""), "aanpak_later"])))
            for g in keys]
        table["indicators"] = grouped.indicator_id.nunique().reindex(keys, fill_value=0).values
    table["failures"] = grouped.size().reindex(keys, fill_value=0).values
    table["resolved"], table["persists"] = resolved.values, persists.values
    table["not_assessed_later"] = (table.failures - judged.values).values
    table["n"] = judged.values
    table["cells_later"] = later.groupby(by).size().reindex(keys, fill_value=0).values
    table["resolution_rate"] = _rate(resolved.values, judged.values)
    return table


def verdict_grid(run: Run) -> pd.DataFrame:
    """Each (source, gemeente, aanpak, year) × indicator: pass, caveat, fail, not assessed (a factsheet cell without
    a counted verdict) or not listed (a follow-up revisits only the earlier failures)."""
    ids = [i.indicator_id for i in framework.indicators()]
    head = ["source", "gemeente", "aanpak", "year"]
    cells = run.cells
    if cells.empty:
        return pd.DataFrame(columns=[*head, *ids])
    grid = cells.pivot_table(index=head, columns="indicator_id", values="state", aggfunc="first").reindex(columns=ids)
    grid = grid.astype(object).reset_index()
    for source, filler in ((FACTSHEETS, NOT_ASSESSED), (FOLLOWUPS, NOT_LISTED)):
        grid.loc[grid.source == source, ids] = grid.loc[grid.source == source, ids].fillna(filler)
    grid[ids] = grid[ids].fillna(NOT_ASSESSED)
    grid = grid.sort_values(["gemeente", "year", "source", "aanpak"], key=lambda s: s.astype(str).str.lower())
    return grid.reset_index(drop=True)[[*head, *ids]]


def gemeente_sheet(run: Run, gemeente_key: str, changes: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """One gemeente's verdicts per indicator: a column per aanpak and year, named with its source(s) (where a
    factsheet and a follow-up both give a cell and differ, both are shown), then the change per earlier aanpak.
    Returns the table and its verdict columns, in year order."""
    cells = run.cells[run.cells.gkey == gemeente_key]
    columns = {(int(year), aanpak): sorted(set(part.source)) for (year, aanpak), part in
               cells.groupby(["year", "aanpak"], sort=True)}
    names = {key: f"{key[0]} {key[1]} ({' and '.join(sources)})" for key, sources in columns.items()}
    mine = changes[changes.gemeente.map(key_of) == gemeente_key] if len(changes) else changes
    rows = []
    for ind in framework.indicators():
        row = {"indicator_id": ind.indicator_id, "theme": ind.theme, "indicator": ind.text}
        for (year, aanpak), sources in columns.items():
            here = cells[(cells.year == year) & (cells.aanpak == aanpak) & (cells.indicator_id == ind.indicator_id)]
            row[names[year, aanpak]] = _shown_state(here, sources)
        row["change"] = "; ".join(f"{c.aanpak_earlier}: {c.change}" for c in
                                  mine[mine.indicator_id == ind.indicator_id].itertuples())
        rows.append(row)
    shown = list(names.values())
    return pd.DataFrame(rows, columns=["indicator_id", "theme", "indicator", *shown, "change"]), shown


def _shown_state(here: pd.DataFrame, sources: list[str]) -> str:
    """A cell of the gemeente sheet: its state; two sources that disagree are both shown. Where the column's
    follow-up has no row the cell is "not listed" (a follow-up revisits only the earlier failures)."""
    if here.empty:
        return NOT_LISTED if FOLLOWUPS in sources else NOT_ASSESSED
    by_source = dict(zip(here.source, here.state))
    if len(set(by_source.values())) > 1:
        return " / ".join(f"{st} ({s})" for s, st in sorted(by_source.items())) + ": the documents disagree"
    return next(iter(by_source.values()))


def indicator_key() -> pd.DataFrame:
    return pd.DataFrame([{"indicator_id": i.indicator_id, "indicator": i.text, "criterion": i.criterion,
                          "theme": i.theme} for i in framework.indicators()])


