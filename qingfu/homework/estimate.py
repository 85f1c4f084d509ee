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
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import fmean

# Two-sided 90% Student-t quantiles for small samples (df → t); normal beyond.
_T90 = {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860,
        9: 1.833, 10: 1.812, 12: 1.782, 15: 1.753, 20: 1.725, 30: 1.697, 40: 1.684, 60: 1.671,
        120: 1.658}  # fmt: skip


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


@dataclass(frozen=True)
class Pace:
    """A student's learned pace and how much each earlier evening weighs in it."""

    value: float
    evenings: Mapping[Hashable, float] = field(default_factory=dict)


def pace_of(history: Sequence[tuple[Hashable, float, float]], *, class_pace: float = 1.0) -> Pace:
    """``student_pace`` from (evening, reported, predicted) and each evening's weight in it:
    the pace is a predicted-weighted mean of the evenings' ratios, shrunk toward the class,
    so an evening that was harder than planned for everyone moves it by that weight."""
    value = student_pace([(r, p) for _, r, p in history], class_pace=class_pace)
    predicted = sum(p for _, _, p in history)
    if predicted <= 0:
        return Pace(value)
    share = len(history) / (len(history) + PACE_PRIOR_DAYS)
    weights: dict[Hashable, float] = defaultdict(float)
    for evening, _, p in history:
        weights[evening] += share * p / predicted
    return Pace(value, dict(weights))


def pooled_spread(evenings: Sequence[Sequence[float]]) -> tuple[float, int]:
    """The relative variance of the day ratios between students of one evening, pooled over
    evenings, and its degrees of freedom (one lost per evening for its own mean).

    Why pooled and relative: a student's evening is the plan times the day's difficulty
    times their pace times their own noise, so the spread between students is proportional
    to the day's level (a harder day spreads more in minutes, not in ratio). Dividing each
    evening's ratios by that evening's mean removes the day's level; what is left has the
    same variance every evening and can be averaged over many of them. Five reports give a
    variance with 4 degrees of freedom, which on skewed (lognormal-like) times is too low
    most evenings and far too high on a few.
    """
    squares, df = 0.0, 0
    for ratios in evenings:
        if len(ratios) < 2:
            continue
        mean = fmean(ratios)
        if mean <= 0:
            continue
        squares += sum((r / mean - 1) ** 2 for r in ratios)
        df += len(ratios) - 1
    return (squares / df if df else math.inf), df


def day_to_day_variance(evenings: Sequence[Sequence[float]], *, spread: float) -> float:
    """How much the day's difficulty (the evening's mean day ratio, in logs) varies from
    evening to evening, less the part that is only the sampling of ``spread / n``."""
    logs = [(math.log(fmean(r)), len(r)) for r in evenings if r and fmean(r) > 0]
    if len(logs) < 2 or not math.isfinite(spread):
        return 0.0
    mean = fmean(v for v, _ in logs)
    total = sum((v - mean) ** 2 for v, _ in logs) / (len(logs) - 1)
    return max(0.0, total - spread * fmean(1 / n for _, n in logs))


POOLED_EVENINGS = 20  # about four school weeks: many points, still this term's class


def estimate_with_paces(
    *,
    reported: Sequence[tuple[float, Pace]],
    predicted: float,
    unreported: Sequence[Pace],
    earlier: Sequence[Sequence[float]] = (),
) -> LoadEstimate | None:
    """Class-day estimate that knows each student's pace.

    ``reported``: (minutes, that student's pace) for those who logged; ``unreported``: the
    pace of every other student of the class; ``earlier``: the day ratios (minutes / (pace
    known then × that day's prediction)) of the class's recent evenings, one list per
    evening, oldest first (the last ``POOLED_EVENINGS`` are used).

    The model: a student's minutes are prediction × pace × the day's ratio × (1 + noise).
    Dividing each report by the student's own pace leaves the day's ratio, which varies far
    less between students than raw minutes; with noise of constant relative variance the
    mean of those ratios is its best linear estimate. Those who logged count with what they
    reported; each of the others is predicted as prediction × pace × day ratio, so when
    everyone logged the estimate is the observed mean with zero width.

    The interval is the prediction error for the students not heard from, two parts:

    - Noise independent between students, relative variance σ²: the day ratio's error,
      shared by all the others, ``(Σ predicted)² σ² / n``, plus each one's own,
      ``Σ predicted² σ²`` (with equal paces, the familiar ``σ²/n × (1 − n/N)``). σ² is
      pooled over the recent evenings (``pooled_spread``), so it rests on tens of degrees
      of freedom, not the 4 of one evening's five reports.
    - The paces' own error. A pace is learned on a few evenings, and an evening that was
      harder than planned for everyone makes every pace learned on it look slower. The
      panel asks the same students on the same evenings, so tonight's reporters share that
      error: it does not average out over them and is not in the spread between them.
      Each pace's weight on each earlier evening (``pace_of``) and the day-to-day variance
      of difficulty τ² (``day_to_day_variance``) give it: ``τ² Σ_e b_e²`` with ``b_e`` the
      others' predicted minutes' weight on evening ``e`` less the reporters' mean weight
      times the others' total. What reporters did *not* share is already in the spread
      between them, so that much is taken out of σ² (method of moments). An error common
      to every pace (the class's mean pace) cancels: it moves the day ratio and the
      predictions in opposite directions.

    The quantile is Student's t with Welch–Satterthwaite degrees of freedom for the sum.
    """
    n = len(reported)
    size = n + len(unreported)
    if n == 0 or predicted <= 0:
        return None
    observed = sum(minutes for minutes, _ in reported)
    if not unreported:
        mean = observed / n
        return LoadEstimate(mean, mean, mean, n, size)
    ratios = [minutes / (pace.value * predicted) for minutes, pace in reported]
    day_ratio = fmean(ratios)
    others = [pace.value * predicted * day_ratio for pace in unreported]
    estimate = (observed + sum(others)) / size
    pooled = [*earlier[-POOLED_EVENINGS:], ratios]
    spread, df = pooled_spread(pooled)
    if not math.isfinite(spread):
        return LoadEstimate(estimate, 0.0, math.inf, n, size)
    tau2 = day_to_day_variance(earlier[-POOLED_EVENINGS:], spread=spread)
    keys = {e for _, pace in reported for e in pace.evenings} | {
        e for pace in unreported for e in pace.evenings
    }
    mean_weight = {e: fmean(p.evenings.get(e, 0.0) for _, p in reported) for e in keys}
    shared = sum(
        (sum(o * p.evenings.get(e, 0.0) for o, p in zip(others, unreported, strict=True))
         - sum(others) * mean_weight[e]) ** 2
        for e in keys
    )  # fmt: skip
    unshared = (
        sum((p.evenings.get(e, 0.0) - mean_weight[e]) ** 2 for _, p in reported for e in keys)
        / (n - 1)
        if n > 1
        else 0.0
    )
    independent = max(0.0, spread - tau2 * unshared)
    part_noise = independent * (sum(others) ** 2 / n + sum(o * o for o in others))
    part_paces = tau2 * shared
    variance = part_noise + part_paces
    # Welch–Satterthwaite: the day-to-day variance rests on one point per evening.
    evenings_df = max(1, len([r for r in earlier[-POOLED_EVENINGS:] if r]) - 1)
    welch = variance**2 / (part_noise**2 / df + part_paces**2 / evenings_df) if variance else df
    spread_minutes = t90(int(welch)) * math.sqrt(variance) / size
    return LoadEstimate(
        estimate, max(0.0, estimate - spread_minutes), estimate + spread_minutes, n, size
    )
