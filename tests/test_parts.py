"""Bounded memory: finished documents' rows go to Parquet parts and come back as the same tables."""

from __future__ import annotations

import pandas as pd
import pytest

from extract.core.records import FindingKey
from extract.core.settings import RunOptions
from extract.output import dataset
from extract.output.link import build_links
from extract.output.parts import PartStore, slim
from extract.run.pipeline import process_document
from tests.conftest import BORN_DIGITAL, SAMPLES


@pytest.fixture(scope="module")
def results():
    return [process_document(SAMPLES / name, RunOptions(use_results_cache=False)) for name in BORN_DIGITAL]


@pytest.mark.parametrize("flush_rows", [
    1,  # a part per document: the fast layer's case
    pytest.param(40, marks=pytest.mark.slow), pytest.param(10_000, marks=pytest.mark.slow)])
def test_parts_give_the_tables_memory_gives(tmp_path, results, flush_rows):
    """Whether every document is its own part, parts hold several documents, or all stay buffered to the end."""
    store = PartStore(tmp_path / "parts", flush_rows=flush_rows)
    kept = [store.add(r) for r in results]
    from_parts = store.tables()
    in_memory = dataset.tables_in_memory(results)
    assert set(from_parts) == set(dataset.DOCUMENT_TABLES)
    for name in dataset.DOCUMENT_TABLES:
        pd.testing.assert_frame_equal(from_parts[name], in_memory[name], check_exact=True, obj=name)
    assert len(from_parts["findings"]) == sum(len(r.findings) for r in results) > 0
    written = list((tmp_path / "parts").glob("findings-*.parquet"))
    expected = {1: len([r for r in results if r.findings]), 10_000: 1}  # 10_000: all written by tables() at the end
    if flush_rows in expected:
        assert len(written) == expected[flush_rows]
    else:
        assert 1 < len(written) < len(results) + 1
    assert [k.doc_id for k in kept] == [r.doc_id for r in results]


def test_the_slim_result_links_like_the_whole_one(results):
    whole = build_links(results)
    thin = [slim(r) for r in results]
    assert build_links(thin) == whole
    assert all(isinstance(f, FindingKey) for r in thin for f in r.findings)
    assert all(not r.context and not r.conclusions and not r.organisations for r in thin)
    assert [len(r.findings) for r in thin] == [len(r.findings) for r in results]


def test_a_dataset_from_parts_equals_one_from_memory(tmp_path, results):
    store = PartStore(tmp_path / "parts", flush_rows=25)
    kept = [store.add(r) for r in results]
    links = build_links(kept)
    from_parts = dataset.build_dataset(kept, links, [], store.tables()).tables
    from_memory = dataset.build_dataset(results, build_links(results), []).tables
    for name in dataset.SCHEMA:
        pd.testing.assert_frame_equal(from_parts[name], from_memory[name], check_exact=True, obj=name)


def test_a_run_leaves_no_parts_behind(born_digital_run):
    summary, out = born_digital_run
    assert summary.rows > 0
    assert not list((out / ".versions").glob(".staging-*")) and not list(out.rglob(".parts"))
    assert all(isinstance(f, FindingKey) for r in summary.results for f in r.findings)  # only slim results held
