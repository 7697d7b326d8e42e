"""A seeded mutation fuzzer for PDFs, and a guarded batch run to put the mutants through.

``mutate(data, seed)`` turns the bytes of a PDF into one mutant; the same bytes and seed always give the same mutant.
The operations are the ways real files get damaged (and hostile files are made):

    flip       bytes changed inside stream data (a bad sector, a broken download, a corrupted image or font)
    truncate   the file cut at a random offset (an interrupted download)
    delete     one ``N G obj ... endobj`` removed: cut out (later offsets shift) or blanked (offsets stay)
    xref       the cross-reference table broken: entries' offsets garbled, ``startxref`` pointing elsewhere, or the
               table cut out
    garbage    random bytes, or PDF-looking junk (a bogus trailer and ``%%EOF``), appended
    number     one number in an object's dictionary set to an extreme (``/Length``, ``/Count``, ``/Width``, ...)
    box        a page box or rotation made absurd: ``/MediaBox``, ``/CropBox`` (added where there is none) or
               ``/Rotate`` of one page or of every page set to non-numbers (names, strings, booleans, a reference
               to no object), the wrong number of numbers, an empty, inverted or negative box, or huge values (the
               cross-reference table is shifted to match, so that only the box is damaged)
    combo      two or three of the above, one after the other

``mutants(data, seed, n)`` gives ``n`` distinct mutants (none equal to the source). ``run_guarded`` runs a batch
through ``extract.api.run`` with a time guard on every document and OCR page, and measures each file's time.
"""

from __future__ import annotations

import hashlib
import random
import re
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

OPERATIONS = ("flip", "truncate", "delete", "xref", "garbage", "number", "box", "combo")
SINGLE = OPERATIONS[:-1]

STREAM = re.compile(rb"stream\r?\n")
ENDSTREAM = b"endstream"
OBJECT = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b.*?\bendobj\b", re.DOTALL)
XREF_ENTRY = re.compile(rb"(?m)^(\d{10}) (\d{5}) ([nf])")
STARTXREF = re.compile(rb"startxref\s+(\d+)")
XREF_TABLE = re.compile(rb"xref\s+\d+\s+\d+\s.*?(?=trailer)", re.DOTALL)
DICT_NUMBER = re.compile(rb"/(Length|Count|Size|Width|Height|BitsPerComponent|W|N|First|Prev|Columns|Rows)\s+(\d+)")
EXTREMES = (b"0", b"-1", b"1", b"2147483648", b"99999999999", b"65536", b"3.5")
PAGE_BOX = re.compile(rb"/(MediaBox|CropBox)\s*(\[[^\]]*\]|\d+\s+\d+\s+R)")
PAGE_ROTATE = re.compile(rb"/Rotate\s+(-?\d+)")
BAD_BOXES = (b"[0 0 /A4 842]", b"[(0) 0 595 842]", b"[0 0 true 842]", b"[0 0 595]", b"[0 0 595 842 10]", b"[]",
             b"(A4)", b"/A4", b"null", b"9999 0 R", b"[0 0 0 0]", b"[300 400 300 400]", b"[0 0 -595 -842]",
             b"[595 842 0 0]", b"[0 0 99999999999 99999999999]", b"[0 0 14400000 842]", b"[0 0 1e30 1e30]",
             b"[-99999999999 0 595 842]", b"[0 0 0.001 0.001]")
BAD_ROTATES = (b"45", b"-45", b"-2147483649", b"99999999999", b"3.5", b"(90)", b"/R90", b"[90]", b"9999 0 R", b"null",
               b"true")


@dataclass(frozen=True)
class Mutant:
    """One mutated file: its bytes, the seed that made it and what was done (one line per operation)."""

    data: bytes
    seed: int
    operations: tuple[str, ...]
    source: str = ""

    @property
    def name(self) -> str:
        """A file name: the source's stem, the seed and the kinds of operation ("almere-2015.s17.flip+xref.pdf")."""
        kinds = "+".join(op.split(" ", 1)[0].rstrip(":") for op in self.operations)
        return f"{Path(self.source).stem or 'mutant'}.s{self.seed}.{kinds}.pdf"

    @property
    def description(self) -> str:
        return "; ".join(self.operations)


def streams(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of the data of every ``stream ... endstream``."""
    spans = []
    for match in STREAM.finditer(data):
        start = match.end()
        end = data.find(ENDSTREAM, start)
        if end > start:
            spans.append((start, end))
    return spans


def flip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Change 1 to 64 bytes inside one stream's data (or anywhere, if the file has no streams)."""
    spans = streams(data) or [(0, len(data))]
    start, end = rng.choice(spans)
    out = bytearray(data)
    count = rng.choice((1, 2, 4, 16, 64))
    for _ in range(count):
        at = rng.randrange(start, end)
        out[at] ^= rng.randrange(1, 256)
    return bytes(out), f"flip {count} bytes in the stream at {start}..{end}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut the file at a random offset (anywhere after the header)."""
    at = rng.randrange(min(16, len(data) - 1), len(data) - 1)
    return data[:at], f"truncate at {at} of {len(data)}"


def delete(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Remove one object: cut out, or overwritten with spaces so that the other offsets stay right."""
    objects = list(OBJECT.finditer(data))
    if not objects:
        return truncate(data, rng)
    match = rng.choice(objects)
    number = match.group(1).decode()
    if rng.random() < 0.5:
        return data[:match.start()] + data[match.end():], f"delete object {number} (cut)"
    blank = b" " * (match.end() - match.start())
    return data[:match.start()] + blank + data[match.end():], f"delete object {number} (blanked)"


def break_xref(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Break the cross-reference: garble entries' offsets, point ``startxref`` elsewhere, or cut the table out."""
    choice = rng.choice(("entries", "startxref", "table"))
    entries = list(XREF_ENTRY.finditer(data))
    if choice == "entries" and entries:
        out = bytearray(data)
        picked = rng.sample(entries, k=min(len(entries), rng.choice((1, 3, len(entries)))))
        for entry in picked:
            offset = rng.choice((0, rng.randrange(len(data)), len(data) + rng.randrange(1, 10 ** 6)))
            out[entry.start(1):entry.end(1)] = b"%010d" % min(offset, 10 ** 10 - 1)
        return bytes(out), f"xref: garble {len(picked)} of {len(entries)} entries"
    pointers = list(STARTXREF.finditer(data))
    if choice in ("startxref", "entries") and pointers:
        match = rng.choice(pointers)
        wrong = str(rng.choice((0, 1, rng.randrange(len(data)), len(data) + 12345, 10 ** 12))).encode()
        return data[:match.start(1)] + wrong + data[match.end(1):], f"xref: startxref {wrong.decode()}"
    tables = list(XREF_TABLE.finditer(data))
    if tables:
        match = rng.choice(tables)
        return data[:match.start()] + data[match.end():], "xref: table cut out"
    return truncate(data, rng)


def garbage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Append random bytes, or junk that looks like the end of a PDF (a bogus trailer pointing into nowhere)."""
    if rng.random() < 0.5:
        size = rng.choice((1, 10, 1000, 100_000))
        return data + rng.randbytes(size), f"garbage: {size} random bytes appended"
    junk = (b"\n9999 0 obj\n<< /Type /Catalog /Pages 9998 0 R >>\nendobj\ntrailer\n<< /Root 9999 0 R /Size 3 >>\n"
            b"startxref\n%d\n%%%%EOF\n" % rng.randrange(len(data) * 2))
    return data + junk, "garbage: a bogus trailer appended"


def number(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Set one number in a dictionary (/Length, /Count, /Width, ...) to an extreme value."""
    found = list(DICT_NUMBER.finditer(data))
    if not found:
        return flip(data, rng)
    match = rng.choice(found)
    value = rng.choice(EXTREMES)
    return (data[:match.start(2)] + value + data[match.end(2):],
            f"number: /{match.group(1).decode()} {match.group(2).decode()} -> {value.decode()}")


def page_box(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Make a page's ``/MediaBox``, ``/CropBox`` or ``/Rotate`` absurd (one page, or every page): a non-number, the
    wrong number of numbers, an empty, inverted or huge box, a reference to no object. A ``/CropBox`` or ``/Rotate``
    the page lacks is added after its ``/MediaBox``. The cross-reference table is shifted to match."""
    boxes = list(PAGE_BOX.finditer(data))
    if not boxes:
        return number(data, rng)
    key = rng.choice(("MediaBox", "CropBox", "Rotate"))
    value = rng.choice(BAD_ROTATES if key == "Rotate" else BAD_BOXES)
    every = rng.random() < 0.4
    edits: list[tuple[int, int, bytes]] = []
    for box in boxes if every else [rng.choice(boxes)]:
        end = _dict_end(data, box.end())
        if key == "Rotate":
            found = PAGE_ROTATE.search(data, box.end(), end) or _before(PAGE_ROTATE, data, box.start())
            edits.append((found.start(1), found.end(1), value) if found else (box.end(), box.end(), b" /Rotate " + value))
        elif key == box.group(1).decode():
            edits.append((box.start(2), box.end(2), value))
        else:
            edits.append((box.end(), box.end(), b" /%s %s" % (key.encode(), value)))
    for start, end, new in sorted(set(edits), reverse=True):
        data = splice(data, start, end, new)
    pages = "every page" if every else "one page"
    return data, f"box: /{key} of {pages} -> {value.decode()}"


def _dict_end(data: bytes, start: int) -> int:
    """Where the object that holds offset ``start`` ends (``endobj``), or the end of the file."""
    end = data.find(b"endobj", start)
    return end if end >= 0 else len(data)


def _before(pattern: re.Pattern, data: bytes, offset: int) -> re.Match | None:
    """The last match of ``pattern`` in the object that holds ``offset``, before it."""
    start = data.rfind(b" obj", 0, offset)
    found = list(pattern.finditer(data, max(start, 0), offset))
    return found[-1] if found else None


def splice(data: bytes, start: int, end: int, new: bytes) -> bytes:
    """``data[start:end]`` replaced by ``new``, with the offsets of a classic cross-reference table and of
    ``startxref`` that lie beyond the edit shifted by the change in length (the file stays otherwise intact)."""
    shift = len(new) - (end - start)
    out = data[:start] + new + data[end:]
    if not shift:
        return out

    def entry(match: re.Match) -> bytes:
        offset = int(match.group(1))
        moved = offset + shift if offset >= end and match.group(3) == b"n" else offset
        return b"%010d %s %s" % (moved, match.group(2), match.group(3))

    def pointer(match: re.Match) -> bytes:
        offset = int(match.group(1))
        return b"startxref\n%d" % (offset + shift if offset >= end else offset)

    head, tail = out[:start + len(new)], out[start + len(new):]
    return head + STARTXREF.sub(pointer, XREF_ENTRY.sub(entry, tail))


MUTATORS = {"flip": flip, "truncate": truncate, "delete": delete, "xref": break_xref, "garbage": garbage,
            "number": number, "box": page_box}


def mutate(data: bytes, seed: int, operation: str | None = None, source: str = "") -> Mutant:
    """One mutant of ``data``, the same for the same bytes, seed and operation. ``operation`` is one of
    ``OPERATIONS`` (chosen by the seed when None); "combo" applies two or three single operations in turn."""
    rng = random.Random(f"{seed}:{hashlib.sha256(data).hexdigest()}")
    operation = operation or rng.choice(OPERATIONS)
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation {operation!r}; one of {', '.join(OPERATIONS)}")
    steps = [rng.choice(SINGLE) for _ in range(rng.choice((2, 3)))] if operation == "combo" else [operation]
    done = []
    for step in steps:
        data, what = MUTATORS[step](data, rng)
        done.append(what)
    return Mutant(data, seed, tuple(done), source)


def mutants(data: bytes, seed: int, count: int, source: str = "",
            operations: Iterable[str] | None = None) -> list[Mutant]:
    """``count`` distinct mutants of ``data`` (never the source's bytes), from seeds drawn from ``seed``; the
    operations cycle through ``operations`` (all of ``OPERATIONS`` by default)."""
    cycle = list(operations or OPERATIONS)
    rng = random.Random(seed)
    seen = {hashlib.sha256(data).digest()}
    made: list[Mutant] = []
    attempts = 0
    while len(made) < count and attempts < count * 20:
        attempts += 1
        mutant = mutate(data, rng.randrange(10 ** 6), cycle[len(made) % len(cycle)], source)
        digest = hashlib.sha256(mutant.data).digest()
        if digest not in seen and mutant.data:
            seen.add(digest)
            made.append(mutant)
    return made


def first_pages(path: Path, pages: int, target: Path) -> Path:
    """A copy of the first ``pages`` pages of a PDF (written by pdfium): a cheaper source for scanned mutants. The
    same every time: pdfium's creation date and file ID are set to fixed ones of the same length (offsets stay
    valid), since the mutants of a file are seeded by its bytes."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(path))
    try:
        out = pdfium.PdfDocument.new()
        out.import_pages(source, list(range(min(pages, len(source)))))
        out.save(str(target))
        out.close()
    finally:
        source.close()
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20130101000000", target.read_bytes())
    data = re.sub(rb"(/ID\s*\[)([<>0-9A-Fa-f\s]*)(\])",
                  lambda m: m.group(1) + re.sub(rb"[0-9A-Fa-f]", b"0", m.group(2)) + m.group(3), data)
    target.write_bytes(data)
    return target


# ---------------------------------------------------------------- a batch with a time guard


class Hang(BaseException):
    """A document or an OCR page took longer than the guard (a BaseException, so that no ``except Exception`` in
    the pipeline turns it into an ordinary failure)."""

    def __init__(self, path: Path, seconds: float, stage: str):
        super().__init__(f"{path.name}: {stage} still running after {seconds:.0f} s")
        self.path, self.seconds, self.stage = path, seconds, stage


@dataclass
class GuardedRun:
    summary: object  # extract.api.RunSummary
    seconds: dict[str, float] = field(default_factory=dict)  # per input file (by path): its time, OCR pages included
    ocr_seconds: dict[str, float] = field(default_factory=dict)  # ... of which OCR


def run_guarded(paths: list[Path], out: Path, options, guard: float = 120.0) -> GuardedRun:
    """``extract.api.run`` over ``paths`` serially (jobs=1), with SIGALRM re-armed at every finished OCR page and
    document, so that no single one may run longer than ``guard`` seconds: ``Hang`` names the file that did. Each
    file's time is measured between the callbacks (OCR pages done ahead are attributed to their file by the order
    ``pipeline.ocr_tasks`` gives them in). Main thread only (signals)."""
    from extract import api
    from extract.run import pipeline

    inputs = api.find_inputs(paths)
    tasks = pipeline.ocr_tasks(pipeline.uncached(inputs, options), options)
    state = {"done_docs": 0, "done_pages": 0, "since": time.monotonic(), "stage": "ocr" if tasks else "document"}
    run = GuardedRun(summary=None)

    def current() -> tuple[Path, str]:
        if state["stage"] == "ocr" and state["done_pages"] < len(tasks):
            return tasks[state["done_pages"]][0], f"OCR of page {tasks[state['done_pages']][2]}"
        return inputs[min(state["done_docs"], len(inputs) - 1)], "extraction"

    def on_alarm(signum, frame):
        path, stage = current()
        raise Hang(path, time.monotonic() - state["since"], stage)

    def lap(key: str, ocr: bool) -> None:
        now = time.monotonic()
        spent, state["since"] = now - state["since"], now
        run.seconds[key] = run.seconds.get(key, 0.0) + spent
        if ocr:
            run.ocr_seconds[key] = run.ocr_seconds.get(key, 0.0) + spent
        signal.setitimer(signal.ITIMER_REAL, guard)

    def ocr_progress(done: int, total: int) -> None:
        key = str(tasks[done - 1][0]) if total == len(tasks) and done <= len(tasks) else "(OCR)"
        state["done_pages"] = done
        if done >= total:
            state["stage"] = "document"
        lap(key, ocr=True)

    def progress(result) -> None:
        state["stage"] = "document"
        state["done_docs"] += 1
        lap(result.path, ocr=False)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, guard)
    try:
        run.summary = api.run(inputs, out, jobs=1, progress=progress, options=options, ocr_progress=ocr_progress)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return run


# ---------------------------------------------------------------- checks


STATUSES = ("ok", "partial", "failed", "skipped")
INTERNAL = "internal error"


def problems_of(results) -> list[str]:
    """What is wrong with a batch's results: an internal error, a status outside the four, a missing or multi-line
    reason. One line per problem; [] when every file ended well."""
    found = []
    for r in results:
        if r.status not in STATUSES:
            found.append(f"{r.source_file}: status {r.status!r}")
        if r.status != "ok" and not r.error.strip():
            found.append(f"{r.source_file}: {r.status} without a reason")
        if any(e.startswith(INTERNAL) for e in r.errors):
            found.append(f"{r.source_file}: {r.error}")
        if "\n" in r.error:
            found.append(f"{r.source_file}: a reason of more than one line: {r.error!r}")
    return found


WHERE_COLUMNS = ("path",)  # where the file lay (a copy in another folder is the same document)


def rows_of(out: Path, doc_ids: set[str]) -> dict[str, list[tuple]]:
    """Per CSV table of a dataset, the rows (as sorted tuples of strings) that belong to ``doc_ids``; columns that
    only say where the file lay are left out."""
    import pandas as pd

    tables = {}
    for csv in sorted(out.glob("*.csv")):
        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        frame = frame.drop(columns=[c for c in WHERE_COLUMNS if c in frame.columns])
        keys = [c for c in frame.columns if c == "doc_id" or c.endswith("doc_id")]
        if not keys or csv.stem == "corrections":
            continue
        mine = frame[frame[keys].isin(doc_ids).any(axis=1)]
        tables[csv.stem] = sorted(tuple(row) for row in mine.itertuples(index=False))
    return tables
