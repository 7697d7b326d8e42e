"""The national report's figures beside the run's own rates of the same year.

Which year a national figure is about is data, not code: the series description's ``report.figures_year`` (STJ: the
2014 national report counts what the 2013 assessment of 30 aanpakken found, so 2013). A figure is set beside the
run's pass rate of that indicator in that year from the factsheets only, each with its n: the national n is the
sentence's total ("24 van de 30 aanpakken": 30), or, where the sentence gives only a count and a percentage, the
total they imply (marked as derived), else not stated. A statement about what is missing ("... (80%) zijn dergelijke
afspraken niet gemaakt") is turned into a pass rate (20%). The follow-up year has no complete assessment in a run
(follow-ups revisit only the failures), so a report about that year is not set beside any rate; the page says so.
"""

from __future__ import annotations

import pandas as pd

from extract.analysis.stats.cells import FACTSHEETS, LeftOut, Run
from extract.series.description import series

NEGATIVE_WORDS = (" niet ", " geen ", "ontbreek")
NEGATION_WINDOW = 90  # characters after the percentage in which a negation turns the statement around
COLUMNS = ["year", "indicator_id", "national_pass_rate", "national_n", "national_n_note", "national_passing",
           "run_pass_rate", "run_n", "run_source", "turned_around", "page", "sentence"]


def is_negative(sentence: str, percent: float) -> bool:
    """Does the statement count what is missing? Looks at the clause right after the percentage only."""
    lowered = sentence.lower()
    at = lowered.find(f"{percent:g}%")
    clause = f" {lowered[at:at + NEGATION_WINDOW] if at >= 0 else lowered} "
    return any(word in clause for word in NEGATIVE_WORDS)


def _number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def national_n(count: float | None, total: float | None, percent: float | None) -> tuple[int | None, str]:
    """The national n of a figure and how it is known: stated, derived from the count and the percentage, or not
    stated."""
    if total:
        return int(total), "stated"
    if count and percent:
        return int(round(count * 100 / percent)), f"derived: {int(count)} aanpakken are {percent:g}%"
    return None, "not stated"


def n_label(n, note: str) -> str:
    """"n = 30", "n ≈ 30" (derived) or "n not stated"."""
    if n is None or n is pd.NA or n != n:
        return "n not stated"
    return f"n {'≈' if str(note).startswith('derived') else '='} {int(n)}"


def national_vs_run(run: Run, indicator_rates: pd.DataFrame) -> tuple[pd.DataFrame, list[LeftOut]]:
    """Each national figure that maps onto an indicator, beside the run's rate of the same year; and what was left
    out."""
    figures, left = run.national, []
    if figures.empty or "indicator_id" not in figures:
        return pd.DataFrame(columns=COLUMNS), [LeftOut("national figures", 0, "the run holds no national report")]
    mapped = figures[figures.indicator_id.astype(str).str.strip() != ""]
    if len(mapped) < len(figures):
        left.append(LeftOut("national figures without an indicator", len(figures) - len(mapped),
                            "their topic maps onto no indicator of the framework (listed in national_figures.csv)"))
    year = series().figures_year
    if year is None:
        left.append(LeftOut("national figures", len(mapped), "the series description does not say which year they "
                            "are about (report.figures_year), so they are set beside no rate"))
        return pd.DataFrame(columns=COLUMNS), left
    if year != run.assessed_year:
        left.append(LeftOut(f"national figures about {year}", len(mapped), f"the run has no complete assessment of "
                            f"{year}: follow-ups revisit only the {run.assessed_year} failures"))
        return pd.DataFrame(columns=COLUMNS), left
    rates = indicator_rates.set_index("indicator_id")
    rows = []
    for f in mapped.itertuples():
        percent = _number(f.percent)
        if percent is None or f.indicator_id not in rates.index:
            left.append(LeftOut("national figure without a percentage", 1, str(f.sentence)[:120]))
            continue
        negative = is_negative(str(f.sentence), percent)
        count, total = _number(getattr(f, "n", None)), _number(getattr(f, "total", None))
        n, note = national_n(count, total, percent)
        passing = None if count is None else (int(total - count) if negative and total else
                                              None if negative else int(count))
        rows.append({"year": year, "indicator_id": f.indicator_id,
                     "national_pass_rate": round(1 - percent / 100 if negative else percent / 100, 4),
                     "national_n": n, "national_n_note": note, "national_passing": passing,
                     "run_pass_rate": rates.loc[f.indicator_id, "pass_rate"],
                     "run_n": int(rates.loc[f.indicator_id, "n"]), "run_source": FACTSHEETS,
                     "turned_around": negative, "page": f.page, "sentence": f.sentence})
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["national_n"] = table.national_n.astype("Int64")
    table["national_passing"] = table.national_passing.astype("Int64")
    return table, left
