"""Grade bands (等级): a school's scheme of named score ranges, checked and applied.

Pure: no Django. A scheme is a list of bands, each a name and a half-open range of the
paper's percentage ``[low, high)`` (the top band includes 100). Together the bands must
cover 0-100 with no gap and no overlap, so every score falls in exactly one band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise


@dataclass(frozen=True)
class Band:
    name: str
    low: int  # percent of full marks, inclusive
    high: int  # percent, exclusive (100 inclusive for the top band)


DEFAULT_SCHEME = (
    Band("优秀", 90, 100),
    Band("良好", 75, 90),
    Band("合格", 60, 75),
    Band("待合格", 0, 60),
)


def scheme_problems(bands: Sequence[Band]) -> list[str]:
    """What is wrong with a scheme, in Chinese (empty when it is sound)."""
    problems: list[str] = []
    names = [b.name.strip() for b in bands]
    if any(not n for n in names):
        problems.append("每个等级都要有名称。")
    if len(set(names)) != len(names):
        problems.append("等级名称不能重复。")
    for b in bands:
        if not 0 <= b.low < b.high <= 100:
            problems.append(
                f"“{b.name}”的分数段 {b.low}–{b.high} 无效（应在 0–100 之间，下限小于上限）。"
            )
    if problems:
        return problems
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low != 0:
        problems.append(f"0–{ordered[0].low} 分没有对应的等级。")
    if ordered[-1].high != 100:
        problems.append(f"{ordered[-1].high}–100 分没有对应的等级。")
    for lower, upper in pairwise(ordered):
        if lower.high < upper.low:
            problems.append(
                f"{lower.high}–{upper.low} 分没有对应的等级（“{lower.name}”与“{upper.name}”之间有空档）。"
            )
        elif lower.high > upper.low:
            problems.append(
                f"“{lower.name}”与“{upper.name}”的分数段重叠（{upper.low}–{lower.high}）。"
            )
    return problems


def band_for(score: float, full_marks: int, bands: Sequence[Band]) -> str:
    """The band a score falls in. ``score`` must be within 0..full_marks."""
    if not 0 <= score <= full_marks or full_marks <= 0:
        raise ValueError(f"score {score} outside 0..{full_marks}")
    percent = Fraction(str(score)) * 100 / full_marks
    for band in sorted(bands, key=lambda b: b.low, reverse=True):
        if percent >= band.low and (percent < band.high or band.high == 100):
            return band.name
    raise ValueError("the scheme does not cover this score")
