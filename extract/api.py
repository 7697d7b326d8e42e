"""The library API behind the ``stj`` command: find the inputs, process them, link, write the dataset."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path

from .corrections import Correction
from .corrections import load as load_corrections
from .constraints import Violation
from .dataset import build_dataset, write_dataset
from .errors import OutputError
from .executor import make_executor
from .link import build_links
from .parts import PartStore
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
    from_cache: int = 0  # documents whose results came from the results cache

    @property
    def failed(self) -> bool:
        """A file failed, or a document lost rows to a constraint: the run's exit status is then 1."""
        return self.counts["failed"] > 0 or bool(self.violations)

    def line(self) -> str:
        c = self.counts
        line = (f"{len(self.results)} files: {c['ok']} ok, {c['partial']} partial, {c['failed']} failed, "
                f"{c['skipped']} skipped")
        if self.from_cache:
            line += f" ({self.from_cache} from the results cache)"
        line += f"; {self.rows} findings and {self.links} links written to {self.out}"
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


class Duplicates:
    """A second copy of the same file is skipped (its rows would repeat the first's); results come in input order,
    so the first copy met is the one kept."""

    def __init__(self) -> None:
        self.first: dict[str, DocumentResult] = {}

    def mark(self, result: DocumentResult) -> None:
        if not result.sha256:
            return
        original = self.first.setdefault(result.sha256, result)
        if original is not result:
            result.status, result.findings, result.conclusions = "skipped", [], []
            result.context, result.organisations, result.national_figures = [], [], []
            result.info.aanpakken = []
            result.errors = [f"same content as {original.source_file}; skipped"]
            result.doc_id = f"{result.doc_id}-{len(self.first)}"


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
    pending = uncached(inputs, options)
    prefetch_ocr(pending, options, jobs, ocr_progress, scheduler)
    with staging_folder(out) as staging:
        parts = PartStore(staging)
        results = collect(inputs, options, jobs, scheduler, parts, progress)
        links = build_links([r for r in results if r.status in ("ok", "partial")])
        dataset = build_dataset(results, links, fixes, parts.tables())
    write_dataset(dataset.tables, out)
    return RunSummary(results, Counter(r.status for r in results), len(dataset.tables["findings"]),
                      len(dataset.tables["links"]), out, fixes, dataset.violations, len(inputs) - len(pending))


def collect(inputs: list[Path], options: RunOptions, jobs: int | None, scheduler: str | None, parts: PartStore,
            progress: Callable[[DocumentResult], None] | None = None) -> list[DocumentResult]:
    """Process every input (from the results cache where it can be); each result's rows go to ``parts`` as it
    finishes, and only its slim summary is kept."""
    results = []
    duplicates = Duplicates()
    for result in make_executor(jobs, scheduler).map(partial(process_cached, options=options), inputs):
        _ensure_id(result)
        duplicates.mark(result)
        if progress:
            progress(result)
        results.append(parts.add(result))
    return results


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A scratch folder inside ``out`` for the run's parts, removed afterwards. Raises OutputError."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=".stj-parts-", dir=out))
    except OSError as exc:
        raise OutputError(f"cannot write to {out}: {exc.strerror}; choose another --out folder") from exc
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _ensure_id(result: DocumentResult) -> None:
    """A document that could not be hashed still needs a doc_id: derive it from the path."""
    if not result.doc_id:
        result.doc_id = "path-" + hashlib.sha256(result.path.encode()).hexdigest()[:11]
