"""Dataset: the same content in CSV, Parquet and SQLite, a valid Frictionless package, atomic replacement."""

from __future__ import annotations

import json
import math
import sqlite3

import pandas as pd
import pytest
from frictionless import Package

from extract import api
from extract.core.errors import OutputError
from extract.output import dataset
from tests.conftest import BORN_DIGITAL, SAMPLES


def test_datapackage_validates(born_digital_run):
    _, out = born_digital_run
    report = Package(str(out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def _normal(value, kind: str) -> str:
    """One cell as text, whichever file it came from: a missing value (NA, NULL, NaN, "") is "", a boolean
    "true"/"false" (SQLite stores 1/0, CSV True/False), an integer its digits, a number its float's repr."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or value == "":
        return ""
    if kind == "boolean":
        return {"true": "true", "1": "true", "false": "false", "0": "false"}.get(str(value).lower(), f"?{value!r}")
    if kind == "integer":
        return str(int(value))
    if kind == "number":
        return repr(float(value))
    return str(value)


def _normal_frame(frame: pd.DataFrame, fields: list[dict]) -> list[tuple]:
    """The frame's rows as sorted tuples of normal text, columns in the schema's order."""
    return sorted(tuple(_normal(v, f["type"]) for v, f in zip(row, fields))
                  for row in frame[[f["name"] for f in fields]].itertuples(index=False))


PARQUET_KINDS = {"string": "OSU", "integer": "iu", "number": "fiu", "boolean": "b"}  # numpy kinds each type may have


def test_csv_parquet_and_sqlite_agree(born_digital_run):
    """Every table the dataset writes (as datapackage.json lists them) holds the same columns and the same rows,
    value for value, in CSV, Parquet and SQLite; Parquet keeps each column's declared type."""
    _, out = born_digital_run
    resources = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    names = [r["name"] for r in resources]
    assert {p.stem for p in out.glob("*.csv")} == set(names) == {p.stem for p in out.glob("*.parquet")}
    with sqlite3.connect(out / dataset.SQLITE_FILE) as db:
        assert {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} == set(names)
        sql = {name: pd.read_sql(f'SELECT * FROM "{name}"', db) for name in names}
    filled = []
    for resource in resources:
        name, fields = resource["name"], resource["schema"]["fields"]
        columns = [f["name"] for f in fields]
        csv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype=str)
        parquet = pd.read_parquet(out / f"{name}.parquet")
        assert list(csv.columns) == list(parquet.columns) == list(sql[name].columns) == columns, name
        assert len(csv) == len(parquet) == len(sql[name]), name
        for field in fields:
            dtype = parquet[field["name"]].dtype
            kind = "O" if isinstance(dtype, pd.StringDtype) else dtype.kind
            assert kind in PARQUET_KINDS[field["type"]], (name, field["name"], field["type"], str(dtype))
        rows = _normal_frame(csv, fields)
        assert _normal_frame(parquet, fields) == rows, f"{name}: Parquet differs from CSV"
        assert _normal_frame(sql[name], fields) == rows, f"{name}: SQLite differs from CSV"
        filled += [name] if rows else []
    # the born-digital run has no national report and no corrections: every other table has rows to compare
    assert set(names) - set(filled) <= {"national_figures", "corrections"}
    assert {"documents", "findings", "links", "conclusions", "aanpakken", "context"} <= set(filled)


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


@pytest.mark.slow  # a parallel run: worker processes
def test_parallel_run_gives_the_same_rows(tmp_path, born_digital_run):
    _, out = born_digital_run
    api.run([SAMPLES / name for name in BORN_DIGITAL], tmp_path, jobs=2)
    serial = pd.read_csv(out / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    parallel = pd.read_csv(tmp_path / "findings.csv").sort_values("finding_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(serial, parallel)
