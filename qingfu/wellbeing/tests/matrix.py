"""Wellbeing in the role matrix (qingfu/core/tests/matrix.py): the school's page and its
timetable, phones (custody and applications), reading lists, a child's sleep."""

from __future__ import annotations

from qingfu.conftest import World
from qingfu.core.tests.matrix import ADMINS, Case
from qingfu.schools.actors import actor_for
from qingfu.wellbeing import phones, reading

HEAD31 = frozenset({"head31"})
S1_FAMILY = frozenset({"student1", "guardian1"})
GUARDIAN1 = frozenset({"guardian1"})


def _application(w: World) -> int:
    """张小一's family asks for a phone at school."""
    return phones.phone_apply(
        actor=actor_for(w.users["guardian1"]), student_id=w.s1.pk,
        reason="放学后独自乘车回家，需要联系家长", consent=True,
    ).pk  # fmt: skip


def _custody(w: World) -> tuple[str, dict[str, object]]:
    """The head teacher of 3(1) records the approved phone handed in."""
    application = _application(w)
    phones.phone_decide(
        actor=actor_for(w.users["head31"]), application_id=application, approve=True, note=""
    )
    return "/wellbeing/phones/", {"class_id": str(w.c31.pk), "in": [str(w.s1.pk)]}


def _book(w: World) -> dict[str, str]:
    reading_list = reading.list_start(
        actor=actor_for(w.users["admin_a"]), school_id=w.a.pk, school_year="2026—2027"
    )
    return {
        "action": "book", "list_id": str(reading_list.pk), "title": "草房子", "author": "曹文轩",
        "publisher": "人民文学出版社", "grade_from": "3", "grade_to": "6", "reason": "成长",
    }  # fmt: skip


CASES = [
    Case("wellbeing/", lambda w: "/wellbeing/", allowed=ADMINS | {"head31", "leader3"}),
    Case(
        "wellbeing/",
        lambda w: (
            "/wellbeing/",
            {
                "primary_start": "08:10",
                "junior_start": "08:00",
                "break_minutes": "10",
                "lesson_minutes": "40",
            },
        ),
        "POST",
        allowed=ADMINS,
        forbidden=frozenset({"head31", "leader3"}),  # they see the page; the admin sets it
    ),
    Case("wellbeing/phones/", lambda w: "/wellbeing/phones/", allowed=HEAD31),
    Case(
        "wellbeing/phones/",
        _custody,
        "POST",
        allowed=HEAD31,
        note="custody",
    ),
    Case(
        "wellbeing/phones/",
        lambda w: (
            "/wellbeing/phones/",
            {"action": "decide", "application_id": str(_application(w)), "decision": "approve"},
        ),
        "POST",
        allowed=HEAD31,
        note="decide",
    ),
    Case(
        "wellbeing/phone/<int:student_id>/",
        lambda w: f"/wellbeing/phone/{w.s1.pk}/",
        allowed=GUARDIAN1,
    ),
    Case(
        "wellbeing/phone/<int:student_id>/",
        lambda w: (
            f"/wellbeing/phone/{w.s1.pk}/",
            {"reason": "放学后独自乘车回家，需要联系家长", "consent": "on"},
        ),
        "POST",
        allowed=GUARDIAN1,
    ),
    Case("wellbeing/reading/", lambda w: "/wellbeing/reading/", allowed=ADMINS),
    Case(
        "wellbeing/reading/",
        lambda w: ("/wellbeing/reading/", {"action": "start"}),
        "POST",
        allowed=ADMINS,
    ),
    # School A's list named in the body: school B's admin, on its own page, is refused.
    Case(
        "wellbeing/reading/",
        lambda w: ("/wellbeing/reading/", _book(w)),
        "POST",
        allowed=frozenset({"admin_a"}),
        note="a book in a list",
    ),
    Case(
        "wellbeing/sleep/<int:student_id>/",
        lambda w: f"/wellbeing/sleep/{w.s1.pk}/",
        allowed=S1_FAMILY,
    ),
    Case(
        "wellbeing/sleep/<int:student_id>/",
        lambda w: (
            f"/wellbeing/sleep/{w.s1.pk}/",
            {"date": "2026-11-22", "bedtime": "21:00", "wake_time": "06:50"},
        ),
        "POST",
        allowed=S1_FAMILY,
    ),
]
