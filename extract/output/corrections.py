"""Corrections that survive re-runs: reviewers' fixes (``review.csv`` from the audit page, or a ``corrections.csv``
in the output folder) applied to the findings of every run, keyed by the stable ``finding_id``.

The dataset's own ``corrections.csv`` is that ledger: every correction ever given, with ``applied``, ``conflict`` and
``reason``; as it is read again on the next run into the same folder, a correction given once keeps being applied.
A correction row: ``finding_id``, ``field``, ``value``, ``reviewer``, ``note``. ``field`` is a findings column a
reviewer may change (``EDITABLE``), ``review`` with value ``right`` or ``wrong``, or ``note`` (a note on its own,
value empty). Corrected rows say so in ``corrected``; every correction is listed in the ``corrections`` table with
``applied`` and, when it was not applied, the reason: nothing is dropped silently.

Order and reviewers. Corrections keep their order: the ledger first, then the ``--corrections`` files in the order
given, each file's lines in order (a line repeated word for word takes the place of its latest repetition). Each
reviewer (the ``reviewer`` column; an empty one is a reviewer of its own) has one value per field of a finding: the
latest they gave. A reviewer's earlier, different value is *superseded* (not applied, and its reason says by what);
this is never a conflict. When the latest values of two or more reviewers for the same field of the same finding
differ (``review`` right against wrong included), that is a *conflict*: neither is applied, the row keeps its
extracted value, and every correction of that field of that finding is listed with ``applied`` false, ``conflict``
true and a reason naming each reviewer's value ("conflict: anna says fail, ben says pass; neither applied"). A
conflict is resolved when a reviewer's latest value changes to agree with the others' (a later sitting or file):
from that run on the agreed value is applied and the conflict is gone. Reviewers who agree are applied. A ``note``
never conflicts: every note is kept. ``conflicted_findings`` reads the unresolved conflicts back from an output folder.

A corrected verdict keeps the row's marker consistent: ``marker`` becomes the series' marker for the verdict
(``markers.canonical`` of the series description) and so does the marker that opens ``finding``.
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
LEDGER = "corrections.csv"  # the output folder's ledger: the dataset's corrections table, read again every run
NO_ROW = "no finding with this finding_id in this run (the row no longer exists)"


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
    conflict: bool = False  # another reviewer's latest value of the same field differs: neither is applied
    superseded: bool = False  # the same reviewer gave a different value later (not a table column: see reason)


def load(paths: list[Path]) -> list[Correction]:
    """Corrections from the given files, in order; a correction repeated word for word (finding, field, value,
    reviewer and note) is kept once, at the place of its latest repetition (so that a reviewer who changes a value
    and then changes it back ends with the value given last)."""
    kept: dict[tuple[str, str, str, str, str], Correction] = {}
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
                                      (row.get("reviewer") or "").strip(), row.get("note") or "",
                                      row.get("source") or path.name)
                    key = (item.finding_id, item.field, item.value, item.reviewer, item.note)
                    kept.pop(key, None)
                    kept[key] = item
        except OSError as exc:
            raise CorrectionsFileError(f"{path}: cannot read the corrections file ({exc.strerror})") from exc
    return list(kept.values())


def apply(findings: pd.DataFrame, corrections: list[Correction]) -> pd.DataFrame:
    """The findings with every applicable correction applied; sets each correction's ``applied``, ``conflict`` and
    ``reason`` (see the module's docstring for superseded values and conflicts between reviewers)."""
    findings = findings.copy()
    findings["corrected"] = False
    findings["review"] = ""
    findings["correction_note"] = ""
    index = {fid: i for i, fid in enumerate(findings["finding_id"])}
    valid = []
    for correction in corrections:
        correction.applied = correction.conflict = correction.superseded = False
        correction.reason = NO_ROW if correction.finding_id not in index else _problem(correction)
        if correction.reason:
            log.warning("correction of %s.%s not applied: %s", correction.finding_id, correction.field,
                        correction.reason)
        else:
            valid.append(correction)
    for line in settle(valid):
        log.warning("%s", line)
    remarked: dict[int, str] = {}
    for correction in valid:
        if not correction.reason:
            row = index[correction.finding_id]
            if correction.field == "verdict":
                old = findings["marker"].iloc[row] if "marker" in findings else ""
                remarked.setdefault(row, old if isinstance(old, str) else "")
            _apply_one(findings, row, correction)
            correction.applied = True
    for row, old in remarked.items():
        _remark(findings, row, old)
    return findings


def settle(corrections: list[Correction]) -> list[str]:
    """Marks, among valid corrections in their order, the superseded ones and those in conflict (their ``reason``);
    returns one line per conflicting field of a finding."""
    groups: dict[tuple[str, str], list[Correction]] = {}
    for c in corrections:
        if c.field != "note":
            groups.setdefault((c.finding_id, c.field), []).append(c)
    lines = []
    for (finding_id, field), group in groups.items():
        latest = {c.reviewer: c for c in group}  # each reviewer's last; reviewers in the order they first appear
        values = {_normal(c) for c in latest.values()}
        if len(values) > 1:
            reason = "conflict: " + ", ".join(f"{_who(r)} says {_shown(c.value)}" for r, c in latest.items()) + \
                "; neither applied"
            for c in group:
                c.conflict, c.reason = True, reason
            lines.append(f"correction {finding_id} {field}: {reason}")
            continue
        for c in group:
            if _normal(c) not in values:
                c.superseded = True
                c.reason = (f"superseded by {_who(c.reviewer)}'s later correction "
                            f"({_shown(latest[c.reviewer].value)})")
    return lines


def messages(corrections: list[Correction]) -> list[str]:
    """What a run reports about its corrections, one line each: every correction not applied, except a superseded
    one (a reviewer changed their mind), and one line per conflicting field of a finding (not one per correction)."""
    lines, conflicts = [], set()
    for c in corrections:
        if c.conflict:
            if (c.finding_id, c.field) not in conflicts:
                conflicts.add((c.finding_id, c.field))
                lines.append(f"correction {c.finding_id} {c.field}: {c.reason}")
        elif not c.applied and not c.superseded:
            lines.append(f"correction {c.finding_id} {c.field}={c.value!r} ({c.source}) not applied: {c.reason}")
    return lines


def conflicted_findings(out: Path) -> set[str]:
    """The finding_ids with an unresolved conflict between reviewers in ``out``'s ledger (``corrections.csv``), as
    the run that wrote it found them; a ledger without a ``conflict`` column (a review file saved there by hand) is
    judged here by the same rule, every value checked but not whether its row exists. Empty without a ledger."""
    path = out / LEDGER
    if not path.exists():
        return set()
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if "conflict" in (reader.fieldnames or []):
            return {row["finding_id"].strip() for row in reader if (row["conflict"] or "").lower() == "true"}
    valid = [c for c in load([path]) if not _problem(c)]
    settle(valid)
    return {c.finding_id for c in valid if c.conflict}


def _who(reviewer: str) -> str:
    return reviewer or "(unnamed reviewer)"


def _shown(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    if not value:
        return "''"
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _normal(c: Correction) -> str:
    return c.value.lower() if c.field == "caveat" else c.value


def _problem(c: Correction) -> str:
    """Why this correction cannot be applied to any row, or ''."""
    if c.field == "review":
        return "" if c.value in REVIEW_VALUES else f"review must be right or wrong, not {c.value!r}"
    if c.field == "note":
        return ""
    if c.field not in EDITABLE:
        return f"{c.field!r} cannot be corrected (editable: review, note, {', '.join(sorted(EDITABLE))})"
    if c.field == "verdict" and c.value not in ("pass", "fail"):
        return f"verdict must be pass or fail, not {c.value!r}"
    if c.field == "caveat" and c.value.lower() not in ("true", "false"):
        return f"caveat must be true or false, not {c.value!r}"
    if c.field == "year":
        current = series()
        if c.value not in (str(current.assessed_year), str(current.followup_year)):
            return f"year must be {current.assessed_year} or {current.followup_year}, not {c.value!r}"
    if c.field == "indicator_id":
        try:
            framework.by_id(c.value)
        except KeyError:
            ids = framework.indicators()
            return f"{c.value!r} is not an indicator of the framework ({ids[0].indicator_id}-{ids[-1].indicator_id})"
    return ""


def _apply_one(findings: pd.DataFrame, row: int, c: Correction) -> None:
    label = findings.index[row]
    if c.field == "review":
        findings.at[label, "review"] = c.value
    elif c.field != "note":  # a note on its own: only the correction_note below
        _set(findings, label, c.field, c.value)
        findings.at[label, "corrected"] = True
    note = " ".join(filter(None, [c.reviewer and f"[{c.reviewer}]", c.note]))
    if note:
        previous = findings.at[label, "correction_note"]
        findings.at[label, "correction_note"] = f"{previous}; {note}" if previous else note


def _set(findings: pd.DataFrame, label, field: str, value: str) -> None:
    if field == "caveat":
        findings.at[label, field] = value.lower() == "true"
    elif field == "year":
        findings.at[label, field] = int(value)
    else:
        if field == "indicator_id":
            ind = framework.by_id(value)
            for column, new in (("indicator", ind.text), ("theme", ind.theme), ("criterion", ind.criterion)):
                findings.at[label, column] = new
        findings.at[label, field] = value


def _remark(findings: pd.DataFrame, row: int, old: str) -> None:
    """The marker of a row whose verdict was corrected (``old``: its marker before): the series' marker for the
    verdict, in ``marker`` and at the start of ``finding`` (in place of the old marker, or before the text)."""
    label = findings.index[row]
    glyph = series().canonical_markers[findings.at[label, "verdict"]]
    if "marker" in findings:
        findings.at[label, "marker"] = glyph
    if "finding" in findings:
        text = findings.at[label, "finding"]
        text = text if isinstance(text, str) else ""
        for mark in sorted({old, *series().canonical_markers.values()} - {""}, key=len, reverse=True):
            if text == mark or text.startswith(mark + " "):
                text = text[len(mark):].lstrip()
                break
        findings.at[label, "finding"] = f"{glyph} {text}".strip()


def table(corrections: list[Correction]) -> list[dict]:
    """The rows of the ``corrections`` table (after ``apply``, which decides ``applied``, ``conflict``, ``reason``)."""
    return [{"finding_id": c.finding_id, "field": c.field, "value": c.value, "reviewer": c.reviewer,
             "note": c.note, "source": c.source, "applied": c.applied, "conflict": c.conflict, "reason": c.reason}
            for c in corrections]
