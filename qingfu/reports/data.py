"""The figures a work-summary report is written from, as frozen plain values.

``facts.report_facts`` loads them from records for one scope (a school or a district) and
one period; ``writing.report_document`` turns them into prose, tables and charts without
touching the database. Nothing here names a student: every figure is a count, a sum or a
rate over a class, a grade or a school, and rates over groups smaller than the policy's
minimum (``priv.min-group``) are left out (None) before they reach this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from qingfu.core.text import gettext_noop
from qingfu.policy.teacher_hours import Distribution

# Labels are translated where the figures are built (facts._bands).
BANDS: tuple[tuple[str, str], ...] = (
    ("g1-2", gettext_noop("一、二年级")),
    ("g3-6", gettext_noop("三至六年级")),
    ("g7-9", gettext_noop("七至九年级")),
)

ScopeKind = Literal["school", "district"]


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str  # "2026年秋季学期", "2026年11月", "2026年11月16日至11月22日"
    # A named period (a semester, a month) goes into a report's title; a range of dates
    # (a week, chosen dates) is printed once, under it.
    is_named: bool = True

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class BandFigures:
    """Homework of one grade band over the period, from class-day rollups."""

    band: str
    label: str
    cap: int  # the school-day cap
    classes: int
    school_class_days: int  # classes x school days
    planned_school_days: int  # minutes summed over school days
    class_days: int  # school class-days plus other days that had homework
    over: int  # class-days over the cap (verdict "violation")
    over_approved: int  # of those, with an exception granted by the grade-group leader
    logs: int
    reported_days: int  # class-days with an estimate from families' logs
    reported_sum: float
    planned_on_reported: int  # planned minutes of the class-days with an estimate
    late_finishes: int
    not_finished: int
    min_group: int = 5

    @property
    def average_planned(self) -> float | None:
        if not self.school_class_days:
            return None
        return self.planned_school_days / self.school_class_days

    @property
    def compliance(self) -> float | None:
        if not self.class_days:
            return None
        return (self.class_days - self.over) / self.class_days

    @property
    def average_reported(self) -> float | None:
        if not self.reported_days or self.logs < self.min_group:
            return None
        return self.reported_sum / self.reported_days

    @property
    def planned_when_reported(self) -> float | None:
        """The teachers' planned minutes on the days families reported: the like-for-like
        comparison with ``average_reported``."""
        if not self.reported_days:
            return None
        return self.planned_on_reported / self.reported_days

    @property
    def late_share(self) -> float | None:
        if self.logs < self.min_group:
            return None
        return self.late_finishes / self.logs


@dataclass(frozen=True)
class ClassOver:
    school: str
    class_name: str
    days_over: int
    worst_minutes: int
    cap: int
    dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class ClassLate:
    school: str
    class_name: str
    logs: int
    late: int

    @property
    def share(self) -> float:
        return self.late / self.logs if self.logs else 0.0


@dataclass(frozen=True)
class SeriesPoint:
    """Average planned minutes per class school-day in one week (or day), by band."""

    label: str
    by_band: dict[str, float | None]


@dataclass(frozen=True)
class Publicity:
    expected: int  # grade-weeks with school days in the period
    published: int  # of those, with an approved and published plan
    class_boards: int  # class-weeks whose grade's plan is published (grades 1–2 included)
    changes: int  # changes made after publication
    missing: tuple[str, ...] = ()  # "三年级 11月16日那一周", a few for the text


@dataclass(frozen=True)
class GradeParticipation:
    label: str
    students: int
    taking_part: int

    @property
    def share(self) -> float:
        return self.taking_part / self.students if self.students else 0.0


@dataclass(frozen=True)
class AfterSchool:
    programs: int
    schools_without: tuple[str, ...]
    students: int
    wished: int
    taking_part: int
    wished_taking_part: int
    clubs: int
    club_seats: int
    categories: tuple[tuple[str, int], ...]
    instructors: tuple[tuple[str, int], ...]
    marks: int
    attended: int
    by_grade: tuple[GradeParticipation, ...] = ()
    low_classes: tuple[tuple[str, str, float], ...] = ()  # school, class, share
    min_group: int = 5
    allocated: bool = False  # club seats were given by an applied allocation run
    by_school: tuple[tuple[int, int, int], ...] = ()  # school id, students, taking part
    # What the attendance records cover (summed over schools: a district's are school-days).
    service_days: int = 0  # the programs' days the calendar makes school days
    days_marked: int = 0  # of those, days with any attendance mark
    sessions: int = 0  # sessions held in the period that needed attendance (someone expected)
    sessions_marked: int = 0  # of those, sessions whose attendance was taken

    def school_share(self, school_id: int) -> float | None:
        """One school's participation, for the district's table (None below the minimum)."""
        for sid, students, taking in self.by_school:
            if sid == school_id:
                return taking / students if students >= self.min_group else None
        return None

    @property
    def participation(self) -> float | None:
        if self.students < self.min_group:
            return None
        return self.taking_part / self.students

    @property
    def of_wished(self) -> float | None:
        if self.wished < self.min_group:
            return None
        return self.wished_taking_part / self.wished

    @property
    def attendance(self) -> float | None:
        """Over every mark of the period; None when fewer than the minimum group take part
        (the rate would be one family's)."""
        if not self.marks or self.taking_part < self.min_group:
            return None
        return self.attended / self.marks


@dataclass(frozen=True)
class ExceptionLine:
    school: str
    class_name: str
    date: dt.date
    measured: int
    limit: int
    reason: str
    status: str  # granted / refused / pending
    decision: str
    decided_by: str


@dataclass(frozen=True)
class Exceptions:
    lines: tuple[ExceptionLine, ...]

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)


@dataclass(frozen=True)
class Rectifications:
    """Inspection notices and their rectification, from qingfu.inspections."""

    issued: int
    closed: int
    overdue: int
    open: int
    overdue_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchoolLine:
    """One school's headline figures in a district report."""

    name: str
    classes: int
    compliance: float | None
    over: int
    average_by_band: dict[str, float | None]
    late_share: float | None
    boards: tuple[int, int]  # published, expected
    participation: float | None


@dataclass(frozen=True)
class SchoolBurden:
    """What offices placed on one school over the period (教师减负), from the burden
    registry: sent demands, the staff-hours expected of the school, and their kinds."""

    name: str
    demands: int
    hours: float
    inspections: int = 0
    data_requests: int = 0
    campus_activities: int = 0
    secondments: int = 0


@dataclass(frozen=True)
class TeacherBurden:
    """What landed on the scope's schools from offices (教师减负), for the school's and the
    district's summary and the county's burden report."""

    demands: int
    hours: float  # expected staff-hours summed over the receiving schools
    inspections: int
    data_requests: int
    campus_activities: int
    secondments: int
    refused: int  # refused before reaching schools (unlisted inspections, off-whitelist affairs)
    reports: int  # demands schools reported as reaching them outside Qingfu
    by_school: tuple[SchoolBurden, ...] = ()
    # The spread of the teachers' non-teaching hours a week over the period (demands shared
    # by their handlers, plus after-school duty): no teacher named.
    teacher_hours: Distribution | None = None

    @property
    def has_data(self) -> bool:
        hours = self.teacher_hours is not None and self.teacher_hours.highest > 0
        return bool(self.demands or self.refused or self.reports or hours)


@dataclass(frozen=True)
class TrainingGovernance:
    """Off-campus training supervision of a district over the period (校外培训治理), from
    the training registry, its complaints and the inspections of institutions."""

    # (category, status) → institutions on the registry as of the last day counted.
    institutions: dict[tuple[str, str], int]
    registered_new: int  # first put on the registry in the period
    status_changes: dict[str, int]  # later changes in the period, by the status moved to
    courses_filed: int
    sessions_filed: int
    charges_filed: int
    refused: int  # filings of the period refused, or refused when rechecked
    complaints: int  # received in the period
    complaints_closed: int  # of those, closed or not accepted by the last day counted
    complaints_in_time: int  # of those closed, by their deadline
    complaints_overdue: int  # of those received, open and past the deadline today
    visits: int
    institutions_visited: int
    items_failing: int
    notices: int
    notices_closed: int
    notices_overdue: int

    def count(self, *, category: str = "", status: str = "") -> int:
        return sum(
            n
            for (c, s), n in self.institutions.items()
            if (not category or c == category) and (not status or s == status)
        )

    @property
    def has_data(self) -> bool:
        return bool(sum(self.institutions.values()) or self.complaints or self.visits)


@dataclass(frozen=True)
class ReportFacts:
    scope_kind: ScopeKind
    scope_name: str
    district_name: str
    period: Period
    today: dt.date
    through: dt.date  # the last day counted: the period's end, or today if that is earlier
    first_record: dt.date | None  # the first class-day with homework or logs
    schools: int
    classes: int
    students: int
    school_days: int  # of the scope (the most any school had, for a district)
    min_group: int
    bands: tuple[BandFigures, ...]
    series: tuple[SeriesPoint, ...]
    series_unit: Literal["week", "day"]
    over_classes: tuple[ClassOver, ...]
    late_classes: tuple[ClassLate, ...]
    publicity: Publicity
    afterschool: AfterSchool | None
    exceptions: Exceptions
    rectifications: Rectifications | None = None
    school_lines: tuple[SchoolLine, ...] = field(default_factory=tuple)
    rollup_rows: int = 0
    grades: tuple[BandFigures, ...] = ()  # the same figures per grade
    teacher_burden: TeacherBurden | None = None
    training: TrainingGovernance | None = None

    @property
    def has_homework(self) -> bool:
        return self.rollup_rows > 0

    @property
    def has_data(self) -> bool:
        return bool(
            self.rollup_rows
            or self.publicity.published
            or self.exceptions.lines
            or (self.afterschool and self.afterschool.marks)
            or (self.rectifications and self.rectifications.issued)
            or (self.teacher_burden and self.teacher_burden.has_data)
            or (self.training and self.training.has_data)
        )

    @property
    def logs(self) -> int:
        return sum(b.logs for b in self.bands)

    @property
    def late_finishes(self) -> int:
        return sum(b.late_finishes for b in self.bands)

    @property
    def over(self) -> int:
        return sum(b.over for b in self.bands)

    @property
    def over_approved(self) -> int:
        return sum(b.over_approved for b in self.bands)

    @property
    def class_days(self) -> int:
        return sum(b.class_days for b in self.bands)

    @property
    def compliance(self) -> float | None:
        days = self.class_days
        return (days - self.over) / days if days else None
