"""The review page's memory across sittings: the run id that keys the browser's saved work, and an earlier
sitting's exported ``review.csv`` read back (``stj audit OUT --resume review.csv``) as the page's initial state.

The state is ``{finding_id: {"mark": "right"|"wrong"|"", "note": str, "edits": {field: value}}}``, as the page
keeps it. Lines that cannot be restored (their ``finding_id`` is not in this run, an unknown field or mark) are
returned with their reason, to be listed on the page and on stderr: none is dropped silently.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract.output.corrections import EDITABLE, REVIEW_VALUES, load

NOTE_FIELD = "note"  # a line that carries only a note (no mark, no edit)


def run_id(doc_ids: list[str]) -> str:
    """A short id of the run's documents: two runs over different documents never share the page's saved work."""
    return hashlib.sha256("\n".join(sorted(map(str, doc_ids))).encode("utf-8")).hexdigest()[:16]


def read_resume(path: Path, finding_ids: set[str]) -> tuple[dict[str, dict], list[dict]]:
    """The review state of ``path`` (an exported review.csv) for the findings in ``finding_ids``, and the lines
    that could not be restored, each ``{finding_id, field, value, reason}``."""
    state: dict[str, dict] = {}
    unrestored = []
    for c in load([path]):
        if c.finding_id not in finding_ids:
            reason = "no finding with this finding_id in this run (the row no longer exists)"
        elif c.field == "review" and c.value not in REVIEW_VALUES:
            reason = f"review must be right or wrong, not {c.value!r}"
        elif c.field not in EDITABLE | {"review", NOTE_FIELD}:
            reason = f"{c.field!r} cannot be corrected"
        else:
            entry = state.setdefault(c.finding_id, {"mark": "", "note": "", "edits": {}})
            if c.field == "review":
                entry["mark"] = c.value
            elif c.field != NOTE_FIELD:
                entry["edits"][c.field] = c.value
            if c.note:
                entry["note"] = c.note
            if c.reviewer:
                entry["reviewer"] = c.reviewer
            continue
        unrestored.append({"finding_id": c.finding_id, "field": c.field, "value": c.value, "reason": reason})
    return state, unrestored
