"""Seconds per page of the whole pipeline on scanned PDFs, next to plain `tesseract page.png - -l nld` on the same
page images (the floor: each page rendered at the resolution the pipeline reads it at, its scan's own), and the time
of a second, cached run. The floor runs as many Tesseract processes at once as the pipeline has workers (--jobs), so
both use the same number of cores.

Usage: .venv/bin/python benchmarks/bench_scans.py [--jobs N] [PDF...]   (default: the scanned samples; --jobs 2)
Aims: first run within 1.5x of the floor per page (same number of cores); the cached run at least 20x faster.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import api  # noqa: E402
from extract.ocr import OcrSettings, page_settings  # noqa: E402
from extract.pipeline import RunOptions  # noqa: E402


def floor_seconds(paths: list[Path], settings: OcrSettings, workdir: Path, jobs: int) -> tuple[float, int]:
    """Render every page to PNG at the resolution the pipeline reads it at (not timed), then time plain Tesseract
    over them, one single-threaded process per page, ``jobs`` of them at a time."""
    images = []
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for index, page in enumerate(pdf):
            image = workdir / f"{path.stem}-{index + 1}.png"
            dpi = page_settings(path, index + 1, settings).resolved
            page.render(scale=dpi / 72, grayscale=True).to_pil().save(image, dpi=(dpi, dpi))
            images.append(image)
        pdf.close()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def tesseract(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "-", "-l", "nld"], check=True, capture_output=True, env=env)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(tesseract, images))
    return time.perf_counter() - start, len(images)


def pipeline_seconds(paths: list[Path], jobs: int, cache: Path, out: Path) -> float:
    start = time.perf_counter()
    summary = api.run(paths, out, jobs=jobs, options=RunOptions(ocr=OcrSettings(), cache_dir=cache))
    assert not summary.failed, summary.line()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2,
                        help="workers for the pipeline and Tesseract processes at once for the floor (default 2)")
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.pdfs or sorted((ROOT / "samples").glob("*-scan*.pdf"))
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        floor, pages = floor_seconds(paths, OcrSettings(), work, args.jobs)
        first = pipeline_seconds(paths, args.jobs, work / "cache", work / "out1")
        second = pipeline_seconds(paths, args.jobs, work / "cache", work / "out2")
    print(f"{pages} scanned pages, pipeline with --jobs {args.jobs}, "
          f"floor with {args.jobs} Tesseract processes at once")
    print(f"plain tesseract (floor): {floor / pages:6.2f} s/page")
    print(f"stj, first run:          {first / pages:6.2f} s/page  ({first / floor:.2f}x the floor, total)")
    print(f"stj, second run (cache): {second / pages:6.2f} s/page  ({first / second:.1f}x faster than the first)")


if __name__ == "__main__":
    main()
