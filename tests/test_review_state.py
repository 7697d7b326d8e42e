"""The review page's memory across sittings, without a browser: the run id, an exported review.csv read back for
`stj audit --resume` (lines that cannot be restored listed with their reason), a note on its own applied, and values
holding quotes kept whole in the page."""

from __future__ import annotations

import pandas as pd
import pytest

from extract.analysis.audit import page_html
from extract.analysis.review_state import read_resume, run_id
from extract.output import corrections
from extract.output.corrections import CorrectionsFileError


def test_run_id_depends_on_the_documents_only():
    assert run_id(["b", "a"]) == run_id(["a", "b"])
    assert run_id(["a", "b"]) != run_id(["a", "c"])


def test_read_resume(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("finding_id,field,value,reviewer,note\n"
                    "f1,review,wrong,ann,\"misread, \"\"twice\"\"\"\nf1,verdict,pass,ann,\n"
                    "f2,note,,ann,look again\ngone,review,right,ann,\nf2,colour,blue,ann,\nf2,review,maybe,ann,\n",
                    encoding="utf-8")
    state, unrestored = read_resume(path, {"f1", "f2"})
    assert state == {"f1": {"mark": "wrong", "note": 'misread, "twice"', "edits": {"verdict": "pass"},
                            "reviewer": "ann"},
                     "f2": {"mark": "", "note": "look again", "edits": {}, "reviewer": "ann"}}
    assert [(u["finding_id"], u["field"]) for u in unrestored] == [("gone", "review"), ("f2", "colour"),
                                                                   ("f2", "review")]
    assert "no longer exists" in unrestored[0]["reason"]
    assert all(u["reason"] for u in unrestored)


def test_read_resume_of_a_file_without_the_columns(tmp_path):
    path = tmp_path / "review.csv"
    path.write_text("id,what\nx,y\n", encoding="utf-8")
    with pytest.raises(CorrectionsFileError):
        read_resume(path, {"x"})


def test_a_note_on_its_own_is_applied():
    findings = pd.DataFrame({"finding_id": ["f1"], "verdict": ["fail"]})
    note = corrections.Correction("f1", "note", "", "ann", "look again")
    fixed = corrections.apply(findings, [note])
    assert note.applied and fixed.loc[0, "correction_note"] == "[ann] look again" and not fixed.loc[0, "corrected"]


def test_page_embeds_the_state_safely():
    page = page_html([{"finding_id": "f1", "aanpak": 'a "b" </script>'}], 1, "run1",
                     {"f1": {"mark": "right", "note": "</script>", "edits": {}}}, [])
    assert "</script>\"" not in page and 'const RUN = "run1"' in page
    assert "__RESUME__" not in page and "__UNRESTORED__" not in page
