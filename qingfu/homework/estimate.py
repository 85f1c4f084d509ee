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
from dataclasses import dataclass
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


def _half_width(values: list[float], n: int, population: int) -> float:
    if n >= population:
        return 0.0
    if n < 2:
        return math.inf
    mean = fmean(values)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    fpc = (population - n) / (population - 1) if population > 1 else 0.0
    return t90(n - 1) * math.sqrt(variance / n * fpc)
