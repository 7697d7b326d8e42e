"""An output folder read for the statistics: its findings reduced to unique assessed cells, with an account of every
row that was left out or counted once.

A *cell* is one verdict of one document kind on one gemeente, aanpak, year and indicator. Several copies of a
document (a scan and its born-digital copy, the same file twice) hold the same cells: each cell counts once, from the
copy that a reviewer marked right or corrected, else from a text layer before OCR, else the first. Factsheet and
follow-up cells are kept apart (``source``): a follow-up's assessed-year rows are the earlier failures it revisits,
not a complete assessment, so the two are never pooled.

Reviews: ``findings.csv`` already holds the corrected values; rows a reviewer marked wrong (``review == "wrong"``) are
left out before copies are merged, so another, unreviewed copy of the same document may still give the cell (the
account says how many).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from extract.core.enums import Kind, Method, Verdict
from extract.series import framework
from extract.series.description import series
from extract.series.identity import gemeente_key, name_key

FACTSHEETS, FOLLOWUPS = "factsheets", "follow-ups"  # the sources, as every table and figure names them
SOURCE_OF_KIND = {Kind.factsheet.value: FACTSHEETS, Kind.followup.value: FOLLOWUPS}
PASS, CAVEAT, FAIL, NOT_ASSESSED, NOT_LISTED = "pass", "caveat", "fail", "not assessed", "not listed"
KEY = ["source", "gkey", "akey", "year", "indicator_id"]
TABLES = ("documents", "findings", "national_figures")


@dataclass
class LeftOut:
    """One line of the account of what the statistics left out or counted once: what, how many, why."""

    what: str
    count: int
    why: str


@dataclass
class Run:
    """The output folder as the statistics see it."""

    documents: pd.DataFrame
    findings: pd.DataFrame  # every row, with its document's kind and source
    cells: pd.DataFrame  # one row per unique cell (see the module's docstring)
    units: pd.DataFrame  # the (gemeente, aanpak) pairs the factsheets assess completely
    national: pd.DataFrame
    assessed_year: int
    followup_year: int
    left_out: list[LeftOut] = field(default_factory=list)
    copies: list[tuple[str, list[str]]] = field(default_factory=list)  # (what, its files) counted once
    wrong_rows: int = 0
    wrong_still_counted: int = 0  # cells of rows marked wrong that another copy still gives
    corrected_rows: int = 0  # corrected rows used (not marked wrong)
    corrected_cells: int = 0  # cells whose counted copy is a corrected row


def read_tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in TABLES:
        path = out / f"{name}.csv"
        tables[name] = pd.read_csv(path, keep_default_na=False, dtype=str) if path.exists() else pd.DataFrame()
    return tables


def _column(frame: pd.DataFrame, name: str, default: str = "") -> pd.Series:
    return frame[name].astype(str) if name in frame else pd.Series(default, index=frame.index, dtype=str)


def _truth(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.lower().isin(["true", "1", "yes"])


def state_of(verdict: str, caveat: bool) -> str:
    if verdict == Verdict.fail.value:
        return FAIL
    if verdict == Verdict.pass_.value:
        return CAVEAT if caveat else PASS
    return NOT_ASSESSED


def load(out: Path) -> Run:
    """The folder's tables, its cells and the account of what was left out."""
    tables = read_tables(out)
    current = series()
    documents, findings = tables["documents"], tables["findings"]
    kinds = dict(zip(_column(documents, "doc_id"), _column(documents, "kind"))) if len(documents) else {}
    rows = findings.copy() if len(findings) else pd.DataFrame(columns=["doc_id", "gemeente", "aanpak", "year",
                                                                       "indicator_id", "verdict"])
    rows["kind"] = _column(rows, "doc_id").map(kinds).fillna("")
    rows["source"] = rows["kind"].map(SOURCE_OF_KIND).fillna("")
    rows["gkey"] = _column(rows, "gemeente").map(gemeente_key)
    rows["akey"] = _column(rows, "aanpak").map(name_key)
    rows["year"] = pd.to_numeric(_column(rows, "year"), errors="coerce").astype("Int64")
    rows["verdict"] = _column(rows, "verdict").where(_column(rows, "verdict").isin([v.value for v in Verdict]), "")
    rows["caveat"] = _truth(_column(rows, "caveat"))
    rows["corrected"] = _truth(_column(rows, "corrected"))
    rows["review"] = _column(rows, "review").str.strip().str.lower()
    rows["method"] = _column(rows, "method")
    run = Run(documents, rows, pd.DataFrame(), pd.DataFrame(), tables["national_figures"], current.assessed_year,
              current.followup_year)
    usable = _usable(rows, run)
    sheets = usable[usable.source == FACTSHEETS].drop_duplicates(["gkey", "akey"])
    run.units = sheets[["gemeente", "aanpak", "gkey", "akey"]].reset_index(drop=True)
    wrong = usable.review == "wrong"
    run.wrong_rows = int(wrong.sum())
    kept = usable[~wrong]
    run.corrected_rows = int(kept.corrected.sum())
    run.cells = _cells(kept)
    wrong_keys = set(map(tuple, usable.loc[wrong, KEY].astype(str).values))
    run.wrong_still_counted = len(wrong_keys & set(map(tuple, run.cells[KEY].astype(str).values)))
    run.corrected_cells = int(run.cells.corrected.sum())
    run.copies = _copy_groups(kept, documents)
    duplicates = len(kept) - len(run.cells)
    if duplicates:
        run.left_out.append(LeftOut("rows counted once", duplicates, "copies of a cell another document in the run "
                                    "already gives (a scan and its born-digital copy of the same gemeente, aanpak "
                                    "and year count once)"))
    _account_documents(run)
    return run


def _usable(rows: pd.DataFrame, run: Run) -> pd.DataFrame:
    """The rows the statistics can place: of a factsheet or follow-up, with a framework indicator and a year the
    document kind assesses; the others are counted in ``run.left_out``."""
    ids = {i.indicator_id: i for i in framework.indicators()}
    checks = [
        (rows.source == "", "rows of documents that are neither factsheet nor follow-up"),
        (~rows.indicator_id.isin(ids), "rows whose indicator is not one of the framework"),
        ((rows.source == FACTSHEETS) & (rows.year != run.assessed_year),
         f"factsheet rows of another year than {run.assessed_year}"),
        ((rows.source == FOLLOWUPS) & ~rows.year.isin([run.assessed_year, run.followup_year]),
         f"follow-up rows of another year than {run.assessed_year} or {run.followup_year}"),
    ]
    dropped = pd.Series(False, index=rows.index)
    for mask, what in checks:
        mask = mask.fillna(True) & ~dropped
        if mask.any():
            run.left_out.append(LeftOut(what, int(mask.sum()), "they cannot be placed in a table"))
        dropped |= mask
    usable = rows[~dropped].copy()
    usable["year"] = usable.year.astype(int)
    usable["theme"] = usable.indicator_id.map(lambda i: ids[i].theme)
    return usable


def _cells(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per cell: the copy a reviewer stood behind (marked right, or corrected), else one with a verdict, else
    a text layer's, else the first."""
    columns = ["source", "gemeente", "aanpak", "year", "indicator_id", "theme", "verdict", "caveat", "state",
               "corrected", "review", "finding_id", "copies", "files", "gkey", "akey"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rank = (-(rows.review == "right").astype(int) * 8 - rows.corrected.astype(int) * 4
            - (rows.verdict != "").astype(int) * 2 - (rows.method == Method.text.value).astype(int))
    ranked = rows.assign(_rank=rank.values, _order=range(len(rows))).sort_values(["_rank", "_order"], kind="stable")
    grouped = ranked.groupby(KEY, sort=False)
    cells = ranked.drop_duplicates(KEY).copy()
    sizes = grouped.size()
    files = grouped["source_file"].agg(lambda s: "; ".join(sorted(set(s)))) if "source_file" in ranked else None
    keys = list(zip(*(cells[k] for k in KEY)))
    cells["copies"] = [int(sizes[k]) for k in keys]
    cells["files"] = [files[k] for k in keys] if files is not None else ""
    names = rows.drop_duplicates("gkey").set_index("gkey").gemeente
    aanpakken = rows.drop_duplicates(["gkey", "akey"]).set_index(["gkey", "akey"]).aanpak
    cells["gemeente"] = cells.gkey.map(names)
    cells["aanpak"] = [aanpakken[g, a] for g, a in zip(cells.gkey, cells.akey)]
    cells["state"] = [state_of(v, c) for v, c in zip(cells.verdict, cells.caveat)]
    cells["finding_id"] = _column(cells, "finding_id")
    order = {i.indicator_id: n for n, i in enumerate(framework.indicators())}
    cells = cells.assign(_i=cells.indicator_id.map(order)).sort_values(["source", "gemeente", "year", "aanpak", "_i"])
    return cells[columns].reset_index(drop=True)


def _copy_groups(rows: pd.DataFrame, documents: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """The documents that hold the same cells, each group as (what it covers, its files): what was counted once."""
    if rows.empty or "source_file" not in rows:
        return []
    groups: dict[tuple, tuple[str, set[str]]] = {}
    for doc_id, part in rows.groupby("doc_id", sort=False):
        first = part.iloc[0]
        covers = tuple(sorted(set(zip(part.akey, part.year))))
        key = (first.source, first.gkey, covers)
        names = sorted({f"{a} {y}" for a, y in zip(part.aanpak, part.year)}, key=lambda s: s[-4:])
        what = f"{first.gemeente} ({first.source[:-1]}: {', '.join(names)})"
        groups.setdefault(key, (what, set()))[1].add(str(first.source_file))
    return [(what, sorted(files)) for what, files in groups.values() if len(files) > 1]


def _account_documents(run: Run) -> None:
    docs = run.documents
    if docs.empty:
        return
    status, kind = _column(docs, "status"), _column(docs, "kind")
    for name in ("failed", "skipped"):
        count = int((status == name).sum())
        if count:
            run.left_out.append(LeftOut(f"documents {name}", count, "no rows to count (documents.csv says why)"))
    partial = int((status == "partial").sum())
    if partial:
        run.left_out.append(LeftOut("documents partial", partial, "their rows count, but some indicators may be "
                                    "missing: they show as not assessed"))
    unknown = int((kind == Kind.unknown.value).sum())
    if unknown:
        run.left_out.append(LeftOut("documents of unknown kind", unknown, "neither factsheet, follow-up nor report"))


def assessed_cells(cells: pd.DataFrame) -> pd.DataFrame:
    return cells[cells.verdict != ""]
