"""Stage: publish. The output folder always holds one whole run, and one run at a time.

Layout of an output folder ``OUT``::

    OUT/findings.csv ... OUT/stj.sqlite, OUT/datapackage.json   links to .versions/current/<the same name>
    OUT/.versions/current                                        link to the run id of the newest whole run
    OUT/.versions/<run id>/                                      a complete dataset (the newest two are kept)
    OUT/.versions/.staging-<run id>/                             the run being written (gone when it ends)
    OUT/.stj.lock                                                the running `stj run`'s pid

A run writes everything into its staging folder; only when every file is complete and checked is the folder renamed
to ``.versions/<run id>`` and ``current`` swapped to it by one ``rename`` (atomic on POSIX), so a reader that
opens the tables by their usual names sees either the previous run or the new one, never a mix, whenever the run is
killed. The previous version is removed only after the swap. The top-level names are created once as relative links
(an older real file of the same name, from before versions, is replaced by its link in one rename).

``OutputLock`` keeps a second run out of a folder a running one holds: an exclusive POSIX record lock (``lockf``)
on ``.stj.lock``, which belongs to the process alone (worker processes forked from it do not share it) and which the
kernel releases when the process dies, so a stale lock of a killed run is taken over without asking; the file names
the holder's pid for the message. Staging folders left by a killed run are removed by the next run that
takes the lock. Files in ``OUT`` that are not ours are never touched.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from extract.core.errors import OutputError, OutputLockedError

log = logging.getLogger(__name__)

VERSIONS = ".versions"
CURRENT = "current"
STAGING_PREFIX = ".staging-"
LOCK_FILE = ".stj.lock"
KEEP_VERSIONS = 2  # the current run and the one before it
WAIT_POLL = 0.5  # seconds between attempts when waiting for a lock


def new_run_id() -> str:
    """A run id that sorts by time: UTC start time and a random suffix."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]


def _cannot_write(out: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write to {out}: {exc.strerror or exc}; choose another --out folder or free space")


# ---------------------------------------------------------------- lock


@dataclass
class LockHolder:
    """What the lock file says of the run holding it."""

    pid: int
    host: str
    since: str

    def describe(self) -> str:
        where = f" on {self.host}" if self.host and self.host != socket.gethostname() else ""
        return f"pid {self.pid}{where}, since {self.since}" if self.pid else "another process"


class OutputLock:
    """An exclusive lock on an output folder for the length of a run (``with OutputLock(out):``).

    ``wait``: seconds to wait for a running holder to finish (0: stop at once with ``OutputLockedError``; None:
    wait as long as it takes).
    """

    def __init__(self, out: Path, wait: float | None = 0):
        self.out = out
        self.wait = wait
        self.path = out / LOCK_FILE
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise _cannot_write(self.out, exc) from exc
        deadline = None if self.wait is None else time.monotonic() + self.wait
        waited = False
        while not self._try_lock():
            if deadline is not None and time.monotonic() >= deadline:
                holder = self.holder()
                os.close(self._fd)
                self._fd = None
                raise OutputLockedError(
                    f"{self.out} is in use by another stj run ({holder.describe()}); wait for it to finish, run "
                    f"with --wait to wait for it, or choose another --out folder")
            if not waited:
                log.warning("%s is in use by another stj run (%s); waiting for it", self.out, self.holder().describe())
                waited = True
            time.sleep(WAIT_POLL)
        self._write_holder()
        return self

    def _try_lock(self) -> bool:
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return False
            raise _cannot_write(self.out, exc) from exc

    def _write_holder(self) -> None:
        previous = _parse_holder(os.pread(self._fd, 4096, 0).decode("utf-8", "replace"))  # never reopen the file:
        # closing any other descriptor of it would release this process's lock
        if previous.pid and previous.pid != os.getpid():
            log.info("took over the lock of %s from a run that ended without releasing it (%s)", self.out,
                     previous.describe())
        since = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"{os.getpid()}\n{socket.gethostname()}\n{since}\n".encode(), 0)

    def holder(self) -> LockHolder:
        """The pid, host and start time the lock file names (pid 0 when it names none); for a process that does not
        hold the lock."""
        try:
            return _parse_holder(self.path.read_text(encoding="utf-8"))
        except OSError:
            return LockHolder(0, "", "")

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.lockf(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _parse_holder(text: str) -> LockHolder:
    pid, host, since = (text.splitlines() + ["", "", ""])[:3]
    try:
        return LockHolder(int(pid), host, since)
    except ValueError:
        return LockHolder(0, "", "")


# ---------------------------------------------------------------- versions


class OutputFolder:
    """The versions of a dataset in ``out``. Use while holding its ``OutputLock``."""

    def __init__(self, out: Path):
        self.out = out
        self.versions = out / VERSIONS

    def current(self) -> Path | None:
        """The folder of the newest whole run, or None."""
        link = self.versions / CURRENT
        return self.versions / os.readlink(link) if link.is_symlink() else None

    def remove_leftovers(self) -> None:
        """Staging folders of runs that were killed (only call while holding the lock: none is running)."""
        if not self.versions.is_dir():
            return
        for folder in self.versions.glob(STAGING_PREFIX + "*"):
            log.info("removing %s, left by a run that was stopped", folder)
            shutil.rmtree(folder, ignore_errors=True)

    def staging(self, run_id: str) -> Path:
        """A new, empty staging folder for the run. Raises OutputError."""
        folder = self.versions / f"{STAGING_PREFIX}{run_id}"
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise _cannot_write(self.out, exc) from exc
        return folder

    def publish(self, staging: Path, run_id: str, names: list[str]) -> Path:
        """Make the complete dataset in ``staging`` the current version: rename it into place, swap ``current``
        in one rename, link the top-level names, then drop versions older than the previous one."""
        version = self.versions / run_id
        try:
            _fsync_folder(staging)
            os.rename(staging, version)
            self._swap_current(run_id)
            for name in names:
                self._link_top_level(name)
        except OSError as exc:
            raise _cannot_write(self.out, exc) from exc
        self._prune()
        return version

    def _swap_current(self, run_id: str) -> None:
        link = self.versions / CURRENT
        temporary = self.versions / f".{CURRENT}-{run_id}"
        os.symlink(run_id, temporary)
        os.replace(temporary, link)
        _fsync_folder(self.versions)

    def _link_top_level(self, name: str) -> None:
        target = Path(VERSIONS) / CURRENT / name
        path = self.out / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            return
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"{path} is a folder; move it away so the dataset's {name} can be written there")
        temporary = self.out / f".{name}.link-{uuid.uuid4().hex[:6]}"
        os.symlink(target, temporary)
        os.replace(temporary, path)

    def _prune(self) -> None:
        current = self.current()
        runs = sorted(p for p in self.versions.iterdir()
                      if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
        keep = {p.name for p in runs[-KEEP_VERSIONS:]} | ({current.name} if current else set())
        for folder in runs:
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (and, for a staging folder, its files) to disk before a rename publishes them."""
    for item in folder.iterdir() if folder.name.startswith(STAGING_PREFIX) else ():
        if item.is_file():
            with open(item, "rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
