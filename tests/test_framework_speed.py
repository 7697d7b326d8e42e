"""The pruned indicator matching (rapidfuzz bounds, then difflib) chooses exactly what scoring every candidate with
difflib chooses, with the same score."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import pytest

from extract.core.stages import MatchingSettings
from extract.series import framework

MUTANTS_PER_INDICATOR = 6


def reference(text: str, candidates=None) -> tuple[str | None, float]:
    """Every candidate in the length window scored with difflib; the first of the best wins (the old loop)."""
    squashed = framework.squash(text)
    best: tuple[str | None, float] = (None, 0.0)
    for ind in candidates or framework.indicators():
        target = framework.squash(ind.text)
        if not 0.5 * len(target) <= len(squashed) <= 1.7 * len(target):
            continue
        score = SequenceMatcher(None, squashed, target, autojunk=False).ratio()
        if score > best[1]:
            best = (ind.indicator_id, score)
    return best


def _mutate(text: str, rng: random.Random, others: list[str]) -> str:
    words = text.split()
    how = rng.randrange(7)
    if how == 0:  # letters dropped or doubled (OCR-ish)
        return "".join(c for c in text if rng.random() > 0.08) + rng.choice(["", "s", "en"])
    if how == 1:  # two words swapped
        i, j = rng.randrange(len(words)), rng.randrange(len(words))
        words[i], words[j] = words[j], words[i]
        return " ".join(words)
    if how == 2:  # cut short or run on into the next indicator
        return " ".join(words[:rng.randint(len(words) // 2, len(words))]) + " " + rng.choice(others)[:40]
    if how == 3:  # two indicators run together (a merged cell's stretch)
        return text + " " + rng.choice(others)
    if how == 4:  # words of other indicators only
        return " ".join(rng.sample(" ".join(others).split(), min(len(words), 25)))
    if how == 5:  # letters substituted
        return "".join(rng.choice("aeiourstn") if c.isalpha() and rng.random() < 0.12 else c for c in text)
    return text.upper().replace(" ", "-")


def texts() -> list[str]:
    rng = random.Random(20260415)
    all_texts = [ind.text for ind in framework.indicators()]
    out = list(all_texts)
    for text in all_texts:
        others = [t for t in all_texts if t != text]
        out += [_mutate(text, rng, others) for _ in range(MUTANTS_PER_INDICATOR)]
    out += ["", "   ", "x", "LET OP", "Indicator", "12 van de 30 aanpakken"]
    return out


@pytest.mark.slow  # a generated loop: 210 texts against every indicator, twice (a third of them stay fast below)
@pytest.mark.parametrize("cutoff", [0.0, MatchingSettings().min_indicator_ratio])
def test_same_choice_and_score_as_difflib_over_every_candidate(cutoff):
    for text in texts():
        want_id, want_score = reference(text)
        ind, score = framework.best_indicator(text, cutoff=cutoff)
        if cutoff and want_score < cutoff:  # below the cutoff only "nothing good enough" is promised
            assert ind is None or score < cutoff, text
            continue
        assert (ind.indicator_id if ind else None, score) == (want_id, want_score), text


def test_same_choice_among_a_subset_of_candidates():
    subset = tuple(i for i in framework.indicators() if i.theme == framework.indicators()[0].theme)
    for text in texts()[::3]:
        want_id, want_score = reference(text, subset)
        ind, score = framework.best_indicator(text, subset)
        assert (ind.indicator_id if ind else None, score) == (want_id, want_score), text


def test_ties_go_to_the_first_candidate():
    first = framework.indicators()[0]
    twin = framework.Indicator("I99", first.theme, first.criterion, first.text)
    ind, score = framework.best_indicator(first.text, (twin, first))
    assert (ind.indicator_id, score) == ("I99", 1.0)


def test_ratio_with_a_reused_matcher_is_difflibs():
    rng = random.Random(7)
    texts = ["".join(rng.choice("aeinrst") for _ in range(rng.randint(0, 40))) for _ in range(300)]
    for a, b in zip(texts, texts[1:] + texts[:1]):
        for x, y in ((a, b), (b, a), (a, a)):
            assert framework.ratio(x, y) == SequenceMatcher(None, x, y, autojunk=False).ratio()
