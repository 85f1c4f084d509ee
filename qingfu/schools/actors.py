"""Resolve a signed-in user into an ``Actor``: every role and the ids it scopes to.

A handful of small indexed queries, cached on the request and, while no record it is built
from changes, in the versioned cache under the user's own version, which every record that
gives the user a role moves (``qingfu.schools.versions``), students and classes included.
Revoking a role moves the version on as it commits, so the next request goes without it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest

from qingfu.core.actor import ANONYMOUS, Actor
from qingfu.core.reads import Reads, remember_schools
from qingfu.core.roles import UNIT_ROLES, Role
from qingfu.schools.models import GradeGroup, GuardianLink, RoleGrant, SchoolClass


def actor_for(user: User | AnonymousUser) -> Actor:
    if not user.is_authenticated:
        return ANONYMOUS
    # The user row itself is read fresh by every request: its flags come from there.
    found = Reads().get(
        f"actor:{user.pk}", lambda: _actor_build(user), scopes=ACTOR_SCOPES, owner=user.pk
    )
    remember_schools(user.pk, found.school_ids)
    return dataclasses.replace(
        found,
        is_superuser=user.is_superuser,
        display_name=found.display_name or user.get_full_name() or user.get_username(),
    )


# Everything that gives roles moves the user's own version (``qingfu.schools.versions``):
# a student edit in one school leaves every other person's roles cached.
ACTOR_SCOPES = ("user",)


def _actor_build(user: User) -> Actor:
    roles: set[Role] = set()
    school_ids: set[int] = set()
    admin_school_ids: set[int] = set()
    district_ids: set[int] = set()
    inspected: set[int] = set()
    training: set[int] = set()
    unit_grants: set[tuple[Role, int]] = set()
    grants = RoleGrant.objects.filter(user=user).values(
        "role", "school_id", "district_id", "unit_id"
    )
    for grant in grants:
        role = Role(grant["role"])
        roles.add(role)
        if role is Role.SCHOOL_ADMIN:
            admin_school_ids.add(grant["school_id"])
            school_ids.add(grant["school_id"])
        elif role is Role.INSPECTOR:
            inspected.add(grant["school_id"])
        elif role is Role.DISTRICT_OFFICER:
            district_ids.add(grant["district_id"])
        elif role is Role.TRAINING_OFFICER:
            training.add(grant["district_id"])
        elif role in UNIT_ROLES:
            unit_grants.add((role, grant["unit_id"]))

    teacher_id = None
    taught: set[int] = set()
    heads: set[int] = set()
    led_grades: set[int] = set()
    teacher = _related(user, "teacher")
    if teacher is not None:
        teacher_id = teacher.pk
        school_ids.add(teacher.school_id)
        taught = set(teacher.assignments.values_list("school_class_id", flat=True))
        heads = set(SchoolClass.objects.filter(head_teacher=teacher).values_list("id", flat=True))
        led_grades = set(
            GradeGroup.objects.filter(leader=teacher).values_list("grade_id", flat=True)
        ) | set(GradeGroup.objects.filter(cadre=teacher).values_list("grade_id", flat=True))
        if taught:
            roles.add(Role.SUBJECT_TEACHER)
        if heads:
            roles.add(Role.HEAD_TEACHER)
        if led_grades:
            roles.add(Role.GRADE_LEADER)

    student_id = None
    student = _related(user, "student")
    if student is not None and student.is_active:
        student_id = student.pk
        school_ids.add(student.school_id)
        roles.add(Role.STUDENT)

    children: set[int] = set()
    guardian = _related(user, "guardian")
    if guardian is not None:
        children = set(
            GuardianLink.objects.filter(guardian=guardian, student__is_active=True).values_list(
                "student_id", flat=True
            )
        )
        if children:
            roles.add(Role.GUARDIAN)
            school_ids.add(guardian.school_id)

    return Actor(
        user_id=user.pk,
        display_name=_person_name(teacher, student, guardian),
        roles=frozenset(roles),
        school_ids=frozenset(school_ids),
        admin_school_ids=frozenset(admin_school_ids),
        district_ids=frozenset(district_ids),
        inspected_school_ids=frozenset(inspected),
        teacher_id=teacher_id,
        taught_class_ids=frozenset(taught),
        head_class_ids=frozenset(heads),
        led_grade_ids=frozenset(led_grades),
        student_id=student_id,
        child_student_ids=frozenset(children),
        training_district_ids=frozenset(training),
        unit_grants=frozenset(unit_grants),
    )


def actor_from_request(request: HttpRequest) -> Actor:
    cached = getattr(request, "_qingfu_actor", None)
    if cached is None:
        cached = actor_for(request.user)
        request._qingfu_actor = cached  # type: ignore[attr-defined]
    return cached


def _related(user: User, relation: str) -> Any:
    # A reverse one-to-one raises when the row is missing.
    try:
        return getattr(user, relation)
    except ObjectDoesNotExist:
        return None


def _person_name(*people: object) -> str:
    """The teacher's, student's or guardian's name ("" when the user is none of them)."""
    for person in people:
        if person is not None:
            return str(getattr(person, "name", ""))
    return ""
