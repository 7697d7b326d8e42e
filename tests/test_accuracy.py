"""The accuracy figure: Wilson intervals and rows needed checked against values worked out by hand, only the random
part of the queue counted, and `stj audit OUT --summary review.csv`."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from extract.analysis.accuracy import estimate, marks, rows_needed, summarise, wilson
from extract.cli import main
from extract.output.corrections import Correction


def test_wilson_against_hand_worked_values():
    # 2 of 50: p = .04, z²/n = .076832; centre = .078416 / 1.076832 = .072821;
    # half = 1.96 * sqrt(.000768 + .00038416) / 1.076832 = .061783
    low, high = wilson(2, 50)
    assert low == pytest.approx(0.011038, abs=2e-6) and high == pytest.approx(0.134604, abs=2e-6)
    # 1 of 40: centre .066621, half .062195
    low, high = wilson(1, 40)
    assert low == pytest.approx(0.004426, abs=2e-6) and high == pytest.approx(0.128816, abs=2e-6)
    # 0 of 10: low 0, high = (z²/n) / (1 + z²/n) = .38416 / 1.38416
    assert wilson(0, 10) == pytest.approx((0.0, 0.277540), abs=2e-6)
    assert wilson(0, 0) is None  # no estimate


def test_rows_needed_for_two_points():
    # at .5 the half-width is .0200007 at n = 2397 and .0199965 at n = 2398 (worked by hand)
    assert rows_needed(0.5) == 2398
    assert rows_needed(0.0) < 200  # a clean sample narrows fast: z²/n / (1 + z²/n) ≤ .04 from n = 93
    assert rows_needed(0.0) == 93  # 3.8416/93 = .041308 → .041308/1.041308 = .039669; at 92: .041756/1.041756 = .04008


def test_estimate_line_and_no_estimate():
    line = estimate("text", 1, 40).line()
    assert line.startswith("text: 1 wrong of 40 random rows reviewed: 2.5% (95% CI 0.4%–12.9%); ")
    assert line.endswith(" more random rows for ±2 points")
    nothing = estimate("ocr", 0, 0)
    assert nothing.more == 2398 and "no estimate" in nothing.line()


def test_only_the_random_part_counts():
    queue = pd.DataFrame({"finding_id": ["a", "b", "c", "d", "e", "f"],
                          "reason": ["low confidence", "on a page that lost rows"] + ["random sample"] * 4})
    methods = {"a": "text", "b": "text", "c": "text", "d": "text", "e": "ocr", "f": "ocr"}
    lines = [Correction(f, "review", v, "me", "", "review.csv")
             for f, v in [("a", "wrong"), ("b", "wrong"), ("c", "right"), ("d", "right"), ("d", "wrong"),
                          ("e", "right"), ("x", "wrong")]]
    marked = marks(lines)
    assert marked["d"] == "wrong"  # the last mark wins
    text, ocr, overall = summarise(queue, methods, marked)
    assert (text.label, text.wrong, text.reviewed) == ("text", 1, 2)  # a and b are not a fair sample
    assert (ocr.label, ocr.wrong, ocr.reviewed) == ("ocr", 0, 1)
    assert (overall.wrong, overall.reviewed) == (1, 3)


def test_summary_command(tmp_path):
    out = tmp_path / "out"
    (out / "audit").mkdir(parents=True)
    pd.DataFrame({"finding_id": ["a", "b", "c"], "method": ["text", "text", "ocr"]}).to_csv(out / "findings.csv",
                                                                                            index=False)
    pd.DataFrame({"queue": [1, 2, 3], "finding_id": ["a", "b", "c"],
                  "reason": ["low confidence", "random sample", "random sample"]}).to_csv(out / "audit" / "queue.csv",
                                                                                          index=False)
    review = tmp_path / "review.csv"
    review.write_text("finding_id,field,value,reviewer,note\na,review,wrong,me,\nb,review,wrong,me,\n"
                      "c,review,right,me,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(out), "--summary", str(review)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("text: 1 wrong of 1 random rows reviewed: 100.0% (95% CI 20.7%–100.0%)")
    assert lines[1].startswith("ocr: 0 wrong of 1 random rows reviewed: 0.0% (95% CI 0.0%–79.3%)")
    assert lines[2].startswith("overall: 1 wrong of 2 random rows reviewed: 50.0%")


def test_summary_without_a_queue_says_so(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame({"finding_id": ["a"], "method": ["text"]}).to_csv(out / "findings.csv", index=False)
    review = tmp_path / "review.csv"
    review.write_text("finding_id,field,value\na,review,wrong\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(out), "--summary", str(review)])
    assert result.exit_code != 0 and "queue.csv" in result.output
