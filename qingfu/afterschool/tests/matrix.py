"""After-school services in the role matrix (qingfu/core/tests/matrix.py): the school's
program, a family's page, the duty teacher's attendance, the duty roster and its hours, the
district's view, and the seat API. School A runs a program; 张小一 (3(1)) is signed up."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qingfu.afterschool import attendance, services
from qingfu.afterschool.models import Club, Job, Seat
from qingfu.afterschool.tests.helpers import actor, add_club, standard_program
from qingfu.conftest import World
from qingfu.core.tests.matrix import ADMINS, OFFICERS, TEACHERS_A, Case
from qingfu.schools.tests import factories as f

MONDAY = dt.date(2026, 11, 23)
# Monday 16:00 in China: the first segment of after-school service is on.
DURING_SERVICE = "2026-11-23T08:00:00+00:00"
# Monday 18:00 in China: both segments have ended; their attendance may be taken late.
AFTER_SERVICE = "2026-11-23T10:00:00+00:00"
ADMIN_A = frozenset({"admin_a"})
FAMILY_S1 = frozenset({"guardian1"})


def _club(w: World) -> Club:
    """School A's program with one club open for seats, 张小一 signed up for service."""
    program = standard_program(w.users["admin_a"], w.a)
    club = add_club(w.users["admin_a"], program, "足球", 5)
    services.signup_set(
        actor=actor(w.users["guardian1"]), student_id=w.s1.pk, weekdays=(0, 1, 2, 3, 4),
        last_segment=2, effective_from=MONDAY,
    )  # fmt: skip
    services.open_round_start(
        actor=actor(w.users["admin_a"]), program_id=program.pk, batch_minutes=0
    )
    return club


def _seat(w: World) -> int:
    club = _club(w)
    return Seat.objects.create(
        school=w.a, program=club.program, club=club, segment=club.segment, student=w.s1,
        status="enrolled", source="allocation", requested_at=timezone.now(),
    ).pk  # fmt: skip


def _program_form() -> dict[str, object]:
    return {
        "action": "save", "weekdays": ["0", "1", "2", "3", "4"], "start": "15:40",
        "end": "17:50", "seg1_start": "15:40", "seg1_end": "16:40", "seg2_start": "16:50",
        "seg2_end": "17:50", "max_choices": "3",
    }  # fmt: skip


def _attendance(w: World) -> tuple[str, dict[str, str]]:
    """The head teacher of 3(1) on duty for the class's basic care, segment 1."""
    _club(w)
    sessions = attendance.duty_sessions(actor(w.users["head31"]), MONDAY)
    session = next(s for s in sessions if s.club_id is None and s.segment.order == 1)
    return "/afterschool/duty/", {
        "action": "take", "session_id": str(session.pk), f"s-{w.s1.pk}": "present",
    }  # fmt: skip


def _one_session(w: World) -> str:
    """One session opened by its id (the principal's home links here): 3(1)'s basic care."""
    path, form = _attendance(w)
    return f"{path}?session={form['session_id']}"


def _take_one(w: World) -> tuple[str, dict[str, str]]:
    """The attendance of one session taken from its own page (the principal for a teacher)."""
    path, form = _attendance(w)
    return f"{path}?session={form['session_id']}", form


def _take_late(w: World) -> tuple[str, dict[str, str]]:
    """The attendance of one session taken after it ended (the principal's home links here)."""
    path, form = _attendance(w)
    return f"{path}?session={form['session_id']}", {**form, "action": "late"}


def _roster(w: World) -> tuple[str, dict[str, str]]:
    """The week's duty roster: two more teachers, as four cannot cover the week's sessions."""
    _club(w)
    for name in ("值班甲", "值班乙"):
        f.TeacherFactory(school=w.a, name=name)
    return f"/afterschool/roster/?week={MONDAY}", {}


def _job(w: World) -> str:
    """A queued allocation job of school A's program, started by its admin."""
    club = _club(w)
    job = Job.objects.create(
        school=w.a, program=club.program, kind=Job.Kind.ALLOCATION,
        params={"mechanism": "optimal"}, created_by=w.users["admin_a"],
    )  # fmt: skip
    return f"/afterschool/jobs/{job.pk}/"


def _child(w: World) -> str:
    _club(w)
    return f"/afterschool/child/{w.s1.pk}/"


CASES = [
    Case("afterschool/jobs/<int:job_id>/", _job, allowed=ADMIN_A),
    Case("afterschool/", lambda w: "/afterschool/", allowed=ADMINS),
    Case("afterschool/", lambda w: ("/afterschool/", _program_form()), "POST", allowed=ADMINS),
    # School A's club named in the body: school B's admin, on its own program page, is refused.
    Case(
        "afterschool/",
        lambda w: (
            "/afterschool/",
            {"action": "capacity", "club_id": str(_club(w).pk), "capacity": "9"},
        ),
        "POST",
        allowed=ADMIN_A,
        note="a club's seats",
    ),
    Case("afterschool/child/<int:student_id>/", _child, allowed=FAMILY_S1),
    Case(
        "afterschool/child/<int:student_id>/",
        lambda w: (
            _child(w),
            {"action": "seat", "club_id": str(Club.objects.get().pk)},
        ),
        "POST",
        allowed=FAMILY_S1,
    ),
    Case("afterschool/district/", lambda w: "/afterschool/district/", allowed=OFFICERS),
    # The duty page of a teacher: today's sessions (made on first look).
    Case("afterschool/duty/", lambda w: "/afterschool/duty/", allowed=TEACHERS_A | {"teacher_b"}),
    Case(
        "afterschool/duty/",
        _attendance,
        "POST",
        allowed=frozenset({"head31"}),
        at=DURING_SERVICE,
    ),
    Case(
        "afterschool/duty/",
        _one_session,
        allowed=ADMIN_A | {"head31"},
        personal=True,
        note="one session",
        at=DURING_SERVICE,
    ),
    Case(
        "afterschool/duty/",
        _take_one,
        "POST",
        allowed=ADMIN_A | {"head31"},
        note="one session",
        at=DURING_SERVICE,
    ),
    Case(
        "afterschool/duty/",
        _take_late,
        "POST",
        allowed=ADMIN_A | {"head31"},
        note="late attendance",
        at=AFTER_SERVICE,
    ),
    Case("afterschool/roster/", lambda w: (_club(w), "/afterschool/roster/")[1], allowed=ADMIN_A),
    Case(
        "afterschool/roster/",
        _roster,
        "POST",
        allowed=ADMIN_A,
    ),
    Case(
        "afterschool/hours.xlsx",
        lambda w: (_club(w), "/afterschool/hours.xlsx")[1],
        allowed=ADMIN_A,
    ),
    # The API: a seat in the open round, leaving it, a child's seats and clubs.
    Case(
        "POST /api/v1/afterschool/seats",
        lambda w: ("/api/v1/afterschool/seats", {"student_id": w.s1.pk, "club_id": _club(w).pk}),
        "POST",
        allowed=FAMILY_S1,
        json=True,
    ),
    Case(
        "DELETE /api/v1/afterschool/seats/{seat_id}",
        lambda w: f"/api/v1/afterschool/seats/{_seat(w)}",
        "DELETE",
        allowed=FAMILY_S1,
    ),
    Case(
        "GET /api/v1/afterschool/children/{student_id}/seats",
        lambda w: (_seat(w), f"/api/v1/afterschool/children/{w.s1.pk}/seats")[1],
        allowed=FAMILY_S1,
    ),
    Case(
        "GET /api/v1/afterschool/children/{student_id}/clubs",
        lambda w: (_club(w), f"/api/v1/afterschool/children/{w.s1.pk}/clubs")[1],
        allowed=FAMILY_S1,
    ),
]
