"""Reviewers' corrections: a corrected verdict keeps the marker consistent, and two reviewers who disagree on a field
make a conflict that is listed, never silently won (real ``corrections.apply`` on small tables, then real runs of
the ``stj`` command over a born-digital sample with two reviewers' files)."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from extract import api
from extract.cli import main
from extract.output import corrections
from extract.output.corrections import Correction, conflicted_findings
from extract.series.description import series, using
from tests.conftest import ROOT, SAMPLES

HEADER = "finding_id,field,value,reviewer,note\n"


def _findings() -> pd.DataFrame:
    marks = series().canonical_markers
    return pd.DataFrame({"finding_id": ["f1", "f2"], "verdict": ["pass", "fail"],
                         "marker": [marks["pass"], marks["fail"]],
                         "finding": [f"{marks['pass']} Alles is op orde.", f"{marks['fail']} Niets is op orde."]})


def _c(field: str, value: str, reviewer: str, finding_id: str = "f1", note: str = "") -> Correction:
    return Correction(finding_id, field, value, reviewer, note, f"{reviewer or 'anon'}.csv")


def test_a_corrected_verdict_takes_the_series_marker():
    marks = series().canonical_markers
    fixed = corrections.apply(_findings(), [_c("verdict", "fail", "anna")])
    assert fixed.loc[0, "verdict"] == "fail" and fixed.loc[0, "marker"] == marks["fail"]
    assert fixed.loc[0, "finding"] == f"{marks['fail']} Alles is op orde."  # the marker that opens the text too
    assert fixed.loc[1, "marker"] == marks["fail"] and bool(fixed.loc[0, "corrected"])


def test_a_verdict_given_where_none_was_read_puts_the_marker_before_the_text():
    findings = pd.DataFrame({"finding_id": ["f1"], "verdict": [None], "marker": [""], "finding": ["Geen teken."]})
    fixed = corrections.apply(findings, [_c("verdict", "pass", "anna")])
    assert fixed.loc[0, "marker"] == series().canonical_markers["pass"]
    assert fixed.loc[0, "finding"] == f"{series().canonical_markers['pass']} Geen teken."


def test_the_marker_comes_from_the_series_description(tmp_path):
    """Another series' description with other canonical markers: a corrected verdict takes that series' marker."""
    data = json.loads((ROOT / "models" / "stj_series.json").read_text(encoding="utf-8"))
    data["markers"]["canonical"] = {"pass": "✔", "fail": "✗"}
    (tmp_path / "series.json").write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(ROOT / "models" / data["framework"], tmp_path / data["framework"])
    findings = pd.DataFrame({"finding_id": ["f1"], "verdict": ["pass"], "marker": ["✔"], "finding": ["✔ Goed."]})
    with using(tmp_path / "series.json"):
        fixed = corrections.apply(findings, [_c("verdict", "fail", "anna")])
    assert (fixed.loc[0, "marker"], fixed.loc[0, "finding"]) == ("✗", "✗ Goed.")


def test_two_reviewers_who_disagree_make_a_conflict_and_neither_is_applied():
    marks = series().canonical_markers
    given = [_c("verdict", "fail", "anna"), _c("verdict", "pass", "ben"), _c("verdict", "fail", "ben", "f2")]
    fixed = corrections.apply(_findings(), given)
    assert fixed.loc[0, "verdict"] == "pass" and fixed.loc[0, "marker"] == marks["pass"]  # the extracted values
    assert not fixed.loc[0, "corrected"]
    assert [(c.applied, c.conflict) for c in given] == [(False, True), (False, True), (True, False)]
    assert given[0].reason == given[1].reason == "conflict: anna says fail, ben says pass; neither applied"
    assert corrections.messages(given) == ["correction f1 verdict: conflict: anna says fail, ben says pass; neither "
                                           "applied"]  # one line for the field, not one per correction
    rows = corrections.table(given)
    assert [r["conflict"] for r in rows] == [True, True, False] and not rows[0]["applied"]


def test_two_reviewers_who_agree_are_applied():
    given = [_c("verdict", "fail", "anna", note="misread"), _c("verdict", "fail", "ben")]
    fixed = corrections.apply(_findings(), given)
    assert fixed.loc[0, "verdict"] == "fail" and all(c.applied and not c.conflict for c in given)
    assert fixed.loc[0, "correction_note"] == "[anna] misread; [ben]"


def test_the_same_reviewer_again_is_no_conflict_and_the_latest_value_counts():
    given = [_c("verdict", "fail", "anna"), _c("caveat", "TRUE", "ben"), _c("caveat", "true", "anna"),
             _c("verdict", "pass", "anna")]
    fixed = corrections.apply(_findings().assign(caveat=False), given)
    assert fixed.loc[0, "verdict"] == "pass" and bool(fixed.loc[0, "caveat"])
    assert not any(c.conflict for c in given)
    assert not given[0].applied and given[0].reason == "superseded by anna's later correction (pass)"
    assert all(c.applied for c in given[1:])
    assert corrections.messages(given) == []  # a reviewer who changed their mind is not a problem to report


def test_a_conflict_is_resolved_when_a_reviewer_comes_round():
    given = [_c("verdict", "fail", "anna"), _c("verdict", "pass", "ben")]
    corrections.apply(_findings(), given)
    assert all(c.conflict for c in given)
    later = given + [_c("verdict", "fail", "ben")]
    fixed = corrections.apply(_findings(), later)
    assert fixed.loc[0, "verdict"] == "fail" and fixed.loc[0, "marker"] == series().canonical_markers["fail"]
    assert [(c.applied, c.conflict) for c in later] == [(True, False), (False, False), (True, False)]
    assert "superseded by ben's later correction (fail)" == later[1].reason


def test_right_against_wrong_is_a_conflict_and_an_unnamed_reviewer_is_a_reviewer():
    given = [_c("review", "right", "anna"), _c("review", "wrong", "")]
    fixed = corrections.apply(_findings(), given)
    assert fixed.loc[0, "review"] == "" and all(c.conflict and not c.applied for c in given)
    assert given[0].reason == "conflict: anna says right, (unnamed reviewer) says wrong; neither applied"


def test_notes_never_conflict_and_a_bad_value_takes_no_part():
    given = [_c("note", "", "anna", note="kijk nog eens"), _c("note", "", "ben", note="klopt"),
             _c("verdict", "maybe", "anna"), _c("verdict", "fail", "ben")]
    fixed = corrections.apply(_findings(), given)
    assert fixed.loc[0, "correction_note"] == "[anna] kijk nog eens; [ben] klopt; [ben]"
    assert fixed.loc[0, "verdict"] == "fail" and not any(c.conflict for c in given)
    assert not given[2].applied and "pass or fail" in given[2].reason


def test_a_line_repeated_later_takes_its_latest_place(tmp_path):
    """anna says fail, then pass, then (a later file) fail again: fail is her latest value."""
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(HEADER + "f1,verdict,fail,anna,\nf1,verdict,pass,anna,\n", encoding="utf-8")
    second.write_text(HEADER + "f1,verdict,fail,anna,\n", encoding="utf-8")
    loaded = corrections.load([first, second])
    assert [(c.value, c.source) for c in loaded] == [("pass", "first.csv"), ("fail", "second.csv")]
    assert corrections.apply(_findings(), loaded).loc[0, "verdict"] == "fail"


def test_the_ledger_comes_before_the_files_given(tmp_path):
    review = tmp_path / "review.csv"
    review.write_text(HEADER, encoding="utf-8")
    assert api.correction_files(tmp_path, [review]) == [review]
    (tmp_path / "corrections.csv").write_text(HEADER, encoding="utf-8")
    assert api.correction_files(tmp_path, [review, tmp_path / "corrections.csv"]) == [
        tmp_path / "corrections.csv", review]


def test_conflicted_findings_of_a_ledger_without_the_column(tmp_path):
    assert conflicted_findings(tmp_path) == set()
    (tmp_path / "corrections.csv").write_text(HEADER + "f1,verdict,fail,anna,\nf1,verdict,pass,ben,\n"
                                              "f2,verdict,fail,anna,\nf2,verdict,fail,ben,\n", encoding="utf-8")
    assert conflicted_findings(tmp_path) == {"f1"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """A born-digital sample, a results cache of its own (the first run extracts it, the later ones read it), and
    one of its findings."""
    folder = tmp_path_factory.mktemp("corrections")
    pdf, cache = folder / "almere-2015.pdf", folder / "cache"
    shutil.copy(SAMPLES / "almere-2015.pdf", pdf)
    out = folder / "first"
    _stj(pdf, out, cache)
    target = pd.read_csv(out / "findings.csv", keep_default_na=False).iloc[0]
    return pdf, cache, target


def _stj(pdf, out, cache, *reviews):
    extra = [arg for review in reviews for arg in ("--corrections", str(review))]
    result = CliRunner().invoke(main, ["run", str(pdf), "--out", str(out), "--jobs", "1", "--cache-dir", str(cache),
                                       *extra])
    assert result.exit_code == 0, result.output
    return result


def test_two_reviewers_through_real_runs(sample, tmp_path):
    """Two review files that disagree on a verdict: neither applied, the conflict listed in corrections.csv with both
    values and reviewers, one stderr line, the finding first for the audit; a later file of one of them agreeing
    resolves it, and the corrected verdict's marker is the series' own."""
    pdf, cache, target = sample
    marks = series().canonical_markers
    flipped = "pass" if target.verdict == "fail" else "fail"
    out, anna, ben = tmp_path / "out", tmp_path / "anna.csv", tmp_path / "ben.csv"
    anna.write_text(HEADER + f"{target.finding_id},verdict,{flipped},anna,\n{target.finding_id},review,wrong,anna,\n",
                    encoding="utf-8")
    ben.write_text(HEADER + f"{target.finding_id},verdict,{target.verdict},ben,\n"
                   f"{target.finding_id},review,wrong,ben,\n", encoding="utf-8")
    result = _stj(pdf, out, cache, anna, ben)
    reason = f"conflict: anna says {flipped}, ben says {target.verdict}; neither applied"
    assert result.stderr.splitlines() == [f"stj: correction {target.finding_id} verdict: {reason}"]
    assert "2 of 4 corrections applied, 2 in conflict between reviewers" in result.stdout
    row = pd.read_csv(out / "findings.csv", keep_default_na=False).set_index("finding_id").loc[target.finding_id]
    assert (row.verdict, row.marker, row.review) == (target.verdict, target.marker, "wrong")
    ledger = pd.read_csv(out / "corrections.csv", keep_default_na=False)
    verdicts = ledger[ledger.field == "verdict"]
    assert list(verdicts.reviewer) == ["anna", "ben"] and set(verdicts.reason) == {reason}
    assert verdicts.conflict.tolist() == [True, True] and verdicts.applied.tolist() == [False, False]
    assert ledger[ledger.field == "review"].applied.tolist() == [True, True]  # they agree on the mark
    assert conflicted_findings(out) == {target.finding_id}
    schema = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    table = next(r for r in schema["resources"] if r["name"] == "corrections")
    assert {"name": "conflict", "type": "boolean"}.items() <= next(
        f for f in table["schema"]["fields"] if f["name"] == "conflict").items()

    # the same files again, with no new word: still a conflict (the ledger keeps it)
    assert conflicted_findings(out) == {target.finding_id}
    # ben comes round in a later sitting: resolved, applied, the marker follows the verdict
    ben_later = tmp_path / "ben-2.csv"
    ben_later.write_text(HEADER + f"{target.finding_id},verdict,{flipped},ben,\n", encoding="utf-8")
    result = _stj(pdf, out, cache, ben_later)
    assert result.stderr == ""
    row = pd.read_csv(out / "findings.csv", keep_default_na=False).set_index("finding_id").loc[target.finding_id]
    assert (row.verdict, row.marker, str(row.corrected)) == (flipped, marks[flipped], "True")
    assert row.finding.startswith(marks[flipped] + " ")
    assert conflicted_findings(out) == set()
    ledger = pd.read_csv(out / "corrections.csv", keep_default_na=False)
    assert not ledger.conflict.any()
    assert ledger[ledger.reviewer == "ben"].set_index("value").loc[target.verdict, "reason"] == \
        f"superseded by ben's later correction ({flipped})"
