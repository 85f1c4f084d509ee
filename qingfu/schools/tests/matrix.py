"""The schools API in the role matrix (qingfu/core/tests/matrix.py): the current user, schools,
classes, students, the roster, the calendar, the class-day check, a district's overview."""

from __future__ import annotations

from qingfu.core.tests.matrix import (
    FAMILY_A,
    MEMBERS_OF_A,
    SIGNED_IN,
    STAFF_A,
    Case,
)
from qingfu.web.tests.matrix import GRADE3_STAFF, roster_upload

CASES = [
    Case("GET /api/v1/me", lambda w: "/api/v1/me", allowed=SIGNED_IN),
    Case(
        "POST /api/v1/me/language",
        lambda w: ("/api/v1/me/language", {"language": "en"}),
        "POST",
        allowed=SIGNED_IN,
        json=True,
    ),
    Case("GET /api/v1/schools", lambda w: "/api/v1/schools", allowed=SIGNED_IN),
    Case(
        "GET /api/v1/schools/{school_id}/classes",
        lambda w: f"/api/v1/schools/{w.a.pk}/classes",
        allowed=STAFF_A | FAMILY_A | {"officer_d1", "inspector_a"},
    ),
    Case(
        "GET /api/v1/classes/{class_id}/students",
        lambda w: f"/api/v1/classes/{w.c31.pk}/students",
        allowed=GRADE3_STAFF,
        personal=True,
    ),
    Case(
        "GET /api/v1/students/{student_id}",
        lambda w: f"/api/v1/students/{w.s1.pk}",
        allowed=GRADE3_STAFF | {"student1", "guardian1"},
        personal=True,
    ),
    Case(
        "POST /api/v1/schools/{school_id}/roster",
        lambda w: roster_upload(f"/api/v1/schools/{w.a.pk}/roster"),
        "POST",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
    ),
    Case(
        "GET /api/v1/schools/{school_id}/roster.xlsx",
        lambda w: f"/api/v1/schools/{w.a.pk}/roster.xlsx",
        allowed=frozenset({"admin_a"}),
        forbidden=MEMBERS_OF_A,
        personal=True,
    ),
    Case(
        "GET /api/v1/schools/{school_id}/calendar",
        lambda w: (
            f"/api/v1/schools/{w.a.pk}/calendar",
            {"start": "2026-11-23", "end": "2026-11-29"},
        ),
        allowed=STAFF_A | FAMILY_A | {"officer_d1", "inspector_a"},
    ),
    Case(
        "POST /api/v1/policy/check/class-day",
        lambda w: (
            "/api/v1/policy/check/class-day",
            {
                "class_id": w.c31.pk,
                "date": "2026-11-23",
                "items": [{"subject": "math", "minutes": 30}],
            },
        ),
        "POST",
        allowed=GRADE3_STAFF | {"student1", "guardian1", "officer_d1", "inspector_a"},
        json=True,
        writes=False,
    ),
    Case(
        "GET /api/v1/districts/{district_id}/overview",
        lambda w: f"/api/v1/districts/{w.d1.pk}/overview",
        allowed=frozenset({"officer_d1"}),
    ),
]
