"""Corrections that survive re-runs: reviewers' fixes (``review.csv`` from the audit page, or a ``corrections.csv``
in the output folder) applied to the findings of every run, keyed by the stable ``finding_id``.

The dataset's own ``corrections.csv`` is that ledger: every correction ever given, with ``applied`` and ``reason``;
as it is read again on the next run into the same folder, a correction given once keeps being applied.
A correction row: ``finding_id``, ``field``, ``value``, ``reviewer``, ``note``. ``field`` is a findings column a
reviewer may change (``EDITABLE``), ``review`` with value ``right`` or ``wrong``, or ``note`` (a note on its own,
value empty). Corrected rows say so in
``corrected``; every correction is listed in the ``corrections`` table with ``applied`` and, when it could not be
applied (its row no longer exists, an unknown field or value), the reason: nothing is dropped silently.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from extract.core.errors import StjError
from extract.series import framework
from extract.series.description import series

if TYPE_CHECKING:  # pandas is imported where a table is first made, not with this module (start-up)
    import pandas as pd

log = logging.getLogger(__name__)

EDITABLE = {"verdict", "caveat", "caveat_text", "indicator_id", "aanpak", "year", "gemeente", "finding"}
REVIEW_VALUES = {"right", "wrong"}
COLUMNS = ["finding_id", "field", "value", "reviewer", "note"]


class CorrectionsFileError(StjError):
    """The corrections file cannot be read; it needs the columns finding_id, field, value, reviewer, note."""

    exit_code = 2


@dataclass
class Correction:
    finding_id: str
    field: str
    value: str
    reviewer: str = ""
    note: str = ""
    source: str = ""
    applied: bool = False
    reason: str = ""


def load(paths: list[Path]) -> list[Correction]:
    """Corrections from the given files, in order; a correction repeated in a later file is kept once."""
    corrections = []
    seen: set[tuple[str, str, str, str, str]] = set()
    for path in paths:
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = {"finding_id", "field", "value"} - set(reader.fieldnames or [])
                if missing:
                    raise CorrectionsFileError(f"{path}: the corrections file lacks the column(s) "
                                               f"{', '.join(sorted(missing))}")
                for row in reader:
                    item = Correction(row["finding_id"].strip(), row["field"].strip(), row["value"],
                                      row.get("reviewer") or "", row.get("note") or "", row.get("source") or path.name)
                    key = (item.finding_id, item.field, item.value, item.reviewer, item.note)
                    if key not in seen:
                        seen.add(key)
                        corrections.append(item)
        except OSError as exc:
            raise CorrectionsFileError(f"{path}: cannot read the corrections file ({exc.strerror})") from exc
    return corrections


def apply(findings: pd.DataFrame, corrections: list[Correction]) -> pd.DataFrame:
    """The findings with every applicable correction applied (later corrections of a field win)."""
    findings = findings.copy()
    findings["corrected"] = False
    findings["review"] = ""
    findings["correction_note"] = ""
    index = {fid: i for i, fid in enumerate(findings["finding_id"])}
    for correction in corrections:
        row = index.get(correction.finding_id)
        if row is None:
            correction.reason = "no finding with this finding_id in this run (the row no longer exists)"
        else:
            correction.reason = _apply_one(findings, row, correction)
        correction.applied = not correction.reason
        if correction.reason:
            log.warning("correction of %s.%s not applied: %s", correction.finding_id, correction.field,
                        correction.reason)
    return findings


def _apply_one(findings: pd.DataFrame, row: int, c: Correction) -> str:
    label = findings.index[row]
    if c.field == "review":
        if c.value not in REVIEW_VALUES:
            return f"review must be right or wrong, not {c.value!r}"
        findings.at[label, "review"] = c.value
    elif c.field == "note":
        pass  # a note on its own: only the correction_note below
    elif c.field not in EDITABLE:
        return f"{c.field!r} cannot be corrected (editable: review, note, {', '.join(sorted(EDITABLE))})"
    else:
        problem = _set(findings, label, c.field, c.value)
        if problem:
            return problem
        findings.at[label, "corrected"] = True
    note = " ".join(filter(None, [c.reviewer and f"[{c.reviewer}]", c.note]))
    if note:
        previous = findings.at[label, "correction_note"]
        findings.at[label, "correction_note"] = f"{previous}; {note}" if previous else note
    return ""


def _set(findings: pd.DataFrame, label, field: str, value: str) -> str:
    if field == "verdict" and value not in ("pass", "fail"):
        return f"verdict must be pass or fail, not {value!r}"
    if field == "caveat":
        if value.lower() not in ("true", "false"):
            return f"caveat must be true or false, not {value!r}"
        findings.at[label, field] = value.lower() == "true"
        return ""
    if field == "year":
        current = series()
        if value not in (str(current.assessed_year), str(current.followup_year)):
            return f"year must be {current.assessed_year} or {current.followup_year}, not {value!r}"
        findings.at[label, field] = int(value)
        return ""
    if field == "indicator_id":
        try:
            ind = framework.by_id(value)
        except KeyError:
            ids = framework.indicators()
            return f"{value!r} is not an indicator of the framework ({ids[0].indicator_id}-{ids[-1].indicator_id})"
        for column, new in (("indicator", ind.text), ("theme", ind.theme), ("criterion", ind.criterion)):
            findings.at[label, column] = new
    findings.at[label, field] = value
    return ""


def table(corrections: list[Correction]) -> list[dict]:
    return [{"finding_id": c.finding_id, "field": c.field, "value": c.value, "reviewer": c.reviewer,
             "note": c.note, "source": c.source, "applied": c.applied, "reason": c.reason} for c in corrections]
