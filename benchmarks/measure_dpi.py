"""Choose the OCR resolution by measurement: strict row F1, verdict accuracy, text similarity and seconds per page
of the scanned samples at several resolutions.

Usage: .venv/bin/python benchmarks/measure_dpi.py [DPI...]   (default: 150 200 300)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import api  # noqa: E402
from extract.evaluate import evaluate, total  # noqa: E402
from extract.ocr import OcrSettings  # noqa: E402
from extract.pipeline import RunOptions  # noqa: E402


def main(resolutions: list[int]) -> None:
    scans = sorted((ROOT / "samples").glob("*-scan.pdf"))
    scans = [s for s in scans if "rapportage" not in s.name]
    gold = sorted((ROOT / "samples" / "gold").glob("*.json"))
    print(f"{'dpi':>4} {'s/page':>7} {'F1':>6} {'verdict':>8} {'text':>6}")
    for dpi in resolutions:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            start = time.perf_counter()
            summary = api.run(scans, work / "out", jobs=2,
                              options=RunOptions(ocr=OcrSettings(dpi=dpi), cache_dir=work / "cache"))
            seconds = time.perf_counter() - start
            pages = sum(r.pages for r in summary.results)
            score = total(evaluate(gold, work / "out"))
        print(f"{dpi:4d} {seconds / pages:7.2f} {score.f1:6.3f} {score.verdict_accuracy:8.3f} "
              f"{score.mean_text_similarity:6.3f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [150, 200, 300])
