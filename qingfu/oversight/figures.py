"""The dashboard's figures for a group of class-days, and the period they cover.

Pure. Sums come from rollups (the database adds them up); rates are derived here, and a
rate resting on fewer families or students than the policy's minimum group is withheld,
so no aggregate can be traced back to one child.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive; never after today
    kind: str  # week / month / semester / custom

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def period_for(kind: str, *, today: dt.date, semester: tuple[dt.date, dt.date] | None) -> Period:
    """A preset period ending today (the semester's end if it is over)."""
    end = today if semester is None else min(today, semester[1])
    if kind == "week":
        return Period(end - dt.timedelta(days=end.weekday()), end, "week")
    if kind == "month":
        return Period(end.replace(day=1), end, "month")
    start = semester[0] if semester else end.replace(day=1)
    return Period(start, max(start, end), "semester")


@dataclass
class Figures:
    """Sums over the class-days of one group (a district, school, grade, class or week)."""

    label: str
    url: str = ""
    min_group: int = 5
    classes: int = 0
    class_days: int = 0  # school days × classes, plus any other day with records
    planned_total: int = 0
    over_planned: int = 0  # class-days whose published load is over the cap
    exceptions: int = 0
    logs: int = 0
    reported_days: int = 0  # class-days with an estimate from families' logs
    reported_total: float = 0.0
    planned_on_reported: int = 0  # planned minutes of the class-days families reported on
    reported_over: int = 0
    late: int = 0
    marks: int = 0
    attended: int = 0
    alerts_open: int = 0
    students: int = 0
    taking_part: int = 0  # signed up for after-school service on the period's last day
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def average_planned(self) -> float | None:
        return self.planned_total / self.class_days if self.class_days else None

    @property
    def compliance(self) -> float | None:
        """Share of class-days whose published homework kept within the cap."""
        return 1 - self.over_planned / self.class_days if self.class_days else None

    @property
    def is_reported_shown(self) -> bool:
        return self.logs >= self.min_group and self.reported_days > 0

    @property
    def average_reported(self) -> float | None:
        return self.reported_total / self.reported_days if self.is_reported_shown else None

    @property
    def average_planned_on_reported(self) -> float | None:
        """Planned minutes on the same class-days as the reports: what they compare with."""
        return self.planned_on_reported / self.reported_days if self.is_reported_shown else None

    @property
    def reported_compliance(self) -> float | None:
        return 1 - self.reported_over / self.reported_days if self.is_reported_shown else None

    @property
    def late_share(self) -> float | None:
        return self.late / self.logs if self.logs >= self.min_group else None

    @property
    def attendance(self) -> float | None:
        return self.attended / self.marks if self.marks >= self.min_group else None

    @property
    def participation(self) -> float | None:
        return self.taking_part / self.students if self.students >= self.min_group else None

    def add(self, other: Figures) -> None:
        for name in (
            "classes", "class_days", "planned_total", "over_planned", "exceptions", "logs",
            "reported_days", "reported_total", "planned_on_reported", "reported_over", "late", "marks", "attended",
            "alerts_open", "students", "taking_part",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
