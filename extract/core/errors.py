"""Exit codes and the exception family of stj-extract.

Every failure that reaches a user is one of these exceptions: each carries an exit code and a one-line message that
says what went wrong and, where there is one, what to do about it. Library errors (pdfminer, pdfplumber, Tesseract)
are translated into these once, where they enter the pipeline (see ``read.read_pdf`` and ``read.open_pdfium``).
"""

from __future__ import annotations

from enum import IntEnum

from extract.core.enums import ProblemCategory, Status
from extract.core.problems import Problem


class ExitCode(IntEnum):
    """Process exit status of the ``stj`` command."""

    ok = 0  # every file extracted, or skipped for a stated reason
    file_failed = 1  # at least one file failed
    bad_usage = 2  # wrong arguments (click's own code for usage errors)
    output_error = 3  # the dataset could not be written
    output_locked = 4  # another stj run holds the output folder
    interrupted = 130  # Ctrl-C (128 + SIGINT); 143 for SIGTERM


class StjError(Exception):
    """Base class: a problem with one input or with the run, described in one line.

    ``page``: the page it is tied to (None: the file or the run); ``category``: the class's own unless given (the
    category decides, never the wording). ``problem`` is the ``Problem`` it stands for; ``message`` its one line."""

    exit_code = ExitCode.file_failed
    status = Status.failed  # the documents.status this error gives a file
    category = ProblemCategory.damaged

    def __init__(self, message: str | None = None, page: int | None = None,
                 category: ProblemCategory | None = None):
        self.problem = Problem(page, category or type(self).category,
                               message or self.__doc__.strip().splitlines()[0])
        super().__init__(str(self.problem))

    def __reduce__(self):  # pickled whole (to and from worker processes): page and category too
        return _rebuild, (type(self), self.problem)

    @property
    def message(self) -> str:
        return str(self.args[0])


def _rebuild(cls: type[StjError], problem: Problem) -> StjError:
    return cls(problem.message, problem.page, problem.category)


class EmptyFileError(StjError):
    """The file is empty (0 bytes): nothing to extract; replace it with the published PDF."""

    category = ProblemCategory.empty


class NotPdfError(StjError):
    """The file is not a PDF (it has no %PDF header); check that it is the published document."""

    category = ProblemCategory.not_pdf


class TruncatedPdfError(StjError):
    """The PDF is damaged or truncated and cannot be read; download it again."""

    category = ProblemCategory.damaged


class EncryptedPdfError(StjError):
    """The PDF is encrypted (password-protected); remove the protection (for example `qpdf --decrypt in.pdf out.pdf`)
    and run again.

    Given only when both readers (pdfminer and pdfium) need a password to open the file: one encrypted with an owner
    password only (an empty user password, permissions) is read as usual."""

    category = ProblemCategory.encrypted

    @classmethod
    def unsupported(cls, detail: str) -> "EncryptedPdfError":
        """Encrypted in a way neither reader can undo, though neither asked for a password."""
        return cls(f"The PDF is encrypted in a way that cannot be read here ({detail}); remove the protection (for "
                   "example `qpdf --decrypt in.pdf out.pdf`) and run again.")


class TooManyPagesError(StjError):
    """The PDF has more pages than --max-pages allows; raise --max-pages to allow it."""

    category = ProblemCategory.too_many_pages

    @classmethod
    def of(cls, pages: int, limit: int) -> "TooManyPagesError":
        return cls(f"The PDF has {pages} pages, more than --max-pages {limit}; raise --max-pages to allow it.")


class ImageTooLargeError(StjError):
    """A page image is larger than --max-image-pixels allows and was not decoded; raise --max-image-pixels to allow
    it.

    A page-level problem (the document is ``partial``); a document none of whose pages could be read because of it
    is ``failed`` with this reason. The image is refused from its declared size, before it is decoded or rendered
    (decompression bombs: a few hundred kilobytes that would decode to gigabytes)."""

    category = ProblemCategory.too_large
    status = Status.partial

    @classmethod
    def images(cls, page: int, sizes: list[tuple[int, int]], limit: int) -> "ImageTooLargeError":
        """The page's images (width, height) hold more pixels together than ``limit``."""
        width, height = max(sizes, key=lambda size: size[0] * size[1])
        total = sum(w * h for w, h in sizes)
        what = (f"an image of {width}x{height} pixels ({total / 1e6:.0f} million) is" if len(sizes) == 1 else
                f"its {len(sizes)} images hold {total / 1e6:.0f} million pixels (the largest {width}x{height}),")
        return cls(f"{what} more than --max-image-pixels {limit} allows; not decoded (raise --max-image-pixels to "
                   "allow it)", page)

    @classmethod
    def render(cls, page: int, width: int, height: int, dpi: int, limit: int) -> "ImageTooLargeError":
        return cls(f"rendered at {dpi} dpi it would be {width}x{height} pixels ({width * height / 1e6:.0f} million), "
                   f"more than --max-image-pixels {limit} allows; it was not rendered (raise --max-image-pixels to "
                   "allow it)", page)


class ContentTooLargeError(StjError):
    """A page's content decompresses to more than the reader allows (a decompression bomb); it was not read."""

    category = ProblemCategory.too_large
    status = Status.partial


class UnrelatedDocumentError(StjError):
    """The PDF is not a Samenwerkend Toezicht Jeugd factsheet, follow-up or report; it was skipped."""

    category = ProblemCategory.unrelated
    exit_code = ExitCode.ok
    status = Status.skipped


class PageReadError(StjError):
    """A page could not be read."""

    category = ProblemCategory.damaged
    status = Status.partial


class OutputError(StjError):
    """The dataset could not be written."""

    category = ProblemCategory.output
    exit_code = ExitCode.output_error


class SchedulerError(StjError):
    """The Dask scheduler given by --scheduler (or STJ_SCHEDULER) cannot be reached or lost the run; start one with
    `dask scheduler` and workers with `dask worker ADDRESS`.

    Exit code 2, as for bad usage: the address given does not lead to a running cluster, and nothing was written.
    """

    category = ProblemCategory.scheduler
    exit_code = ExitCode.bad_usage


class OutputLockedError(StjError):
    """The output folder is in use by another stj run; wait for it, run with --wait, or choose another --out folder."""

    category = ProblemCategory.output_locked
    exit_code = ExitCode.output_locked


class RunInterruptedError(StjError):
    """The run was interrupted; the output folder still holds the previous dataset."""

    category = ProblemCategory.interrupted
    exit_code = ExitCode.interrupted


class OcrUnavailableError(StjError):
    """Tesseract is not installed (or has no Dutch model): run ./setup.sh, or apt-get install tesseract-ocr
    tesseract-ocr-nld."""

    category = ProblemCategory.ocr_unavailable


class PageOcrError(StjError):
    """A page could not be read by OCR."""

    category = ProblemCategory.ocr_failed
    status = Status.partial
