"""The library API behind the ``stj`` command: find the inputs, process them, link, write the dataset."""

from __future__ import annotations

import logging
from collections import Counter
from functools import partial
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .corrections import Correction
from .corrections import load as load_corrections
from .constraints import Violation
from .dataset import build_dataset, write_dataset
from .executor import make_executor
from .link import build_links
from .pipeline import RunOptions, ocr_task, ocr_tasks, process_cached, uncached
from .records import DocumentResult

log = logging.getLogger(__name__)


@dataclass
class RunSummary:
    results: list[DocumentResult]
    counts: Counter = field(default_factory=Counter)
    rows: int = 0
    links: int = 0
    out: Path | None = None
    corrections: list[Correction] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)  # rows left out because they broke a constraint

    @property
    def failed(self) -> bool:
        """A file failed, or a document lost rows to a constraint: the run's exit status is then 1."""
        return self.counts["failed"] > 0 or bool(self.violations)

    def line(self) -> str:
        c = self.counts
        line = (f"{len(self.results)} files: {c['ok']} ok, {c['partial']} partial, {c['failed']} failed, "
                f"{c['skipped']} skipped; {self.rows} findings and {self.links} links written to {self.out}")
        if self.corrections:
            applied = sum(x.applied for x in self.corrections)
            line += f"; {applied} of {len(self.corrections)} corrections applied"
        return line


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """Every PDF below the given folders, and every file given by name (whatever its extension), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        else:
            found.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def mark_duplicates(results: list[DocumentResult]) -> None:
    """A second copy of the same file is skipped (its rows would repeat the first's)."""
    first: dict[str, DocumentResult] = {}
    for result in results:
        if not result.sha256:
            continue
        if result.sha256 in first:
            original = first[result.sha256]
            result.status, result.findings, result.conclusions = "skipped", [], []
            result.errors = [f"same content as {original.source_file}; skipped"]
            result.doc_id = f"{result.doc_id}-{len(first)}"
        else:
            first[result.sha256] = result


def prefetch_ocr(inputs: list[Path], options: RunOptions, jobs: int | None,
                 progress: Callable[[int, int], None] | None = None, scheduler: str | None = None) -> int:
    """OCR, page-parallel, every page of the batch that needs it and is not cached yet. Returns the page count."""
    tasks = ocr_tasks(inputs, options)
    if not tasks:
        return 0
    log.info("OCR of %d pages with %s worker(s)", len(tasks), jobs or "one per core")
    for done, _ in enumerate(make_executor(jobs, scheduler).map(partial(ocr_task, options=options), tasks), start=1):
        if progress:
            progress(done, len(tasks))
    return len(tasks)


CORRECTIONS_FILE = "corrections.csv"


def correction_files(out: Path, given: Iterable[Path] = ()) -> list[Path]:
    """The corrections to apply: those given, then ``corrections.csv`` in the output folder if there is one."""
    files = list(given)
    standing = out / CORRECTIONS_FILE
    if standing.exists() and standing.resolve() not in {f.resolve() for f in files}:
        files.append(standing)
    return files


def run(paths: Iterable[Path], out: Path, jobs: int | None = None,
        progress: Callable[[DocumentResult], None] | None = None, options: RunOptions | None = None,
        ocr_progress: Callable[[int, int], None] | None = None, corrections: Iterable[Path] = (),
        scheduler: str | None = None) -> RunSummary:
    """Extract every input into a dataset in ``out``. Raises OutputError if the dataset cannot be written."""
    options = options or RunOptions()
    fixes = load_corrections(correction_files(out, corrections))
    inputs = find_inputs(paths)
    prefetch_ocr(uncached(inputs, options), options, jobs, ocr_progress, scheduler)
    results = []
    for result in make_executor(jobs, scheduler).map(partial(process_cached, options=options), inputs):
        results.append(result)
        if progress:
            progress(result)
    _ensure_ids(results)
    mark_duplicates(results)
    links = build_links([r for r in results if r.status in ("ok", "partial")])
    dataset = build_dataset(results, links, fixes)
    write_dataset(dataset.tables, out)
    return RunSummary(results, Counter(r.status for r in results), len(dataset.tables["findings"]),
                      len(dataset.tables["links"]), out, fixes, dataset.violations)


def _ensure_ids(results: list[DocumentResult]) -> None:
    """Documents that could not be hashed still need a doc_id: derive it from the path."""
    import hashlib

    for result in results:
        if not result.doc_id:
            result.doc_id = "path-" + hashlib.sha256(result.path.encode()).hexdigest()[:11]
