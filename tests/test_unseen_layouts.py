"""Accuracy on documents no one has seen: synthetic factsheets and follow-ups typeset in other styles (no vertical
rules, no rules at all, rows split over a page break, symbol-font and other marker glyphs, other fonts).

The expected rows here are the generator's own answers (``tests/synth.py`` returns what it typeset), not values
written independently of the code: the hand-checked gold files (``test_gold.py``) are that check."""

from __future__ import annotations

import dataclasses

import pytest

from extract.analysis.evaluate import compare
from extract.run.pipeline import process_document
from tests.synth import STYLE_VARIANTS, make_factsheet, make_followup

pytestmark = pytest.mark.slow  # a generated corpus: 32 documents typeset and extracted

SEEDS = [0, 1]


def _problems(path, kind: str, style_name: str, seed: int) -> list[str]:
    """How the extraction of one generated document differs from what the generator says it typeset."""
    make = make_factsheet if kind == "factsheet" else make_followup
    expected = make(path, style=STYLE_VARIANTS[style_name], rng_seed=seed)
    result = process_document(path)
    if result.status != "ok":
        return [f"status {result.status}: {result.errors}"]
    problems = []
    info = result.info
    got = (info.kind, info.gemeente, info.published, info.aanpak, info.aanpak_2013)
    want = (expected.kind, expected.gemeente, expected.published, expected.aanpak, list(expected.aanpak_2013))
    if got != want:
        problems.append(f"document {got} != {want}")
    score = compare(expected.findings, [dataclasses.asdict(f) for f in result.findings], strict_text=True)
    problems += [str(d) for d in score.differences]
    if kind == "factsheet":
        conclusions = {(c.theme, c.goes_well, c.could_improve) for c in result.conclusions}
        if conclusions != {(c["theme"], c["goes_well"], c["could_improve"]) for c in expected.conclusions}:
            problems.append("conclusions differ")
    return problems


@pytest.mark.parametrize("kind", ["factsheet", "followup"])
@pytest.mark.parametrize("style_name", sorted(STYLE_VARIANTS))
def test_unseen_layout_matches_generator_answers(tmp_path, style_name, kind):
    """Proves: a document typeset in this style (every seed of ``SEEDS``) is read back to exactly the document
    fields, rows, verdicts, texts and conclusions the generator says it typeset. Does not prove that these are right:
    the generator and the extractor share the framework's texts and the idea of what a row is, so a mistake they
    share passes; it says nothing of real documents."""
    failures = {seed: problems for seed in SEEDS
                if (problems := _problems(tmp_path / f"{kind}-{seed}.pdf", kind, style_name, seed))}
    assert failures == {}, f"seeds {sorted(failures)} differ from the generator: {failures}"
