"""Accuracy on the born-digital samples against the hand-checked gold files: strict row F1 must be 1.0."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from extract.analysis.evaluate import compare, load_gold
from tests.conftest import BORN_DIGITAL, GOLD, SAMPLES, gold_files

GOLD_FILES = sorted(p for p in GOLD.glob("*.json") if "findings" in json.loads(p.read_text()))
# a gold file that lists no conclusions did not check them (the made-up two-aanpak factsheets hold conclusions)
CONCLUSION_GOLD = [p for p in GOLD_FILES if json.loads(p.read_text()).get("conclusions")]
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


@pytest.mark.parametrize("gold_path", CONCLUSION_GOLD, ids=lambda p: p.stem)
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


# The links of the Almere follow-up, written out by hand from its gold rows: (indicator, 2013 aanpak, verdict 2013,
# verdict 2014, change). The change is the README's word for the pair: fail -> pass "resolved", fail -> fail
# "persists" (pass -> fail would be "regressed", pass -> pass "maintained"; Almere has neither: every 2013 row is a
# verbeterpunt, and test_link.py covers those two).
ALMERE_LINKS = {
    ("I01", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I03", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I06", "Multiprobleemgezinnen", "fail", "fail", "persists"),
    ("I09", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I09", "Versterkt Verder", "fail", "pass", "resolved"),
    ("I10", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I21", "Versterkt Verder", "fail", "fail", "persists"),
    ("I24", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I25", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I25", "Versterkt Verder", "fail", "pass", "resolved"),
    ("I29", "Multiprobleemgezinnen", "fail", "fail", "persists"),
    ("I29", "Versterkt Verder", "fail", "fail", "persists"),
    ("I30", "Multiprobleemgezinnen", "fail", "pass", "resolved"),
    ("I30", "Versterkt Verder", "fail", "pass", "resolved"),
}


def test_handwritten_almere_links_agree_with_the_gold_rows():
    """The table above says what the gold file says: one link per 2013 row, with both rows' verdicts."""
    rows = load_gold(GOLD / "almere-2015.json")["findings"]
    verdict_2014 = {r["indicator_id"]: r["verdict"] for r in rows if r["year"] == 2014}
    from_gold = {(r["indicator_id"], r["aanpak"], r["verdict"], verdict_2014[r["indicator_id"]])
                 for r in rows if r["year"] == 2013}
    assert {link[:4] for link in ALMERE_LINKS} == from_gold


def test_followup_links(born_digital_run):
    """Every born-digital Almere follow-up links exactly the hand-written pairs, with their change."""
    _, out = born_digital_run
    links = pd.read_csv(out / "links.csv", keep_default_na=False)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    followups = [name for name in load_gold(GOLD / "almere-2015.json")["files"] if name in BORN_DIGITAL]
    assert followups
    for name in followups:
        (doc_id,) = documents[documents.source_file == name].doc_id
        mine = links[links.followup_doc_id == doc_id]
        got = {(r.indicator_id, r.aanpak_2013, r.verdict_2013, r.verdict_2014, r.change) for r in mine.itertuples()}
        assert got == ALMERE_LINKS, name
        assert len(mine) == len(ALMERE_LINKS), name
    assert set(links.followup_doc_id) == set(documents[documents.source_file.isin(followups)].doc_id)
    assert set(links.source) == {"followup"}


def test_gold_files_name_existing_samples():
    for gold_path in sorted(GOLD.glob("*.json")):
        for name in json.loads(gold_path.read_text())["files"]:
            assert (SAMPLES / name).exists(), name
