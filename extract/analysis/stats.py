"""Downstream analysis: tables and plots an analyst would otherwise build by hand, in ``OUT/stats/``.

* ``verdict_grid``: gemeente (and aanpak, year) × indicator: pass / fail / caveat / not assessed;
* ``pass_rate_indicator`` and ``pass_rate_theme``: pass rate over all documents in the run;
* ``changes``: 2013 → 2014 changes per follow-up (resolved / persists / regressed / maintained);
* ``national_vs_run``: each mapped national figure beside the run's own pass rate for that indicator.

Each is a CSV and a PNG (matplotlib); ``index.html`` shows them with short captions and says what was left out.
Works on one document as well as on a hundred. Several documents of the same gemeente, aanpak and year (a scan and
its born-digital copy) count once.
"""

from __future__ import annotations

import html
import logging
import shutil
import tempfile
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402

from extract.core.enums import Change, Method, Verdict  # noqa: E402
from extract.core.files import swap_in  # noqa: E402
from extract.series import framework  # noqa: E402
from extract.series.identity import gemeente_key, name_key

matplotlib.use("Agg")


log = logging.getLogger(__name__)

STATES = ["not assessed", Verdict.pass_.value, "caveat", Verdict.fail.value]
CHANGES = [c.value for c in Change]  # resolved, persists, regressed, maintained
COLOURS = ["#e0e0e0", "#4caf50", "#ffb300", "#e53935"]
NEGATIVE_WORDS = (" niet ", " geen ", "ontbreek")
NEGATION_WINDOW = 90  # characters after the percentage in which a negation turns the statement around


def load(out: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name in ("documents", "findings", "links", "national_figures"):
        path = out / f"{name}.csv"
        tables[name] = pd.read_csv(path, keep_default_na=False) if path.exists() else pd.DataFrame()
    return tables


def unique_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """One row per gemeente, aanpak, year and indicator (a scan and its born-digital copy count once)."""
    if findings.empty:
        return findings
    ranked = findings.assign(_text=findings.method == Method.text.value, _gemeente=findings.gemeente.map(gemeente_key),
                             _aanpak=findings.aanpak.map(name_key)).sort_values("_text", ascending=False, kind="stable")
    unique = ranked.drop_duplicates(["_gemeente", "_aanpak", "year", "indicator_id"])
    return unique.drop(columns=["_text", "_gemeente", "_aanpak"])


def state(row) -> str:
    if row.verdict == Verdict.fail:
        return Verdict.fail.value
    if row.verdict == Verdict.pass_:
        return "caveat" if str(row.caveat) == "True" else Verdict.pass_.value
    return "not assessed"


def verdict_grid(findings: pd.DataFrame) -> pd.DataFrame:
    ids = [i.indicator_id for i in framework.indicators()]
    if findings.empty:
        return pd.DataFrame(columns=["gemeente", "aanpak", "year", *ids])
    data = findings.assign(state=[state(r) for r in findings.itertuples()])
    grid = data.pivot_table(index=["gemeente", "aanpak", "year"], columns="indicator_id", values="state",
                            aggfunc="first").reindex(columns=ids).fillna("not assessed")
    return grid.reset_index()


def pass_rates(findings: pd.DataFrame, by: str) -> pd.DataFrame:
    keys = ([i.indicator_id for i in framework.indicators()] if by == "indicator_id" else framework.themes())
    if findings.empty:
        counts = pd.DataFrame(index=keys)
    else:
        judged = findings[findings.verdict.isin([v.value for v in Verdict])]
        counts = judged.groupby(by).verdict.value_counts().unstack(fill_value=0).reindex(keys, fill_value=0)
    passed = counts.get(Verdict.pass_.value, pd.Series(0, index=keys)).astype(int)
    failed = counts.get(Verdict.fail.value, pd.Series(0, index=keys)).astype(int)
    assessed = passed + failed
    rate = (passed / assessed.replace(0, np.nan)).round(4)
    return pd.DataFrame({by: keys, "pass": passed.values, "fail": failed.values, "assessed": assessed.values,
                         "pass_rate": rate.values})


def changes(links: pd.DataFrame) -> pd.DataFrame:
    kinds = CHANGES
    if links.empty:
        return pd.DataFrame(columns=["followup_doc_id", "gemeente", *kinds])
    keyed = links.assign(_g=links.gemeente.map(gemeente_key), _a=links.aanpak_2013.map(name_key),
                         _b=links.aanpak_2014.map(name_key))
    unique = keyed.drop_duplicates(["_g", "indicator_id", "_a", "_b"])
    table = unique.groupby(["gemeente"]).change.value_counts().unstack(fill_value=0).reindex(columns=kinds,
                                                                                             fill_value=0)
    return table.reset_index()


def national_vs_run(figures: pd.DataFrame, indicator_rates: pd.DataFrame) -> pd.DataFrame:
    columns = ["indicator_id", "national_pass_rate", "run_pass_rate", "run_assessed", "page", "sentence"]
    if figures.empty:
        return pd.DataFrame(columns=columns)
    mapped = figures[figures.indicator_id != ""]
    rates = indicator_rates.set_index("indicator_id")
    rows = []
    for f in mapped.itertuples():
        share = float(f.percent) / 100
        national = 1 - share if is_negative(str(f.sentence), float(f.percent)) else share
        rows.append({"indicator_id": f.indicator_id, "national_pass_rate": round(national, 4),
                     "run_pass_rate": rates.loc[f.indicator_id, "pass_rate"],
                     "run_assessed": int(rates.loc[f.indicator_id, "assessed"]), "page": f.page,
                     "sentence": f.sentence})
    return pd.DataFrame(rows, columns=columns)


def is_negative(sentence: str, percent: float) -> bool:
    """Does the statement count what is missing ("... (80%) zijn dergelijke afspraken niet gemaakt")? Looks at the
    clause right after the percentage only."""
    lowered = sentence.lower()
    at = lowered.find(f"{percent:g}%")
    clause = f" {lowered[at:at + NEGATION_WINDOW] if at >= 0 else lowered} "
    return any(word in clause for word in NEGATIVE_WORDS)


# ---------------------------------------------------------------- plots


def plot_grid(grid: pd.DataFrame, path: Path) -> None:
    ids = [c for c in grid.columns if c.startswith("I")]
    labels = [f"{g} · {a} · {y}" for g, a, y in zip(grid.gemeente, grid.aanpak, grid.year)] or ["(no findings)"]
    values = np.array([[STATES.index(v) for v in row] for row in grid[ids].values]) if len(grid) else \
        np.zeros((1, len(ids)), int)
    fig, ax = plt.subplots(figsize=(12, 1.2 + 0.45 * len(labels)))
    ax.imshow(values, cmap=ListedColormap(COLOURS), vmin=0, vmax=3, aspect="auto")
    ax.set_xticks(range(len(ids)), ids, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in COLOURS]
    ax.legend(handles, STATES, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=4, fontsize=8, frameon=False)
    ax.set_title("Verdict per indicator")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_rates(rates: pd.DataFrame, key: str, path: Path, title: str) -> None:
    fig, ax = plt.subplots(figsize=(12 if key == "indicator_id" else 7, 4))
    values = rates.pass_rate.fillna(0).values * 100
    bars = ax.bar(rates[key].astype(str), values, color="#1e88e5")
    for bar, assessed in zip(bars, rates.assessed):
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1, f"n={assessed}", ha="center", fontsize=7)
    ax.set_ylim(0, 110)
    ax.set_ylabel("pass rate (%)")
    ax.set_title(title)
    ax.tick_params(axis="x", rotation=90 if key == "indicator_id" else 0, labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_changes(table: pd.DataFrame, path: Path) -> None:
    kinds = CHANGES
    colours = ["#4caf50", "#e53935", "#8e24aa", "#90a4ae"]
    fig, ax = plt.subplots(figsize=(7, 1.5 + 0.5 * max(1, len(table))))
    left = np.zeros(len(table))
    for kind, colour in zip(kinds, colours):
        values = table[kind].astype(int).values if len(table) else np.array([])
        ax.barh(table.gemeente.astype(str), values, left=left, color=colour, label=kind)
        left = left + values
    ax.set_xlabel("indicators")
    ax.set_title("2013 → 2014 per follow-up")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_national(table: pd.DataFrame, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 4))
    x = np.arange(len(table))
    ax.bar(x - 0.2, table.national_pass_rate.astype(float) * 100, 0.4, label="national report", color="#546e7a")
    ax.bar(x + 0.2, table.run_pass_rate.astype(float).fillna(0) * 100, 0.4, label="this run", color="#1e88e5")
    ax.set_xticks(x, table.indicator_id)
    ax.set_ylim(0, 110)
    ax.set_ylabel("pass rate (%)")
    ax.set_title("National figures beside this run")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- the folder


def build_stats(out: Path) -> Path:
    """Write ``out/stats`` (replacing a previous one only when complete). Returns its index.html."""
    tables = load(out)
    findings = unique_findings(tables["findings"])
    staging = Path(tempfile.mkdtemp(prefix=".stj-stats-", dir=out))
    sections, left_out = [], []
    try:
        grid = verdict_grid(findings)
        grid.to_csv(staging / "verdict_grid.csv", index=False)
        plot_grid(grid, staging / "verdict_grid.png")
        sections.append(("verdict_grid", "Verdict per gemeente, aanpak and year for each indicator (I01–I30): "
                                         "pass, pass with a LET OP caveat, fail, or not assessed."))
        by_indicator = pass_rates(findings, "indicator_id")
        by_indicator.to_csv(staging / "pass_rate_indicator.csv", index=False)
        plot_rates(by_indicator, "indicator_id", staging / "pass_rate_indicator.png", "Pass rate per indicator")
        sections.append(("pass_rate_indicator", "Share of assessed findings that pass, per indicator, over every "
                                                "document in the run (n = findings assessed)."))
        by_theme = pass_rates(findings, "theme")
        by_theme.to_csv(staging / "pass_rate_theme.csv", index=False)
        plot_rates(by_theme, "theme", staging / "pass_rate_theme.png", "Pass rate per theme")
        sections.append(("pass_rate_theme", "The same per theme of the toetsingskader."))
        change_table = changes(tables["links"])
        change_table.to_csv(staging / "changes.csv", index=False)
        if len(change_table):
            plot_changes(change_table, staging / "changes.png")
            sections.append(("changes", "What happened to each 2013 verbeterpunt by 2014, per follow-up."))
        else:
            left_out.append("2013 → 2014 changes: the run holds no follow-up")
        national = national_vs_run(tables["national_figures"], by_indicator)
        national.to_csv(staging / "national_vs_run.csv", index=False)
        if len(national):
            plot_national(national, staging / "national_vs_run.png")
            sections.append(("national_vs_run", "National figures that map onto an indicator, as a pass rate "
                                                "(statements about what is missing are turned around), beside "
                                                "this run's own pass rate for that indicator."))
        else:
            left_out.append("national figures: the run holds no national report (or none of its figures maps "
                            "onto an indicator)")
        (staging / "index.html").write_text(stats_html(sections, left_out, tables), encoding="utf-8")
        swap_in(staging, out / "stats")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / "stats" / "index.html"


def stats_html(sections: list[tuple[str, str]], left_out: list[str], tables: dict[str, pd.DataFrame]) -> str:
    documents = tables["documents"]
    count = len(documents)
    parts = [f"<section><h2>{html.escape(name.replace('_', ' '))}</h2><p>{html.escape(caption)}</p>"
             f"<img src='{name}.png' alt='{html.escape(name)}'><p><a href='{name}.csv'>{name}.csv</a></p></section>"
             for name, caption in sections]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in left_out) or "<li>nothing</li>"
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>stj-extract statistics</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1250px;margin:20px auto;color:#1d2330}}
img{{max-width:100%;border:1px solid #dde}} section{{margin-bottom:28px}}</style></head><body>
<h1>Statistics of this run</h1><p>{count} documents, {len(tables['findings'])} findings.</p>
{''.join(parts)}<h2>Left out</h2><ul>{notes}</ul></body></html>"""
