"""One document's rows that break a constraint never cost the batch its dataset: they are left out, the document is
partial with a reason naming the key and the rows, every other document is written, and the exit status is 1."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.core.records import DocumentInfo, DocumentResult, Finding
from extract.output import dataset
from extract.output.link import Link
from tests.synth import make_factsheet, make_followup


def _finding(doc: str, indicator: str, year: int = 2013, aanpak: str = "Oud Team", fid: str | None = None):
    return Finding(doc_id=doc, source_file=f"{doc}.pdf", gemeente="Dorpstad", aanpak=aanpak, year=year, theme="t",
                   criterion="c", indicator_id=indicator, indicator="", verdict="fail", marker="X", caveat=False,
                   caveat_text="", finding="X tekst", page=2, method="text",
                   finding_id=fid or f"{doc}-{aanpak}-{year}-{indicator}")


def _link(doc: str, indicator: str, link_id: str, old: str, new: str) -> Link:
    return Link(link_id, "Dorpstad", indicator, "Oud Team", old, "fail", "Nieuw Team", new, "pass", "resolved",
                "followup", "", "fail", doc)


def _result(doc: str, findings: list[Finding]) -> DocumentResult:
    return DocumentResult(f"{doc}.pdf", f"/in/{doc}.pdf", sha256=doc * 4, doc_id=doc, findings=findings,
                          info=DocumentInfo("followup", "Dorpstad", "2015-06", "Nieuw Team", ["Oud Team"]))


def test_duplicate_link_keys_leave_out_that_documents_links_only():
    good = _result("good", [_finding("good", "I01"), _finding("good", "I01", 2014, "Nieuw Team")])
    bad = _result("bad", [_finding("bad", "I02"), _finding("bad", "I02", 2014, "Nieuw Team")])
    links = [_link("good", "I01", "L1", "good-Oud Team-2013-I01", "good-Nieuw Team-2014-I01"),
             _link("bad", "I02", "L2", "bad-Oud Team-2013-I02", "bad-Nieuw Team-2014-I02"),
             _link("bad", "I02", "L2", "bad-Oud Team-2013-I02", "bad-Nieuw Team-2014-I02")]
    built = dataset.build_dataset([good, bad], links)
    assert dataset.check_tables(built.tables) == []
    assert list(built.tables["links"]["link_id"]) == ["L1"]
    assert good.status == "ok" and good.errors == []
    assert bad.status == "partial"
    assert bad.errors == ["links: duplicate key link_id 'L2' (2 rows left out: I02 Oud Team; I02 Oud Team)"]
    assert len(built.tables["findings"]) == 4  # the bad document's findings themselves are fine and kept
    documents = built.tables["documents"].set_index("doc_id")
    assert documents.loc["bad", "status"] == "partial" and "duplicate key link_id" in documents.loc["bad", "error"]


def test_duplicate_findings_cascade_to_their_links_and_bad_values_are_named():
    rows = [_finding("bad", "I03", fid="same"), _finding("bad", "I04", fid="same"),
            _finding("bad", "I05", 2014, "Nieuw Team")]
    odd = _finding("bad", "I06")
    odd.indicator_id = "I31"
    bad = _result("bad", rows + [odd])
    links = [_link("bad", "I03", "L3", "same", "bad-Nieuw Team-2014-I05")]
    built = dataset.build_dataset([bad], links)
    assert dataset.check_tables(built.tables) == []
    assert list(built.tables["findings"]["indicator_id"]) == ["I05"]
    assert built.tables["links"].empty
    reasons = " | ".join(bad.errors)
    assert "findings: duplicate key finding_id 'same' (2 rows left out: I03 2013 Oud Team; I04 2013 Oud Team)" in reasons
    assert "findings.indicator_id: value 'I31' is not one of" in reasons
    assert "links.finding_2013_id: 'same' is not in findings.finding_id (1 row left out" in reasons
    assert int(built.tables["documents"].loc[0, "findings"]) == 1


@pytest.mark.slow  # two whole runs of the command over generated documents
def test_a_document_with_duplicate_keys_in_a_real_batch(tmp_path):
    """A follow-up whose headers name one 2013 aanpak twice ("2013 Kompas" / "2013 KOMPAS") yields two rows with one
    key for every indicator both columns answer; the good documents of the batch are written as they are alone."""
    batch, alone = tmp_path / "batch", tmp_path / "alone"
    batch.mkdir()
    alone.mkdir()
    make_factsheet(batch / "a-sheet.pdf", gemeente="Noordwijkerveen", aanpak="Thuisteam", rng_seed=21)
    make_followup(batch / "b-follow.pdf", gemeente="Westerdorp", aanpak_2014="Buurtzorg Plus",
                  aanpak_2013=["Kompas", "KOMPAS"], rng_seed=22, incomplete_header=False)
    make_followup(batch / "c-follow.pdf", gemeente="Zuidhaven", aanpak_2014="Wijknet",
                  aanpak_2013=["Samen Sterk", "Eigen Kracht"], rng_seed=23)
    for name in ("a-sheet.pdf", "c-follow.pdf"):
        (alone / name).write_bytes((batch / name).read_bytes())
    runner = CliRunner()
    outcome = runner.invoke(main, ["run", str(batch), "--out", str(tmp_path / "out"), "--jobs", "1", "--no-cache"])
    assert outcome.exit_code == 1, outcome.output
    assert "b-follow.pdf: partial: findings: duplicate key finding_id" in outcome.output
    reference = runner.invoke(main, ["run", str(alone), "--out", str(tmp_path / "ref"), "--jobs", "1", "--no-cache"])
    assert reference.exit_code == 0, reference.output

    documents = pd.read_csv(tmp_path / "out" / "documents.csv").set_index("source_file")
    assert documents.loc["b-follow.pdf", "status"] == "partial"
    assert "duplicate key finding_id" in documents.loc["b-follow.pdf", "error"]
    assert set(documents.loc[["a-sheet.pdf", "c-follow.pdf"], "status"]) == {"ok"}
    findings = pd.read_csv(tmp_path / "out" / "findings.csv")
    good = findings[findings["source_file"] != "b-follow.pdf"].reset_index(drop=True)
    expected = pd.read_csv(tmp_path / "ref" / "findings.csv")
    pd.testing.assert_frame_equal(good, expected)
    assert findings["finding_id"].is_unique
    kept = findings[findings["source_file"] == "b-follow.pdf"]
    assert len(kept) > 0  # the bad document keeps its rows that broke nothing (its 2014 column, say)
    with sqlite3.connect(tmp_path / "out" / "stj.sqlite") as db:
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == len(findings)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
