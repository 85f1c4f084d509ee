"""The web app's pages in the role matrix (qingfu/core/tests/matrix.py): sign-in and out, the
home, classes, students, a school's roster, calendar and audit log, a district."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from qingfu.conftest import World
from qingfu.core.tests.matrix import (
    FAMILY_A,
    LOGIN,
    MEMBERS_OF_A,
    ROLES,
    SIGNED_IN,
    STAFF_A,
    Case,
    Request,
)

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"

GRADE3_STAFF = frozenset({"admin_a", "leader3", "head31", "math3"})


def roster_upload(path: str) -> Request:
    data = (SAMPLES / "roster_sample.csv").read_bytes()
    return path, {"file": SimpleUploadedFile("roster_sample.csv", data, content_type="text/csv")}


def _s1(w: World) -> str:
    return f"/students/{w.s1.pk}/"


def _erasure_asked(w: World) -> int:
    from qingfu.core.models import ErasureRequest

    return ErasureRequest.objects.create(
        student_id=w.s1.pk, school_id=w.a.pk, requested_by=w.users["guardian1"]
    ).pk


CASES = [
    Case("login/", lambda w: "/login/", public=True),  # signed in: sent on to the home
    # Signing in as guardian1 (as anyone, with the right password) notes the last sign-in;
    # the signed in are sent on to the home without signing in again.
    Case(
        "login/",
        lambda w: ("/login/", {"username": "guardian1", "password": "pw-for-tests-1"}),
        "POST",
        public=True,
        writes=frozenset({"anonymous"}),
    ),
    # Django's sign-out is POST only; it always ends on the sign-in page.
    Case("logout/", lambda w: "/logout/", answers=dict.fromkeys(ROLES, 405)),
    Case("logout/", lambda w: "/logout/", "POST", answers=dict.fromkeys(ROLES, LOGIN)),
    Case("language/", lambda w: "/language/", answers=dict.fromkeys(ROLES, 405)),
    # Anyone may choose a language (a cookie); a signed-in user's choice is also kept.
    Case(
        "language/",
        lambda w: ("/language/", {"language": "en", "next": "/"}),
        "POST",
        public=True,
        writes=SIGNED_IN,
    ),
    Case("healthz", lambda w: "/healthz", public=True),
    Case("", lambda w: "/", allowed=SIGNED_IN),
    Case(
        "classes/<int:class_id>/",
        lambda w: f"/classes/{w.c31.pk}/",
        allowed=GRADE3_STAFF | {"student1", "guardian1", "officer_d1", "inspector_a"},
    ),
    # A student's personal record at school A, grade 3.
    Case(
        "students/<int:student_id>/",
        _s1,
        allowed=GRADE3_STAFF | {"student1", "guardian1"},
        personal=True,
        note="grade 3 at A",
    ),
    # A grade-7 student: grade-3 staff and grade-3 families must not see them.
    Case(
        "students/<int:student_id>/",
        lambda w: f"/students/{w.s3.pk}/",
        allowed=frozenset({"admin_a", "teacher7"}),
        personal=True,
        note="grade 7 at A",
    ),
    # A student of school B: nobody at school A, nor the district, sees them.
    Case(
        "students/<int:student_id>/",
        lambda w: f"/students/{w.sb.pk}/",
        allowed=frozenset({"admin_b", "teacher_b"}),
        personal=True,
        note="at B",
    ),
    Case(
        "schools/<int:school_id>/roster/",
        lambda w: f"/schools/{w.a.pk}/roster/",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "schools/<int:school_id>/roster/",
        lambda w: roster_upload(f"/schools/{w.a.pk}/roster/"),
        "POST",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "schools/<int:school_id>/roster.xlsx",
        lambda w: f"/schools/{w.a.pk}/roster.xlsx",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
        personal=True,
    ),
    Case(
        "schools/<int:school_id>/calendar/",
        lambda w: f"/schools/{w.a.pk}/calendar/",
        allowed=STAFF_A | FAMILY_A | {"officer_d1", "inspector_a"},
    ),
    Case(
        "schools/<int:school_id>/audit/",
        lambda w: f"/schools/{w.a.pk}/audit/",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "schools/<int:school_id>/audit/",
        lambda w: f"/schools/{w.a.pk}/audit/?person=head31&student={w.s1.name}&start=2026-11-01",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
        note="filtered",
    ),
    # A child's privacy page: their guardian, and their school's admin acting for them.
    Case(
        "privacy/child/<int:student_id>/",
        lambda w: f"/privacy/child/{w.s1.pk}/",
        allowed=frozenset({"admin_a", "guardian1"}),
        personal=True,
    ),
    # Only a guardian asks for erasure.
    Case(
        "privacy/child/<int:student_id>/",
        lambda w: (f"/privacy/child/{w.s1.pk}/", {"reason": "转学"}),
        "POST",
        allowed=frozenset({"guardian1"}),
    ),
    Case(
        "privacy/child/<int:student_id>/dossier.<str:fmt>",
        lambda w: f"/privacy/child/{w.s1.pk}/dossier.html",
        allowed=frozenset({"admin_a", "guardian1"}),
        personal=True,
        note="readable",
    ),
    Case(
        "privacy/child/<int:student_id>/dossier.<str:fmt>",
        lambda w: f"/privacy/child/{w.s1.pk}/dossier.json",
        allowed=frozenset({"admin_a", "guardian1"}),
        personal=True,
        note="machine-readable",
    ),
    Case(
        "schools/<int:school_id>/erasures/",
        lambda w: f"/schools/{w.a.pk}/erasures/",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "schools/<int:school_id>/erasures/",
        lambda w: (
            f"/schools/{w.a.pk}/erasures/",
            {"action": "carry_out", "request": _erasure_asked(w), "note": "已转学"},
        ),
        "POST",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "districts/<int:district_id>/",
        lambda w: f"/districts/{w.d1.pk}/",
        allowed=frozenset({"officer_d1"}),
    ),
]
