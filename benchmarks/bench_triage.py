"""What a long unrelated PDF costs: the triage's cheap look at its opening pages against reading it whole.

Builds a made-up book (``tests/foreign.book``, default 400 pages) and runs ``process_document`` on it in a fresh
interpreter per variant, reporting wall time and the growth of the peak resident size (``ru_maxrss``):

    triage        as shipped: pdfium's text of the opening pages, skipped before the full read
    full read     the triage turned off (every page read by pdfplumber, layout, segment), pages closed after reading
    before        the triage turned off and pdfplumber's pages kept cached (how it was before this change)

    .venv/bin/python benchmarks/bench_triage.py [--pages 400]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRIPT = """
import json, resource, sys, time
from pathlib import Path
import pdfplumber.page
from extract.run import pipeline
variant, path = sys.argv[1], Path(sys.argv[2])
if variant != "triage":
    pipeline.skip_if_foreign = lambda *args, **kwargs: None
if variant == "before":
    pdfplumber.page.Page.close = lambda self: None
options = pipeline.RunOptions(cache_dir=Path(sys.argv[3]), use_results_cache=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
result = pipeline.process_document(path, options)
seconds = time.perf_counter() - started
grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"variant": variant, "seconds": round(seconds, 2), "grew_mb": round(grew / 1024, 1),
                  "status": result.status, "error": result.error}))
"""


def measure(variant: str, path: Path, cache: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", SCRIPT, variant, str(path), str(cache)], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--variants", default="triage,full read,before")
    args = parser.parse_args()
    from tests.foreign import book

    with tempfile.TemporaryDirectory() as folder:
        path = book(Path(folder) / "book.pdf", pages=args.pages)
        for variant in args.variants.split(","):
            print(json.dumps(measure(variant, path, Path(folder) / "cache")), flush=True)


if __name__ == "__main__":
    main()
