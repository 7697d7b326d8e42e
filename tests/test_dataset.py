"""Dataset: the same content in CSV, Parquet and SQLite, a valid Frictionless package, atomic replacement."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
from frictionless import Package

from extract import api
from extract.core.errors import OutputError
from extract.output import dataset
from tests.conftest import BORN_DIGITAL, SAMPLES

TABLES = ["documents", "findings", "links", "conclusions"]


def test_datapackage_validates(born_digital_run):
    _, out = born_digital_run
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


@pytest.mark.parametrize("table", TABLES)
def test_csv_parquet_and_sqlite_agree(born_digital_run, table):
    _, out = born_digital_run
    csv = pd.read_csv(out / f"{table}.csv", keep_default_na=False, dtype=str)
    parquet = pd.read_parquet(out / f"{table}.parquet").astype(str).replace({"<NA>": ""})
    with sqlite3.connect(out / dataset.SQLITE_FILE) as db:
        sql = pd.read_sql(f"SELECT * FROM {table}", db).astype(str).replace({"None": ""})
    assert len(csv) == len(parquet) == len(sql) > 0
    key = dataset.PRIMARY_KEYS[table]
    for other in (parquet, sql):
        left = csv.sort_values(key).reset_index(drop=True)["finding" if table == "findings" else key[0]]
        right = other.sort_values(key).reset_index(drop=True)["finding" if table == "findings" else key[0]]
        assert left.tolist() == right.tolist()


def test_sqlite_enforces_foreign_keys(born_digital_run):
    _, out = born_digital_run
    with sqlite3.connect(out / dataset.SQLITE_FILE) as db:
        db.execute("PRAGMA foreign_keys = ON")
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO findings (finding_id, doc_id, year, indicator_id) VALUES ('x', 'nope', 2013, 'I01')")


def test_finding_ids_are_stable_across_runs(tmp_path, born_digital_run):
    _, out = born_digital_run
    api.run([SAMPLES / "haarlemmermeer-2013.pdf"], tmp_path, jobs=1)
    first = set(pd.read_csv(out / "findings.csv").finding_id)
    again = set(pd.read_csv(tmp_path / "findings.csv").finding_id)
    assert again and again <= first


def test_failed_write_leaves_previous_dataset_and_user_files(tmp_path, monkeypatch):
    api.run([SAMPLES / "almere-2015.pdf"], tmp_path, jobs=1)
    before = (tmp_path / "findings.csv").read_bytes()
    (tmp_path / "my-notes.txt").write_text("keep me")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", explode)
    with pytest.raises(OutputError):
        api.run([SAMPLES / "haarlemmermeer-2013.pdf"], tmp_path, jobs=1)
    assert (tmp_path / "findings.csv").read_bytes() == before
    assert (tmp_path / "my-notes.txt").read_text() == "keep me"
    assert not list((tmp_path / ".versions").glob(".staging-*"))


def test_schema_check_names_the_problem():
    tables = dataset.build_tables([], [])
    tables["findings"] = pd.concat([tables["findings"], pd.DataFrame([{"finding_id": "a", "doc_id": "d",
                                                                        "year": 2013, "indicator_id": "I99"}])])
    problems = dataset.check_tables(tables)
    assert any("indicator_id" in p and "I99" in p for p in problems)
    assert any("findings.doc_id" in p for p in problems)


def test_parallel_run_gives_the_same_rows(tmp_path, born_digital_run):
    _, out = born_digital_run
    api.run([SAMPLES / name for name in BORN_DIGITAL], tmp_path, jobs=2)
    serial = pd.read_csv(out / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    parallel = pd.read_csv(tmp_path / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(serial, parallel)
