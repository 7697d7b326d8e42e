"""Bad input: each file gets a documents row with a status and a one-line reason (also on stderr); the batch goes on."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from reportlab.pdfgen import canvas

from extract import api
from extract.cli import main
from extract.core.settings import RunOptions
from tests.conftest import ROOT, SAMPLES


def _unrelated_pdf(path):
    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Jaarverslag van de voetbalvereniging 2013")
    pdf.drawString(72, 700, "De competitie is goed verlopen en de kantine draait quitte.")
    pdf.save()


def _encrypted_pdf(path):
    pdf = canvas.Canvas(str(path), encrypt="geheim")
    pdf.drawString(72, 720, "Uitkomsten toezichtonderzoek")
    pdf.save()


def _bad_folder(folder):
    """Five bad files and a good one."""
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.pdf").write_text("dit is geen pdf\n")
    data = (SAMPLES / "almere-2015.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    _encrypted_pdf(folder / "locked.pdf")
    _unrelated_pdf(folder / "voetbal.pdf")
    shutil.copy(SAMPLES / "almere-2015.pdf", folder / "good.pdf")
    return folder


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    folder = _bad_folder(tmp_path_factory.mktemp("inputs"))
    out = tmp_path_factory.mktemp("out")
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(folder), "--out", str(out), "--jobs", "1"],
                          capture_output=True, text=True, cwd=ROOT)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("source_file")
    return proc, documents, out


BAD_FILES = [
    ("empty.pdf", "failed", "empty"),
    ("notes.pdf", "failed", "not a PDF"),
    ("truncated.pdf", "failed", "damaged or truncated"),
    ("locked.pdf", "failed", "encrypted"),
    ("voetbal.pdf", "skipped", "not a Samenwerkend Toezicht Jeugd"),
]


def test_each_bad_file_has_status_and_reason_in_process(tmp_path):
    """The same batch through ``api.run`` in this process (the fast layer's check; the command's stderr and exit
    status are checked below, in a subprocess)."""
    (tmp_path / "inputs").mkdir()
    summary = api.run([_bad_folder(tmp_path / "inputs")], tmp_path / "out", jobs=1,
                      options=RunOptions(cache_dir=tmp_path / "cache"))
    by_name = {r.source_file: r for r in summary.results}
    assert sorted(by_name) == sorted([name for name, _, _ in BAD_FILES] + ["good.pdf"])
    wrong = [(name, by_name[name].status, by_name[name].error) for name, status, reason in BAD_FILES
             if by_name[name].status != status or reason not in by_name[name].error or "\n" in by_name[name].error]
    assert wrong == []
    assert by_name["good.pdf"].status == "ok" and len(by_name["good.pdf"].findings) == 24
    assert "qpdf --decrypt" in by_name["locked.pdf"].error


@pytest.mark.slow  # the bad batch runs the stj command as a subprocess
@pytest.mark.parametrize("name,status,reason", BAD_FILES)
def test_each_bad_file_has_status_and_reason(bad_batch, name, status, reason):
    proc, documents, _ = bad_batch
    row = documents.loc[name]
    assert row.status == status
    assert reason in row.error
    assert "\n" not in row.error
    assert f"stj: {name}: {status}: " in proc.stderr and reason in proc.stderr


@pytest.mark.slow  # the bad batch runs the stj command as a subprocess
def test_unrelated_pdf_is_unknown_kind(bad_batch):
    _, documents, _ = bad_batch
    assert documents.loc["voetbal.pdf"].kind == "unknown"


@pytest.mark.slow  # the bad batch runs the stj command as a subprocess
def test_batch_goes_on_and_exit_status_reports_failure(bad_batch):
    proc, documents, out = bad_batch
    assert documents.loc["good.pdf"].status == "ok"
    assert documents.loc["good.pdf"].findings == 24
    assert proc.returncode == 1
    assert "6 files: 1 ok, 0 partial, 4 failed, 1 skipped" in proc.stdout
    assert len(pd.read_csv(out / "findings.csv")) == 24


@pytest.mark.slow  # the bad batch runs the stj command as a subprocess
def test_encrypted_message_suggests_the_fix(bad_batch):
    _, documents, _ = bad_batch
    assert "qpdf --decrypt" in documents.loc["locked.pdf"].error


def test_the_command_in_process_exit_statuses(tmp_path):
    """The fast layer's command line (click's runner, no subprocess): only skipped files exit 0, bad usage exits 2."""
    runner = CliRunner()
    _unrelated_pdf(tmp_path / "other.pdf")
    skipped = runner.invoke(main, ["run", str(tmp_path / "other.pdf"), "--out", str(tmp_path / "out"), "--cache-dir",
                                   str(tmp_path / "cache"), "--jobs", "1", "--timeout", "0"])  # 0: in this process
    assert skipped.exit_code == 0, skipped.output
    assert "1 skipped" in skipped.output
    usage = runner.invoke(main, ["run", str(tmp_path / "missing.pdf")])
    assert usage.exit_code == 2
    assert "does not exist" in usage.output


@pytest.mark.slow  # runs the stj command as a subprocess
def test_only_skipped_files_exit_zero(tmp_path):
    _unrelated_pdf(tmp_path / "other.pdf")
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(tmp_path / "other.pdf"), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "1 skipped" in proc.stdout


@pytest.mark.slow  # runs the stj command as a subprocess
def test_bad_usage_exits_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(tmp_path / "missing.pdf")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
