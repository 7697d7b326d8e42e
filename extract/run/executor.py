"""How documents are processed: one interface, a serial, a process-pool and a Dask implementation.

Stages never know which executor runs them. Results come back in input order. The process pool (pebble's, whose
workers can be ended one by one) enforces a time limit per item: an item that runs longer, or whose worker dies
(killed for memory, a crash in a native library), gets the result ``on_failure`` makes of the reason, the worker is
replaced, and the rest goes on; a serial run with a time limit therefore runs in one such worker. Workers ignore
Ctrl-C: the main process handles it, ends them, and cleans up. ``DaskExecutor`` sends the work to a
running ``dask.distributed`` cluster (``stj run --scheduler ADDRESS``); its workers must see the inputs and the OCR
cache folder under the same paths as this machine. The client connection and its errors are translated into
``SchedulerError`` here, where they enter, and nowhere else.
"""

from __future__ import annotations

import logging
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol, TypeVar

from extract.core.enums import ProblemCategory
from extract.core.errors import SchedulerError
from extract.core.problems import Problem

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler before giving up
START_HINT = "start one with `dask scheduler` and workers with `dask worker {address}`"


Limit = Callable[[T], "float | None"]  # an item's time limit in seconds (None: none)
OnFailure = Callable[[T, Problem], R]  # the result standing for an item that ran out of time or lost its worker


class Executor(Protocol):
    def map(self, function: Callable[[T], R], items: Iterable[T], limit: Limit | None = None,
            on_failure: OnFailure | None = None) -> Iterator[R]: ...


class SerialExecutor:
    """Everything in this process, one item after another (no time limit can be enforced here)."""

    def map(self, function: Callable[[T], R], items: Iterable[T], limit: Limit | None = None,
            on_failure: OnFailure | None = None) -> Iterator[R]:
        return map(function, items)


TASKS_PER_WORKER = 100  # a worker is replaced after this many items, so its memory stays bounded over any batch


class PoolExecutor:
    """A pool of worker processes (``--jobs N``), each item limited to ``limit(item)`` seconds; ``initializer`` runs
    in each worker as it starts (not charged to any item's time). Workers are forked, so what the main process has
    loaded they share; each is replaced after ``TASKS_PER_WORKER`` items."""

    def __init__(self, jobs: int, initializer: Callable[[], None] | None = None):
        self.jobs = jobs
        self.initializer = initializer

    def map(self, function: Callable[[T], R], items: Iterable[T], limit: Limit | None = None,
            on_failure: OnFailure | None = None) -> Iterator[R]:
        from pebble import ProcessPool

        items = list(items)
        if not items:
            return
        pool = ProcessPool(max_workers=min(self.jobs, len(items)), max_tasks=TASKS_PER_WORKER,
                           initializer=_start_worker, initargs=(self.initializer,))
        try:
            futures = deque(pool.schedule(function, args=(item,), timeout=limit(item) if limit else None)
                            for item in items)
            for item in items:
                yield self._result(item, futures.popleft(), on_failure)  # a result is let go once yielded
            pool.close()
        finally:
            pool.stop()  # ends any worker still running (Ctrl-C, an error, or the caller stopped early)
            pool.join()

    @staticmethod
    def _result(item: T, future, on_failure: OnFailure | None) -> R:
        from pebble import ProcessExpired

        try:
            return future.result()
        except TimeoutError as exc:
            reason = Problem(None, ProblemCategory.timeout,
                             f"took longer than {exc.args[1]:g} s" if len(exc.args) > 1 else "took too long")
        except ProcessExpired as exc:
            reason = Problem(None, ProblemCategory.worker_died, f"its worker process died ({_death(exc.exitcode)})")
        if on_failure is None:
            raise TimeoutError(str(reason))
        log.warning("%s: %s", item, reason)
        return on_failure(item, reason)


def _start_worker(initializer: Callable[[], None] | None) -> None:
    """Workers leave Ctrl-C (SIGINT) to the main process, which ends them itself, and (on Linux) die with it when it
    is killed, instead of working on as orphans. Then the caller's ``initializer``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    if initializer:
        initializer()


def _die_with_parent() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: orphans finish their item and exit
        pass


PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent dies


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.Signals._value2member_map_ else str(-exitcode)
        hint = ": out of memory?" if -exitcode == signal.SIGKILL else ""
        return f"signal {name}{hint}"
    return f"exit status {exitcode}"


class DaskExecutor:
    """The workers of a running ``dask.distributed`` cluster (``--scheduler ADDRESS``).

    Each ``map`` connects, submits every item as one task and yields the results lazily in input order as they
    finish, so a progress callback advances while the cluster works. A finished result is fetched and released at
    once; the function must be importable on the workers (``extract`` installed there).
    """

    def __init__(self, address: str, connect_timeout: float = CONNECT_TIMEOUT):
        self.address = address
        self.connect_timeout = connect_timeout

    def map(self, function: Callable[[T], R], items: Iterable[T], limit: Limit | None = None,
            on_failure: OnFailure | None = None) -> Iterator[R]:
        """``limit`` is not enforced: a Dask task cannot be ended on its own (run workers with ``--lifetime`` or
        memory limits instead)."""
        items = list(items)
        with self._client() as client:
            log.info("%d tasks on the Dask cluster at %s", len(items), self.address)
            futures = client.map(function, items, pure=False)
            yield from self._in_order(client, futures)

    @contextmanager
    def _client(self) -> Iterator[Client]:
        """A client of the scheduler, closed afterwards; an unreachable scheduler is a ``SchedulerError``."""
        from distributed import Client

        self._check_address()
        try:
            client = Client(self.address, timeout=self.connect_timeout, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise self._error("cannot reach the Dask scheduler", exc) from None
        try:
            yield client
        finally:
            client.close()

    def _check_address(self) -> None:
        """A malformed address or unknown protocol is refused before a client is made (a client that cannot even
        start hangs on exit)."""
        from distributed.comm.addressing import get_address_host_port

        try:
            host, _ = get_address_host_port(self.address)
            if not host:
                raise ValueError("no host")
        except (ValueError, TypeError) as exc:
            reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise SchedulerError(f"{self.address!r} is not a Dask scheduler address ({reason}); give one like "
                                 "tcp://HOST:8786") from None

    def _in_order(self, client: Client, futures: list[Future | None]) -> Iterator[R]:
        """The futures' results in submission order, each yielded as soon as it and all before it are done."""
        from distributed import as_completed

        position = {future.key: index for index, future in enumerate(futures)}
        done: dict[int, R] = {}
        following = 0
        for future in as_completed(futures, loop=client.loop):
            done[position[future.key]] = self._result(future)
            futures[position[future.key]] = None  # release it on the cluster once fetched
            while following in done:
                yield done.pop(following)
                following += 1

    def _result(self, future: Future) -> R:
        """The task's result; its own exception is re-raised as is, a lost worker or connection is translated."""
        from distributed import KilledWorker

        try:
            return future.result()
        except (KilledWorker, CancelledError) as exc:
            raise self._error("the Dask cluster lost the run", exc) from None
        except OSError as exc:
            if future.status == "error":
                raise  # the task itself raised it
            raise self._error("lost the connection to the Dask scheduler", exc) from None

    def _error(self, what: str, exc: BaseException) -> SchedulerError:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return SchedulerError(f"{what} at {self.address} ({reason}); {START_HINT.format(address=self.address)}")


def make_executor(jobs: int | None, scheduler: str | None = None, limited: bool = False,
                  initializer: Callable[[], None] | None = None) -> Executor:
    """``scheduler``: the address of a Dask scheduler (``jobs`` is then ignored); else ``jobs`` None or 0: one
    process per core; 1: serial, in this process unless ``limited`` (items have a time limit: then in one worker
    that can be ended). ``initializer``: run by each worker process as it starts."""
    if scheduler:
        return DaskExecutor(scheduler)
    jobs = jobs or os.cpu_count() or 1
    return SerialExecutor() if jobs <= 1 and not limited else PoolExecutor(jobs, initializer)
