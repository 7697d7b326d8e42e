"""What a user waits for on scans: `stj run --jobs N` as a subprocess (start-up included, wall time, a fresh cache),
next to the floor: plain `tesseract page.png - -l nld` on the same page images (each page rendered at the resolution
the pipeline reads it at, its scan's own), as many Tesseract processes at once as the pipeline's --jobs, so both use
the same number of cores. Then the same `stj run` again on the now filled cache.

Usage: .venv/bin/python benchmarks/bench_scans.py [--jobs N] [PDF...]   (default: the scanned samples; --jobs 2)
Aims: first run within 1.4x of the floor (same number of cores); the cached run at least 20x faster.
It takes a few minutes (the floor and the first run each OCR every page).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

ROOT = Path(__file__).resolve().parent.parent
STJ = ROOT / ".venv" / "bin" / "stj"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_corpus  # noqa: E402
from extract.core.settings import OcrSettings  # noqa: E402
from extract.ocr.page import page_settings

FIRST_AIM = 1.4  # the first run's wall time at most this many times the floor's
CACHED_AIM = 20.0  # the cached run at least this many times faster than the first


@dataclass(frozen=True)
class Timing:
    seconds: float  # wall
    cpu: float  # user + system of the processes waited for
    others: float  # share of the cores other processes kept busy meanwhile
    summary: str = ""


def timed(work) -> tuple[Timing, object]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy = bench_corpus._busy_seconds()
    start = time.perf_counter()
    value = work()
    seconds = time.perf_counter() - start
    busy = bench_corpus._busy_seconds() - busy
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Timing(seconds, cpu, max(0.0, busy - cpu) / (seconds * (os.cpu_count() or 1))), value


def page_images(paths: list[Path], settings: OcrSettings, workdir: Path) -> list[Path]:
    """Every page as a PNG at the resolution the pipeline reads it at (not timed)."""
    images = []
    for path in paths:
        pdf = pdfium.PdfDocument(str(path))
        for index, page in enumerate(pdf):
            image = workdir / f"{path.stem}-{index + 1}.png"
            dpi = page_settings(path, index + 1, settings).resolved
            page.render(scale=dpi / 72, grayscale=True).to_pil().save(image, dpi=(dpi, dpi))
            images.append(image)
        pdf.close()
    return images


def floor(images: list[Path], jobs: int) -> Timing:
    """Plain Tesseract over the page images, one single-threaded process per page, ``jobs`` at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def tesseract(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "-", "-l", "nld"], check=True, capture_output=True, env=env)

    def work() -> None:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(tesseract, images))

    return timed(work)[0]


def stj_run(paths: list[Path], jobs: int, cache: Path, out: Path) -> Timing:
    """`stj run` as a user runs it; a file that fails stops the benchmark."""
    command = [str(STJ), "run", *map(str, paths), "--out", str(out), "--jobs", str(jobs), "--cache-dir", str(cache)]
    env = {k: v for k, v in os.environ.items() if k != "STJ_SCHEDULER"}
    timing, done = timed(lambda: subprocess.run(command, capture_output=True, text=True, env=env,
                                                stdin=subprocess.DEVNULL))
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode or " 0 failed" not in summary:
        raise RuntimeError(f"stj run exited {done.returncode}: {summary}\n{done.stderr[-2000:]}")
    return Timing(timing.seconds, timing.cpu, timing.others, summary)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2,
                        help="workers for the pipeline and Tesseract processes at once for the floor (default 2)")
    parser.add_argument("pdfs", nargs="*", type=Path)
    args = parser.parse_args()
    if not STJ.exists():
        parser.error(f"{STJ} not found: run ./setup.sh first")
    paths = args.pdfs or sorted((ROOT / "samples").glob("*-scan*.pdf"))
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        images = page_images(paths, OcrSettings(), work)
        print(f"{len(paths)} files, {len(images)} scanned pages; floor with {args.jobs} Tesseract processes at "
              f"once, stj run --jobs {args.jobs}", flush=True)
        plain = floor(images, args.jobs)
        print(f"  floor {plain.seconds:.1f} s", flush=True)
        first = stj_run(paths, args.jobs, work / "cache", work / "out1")
        print(f"  stj, first run {first.seconds:.1f} s: {first.summary}", flush=True)
        second = stj_run(paths, args.jobs, work / "cache", work / "out2")
    pages = len(images)
    print(f"\n{'':34} {'wall s':>7} {'s/page':>7} {'cpu s':>7}")
    for label, timing in (("plain tesseract (floor)", plain), ("stj run, first (fresh cache)", first),
                          ("stj run, second (cached)", second)):
        print(f"{label:34} {timing.seconds:7.2f} {timing.seconds / pages:7.2f} {timing.cpu:7.1f}")
    ratio, speedup = first.seconds / plain.seconds, first.seconds / second.seconds
    print(f"{'PASS' if ratio <= FIRST_AIM else 'FAIL'} first run within {FIRST_AIM}x of the floor, start-up "
          f"included: {ratio:.2f}x (cpu: {first.cpu / plain.cpu:.2f}x)")
    print(f"{'PASS' if speedup >= CACHED_AIM else 'FAIL'} cached run at least {CACHED_AIM:g}x faster: {speedup:.1f}x")
    busiest = max(plain.others, first.others)
    if busiest > 0.1:
        print(f"note: other processes kept {busiest:.0%} of the cores busy meanwhile: the figures are inflated")
    return 0 if ratio <= FIRST_AIM and speedup >= CACHED_AIM else 1


if __name__ == "__main__":
    sys.exit(main())
