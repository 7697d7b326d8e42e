"""The output folder always holds one whole run (killed at any moment), and one run at a time (the lock)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from extract import api
from extract.core.errors import OutputLockedError
from extract.core.settings import RunOptions
from extract.output.folder import LOCK_FILE, VERSIONS, OutputFolder, OutputLock
from tests.conftest import ROOT
from tests.synth import make_factsheet, make_followup


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """Three made-up documents; ``first`` holds two of them."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "all").mkdir()
    make_followup(folder / "all" / "followup.pdf", gemeente="Westerbroek", rng_seed=3)
    make_factsheet(folder / "all" / "factsheet-a.pdf", gemeente="Westerbroek", aanpak="Gezinscoaching", rng_seed=4)
    make_factsheet(folder / "all" / "factsheet-b.pdf", gemeente="Oosterdijk", rng_seed=5)
    (folder / "first").mkdir()
    for name in ("followup.pdf", "factsheet-b.pdf"):
        (folder / "first" / name).write_bytes((folder / "all" / name).read_bytes())
    return folder


def assert_whole(out: Path) -> int:
    """CSV, Parquet and SQLite agree with each other and with datapackage.json, all from one version; returns the
    number of documents in it."""
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = [f"{r['name']}.{ext}" for r in package["resources"] for ext in ("csv", "parquet")] + ["stj.sqlite"]
    versions = {Path(os.path.realpath(out / name)).parent for name in names + ["datapackage.json"]}
    assert len(versions) == 1, f"files of different runs: {versions}"
    with sqlite3.connect(f"file:{out / 'stj.sqlite'}?mode=ro", uri=True) as db:
        for resource in package["resources"]:
            name, fields = resource["name"], [f["name"] for f in resource["schema"]["fields"]]
            csv = pd.read_csv(out / f"{name}.csv", dtype=str, keep_default_na=False)
            parquet = pd.read_parquet(out / f"{name}.parquet")
            sql = pd.read_sql(f"SELECT * FROM {name}", db)
            assert list(csv.columns) == list(parquet.columns) == list(sql.columns) == fields, name
            assert len(csv) == len(parquet) == len(sql), name
            for key in resource["schema"].get("primaryKey", [])[:1]:
                assert sorted(csv[key]) == sorted(parquet[key].astype(str)) == sorted(sql[key].astype(str)), name
    return len(pd.read_csv(out / "documents.csv"))


@pytest.mark.slow  # three runs over generated documents (the fast layer keeps test_dataset's atomic replacement)
def test_tables_are_links_into_the_current_version_and_two_versions_are_kept(inputs, tmp_path):
    out, options = tmp_path / "out", RunOptions(cache_dir=tmp_path / "cache")
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "mine.txt").write_text("keep me")
    (out / "findings.csv").write_text("an older run's real file\n")  # from before versions existed
    for run in range(3):
        api.run([inputs / ("first" if run % 2 == 0 else "all")], out, jobs=1, options=options)
        assert assert_whole(out) == (2 if run % 2 == 0 else 3)
    assert (out / "findings.csv").is_symlink() and not Path(os.readlink(out / "findings.csv")).is_absolute()
    versions = [p for p in (out / VERSIONS).iterdir() if not p.name.startswith(".") and p.name != "current"]
    assert len(versions) == 2
    assert OutputFolder(out).current() in versions
    assert (out / "notes" / "mine.txt").read_text() == "keep me"
    assert not list((out / VERSIONS).glob(".staging-*"))


KILLER = textwrap.dedent("""
    import os, signal, sys
    from extract import api
    from extract import cli
    from extract.output import folder as output

    where, nth = sys.argv[1], int(sys.argv[2])
    calls = {"n": 0}

    def dying(original):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)
        return wrapper

    owner = output.OutputFolder if where.startswith("_") else api
    setattr(owner, where, dying(getattr(owner, where)))
    cli.main(sys.argv[3:])
""")

# (function, which call) before which the run is killed: after extraction, after the version is renamed into
# place, after the pointer swap and among the top-level links, and after the old version is pruned
MOMENTS = [("write_files", 1), ("_swap_current", 1), ("_link_top_level", 1), ("_link_top_level", 9),
           ("_prune", 1)]


def _run_command(inputs: Path, out: Path, cache: Path, *extra: str) -> list[str]:
    return ["run", str(inputs / "all"), "--out", str(out), "--cache-dir", str(cache), "--jobs", "1", *extra]


@pytest.mark.slow  # kills the stj command, run as a subprocess, at nine moments
def test_a_run_killed_at_any_moment_leaves_a_whole_dataset(inputs, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    api.run([inputs / "first"], out, jobs=1, options=RunOptions(cache_dir=cache))
    seen = set()
    for where, nth in MOMENTS:  # precise moments of the publishing step
        command = [sys.executable, "-c", KILLER, where, str(nth), *_run_command(inputs, out, cache)]
        process = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert process.returncode == -signal.SIGKILL, (where, nth, process.stderr)
        seen.add(assert_whole(out))
    assert seen == {2, 3}  # killed before the swap: the previous run; after it: the new one
    for delay in (0.5, 2.0, 4.0, 6.0):  # and at moments of the whole run, from a fresh cache
        command = [sys.executable, "-m", "extract.cli", *_run_command(inputs, out, tmp_path / f"c{delay}")]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert assert_whole(out) in (2, 3)
    api.run([inputs / "first"], out, jobs=1, options=RunOptions(cache_dir=cache))
    assert assert_whole(out) == 2
    assert not list((out / VERSIONS).glob(".staging-*")), "the next run removes what killed runs left"
    assert len([p for p in (out / VERSIONS).iterdir() if not p.name.startswith(".")]) <= 3  # 2 versions + current


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from extract.output.folder import OutputLock

    with OutputLock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _hold(out: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.mark.slow  # a lock-holding subprocess and the stj command as a subprocess
def test_a_second_run_stops_at_once_naming_the_holder(inputs, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out, 60)
    try:
        with pytest.raises(OutputLockedError, match=rf"pid {holder.pid}\b.*--wait"):
            api.run([inputs / "first"], out, jobs=1, options=RunOptions(cache_dir=tmp_path / "cache"))
        cli = subprocess.run([sys.executable, "-m", "extract.cli", *_run_command(inputs, out, tmp_path / "cache")],
                             cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert cli.returncode == 4
        assert cli.stderr.strip().splitlines() == [cli.stderr.strip()] and "in use by another stj run" in cli.stderr
        assert not (out / "documents.csv").exists()
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow  # waits on a lock-holding subprocess
def test_a_second_run_with_wait_runs_when_the_first_is_done(inputs, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out, 1.5)
    api.run([inputs / "first"], out, jobs=1, options=RunOptions(cache_dir=tmp_path / "cache"), wait=60)
    assert holder.wait(timeout=10) == 0
    assert assert_whole(out) == 2


@pytest.mark.slow  # a lock-holding subprocess, killed
def test_the_lock_of_a_killed_run_is_taken_over(inputs, tmp_path):
    out = tmp_path / "out"
    holder = _hold(out, 60)
    holder.kill()
    holder.wait()
    assert (out / LOCK_FILE).read_text().startswith(f"{holder.pid}\n")  # the dead run's pid is still named
    api.run([inputs / "first"], out, jobs=1, options=RunOptions(cache_dir=tmp_path / "cache"))
    assert assert_whole(out) == 2


def test_a_failed_run_clears_its_lock_record(tmp_path):
    """The fast layer's half of the next test, in this process: while held the lock file names this process; after a
    run that failed it names none (that another process can take it is the next test's, in a subprocess)."""
    lock = OutputLock(tmp_path / "out")
    with pytest.raises(ZeroDivisionError):
        with lock:
            assert lock.holder().pid == os.getpid()
            raise ZeroDivisionError
    assert lock.holder().pid == 0


@pytest.mark.slow  # another process takes the lock
def test_lock_is_released_after_a_failed_run(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(ZeroDivisionError):
        with OutputLock(out):
            raise ZeroDivisionError
    holder = _hold(out, 0)  # another process can take it at once
    assert holder.wait(timeout=10) == 0
