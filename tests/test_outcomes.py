"""Typed outcomes: the closed value sets are StrEnums whose text in every output is unchanged, every reason is a
``Problem`` with a category, decisions (cache, timeout) are taken on categories, and the version is stated where a
user needs it (``stj --version``, ``datapackage.json``, an internal error's reason)."""

from __future__ import annotations

import json
import pickle
import re
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from frictionless import Package

from extract import __version__, api
from extract.cli import main
from extract.core.enums import (NOT_CACHEABLE, Change, Kind, LinkSource, Method, OrganisationRole, ProblemCategory,
                                Role, Status, Verdict)
from extract.core.errors import (ContentTooLargeError, EmptyFileError, EncryptedPdfError, ImageTooLargeError,
                                 NotPdfError, OcrUnavailableError, PageOcrError, StjError, TooManyPagesError,
                                 TruncatedPdfError, UnrelatedDocumentError)
from extract.core.problems import Problem, one_line
from extract.core.records import DocumentInfo, DocumentResult, Finding
from extract.core.rows import Aanpak, ContextFact, Link, NationalFigure, Organisation
from extract.output import link as link_stage
from extract.output.dataset import build_dataset, write_files
from extract.run import executor, pipeline
from extract.run.results_cache import decode, encode

PACKAGE = Path(__file__).resolve().parents[1] / "extract"


# ---------------------------------------------------------------- enums


@pytest.mark.parametrize("member, text", [(Status.ok, "ok"), (Status.skipped, "skipped"), (Kind.followup, "followup"),
                                          (Verdict.pass_, "pass"), (Verdict.fail, "fail"), (Role.earlier, "2013"),
                                          (Role.later, "2014"), (Method.ocr, "ocr"), (Change.resolved, "resolved"),
                                          (LinkSource.both, "factsheet+followup"),
                                          (OrganisationRole.respondent, "respondent")])
def test_a_member_reads_as_its_value_everywhere(member, text):
    assert member == text and str(member) == text and f"{member}" == text and "%s" % member == text
    assert json.dumps({"v": member}) == json.dumps({"v": text}) and hash(member) == hash(text)


def test_frames_files_and_sqlite_hold_plain_text(tmp_path):
    frame = pd.DataFrame({"status": [Status.partial, "ok"]}).astype("string")
    assert [type(v) for v in frame["status"]] == [str, str]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (v TEXT)")
    db.execute("INSERT INTO t VALUES (?)", (Verdict.fail,))
    assert db.execute("SELECT v, typeof(v) FROM t").fetchall() == [("fail", "text")]


# ---------------------------------------------------------------- problems


def test_a_problem_formats_its_page_in_one_place():
    on_page = Problem(3, ProblemCategory.damaged, "its content is missing")
    whole = Problem(None, ProblemCategory.lost_rows, "no findings table was recognised")
    assert str(on_page) == "page 3: its content is missing" and str(whole) == "no findings table was recognised"
    assert one_line([on_page, whole]) == "page 3: its content is missing; no findings table was recognised"


def test_only_problems_format_page_prefixes():
    """ "page N: " is written by ``Problem.__str__`` alone (log lines use %d and are not reasons)."""
    offenders = [f"{path.relative_to(PACKAGE)}: {line.strip()}" for path in sorted(PACKAGE.rglob("*.py"))
                 if path.name != "problems.py" for line in path.read_text(encoding="utf-8").splitlines()
                 if re.search(r"f\"page \{[^}]*\}: ", line)]
    assert not offenders, "\n".join(offenders)


def test_a_result_joins_its_problems_and_an_ok_one_becomes_partial():
    result = DocumentResult("a.pdf", "a.pdf")
    result.add_problem(Problem(2, ProblemCategory.no_verdict, "finding for I01 has no readable check or cross"))
    result.add_problem(Problem(None, ProblemCategory.left_out, "links: 1 row left out"))
    assert result.status == Status.partial
    assert result.errors == ["page 2: finding for I01 has no readable check or cross", "links: 1 row left out"]
    assert result.error == "; ".join(result.errors)


@pytest.mark.parametrize("error, category", [
    (EmptyFileError(), ProblemCategory.empty), (NotPdfError(), ProblemCategory.not_pdf),
    (TruncatedPdfError(), ProblemCategory.damaged), (EncryptedPdfError(), ProblemCategory.encrypted),
    (TooManyPagesError.of(9, 5), ProblemCategory.too_many_pages), (ContentTooLargeError(), ProblemCategory.too_large),
    (UnrelatedDocumentError(), ProblemCategory.unrelated), (OcrUnavailableError(), ProblemCategory.ocr_unavailable),
    (PageOcrError("OCR failed (x)", 4), ProblemCategory.ocr_failed)])
def test_every_error_has_its_category(error, category):
    assert error.problem.category == category and error.message == str(error.problem) == str(error)


def test_an_error_on_a_page_keeps_page_and_category_across_processes():
    refused = ImageTooLargeError.images(7, [(20000, 20000)], 100)
    assert refused.message.startswith("page 7: an image of 20000x20000 pixels (400 million) is more than ")
    again = pickle.loads(pickle.dumps(refused))
    assert (type(again), again.problem, again.message) == (ImageTooLargeError, refused.problem, refused.message)
    rendered = PageOcrError("pdfium cannot load the page", 2, ProblemCategory.damaged)
    assert pickle.loads(pickle.dumps(rendered)).problem == Problem(2, ProblemCategory.damaged,
                                                                    "pdfium cannot load the page")


# ---------------------------------------------------------------- decisions on categories


@pytest.mark.parametrize("category", list(ProblemCategory))
def test_cacheability_follows_the_category_not_the_wording(category):
    result = DocumentResult("a.pdf", "a.pdf", problems=[Problem(1, category, "OCR failed: internal error")])
    assert result.cacheable == (category not in NOT_CACHEABLE)


def test_a_bug_is_an_internal_problem_naming_the_version(monkeypatch, tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    monkeypatch.setattr(pipeline, "skip_if_foreign", lambda *args: None)

    def broken(*args):
        raise ValueError("simulated bug")

    monkeypatch.setattr(pipeline, "read_pdf", broken)
    result = pipeline.process_document(path)
    assert result.status == Status.failed and not result.cacheable
    assert result.problems == [Problem(None, ProblemCategory.internal, f"internal error in stj-extract {__version__} "
                                       "(ValueError: simulated bug); please report this with the file")]


def test_a_failed_link_is_named_with_the_version(monkeypatch):
    followup = DocumentResult("f.pdf", "f.pdf", doc_id="f", info=DocumentInfo(kind=Kind.followup))

    def broken(*args):
        raise KeyError("x")

    monkeypatch.setattr(link_stage, "followup_links", broken)
    assert link_stage.build_links([followup]) == []
    assert followup.status == Status.partial and followup.problems[0].category == ProblemCategory.link_failed
    assert followup.error == (f"its links could not be built (internal error in stj-extract {__version__}, KeyError: "
                              "'x'); please report this with the file")


class _Expired:
    def __init__(self, error: BaseException):
        self.error = error

    def result(self):
        raise self.error


def test_a_stopped_item_is_a_problem_of_its_kind():
    from pebble import ProcessExpired

    seen = []
    executor.PoolExecutor._result("a", _Expired(TimeoutError("Task timeout", 4)), lambda item, p: seen.append(p))
    executor.PoolExecutor._result("b", _Expired(ProcessExpired("gone", code=-9)), lambda item, p: seen.append(p))
    assert seen[0] == Problem(None, ProblemCategory.timeout, "took longer than 4 s")
    assert seen[1].category == ProblemCategory.worker_died and seen[1].message.startswith("its worker process died")
    limits = api.Limits(4)
    timed_out, died = limits.failed(Path("a.pdf"), seen[0]), limits.failed(Path("b.pdf"), seen[1])
    assert timed_out.status == died.status == Status.failed and not timed_out.cacheable and not died.cacheable
    assert timed_out.error == "took longer than 4 s (the OCR of its pages included); raise --timeout to allow it"
    assert died.error.endswith("run it alone (--jobs 1) to see whether it happens again, and report it with the file")


# ---------------------------------------------------------------- results cache


def _result() -> DocumentResult:
    finding = Finding("d", "a.pdf", "Almere", "Team", 2013, "Aanpak", "c", "I01", "tekst", Verdict.fail, "X", False,
                      "", "X tekst", 3, Method.ocr)
    info = DocumentInfo(Kind.factsheet, "Almere", aanpak="Team", aanpakken=[Aanpak("Team", Role.assessed)])
    return DocumentResult("a.pdf", "a.pdf", "ab" * 32, "d", Status.partial,
                          [Problem(3, ProblemCategory.low_resolution, "scanned at only 72 dpi")], info, 4, [finding],
                          context=[ContextFact("d", "Almere", "inwoners", 1.0, "", "", "", "s", 1)],
                          organisations=[Organisation("d", "Almere", "GGD", "GGD", OrganisationRole.mentioned, "", "")],
                          national_figures=[NationalFigure("d", 1, "t", 1, 2, 50.0, "s", "")])


def test_the_cache_gives_back_enum_members_and_typed_records():
    result = _result()
    data = json.loads(json.dumps(encode(result)))
    assert data["status"] == {"@enum": "extract.core.enums:Status", "value": "partial"}
    again = decode(data)
    assert again == result
    assert type(again.status) is Status and type(again.findings[0].verdict) is Verdict
    assert type(again.info.aanpakken[0]) is Aanpak and type(again.info.aanpakken[0].role) is Role
    assert type(again.problems[0].category) is ProblemCategory and again.error == "page 3: scanned at only 72 dpi"


@pytest.mark.parametrize("tag", ["subprocess:Popen", "extract.core.records:Finding", "enum:Enum"])
def test_the_cache_refuses_what_is_not_an_enum_of_the_package(tag):
    with pytest.raises((ValueError, TypeError)):
        decode({"@enum": tag, "value": "x"})


# ---------------------------------------------------------------- outputs and the version


def test_outputs_hold_the_values_and_datapackage_the_version(tmp_path):
    result = _result()
    followup = Finding("d", "a.pdf", "Almere", "Team", 2014, "Aanpak", "c", "I01", "tekst", Verdict.pass_, "✓", False,
                       "", "✓ tekst", 3, Method.text, finding_id="f2")
    result.findings[0].finding_id = "f1"
    result.findings.append(followup)
    link = Link("l", "Almere", "I01", "Team", "f1", Verdict.fail, "Team", "f2", Verdict.pass_, Change.resolved,
                LinkSource.followup, "", Verdict.fail, "d")
    tables = build_dataset([result], [link]).tables
    write_files(tables, tmp_path)
    documents = pd.read_csv(tmp_path / "documents.csv")
    assert documents.loc[0, ["kind", "status", "error"]].tolist() == ["factsheet", "partial",
                                                                      "page 3: scanned at only 72 dpi"]
    links = pd.read_csv(tmp_path / "links.csv")
    assert links.loc[0, ["verdict_2013", "change", "source"]].tolist() == ["fail", "resolved", "followup"]
    assert pd.read_parquet(tmp_path / "findings.parquet").method.tolist() == ["ocr", "text"]
    with sqlite3.connect(tmp_path / "stj.sqlite") as db:
        assert db.execute("SELECT kind, status, typeof(status) FROM documents").fetchall() == [
            ("factsheet", "partial", "text")]
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["stj_extract_version"] == __version__
    assert Package(str(tmp_path / "datapackage.json")).validate().valid


def test_stj_version():
    outcome = CliRunner().invoke(main, ["--version"])
    assert outcome.exit_code == 0 and outcome.output == f"stj {__version__}\n"


def test_stj_error_default_category_is_stated():
    assert StjError("x", category=ProblemCategory.no_text).problem.category == ProblemCategory.no_text
