"""How documents are processed: one interface, a serial and a process-pool implementation.

Stages never know which executor runs them, so a distributed engine can be added as another ``Executor`` later.
Results come back in input order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...


class SerialExecutor:
    """Everything in this process, one item after another."""

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        return map(function, items)


class PoolExecutor:
    """A pool of worker processes (``--jobs N``)."""

    def __init__(self, jobs: int):
        self.jobs = jobs

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        items = list(items)
        with ProcessPoolExecutor(max_workers=min(self.jobs, max(1, len(items)))) as pool:
            yield from pool.map(function, items)


def make_executor(jobs: int | None) -> Executor:
    """``jobs`` None or 0: one per core; 1: serial."""
    jobs = jobs or os.cpu_count() or 1
    return SerialExecutor() if jobs <= 1 else PoolExecutor(jobs)
