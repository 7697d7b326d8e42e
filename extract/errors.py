"""Exit codes and the exception family of stj-extract.

Every failure that reaches a user is one of these exceptions: each carries an exit code and a one-line message that
says what went wrong and, where there is one, what to do about it. Library errors (pdfminer, pdfplumber, Tesseract)
are translated into these once, where they enter the pipeline (see ``read.open_pdf``).
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit status of the ``stj`` command."""

    ok = 0  # every file extracted, or skipped for a stated reason
    file_failed = 1  # at least one file failed
    bad_usage = 2  # wrong arguments (click's own code for usage errors)
    output_error = 3  # the dataset could not be written


class StjError(Exception):
    """Base class: a problem with one input or with the run, described in one line."""

    exit_code = ExitCode.file_failed
    status = "failed"  # the documents.status this error gives a file

    def __init__(self, message: str | None = None):
        super().__init__(message or self.__doc__.strip().splitlines()[0])

    @property
    def message(self) -> str:
        return str(self.args[0])


class EmptyFileError(StjError):
    """The file is empty (0 bytes): nothing to extract; replace it with the published PDF."""


class NotPdfError(StjError):
    """The file is not a PDF (it has no %PDF header); check that it is the published document."""


class TruncatedPdfError(StjError):
    """The PDF is damaged or truncated and cannot be read; download it again."""


class EncryptedPdfError(StjError):
    """The PDF is encrypted (password-protected); remove the protection (for example `qpdf --decrypt in.pdf out.pdf`)
    and run again."""


class UnrelatedDocumentError(StjError):
    """The PDF is not a Samenwerkend Toezicht Jeugd factsheet, follow-up or report; it was skipped."""

    exit_code = ExitCode.ok
    status = "skipped"


class PageReadError(StjError):
    """A page could not be read."""

    status = "partial"


class OutputError(StjError):
    """The dataset could not be written."""

    exit_code = ExitCode.output_error


class SchedulerError(StjError):
    """The Dask scheduler given by --scheduler (or STJ_SCHEDULER) cannot be reached or lost the run; start one with
    `dask scheduler` and workers with `dask worker ADDRESS`.

    Exit code 2, as for bad usage: the address given does not lead to a running cluster, and nothing was written.
    """

    exit_code = ExitCode.bad_usage
