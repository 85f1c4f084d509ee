"""Simulated truth for the class-day estimate: known paces, known true item times.

Pure and seeded. A class of students with lognormal paces does homework whose true
minutes differ from the teachers' estimates by a per-teacher habit and per-day noise; a
rotating panel reports each evening. Used by the tests and ``bench/bench_estimate.py``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from statistics import fmean

from qingfu.homework.estimate import Pace, estimate_with_paces, pace_of
from qingfu.homework.sampling import panel_for_day, panel_order


@dataclass(frozen=True)
class SimulationResult:
    days: int
    coverage: float  # share of class-days whose 90% interval holds the true class mean
    mean_width: float  # average interval width, minutes
    day_within_10: float  # share of class-days estimated within ±10 minutes
    day_mean_abs_error: float
    week_within_5: float  # share of weeks whose 5-day average is within ±5 minutes
    week_mean_abs_error: float


def simulate(
    *,
    seed: int,
    students: int = 45,
    per_day: int = 5,
    days: int = 200,
    burn_in: int = 20,
    use_paces: bool = True,
) -> SimulationResult:
    rng = random.Random(seed)
    paces = [rng.lognormvariate(0, 0.25) for _ in range(students)]
    genders = {
        "M": [i for i in range(students) if i % 2 == 0],
        "F": [i for i in range(students) if i % 2],
    }
    order = panel_order(genders, seed=seed)
    gap = max(1, students // per_day)
    history: dict[int, list[tuple[int, float, float]]] = {i: [] for i in range(students)}
    covered = within_10 = 0
    widths: list[float] = []
    errors: list[float] = []
    week_truth: list[float] = []
    week_est: list[float] = []
    week_errors: list[float] = []
    evenings: list[list[float]] = []
    for day in range(days + burn_in):
        predicted = rng.uniform(40, 75)  # the day's calibrated plan, minutes
        day_factor = rng.lognormvariate(0, 0.12)  # how much harder the day really was
        truth_per_student = [
            predicted * day_factor * pace * rng.lognormvariate(0, 0.15) for pace in paces
        ]
        truth = fmean(truth_per_student)
        panel = panel_for_day(order, day_index=day, per_day=per_day, min_gap=min(gap, 5))
        known = [h for h in history.values() if h]  # class pace from everyone's history so far
        class_pace = (
            sum(r for h in known for _, r, _ in h) / sum(p for h in known for _, _, p in h)
            if known
            else 1.0
        )
        student_paces = [
            pace_of(history[i], class_pace=class_pace) if use_paces else Pace(1.0)
            for i in range(students)
        ]
        reports = [(truth_per_student[i], student_paces[i]) for i in panel]
        asked = set(panel)
        for i in panel:
            history[i].append((day, truth_per_student[i], predicted))
        if day >= burn_in:
            estimate = estimate_with_paces(
                reported=reports,
                predicted=predicted,
                unreported=[p for i, p in enumerate(student_paces) if i not in asked],
                earlier=evenings,
            )
        # This evening's ratios with the paces known tonight, for the evenings after it.
        evenings.append([minutes / (pace.value * predicted) for minutes, pace in reports])
        if day < burn_in:
            continue
        assert estimate is not None
        covered += estimate.low <= truth <= estimate.high
        widths.append(estimate.high - estimate.low)
        error = estimate.minutes - truth
        errors.append(abs(error))
        within_10 += abs(error) <= 10
        week_truth.append(truth)
        week_est.append(estimate.minutes)
        if len(week_truth) == 5:
            week_errors.append(abs(fmean(week_est) - fmean(week_truth)))
            week_truth, week_est = [], []
    return SimulationResult(
        days=days,
        coverage=covered / days,
        mean_width=fmean(w for w in widths if math.isfinite(w)),
        day_within_10=within_10 / days,
        day_mean_abs_error=fmean(errors),
        week_within_5=sum(1 for e in week_errors if e <= 5) / len(week_errors),
        week_mean_abs_error=fmean(week_errors),
    )
