"""Shared fixtures: the sample documents and one extraction run over the born-digital samples."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = SAMPLES / "gold"

def gold_files(scanned: bool) -> list[tuple[Path, str]]:
    """(gold file, sample it covers) for every born-digital (or scanned: "scan" in the name) sample of the gold."""
    pairs = []
    for gold in sorted(GOLD.glob("*.json")):
        data = json.loads(gold.read_text(encoding="utf-8"))
        if "findings" in data:
            pairs += [(gold, name) for name in data["files"] if ("scan" in name) == scanned]
    return pairs


BORN_DIGITAL = sorted({name for _, name in gold_files(scanned=False)})

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def born_digital_run(tmp_path_factory):
    """One `api.run` over copies of the born-digital samples: (summary, output folder)."""
    from extract import api

    out = tmp_path_factory.mktemp("out")
    summary = api.run([SAMPLES / name for name in BORN_DIGITAL], out, jobs=1)
    return summary, out


# the samples whose rows the hand counts of the statistics and Datasette tests are written from (test_stats.py,
# test_serve.py): one factsheet of one aanpak and two copies of one follow-up
COUNTED_SAMPLES = ["almere-2015-open.pdf", "almere-2015.pdf", "haarlemmermeer-2013.pdf"]


@pytest.fixture(scope="session")
def counted_run(tmp_path_factory):
    """One `api.run` over ``COUNTED_SAMPLES``: (summary, output folder)."""
    from extract import api

    out = tmp_path_factory.mktemp("counted") / "out"
    summary = api.run([SAMPLES / name for name in COUNTED_SAMPLES], out, jobs=1)
    return summary, out


@pytest.fixture(scope="module")
def review_audit(born_digital_run, tmp_path_factory):
    """A copy of the born-digital run (each test module its own, so saved reviews do not cross) and its audit page:
    the review page tests' input."""
    import shutil

    from extract.analysis.audit import build_audit

    copy = tmp_path_factory.mktemp("review") / "out"
    shutil.copytree(born_digital_run[1], copy, symlinks=True)
    return copy, build_audit(copy, sample=6, seed=3, below=0.9)
