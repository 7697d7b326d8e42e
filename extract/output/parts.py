"""Stage: collect. Finished documents' rows go to disk at once, as Parquet parts, so memory stays bounded.

A run over thousands of documents must not hold every document's findings, conclusions and context in memory until
the end. ``PartStore.add`` takes each ``DocumentResult`` as it finishes, buffers its rows (``dataset.document_rows``)
and writes them out as one Parquet part per table every ``flush_rows`` rows; what stays in memory is a slim copy of
the result (``slim``): its status, errors and document info, and its findings as ``FindingKey``s, which is what
linking and the ``documents`` table need. ``PartStore.tables`` combines the parts with pyarrow at the end.

The parts live in a folder of the run's staging area and are removed with it; they are not a cache (the results
cache is), only a way to keep rows off the heap between a document's end and the dataset's writing.

pandas and pyarrow are imported when the first document is added (``libraries``), not with this module: at start-up
nothing else could run meanwhile, while by then the workers are extracting the next documents.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from sys import intern
from types import ModuleType
from typing import TYPE_CHECKING

from extract.core.records import DocumentResult, FindingKey
from extract.output.dataset import DOCUMENT_TABLES, PANDAS_TYPES, SCHEMA, document_rows, typed

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

log = logging.getLogger(__name__)

FLUSH_ROWS = 5000  # buffered rows (all tables together) that trigger writing a part


@lru_cache(maxsize=1)
def libraries() -> tuple[ModuleType, ModuleType, ModuleType]:
    """pandas, pyarrow and pyarrow.parquet, imported on first use."""
    import pandas
    import pyarrow
    import pyarrow.parquet

    return pandas, pyarrow, pyarrow.parquet


@lru_cache(maxsize=1)
def arrow_types() -> dict[str, pa.DataType]:
    _, pa, _ = libraries()
    return {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of one of the dataset's tables (from ``dataset.SCHEMA``)."""
    _, pa, _ = libraries()
    return pa.schema([(f.name, arrow_types()[f.type]) for f in SCHEMA[table]])


def slim(result: DocumentResult) -> DocumentResult:
    """The result as the rest of the run needs it once its rows are on disk: no conclusions, context, organisations
    or national figures, and each finding only as the ``FindingKey`` linking reads (names shared, not copied)."""
    findings = [FindingKey(f.finding_id, f.doc_id, intern(f.source_file), intern(f.gemeente), intern(f.aanpak),
                           f.year, intern(f.indicator_id), f.verdict, f.page)  # a verdict is an enum member: shared
                for f in result.findings]
    coverage = replace(result.coverage, pages=[]) if result.coverage else None  # the totals; pages are on disk
    return replace(result, findings=findings, conclusions=[], national_figures=[], context=[], organisations=[],
                   coverage=coverage)


class PartStore:
    """Rows of finished documents, written to ``folder`` as Parquet parts; ``tables`` reads them back combined."""

    def __init__(self, folder: Path, flush_rows: int = FLUSH_ROWS):
        self.folder = folder
        self.flush_rows = flush_rows
        self._buffer: dict[str, list[dict]] = {name: [] for name in DOCUMENT_TABLES}
        self._buffered = 0
        self._parts = 0
        folder.mkdir(parents=True, exist_ok=True)

    def add(self, result: DocumentResult) -> DocumentResult:
        """Keep the document's rows (written out when enough are buffered); returns the slim result to hold."""
        libraries()  # loaded now, while the workers go on, rather than when the dataset is written
        for name, rows in document_rows(result).items():
            self._buffer[name] += rows
            self._buffered += len(rows)
        if self._buffered >= self.flush_rows:
            self.flush()
        return slim(result)

    def flush(self) -> None:
        """Write the buffered rows as one part per table."""
        if not self._buffered:
            return
        _, pa, pq = libraries()
        for name, rows in self._buffer.items():
            if rows:
                table = pa.Table.from_pylist(rows, schema=arrow_schema(name))
                pq.write_table(table, self.folder / f"{name}-{self._parts:05d}.parquet")
        log.debug("part %d: %d rows written to %s", self._parts, self._buffered, self.folder)
        self._parts += 1
        self._buffer = {name: [] for name in DOCUMENT_TABLES}
        self._buffered = 0

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of ``DOCUMENT_TABLES``, combined from the parts."""
        self.flush()
        return {name: self._table(name) for name in DOCUMENT_TABLES}

    def _table(self, name: str) -> pd.DataFrame:
        pd, pa, pq = libraries()
        paths = sorted(self.folder.glob(f"{name}-*.parquet"))
        if not paths:
            return typed(name, pd.DataFrame(columns=[f.name for f in SCHEMA[name]]))
        table = pa.concat_tables(pq.read_table(path, schema=arrow_schema(name)) for path in paths)
        return typed(name, table.to_pandas(types_mapper=_pandas_type))


def _pandas_type(arrow_type: pa.DataType):
    """Arrow → pandas nullable types, the same ones ``dataset.frame`` gives (so parts and memory agree)."""
    pd, pa, _ = libraries()
    mapping = {pa.string(): PANDAS_TYPES["string"], pa.int64(): PANDAS_TYPES["integer"],
               pa.float64(): PANDAS_TYPES["number"], pa.bool_(): PANDAS_TYPES["boolean"]}
    found = mapping.get(arrow_type)
    return pd.api.types.pandas_dtype(found) if found else None
