"""Evaluation: compare a run's findings with hand-checked gold files (the format of ``samples/gold/*.json``).

Strict row match: the same (gemeente, aanpak, year, indicator) key with the same theme, criterion, verdict and
caveat, and, for born-digital files, the same finding text (whitespace folded). Scans are compared with the text
similarity reported beside it instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from extract.core.enums import Method


def row_key(row: dict) -> tuple:
    return (row["gemeente"], row["aanpak"].lower(), int(row["year"]), row["indicator_id"])


def norm(text: str) -> str:
    return " ".join(str(text).split())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    verdict_ok: int = 0
    caveat_ok: int = 0
    matched: int = 0
    text_similarity: list[float] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def verdict_accuracy(self) -> float:
        return self.verdict_ok / self.matched if self.matched else 0.0

    @property
    def caveat_accuracy(self) -> float:
        return self.caveat_ok / self.matched if self.matched else 0.0

    @property
    def mean_text_similarity(self) -> float:
        return sum(self.text_similarity) / len(self.text_similarity) if self.text_similarity else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0


def compare(expected: list[dict], actual: list[dict], strict_text: bool) -> Score:
    """Strict row match: same key, theme, criterion, verdict and caveat (and, when strict_text, the same text)."""
    score = Score()
    got = {row_key(r): r for r in actual}
    for row in expected:
        found = got.pop(row_key(row), None)
        if found is None:
            score.fn += 1
            score.differences.append(f"missing {row_key(row)}")
            continue
        score.matched += 1
        similarity = SequenceMatcher(None, norm(row["finding"]), norm(found["finding"])).ratio()
        score.text_similarity.append(similarity)
        same = (row["theme"] == found["theme"] and row["criterion"] == found["criterion"]
                and row["verdict"] == found["verdict"] and bool(row["caveat"]) == bool(found["caveat"])
                and (not strict_text or norm(row["finding"]) == norm(found["finding"])))
        score.verdict_ok += row["verdict"] == found["verdict"]
        score.caveat_ok += bool(row["caveat"]) == bool(found["caveat"])
        if same:
            score.tp += 1
        else:
            score.fp += 1
            score.fn += 1
            score.differences.append(f"differs {row_key(row)}: expected {row['verdict']}/{row['caveat']} "
                                     f"{norm(row['finding'])[:70]!r}, got {found['verdict']}/{found['caveat']} "
                                     f"{norm(found['finding'])[:70]!r}")
    for key in got:
        score.fp += 1
        score.differences.append(f"extra {key}")
    return score


def load_gold(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@dataclass
class DocumentScore:
    source_file: str
    method: Method
    score: Score


def evaluate(gold_paths: list[Path], out: Path) -> list[DocumentScore]:
    """Score every file a gold file names that the run in ``out`` holds."""
    import pandas as pd

    findings = pd.read_csv(out / "findings.csv", keep_default_na=False)
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    scores = []
    for gold_path in gold_paths:
        gold = load_gold(gold_path)
        if "findings" not in gold:
            continue
        for name in gold.get("files", []):
            if name not in set(documents.source_file):
                continue
            rows = findings[findings.source_file == name]
            method = Method.ocr if (rows.method == Method.ocr.value).any() else Method.text
            score = compare(gold["findings"], rows.to_dict("records"), strict_text=method == Method.text)
            scores.append(DocumentScore(name, method, score))
    return scores


def total(scores: list[DocumentScore]) -> Score:
    overall = Score()
    for item in scores:
        s = item.score
        overall.tp += s.tp
        overall.fp += s.fp
        overall.fn += s.fn
        overall.verdict_ok += s.verdict_ok
        overall.caveat_ok += s.caveat_ok
        overall.matched += s.matched
        overall.text_similarity += s.text_similarity
    return overall
