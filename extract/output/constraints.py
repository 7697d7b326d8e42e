"""Stage: constraints. The dataset's constraints (required values, enums, primary and foreign keys) enforced per
document, so that one document's bad rows never cost a batch its dataset.

Every row belongs to one document (``OWNER``: ``doc_id``, or ``followup_doc_id`` for a link). A row that breaks a
constraint is left out, and its document gets a one-line ``Violation`` naming the table, the key and the rows; the
other documents' rows are written as usual. Leaving a parent row out can orphan child rows (a link to a dropped
finding), so the checks repeat until nothing changes. The ``documents`` table itself is never thinned: every input
keeps its row, with the reason in its ``error``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where a table is first made, not with this module (start-up)
    import pandas as pd

log = logging.getLogger(__name__)

OWNER = {"findings": "doc_id", "links": "followup_doc_id", "national_figures": "doc_id", "context": "doc_id",
         "organisations": "doc_id", "conclusions": "doc_id", "aanpakken": "doc_id", "corrections": None}
DESCRIBE = {"findings": ("indicator_id", "year", "aanpak"), "links": ("indicator_id", "aanpak_2013"),
            "aanpakken": ("role", "aanpak"), "conclusions": ("theme",), "context": ("fact",)}
MAX_NAMED_ROWS = 3
MAX_ROUNDS = 5


@dataclass(frozen=True)
class Violation:
    """Rows of one document left out of one table, and why (one line)."""

    doc_id: str  # "" for rows that belong to no document (corrections)
    table: str
    message: str


def _describe(table: str, frame: pd.DataFrame) -> str:
    import pandas as pd

    columns = [c for c in DESCRIBE.get(table, ()) if c in frame.columns]
    if not columns:
        return ""
    named = [" ".join(str(v) for v in row if pd.notna(v) and str(v)) for row in
             frame[columns].head(MAX_NAMED_ROWS).itertuples(index=False)]
    more = f", +{len(frame) - MAX_NAMED_ROWS} more" if len(frame) > MAX_NAMED_ROWS else ""
    return f": {'; '.join(named)}{more}"


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''} left out"


def row_violations(table: str, frame: pd.DataFrame, fields) -> list[tuple[pd.Series, str]]:
    """(mask of offending rows, reason) for required values and enums."""
    found = []
    for f in fields:
        column = frame[f.name]
        if f.required:
            mask = column.isna() | (column.astype("string") == "")
            if mask.any():
                found.append((mask, f"{table}.{f.name}: a required value is missing"))
        if f.enum:
            mask = column.notna() & ~column.isin(f.enum)
            if mask.any():
                value = column[mask].iloc[0]
                found.append((mask, f"{table}.{f.name}: value {value!r} is not one of {', '.join(f.enum)}"))
    return found


def key_violations(table: str, frame: pd.DataFrame, key: list[str]) -> list[tuple[pd.Series, str]]:
    """(mask, reason) for every primary-key value held by more than one row: all of those rows are left out (which
    one is right cannot be told)."""
    if not key:
        return []
    import pandas as pd

    duplicated = frame.duplicated(key, keep=False)
    found = []
    for value, group in frame[duplicated].groupby(key, sort=True):
        value = value if isinstance(value, tuple) else (value,)
        mask = pd.Series(False, index=frame.index)
        mask[group.index] = True
        shown = ", ".join(repr(v) for v in value)
        found.append((mask, f"{table}: duplicate key {'+'.join(key)} {shown}"))
    return found


def reference_violations(table: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame],
                         references) -> list[tuple[pd.Series, str]]:
    """(mask, reason) for foreign-key values that name no row of the parent table."""
    found = []
    for column, target, target_column in references:
        known = set(tables[target][target_column].dropna())
        values = frame[column]
        mask = values.notna() & (values.astype("string") != "") & ~values.isin(known)
        if mask.any():
            found.append((mask, f"{table}.{column}: {values[mask].iloc[0]!r} is not in {target}.{target_column}"))
    return found


def enforce(tables: dict[str, pd.DataFrame], schema, primary_keys, foreign_keys) -> tuple[dict[str, pd.DataFrame],
                                                                                         list[Violation]]:
    """The tables without the rows that break a constraint, and one violation per document, table and reason."""
    import pandas as pd

    tables = dict(tables)
    violations: list[Violation] = []
    for _ in range(MAX_ROUNDS):
        changed = False
        for name, fields in schema.items():
            if name not in OWNER:
                continue
            frame = tables[name]
            checks = (row_violations(name, frame, fields) + key_violations(name, frame, primary_keys[name])
                      + reference_violations(name, frame, tables, foreign_keys.get(name, [])))
            if not checks:
                continue
            dropped = pd.Series(False, index=frame.index)
            for mask, reason in checks:
                mask = mask & ~dropped
                if not mask.any():
                    continue
                violations += _per_document(name, frame[mask], reason)
                dropped |= mask
            tables[name] = frame[~dropped].reset_index(drop=True)
            changed = True
        if not changed:
            break
    for violation in violations:
        log.warning("%s", violation.message)
    return tables, violations


def _per_document(table: str, rows: pd.DataFrame, reason: str) -> list[Violation]:
    owner = OWNER.get(table)
    groups = rows.groupby(rows[owner].astype("string").fillna(""), sort=True) if owner else [("", rows)]
    return [Violation(str(doc_id), table, f"{reason} ({_rows(len(group))}{_describe(table, group)})")
            for doc_id, group in groups]


def problems_by_document(violations: list[Violation]) -> dict[str, list[str]]:
    by_doc: dict[str, list[str]] = defaultdict(list)
    for violation in violations:
        by_doc[violation.doc_id].append(violation.message)
    return dict(by_doc)
