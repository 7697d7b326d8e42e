"""The ``stj`` command: a thin layer over ``extract.api``."""

from __future__ import annotations

import json
import logging
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from extract import __version__, api
from extract.core.enums import Status
from extract.core.errors import ExitCode, StjError
from extract.core.settings import AUTO_DPI_RANGE, MAX_IMAGE_PIXELS, MAX_PAGES, STAGES, RunOptions, SettingsError
from extract.ocr.cache import default_cache_dir
from extract.output.corrections import messages as correction_messages

EXIT_CODES_HELP = """
\b
Exit status:
  0  every file was extracted, or skipped for a stated reason
  1  at least one file failed, or lost rows that broke the dataset's constraints
     (its reason is in documents.csv and on stderr; the other files are written as usual)
  2  bad usage, or the Dask scheduler cannot be reached
  3  the dataset could not be written (the folder keeps its previous dataset)
  4  another stj run holds the output folder (wait for it, or use --wait)
  130  interrupted by Ctrl-C (143: by SIGTERM); finished documents are kept in the
     results cache, the output folder keeps its previous dataset
"""


@click.group()
@click.version_option(__version__, "--version", prog_name="stj", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def main(verbose: int) -> None:
    """Extract Samenwerkend Toezicht Jeugd factsheets and follow-ups into a dataset."""
    configure_logging(verbose)


OWN_LOGGER = "extract"  # the package's loggers; every other one is a library's
USER_FACING = ("extract.output.folder",)  # warnings a user waits on (the lock held by another run): shown as stj: lines
LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "PIL", "pypdfium2", "fontTools")  # chatty below WARNING, and costly


class LogFilter(logging.Filter):
    """Lets through our own records from ``own`` up, and the libraries' (pdfminer's font warnings, Python warnings
    from pypdfium2, ...) from ``libraries`` up, none when it is None: at the default verbosity stderr holds only
    the one-line ``stj:`` reasons (what the libraries warn about a damaged file is named in them where it matters),
    and the libraries join the log at -v."""

    def __init__(self, own: int, libraries: int | None):
        super().__init__()
        self.own, self.libraries = own, libraries

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name in USER_FACING and record.levelno >= logging.WARNING:
            return True
        if record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + "."):
            return record.levelno >= self.own
        return self.libraries is not None and record.levelno >= self.libraries


def configure_logging(verbose: int) -> None:
    """The log on stderr. At the default verbosity it holds only what a user waits on (``USER_FACING``), as ``stj:``
    lines beside the one-line reasons (every problem of a document is one of those; the traceback of an internal
    error is logged from -v); -v adds our warnings, errors and information and the libraries' warnings, -vv
    debugging and the libraries' information. Python warnings (``warnings.warn``) go through the log as well."""
    own = logging.CRITICAL + 1 if verbose == 0 else max(logging.DEBUG, logging.INFO - 10 * (verbose - 1))
    libraries = None if verbose == 0 else logging.WARNING if verbose == 1 else logging.INFO
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("stj: %(message)s" if verbose == 0 else
                                           "%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(LogFilter(own, libraries))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not any(isinstance(f, LogFilter) for f in h.filters)]  # set once
    root.addHandler(handler)
    root.setLevel(min(own, logging.WARNING))  # USER_FACING warnings reach the filter at every verbosity
    for name in LIBRARY_LOGGERS:  # their debug output is never wanted (pdfminer logs every token) and costs time
        logging.getLogger(name).setLevel(logging.INFO if verbose >= 2 else logging.WARNING)
    logging.captureWarnings(True)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Output folder; its dataset files are replaced atomically.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Pages OCR'd and documents processed in parallel (0: one per core; 1: serial).")
@click.option("--scheduler", metavar="ADDRESS", envvar="STJ_SCHEDULER", show_envvar=True, default=None,
              help="Send documents and OCR pages to the running Dask cluster at ADDRESS (e.g. tcp://host:8786) "
                   "instead of local processes; --jobs is then ignored. Its workers must see the inputs and the "
                   "cache folder under the same paths as this machine (a shared file system).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where OCR results and finished documents are kept between runs "
                   "[default: ~/.cache/stj-extract].")
@click.option("--no-cache", is_flag=True,
              help="Do not reuse or keep OCR results or finished documents (a temporary cache is used).")
@click.option("--dpi", type=str, default="auto", show_default=True, callback=lambda ctx, param, value: _dpi(value),
              help="Resolution scanned pages are rendered at for OCR: 'auto' reads each page at its scan's own "
                   f"resolution ({AUTO_DPI_RANGE[0]}-{AUTO_DPI_RANGE[1]} dpi), a number (100-600) overrides it.")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="Seconds one document may take, the OCR of its pages included (0: no limit); a document that "
                   "takes longer is stopped and recorded failed, and the batch goes on.")
@click.option("--max-pages", type=click.IntRange(min=1), default=MAX_PAGES, show_default=True,
              help="A document with more pages fails before any page is read.")
@click.option("--max-image-pixels", type=click.IntRange(min=1), default=MAX_IMAGE_PIXELS, show_default=True,
              help="A page image with more pixels (width x height, a decompression bomb?) is refused, not decoded.")
@click.option("--wait", is_flag=True,
              help="When another stj run is writing into OUT, wait for it to finish instead of stopping at once.")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, callback=lambda ctx, param, value: _settings_sections(value),
              help="A JSON file of thresholds, one section per stage (see `stj settings`); --dpi given here wins "
                   "over its ocr.dpi.")
@click.option("--series", "series_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              envvar="STJ_SERIES", show_envvar=True,
              help="The series description (JSON, its framework CSV beside it) the documents belong to; default: "
                   "the Samenwerkend Toezicht Jeugd series.")
@click.option("--corrections", "corrections", multiple=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="A review.csv of corrections to apply (repeatable); OUT/corrections.csv is "
                                    "always applied when it exists.")
def run(paths: tuple[Path, ...], out: Path, jobs: int, scheduler: str | None, cache_dir: Path | None,
        no_cache: bool, dpi: int | str, timeout: float, max_pages: int, max_image_pixels: int, wait: bool,
        settings_file: dict, series_file: Path | None, corrections: tuple[Path, ...]) -> None:
    """Extract every PDF in PATHS (files or folders, searched recursively) into OUT.

    Writes documents, findings, links, conclusions, aanpakken, national_figures, context, organisations, coverage
    and corrections as CSV and Parquet, one SQLite file (stj.sqlite) and a Frictionless datapackage.json. Prints one
    line per problem on stderr and a summary at the end.
    """
    inputs = api.find_inputs(paths)
    terminal = sys.stderr.isatty()
    bar = progress_bar(len(inputs), "extracting")

    def ocr_progress(done: int, total: int) -> None:
        if terminal:
            click.echo(f"\rOCR {done}/{total} pages", err=True, nl=done == total)

    def progress(result) -> None:
        if bar is not None:
            bar.update(1)
        for document in (d for d in result.documents if d.status != Status.ok):
            for error in document.errors or [document.status]:
                click.echo(f"stj: {document.label}: {document.status}: {error}", err=True)

    with tempfile.TemporaryDirectory(prefix="stj-ocr-") as temporary, signals_as_interrupts() as received:
        cache = Path(temporary) if no_cache else (cache_dir or default_cache_dir())
        ocr = dict(settings_file.get("ocr", {}))
        if "dpi" not in ocr or click.get_current_context().get_parameter_source("dpi").name != "DEFAULT":
            ocr["dpi"] = dpi
        options = RunOptions.from_dict({**settings_file, "ocr": ocr, "cache_dir": cache, "max_pages": max_pages,
                                        "max_image_pixels": max_image_pixels, "series_file": series_file})
        settings = dict(jobs=jobs, progress=progress, options=options, corrections=corrections, scheduler=scheduler,
                        wait=None if wait else 0, timeout=timeout or None)
        try:
            if bar is not None:
                with bar:
                    summary = api.run(inputs, out, ocr_progress=ocr_progress, **settings)
            else:
                summary = api.run(inputs, out, **settings)
        except StjError as exc:
            click.echo(f"stj: {exc.message}", err=True)
            sys.exit(_exit_code(exc.exit_code, received))
        except KeyboardInterrupt:
            click.echo(f"stj: interrupted before extraction began; {out} was not changed", err=True)
            sys.exit(_exit_code(ExitCode.interrupted, received))
    for violation in summary.violations:
        source = next((r.source_file for r in summary.results if r.doc_id == violation.doc_id), "corrections")
        click.echo(f"stj: {source}: partial: {violation.message}", err=True)
    for line in correction_messages(summary.corrections):
        click.echo(f"stj: {line}", err=True)
    click.echo(summary.line())
    sys.exit(ExitCode.file_failed if summary.failed else ExitCode.ok)


def progress_bar(length: int, label: str, **options) -> click._termui_impl.ProgressBar | None:
    """click's progress bar on stderr when stderr is a terminal (``stj run``'s documents, ``stj audit``'s cards);
    None otherwise: nothing is shown in a pipe or a log file."""
    if not sys.stderr.isatty():
        return None
    return click.progressbar(length=length, label=label, file=sys.stderr, **options)


@contextmanager
def signals_as_interrupts() -> Iterator[list[int]]:
    """SIGTERM stops a run the way Ctrl-C does (cleaned up, one line); yields the list the signal number goes in."""
    received: list[int] = []

    def terminate(signal_number, frame):
        received.append(signal_number)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit_code(code: int, received: list[int]) -> int:
    """130 for Ctrl-C, 128 + the signal's number for a signal that stopped the run."""
    return 128 + received[0] if code == ExitCode.interrupted and received else code


def _settings_sections(path: Path | None) -> dict:
    """The sections of a settings file (checked: an unknown section or key, or a bad value, is a usage error that
    names it)."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise click.BadParameter(f"{path} cannot be read as JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must hold a JSON object with one section per stage ({', '.join(STAGES)})")
    unknown = [key for key in data if key not in STAGES]
    if unknown:
        raise click.BadParameter(f"{path} has an unknown section {unknown[0]!r} (the sections: {', '.join(STAGES)})")
    try:
        RunOptions.from_dict(data)
    except SettingsError as exc:
        raise click.BadParameter(f"{path}: {exc}") from exc
    return data


def _dpi(value: str) -> int | str:
    """--dpi: 'auto' or a resolution between 100 and 600."""
    if value.strip().lower() == "auto":
        return "auto"
    try:
        number = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither 'auto' nor a number of dots per inch") from None
    if not 100 <= number <= 600:
        raise click.BadParameter(f"{number} is not between 100 and 600")
    return number


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--sample", default=None, type=click.IntRange(min=0),
              help="Random rows to put on the page besides the low-confidence ones  [default: all the others].")
@click.option("--seed", default=0, show_default=True, help="Seed of the random sample.")
@click.option("--below", default=0.9, show_default=True, type=click.FloatRange(0, 1),
              help="Rows with a confidence below this are all shown, lowest first.")
@click.option("--resume", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="An earlier sitting's exported review.csv, loaded into the page (its rows listed if gone).")
@click.option("--summary", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Print the row error rate (95% Wilson interval) of an exported review.csv's random rows; "
                   "writes nothing.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Documents whose pages are rendered in parallel (0: one per core; 1: serial).")
def audit(out: Path, sample: int | None, seed: int, below: float, resume: Path | None, summary: Path | None,
          jobs: int) -> None:
    """Write OUT/audit/index.html: the extracted rows beside crops of their pages, for review.

    Open it in a browser, mark rows right or wrong, correct fields, and export review.csv; then
    `stj run ... --corrections review.csv` (or save it as OUT/corrections.csv) applies the corrections on every run.
    """
    import pandas as pd

    from extract.analysis.audit import build_audit
    from extract.analysis.review_state import read_resume

    require_run(out)
    if summary is not None:
        from extract.analysis.accuracy import summary_of

        if not (out / "audit" / "queue.csv").exists():
            raise click.UsageError(f"{out}/audit holds no queue.csv: run `stj audit {out}` first")
        try:
            estimates = summary_of(out, summary)
        except StjError as exc:
            click.echo(f"stj: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        for estimate in estimates:
            click.echo(estimate.line())
        return
    state = None
    if resume is not None:
        ids = set(pd.read_csv(out / "findings.csv", keep_default_na=False, usecols=["finding_id"]).finding_id)
        try:
            state = read_resume(resume, ids)
        except StjError as exc:
            click.echo(f"stj: {exc.message}", err=True)
            sys.exit(exc.exit_code)
        click.echo(f"resumed {len(state[0])} reviewed rows from {resume}", err=True)
        for line in state[1]:
            click.echo(f"not restored: {line['finding_id']} {line['field']}={line['value']!r}: {line['reason']}",
                       err=True)
    bar = []  # made at the first report, when the number of cards is known (on a terminal only)

    def progress(cards: int, total_cards: int, pages: int, total_pages: int) -> None:
        bar[:] = bar or [progress_bar(total_cards, "rendering", show_pos=True, item_show_func=lambda text: text)]
        if bar[0] is not None:
            bar[0].update(cards - bar[0].pos, f"{pages}/{total_pages} pages")
            if cards == total_cards:
                bar[0].render_finish()

    with signals_as_interrupts() as received:
        try:
            index = build_audit(out, sample=sample, seed=seed, below=below, resume=state, jobs=jobs,
                                progress=progress)
        except KeyboardInterrupt:
            click.echo(f"stj: interrupted; {out}/audit was not changed", err=True)
            sys.exit(_exit_code(ExitCode.interrupted, received))
    click.echo(f"wrote {index}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
def stats(out: Path) -> None:
    """Write OUT/stats/: the assessed year's pass rates per indicator and theme from the factsheets only, the
    follow-ups' resolution rates per indicator and gemeente, national figures beside the same year's rates, the
    verdict grid, a page per gemeente and the indicator key; each with its year, source and n, as CSV, PNG and a
    sortable table in index.html, with what was left out (rows marked wrong, copies counted once)."""
    from extract.analysis.stats import build_stats

    require_run(out)
    click.echo(f"wrote {build_stats(out)}")


@main.command()
@click.argument("out", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: a free one, printed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface of this machine).")
@click.option("--open", "open_browser", is_flag=True, help="Open the dataset in the default web browser.")
@click.option("--metadata-only", is_flag=True,
              help="Write OUT/metadata.json (for `datasette publish` / `datasette package`) and exit.")
def serve(out: Path, port: int, host: str, open_browser: bool, metadata_only: bool) -> None:
    """Browse the dataset in OUT with Datasette, read-only: tables with descriptions and facets, canned queries for
    the common questions, and each finding linked to its page crop and its page in the source PDF.

    The crops and the PDFs are put in OUT/serve/ the first time a dataset is served. Ctrl-C stops the server.
    """
    from extract.analysis import serve as library

    try:
        if metadata_only:
            click.echo(f"wrote {library.write_metadata(out)}")
            click.echo(f"to publish it as `stj serve` shows it: {library.publish_hint(out)}", err=True)
            return
        library.datasette_metadata(out)  # the folder holds a dataset: checked before the crops are made
        library.database_of(out)
        sock = library.bind(host, port)
    except StjError as exc:
        click.echo(f"stj: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    terminal = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if terminal:
            click.echo(f"\rcrops {done}/{total}", err=True, nl=done == total)

    def ready(url: str, prepared) -> None:
        click.echo(f"serving {out} at {url} ({prepared.crops} crops, {prepared.pdfs} PDFs; Ctrl-C stops)")
        if open_browser:
            import webbrowser
            webbrowser.open(url)

    with signals_as_interrupts():
        library.serve_folder(out, sock, lambda line: click.echo(f"stj: {line}", err=True), ready, progress)
    click.echo("stopped", err=True)


@main.command(name="settings")
@click.option("--settings", "settings_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, callback=lambda ctx, param, value: _settings_sections(value),
              help="A settings file to check and show merged with the defaults.")
def show_settings(settings_file: dict) -> None:
    """Print every stage's thresholds as JSON: the defaults, or those of a settings file (checked). A copy with the
    values to change, and only those, is a file for `stj run --settings`."""
    data = RunOptions.from_dict(settings_file).to_dict()
    click.echo(json.dumps({stage: data[stage] for stage in STAGES}, indent=2, ensure_ascii=False))


def require_run(out: Path) -> None:
    """Stop with a usage error when ``out`` holds no run's dataset."""
    if not (out / "findings.csv").exists():
        raise click.UsageError(f"{out} holds no findings.csv: run `stj run ... --out {out}` first")


@main.command(name="eval")
@click.argument("gold", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", default=Path("output"), show_default=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path), help="The run's output folder.")
def evaluate_command(gold: tuple[Path, ...], out: Path) -> None:
    """Compare the run in OUT with hand-checked GOLD files (samples/gold/*.json).

    Prints per document and overall: precision, recall, strict row F1, verdict and caveat accuracy, and the rows
    that differ.
    """
    from extract.analysis.evaluate import evaluate, total

    require_run(out)
    scores = evaluate(list(gold), out)
    if not scores:
        click.echo("stj: none of the gold files' documents is in this run", err=True)
        sys.exit(ExitCode.file_failed)
    click.echo(f"{'document':32} {'method':6} {'prec':>6} {'recall':>6} {'F1':>6} {'verdict':>8} {'caveat':>7} {'text':>6}")
    for item in scores:
        click.echo(_score_line(item.source_file, item.method, item.score))
    click.echo(_score_line("overall", "", total(scores)))
    for item, difference in ((i, d) for i in scores for d in i.score.differences):
        click.echo(f"  {item.source_file}: {difference}")


def _score_line(name: str, method: str, s) -> str:
    return (f"{name:32} {method:6} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.verdict_accuracy:8.3f} "
            f"{s.caveat_accuracy:7.3f} {s.mean_text_similarity:6.3f}")


if __name__ == "__main__":
    main()
