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


def calibrate(
    observations: Iterable[Observation], *, prior_weight: float = PRIOR_WEIGHT
) -> tuple[dict[tuple[int, str, str], Ratio], dict[str, Ratio]]:
    """(teacher, subject, kind) → ratio, and subject → school-wide ratio."""
    by_subject: dict[str, list[Observation]] = defaultdict(list)
    by_key: dict[tuple[int, str, str], list[Observation]] = defaultdict(list)
    for o in observations:
        if o.estimated <= 0:
            continue
        by_subject[o.subject].append(o)
        by_key[(o.teacher_id, o.subject, o.kind)].append(o)
    subject_ratio: dict[str, Ratio] = {}
    for subject, obs in by_subject.items():
        raw = sum(o.reported for o in obs) / sum(o.estimated for o in obs)
        n = len(obs)
        subject_ratio[subject] = Ratio((n * raw + prior_weight * 1.0) / (n + prior_weight), n)
    result: dict[tuple[int, str, str], Ratio] = {}
    for key, obs in by_key.items():
        raw = sum(o.reported for o in obs) / sum(o.estimated for o in obs)
        n = len(obs)
        prior = subject_ratio[key[1]].ratio
        result[key] = Ratio((n * raw + prior_weight * prior) / (n + prior_weight), n)
    return result, subject_ratio
