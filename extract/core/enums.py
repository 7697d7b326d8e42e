"""The closed sets of values the records carry: a document's status and kind, a finding's verdict and method, an
aanpak's role, a link's change, and the category of every problem a document meets.

All are ``StrEnum``s: a member *is* its value as a string (``Status.ok == "ok"``, ``f"{Status.ok}"`` is ``ok``), so
CSV, Parquet, SQLite and JSON hold exactly the same text as before. Decisions (may a result be cached, did a document
time out) are taken on these members, never on the wording of a message.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What became of one input (``documents.status``)."""

    ok = "ok"
    partial = "partial"  # extracted, with problems named in its error
    failed = "failed"
    skipped = "skipped"  # not of the series, or a second copy of a file


class Kind(StrEnum):
    """What a document is (``documents.kind``)."""

    factsheet = "factsheet"
    followup = "followup"
    report = "report"
    unknown = "unknown"


class Verdict(StrEnum):
    """A finding's marker: a check (pass) or a cross (fail)."""

    pass_ = "pass"
    fail = "fail"


class Role(StrEnum):
    """The role an aanpak plays in its document (``aanpakken.role``)."""

    assessed = "assessed"  # a factsheet's aanpak
    earlier = "2013"  # a follow-up's earlier aanpakken
    later = "2014"  # a follow-up's new aanpak


class OrganisationRole(StrEnum):
    """How an organisation comes up in a document (``organisations.role``)."""

    respondent = "respondent"
    mentioned = "mentioned"


class Method(StrEnum):
    """How a page was read: its text layer, or OCR of its image (a scan, or a page rendered because its text is drawn
    as outlines)."""

    text = "text"
    ocr = "ocr"


class Change(StrEnum):
    """A link's 2013 → 2014 change of verdict (``links.change``)."""

    resolved = "resolved"  # fail → pass
    persists = "persists"  # fail → fail
    regressed = "regressed"  # pass → fail
    maintained = "maintained"  # pass → pass


class LinkSource(StrEnum):
    """Where a link's 2013 side comes from (``links.source``)."""

    followup = "followup"
    both = "factsheet+followup"


class ProblemCategory(StrEnum):
    """What kind of problem a ``Problem`` (or an ``StjError``) is: what may be cached, retried or counted."""

    # the file itself
    empty = "empty"  # 0 bytes
    not_pdf = "not_pdf"
    damaged = "damaged"  # truncated, broken structure, a page that cannot be read or rendered
    encrypted = "encrypted"
    too_many_pages = "too_many_pages"  # over --max-pages
    too_large = "too_large"  # an image or a page's content over the limits (decompression bombs)
    unrelated = "unrelated"  # not of the series
    duplicate = "duplicate"  # the same bytes as an earlier input
    no_text = "no_text"  # no page gave any text
    low_resolution = "low_resolution"  # a scan too coarse to read reliably
    # what the extraction could not make of it
    unrecognised = "unrecognised"  # a table without framework indicators, a report without national figures, ...
    no_verdict = "no_verdict"  # a finding whose check or cross could not be read
    lost_rows = "lost_rows"  # indicators the document owes but did not give
    left_out = "left_out"  # rows that broke a constraint of the dataset
    # the machine, the run or the code: never the file's fault
    ocr_failed = "ocr_failed"  # Tesseract failed on a page
    ocr_unavailable = "ocr_unavailable"  # Tesseract (or its Dutch model) is not installed
    timeout = "timeout"  # ran out of --timeout
    worker_died = "worker_died"  # its worker process died (memory, a crash in a native library)
    internal = "internal"  # a bug: please report it
    link_failed = "link_failed"  # a bug while linking the document
    # the run as a whole
    output = "output"  # the dataset could not be written
    output_locked = "output_locked"
    scheduler = "scheduler"  # the Dask scheduler cannot be reached
    interrupted = "interrupted"
    corrections = "corrections"  # a corrections file cannot be used


# problems for which the machine or the code is at fault, not the file: a result with one is not cached (a fixed bug,
# an installed Tesseract or a quieter machine must be able to do better next time)
NOT_CACHEABLE = frozenset({ProblemCategory.internal, ProblemCategory.ocr_failed, ProblemCategory.ocr_unavailable,
                           ProblemCategory.timeout, ProblemCategory.worker_died, ProblemCategory.link_failed})
