"""Participation, fill and attendance figures for a program, computed from its records."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace

from django.db.models import Q

from qingfu.afterschool.models import AttendanceMark, Program, Signup, SurveyResponse
from qingfu.homework.selectors import at_school_minutes
from qingfu.schools.models import Student
from qingfu.schools.naming import GRADE_NAMES, class_display_name

ATTENDED = (AttendanceMark.Status.PRESENT, AttendanceMark.Status.EARLY)


@dataclass(frozen=True)
class Participation:
    label: str
    students: int
    wished: int  # said "will take part" in the needs survey
    taking_part: int  # signed up and in force on the day
    wished_taking_part: int
    marks: int
    attended: int
    # Homework minutes families logged as done at school, and all logged (homework module).
    at_school_minutes: int = 0
    logged_minutes: int = 0

    @property
    def at_school(self) -> float | None:
        return self.at_school_minutes / self.logged_minutes if self.logged_minutes else None

    @property
    def of_all(self) -> float | None:
        return self.taking_part / self.students if self.students else None

    @property
    def of_wished(self) -> float | None:
        return self.wished_taking_part / self.wished if self.wished else None

    @property
    def attendance(self) -> float | None:
        return self.attended / self.marks if self.marks else None


def participation(
    program: Program, day: dt.date
) -> tuple[list[Participation], list[Participation]]:
    """(by grade, by class) — of all students and of those who wished to take part, plus the
    attendance rate over every mark recorded up to ``day`` (latest mark per student and
    session; present or picked up early count as attended) and, by grade, the share of
    homework minutes that families logged as done at school this semester."""
    students = list(
        Student.objects.filter(school_id=program.school_id, is_active=True).values_list(
            "id", "school_class_id", "school_class__grade__number", "school_class__number"
        )
    )
    wished = set(
        SurveyResponse.objects.filter(program=program, participate=True).values_list(
            "student_id", flat=True
        )
    )
    taking = set(
        Signup.objects.filter(program=program, withdrawn=False, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .values_list("student_id", flat=True)
    )
    latest: dict[tuple[int, int], str] = {}
    for session_id, student_id, status in (
        AttendanceMark.objects.filter(session__program=program, session__date__lte=day)
        .order_by("marked_at", "id")
        .values_list("session_id", "student_id", "status")
    ):
        latest[(session_id, student_id)] = status
    marks: Counter[int] = Counter()
    attended: Counter[int] = Counter()
    for (_session, student_id), status in latest.items():
        marks[student_id] += 1
        attended[student_id] += status in ATTENDED

    def line(label: str, ids: list[int]) -> Participation:
        return Participation(
            label=label,
            students=len(ids),
            wished=sum(1 for i in ids if i in wished),
            taking_part=sum(1 for i in ids if i in taking),
            wished_taking_part=sum(1 for i in ids if i in wished and i in taking),
            marks=sum(marks[i] for i in ids),
            attended=sum(attended[i] for i in ids),
        )

    by_grade: dict[int, list[int]] = {}
    by_class: dict[tuple[int, int], list[int]] = {}
    for sid, _class_id, grade, number in students:
        by_grade.setdefault(grade, []).append(sid)
        by_class.setdefault((grade, number), []).append(sid)
    homework = at_school_minutes(program.school_id, program.semester.start, day)
    grades = [
        replace(
            line(GRADE_NAMES[g], ids),
            at_school_minutes=homework.get(g, (0, 0))[0],
            logged_minutes=homework.get(g, (0, 0))[1],
        )
        for g, ids in sorted(by_grade.items())
    ]
    classes = [line(class_display_name(g, n), ids) for (g, n), ids in sorted(by_class.items())]
    return grades, classes
