"""Training records for tests, kept in one district (the world's d1 unless told)."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User

from qingfu.core.roles import Role
from qingfu.schools.models import District, RoleGrant, School, Semester, Unit
from qingfu.schools.tests import factories as f
from qingfu.training.codes import check_character
from qingfu.training.models import Category, Institution, StatusChange, Subcategory

_numbers = itertools.count(1)
AUTUMN = (dt.date(2026, 9, 1), dt.date(2027, 1, 22))


def credit_code(n: int) -> str:
    """A valid unified social credit code, different for each ``n``."""
    body = f"52330100{n:08d}X"[:17]
    return body + check_character(body)


def autumn_semester(school: School) -> Semester:
    return Semester.objects.get_or_create(
        school=school,
        start=AUTUMN[0],
        defaults={"name": "2026—2027学年第一学期", "end": AUTUMN[1]},
    )[0]


def institution(
    district: District,
    *,
    name: str = "",
    category: str = Category.ACADEMIC,
    status: str = Institution.Status.REGISTERED,
    is_nonprofit: bool = True,
) -> Institution:
    n = next(_numbers)
    unit = Unit.objects.create(
        district=district,
        kind=Unit.Kind.INSTITUTION,
        name=name or f"测试培训学校{n}",
        code=f"TI{n:05d}",
    )
    made = Institution.objects.create(
        unit=unit,
        district=district,
        credit_code=credit_code(n),
        licence_number=f"教民1{n:05d}号",
        licence_from=dt.date(2024, 1, 1),
        licence_to=dt.date(2028, 12, 31),
        category=category,
        subcategory=Subcategory.COMPULSORY if category == Category.ACADEMIC else Subcategory.ARTS,
        is_nonprofit=is_nonprofit,
        address="青禾区学府路 1 号",
        area_m2=Decimal("320.0"),
        status=status,
        status_since=dt.date(2026, 1, 5),
    )
    StatusChange.objects.create(
        institution=made, district=district, status=status, date=dt.date(2026, 1, 5)
    )
    return made


@dataclass
class People:
    officer: User
    staff: User
    other_staff: User


def people(district: District, mine: Institution, other: Institution) -> People:
    officer = f.UserFactory(username="training_officer")
    RoleGrant.objects.create(user=officer, role=Role.TRAINING_OFFICER, district=district)
    staff = f.UserFactory(username="inst_staff")
    RoleGrant.objects.create(user=staff, role=Role.INSTITUTION_STAFF, unit=mine.unit)
    other_staff = f.UserFactory(username="other_staff")
    RoleGrant.objects.create(user=other_staff, role=Role.INSTITUTION_STAFF, unit=other.unit)
    return People(officer, staff, other_staff)
