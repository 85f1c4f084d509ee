"""The open round (补报名): first come, first served, except for the requests of the opening
window, which are placed in the order of a published lottery once the window closes.

Every write that fills a seat locks the club row first (``select_for_update``; SQLite
serializes writers with IMMEDIATE transactions), counts the enrolled seats under that lock
and only then enrolls, so no club is ever overbooked however many families press the button
at once. The database also refuses a second enrolled club in one segment for the same
student."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.afterschool import phases, selectors
from qingfu.afterschool.allocation import (
    lottery_key,
)
from qingfu.afterschool.models import (
    Club,
    Program,
    Seat,
)
from qingfu.afterschool.selectors import SeatAnswer
from qingfu.afterschool.services.access import admin_program, guardian_child
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.calendars import local_time
from qingfu.schools.models import Student


def open_round_start(*, actor: Actor, program_id: int, batch_minutes: int = 5) -> Program:
    program = admin_program(actor, program_id)
    if not 0 <= batch_minutes <= 60:
        raise ValidationFailed.single("batch_minutes", _("同时到达窗口应为 0 至 60 分钟。"))
    refused = phases.phase_refusal(program.phase, phases.OPEN_ROUND)
    if refused:
        raise ValidationFailed.single("__all__", refused)
    program.phase = Program.Phase.OPEN
    program.open_round_at = timezone.now()
    program.open_round_batch_minutes = batch_minutes
    program.open_round_settled = batch_minutes == 0
    # Published on the program page before the window closes, so anyone can re-check it.
    program.open_round_seed = open_round_seed(program.pk, program.open_round_at)
    program.save()
    return program


def open_round_seed(program_id: int, opened_at: dt.datetime) -> str:
    """The open round's lottery seed: the program and the school's wall-clock time it opened
    ("open 1 2026-09-14 21:13:09"), so a person reading it on the page can check it."""
    return f"open {program_id} {local_time(opened_at):%Y-%m-%d %H:%M:%S}"


def _window_start(program: Program) -> dt.datetime:
    assert program.open_round_at is not None
    return program.open_round_at


def _window_end(program: Program) -> dt.datetime:
    return _window_start(program) + dt.timedelta(minutes=program.open_round_batch_minutes)


def seat_request(*, actor: Actor, student_id: int, club_id: int) -> SeatAnswer:
    """A guardian asks for a seat in the open round; the answer is always definite, except
    inside the opening window, where it is "pending" until the window's lottery."""
    student = guardian_child(actor, student_id)
    club = Club.objects.select_related("segment", "program").filter(id=club_id).first()
    if club is None or club.school_id != student.school_id:
        raise NotFound()
    program = club.program
    refused = _seat_refusal(program, club, student)
    if refused:
        return SeatAnswer("refused", club.name, reason=refused)
    now = timezone.now()
    if now < _window_end(program):
        return _seat_pending(program, club, student)
    if not program.open_round_settled:
        open_round_settle(program_id=program.pk)
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        # Taken under the lock, so first come is first in line.
        now = timezone.now()
        mine = list(
            Seat.objects.filter(student=student, segment_id=club.segment_id)
            .exclude(status=Seat.Status.WITHDRAWN)
            .select_related("club")
        )
        seat = next((s for s in mine if s.club_id == club.pk), None)
        if seat is None:
            held = _held_elsewhere(mine, club)
            if held:
                return SeatAnswer("refused", club.name, reason=held)
            seat = Seat(
                school_id=club.school_id,
                program=program,
                club=club,
                segment_id=club.segment_id,
                student=student,
                source=Seat.Source.OPEN,
                requested_at=now,
            )
            _place(club, seat, now, busy=False)
        return selectors.seat_answer(seat)


def _seat_pending(program: Program, club: Club, student: Student) -> SeatAnswer:
    mine = Seat.objects.filter(student=student, segment_id=club.segment_id).exclude(
        status=Seat.Status.WITHDRAWN
    )
    held = _held_elsewhere(list(mine.select_related("club")), club)
    if held:
        return SeatAnswer("refused", club.name, reason=held)
    try:
        with transaction.atomic():
            Seat.objects.create(
                school_id=club.school_id,
                program=program,
                club=club,
                segment=club.segment,
                student=student,
                status=Seat.Status.PENDING,
                source=Seat.Source.OPEN,
                requested_at=_window_start(program),
                lottery_key=lottery_key(program.open_round_seed, str(student.pk)),
            )
    except IntegrityError:
        pass  # the same request twice: one pending row answers both
    return SeatAnswer("pending", club.name, settles_at=local_time(_window_end(program)))


def _held_elsewhere(mine: Sequence[Seat], club: Club) -> str:
    """The refusal when the student already holds another club in this segment."""
    for seat in mine:
        if seat.status == Seat.Status.ENROLLED and seat.club_id != club.pk:
            return _("本时段已参加“%(club)s”，请先退出再报名其他社团。") % {"club": seat.club.name}
    return ""


def _seat_refusal(program: Program, club: Club, student: Student) -> str:
    if program.phase != Program.Phase.OPEN:
        return _("补报名尚未开放。")
    if not club.admits(student):
        return _("该社团面向%(a)d-%(b)d年级。") % {"a": club.grade_from, "b": club.grade_to}
    signup = selectors.latest_signup(program, student.pk)
    if signup is None or signup.withdrawn:
        return _("请先报名参加课后服务。")
    if signup.last_segment < club.segment.order:
        return _("孩子在%(segment)s前已接走。") % {"segment": club.segment.label}
    return ""


def _place(club: Club, seat: Seat, now: dt.datetime, *, busy: bool | None = None) -> None:
    """Enroll if the club (locked by the caller) has room and the student holds no other
    club in the segment; otherwise wait in line. ``busy`` is that last fact when the caller
    has already looked it up."""
    enrolled = Seat.objects.filter(club=club, status=Seat.Status.ENROLLED).count()
    if busy is None:
        busy = (
            Seat.objects.filter(
                student_id=seat.student_id,
                segment_id=club.segment_id,
                status=Seat.Status.ENROLLED,
            )
            .exclude(pk=seat.pk)
            .exists()
        )
    if busy:
        seat.status = Seat.Status.WITHDRAWN
        seat.note = _("本时段已参加其他社团")
    elif enrolled < club.capacity:
        seat.status = Seat.Status.ENROLLED
    else:
        seat.status = Seat.Status.WAITLISTED
    seat.decided_at = now
    seat.save()


def open_round_settle(*, program_id: int) -> int:
    """Place the requests of the opening window in lottery order (once; idempotent)."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program_id)
        if program.open_round_settled or program.open_round_at is None:
            return 0
        now = timezone.now()
        if now < _window_end(program):
            return 0
        pending = list(
            Seat.objects.filter(program=program, status=Seat.Status.PENDING).order_by(
                "lottery_key", "id"
            )
        )
        clubs = {
            c.pk: c
            for c in Club.objects.select_for_update().filter(id__in={s.club_id for s in pending})
        }
        for seat in pending:
            _place(clubs[seat.club_id], seat, now)
        program.open_round_settled = True
        program.save(update_fields=["open_round_settled"])
    return len(pending)
