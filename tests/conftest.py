"""Shared fixtures: the sample documents and one extraction run over the born-digital samples."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLD = SAMPLES / "gold"
BORN_DIGITAL = ["haarlemmermeer-2013.pdf", "almere-2015.pdf"]

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def born_digital_run(tmp_path_factory):
    """One `api.run` over copies of the born-digital samples: (summary, output folder)."""
    from extract import api

    out = tmp_path_factory.mktemp("out")
    summary = api.run([SAMPLES / name for name in BORN_DIGITAL], out, jobs=1)
    return summary, out
