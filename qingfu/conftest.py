"""Shared fixtures: a small world of two districts and three schools, one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.test import Client

from qingfu.core.roles import Role
from qingfu.schools.models import (
    District,
    GradeGroup,
    RoleGrant,
    School,
    SchoolClass,
    Student,
    Subject,
    TeachingAssignment,
)
from qingfu.schools.tests import factories as f
from qingfu.training.tests import factories as tf


@dataclass
class World:
    d1: District
    d2: District
    a: School  # in d1
    b: School  # in d1
    c: School  # in d2
    c31: SchoolClass
    c32: SchoolClass
    c71: SchoolClass
    b31: SchoolClass
    s1: Student  # 3(1) at A
    s2: Student  # 3(2) at A
    s3: Student  # 7(1) at A
    sb: Student  # 3(1) at B
    users: dict[str, User] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Each test starts with empty caches: its database is new, and ids come back after a
    rollback, so entries kept from an earlier test would describe records that are gone."""
    from django.core.cache import caches

    from qingfu.core import reads

    caches["default"].clear()
    reads._local.clear()
    reads._user_schools.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the site's language: a request by a reader who chose English
    leaves English active in the worker's thread (LocaleMiddleware does not undo it), and
    a later test in the same worker would read English where it expects Chinese."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def committed():  # type: ignore[no-untyped-def]
    """As a commit: run what waits for it (moving cache versions on, the class-day refresh)
    when the block ends. Reads inside a test's transaction after a change are not kept, as
    in a real transaction, until such a block ends."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def shared_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep versioned reads in the test cache, as production does with Redis (on
    PostgreSQL the in-memory cache is otherwise not trusted: see ``shared_cache``)."""
    from django.core.cache import caches

    from qingfu.core import reads

    monkeypatch.setattr(reads, "shared_cache", lambda: caches["default"])


def _assign(teacher_user: User, school_class: SchoolClass, code: str) -> None:
    subject = Subject.objects.get(school=school_class.school, code=code)
    TeachingAssignment.objects.create(
        school=school_class.school,
        teacher=teacher_user.teacher,  # type: ignore[attr-defined]
        school_class=school_class,
        subject=subject,
        weekly_lessons=5,
    )


@pytest.fixture
def world(db: object) -> World:
    """Two districts, three schools, their classes and people, as committed."""
    with committed():
        return _world_build()


def _world_build() -> World:
    d1 = f.DistrictFactory(name="青禾区")
    d2 = f.DistrictFactory(name="远山区")
    a = f.SchoolFactory(district=d1, name="甲校")
    b = f.SchoolFactory(district=d1, name="乙校", stage=School.Stage.PRIMARY)
    c = f.SchoolFactory(district=d2, name="丙校")
    for school in (a, b, c):
        f.autumn_semester(school)
    c31, c32, c71 = f.class_in(a, 3, 1), f.class_in(a, 3, 2), f.class_in(a, 7, 1)
    b31 = f.class_in(b, 3, 1)
    s1 = f.StudentFactory(school_class=c31, name="张小一")
    s2 = f.StudentFactory(school_class=c32, name="李小二")
    s3 = f.StudentFactory(school_class=c71, name="王小三")
    sb = f.StudentFactory(school_class=b31, name="赵小乙")
    w = World(d1, d2, a, b, c, c31, c32, c71, b31, s1, s2, s3, sb)

    def user(key: str) -> User:
        w.users[key] = f.UserFactory(username=key)
        return w.users[key]

    def teacher(key: str, school: School) -> User:
        u = user(key)
        f.TeacherFactory(school=school, user=u, name=key)
        return u

    head31 = teacher("head31", a)
    _assign(head31, c31, "chinese")
    c31.head_teacher = head31.teacher  # type: ignore[attr-defined]
    c31.save()
    math3 = teacher("math3", a)
    _assign(math3, c31, "math")
    _assign(math3, c32, "math")
    leader3 = teacher("leader3", a)
    _assign(leader3, c32, "chinese")
    GradeGroup.objects.filter(grade=c31.grade).update(leader=leader3.teacher)  # type: ignore[attr-defined]
    teacher7 = teacher("teacher7", a)
    _assign(teacher7, c71, "math")
    teacher_b = teacher("teacher_b", b)
    _assign(teacher_b, b31, "math")

    for key, role, school, district in (
        ("admin_a", Role.SCHOOL_ADMIN, a, None),
        ("admin_b", Role.SCHOOL_ADMIN, b, None),
        ("officer_d1", Role.DISTRICT_OFFICER, None, d1),
        ("officer_d2", Role.DISTRICT_OFFICER, None, d2),
        ("inspector_a", Role.INSPECTOR, a, None),
    ):
        RoleGrant.objects.create(user=user(key), role=role, school=school, district=district)

    # Off-campus training: the district's training officer, and the staff of one
    # institution on its registry (academic, non-profit).
    RoleGrant.objects.create(user=user("training_d1"), role=Role.TRAINING_OFFICER, district=d1)
    institution = tf.institution(d1, name="青禾世界学科培训学校")
    RoleGrant.objects.create(
        user=user("staff_i1"), role=Role.INSTITUTION_STAFF, unit=institution.unit
    )

    s1.user = user("student1")
    s1.save()
    g1 = f.GuardianFactory(school=a, user=user("guardian1"), name="张妈妈")
    f.link(g1, s1, "母亲")
    g2 = f.GuardianFactory(school=a, user=user("guardian2"), name="李爸爸")
    f.link(g2, s2, "父亲")
    return w
