"""A small after-school program in the test world's school A (grades 3 and 7)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from qingfu.afterschool import services
from qingfu.afterschool.models import Club, Program
from qingfu.core.actor import Actor
from qingfu.schools.actors import actor_for
from qingfu.schools.models import School, Semester, Student
from qingfu.schools.tests import factories as f

T = dt.time


def actor(user: User) -> Actor:
    return actor_for(User.objects.get(pk=user.pk))


def standard_program(admin: User, school: School) -> Program:
    semester = Semester.objects.get(school=school)
    return services.program_save(
        actor=actor(admin),
        semester_id=semester.pk,
        data=services.ProgramInput(
            weekdays=(0, 1, 2, 3, 4),
            start=T(15, 40),
            end=T(17, 50),
            segments=((T(15, 40), T(16, 40)), (T(16, 50), T(17, 50))),
        ),
    )


def add_club(
    admin: User, program: Program, name: str, capacity: int, *, order: int = 1, grades=(3, 6)
) -> Club:
    segment = program.segments.get(order=order)
    return services.club_save(
        actor=actor(admin),
        program_id=program.pk,
        data=services.ClubInput(
            name=name,
            category=Club.Category.SPORTS,
            segment_id=segment.pk,
            weekdays=(1, 3),
            grade_from=grades[0],
            grade_to=grades[1],
            capacity=capacity,
            instructor_kind=Club.Instructor.EXPERT,
            instructor_name="外聘教练",
        ),
    )


def family(student: Student, key: str) -> User:
    """A guardian account linked to ``student``."""
    user = f.UserFactory(username=key)
    guardian = f.GuardianFactory(school=student.school, user=user, name=f"{key}家长")
    f.link(guardian, student)
    return user


def sign_up(user: User, student: Student, *, last_segment: int = 2) -> None:
    services.signup_set(
        actor=actor(user),
        student_id=student.pk,
        weekdays=(0, 1, 2, 3, 4),
        last_segment=last_segment,
        effective_from=dt.date(2026, 9, 7),
    )
