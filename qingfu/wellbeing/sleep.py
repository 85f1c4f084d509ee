"""Sleep from the homework time logs: a week's late finishing per class (pure).

An evening counts when a family logged it; it is late when homework was finished after the
stage's bedtime (the homework module records that flag as it saves the log).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Evening:
    class_id: int
    student_id: int
    late: bool


@dataclass(frozen=True)
class ClassSleep:
    class_id: int
    evenings: int
    late: int
    flagged: tuple[int, ...]  # students late on at least `repeat` evenings

    @property
    def late_share(self) -> float | None:
        return self.late / self.evenings if self.evenings else None


def weekly_sleep(evenings: Iterable[Evening], *, repeat: int) -> dict[int, ClassSleep]:
    per_class: dict[int, list[Evening]] = defaultdict(list)
    for e in evenings:
        per_class[e.class_id].append(e)
    out = {}
    for class_id, rows in per_class.items():
        late_by_student: dict[int, int] = defaultdict(int)
        for e in rows:
            if e.late:
                late_by_student[e.student_id] += 1
        out[class_id] = ClassSleep(
            class_id=class_id,
            evenings=len(rows),
            late=sum(1 for e in rows if e.late),
            flagged=tuple(sorted(s for s, n in late_by_student.items() if n >= repeat)),
        )
    return out
