"""Calibrating teachers' time estimates against what families report.

Pure. For each teacher × subject × item kind, the ratio of reported to estimated minutes,
shrunk toward the subject's school-wide ratio when there are few observations (an
empirical-Bayes style weighted mean with ``prior_weight`` pseudo-observations), and the
school-wide ratio is itself shrunk toward 1.0 (the teacher was right).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
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


ClassDaySubject = tuple[int, dt.date, int]  # class, day, subject
ShareKey = tuple[int, dt.date, int, str, str]  # class, day, teacher, subject code, item kind


def subject_owners(
    items: Iterable[tuple[int, dt.date, int, str, int, str, int]],
) -> dict[ClassDaySubject, tuple[int, str, str]]:
    """Who a subject's logged minutes are credited to on a class-day: the teacher and kind
    of its largest at-home item (the first of equals). ``items`` are (class, day, subject,
    subject code, teacher, kind, minutes) of published at-home items, in publishing order."""
    best: dict[ClassDaySubject, tuple[int, str, str, int]] = {}
    for class_id, day, subject_id, code, teacher_id, kind, minutes in items:
        key = (class_id, day, subject_id)
        if minutes > best.get(key, (0, "", "", -1))[3]:
            best[key] = (teacher_id, code, kind, minutes)
    return {key: (teacher, code, kind) for key, (teacher, code, kind, _) in best.items()}


def class_day_shares(
    owners: Mapping[ClassDaySubject, tuple[int, str, str]],
    entries: Iterable[tuple[int, dt.date, int, int, int]],
) -> dict[ShareKey, tuple[float, float, int]]:
    """Each class-day's part of the calibration totals from its log entries (class, day,
    subject, estimated, reported minutes): summed per owning teacher, subject and kind.
    Entries without an estimate or an owner (nothing set at home that day) count nowhere."""
    sums: dict[ShareKey, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for class_id, day, subject_id, estimated, reported in entries:
        owner = owners.get((class_id, day, subject_id))
        if estimated <= 0 or owner is None:
            continue
        total = sums[(class_id, day, *owner)]
        total[0] += estimated
        total[1] += reported
        total[2] += 1
    return {key: (est, rep, int(n)) for key, (est, rep, n) in sums.items()}


def share_deltas(
    old: Mapping[ShareKey, tuple[float, float, int]],
    new: Mapping[ShareKey, tuple[float, float, int]],
) -> dict[tuple[int, str, str], tuple[float, float, int]]:
    """What replacing the ``old`` shares with the ``new`` adds to each teacher × subject ×
    kind total (zero changes left out)."""
    deltas: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for shares, sign in ((old, -1), (new, 1)):
        for (_, _, teacher, code, kind), values in shares.items():
            delta = deltas[(teacher, code, kind)]
            for i, value in enumerate(values):
                delta[i] += sign * value
    return {key: (est, rep, int(n)) for key, (est, rep, n) in deltas.items() if any((est, rep, n))}
