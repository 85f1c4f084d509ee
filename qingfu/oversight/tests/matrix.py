"""Oversight's dashboards in the role matrix (qingfu/core/tests/matrix.py): the landing, and
the district, school, grade, class and class-day levels of school A in district 1."""

from __future__ import annotations

from qingfu.core.tests.matrix import Case

MONDAY = "2026-11-23"
# The dashboards are for those who oversee the school: its admin, its district's officer and
# its inspector; its teachers see their classes' load on the homework week page instead.
SCHOOL_A = frozenset({"admin_a", "officer_d1", "inspector_a"})

CASES = [
    # Each actor lands on the top of their drill-down (a redirect to it, or the list).
    Case(
        "oversight/",
        lambda w: "/oversight/",
        allowed=frozenset({"admin_a", "admin_b", "officer_d1", "officer_d2", "inspector_a"}),
    ),
    Case(
        "oversight/district/<int:district_id>/",
        lambda w: f"/oversight/district/{w.d1.pk}/",
        allowed=frozenset({"officer_d1"}),
    ),
    Case(
        "oversight/school/<int:school_id>/",
        lambda w: f"/oversight/school/{w.a.pk}/",
        allowed=SCHOOL_A,
    ),
    Case(
        "oversight/school/<int:school_id>/grade/<int:grade>/",
        lambda w: f"/oversight/school/{w.a.pk}/grade/3/",
        allowed=SCHOOL_A,
    ),
    Case(
        "oversight/class/<int:class_id>/",
        lambda w: f"/oversight/class/{w.c31.pk}/",
        allowed=SCHOOL_A,
    ),
    Case(
        "oversight/class/<int:class_id>/<str:day>/",
        lambda w: f"/oversight/class/{w.c31.pk}/{MONDAY}/",
        allowed=SCHOOL_A,
    ),
]
