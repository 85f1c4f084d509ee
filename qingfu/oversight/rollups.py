"""What a class-day's rollup holds, decided from that day's facts alone.

Pure: the fetch step (``services``) loads the facts; this turns them into the stored
figures. Keeping a rollup a function of its own day is what lets it be refreshed locally
when a record changes and rebuilt from scratch with the same result.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from qingfu.homework.estimate import estimate_class_day, written_share_of
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import (
    HomeworkItemFacts,
    check_class_day_load,
    daily_homework_cap,
    take_home_written_minutes,
)
from qingfu.policy.rules import Profile
from qingfu.policy.verdicts import worst


@dataclass(frozen=True)
class ClassDayFacts:
    class_id: int
    school_id: int
    grade: int
    date: dt.date
    day_kind: DayKind
    items: tuple[HomeworkItemFacts, ...]  # published items set for the day
    reported: tuple[float, ...]  # each logged evening's total minutes
    class_size: int
    late_finishes: int
    not_finished: int
    exceptions_granted: int
    afterschool_marks: int
    afterschool_attended: int

    @property
    def has_records(self) -> bool:
        return bool(
            self.items or self.reported or self.exceptions_granted or self.afterschool_marks
        )


def _finite(value: float) -> float | None:
    return round(value, 2) if math.isfinite(value) else None


def rollup_values(profile: Profile, facts: ClassDayFacts) -> dict[str, object]:
    """The stored fields of the class-day's rollup, judged by the school's profile."""
    cap = daily_homework_cap(profile, grade=facts.grade, day_kind=facts.day_kind)
    verdict = worst(
        check_class_day_load(profile, grade=facts.grade, day_kind=facts.day_kind, items=facts.items)
    )
    planned = take_home_written_minutes(facts.items)
    at_home = [i for i in facts.items if i.at_home]
    predicted = float(sum(i.minutes for i in at_home))
    written = float(sum(i.minutes for i in at_home if i.is_written and i.is_mandatory))
    estimate = written_share_of(
        estimate_class_day(
            reported=list(facts.reported),
            predicted=predicted,
            class_size=max(facts.class_size, len(facts.reported)),
        ),
        written / predicted if predicted else 1.0,
    )
    return {
        "school_id": facts.school_id,
        "grade": facts.grade,
        "day_kind": facts.day_kind.value,
        "cap": cap,
        "planned_minutes": planned,
        "verdict": verdict.value,
        "class_size": facts.class_size,
        "logs": len(facts.reported),
        "reported_minutes": None if estimate is None else _finite(estimate.minutes),
        "reported_low": None if estimate is None else _finite(estimate.low),
        "reported_high": None if estimate is None else _finite(estimate.high),
        "reported_over": estimate is not None and estimate.minutes > cap,
        "late_finishes": facts.late_finishes,
        "not_finished": facts.not_finished,
        "exceptions_granted": facts.exceptions_granted,
        "afterschool_marks": facts.afterschool_marks,
        "afterschool_attended": facts.afterschool_attended,
    }
