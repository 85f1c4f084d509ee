"""The role matrix: for every role, what it can and cannot read or change.

Each case names a user of the shared ``world`` and a request; a refusal must look like
"not found" (or "sign in") and must change nothing, and an allowed read of a minor's
personal data must leave an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from qingfu.conftest import World
from qingfu.core.models import AuditEntry
from qingfu.schools.models import Student
from qingfu.schools.tests import factories as f

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"

OK, FORBIDDEN, DENIED, LOGIN = 200, 403, 404, 302

ROLES = [
    "anonymous",
    "admin_a",
    "admin_b",
    "leader3",
    "head31",
    "math3",
    "teacher7",
    "teacher_b",
    "student1",
    "guardian1",
    "guardian2",
    "officer_d1",
    "officer_d2",
    "inspector_a",
]

Resource = Callable[[World], str]

# Pages and API reads: (resource, url builder, expected status per role)
READS: dict[str, tuple[Resource, dict[str, int]]] = {
    # A student's personal record at school A, grade 3.
    "student_s1_page": (
        lambda w: f"/students/{w.s1.pk}/",
        {
            "admin_a": OK,
            "leader3": OK,
            "head31": OK,
            "math3": OK,
            "student1": OK,
            "guardian1": OK,
        },
    ),
    # A grade-7 student: grade-3 staff and grade-3 families must not see them.
    "student_s3_page": (
        lambda w: f"/students/{w.s3.pk}/",
        {"admin_a": OK, "teacher7": OK},
    ),
    # A student of school B: nobody at school A, nor the district, sees them.
    "student_sb_page": (
        lambda w: f"/students/{w.sb.pk}/",
        {"admin_b": OK, "teacher_b": OK},
    ),
    "class_31_roster_api": (
        lambda w: f"/api/v1/classes/{w.c31.pk}/students",
        {"admin_a": OK, "leader3": OK, "head31": OK, "math3": OK},
    ),
    "student_s1_api": (
        lambda w: f"/api/v1/students/{w.s1.pk}",
        {
            "admin_a": OK,
            "leader3": OK,
            "head31": OK,
            "math3": OK,
            "student1": OK,
            "guardian1": OK,
        },
    ),
    "district_d1_overview_api": (
        lambda w: f"/api/v1/districts/{w.d1.pk}/overview",
        {"officer_d1": OK},
    ),
    "district_d1_page": (lambda w: f"/districts/{w.d1.pk}/", {"officer_d1": OK}),
    "roster_export_a": (lambda w: f"/schools/{w.a.pk}/roster.xlsx", {"admin_a": OK}),
    "audit_page_a": (lambda w: f"/schools/{w.a.pk}/audit/", {"admin_a": OK}),
    "roster_page_a": (lambda w: f"/schools/{w.a.pk}/roster/", {"admin_a": OK}),
    "calendar_a": (
        lambda w: f"/schools/{w.a.pk}/calendar/",
        {
            "admin_a": OK,
            "leader3": OK,
            "head31": OK,
            "math3": OK,
            "teacher7": OK,
            "student1": OK,
            "guardian1": OK,
            "guardian2": OK,
            "officer_d1": OK,
            "inspector_a": OK,
        },
    ),
}

PERSONAL = {"student_s1_page", "student_s3_page", "student_sb_page", "class_31_roster_api",
            "student_s1_api", "roster_export_a"}  # fmt: skip


# People of school A who are not its admin: they know the school, so an admin-only
# resource of school A answers "forbidden" rather than "not found".
MEMBERS_OF_A = {"leader3", "head31", "math3", "teacher7", "student1", "guardian1", "guardian2",
                "inspector_a"}  # fmt: skip
ADMIN_ONLY_A = {"roster_export_a", "audit_page_a", "roster_page_a"}


def _expected(role: str, resource: str, allowed: dict[str, int], url: str) -> int:
    if role == "anonymous":
        return 401 if url.startswith("/api/") else LOGIN
    if resource in ADMIN_ONLY_A and role in MEMBERS_OF_A:
        return allowed.get(role, FORBIDDEN)
    return allowed.get(role, DENIED)


@pytest.mark.clock
@pytest.mark.parametrize("resource", list(READS))
@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(world: World, role: str, resource: str) -> None:
    build, allowed = READS[resource]
    url = build(world)
    before = AuditEntry.objects.count()
    response = world.client(role).get(url)
    expected = _expected(role, resource, allowed, url)
    assert response.status_code == expected, (role, resource, response.status_code)
    if resource in PERSONAL:
        audited = AuditEntry.objects.count() - before
        assert audited == (1 if expected == OK else 0), (role, resource, audited)


def test_class_page_hides_names_from_families_and_district(world: World) -> None:
    """Families see their child's class page but not classmates; the district neither."""
    f.StudentFactory(school_class=world.c31, name="陈同桌")
    for role in ("guardian1", "student1", "officer_d1", "inspector_a"):
        response = world.client(role).get(f"/classes/{world.c31.pk}/")
        assert response.status_code == OK, role
        assert "陈同桌" not in response.content.decode(), role
    teacher_view = world.client("math3").get(f"/classes/{world.c31.pk}/").content.decode()
    assert "陈同桌" in teacher_view and "张小一" in teacher_view


@pytest.mark.clock  # the district page counts the training complaints overdue today
def test_district_sees_only_its_own_schools(world: World) -> None:
    data = world.client("officer_d1").get("/api/v1/schools").json()
    assert {s["name"] for s in data} == {"甲校", "乙校"}
    assert world.client("officer_d2").get("/api/v1/schools").json()[0]["name"] == "丙校"
    body = world.client("officer_d1").get(f"/districts/{world.d1.pk}/").content.decode()
    assert "张小一" not in body and "甲校" in body


def test_guardian_phone_only_for_head_teacher_admin_and_family(world: World) -> None:
    phone = world.s1.guardian_links.get().guardian.phone
    for role, sees in (("head31", True), ("admin_a", True), ("guardian1", True), ("math3", False)):
        body = world.client(role).get(f"/api/v1/students/{world.s1.pk}").json()
        assert (body["guardians"][0]["phone"] == phone) is sees, role


@pytest.mark.clock
@pytest.mark.parametrize("role", ROLES)
def test_roster_import_matrix(world: World, role: str) -> None:
    """Only school A's admin may import into school A; a refusal changes nothing."""
    data = (SAMPLES / "roster_sample.csv").read_bytes()
    before = set(Student.objects.values_list("id", "name", "school_class_id"))
    client: Client = world.client(role)
    response = client.post(
        f"/api/v1/schools/{world.a.pk}/roster",
        {"file": _upload("roster_sample.csv", data)},
    )
    if role == "admin_a":
        assert response.status_code == OK, response.content
        assert Student.objects.filter(school=world.a).count() > 3
        return
    expected = {"anonymous": 401, "leader3": 403, "head31": 403, "math3": 403, "teacher7": 403,
                "student1": 403, "guardian1": 403, "guardian2": 403, "inspector_a": 403}  # fmt: skip
    assert response.status_code == expected.get(role, DENIED), (role, response.status_code)
    assert set(Student.objects.values_list("id", "name", "school_class_id")) == before


def _upload(name: str, data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
