"""Fuzz the pipeline with seeded mutants of the samples (``tests/fuzzing.py``) and report how every one ended.

    .venv/bin/python benchmarks/fuzz.py [--mutants 200] [--scanned 40] [--scan-pages 3] [--seed 10] [--guard 120]
                                        [--keep DIR]

Mutants of the born-digital samples, and (fewer: OCR is slow) of the scanned samples cut to their first
``--scan-pages`` pages, go through ``extract.api.run`` as one batch, serially, together with the intact samples (and
the intact cut scans the scanned mutants come from). Every document and OCR page runs under a time guard of
``--guard`` seconds: a file that exceeds it is a hang, is recorded and left out, and the batch is run again (finished
documents come from the results cache). The intact samples are then run alone, and their rows in every table must
be the same as in the batch.

Reported: mutants tried; counts per status (per mutation kind too); internal errors (a reason starting "internal
error": aim 0); other broken outcomes (no reason, a reason of more than one line, a status outside the four);
hangs; the slowest files with their time (OCR share); mutants that ended ``ok`` with fewer findings than their
source (a loss no status shows); whether the intact documents gave the same rows. ``--keep DIR`` keeps the mutants,
both datasets and ``mutants.csv`` (one row per mutant: operations, status, reason, seconds). Exit status 1 when a
mutant hung or ended with an internal error or a broken outcome, or an intact document's rows differ.
"""

from __future__ import annotations

import argparse
import csv
import logging
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract import api  # noqa: E402
from extract.core.settings import RunOptions  # noqa: E402
from tests.fuzzing import (INTERNAL, OPERATIONS, Hang, first_pages, mutants, problems_of, rows_of,  # noqa: E402
                           run_guarded)

SAMPLES = ROOT / "samples"


def sources() -> tuple[list[Path], list[Path]]:
    """(born-digital samples, scanned samples)."""
    pdfs = sorted(SAMPLES.glob("*.pdf"))
    return [p for p in pdfs if "scan" not in p.name], [p for p in pdfs if "scan" in p.name]


def make_mutants(paths: list[Path], total: int, seed: int, folder: Path) -> dict[Path, tuple[Path, object]]:
    """``total`` mutants spread evenly over ``paths``, written into ``folder``: {mutant path: (source, Mutant)}."""
    made: dict[Path, tuple[Path, object]] = {}
    for index, source in enumerate(paths):
        count = total // len(paths) + (1 if index < total % len(paths) else 0)
        turn = len(made) % len(OPERATIONS)  # each source starts the cycle of operations where the last left off
        operations = OPERATIONS[turn:] + OPERATIONS[:turn]
        for mutant in mutants(source.read_bytes(), seed + index, count, source=source.name, operations=operations):
            target = folder / mutant.name
            target.write_bytes(mutant.data)
            made[target] = (source, mutant)
    return made


def guarded_batch(paths: list[Path], out: Path, options: RunOptions, guard: float):
    """``run_guarded`` over ``paths``; a file that hangs is recorded and left out, and the batch run again (the
    documents already finished come from the results cache). Returns (summary, seconds per path, OCR seconds per
    path, hangs as (path, message))."""
    remaining = list(paths)
    seconds: dict[str, float] = {}
    ocr: dict[str, float] = {}
    hangs: list[tuple[Path, str]] = []
    while True:
        try:
            run = run_guarded(remaining, out, options, guard)
        except Hang as hang:
            hangs.append((hang.path, str(hang)))
            print(f"  hang: {hang}", flush=True)
            remaining = [p for p in remaining if p.resolve() != hang.path.resolve()]
            continue
        for key, value in run.seconds.items():
            seconds[key] = max(seconds.get(key, 0.0), value)  # a rerun serves finished documents from the cache
        for key, value in run.ocr_seconds.items():
            ocr[key] = max(ocr.get(key, 0.0), value)
        return run.summary, seconds, ocr, hangs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=int, default=200, help="mutants in all (default 200)")
    parser.add_argument("--scanned", type=int, default=40, help="of which of scanned samples (default 40)")
    parser.add_argument("--scan-pages", type=int, default=3, help="scanned samples cut to this many pages")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--guard", type=float, default=120.0, help="seconds one document or OCR page may take")
    parser.add_argument("--keep", type=Path, help="keep the mutants, datasets and mutants.csv here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")

    work = (args.keep or Path(tempfile.mkdtemp(prefix="stj-fuzz-"))).resolve()
    if args.keep and work.exists():
        shutil.rmtree(work)
    batch, cut = work / "batch", work / "cut-scans"
    batch.mkdir(parents=True)
    cut.mkdir()
    born, scanned = sources()
    cut_scans = [first_pages(p, args.scan_pages, cut / f"{p.stem}.first{args.scan_pages}.pdf") for p in scanned]
    made = make_mutants(born, args.mutants - args.scanned, args.seed, batch)
    made.update(make_mutants(cut_scans, args.scanned, args.seed + 1000, batch))
    intact = []
    for sample in born + scanned + cut_scans:
        intact.append(batch / sample.name)
        shutil.copy(sample, intact[-1])
    print(f"{len(made)} mutants ({sum(1 for s, _ in made.values() if s in born)} born-digital, "
          f"{sum(1 for s, _ in made.values() if s in cut_scans)} of scans cut to {args.scan_pages} pages) and "
          f"{len(intact)} intact files in {batch}", flush=True)

    options = RunOptions(cache_dir=work / "cache")
    started = time.monotonic()
    summary, seconds, ocr_seconds, hangs = guarded_batch(sorted(made) + intact, work / "out-batch", options,
                                                         args.guard)
    batch_time = time.monotonic() - started
    results = {Path(r.path).resolve(): r for r in summary.results}

    # the intact documents alone (OCR'd pages from the cache, every document extracted again)
    alone = api.run(intact, work / "out-alone", jobs=1, options=replace(options, use_results_cache=False))
    intact_ids = {r.doc_id for r in alone.results}
    same = rows_of(work / "out-batch", intact_ids) == rows_of(work / "out-alone", intact_ids)

    mutant_results = {p: results[p.resolve()] for p in made if p.resolve() in results}
    statuses = Counter(r.status for r in mutant_results.values())
    by_kind: dict[str, Counter] = defaultdict(Counter)
    for path, result in mutant_results.items():
        by_kind["+".join(sorted({op.split(" ", 1)[0].rstrip(":") for op in made[path][1].operations}))][
            result.status] += 1
    internal = [r for r in mutant_results.values() if any(e.startswith(INTERNAL) for e in r.errors)]
    broken = problems_of([r for r in summary.results if r not in internal])  # outcomes broken in another way
    findings_of = {r.source_file: len(r.findings) for r in summary.results}
    lost = [(p, r) for p, r in mutant_results.items()
            if r.status == "ok" and len(r.findings) < findings_of.get(made[p][0].name, 0)]

    print(f"\nbatch of {len(summary.results)} files in {batch_time:.0f} s (serial); "
          f"{len(mutant_results)} of {len(made)} mutants finished")
    print("mutants per status: " + ", ".join(f"{s} {statuses[s]}" for s in ("ok", "partial", "failed", "skipped")))
    print("per mutation kind:")
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind:32} " + "  ".join(f"{s} {counts[s]}" for s in ("ok", "partial", "failed", "skipped")
                                          if counts[s]))
    print(f"internal errors: {len(internal)}")
    for r in internal:
        print(f"  {r.source_file}: {r.error}")
    print(f"other broken outcomes (no reason, several lines, unknown status): {len(broken)}")
    for line in broken:
        print(f"  {line}")
    print(f"hangs (over {args.guard:.0f} s): {len(hangs)}")
    for path, message in hangs:
        print(f"  {message} ({made.get(path, (None, None))[1].description if path in made else 'intact'})")
    mutant_keys = {str(p.resolve()) for p in made}
    for title, keys in (("slowest mutants", mutant_keys), ("slowest files (intact ones too)", set(seconds))):
        print(f"{title}:")
        for key, value in sorted(((k, v) for k, v in seconds.items() if k in keys), key=lambda kv: -kv[1])[:3]:
            share = ocr_seconds.get(key, 0.0)
            print(f"  {value:6.1f} s  {Path(key).name}" + (f"  (OCR {share:.1f} s)" if share else ""))
    print(f"mutants ok with fewer findings than their source: {len(lost)}")
    for path, r in lost[:10]:
        print(f"  {path.name}: {len(r.findings)} of {findings_of[made[path][0].name]} "
              f"({made[path][1].description})")
    print(f"intact documents give the same rows in the batch as alone: {'yes' if same else 'NO'}")

    with open(work / "mutants.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["mutant", "source", "seed", "operations", "status", "findings", "seconds", "reason"])
        for path, (source, mutant) in sorted(made.items()):
            r = mutant_results.get(path)
            writer.writerow([path.name, source.name, mutant.seed, mutant.description, r.status if r else "hang",
                             len(r.findings) if r else "", f"{seconds.get(str(path.resolve()), 0.0):.2f}",
                             r.error if r else ""])
    print(f"per mutant: {work / 'mutants.csv'}")
    return 1 if internal or broken or hangs or not same else 0


if __name__ == "__main__":
    sys.exit(main())
