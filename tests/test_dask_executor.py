"""The Dask executor: the same dataset as a local run, results in input order, one-line error without a scheduler."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import distributed
import pytest

from extract import api
from extract.core.errors import ExitCode, SchedulerError
from extract.core.settings import RunOptions
from extract.run.executor import DaskExecutor, make_executor

from .conftest import SAMPLES

pytestmark = pytest.mark.slow  # a Dask cluster of worker processes

log = logging.getLogger(__name__)

BORN_DIGITAL = ["haarlemmermeer-2013.pdf", "almere-2015.pdf", "almere-2015-open.pdf"]
TABLES = ["documents", "findings", "links", "aanpakken"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    """Two single-threaded worker processes on this machine, closed (processes and all) after the module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as local:
        yield local


def uneven(item: int) -> int:
    """Later items finish first: the executor must still return them in input order."""
    time.sleep(0.05 * (5 - item))
    return item * item


def test_map_keeps_input_order(cluster: distributed.LocalCluster) -> None:
    results = make_executor(2, cluster.scheduler_address).map(uneven, range(6))
    assert isinstance(results, Iterator)
    assert list(results) == [item * item for item in range(6)]


def test_unreachable_scheduler_is_one_line_error() -> None:
    address = "tcp://127.0.0.1:1"
    started = time.monotonic()
    with pytest.raises(SchedulerError) as raised:
        list(DaskExecutor(address, connect_timeout=2).map(uneven, [1]))
    assert time.monotonic() - started < 15
    message = raised.value.message
    assert "\n" not in message and address in message
    assert "dask scheduler" in message and f"dask worker {address}" in message
    assert raised.value.exit_code == ExitCode.bad_usage


def test_cluster_run_equals_local_run(cluster: distributed.LocalCluster, tmp_path: Path) -> None:
    inputs = [SAMPLES / name for name in BORN_DIGITAL]
    finished = []
    api.run(inputs, tmp_path / "dask", scheduler=cluster.scheduler_address, progress=finished.append,
            options=RunOptions(cache_dir=tmp_path / "cache-dask"))
    api.run(inputs, tmp_path / "local", jobs=1, options=RunOptions(cache_dir=tmp_path / "cache-local"))
    assert [r.source_file for r in finished] == BORN_DIGITAL  # input order, as documents finished
    for table in TABLES:
        dask_rows = _without_path(tmp_path / "dask" / f"{table}.csv")
        local_rows = _without_path(tmp_path / "local" / f"{table}.csv")
        assert dask_rows == local_rows, table


def _without_path(csv_file: Path) -> str:
    """The file's text, with its ``path`` column (the only one that may name a machine's folder) left out."""
    text = csv_file.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or "path" not in rows[0]:
        return text
    column = rows[0].index("path")
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([row[:column] + row[column + 1:] for row in rows])
    return out.getvalue()
