"""The statistics' plots (matplotlib, PNG). Colours are Okabe-Ito's, told apart by red-green colour-blind readers,
and wherever a colour carries meaning a second encoding carries it too: a glyph in each cell of the verdict grid
(✓ pass, ! pass with a caveat, ✗ fail, – not assessed, · not listed), a glyph and a hatch on each change, a hatch
on the national bars. Every title names the year, the source and n; a rate with n = 0 is written "not assessed",
never drawn as 0%. Legends sit below the axes, clear of the bars.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import ListedColormap  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from extract.analysis.stats.cells import CAVEAT, FAIL, NOT_ASSESSED, NOT_LISTED, PASS  # noqa: E402
from extract.analysis.stats.national import n_label  # noqa: E402
from extract.analysis.stats.rates import NOT_JUDGED  # noqa: E402
from extract.core.enums import Change  # noqa: E402

BLUE, ORANGE, SKY, VERMILLION, YELLOW, GREY = "#0072B2", "#E69F00", "#56B4E9", "#D55E00", "#F0E442", "#999999"
STATE_STYLE = {PASS: (SKY, "✓"), CAVEAT: (YELLOW, "!"), FAIL: (ORANGE, "✗"), NOT_ASSESSED: ("#EEEEEE", "–"),
               NOT_LISTED: ("#FFFFFF", "·")}
CHANGE_STYLE = {Change.resolved.value: (SKY, "", "✓"), Change.persists.value: (ORANGE, "//", "✗"),
                Change.regressed.value: (VERMILLION, "xx", "!"), Change.maintained.value: ("#DDDDDD", "..", "="),
                NOT_JUDGED: ("#FFFFFF", "", "–")}
DPI = 110


def _save(fig, path: Path) -> None:
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def _percent(value) -> str:
    return f"{value * 100:.0f}%"


def plot_rates(table: pd.DataFrame, key: str, rate: str, path: Path, title: str, ylabel: str) -> None:
    """Bars of ``rate`` per ``key`` with n over each bar; a key with n = 0 gets the words "not assessed"."""
    wide = key == "indicator_id" or len(table) > 8
    fig, ax = plt.subplots(figsize=(12 if wide else 7, 4.2))
    x = np.arange(len(table))
    values = table[rate].astype(float)
    ax.bar(x[values.notna()], values[values.notna()] * 100, color=BLUE, edgecolor="#003b5c", width=0.7)
    for i, (value, n) in enumerate(zip(values, table.n.astype(int))):
        if pd.isna(value):
            ax.text(i, 2, NOT_ASSESSED, rotation=90, ha="center", va="bottom", fontsize=7, color="#555555")
        else:
            ax.text(i, value * 100 + 1.5, f"{value * 100:.0f}%\nn={n}", ha="center", va="bottom", fontsize=6.5)
    ax.set_xticks(x, table[key].astype(str), rotation=90 if wide and key != "indicator_id" else 0,
                  fontsize=7 if key == "indicator_id" else 8)
    ax.set_ylim(0, 118)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    _save(fig, path)


def plot_grid(grid: pd.DataFrame, path: Path) -> None:
    """The verdict grid: a coloured cell with its glyph for each (row, indicator)."""
    ids = [c for c in grid.columns if str(c).startswith("I") and str(c)[1:].isdigit()]
    states = list(STATE_STYLE)
    labels = [f"{g} · {a} · {y} ({s})" for s, g, a, y in zip(grid.source, grid.gemeente, grid.aanpak, grid.year)]
    values = np.array([[states.index(v) for v in row] for row in grid[ids].values]) if len(grid) else \
        np.full((1, len(ids)), states.index(NOT_ASSESSED))
    labels = labels or ["(no findings)"]
    fig, ax = plt.subplots(figsize=(13, 1.6 + 0.42 * len(labels)))
    ax.imshow(values, cmap=ListedColormap([STATE_STYLE[s][0] for s in states]), vmin=0, vmax=len(states) - 1,
              aspect="auto")
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            ax.text(c, r, STATE_STYLE[states[v]][1], ha="center", va="center", fontsize=9, color="#111111")
    ax.set_xticks(range(len(ids)), ids, rotation=90, fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.set_xticks(np.arange(-0.5, len(ids)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(labels)), minor=True)
    ax.grid(which="minor", color="#ffffff", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    handles = [Patch(facecolor=STATE_STYLE[s][0], edgecolor="#777777", label=f"{STATE_STYLE[s][1]} {s}")
               for s in states]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(states), fontsize=8,
              frameon=False)
    ax.set_title("Verdict per indicator, every document kind (each row names its source and year)", fontsize=9,
                 pad=26)
    _save(fig, path)


def plot_changes(changes: pd.DataFrame, path: Path, title: str) -> None:
    """Per gemeente, one segment per earlier cell a follow-up lists, labelled with its indicator and coloured,
    hatched and marked by what happened to it."""
    gemeenten = sorted(set(changes.gemeente), key=str.lower)
    kinds = list(CHANGE_STYLE)
    widest = max((len(changes[changes.gemeente == g]) for g in gemeenten), default=1)
    fig, ax = plt.subplots(figsize=(max(8, 0.55 * widest + 3), 1.8 + 0.7 * max(1, len(gemeenten))))
    for row, gemeente in enumerate(gemeenten):
        mine = changes[changes.gemeente == gemeente]
        mine = mine.assign(_k=mine.change.map(kinds.index)).sort_values(["_k", "indicator_id"])
        for left, item in enumerate(mine.itertuples()):
            colour, hatch, glyph = CHANGE_STYLE.get(item.change, CHANGE_STYLE[NOT_JUDGED])
            ax.barh(row, 1, left=left, color=colour, hatch=hatch, edgecolor="#333333", linewidth=0.6, height=0.7)
            ax.text(left + 0.5, row, f"{glyph}\n{item.indicator_id}", ha="center", va="center", fontsize=7,
                    color="#111111", bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})
    ax.set_yticks(range(len(gemeenten)), gemeenten, fontsize=8)
    ax.set_ylim(len(gemeenten) - 0.5, -0.5)
    ax.set_xlim(0, widest)
    ax.set_xlabel("cells of the earlier year a follow-up lists (one segment each, its indicator written in it)",
                  fontsize=8)
    ax.set_title(title, fontsize=9, pad=26)
    present = [k for k in kinds if k in set(changes.change)] or kinds[:2]
    handles = [Patch(facecolor=CHANGE_STYLE[k][0], hatch=CHANGE_STYLE[k][1], edgecolor="#333333",
                     label=f"{CHANGE_STYLE[k][2]} {k}") for k in present]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(handles), fontsize=8,
              frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    _save(fig, path)


def plot_national(table: pd.DataFrame, path: Path, title: str) -> None:
    """National pass rate (orange, hatched) beside the run's (blue), each bar with its n; a run rate with n = 0 is
    written "not assessed"."""
    fig, ax = plt.subplots(figsize=(max(7, 1.1 * len(table) + 2), 4.4))
    x = np.arange(len(table))
    national = table.national_pass_rate.astype(float)
    ax.bar(x - 0.2, national * 100, 0.4, color=ORANGE, hatch="//", edgecolor="#7a5200", label="national report")
    run = table.run_pass_rate.astype(float)
    ax.bar((x + 0.2)[run.notna()], run[run.notna()] * 100, 0.4, color=BLUE, edgecolor="#003b5c", label="this run")
    for i, row in enumerate(table.itertuples()):
        n = n_label(row.national_n, row.national_n_note).replace(" ", "").replace("notstated", " not\nstated")
        ax.text(i - 0.2, national.iloc[i] * 100 + 1.5, f"{_percent(national.iloc[i])}\n{n}", ha="center",
                va="bottom", fontsize=6.5)
        if pd.isna(run.iloc[i]):
            ax.text(i + 0.2, 2, NOT_ASSESSED, rotation=90, ha="center", va="bottom", fontsize=7, color="#555555")
        else:
            ax.text(i + 0.2, run.iloc[i] * 100 + 1.5, f"{_percent(run.iloc[i])}\nn={row.run_n}", ha="center",
                    va="bottom", fontsize=6.5)
    ax.set_xticks(x, table.indicator_id)
    ax.set_ylim(0, 122)
    ax.set_ylabel("pass rate (%)")
    ax.set_title(title, fontsize=9)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    _save(fig, path)
