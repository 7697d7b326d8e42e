"""The ``stj`` command: a thin layer over ``extract.api``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from . import api
from .errors import ExitCode, StjError

EXIT_CODES_HELP = """
\b
Exit status:
  0  every file was extracted, or skipped for a stated reason
  1  at least one file failed (its reason is in documents.csv and on stderr)
  2  bad usage
  3  the dataset could not be written
"""


@click.group()
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def main(verbose: int) -> None:
    """Extract Samenwerkend Toezicht Jeugd factsheets and follow-ups into a dataset."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out", default=Path("output"), show_default=True, type=click.Path(path_type=Path),
              help="Output folder; its dataset files are replaced atomically.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Documents processed in parallel (0: one per core; 1: serial).")
def run(paths: tuple[Path, ...], out: Path, jobs: int) -> None:
    """Extract every PDF in PATHS (files or folders, searched recursively) into OUT.

    Writes documents, findings, links and conclusions as CSV and Parquet, one SQLite file (stj.sqlite) and a
    Frictionless datapackage.json. Prints one line per problem on stderr and a summary at the end.
    """
    inputs = api.find_inputs(paths)
    bar = click.progressbar(length=len(inputs), label="extracting", file=sys.stderr) if sys.stderr.isatty() else None

    def progress(result) -> None:
        if bar is not None:
            bar.update(1)
        if result.status != "ok":
            for error in result.errors or [result.status]:
                click.echo(f"stj: {result.source_file}: {result.status}: {error}", err=True)

    try:
        if bar is not None:
            with bar:
                summary = api.run(inputs, out, jobs=jobs, progress=progress)
        else:
            summary = api.run(inputs, out, jobs=jobs, progress=progress)
    except StjError as exc:
        click.echo(f"stj: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    click.echo(summary.line())
    sys.exit(ExitCode.file_failed if summary.failed else ExitCode.ok)


if __name__ == "__main__":
    main()
