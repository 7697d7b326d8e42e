"""Compare extracted findings with the hand-checked gold files (samples/gold/*.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path


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
