"""Calibrating teachers' time estimates against what families report.

Pure. For each teacher × subject × item kind, the ratio of reported to estimated minutes,
shrunk toward the subject's school-wide ratio when there are few observations (an
empirical-Bayes style weighted mean with ``prior_weight`` pseudo-observations), and the
school-wide ratio is itself shrunk toward 1.0 (the teacher was right).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

PRIOR_WEIGHT = 5.0


@dataclass(frozen=True)
class Observation:
    teacher_id: int
    subject: str
    kind: str
    estimated: float
    reported: float


@dataclass(frozen=True)
class Ratio:
    ratio: float
    observations: int

    def apply(self, minutes: float) -> float:
        return minutes * self.ratio


@dataclass(frozen=True)
class Totals:
    teacher_id: int
    subject: str
    kind: str
    estimated: float
    reported: float
    observations: int


def calibrate_totals(
    rows: Iterable[Totals], *, prior_weight: float = PRIOR_WEIGHT
) -> tuple[dict[tuple[int, str, str], Ratio], dict[str, Ratio]]:
    """The same shrinkage as ``calibrate``, from running totals instead of observations."""
    rows = [r for r in rows if r.estimated > 0 and r.observations > 0]
    by_subject: dict[str, list[Totals]] = defaultdict(list)
    for r in rows:
        by_subject[r.subject].append(r)
    subject_ratio: dict[str, Ratio] = {}
    for subject, group in by_subject.items():
        raw = sum(r.reported for r in group) / sum(r.estimated for r in group)
        n = sum(r.observations for r in group)
        subject_ratio[subject] = Ratio((n * raw + prior_weight) / (n + prior_weight), n)
    result: dict[tuple[int, str, str], Ratio] = {}
    for r in rows:
        prior = subject_ratio[r.subject].ratio
        raw = r.reported / r.estimated
        result[(r.teacher_id, r.subject, r.kind)] = Ratio(
            (r.observations * raw + prior_weight * prior) / (r.observations + prior_weight),
            r.observations,
        )
    return result, subject_ratio


def calibrate(
    observations: Iterable[Observation], *, prior_weight: float = PRIOR_WEIGHT
) -> tuple[dict[tuple[int, str, str], Ratio], dict[str, Ratio]]:
    """Calibration from single observations (summed into running totals first)."""
    sums: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for o in observations:
        if o.estimated > 0:
            entry = sums[(o.teacher_id, o.subject, o.kind)]
            entry[0] += o.estimated
            entry[1] += o.reported
            entry[2] += 1
    return calibrate_totals(
        (Totals(t, s, k, est, rep, int(n)) for (t, s, k), (est, rep, n) in sums.items()),
        prior_weight=prior_weight,
    )
