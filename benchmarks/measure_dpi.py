"""Measure the OCR resolution choice: strict row F1, verdict accuracy, text similarity and seconds per page of every
scanned sample the gold files cover, read at its own resolution (``--dpi auto``, the default) and at fixed
resolutions.

Usage: .venv/bin/python benchmarks/measure_dpi.py [auto|DPI ...]   (default: auto 150 200 300)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import api  # noqa: E402
from extract.analysis.evaluate import evaluate, load_gold, total  # noqa: E402
from extract.core.settings import OcrSettings  # noqa: E402
from extract.read.source import native_resolutions
from extract.core.settings import RunOptions  # noqa: E402


def scanned_samples() -> tuple[list[Path], list[Path]]:
    """The scanned PDFs the gold files list (a 'scan' in the name), and those gold files."""
    gold = sorted((ROOT / "samples" / "gold").glob("*.json"))
    names = sorted({name for path in gold for name in load_gold(path).get("files", []) if "scan" in name
                    and load_gold(path).get("findings")})
    return [ROOT / "samples" / name for name in names if (ROOT / "samples" / name).exists()], gold


def main(modes: list[str]) -> None:
    scans, gold = scanned_samples()
    for scan in scans:
        own = sorted({round(r) for r in native_resolutions(scan)})
        print(f"{scan.name}: scanned at {', '.join(map(str, own))} dpi")
    print(f"\n{'dpi':>5} {'s/page':>7} {'F1':>6} {'verdict':>8} {'text':>6}  per document (F1 / verdict)")
    for mode in modes:
        dpi = mode if mode == "auto" else int(mode)
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(temporary)
            start = time.perf_counter()
            summary = api.run(scans, work / "out", jobs=2,
                              options=RunOptions(ocr=OcrSettings(dpi=dpi), cache_dir=work / "cache"))
            seconds = time.perf_counter() - start
            pages = sum(r.pages for r in summary.results)
            scores = evaluate(gold, work / "out")
        score = total(scores)
        each = "  ".join(f"{s.source_file.removesuffix('.pdf')} {s.score.f1:.3f}/{s.score.verdict_accuracy:.3f}"
                         for s in scores)
        print(f"{mode:>5} {seconds / pages:7.2f} {score.f1:6.3f} {score.verdict_accuracy:8.3f} "
              f"{score.mean_text_similarity:6.3f}  {each}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["auto", "150", "200", "300"])
