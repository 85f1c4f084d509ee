"""Factories that keep related objects in the same school."""

from __future__ import annotations

import datetime as dt
from functools import cache

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from qingfu.schools.demo import national_id
from qingfu.schools.models import (
    District,
    Grade,
    Guardian,
    GuardianLink,
    School,
    SchoolClass,
    Semester,
    Student,
    Teacher,
)


@cache
def _test_password_hash() -> str:
    # Hashing is deliberately slow; one hash serves every test user.
    return make_password("pw-for-tests-1")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyFunction(lambda: _test_password_hash())


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.Sequence(lambda n: f"D{n:05d}")
    province = "浙江省"


class SchoolFactory(factory.django.DjangoModelFactory):
    """Built through the real service so grades, groups and subjects exist."""

    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"测试学校{n}")
    code = factory.Sequence(lambda n: f"S{n:05d}")
    stage = School.Stage.NINE_YEAR

    @classmethod
    def _create(cls, model_class: type[School], *args: object, **kwargs: object) -> School:
        from qingfu.schools.services import school_create

        return school_create(**kwargs)  # type: ignore[arg-type]


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"教师{n}")
    staff_no = factory.Sequence(lambda n: f"T{n:04d}")
    user = factory.SubFactory(UserFactory)


def class_in(school: School, grade: int, number: int) -> SchoolClass:
    grade_row = Grade.objects.get(school=school, number=grade)
    return SchoolClass.objects.create(school=school, grade=grade_row, number=number)


_seq = iter(range(1, 10**6))


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.LazyAttribute(lambda o: o.school_class.school)
    name = factory.Sequence(lambda n: f"学生{n}")
    gender = "F"
    birth_date = dt.date(2017, 5, 6)
    national_id = factory.LazyAttribute(
        lambda o: national_id("330100", o.birth_date, o.gender, next(_seq) % 400)
    )


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    name = factory.Sequence(lambda n: f"家长{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")


def link(guardian: Guardian, student: Student, relationship: str = "母亲") -> GuardianLink:
    return GuardianLink.objects.create(
        school=student.school, guardian=guardian, student=student, relationship=relationship
    )


def autumn_semester(school: School) -> Semester:
    return Semester.objects.create(
        school=school,
        name="2026—2027学年第一学期",
        start=dt.date(2026, 9, 1),
        end=dt.date(2027, 1, 22),
    )
