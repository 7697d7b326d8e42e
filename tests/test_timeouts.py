"""Per-document time limits (the OCR of its pages counted), workers that die, and Ctrl-C / SIGTERM."""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from extract import api
from extract.core.enums import ProblemCategory
from extract.core.problems import Problem
from extract.core.settings import RunOptions
from extract.output.folder import VERSIONS
from extract.run import pipeline
from tests.conftest import ROOT, SAMPLES
from tests.synth import make_factsheet


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Four made-up factsheets; 'slow.pdf' and 'crash.pdf' among them."""
    folder = tmp_path_factory.mktemp("inputs")
    for index, name in enumerate(("a.pdf", "slow.pdf", "crash.pdf", "b.pdf")):
        make_factsheet(folder / name, gemeente=f"Lindewaard{index}", rng_seed=index)
    return folder


@pytest.fixture
def misbehaving(monkeypatch):
    """'slow.pdf' takes five minutes, 'crash.pdf' kills its worker process (as the kernel does on out-of-memory)."""
    real = pipeline.process_document

    def process_document(path, options=None):
        if path.name == "slow.pdf":
            time.sleep(300)
        if path.name == "crash.pdf":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, options)

    monkeypatch.setattr(pipeline, "process_document", process_document)


LIMIT = 15  # seconds: far above a born-digital document's time, even on a busy machine


@pytest.mark.slow  # waits out a 15 s time limit, a worker process is killed
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_slow_document_is_stopped_and_the_batch_goes_on(folder, tmp_path, misbehaving, jobs):
    start = time.monotonic()
    summary = api.run([folder], tmp_path / "out", jobs=jobs, timeout=LIMIT,
                      options=RunOptions(cache_dir=tmp_path / "cache"))
    assert time.monotonic() - start < 200, "the slow document was not stopped"
    by_name = {r.source_file: r for r in summary.results}
    assert by_name["slow.pdf"].status == "failed"
    assert by_name["slow.pdf"].error == (f"took longer than {LIMIT} s (the OCR of its pages included); raise --timeout "
                                         "to allow it")
    assert by_name["crash.pdf"].status == "failed"
    assert by_name["crash.pdf"].error.startswith("its worker process died (signal SIGKILL")
    assert by_name["a.pdf"].status == by_name["b.pdf"].status == "ok"
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert sorted(documents.source_file) == ["a.pdf", "b.pdf", "crash.pdf", "slow.pdf"]
    assert documents.doc_id.str.fullmatch(r"[0-9a-f]{16}").all()  # a stopped document still has its file's id
    assert summary.failed


@pytest.mark.slow  # a worker process stopped at its time limit
def test_a_stopped_document_is_not_cached_and_is_tried_again(folder, tmp_path, misbehaving):
    options = RunOptions(cache_dir=tmp_path / "cache")
    api.run([folder / "slow.pdf"], tmp_path / "out", jobs=1, timeout=2, options=options)
    assert pipeline.uncached([folder / "slow.pdf"], options) == [folder / "slow.pdf"]


def test_a_documents_limit_is_the_timeout_less_its_ocr_time():
    """The arithmetic of the slow tests' limits, without waiting: what OCR spent comes off the document's time; a
    document whose OCR used it all still gets a moment (and is stopped at once); no timeout is no limit."""
    scan, other = Path("scan.pdf"), Path("other.pdf")
    assert api.Limits(10, {scan: 7.5}).of(scan) == 2.5
    assert api.Limits(10, {scan: 7.5}).of(other) == 10
    limits = api.Limits(2, {scan: math.inf})
    assert limits.of(scan) == limits.least > 0
    assert api.Limits(None, {scan: 7.5}).of(scan) is None
    stopped = api.Limits(15).failed(other, Problem(None, ProblemCategory.timeout, "took longer than 15.0 s"))
    assert (stopped.status, stopped.errors) == ("failed", [
        "took longer than 15 s (the OCR of its pages included); raise --timeout to allow it"])
    died = api.Limits(15).failed(other, Problem(None, ProblemCategory.worker_died,
                                                 "its worker process died (signal SIGKILL)"))
    assert died.status == "failed" and died.errors[0].startswith("its worker process died (signal SIGKILL); run it "
                                                                "alone (--jobs 1)")


def slow_ocr(task, options):
    """A page whose OCR takes a minute (module level: pickled to the worker by name)."""
    time.sleep(60)
    return ""


@pytest.mark.slow  # OCR worker processes stopped at their time limit
def test_ocr_time_counts_against_the_document(tmp_path, monkeypatch):
    """A scan whose page OCR runs out of the document's time is stopped without being extracted."""
    monkeypatch.setattr(api, "ocr_task", slow_ocr)
    scan = SAMPLES / "almere-2015-scan.pdf"
    spent = api.prefetch_ocr([scan], RunOptions(cache_dir=tmp_path / "cache"), jobs=2, timeout=2)
    assert spent[scan] == math.inf
    limits = api.Limits(2, spent)
    assert limits.of(scan) == limits.least
    assert api.Limits(10, {scan: 7.5}).of(scan) == 2.5 and api.Limits(None).of(scan) is None
    start = time.monotonic()
    summary = api.run([scan], tmp_path / "out", jobs=1, timeout=2, options=RunOptions(cache_dir=tmp_path / "cache"))
    assert time.monotonic() - start < 40
    assert summary.results[0].status == "failed" and summary.results[0].error.startswith("took longer than 2 s")


def _interrupted_run(folder: Path, out: Path, cache: Path, signal_number: int) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "extract.cli", "run", str(folder), "--out", str(out), "--cache-dir", str(cache),
               "--jobs", "2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((cache / "results").glob("*/*.json")) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal_number)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


@pytest.mark.slow  # runs the stj command as a subprocess
@pytest.mark.parametrize("signal_number, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_keeps_the_previous_dataset_and_says_so_in_one_line(tmp_path, signal_number, code):
    folder = tmp_path / "inputs"
    folder.mkdir()
    for index in range(6):
        make_factsheet(folder / f"f{index}.pdf", gemeente=f"Beekveld{index}", rng_seed=10 + index)
    out = tmp_path / "out"
    api.run([folder / "f0.pdf"], out, jobs=1, options=RunOptions(cache_dir=tmp_path / "first-cache"))
    before = (out / "findings.csv").read_bytes()
    stopped = _interrupted_run(folder, out, tmp_path / "cache", signal_number)
    assert stopped.returncode == code, stopped.stderr
    lines = stopped.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stj: interrupted"), stopped.stderr
    assert "previous dataset" in lines[0] or "was not changed" in lines[0]
    assert (out / "findings.csv").read_bytes() == before
    assert not list((out / VERSIONS).glob(".staging-*"))
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", ".partial"))]
    again = api.run([folder], out, jobs=1, options=RunOptions(cache_dir=tmp_path / "cache"))  # lock released
    assert again.counts["ok"] == 6 and again.from_cache >= 1


@pytest.mark.slow  # runs the stj command as a subprocess
def test_the_command_line_limits_reach_every_document(tmp_path):
    """--max-pages and --max-image-pixels from the command line: a born-digital document over the page limit fails
    with the fix named, a scan whose page images exceed the pixel budget is not rendered."""
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extract.cli", "run", str(SAMPLES / "almere-2015.pdf"),
               str(SAMPLES / "almere-2015-scan.pdf"), "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
               "--max-pages", "2", "--jobs", "1"]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    documents = pd.read_csv(out / "documents.csv").set_index("source_file")
    assert (documents.status == "failed").all()
    assert "raise --max-pages to allow it" in documents.error["almere-2015.pdf"]
    proc = subprocess.run([*command[:-4], "--max-image-pixels", "1000", "--jobs", "1"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    documents = pd.read_csv(out / "documents.csv").set_index("source_file")
    assert documents.status["almere-2015.pdf"] == "ok"
    assert documents.status["almere-2015-scan.pdf"] in ("failed", "partial")
    assert "--max-image-pixels" in documents.error["almere-2015-scan.pdf"], documents.error["almere-2015-scan.pdf"]
