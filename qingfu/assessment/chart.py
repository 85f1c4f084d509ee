"""The class evaluation chart (班级课时作业评价图): lessons × ability elements (pure).

A cell is the class's level on that element in that lesson's homework: the mean of its
marks with 掌握 = 1, 部分掌握 = 0.5, 未掌握 = 0, and how many marks it rests on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

SCORE = {"good": 1.0, "partial": 0.5, "miss": 0.0}


@dataclass(frozen=True)
class Cell:
    level: float  # 0..1
    marks: int

    @property
    def band(self) -> str:
        """A colour band for the heatmap: the teacher's eye goes to the weak cells."""
        return "high" if self.level >= 0.8 else "mid" if self.level >= 0.6 else "low"


def heatmap(marks: Iterable[tuple[object, str, str]]) -> dict[tuple[object, str], Cell]:
    """(lesson key, element, mark) → {(lesson, element): Cell}."""
    sums: dict[tuple[object, str], list[float]] = defaultdict(list)
    for lesson, element, mark in marks:
        sums[(lesson, element)].append(SCORE[mark])
    return {key: Cell(sum(v) / len(v), len(v)) for key, v in sums.items()}
