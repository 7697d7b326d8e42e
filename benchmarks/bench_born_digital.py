"""Seconds per page of the whole born-digital pipeline next to pdfplumber's own extract_words() (the floor).

Usage: .venv/bin/python benchmarks/bench_born_digital.py [PDF...]   (default: the born-digital samples)
Aim: the pipeline within 3x of the floor.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.pipeline import process_document  # noqa: E402

REPEATS = 3


def floor_seconds(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
        pages = len(pdf.pages)
    return time.perf_counter() - start, pages


def pipeline_seconds(path: Path) -> float:
    start = time.perf_counter()
    result = process_document(path)
    assert result.status == "ok", result.errors
    return time.perf_counter() - start


def main(paths: list[Path]) -> None:
    process_document(paths[0])  # warm up: imports, spaCy, lemma table
    total_floor = total_pipe = total_pages = 0.0
    print(f"{'file':32} {'pages':>5} {'floor s/page':>13} {'stj s/page':>11} {'ratio':>6}")
    for path in paths:
        floor, pages = min(floor_seconds(path) for _ in range(REPEATS))
        pipe = min(pipeline_seconds(path) for _ in range(REPEATS))
        total_floor, total_pipe, total_pages = total_floor + floor, total_pipe + pipe, total_pages + pages
        print(f"{path.name:32} {pages:5d} {floor / pages:13.4f} {pipe / pages:11.4f} {pipe / floor:6.2f}")
    print(f"{'all':32} {int(total_pages):5d} {total_floor / total_pages:13.4f} {total_pipe / total_pages:11.4f} "
          f"{total_pipe / total_floor:6.2f}")


if __name__ == "__main__":
    given = [Path(p) for p in sys.argv[1:]]
    main(given or [ROOT / "samples" / "haarlemmermeer-2013.pdf", ROOT / "samples" / "almere-2015.pdf"])
