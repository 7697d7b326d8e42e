"""A plain install runs: the project is built into a wheel, installed into a fresh virtualenv (not editable, no source
tree on its path), and ``stj run`` there, started from another folder, extracts two samples exactly as the
development install does. This is what finds model assets located by a path into the source tree.

The fresh virtualenv borrows the installed dependencies (pdfplumber, spaCy, …) through a path file instead of
downloading them again: the test stays offline and takes seconds, and what it checks, the package and its data, comes
from the wheel alone (``extract`` itself is imported from the new virtualenv, which the test asserts).
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

BUILT_FROM = ("pyproject.toml", "README.md", "extract", "models")  # what a wheel is built from
TWO_SAMPLES = ("haarlemmermeer-2013.pdf", "almere-2015.pdf")


def _clean_env() -> dict[str, str]:
    """The environment of a user who has only the wheel: no source tree on the path, no asset override."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "STJ_MODELS_DIR", "PYTHONHOME")}


def _build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILT_FROM:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "dist"), str(source)], check=True, env=_clean_env(), cwd=tmp_path)
    wheels = list((tmp_path / "dist").glob("stj_extract-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _fresh_venv(tmp_path: Path, wheel: Path) -> Path:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies of the development venv, as plain path entries: its .pth files (the editable install's
    # finder among them) are not run, so only the wheel provides `extract`
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True,
                   env=_clean_env(), cwd=tmp_path)
    return target


def test_a_wheel_installed_in_a_fresh_venv_extracts_the_samples_from_another_folder(tmp_path):
    wheel = _build_wheel(tmp_path)
    target = _fresh_venv(tmp_path, wheel)
    elsewhere = tmp_path / "elsewhere"
    inputs = elsewhere / "pdfs"
    inputs.mkdir(parents=True)
    for name in TWO_SAMPLES:
        shutil.copy2(SAMPLES / name, inputs / name)

    where = subprocess.run([str(target / "bin" / "python"), "-c", "import extract; print(extract.__file__)"],
                           capture_output=True, text=True, check=True, env=_clean_env(), cwd=elsewhere).stdout
    assert Path(where.strip()).is_relative_to(target), f"extract was imported from {where.strip()}, not the wheel"

    installed = subprocess.run([str(target / "bin" / "stj"), "run", "pdfs", "--out", "out", "--no-cache", "--jobs",
                                "1"], capture_output=True, text=True, env=_clean_env(), cwd=elsewhere, timeout=600)
    assert installed.returncode == 0, installed.stderr[-2000:]
    developed = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(inputs), "--out",
                                str(tmp_path / "dev-out"), "--no-cache", "--jobs", "1"],
                               capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert developed.returncode == 0, developed.stderr[-2000:]

    tables = sorted(p.name for p in (tmp_path / "dev-out").glob("*.csv"))
    assert "findings.csv" in tables
    findings = (elsewhere / "out" / "findings.csv").read_text(encoding="utf-8").splitlines()
    assert len(findings) > 50, "the installed tool found (almost) no findings: are its model assets missing?"
    differing = [name for name in tables
                 if not filecmp.cmp(elsewhere / "out" / name, tmp_path / "dev-out" / name, shallow=False)]
    assert not differing, f"the installed tool wrote other tables than the development install: {differing}"
