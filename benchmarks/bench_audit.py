"""How `stj audit` scales: the time and peak memory of `stj audit OUT` as a user runs it (a subprocess, start-up
included) over output folders of generated findings (1,000 and 10,000 by default), per card; what the crops' format
costs and whether their text reads as well as a lossless crop's; and, when benchmarks/bench_audit_page.py is there,
the review page's open and filter times in Chromium.

Usage:
    .venv/bin/python benchmarks/bench_audit.py [--findings 1000,10000] [--jobs 1,0] [--repeats 1] [--seed 0]
                                               [--work DIR] [--code DIR] [--wait-idle S] [--no-formats] [--no-page]

The output folders: born-digital documents typeset by tests/synth.py (``bench_corpus.prepare``: a factsheet and a
follow-up per invented gemeente, about 23 findings a document), extracted once by `stj run --jobs 2` (both kept in
--work, default /tmp/stj-bench-audit, and reused: delete its run-* folder to extract again after the findings'
columns changed), then for each size a folder holding the first N findings in the
documents' order (documents.csv, coverage.csv and datapackage.json beside them, trimmed to the same documents).
`stj audit OUT --jobs J --sample N` (every row a card) runs under /usr/bin/time for each --jobs value; its peak RSS
is the largest single process (the main one or a worker), as GNU time reports it. --code DIR runs the copy of
extract/ and models/ in DIR (e.g. `git archive main extract models | tar -x -C DIR`) instead of this tree, to set a
version beside another (an older one may not know --jobs: --jobs 1 is then left out).

Formats: crops of the first 40 cards encoded as PNG with optimize=True (what `stj audit` wrote before), plain PNG,
and JPEG at the quality written (``CROP_QUALITY``): milliseconds and kB a crop; then tesseract (nld) reads 20 of
them as PNG and as JPEG, and the share of the words of each row's own finding found in each reading is printed
(legibility: the JPEG's should not be lower).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_corpus  # noqa: E402

try:  # the review page in Chromium (benchmarks/bench_audit_page.py), when it is there
    import bench_audit_page  # noqa: E402
except ImportError:
    bench_audit_page = None

STJ = ROOT / ".venv" / "bin" / "stj"
GNU_TIME = Path("/usr/bin/time")
FINDINGS_PER_DOCUMENT = 23  # about, over factsheets and follow-ups: the corpus is made a little larger than needed
CODE: Path | None = None


@dataclass
class Timing:
    findings: int
    cards: int
    pages: int
    jobs: str
    seconds: float
    cpu: float
    peak_mb: float
    folder_mb: float
    others: float


def environment() -> dict[str, str]:
    """This tree's code (or --code's) first on the path, whatever the editable install points at."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "STJ_SCHEDULER")}
    env["PYTHONPATH"] = str(CODE or ROOT)
    return env


def corpus_run(findings: int, seed: int, work: Path) -> Path:
    """An `stj run` output folder of at least ``findings`` findings over generated documents (made once, reused)."""
    documents = -(-findings * 11 // 10 // FINDINGS_PER_DOCUMENT) + 1
    documents += documents % 2
    corpus = bench_corpus.prepare("born", documents, seed, work / "corpus")
    out = work / f"run-{corpus.name}-seed{seed}"
    stamp = out / ".bench-complete"
    if not stamp.exists():
        shutil.rmtree(out, ignore_errors=True)
        print(f"extracting {documents} generated documents ({corpus.pages} pages) with stj run --jobs 2 ...",
              flush=True)
        start = time.perf_counter()
        subprocess.run([str(STJ), "run", str(corpus.folder), "--out", str(out), "--jobs", "2", "--cache-dir",
                        str(work / "cache")], check=False, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                       env=environment())
        if not (out / "findings.csv").exists():
            raise RuntimeError(f"stj run wrote no findings.csv into {out}")
        stamp.write_text(f"{time.perf_counter() - start:.1f} s\n")
    have = len(pd.read_csv(out / "findings.csv", usecols=["finding_id"]))
    if have < findings:
        raise RuntimeError(f"{out} holds {have} findings, fewer than {findings}: raise FINDINGS_PER_DOCUMENT's margin")
    return out


def trimmed(run: Path, findings: int, work: Path) -> Path:
    """A folder of the first ``findings`` findings of ``run`` (documents in their order), for `stj audit`."""
    out = work / f"audit-{findings}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rows = pd.read_csv(run / "findings.csv", keep_default_na=False, dtype=str)
    documents = pd.read_csv(run / "documents.csv", keep_default_na=False, dtype=str)
    order = {doc: n for n, doc in enumerate(documents.doc_id)}
    rows = rows.sort_values("doc_id", key=lambda s: s.map(order), kind="stable").iloc[:findings]
    kept = set(rows.doc_id)
    rows.to_csv(out / "findings.csv", index=False)
    documents[documents.doc_id.isin(kept)].to_csv(out / "documents.csv", index=False)
    if (run / "coverage.csv").exists():
        coverage = pd.read_csv(run / "coverage.csv", keep_default_na=False, dtype=str)
        coverage[coverage.doc_id.isin(kept)].to_csv(out / "coverage.csv", index=False)
    if (run / "datapackage.json").exists():
        shutil.copy(run / "datapackage.json", out / "datapackage.json")
    return out


def audit(out: Path, jobs: str, log: Path) -> tuple[float, float, float, float]:
    """`stj audit OUT` as a subprocess: wall seconds, cpu seconds (it and its workers), peak RSS (MB) of its largest
    process, and the share of the cores other processes kept busy meanwhile."""
    command = [str(STJ), "audit", str(out)]  # every row of the run a card
    if jobs != "-":
        command += ["--jobs", jobs]
    log.parent.mkdir(parents=True, exist_ok=True)
    rss = Path(f"{log}.rss")
    if GNU_TIME.exists():
        command = [str(GNU_TIME), "-f", "%M", "-o", str(rss), *command]
    if bench_corpus.WAIT_IDLE:
        bench_corpus.wait_idle()
    busy = bench_corpus._busy_seconds()
    start = time.perf_counter()
    with open(f"{log}.out", "w") as stdout, open(f"{log}.err", "w") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, env=environment())
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    busy = bench_corpus._busy_seconds() - busy
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{Path(f'{log}.err').read_text()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    peak_kb = int(rss.read_text().split()[-1]) if GNU_TIME.exists() else usage.ru_maxrss
    others = max(0.0, busy - cpu) / (seconds * (os.cpu_count() or 1)) if busy == busy else float("nan")
    return seconds, cpu, peak_kb / 1024, others


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def pages_of(out: Path) -> int:
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False, usecols=["doc_id", "page"])
    return len(findings.drop_duplicates())


def formats(out: Path, cards: int = 40, read: int = 20) -> None:
    """Encoding time and size of crops as PNG (optimize, as before), PNG and JPEG; tesseract's reading of each."""
    import pypdfium2 as pdfium

    from extract.analysis.audit_images import CROP_QUALITY, card_image, crop_card, render_page

    findings = pd.read_csv(out / "findings.csv", keep_default_na=False).iloc[:cards]
    paths = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("doc_id").path
    made = []  # (crop, the row's finding text)
    for (doc, page), rows in findings.groupby(["doc_id", "page"], sort=False):
        pdf = pdfium.PdfDocument(paths[doc])
        image, _ = render_page(pdf, paths[doc], int(page))
        pdf.close()
        made += [(crop_card(image, card_image(row)), row.finding) for row in rows.itertuples()]
    crops = [crop for crop, _ in made]
    encodings = {"PNG optimize=True (before)": dict(format="PNG", optimize=True), "PNG": dict(format="PNG"),
                 f"JPEG quality {CROP_QUALITY} (now)": dict(format="JPEG", quality=CROP_QUALITY)}
    print(f"\ncrops of {len(crops)} cards ({crops[0].width} px wide, {sum(c.height for c in crops) / len(crops):.0f} "
          f"px high on average): encoding")
    print(f"  {'format':32} {'ms/crop':>8} {'kB/crop':>8}")
    for name, options in encodings.items():
        start = time.perf_counter()
        size = 0
        for crop in crops:
            buffer = io.BytesIO()
            crop.save(buffer, **options)
            size += buffer.tell()
        print(f"  {name:32} {1000 * (time.perf_counter() - start) / len(crops):8.1f} {size / len(crops) / 1024:8.1f}")
    if not shutil.which("tesseract"):
        print("  (tesseract not found: legibility not measured)")
        return
    # legibility: tesseract (nld) reads each crop as PNG and as JPEG; the words of the row's own finding text it
    # finds in each reading (the crop holds neighbouring cells too, which tesseract reads unevenly)
    found = {"PNG": 0, "JPEG": 0}
    total = 0
    with tempfile.TemporaryDirectory() as temporary:
        for n, (crop, finding) in enumerate(made[:read]):
            truth = finding.split()
            total += len(truth)
            for kind, options in (("PNG", dict(format="PNG")), ("JPEG", dict(format="JPEG", quality=CROP_QUALITY))):
                path = Path(temporary) / f"{n}.{kind.lower()}"
                crop.save(path, **options)
                read_words = subprocess.run(["tesseract", str(path), "-", "-l", "nld"], capture_output=True,
                                            text=True).stdout.split()
                found[kind] += _matched(truth, read_words)
    print(f"  legibility ({read} crops, {total} words of their findings): tesseract finds "
          f"{found['PNG'] / total:.1%} of them in the PNG crops, {found['JPEG'] / total:.1%} in the JPEG ones")


def _matched(truth: list[str], read: list[str]) -> int:
    """How many of the words ``truth`` are in ``read`` (each word of ``read`` matched once)."""
    left = list(read)
    count = 0
    for word in truth:
        if word in left:
            left.remove(word)
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--findings", default="1000,10000", help="sizes of the output folders (default 1000,10000)")
    parser.add_argument("--jobs", default="1,0", help="stj audit --jobs values to time (default 1,0: serial and one "
                                                      "per core; '-' leaves the option out)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each; the fastest counts")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/stj-bench-audit"), help="where the corpus goes")
    parser.add_argument("--code", type=Path, help="run the copy of extract/ and models/ in this folder")
    parser.add_argument("--no-formats", action="store_true", help="skip the crop format comparison")
    parser.add_argument("--wait-idle", type=float, default=0.0, metavar="S",
                        help="before each timed run wait (at most S seconds) for other processes to leave the cores")
    parser.add_argument("--no-page", action="store_true", help="skip the review page in Chromium")
    args = parser.parse_args()
    global CODE
    CODE = args.code.resolve() if args.code else None
    bench_corpus.WAIT_IDLE = args.wait_idle
    if not STJ.exists():
        parser.error(f"{STJ} not found: run ./setup.sh first")
    sizes = sorted(int(n) for n in args.findings.split(","))
    run = corpus_run(max(sizes), args.seed, args.work)
    timings, outs = [], {}
    for size in sizes:
        out = outs[size] = trimmed(run, size, args.work)
        for jobs in args.jobs.split(","):
            best = None
            for repeat in range(args.repeats):
                shutil.rmtree(out / "audit", ignore_errors=True)
                measured = audit(out, jobs, args.work / "logs" / f"audit-{size}-j{jobs}-{repeat}")
                best = measured if best is None or measured[0] < best[0] else best
            cards = len(pd.read_csv(out / "audit" / "queue.csv"))
            timings.append(Timing(size, cards, pages_of(out), jobs, best[0], best[1], best[2],
                                  folder_mb(out / "audit"), best[3]))
            t = timings[-1]
            print(f"  {size:,} findings, --jobs {jobs}: {t.seconds:.1f} s, peak {t.peak_mb:.0f} MB", flush=True)
    print(f"\nstj audit OUT{' (code: ' + str(CODE) + ')' if CODE else ''}; fastest of {args.repeats}; "
          f"{os.cpu_count()} cores")
    print(f"{'findings':>9} {'cards':>6} {'pages':>6} {'--jobs':>6} {'wall s':>7} {'cpu s':>7} {'ms/card':>8} "
          f"{'peak MB':>8} {'audit/ MB':>9}")
    for t in timings:
        print(f"{t.findings:9,} {t.cards:6,} {t.pages:6,} {t.jobs:>6} {t.seconds:7.1f} {t.cpu:7.1f} "
              f"{1000 * t.seconds / t.cards:8.2f} {t.peak_mb:8.0f} {t.folder_mb:9.0f}")
    busiest = max(t.others for t in timings)
    if busiest > 0.1:
        print(f"note: other processes kept up to {busiest:.0%} of the cores busy during the runs: wall times are "
              "inflated (cpu seconds are the surer figure)")
    if not args.no_formats:
        formats(outs[min(sizes)])
    if not args.no_page:
        if bench_audit_page is None or not hasattr(bench_audit_page, "measure"):
            print("\n(benchmarks/bench_audit_page.py not there: the page's open and filter times are not measured)")
        else:
            index = outs[max(sizes)] / "audit" / "index.html"
            print(f"\nthe review page of {max(sizes):,} findings in headless Chromium ({index})")
            try:
                result = bench_audit_page.measure(index, args.work / "chrome", repeats=args.repeats)
                print(bench_audit_page.report(result, max(sizes)))
            except Exception as exc:  # noqa: BLE001 - the browser part is optional
                print(f"  not measured: {exc!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
