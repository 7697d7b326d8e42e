"""The results cache: an unchanged document is not extracted again; bytes, settings, version or code changes are;
``--no-cache`` keeps nothing; a killed run resumes with the unfinished documents only."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from reportlab.pdfgen import canvas

import extract
from extract import api
from extract.cli import main
from extract.core.settings import OcrSettings, RunOptions
from extract.run import pipeline, results_cache
from tests.conftest import ROOT, SAMPLES
from tests.synth import make_factsheet, make_followup

CSV_TABLES = ("documents", "findings", "links", "conclusions", "aanpakken", "context", "organisations")


def _documents(folder: Path, n: int = 3) -> list[Path]:
    """``n`` distinct born-digital documents (factsheets and one follow-up) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    made = [folder / "followup-oosterwolde.pdf"]
    make_followup(made[0], rng_seed=7)
    for i in range(n - 1):
        made.append(folder / f"factsheet-{i}.pdf")
        make_factsheet(made[-1], gemeente=f"Gemeente{'abcdefgh'[i]}veen", rng_seed=i)
    return sorted(made)


@pytest.fixture
def folder(tmp_path) -> Path:
    _documents(tmp_path / "inputs")
    return tmp_path / "inputs"


@pytest.fixture
def options(tmp_path) -> RunOptions:
    return RunOptions(cache_dir=tmp_path / "cache")


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """The names of the files actually extracted (``process_document`` called), in order."""
    names: list[str] = []
    real = pipeline.process_document

    def counting(path, options=None):
        names.append(path.name)
        return real(path, options)

    monkeypatch.setattr(pipeline, "process_document", counting)
    return names


def _entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / results_cache.SUBFOLDER).glob("*/*.json"))


def _same_csv_files(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("*.csv"))
    assert names == sorted(p.name for p in b.glob("*.csv")) and len(names) >= len(CSV_TABLES)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_an_unchanged_sample_is_not_extracted_again(options, tmp_path, extracted):
    """The fast layer's version of the next test, on one born-digital sample."""
    sample = SAMPLES / "almere-2015.pdf"
    first = api.run([sample], tmp_path / "first", jobs=1, options=options)
    assert extracted == [sample.name] and first.counts["ok"] == 1 and len(_entries(options.cache_dir)) == 1
    extracted.clear()
    again = api.run([sample], tmp_path / "again", jobs=1, options=options)
    assert extracted == [] and again.from_cache == 1
    assert again.counts == first.counts and again.rows == first.rows > 0 and again.links == first.links
    _same_csv_files(tmp_path / "first", tmp_path / "again")


@pytest.mark.slow  # typesets three documents and runs them twice (the one-sample case above stays fast)
def test_unchanged_rerun_extracts_nothing_and_writes_identical_files(folder, options, tmp_path, extracted):
    first = api.run([folder], tmp_path / "first", jobs=1, options=options)
    assert len(extracted) == 3 and first.counts["ok"] == 3
    assert len(_entries(options.cache_dir)) == 3
    extracted.clear()
    again = api.run([folder], tmp_path / "again", jobs=1, options=options)
    assert extracted == []
    assert again.counts == first.counts and again.rows == first.rows and again.links == first.links
    _same_csv_files(tmp_path / "first", tmp_path / "again")


@pytest.mark.slow  # two runs over generated documents
def test_cached_ocr_prefetch_is_skipped(folder, options, tmp_path, monkeypatch):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    prefetched: list[list[Path]] = []
    monkeypatch.setattr(api, "prefetch_ocr", lambda inputs, *args, **kwargs: prefetched.append(list(inputs)))
    changed = folder / "factsheet-0.pdf"
    make_factsheet(changed, gemeente="Anderveen", rng_seed=99)
    api.run([folder], tmp_path / "again", jobs=1, options=options)
    assert prefetched == [[changed.resolve()]]


@pytest.mark.slow  # three runs over generated documents
def test_moved_and_renamed_copies_come_from_the_cache_under_their_new_names(folder, options, tmp_path, extracted):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    moved = tmp_path / "elsewhere" / "sub"
    moved.mkdir(parents=True)
    for path in folder.glob("*.pdf"):
        shutil.copy(path, moved / f"renamed-{path.name}")
    extracted.clear()
    api.run([moved], tmp_path / "cached", jobs=1, options=options)
    assert extracted == []
    fresh = RunOptions(cache_dir=tmp_path / "other-cache", use_results_cache=False)
    api.run([moved], tmp_path / "fresh", jobs=1, options=fresh)
    assert len(extracted) == 3 and not _entries(fresh.cache_dir)
    _same_csv_files(tmp_path / "cached", tmp_path / "fresh")
    findings = pd.read_csv(tmp_path / "cached" / "findings.csv")
    assert set(findings.source_file) == {f"renamed-{p.name}" for p in folder.glob("*.pdf")}


@pytest.mark.slow  # two runs over three generated documents
def test_changed_bytes_are_extracted_again(folder, options, tmp_path, extracted):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    make_factsheet(folder / "factsheet-1.pdf", gemeente="Nieuwveen", rng_seed=42)
    extracted.clear()
    summary = api.run([folder], tmp_path / "again", jobs=1, options=options)
    assert extracted == ["factsheet-1.pdf"]
    assert summary.from_cache == 2 and "(2 from the results cache)" in summary.line()
    assert "Nieuwveen" in {r.info.gemeente for r in summary.results}


@pytest.mark.slow  # four runs over generated documents
def test_changed_ocr_setting_invalidates(folder, options, tmp_path, extracted):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    extracted.clear()
    fixed_dpi = RunOptions(ocr=OcrSettings(dpi=300), cache_dir=options.cache_dir)
    api.run([folder], tmp_path / "dpi300", jobs=1, options=fixed_dpi)
    assert len(extracted) == 3
    extracted.clear()
    api.run([folder], tmp_path / "auto", jobs=1, options=options)  # both settings are kept side by side
    api.run([folder], tmp_path / "dpi300-again", jobs=1, options=fixed_dpi)
    assert extracted == []


@pytest.mark.slow  # two runs over three generated documents, twice
@pytest.mark.parametrize("change", ["version", "code"])
def test_new_version_or_code_invalidates(folder, options, tmp_path, extracted, monkeypatch, change):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    extracted.clear()
    if change == "version":
        monkeypatch.setattr(extract, "__version__", extract.__version__ + ".post1")
    else:
        monkeypatch.setattr(results_cache, "code_digest", lambda: "0" * 16)
    api.run([folder], tmp_path / "again", jobs=1, options=options)
    assert len(extracted) == 3


def test_code_digest_covers_model_assets(tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    (models / "toetsingskader.csv").write_text("id,indicator\nI01,a\n")
    monkeypatch.setattr(results_cache, "MODELS_DIR", models)
    try:
        results_cache.code_digest.cache_clear()
        before = results_cache.code_digest()
        (models / "toetsingskader.csv").write_text("id,indicator\nI01,b\n")
        results_cache.code_digest.cache_clear()
        assert results_cache.code_digest() != before
    finally:
        results_cache.code_digest.cache_clear()


@pytest.mark.slow  # two runs over generated documents
def test_broken_entry_is_ignored_with_a_warning_and_replaced(folder, options, tmp_path, extracted, caplog):
    api.run([folder], tmp_path / "first", jobs=1, options=options)
    entry = _entries(options.cache_dir)[0]
    entry.write_text('{"format": 1, "result": {"@type": "os:system"')
    extracted.clear()
    api.run([folder], tmp_path / "again", jobs=1, options=options)
    assert len(extracted) == 1
    assert "ignoring a broken results cache entry" in caplog.text
    assert json.loads(entry.read_text())["result"]["@type"] == "extract.core.records:DocumentResult"


def test_foreign_types_in_an_entry_are_refused():
    with pytest.raises(ValueError):
        results_cache.decode({"@type": "subprocess:Popen", "args": ["true"]})


@pytest.mark.slow  # two runs over generated documents
def test_internal_errors_are_not_cached_and_stated_reasons_are(tmp_path, options, extracted, monkeypatch):
    folder = tmp_path / "inputs"
    good = _documents(folder, n=1)[0]
    (folder / "notes.pdf").write_text("dit is geen pdf\n")  # failed before it was read: cheap, not cached
    unrelated = canvas.Canvas(str(folder / "voetbal.pdf"))
    unrelated.drawString(72, 720, "Jaarverslag van de voetbalvereniging 2013: de competitie is goed verlopen.")
    unrelated.save()
    real = pipeline.extract_into

    def bug(result, source, options=None):
        if source.source_file == good.name:
            raise RuntimeError("simulated bug")
        real(result, source, options)

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "extract_into", bug)
        summary = api.run([folder], tmp_path / "first", jobs=1, options=options)
    assert [r.status for r in summary.results] == ["failed", "failed", "skipped"]
    assert summary.results[0].error.startswith(pipeline.INTERNAL_ERROR)
    assert len(_entries(options.cache_dir)) == 1  # the skipped document only
    extracted.clear()
    summary = api.run([folder], tmp_path / "fixed", jobs=1, options=options)
    assert extracted == [good.name, "notes.pdf"]  # the bug is fixed: retried; the skipped one from the cache
    assert [r.status for r in summary.results] == ["ok", "failed", "skipped"]


@pytest.mark.slow  # four runs over generated documents
def test_no_cache_keeps_nothing_and_extracts_again(folder, tmp_path, extracted, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    runner = CliRunner()
    for attempt in range(2):
        outcome = runner.invoke(main, ["run", str(folder), "--out", str(tmp_path / f"out{attempt}"), "--jobs", "1",
                                       "--no-cache", "--timeout", "0"])  # no limit: in this process, so counted
        assert outcome.exit_code == 0, outcome.output
    assert len(extracted) == 6
    assert not (tmp_path / "xdg").exists()
    extracted.clear()
    for attempt in range(2):  # the default cache folder, for contrast
        outcome = runner.invoke(main, ["run", str(folder), "--out", str(tmp_path / f"cached{attempt}"), "--jobs", "1",
                                       "--timeout", "0"])
        assert outcome.exit_code == 0, outcome.output
    assert len(extracted) == 3
    assert len(_entries(tmp_path / "xdg" / "stj-extract")) == 3


@pytest.mark.slow  # runs the stj command as a subprocess (twice)
def test_a_killed_run_resumes_with_the_unfinished_documents(tmp_path):
    folder, cache, n = tmp_path / "inputs", tmp_path / "cache", 6
    _documents(folder, n=n)
    command = [sys.executable, "-m", "extract.cli", "-v", "run", str(folder), "--out", str(tmp_path / "out"),
               "--cache-dir", str(cache), "--jobs", "1"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while not _entries(cache) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be interrupted"
    finished = len(_entries(cache))
    assert 1 <= finished < n
    assert not (tmp_path / "out" / "documents.csv").exists()

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    log = again.stderr.splitlines()
    assert sum("pipeline: extracting " in line for line in log) == n - finished
    assert sum(line.endswith(" from the cache") for line in log) == finished
    assert f"{finished} of {n} documents from the results cache; {n - finished} to extract" in again.stderr
    assert len(pd.read_csv(tmp_path / "out" / "documents.csv")) == n
    assert len(_entries(cache)) == n
