"""Homework in the role matrix (qingfu/core/tests/matrix.py): composing and publishing, the
live check, exceptions, weekly plans and the public board, the week, time logs, alerts, how
a class logs. The matrix runs on Monday 2026-11-23 (tests/clock.py's school day)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qingfu.conftest import World
from qingfu.core.tests.matrix import (
    ADMINS,
    ROLES,
    SIGNED_IN,
    STAFF_A,
    TEACHERS_A,
    Case,
    Request,
)
from qingfu.homework import plans
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import LoadException
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import GradeGroup, Subject

MONDAY = dt.date(2026, 11, 23)
LAST_FRIDAY = dt.date(2026, 11, 20)
TEACHERS = TEACHERS_A | {"teacher_b"}


def _math(w: World) -> int:
    return Subject.objects.get(school=w.a, code="math").pk


def _publish(w: World, minutes: int, day: dt.date = MONDAY, reason: str | None = None) -> Any:
    item = ItemDraft(
        content="口算练习", kind="written", tier="basic", minutes=minutes, place="home"
    )
    return homework_publish(
        actor=actor_for(w.users["math3"]),
        draft=HomeworkDraft(_math(w), (w.c31.pk,), day, day + dt.timedelta(days=1), (item,)),
        exception_reason=reason,
    )


def _pending_exception(w: World) -> int:
    _publish(w, 70, reason="单元复习，明日不布置书面作业")
    return LoadException.objects.get().pk


def _approved_plan(w: World) -> None:
    """Grade 3's plan for this week, approved by its leader and its cadre: on the board."""
    group = GradeGroup.objects.get(grade=w.c31.grade)
    group.cadre = w.users["head31"].teacher  # type: ignore[attr-defined]
    group.save()
    leader, cadre = actor_for(w.users["leader3"]), actor_for(w.users["head31"])
    plan = plans.plan_open(actor=leader, grade_id=w.c31.grade_id, week_start=MONDAY)
    plans.plan_save(
        actor=leader, plan_id=plan.pk, cells={(w.c31.pk, _math(w), MONDAY): (25, "口算")}
    )
    plans.plan_submit(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=cadre, plan_id=plan.pk)


def _form(w: World, minutes: int = 20) -> dict[str, Any]:
    return {
        "subject": str(_math(w)),
        "classes": [str(w.c31.pk)],
        "date": MONDAY.isoformat(),
        "due_on": (MONDAY + dt.timedelta(days=1)).isoformat(),
        "items-0-content": "口算练习",
        "items-0-kind": "written",
        "items-0-tier": "basic",
        "items-0-place": "home",
        "items-0-minutes": str(minutes),
    }


def _draft_json(w: World, minutes: int = 20) -> dict[str, Any]:
    return {
        "subject_id": _math(w),
        "class_ids": [w.c31.pk],
        "date": MONDAY.isoformat(),
        "due_on": (MONDAY + dt.timedelta(days=1)).isoformat(),
        "items": [{"content": "口算练习", "minutes": minutes}],
    }


def _time_log(w: World) -> Request:
    """Last Friday's evening of 张小一, whose homework was maths."""
    _publish(w, 20, day=LAST_FRIDAY)
    path = f"/homework/log/{w.s1.pk}/{LAST_FRIDAY}/"
    return path, {f"m-{_math(w)}": "25", "finished_at": "20:30"}


def _plan_edit(w: World) -> str:
    return f"/homework/plans/{w.c31.grade_id}/{MONDAY}/"


PLANNERS = frozenset({"leader3"})
PLANNERS_A = PLANNERS | {"admin_a"}
# A teacher who does not teach maths in 3(1) is told so, as for a class that does not exist
# (the same message: nothing about the class is revealed); anyone else is not a teacher here.
NOT_MY_CLASS = dict.fromkeys(TEACHERS - {"math3"}, 422)

CASES = [
    Case("homework/", lambda w: "/homework/", allowed=SIGNED_IN),
    Case("homework/new/", lambda w: "/homework/new/", allowed=TEACHERS),
    Case(
        "homework/new/",
        lambda w: ("/homework/new/", _form(w)),
        "POST",
        allowed=frozenset({"math3"}),
        answers=NOT_MY_CLASS,
    ),
    Case(
        "homework/check/",
        lambda w: "/homework/check/",
        answers=dict.fromkeys(SIGNED_IN, 405),
    ),
    Case(
        "homework/check/",
        lambda w: ("/homework/check/", _form(w, 70)),
        "POST",
        # The live check's fragment: for the other teachers it says "you do not teach this".
        allowed=TEACHERS,
        writes=False,
    ),
    Case("homework/item-row/", lambda w: ("/homework/item-row/", {"index": "2"}), allowed=TEACHERS),
    Case(
        "homework/item-row/",
        lambda w: ("/homework/item-row/", {"index": "x"}),
        allowed=TEACHERS,
        note="not a number",
    ),
    Case("homework/exceptions/", lambda w: "/homework/exceptions/", allowed=PLANNERS),
    Case(
        "homework/exceptions/<int:exception_id>/decide/",
        lambda w: f"/homework/exceptions/{_pending_exception(w)}/decide/",
        answers=dict.fromkeys(SIGNED_IN, 405),
    ),
    Case(
        "homework/exceptions/<int:exception_id>/decide/",
        lambda w: (
            f"/homework/exceptions/{_pending_exception(w)}/decide/",
            {"decision": "grant", "reason": "同意，复习周"},
        ),
        "POST",
        allowed=PLANNERS,
    ),
    # Every school's admin plans its grades with their leaders.
    Case("homework/plans/", lambda w: "/homework/plans/", allowed=PLANNERS | ADMINS),
    # Opening a week's plan creates it, prefilled: a read that writes, for its planners.
    Case(
        "homework/plans/<int:grade_id>/<str:week>/",
        _plan_edit,
        allowed=PLANNERS_A,
        writes=True,
    ),
    Case(
        "homework/plans/<int:grade_id>/<str:week>/",
        lambda w: (_plan_edit(w), {"action": "save", f"m-{w.c31.pk}-{_math(w)}-{MONDAY}": "30"}),
        "POST",
        allowed=PLANNERS_A,
    ),
    Case("homework/week/", lambda w: "/homework/week/", allowed=TEACHERS | ADMINS),
    Case(
        "homework/log/<int:student_id>/<str:day>/",
        lambda w: _time_log(w)[0],
        allowed=frozenset({"guardian1", "student1"}),
    ),
    Case(
        "homework/log/<int:student_id>/<str:day>/",
        _time_log,
        "POST",
        allowed=frozenset({"guardian1", "student1"}),
    ),
    Case("homework/alerts/", lambda w: "/homework/alerts/", allowed=TEACHERS),
    Case(
        "homework/logging/<int:class_id>/",
        lambda w: f"/homework/logging/{w.c31.pk}/",
        allowed=frozenset({"head31", "admin_a"}),
    ),
    Case(
        "homework/logging/<int:class_id>/",
        lambda w: (
            f"/homework/logging/{w.c31.pk}/",
            {"mode": "sample", "per_day": "1", "min_gap_days": "1"},
        ),
        "POST",
        allowed=frozenset({"head31", "admin_a"}),
    ),
    # The publicity board is public: no sign-in, no student's data.
    Case(
        "board/<int:class_id>/",
        lambda w: (_approved_plan(w), f"/board/{w.c31.pk}/")[1],
        public=True,
    ),
    Case(
        "board/<int:class_id>/<str:week>/",
        lambda w: (_approved_plan(w), f"/board/{w.c31.pk}/{MONDAY}/")[1],
        public=True,
    ),
    Case(
        "board/<int:class_id>/<str:week>/",
        lambda w: f"/board/{w.c31.pk}/{MONDAY}/",
        answers=dict.fromkeys(ROLES, 404),
        note="no approved plan",
    ),
    # The API.
    Case(
        "POST /api/v1/homework/check",
        lambda w: ("/api/v1/homework/check", _draft_json(w, 70)),
        "POST",
        allowed=frozenset({"math3"}),
        answers=NOT_MY_CLASS,
        json=True,
        writes=False,
    ),
    Case(
        "POST /api/v1/homework",
        lambda w: ("/api/v1/homework", _draft_json(w)),
        "POST",
        allowed=frozenset({"math3"}),
        answers=NOT_MY_CLASS,
        json=True,
    ),
    Case(
        "POST /api/v1/homework/exceptions/{exception_id}/decision",
        lambda w: (
            f"/api/v1/homework/exceptions/{_pending_exception(w)}/decision",
            {"grant": True, "reason": "同意，复习周"},
        ),
        "POST",
        allowed=PLANNERS,
        json=True,
    ),
    Case(
        "GET /api/v1/classes/{class_id}/homework",
        lambda w: (_publish(w, 20), (f"/api/v1/classes/{w.c31.pk}/homework", {"date": MONDAY}))[1],
        allowed=STAFF_A - {"teacher7"} | {"student1", "guardian1", "officer_d1", "inspector_a"},
    ),
]
