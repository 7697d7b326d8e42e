"""Accuracy on documents no one has seen: synthetic factsheets and follow-ups typeset in other styles (no vertical
rules, no rules at all, rows split over a page break, symbol-font and other marker glyphs, other fonts)."""

from __future__ import annotations

import dataclasses

import pytest

from extract.analysis.evaluate import compare
from extract.run.pipeline import process_document
from tests.synth import STYLE_VARIANTS, make_factsheet, make_followup

SEEDS = [0, 1]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("kind", ["factsheet", "followup"])
@pytest.mark.parametrize("style_name", sorted(STYLE_VARIANTS))
def test_unseen_layout_is_extracted_exactly(tmp_path, style_name, kind, seed):
    path = tmp_path / f"{kind}.pdf"
    make = make_factsheet if kind == "factsheet" else make_followup
    expected = make(path, style=STYLE_VARIANTS[style_name], rng_seed=seed)
    result = process_document(path)
    assert result.status == "ok", result.errors
    info = result.info
    assert (info.kind, info.gemeente, info.published, info.aanpak, info.aanpak_2013) == (
        expected.kind, expected.gemeente, expected.published, expected.aanpak, list(expected.aanpak_2013))
    score = compare(expected.findings, [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    assert score.differences == []
    if kind == "factsheet":
        got = {(c.theme, c.goes_well, c.could_improve) for c in result.conclusions}
        assert got == {(c["theme"], c["goes_well"], c["could_improve"]) for c in expected.conclusions}
