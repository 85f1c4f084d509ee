"""Estimating a class-day's real homework time from a sample, with a 90% interval.

Pure. What families report is combined with what is already known: each student's
evening is predicted by the published items' estimates corrected by calibration, and the
sample tells how far reality is from that prediction. The estimate is the prediction
times the sample's mean ratio (a ratio estimator), whose error shrinks with the finite
population correction when a large share of the class reported. With everyone logging,
the interval closes to the observed mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import fmean

# Two-sided 90% Student-t quantiles for small samples (df → t); normal beyond.
_T90 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860,
        9: 1.833, 10: 1.812, 12: 1.782, 15: 1.753, 20: 1.725, 30: 1.697}  # fmt: skip


def t90(df: int) -> float:
    if df <= 0:
        return math.inf
    for bound in sorted(_T90):
        if df <= bound:
            return _T90[bound]
    return 1.645


@dataclass(frozen=True)
class LoadEstimate:
    minutes: float
    low: float
    high: float
    reports: int
    class_size: int

    @property
    def is_exact(self) -> bool:
        return self.reports >= self.class_size


def estimate_class_day(
    *, reported: Sequence[float], predicted: float, class_size: int
) -> LoadEstimate | None:
    """``reported``: each sampled student's counted minutes; ``predicted``: the calibrated
    expected minutes for the day (the same for every student of the class)."""
    n = len(reported)
    if n == 0:
        return None
    if predicted <= 0:
        mean = fmean(reported)
        spread = _half_width(list(reported), n, class_size)
        return LoadEstimate(mean, max(0.0, mean - spread), mean + spread, n, class_size)
    ratios = [r / predicted for r in reported]
    ratio = fmean(ratios)
    estimate = ratio * predicted
    spread = _half_width(ratios, n, class_size) * predicted
    return LoadEstimate(estimate, max(0.0, estimate - spread), estimate + spread, n, class_size)


def written_share_of(estimate: LoadEstimate | None, share: float) -> LoadEstimate | None:
    """Families report minutes per subject, not per kind of task; the cap counts written,
    mandatory work only, so ``share`` (that part of the day's at-home estimate) of the
    reported time is what is compared with it."""
    if estimate is None or share == 1.0:
        return estimate
    return replace(
        estimate,
        minutes=estimate.minutes * share,
        low=estimate.low * share,
        high=estimate.high * share,
    )


def _half_width(values: list[float], n: int, population: int) -> float:
    if n >= population:
        return 0.0
    if n < 2:
        return math.inf
    mean = fmean(values)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    fpc = (population - n) / (population - 1) if population > 1 else 0.0
    return t90(n - 1) * math.sqrt(variance / n * fpc)


PACE_PRIOR_DAYS = 2.0


def student_pace(history: Sequence[tuple[float, float]], *, class_pace: float = 1.0) -> float:
    """A student's pace: reported / predicted minutes over their earlier logs, shrunk toward
    the class's pace with ``PACE_PRIOR_DAYS`` pseudo-evenings (a new student is average)."""
    reported = sum(r for r, _ in history)
    predicted = sum(p for _, p in history)
    if predicted <= 0:
        return class_pace
    n = len(history)
    return (n * (reported / predicted) + PACE_PRIOR_DAYS * class_pace) / (n + PACE_PRIOR_DAYS)


def estimate_with_paces(
    *,
    reported: Sequence[tuple[float, float]],
    predicted: float,
    class_paces: Sequence[float],
) -> LoadEstimate | None:
    """Class-day estimate that knows each student's pace.

    ``reported``: (minutes, that student's pace) for those who logged; ``class_paces``:
    the pace of every student in the class. Dividing each report by the student's own pace
    leaves only the day's deviation from plan, which varies far less between students than
    raw minutes do; scaling it back by the whole class's mean pace gives the class mean.
    """
    n, size = len(reported), len(class_paces)
    if n == 0 or predicted <= 0 or size == 0:
        return None
    day_ratios = [minutes / (pace * predicted) for minutes, pace in reported]
    mean_pace = fmean(class_paces)
    day_ratio = fmean(day_ratios)
    estimate = day_ratio * mean_pace * predicted
    spread = _half_width(day_ratios, n, size) * mean_pace * predicted
    return LoadEstimate(estimate, max(0.0, estimate - spread), estimate + spread, n, size)
