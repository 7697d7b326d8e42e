"""The library API behind the ``stj`` command: find the inputs, process them, link, write the dataset."""

from __future__ import annotations

import hashlib
import logging
import math
import os
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from extract.core.enums import ProblemCategory, Status
from extract.core.errors import RunInterruptedError
from extract.core.problems import Problem
from extract.core.records import DocumentResult
from extract.core.settings import RunOptions
from extract.output.constraints import Violation
from extract.output.corrections import LEDGER, Correction
from extract.output.corrections import load as load_corrections
from extract.output.dataset import build_dataset, write_files
from extract.output.folder import OutputFolder, OutputLock, new_run_id
from extract.output.link import build_links
from extract.output.parts import PartStore
from extract.read.pdf import file_sha256
from extract.run.executor import Executor, make_executor
from extract.run.pipeline import from_results_cache, ocr_task, ocr_tasks, process_cached, uncached, warm_up
from extract.series.description import ENV_VAR as SERIES_ENV_VAR
from extract.series.description import using as using_series

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
    from_cache: int = 0  # documents whose results came from the results cache

    @property
    def failed(self) -> bool:
        """A file failed, or a document lost rows to a constraint: the run's exit status is then 1."""
        return self.counts[Status.failed] > 0 or bool(self.violations)

    def line(self) -> str:
        c = self.counts
        files = len({r.path for r in self.results})
        documents = f" ({len(self.results)} documents)" if len(self.results) != files else ""
        line = (f"{files} files{documents}: {c['ok']} ok, {c['partial']} partial, {c['failed']} failed, "
                f"{c['skipped']} skipped")
        if self.from_cache:
            line += f" ({self.from_cache} from the results cache)"
        line += f"; {self.rows} findings and {self.links} links written to {self.out}"
        if self.corrections:
            applied = sum(x.applied for x in self.corrections)
            line += f"; {applied} of {len(self.corrections)} corrections applied"
            conflicts = sum(x.conflict for x in self.corrections)
            line += f", {conflicts} in conflict between reviewers" if conflicts else ""
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


class Duplicates:
    """A second copy of the same file is skipped (its rows would repeat the first's); results come in input order,
    so the first copy met is the one kept. Only the first copy's file name is remembered, never its result."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}  # sha256 → source_file of the first copy

    def mark(self, result: DocumentResult) -> None:
        if not result.sha256:
            return
        if result.sha256 not in self.first:
            self.first[result.sha256] = result.source_file
        else:
            original = self.first[result.sha256]
            result.status, result.findings, result.conclusions = Status.skipped, [], []
            result.context, result.organisations, result.national_figures = [], [], []
            result.info.aanpakken, result.more = [], []
            result.problems = [Problem(None, ProblemCategory.duplicate, f"same content as {original}; skipped")]
            result.doc_id = f"{result.doc_id}-{len(self.first)}"


def prefetch_ocr(inputs: list[Path], options: RunOptions, jobs: int | None,
                 progress: Callable[[int, int], None] | None = None, scheduler: str | None = None,
                 timeout: float | None = None) -> dict[Path, float]:
    """OCR, page-parallel, every page of the batch that needs it and is not cached yet. Returns the seconds spent
    per file (infinite for a file with a page that ran out of ``timeout``), which counts against its time limit."""
    tasks = ocr_tasks(inputs, options)
    spent: dict[Path, float] = defaultdict(float)
    if not tasks:
        return spent
    log.info("OCR of %d pages with %s worker(s)", len(tasks), jobs or "one per core")
    executor = make_executor(jobs, scheduler, limited=bool(timeout))
    work = partial(timed, partial(ocr_task, options=options))
    outcomes = executor.map(work, tasks, limit=(lambda _: timeout) if timeout else None,
                            on_failure=lambda task, reason: (reason, math.inf))
    for done, (task, (_, seconds)) in enumerate(zip(tasks, outcomes), start=1):
        spent[task[0]] += seconds
        if progress:
            progress(done, len(tasks))
    return spent


def timed(function: Callable, item) -> tuple:
    """``function(item)`` and the seconds it took (a unit of work whose time counts against a file's limit)."""
    start = time.perf_counter()
    return function(item), time.perf_counter() - start


CORRECTIONS_FILE = LEDGER


def correction_files(out: Path, given: Iterable[Path] = ()) -> list[Path]:
    """The corrections to apply, oldest first: ``corrections.csv`` in the output folder if there is one (the ledger
    of every earlier run), then those given, in order (a reviewer's latest value of a field is the one that counts)."""
    standing = out / CORRECTIONS_FILE
    if not standing.exists():
        return list(given)
    return [standing] + [f for f in given if f.resolve() != standing.resolve()]


def run(paths: Iterable[Path], out: Path, jobs: int | None = None,
        progress: Callable[[DocumentResult], None] | None = None, options: RunOptions | None = None,
        ocr_progress: Callable[[int, int], None] | None = None, corrections: Iterable[Path] = (),
        scheduler: str | None = None, wait: float | None = 0, timeout: float | None = None) -> RunSummary:
    """Extract every input into a new version of the dataset in ``out`` (see ``output``).

    ``timeout``: seconds a document may take, the OCR of its pages included (None or 0: no limit); a document that
    takes longer is stopped and recorded failed. ``wait``: seconds to wait when another run holds ``out`` (None: as
    long as it takes). Raises OutputError if the dataset cannot be written, OutputLockedError if ``out`` stays in
    use, RunInterruptedError on Ctrl-C (the finished documents stay in the results cache and ``out`` keeps its
    previous dataset)."""
    options = options or RunOptions()
    if options.series_file is None and os.environ.get(SERIES_ENV_VAR):  # named, so that every worker reads it
        options = replace(options, series_file=Path(os.environ[SERIES_ENV_VAR]))
    with using_series(options.series_file):  # checked here (SeriesError names the bad key), before any work
        return _run(paths, out, jobs, progress, options, ocr_progress, corrections, scheduler, wait, timeout)


def _run(paths: Iterable[Path], out: Path, jobs: int | None, progress: Callable[[DocumentResult], None] | None,
         options: RunOptions, ocr_progress: Callable[[int, int], None] | None, corrections: Iterable[Path],
         scheduler: str | None, wait: float | None, timeout: float | None) -> RunSummary:
    inputs = find_inputs(paths)
    with OutputLock(out, wait):
        folder = OutputFolder(out)
        folder.remove_leftovers()
        fixes = load_corrections(correction_files(out, corrections))
        run_id = new_run_id()
        staging = folder.staging(run_id)
        finished: list[DocumentResult] = []
        try:
            pending = uncached(inputs, options)
            parts = PartStore(staging / PARTS)
            extract_all(inputs, pending, options, jobs, scheduler, timeout, parts, finished, progress, ocr_progress)
            links = build_links([r for r in finished if r.status in (Status.ok, Status.partial)])
            dataset = build_dataset(finished, links, fixes, parts.tables())
            shutil.rmtree(staging / PARTS)
            folder.publish(staging, run_id, write_files(dataset.tables, staging))
        except KeyboardInterrupt:
            raise interrupted(out, len(finished), len(inputs)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RunSummary(finished, Counter(r.status for r in finished), len(dataset.tables["findings"]),
                      len(dataset.tables["links"]), out, fixes, dataset.violations, len(inputs) - len(pending))


def extract_all(inputs: list[Path], pending: list[Path], options: RunOptions, jobs: int | None,
                scheduler: str | None, timeout: float | None, parts: PartStore, finished: list[DocumentResult],
                progress: Callable[[DocumentResult], None] | None = None,
                ocr_progress: Callable[[int, int], None] | None = None) -> None:
    """OCR the pending documents' pages, then extract every input into ``finished`` (and its rows into ``parts``)."""
    spent = prefetch_ocr(pending, options, jobs, ocr_progress, scheduler, timeout)
    if pending and not scheduler:
        warm_up()  # once, here: forked workers (and their replacements) start with it loaded
    executor = make_executor(jobs, scheduler, bool(timeout), warm_up if pending else None)
    collect(inputs, options, executor, Limits(timeout, spent), parts, finished, progress, pending)


PARTS = ".parts"  # the staging folder's subfolder of Parquet parts (removed before the version is published)


def interrupted(out: Path, finished: int, total: int) -> RunInterruptedError:
    return RunInterruptedError(f"interrupted after {finished} of {total} documents; the finished documents and OCR'd "
                               f"pages are kept in the cache (a new run picks up from there), and {out} still holds "
                               "its previous dataset, unchanged")


@dataclass
class Limits:
    """Each document's time limit: the run's ``timeout`` less what the OCR of its pages took already."""

    timeout: float | None
    spent: dict[Path, float] = field(default_factory=dict)
    least: float = 0.05  # a document whose OCR used up its time is still started, and stopped at once

    def of(self, path: Path) -> float | None:
        return max(self.least, self.timeout - self.spent.get(path, 0.0)) if self.timeout else None

    def failed(self, path: Path, problem: Problem) -> DocumentResult:
        """The result of a document that was stopped: ran out of time, or its worker died."""
        if problem.category == ProblemCategory.timeout:
            message = (f"took longer than {self.timeout:g} s (the OCR of its pages included); raise --timeout to "
                       "allow it")
        else:
            message = (f"{problem.message}; run it alone (--jobs 1) to see whether it happens again, and report it "
                       "with the file")
        return DocumentResult(source_file=path.name, path=str(path), status=Status.failed,
                              problems=[Problem(problem.page, problem.category, message)])


def collect(inputs: list[Path], options: RunOptions, executor: Executor, limits: Limits, parts: PartStore,
            results: list[DocumentResult], progress: Callable[[DocumentResult], None] | None = None,
            pending: list[Path] | None = None) -> None:
    """Process every input into ``results``, in input order: those not in ``pending`` straight from the results
    cache in this process, the others by ``executor``. Each result's rows go to ``parts`` as it finishes, and only
    its slim summary is kept."""
    pending = list(inputs) if pending is None else pending
    extract = partial(process_cached, options=options)
    extracted = iter(executor.map(extract, pending, limits.of if limits.timeout else None, limits.failed))
    waiting = set(pending)
    duplicates = Duplicates()
    for path in inputs:
        result = next(extracted) if path in waiting else from_results_cache(path, options) or extract(path)
        _ensure_id(result)
        duplicates.mark(result)
        if progress:
            progress(result)
        results += [parts.add(document) for document in result.documents]  # a file may hold several documents


def _ensure_id(result: DocumentResult) -> None:
    """A document that was stopped or could not be hashed still needs a doc_id: its file's, else one of its path."""
    if not result.doc_id:
        try:
            result.sha256 = file_sha256(Path(result.path))
            result.doc_id = result.sha256[:16]
        except OSError:
            result.doc_id = "path-" + hashlib.sha256(result.path.encode()).hexdigest()[:11]
