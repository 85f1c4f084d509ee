"""The demo school: deterministic, realistic in shape, and printing one account per role."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from qingfu.core.roles import Role
from qingfu.schools import demo
from qingfu.schools.actors import actor_for
from qingfu.schools.models import (
    GradeGroup,
    Guardian,
    School,
    SchoolClass,
    Student,
    Subject,
    Teacher,
    TeachingAssignment,
)
from qingfu.schools.roster import national_id_problem

pytestmark = pytest.mark.django_db


def _digest() -> str:
    return hashlib.sha256("\n".join(demo.iter_fingerprint()).encode()).hexdigest()


def _flush() -> None:
    from django.contrib.auth.models import User

    from qingfu.assessment.models import Exam
    from qingfu.burden.models import Demand, UnregisteredReport
    from qingfu.homework.models import Assignment
    from qingfu.schools.models import District, Unit

    UnregisteredReport.objects.all().delete()
    Demand.objects.all().delete()
    Unit.objects.filter(parent__isnull=False).delete()
    Assignment.objects.all().delete()
    Exam.objects.all().delete()
    TeachingAssignment.objects.all().delete()
    for school in School.objects.all():
        Student.objects.filter(school=school).delete()
        school.delete()
    District.objects.all().delete()
    User.objects.all().delete()


def test_full_demo_school_shape_and_accounts(settings: object) -> None:
    settings.QINGFU_CLOCK = "18:00"  # type: ignore[attr-defined]  # the day is --today's
    out = StringIO()
    call_command("demo", "--today", "2026-11-23", stdout=out)
    school = School.objects.get(code="Q0001")
    assert school.stage == School.Stage.NINE_YEAR
    assert SchoolClass.objects.filter(school=school).count() == 36
    sizes = list(
        SchoolClass.objects.filter(school=school)
        .annotate(n=Count("students"))
        .values_list("n", flat=True)
    )
    assert min(sizes) >= 43 and max(sizes) <= 47
    # Every subject taught in a class's grade has a teacher; loads are realistic.
    for c in SchoolClass.objects.filter(school=school).select_related("grade"):
        taught = {
            s.code for s in Subject.objects.filter(school=school) if s.is_taught_in(c.grade.number)
        }
        assigned = set(
            TeachingAssignment.objects.filter(school_class=c).values_list(
                "subject__code", flat=True
            )
        )
        assert taught == assigned, c
        assert c.head_teacher_id is not None
    loads = list(
        Teacher.objects.filter(school=school)
        .annotate(n=Count("assignments"))
        .values_list("n", flat=True)
    )
    assert min(loads) >= 1
    assert 60 <= len(loads) <= 140
    assert not GradeGroup.objects.filter(school=school, leader__isnull=True).exists()
    assert not GradeGroup.objects.filter(school=school, cadre__isnull=True).exists()
    # Student numbers are valid and agree with birth dates; every child has a guardian.
    for s in Student.objects.filter(school=school)[:300]:
        assert national_id_problem(s.national_id, s.birth_date) is None
    assert not Student.objects.filter(guardian_links__isnull=True).exists()
    assert Guardian.objects.annotate(n=Count("links")).filter(n__gt=1).exists()  # siblings

    text = out.getvalue()
    for username in (
        "principal",
        "leader3",
        "head32",
        "math32",
        "student32",
        "parent32",
        "district",
        "inspector",
    ):
        assert username in text
    from django.contrib.auth.models import User

    expected_roles = {
        "principal": Role.SCHOOL_ADMIN,
        "leader3": Role.GRADE_LEADER,
        "head32": Role.HEAD_TEACHER,
        "math32": Role.SUBJECT_TEACHER,
        "student32": Role.STUDENT,
        "parent32": Role.GUARDIAN,
        "district": Role.DISTRICT_OFFICER,
        "inspector": Role.INSPECTOR,
    }
    for username, role in expected_roles.items():
        user = User.objects.get(username=username)
        assert user.check_password("qingfu2026")
        assert role in actor_for(user).roles, username

    # The semester so far has published boards (one grade misses one week) and rollups.
    from qingfu.homework.models import WeeklyPlan
    from qingfu.oversight.models import ClassDayRollup

    weeks = set(WeeklyPlan.objects.filter(school=school).values_list("week_start", flat=True))
    plans = WeeklyPlan.objects.filter(school=school, status=WeeklyPlan.Status.APPROVED).count()
    assert len(weeks) >= 2 and plans == 9 * len(weeks) - 1
    assert ClassDayRollup.objects.filter(school=school, planned_minutes__gt=0).exists()

    again = StringIO()
    call_command("demo", "--if-empty", stdout=again)
    assert "跳过" in again.getvalue() and "principal" in again.getvalue()


def test_same_seed_same_demo(settings: object) -> None:
    settings.QINGFU_CLOCK = "18:00"  # type: ignore[attr-defined]
    args = ("--classes-per-grade", "1", "--students-per-class", "6", "--today", "2026-11-23")
    call_command("demo", *args, stdout=StringIO())
    first = _digest()
    _flush()
    call_command("demo", *args, stdout=StringIO())
    assert _digest() == first
    _flush()
    call_command("demo", *args, "--seed", "7", stdout=StringIO())
    assert _digest() != first


@pytest.mark.clock  # `make run` builds the demo up to whatever day it is
def test_district_demo_for_benchmarks() -> None:
    call_command(
        "demo", "--schools", "4", "--classes-per-grade", "1", "--students-per-class", "3",
        stdout=StringIO(),
    )  # fmt: skip
    stages = sorted(School.objects.values_list("stage", flat=True))
    assert len(stages) == 4 and "junior" in stages and "primary" in stages
    assert Student.objects.values("school").distinct().count() == 4
