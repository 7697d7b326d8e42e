"""`stj serve`'s metadata and canned queries, without a browser: the metadata generated from datapackage.json, and
the canned queries' answers on a small dataset whose counts are worked out by hand below (a factsheet and its scan,
a second factsheet, two follow-ups and a copy of one, a row a reviewer marked wrong in each part). Datasette runs
in process; the browser tests over a real run are in test_serve.py."""

from __future__ import annotations

import asyncio
import hashlib
import json

import pytest
from click.testing import CliRunner

from extract.cli import main
from extract.output.dataset import frame, write_files

A, B = "Aa", "Bb"
# (doc_id, kind, gemeente): F1s is a scan of F1, U1s a copy of U1
DOCUMENTS = [("F1", "factsheet", A), ("F1s", "factsheet", A), ("F2", "factsheet", B), ("U1", "followup", A),
             ("U1s", "followup", A), ("U2", "followup", B)]
# (finding_id, doc_id, aanpak, year, indicator, verdict, review)
FINDINGS = [
    ("f1-1", "F1", "Team A", 2013, "I01", "fail", ""), ("f1-2", "F1", "Team A", 2013, "I02", "pass", ""),
    ("f1-3", "F1", "Team A", 2013, "I03", "fail", ""),
    ("s1-1", "F1s", "team a ", 2013, "I01", "fail", ""), ("s1-2", "F1s", "team a ", 2013, "I02", "pass", ""),
    ("s1-3", "F1s", "team a ", 2013, "I03", "pass", ""),  # the scan reads I03 otherwise: the copies disagree
    ("f2-1", "F2", "Team B", 2013, "I01", "pass", ""), ("f2-2", "F2", "Team B", 2013, "I02", "fail", "wrong"),
    ("f2-3", "F2", "Team B", 2013, "I03", "fail", ""),
    ("u1-1a", "U1", "Team A", 2013, "I01", "fail", ""), ("u1-1b", "U1", "Nieuw", 2014, "I01", "fail", ""),
    ("u1-3a", "U1", "Team A", 2013, "I03", "fail", ""), ("u1-3b", "U1", "Nieuw", 2014, "I03", "pass", ""),
    ("c1-1a", "U1s", "Team A", 2013, "I01", "fail", ""), ("c1-1b", "U1s", "Nieuw", 2014, "I01", "fail", ""),
    ("c1-3a", "U1s", "Team A", 2013, "I03", "fail", ""), ("c1-3b", "U1s", "Nieuw", 2014, "I03", "pass", ""),
    ("u2-2a", "U2", "Team Old", 2013, "I02", "fail", ""), ("u2-2b", "U2", "Team C", 2014, "I02", "fail", "wrong"),
    ("u2-3a", "U2", "Team Old", 2013, "I03", "fail", ""), ("u2-3b", "U2", "Team C", 2014, "I03", "fail", ""),
]
# (link_id, followup doc, indicator, 2013 finding, 2014 finding, change)
LINKS = [("l1", "U1", "I01", "u1-1a", "u1-1b", "persists"), ("l2", "U1", "I03", "u1-3a", "u1-3b", "resolved"),
         ("l3", "U1s", "I01", "c1-1a", "c1-1b", "persists"), ("l4", "U1s", "I03", "c1-3a", "c1-3b", "resolved"),
         ("l5", "U2", "I02", "u2-2a", "u2-2b", "persists"), ("l6", "U2", "I03", "u2-3a", "u2-3b", "persists")]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small dataset written as `stj run` writes one (stj.sqlite and datapackage.json)."""
    out = tmp_path_factory.mktemp("small")
    gemeente = {doc: g for doc, _, g in DOCUMENTS}
    findings = {f[0]: f for f in FINDINGS}
    tables = {name: frame(name, []) for name in ("coverage", "national_figures", "context", "organisations",
                                                 "corrections", "conclusions", "aanpakken")}
    tables["documents"] = frame("documents", [
        {"doc_id": d, "source_file": f"{d}.pdf", "path": str(out / f"{d}.pdf"), "kind": k, "gemeente": g,
         "status": "ok"} for d, k, g in DOCUMENTS])
    tables["findings"] = frame("findings", [
        {"finding_id": i, "doc_id": d, "source_file": f"{d}.pdf", "gemeente": gemeente[d], "aanpak": a, "year": y,
         "indicator_id": n, "indicator": f"indicator {n}", "theme": "Toeleiding", "verdict": v, "review": r,
         "page": 2, "method": "text", "x0": 50.0, "top": 100.0, "x1": 300.0, "bottom": 140.0}
        for i, d, a, y, n, v, r in FINDINGS])
    tables["links"] = frame("links", [
        {"link_id": i, "gemeente": gemeente[d], "indicator_id": n, "aanpak_2013": findings[a][2],
         "finding_2013_id": a, "verdict_2013": findings[a][5], "aanpak_2014": findings[b][2], "finding_2014_id": b,
         "verdict_2014": findings[b][5], "change": c, "source": "followup", "followup_doc_id": d}
        for i, d, n, a, b, c in LINKS])
    write_files(tables, out)
    return out


def test_metadata_comes_from_the_datapackage(small):
    from extract.analysis.serve import datasette_metadata

    package = json.loads((small / "datapackage.json").read_text(encoding="utf-8"))
    meta = datasette_metadata(small)
    assert meta["title"] == package["title"] and meta["description"] == package["description"]
    assert "CC0" in meta["description"]
    assert meta["license"] == "Creative Commons Zero v1.0 Universal"
    assert meta["license_url"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert meta["source"] == "Samenwerkend Toezicht Jeugd: 6 published documents (the documents table)"
    tables = meta["databases"]["stj"]["tables"]
    assert set(tables) == {r["name"] for r in package["resources"]}
    for resource in package["resources"]:
        table = tables[resource["name"]]
        assert table["description"] == resource["description"] != ""
        assert set(table["columns"]) == {f["name"] for f in resource["schema"]["fields"]}
        assert all(table["columns"].values()), resource["name"]  # every column described
    assert tables["findings"]["columns"]["verdict"].endswith("(pass / fail)")  # the closed values said
    assert tables["findings"]["facets"] == ["gemeente", "year", "theme", "verdict"]
    assert tables["links"]["facets"][0] == "change"
    queries = meta["databases"]["stj"]["queries"]
    assert set(queries) == {"fail_rate_2013", "followup_changes", "failed_twice", "findings_with_links"}
    assert not any(q.get("write") for q in queries.values())  # read-only: no writable canned query


def test_metadata_only_writes_metadata_json(small):
    outcome = CliRunner().invoke(main, ["serve", str(small), "--metadata-only"])
    assert outcome.exit_code == 0, outcome.output
    written = json.loads((small / "metadata.json").read_text(encoding="utf-8"))
    assert written["databases"]["stj"]["queries"]["failed_twice"]["title"] == (
        "Gemeenten where an indicator failed twice (2013 and 2014)")
    assert not (small / "serve").exists()  # nothing rendered: it only writes the metadata


def test_serve_refuses_a_folder_without_a_dataset(tmp_path):
    outcome = CliRunner().invoke(main, ["serve", str(tmp_path)])
    assert outcome.exit_code == 2 and "holds no datapackage.json" in outcome.output


def _query(out, name: str) -> list[dict]:
    import sqlite3

    from extract.analysis.serve_metadata import canned_queries

    db = sqlite3.connect(f"{(out / 'stj.sqlite').as_uri()}?immutable=1", uri=True)
    db.row_factory = sqlite3.Row
    return [dict(row) for row in db.execute(canned_queries()[name]["sql"])]


def test_fail_rate_counts_the_factsheets_cells_once(small):
    # by hand: I01: Aa's cell fails in F1 and its scan (once), Bb's passes: 1 of 2. I02: Aa passes; Bb's failure
    # was marked wrong and the follow-up U2's 2013 failure is no factsheet's: 0 of 1. I03: Aa's copies disagree
    # (counted apart), Bb fails: 1 of 1 agreed cells.
    rows = {r["indicator_id"]: r for r in _query(small, "fail_rate_2013")}
    assert {k: (r["assessed"], r["fail"], r["pass"], r["copies_disagree"], r["fail_rate_pct"])
            for k, r in rows.items()} == {"I01": (2, 1, 1, 0, 50.0), "I02": (1, 0, 1, 0, 0.0),
                                          "I03": (2, 1, 0, 1, 100.0)}
    assert list(rows) == ["I03", "I01", "I02"]  # highest fail rate first


def test_followup_changes_count_each_link_once(small):
    # by hand: Aa's follow-up (and its copy): I01 persists, I03 resolved; Bb's: I03 persists (I02's 2014 row was
    # marked wrong, so its link is left out)
    rows = [(r["gemeente"], r["aanpak_2014"], r["change"], r["links"], r["links_of_followup"], r["indicators"])
            for r in _query(small, "followup_changes")]
    assert rows == [(A, "Nieuw", "resolved", 1, 2, "I03"), (A, "Nieuw", "persists", 1, 2, "I01"),
                    (B, "Team C", "persists", 1, 1, "I03")]


def test_failed_twice_joins_factsheets_and_followups(small):
    # by hand: Aa I01 failed in 2013 (Team A) and 2014 (Nieuw); Bb I03 in 2013 (Team B's factsheet and Team Old in
    # the follow-up) and 2014 (Team C); Bb I02's 2014 failure was marked wrong
    rows = [(r["gemeente"], r["indicator_id"], r["failed_2013_in"], r["failed_2014_in"])
            for r in _query(small, "failed_twice")]
    assert rows == [(A, "I01", "Team A", "Nieuw"), (B, "I03", "Team B; Team Old", "Team C")]


def test_the_server_is_read_only(small, tmp_path):
    """In process: a POST anywhere is refused, and so is SQL that writes, and the file is unchanged."""
    import shutil

    from extract.analysis import serve

    out = tmp_path / "out"
    shutil.copytree(small, out)
    before = hashlib.sha256((out / "stj.sqlite").read_bytes()).hexdigest()
    prepared = serve.prepare(out)
    assert prepared.crops == 0 and prepared.pdfs == 0  # the PDFs are not there: said, not fatal
    assert any("F1.pdf: not found" in note for note in prepared.notes)
    ds = serve.datasette(out, prepared)

    async def requests():
        client = ds.client
        answers = {"table": (await client.get("/stj/findings.json?_shape=array")).status_code}
        for path in ("/stj", "/stj/findings", "/stj/fail_rate_2013", "/stj/findings/-/insert", "/-/insert"):
            answers[f"POST {path}"] = (await client.post(path, data={"sql": "delete from findings"})).status_code
        answers["insert"] = (await client.get("/stj.json?sql=insert+into+corrections+(finding_id,+field)+"
                                              "values+('f1-1',+'review')")).json()
        answers["cte"] = (await client.get("/stj.json?sql=with+x+as+(select+1)+delete+from+findings")).json()
        answers["rows"] = (await client.get("/stj/findings.json?_shape=array&_size=max")).json()
        return answers

    answers = asyncio.run(requests())
    assert answers["table"] == 200
    assert {k: v for k, v in answers.items() if k.startswith("POST")} == {
        "POST /stj": 405, "POST /stj/findings": 405, "POST /stj/fail_rate_2013": 405,
        "POST /stj/findings/-/insert": 405, "POST /-/insert": 405}
    assert answers["insert"]["error"] == "Statement must be a SELECT"
    assert "readonly" in answers["cte"]["error"]
    assert len(answers["rows"]) == len(FINDINGS)
    assert hashlib.sha256((out / "stj.sqlite").read_bytes()).hexdigest() == before
