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

from qingfu.core.text import _, gettext_noop


@dataclass(frozen=True)
class Band:
    name: str
    low: int  # percent of full marks, inclusive
    high: int  # percent, exclusive (100 inclusive for the top band)


# The names are stored with every result as written (a school's scheme is its own words),
# so they stay in Chinese here; marked so the catalogue holds their English for display.
DEFAULT_SCHEME = (
    Band(gettext_noop("优秀"), 90, 100),
    Band(gettext_noop("良好"), 75, 90),
    Band(gettext_noop("合格"), 60, 75),
    Band(gettext_noop("待合格"), 0, 60),
)


def scheme_problems(bands: Sequence[Band]) -> list[str]:
    """What is wrong with a scheme, in the reader's language (empty when it is sound)."""
    problems: list[str] = []
    names = [b.name.strip() for b in bands]
    if any(not n for n in names):
        problems.append(_("每个等级都要有名称。"))
    if len(set(names)) != len(names):
        problems.append(_("等级名称不能重复。"))
    for b in bands:
        if not 0 <= b.low < b.high <= 100:
            problems.append(
                _("“{name}”的分数段 {low}–{high} 无效（应在 0–100 之间，下限小于上限）。").format(
                    name=b.name, low=b.low, high=b.high
                )
            )
    if problems:
        return problems
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low != 0:
        problems.append(_("{low}–{high} 分没有对应的等级。").format(low=0, high=ordered[0].low))
    if ordered[-1].high != 100:
        problems.append(_("{low}–{high} 分没有对应的等级。").format(low=ordered[-1].high, high=100))
    for lower, upper in pairwise(ordered):
        if lower.high < upper.low:
            problems.append(
                _("{low}–{high} 分没有对应的等级（“{lower}”与“{upper}”之间有空档）。").format(
                    low=lower.high, high=upper.low, lower=lower.name, upper=upper.name
                )
            )
        elif lower.high > upper.low:
            problems.append(
                _("“{lower}”与“{upper}”的分数段重叠（{low}–{high}）。").format(
                    lower=lower.name, upper=upper.name, low=upper.low, high=lower.high
                )
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
