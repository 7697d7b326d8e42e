"""Accuracy: the estimated row error rate an auditor can report, from a review of the audit queue.

Only rows reviewed in the random part of the queue (reason ``audit.RANDOM``, read back from ``out/audit/queue.csv``)
count: the gap and low-confidence rows come first because they are likely wrong, so they are no fair sample. A row
counts as reviewed when it carries a mark (``review`` = right or wrong; the last one of a row wins). For each method
(text layer / OCR) and overall: the share wrong with a 95% Wilson score interval, and how many more random rows would
narrow the interval to ±2 points (half-width ≤ 0.02), searched with the Wilson formula at the current rate (at 0.5
when no row is reviewed yet). The review page computes the same figure in JavaScript (``audit_template.html``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from extract.analysis.audit import QUEUE_FILE, RANDOM
from extract.output.corrections import REVIEW_VALUES, load

Z95 = 1.96  # the normal quantile of a two-sided 95% interval (as the page uses)
TARGET = 0.02  # the half-width an auditor asks for: ±2 points


def wilson(wrong: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval (low, high) of ``wrong`` of ``n``; None when nothing was reviewed."""
    if n <= 0:
        return None
    low, high = wilson_at(wrong / n, n, z)
    return max(0.0, low), min(1.0, high)


def rows_needed(rate: float, target: float = TARGET, z: float = Z95) -> int:
    """The fewest rows whose Wilson interval at ``rate`` has a half-width of at most ``target``."""
    def half(n: int) -> float:
        low, high = wilson_at(rate, n, z)
        return (high - low) / 2

    low, high = 1, 1
    while half(high) > target:
        low, high = high + 1, high * 2
    while low < high:  # the half-width falls as n grows
        middle = (low + high) // 2
        if half(middle) <= target:
            high = middle
        else:
            low = middle + 1
    return high


def wilson_at(rate: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson interval of ``n`` rows at a ``rate`` (not a count), unclipped."""
    denominator = 1 + z * z / n
    centre = (rate + z * z / (2 * n)) / denominator
    half = z * math.sqrt(rate * (1 - rate) / n + z * z / (4 * n * n)) / denominator
    return centre - half, centre + half


@dataclass(frozen=True)
class Estimate:
    label: str  # "text", "ocr" or "overall"
    wrong: int
    reviewed: int
    more: int  # random rows still to review for ±2 points

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson(self.wrong, self.reviewed)

    @property
    def rate(self) -> float | None:
        return self.wrong / self.reviewed if self.reviewed else None

    def line(self) -> str:
        more = f"{self.more:,} more random rows for ±2 points"
        if not self.reviewed:
            return f"{self.label}: no random rows reviewed yet, no estimate; {more} (at a rate of 50%)"
        low, high = self.interval
        return (f"{self.label}: {self.wrong} wrong of {self.reviewed} random rows reviewed: {self.rate:.1%} "
                f"(95% CI {low:.1%}–{high:.1%}); {more}")


def estimate(label: str, wrong: int, reviewed: int) -> Estimate:
    rate = wrong / reviewed if reviewed else 0.5
    return Estimate(label, wrong, reviewed, max(0, rows_needed(rate) - reviewed))


def marks(review_lines) -> dict[str, str]:
    """finding_id -> right / wrong, from review.csv lines (``corrections.Correction``); a row's last mark wins."""
    return {c.finding_id: c.value for c in review_lines if c.field == "review" and c.value in REVIEW_VALUES}


def summarise(queue: pd.DataFrame, methods: dict[str, str], marked: dict[str, str]) -> list[Estimate]:
    """One estimate per method (in the order text, ocr, then others) and overall, from the marks of the rows in the
    random part of ``queue`` (columns finding_id, reason); ``methods``: finding_id -> method."""
    random_ids = [f for f, reason in zip(queue.finding_id, queue.reason) if reason == RANDOM]
    counts: dict[str, list[int]] = {}
    for finding_id in random_ids:
        method = methods.get(finding_id, "")
        wrong_reviewed = counts.setdefault(method, [0, 0])
        if finding_id in marked:
            wrong_reviewed[0] += marked[finding_id] == "wrong"
            wrong_reviewed[1] += 1
    order = sorted(counts, key=lambda m: ({"text": 0, "ocr": 1}.get(m, 2), m))
    estimates = [estimate(m or "unknown method", *counts[m]) for m in order]
    total = [sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())]
    return estimates + [estimate("overall", *total)]


def summary_of(out: Path, review: Path) -> list[Estimate]:
    """The estimates for the run in ``out`` from the exported ``review`` (needs ``out/audit/queue.csv``)."""
    queue = pd.read_csv(out / "audit" / QUEUE_FILE, keep_default_na=False, dtype=str)
    findings = pd.read_csv(out / "findings.csv", keep_default_na=False, usecols=["finding_id", "method"], dtype=str)
    return summarise(queue, dict(zip(findings.finding_id, findings.method)), marks(load([review])))
