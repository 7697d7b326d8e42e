"""Accuracy on the born-digital samples against the hand-checked gold files: strict row F1 must be 1.0."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from extract.analysis.evaluate import compare, load_gold
from tests.conftest import GOLD, SAMPLES, gold_files

GOLD_FILES = sorted(p for p in GOLD.glob("*.json") if "findings" in json.loads(p.read_text()))
BORN_DIGITAL_GOLD = gold_files(scanned=False)


def _born_digital(gold: dict) -> str:
    return next(f for f in gold["files"] if "scan" not in f)


@pytest.mark.parametrize("gold_path, sample", BORN_DIGITAL_GOLD, ids=lambda p: getattr(p, "stem", p))
def test_strict_row_f1_is_one(born_digital_run, gold_path, sample):
    _, out = born_digital_run
    gold = load_gold(gold_path)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    rows = findings[findings.source_file == sample].to_dict("records")
    score = compare(gold["findings"], rows, strict_text=True)
    assert score.differences == []
    assert score.f1 == 1.0


@pytest.mark.parametrize("gold_path, sample", BORN_DIGITAL_GOLD, ids=lambda p: getattr(p, "stem", p))
def test_document_fields_match_gold(born_digital_run, gold_path, sample):
    _, out = born_digital_run
    gold = load_gold(gold_path)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    row = documents[documents.source_file == sample].iloc[0]
    expected = gold["document"]
    assert row.status == "ok", row.error
    assert (row.kind, row.gemeente, row.published, row.aanpak) == (
        expected["kind"], expected["gemeente"], expected["published"], expected["aanpak"])
    assert row.aanpak_2013.split("; ") == expected["aanpak_2013"]


@pytest.mark.parametrize("gold_path", GOLD_FILES, ids=lambda p: p.stem)
def test_conclusions_match_gold(born_digital_run, gold_path):
    _, out = born_digital_run
    gold = load_gold(gold_path)
    conclusions = pd.read_csv(out / "conclusions.csv", keep_default_na=False)
    doc = conclusions[conclusions.doc_id.isin(_doc_ids(out, _born_digital(gold)))]
    got = {r.theme: (r.goes_well, r.could_improve) for r in doc.itertuples()}
    assert got == {c["theme"]: (c["goes_well"], c["could_improve"]) for c in gold["conclusions"]}


def _doc_ids(out, source_file):
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    return set(documents[documents.source_file == source_file].doc_id)


def test_followup_links(born_digital_run):
    _, out = born_digital_run
    links = pd.read_csv(out / "links.csv", keep_default_na=False)
    gold = load_gold(GOLD / "almere-2015.json")
    rows = gold["findings"]
    expected = set()
    for new in (r for r in rows if r["year"] == 2014):
        for old in (r for r in rows if r["year"] == 2013 and r["indicator_id"] == new["indicator_id"]):
            change = {("fail", "pass"): "resolved", ("fail", "fail"): "persists", ("pass", "fail"): "regressed",
                      ("pass", "pass"): "maintained"}[(old["verdict"], new["verdict"])]
            expected.add((new["indicator_id"], old["aanpak"], change))
    got = {(r.indicator_id, r.aanpak_2013, r.change) for r in links.itertuples()}
    assert got == expected
    assert set(links.source) == {"followup"}


def test_gold_files_name_existing_samples():
    for gold_path in sorted(GOLD.glob("*.json")):
        for name in json.loads(gold_path.read_text())["files"]:
            assert (SAMPLES / name).exists(), name
