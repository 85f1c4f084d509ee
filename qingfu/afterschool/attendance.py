"""Attendance at after-school sessions: who is expected, the duty teacher's marks, early
pickup, the lock when a session ends, corrections by request, and who gets told.

Marks are append-only: the latest mark for a student in a session is the attendance, and a
correction after the lock is a new mark carrying the approved request — nothing is lost.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.afterschool.models import (
    AttendanceCorrection,
    AttendanceMark,
    Club,
    Program,
    Seat,
    Segment,
    Session,
    Signup,
)
from qingfu.core.access import as_guardian_of
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_change, audit_list, audit_read
from qingfu.core.changes import announce_class_days
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.models import AuditEntry
from qingfu.schools.calendars import local_now
from qingfu.schools.models import SchoolClass, Student

Status = AttendanceMark.Status

# --- who is expected -----------------------------------------------------------------------


def expected_ids(sessions: Sequence[Session]) -> dict[int, set[int]]:
    """Session id → the ids of the students expected at it, for any number of sessions in
    four queries (a home's list of missed sessions, a report's semester of them).

    A club session expects the club's members whose club meets that weekday and who stay
    for its segment that day; a class's basic care expects the class's active pupils who
    stay for the segment and are not at a club meeting then. "Stay" is read from the
    sign-up version in force on the session's date.
    """
    if not sessions:
        return {}
    orders = dict(
        Segment.objects.filter(id__in={s.segment_id for s in sessions}).values_list("id", "order")
    )
    program_ids = {s.program_id for s in sessions}
    class_ids = {s.school_class_id for s in sessions if s.club_id is None}
    club_ids = {s.club_id for s in sessions if s.club_id is not None}
    first = min(s.date for s in sessions)
    last = max(s.date for s in sessions)
    members = Seat.objects.filter(club_id__in=club_ids, status=Seat.Status.ENROLLED).values(
        "student_id"
    )
    who = Q(student__school_class_id__in=class_ids) | Q(student_id__in=members)
    # (program, student) → the sign-up versions that may be in force on one of the dates.
    stays: dict[tuple[int, int], list[tuple[list[int], int, dt.date, dt.date | None]]] = {}
    pupils: dict[int, set[int]] = {}  # class id → its active pupils signed up
    for program_id, student_id, class_id, active, weekdays, last_segment, since, until in (
        Signup.objects.filter(program_id__in=program_ids, withdrawn=False, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=first))
        .filter(who)
        .values_list(
            "program_id",
            "student_id",
            "student__school_class_id",
            "student__is_active",
            "weekdays",
            "last_segment",
            "valid_from",
            "valid_to",
        )
    ):
        stays.setdefault((program_id, student_id), []).append(
            (weekdays, last_segment, since, until)
        )
        if active and class_id in class_ids:
            pupils.setdefault(class_id, set()).add(student_id)
    # (segment, student) → (club, its weekdays): one enrolled seat per student and segment.
    seats: dict[tuple[int, int], tuple[int, list[int]]] = {}
    club_members: dict[int, set[int]] = {}
    for segment_id, student_id, club_id, weekdays in (
        Seat.objects.filter(segment_id__in=set(orders), status=Seat.Status.ENROLLED)
        .filter(Q(student__school_class_id__in=class_ids) | Q(club_id__in=club_ids))
        .values_list("segment_id", "student_id", "club_id", "club__weekdays")
    ):
        seats[(segment_id, student_id)] = (club_id, weekdays)
        club_members.setdefault(club_id, set()).add(student_id)

    def stays_for(session: Session, student_id: int) -> bool:
        day, order = session.date, orders[session.segment_id]
        return any(
            since <= day
            and (until is None or until > day)
            and day.weekday() in weekdays
            and last_segment >= order
            for weekdays, last_segment, since, until in stays.get(
                (session.program_id, student_id), ()
            )
        )

    def at_club(session: Session, student_id: int) -> int | None:
        seat = seats.get((session.segment_id, student_id))
        return seat[0] if seat and session.date.weekday() in seat[1] else None

    found: dict[int, set[int]] = {}
    for session in sessions:
        if session.club_id is not None:
            candidates = club_members.get(session.club_id, set())
            found[session.pk] = {
                sid
                for sid in candidates
                if at_club(session, sid) == session.club_id and stays_for(session, sid)
            }
        else:
            candidates = pupils.get(session.school_class_id or 0, set())
            found[session.pk] = {
                sid
                for sid in candidates
                if stays_for(session, sid) and at_club(session, sid) is None
            }
    return found


def expected(session: Session) -> list[Student]:
    """The students the duty teacher should see: a club's members, or a class's pupils who
    stay for this segment and are not at a club at the time (see :func:`expected_ids`)."""
    ids = expected_ids([session])[session.pk]
    if not ids:
        return []
    return list(
        Student.objects.filter(id__in=ids)
        .select_related("school_class__grade")
        .order_by("school_class_id", "id")
    )


# --- sessions ------------------------------------------------------------------------------


def _program_on(school_id: int, day: dt.date) -> Program | None:
    return (
        Program.objects.filter(
            school_id=school_id, semester__start__lte=day, semester__end__gte=day
        )
        .select_related("semester")
        .first()
    )


def ends_at(session: Session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.segment.end))


def is_locked(session: Session, now: dt.datetime) -> bool:
    return now >= ends_at(session)


def duty_sessions(actor: Actor, day: dt.date) -> list[Session]:
    """The actor's sessions on ``day``: where the week has a roster, those it gives them;
    otherwise, by default, the clubs they instruct and their own classes' basic care."""
    if actor.teacher_id is None:
        return []
    monday = day - dt.timedelta(days=day.weekday())
    sessions: list[Session] = []
    for school_id in sorted(actor.school_ids):
        program = _program_on(school_id, day)
        if program is None or day.weekday() not in program.weekdays:
            continue
        if program.rosters.filter(monday=monday).exists():
            sessions += Session.objects.filter(
                program=program, duty_teacher_id=actor.teacher_id, date=day
            ).select_related("segment", "club", "school_class__grade", "program")
            continue
        for club in Club.objects.filter(
            program=program, instructor_teacher_id=actor.teacher_id
        ).select_related("segment"):
            if day.weekday() in club.weekdays:
                sessions.append(_session(program, day, club.segment, club=club))
        for school_class in SchoolClass.objects.filter(
            id__in=actor.head_class_ids, school_id=school_id
        ):
            for segment in program.segments.all():
                sessions.append(_session(program, day, segment, school_class=school_class))
    return sorted(sessions, key=lambda s: (s.segment.order, s.pk))


def _session(
    program: Program,
    day: dt.date,
    segment: Segment,
    *,
    club: Club | None = None,
    school_class: SchoolClass | None = None,
) -> Session:
    session, _created = Session.objects.get_or_create(
        program=program,
        date=day,
        segment=segment,
        club=club,
        school_class=None if club else school_class,
        defaults={
            "school_id": program.school_id,
            "duty_teacher_id": (
                club.instructor_teacher_id if club else school_class.head_teacher_id  # type: ignore[union-attr]
            ),
        },
    )
    return session


def session_for(actor: Actor, session_id: int) -> Session:
    """One session for its duty teacher or the school's administrator (who takes the
    attendance a teacher missed); the same 404 for a missing one and another's."""
    return _session_for(actor, session_id)


def _session_for(actor: Actor, session_id: int) -> Session:
    session = (
        Session.objects.select_related("segment", "program", "club", "school_class")
        .filter(id=session_id)
        .first()
    )
    if session is None:
        raise NotFound()
    allowed = session.duty_teacher_id == actor.teacher_id and actor.teacher_id is not None
    if not (allowed or session.school_id in actor.admin_school_ids):
        raise NotFound()
    return session


# --- marks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    student: Student
    mark: AttendanceMark | None


def latest_marks(marks: QuerySet[AttendanceMark]) -> dict[tuple[int, int], AttendanceMark]:
    """(session id, student id) → the mark in force: the latest one (marks are append-only)."""
    latest: dict[tuple[int, int], AttendanceMark] = {}
    for mark in marks.order_by("marked_at", "id"):
        latest[(mark.session_id, mark.student_id)] = mark
    return latest


def current_marks(session: Session) -> dict[int, AttendanceMark]:
    marks = session.marks.select_related("marked_by")
    return {sid: m for (_session, sid), m in latest_marks(marks).items()}


def session_rows(actor: Actor, session: Session) -> list[Row]:
    """The session's list for its duty teacher (or the school's admin), audited."""
    marks = current_marks(session)
    rows = [Row(student, marks.get(student.pk)) for student in expected(session)]
    if rows:
        audit_list(
            actor,
            "after_school_attendance",
            [row.student.pk for row in rows],
            school_id=session.school_id,
            object_id=session.pk,
        )
    return rows


def attendance_take(
    *,
    actor: Actor,
    session_id: int,
    marks: Mapping[int, str],
    now: dt.datetime | None = None,
) -> list[AttendanceMark]:
    """Record the duty teacher's marks for the session, all or none."""
    now = now or local_now()
    session = _session_for(actor, session_id)
    if session.date != now.date() or now < ends_at(session) - _span(session):
        raise ValidationFailed.single("__all__", _("只能在本场课后服务进行时考勤。"))
    if is_locked(session, now):
        raise ValidationFailed.single(
            "__all__", _("本场已结束，考勤已锁定；如需更改，请提交更正申请。")
        )
    _check_marks(session, marks)
    assert actor.user_id is not None
    with transaction.atomic():
        _refresh_rollups(session, marks)
        audit_change(
            actor,
            "after_school_attendance",
            marks,
            school_id=session.school_id,
            action=AuditEntry.Action.CREATE,
            object_id=session.pk,
        )
        return AttendanceMark.objects.bulk_create(
            AttendanceMark(
                school_id=session.school_id,
                session=session,
                student_id=sid,
                status=status,
                marked_by_id=actor.user_id,
            )
            for sid, status in sorted(marks.items())
        )


def _check_marks(session: Session, marks: Mapping[int, str]) -> None:
    """Every posted student is on the session's list, every status one the list offers."""
    roster = expected_ids([session])[session.pk]
    unknown = [sid for sid in marks if sid not in roster]
    if unknown:
        raise ValidationFailed.single(
            "student",
            ngettext(
                "%(n)d 名学生不在本场名单中（未报名或不在本时段）。",
                "%(n)d 名学生不在本场名单中（未报名或不在本时段）。",
                len(unknown),
            )
            % {"n": len(unknown)},
        )
    if any(
        status not in (Status.PRESENT, Status.ABSENT, Status.LEAVE) for status in marks.values()
    ):
        raise ValidationFailed.single("status", _("考勤状态应为出勤、缺勤或请假。"))


# --- late attendance ---------------------------------------------------------------------------

# How many days (today included) a session's attendance may still be taken after it ended,
# by its duty teacher or the school's admin: the principal's home lists the sessions of the
# same days as missed, so every one it lists can be taken from its link. Older records
# stay as they are (a wrong old mark goes through a correction request).
LATE_DAYS = 7


def late_until(session: Session) -> dt.date:
    """The last day on which the session's attendance may be taken late."""
    return session.date + dt.timedelta(days=LATE_DAYS - 1)


def is_late_open(session: Session, now: dt.datetime) -> bool:
    """The session has ended and its attendance may still be taken (or corrected) late."""
    return is_locked(session, now) and now.date() <= late_until(session)


def may_correct(actor: Actor, session: Session) -> bool:
    """The school's admin, who decides corrections, may change a mark directly; a duty
    teacher asks for a correction instead."""
    return session.school_id in actor.admin_school_ids


@dataclass(frozen=True)
class LateAttendance:
    """What a late submission recorded: marks for students who had none, and changed marks
    (each carrying its approved correction)."""

    taken: list[AttendanceMark]
    corrected: list[AttendanceMark]


def attendance_take_late(
    *,
    actor: Actor,
    session_id: int,
    marks: Mapping[int, str],
    reason: str = "",
    now: dt.datetime | None = None,
) -> LateAttendance:
    """Take a session's attendance after it ended (the duty teacher who missed it, or the
    school's admin), within :data:`LATE_DAYS`: all or nothing.

    Students without a mark get one; each mark records who made it and when, so the list
    shows it as taken late. A posted status equal to the mark in force changes nothing. A
    different one is a correction: the admin's is recorded at once as an approved
    :class:`AttendanceCorrection` with its reason; a duty teacher's is refused (they ask for
    a correction, which the admin decides). The class-days of the marked students are
    announced, so the dashboards count the late marks.
    """
    now = now or local_now()
    session = _session_for(actor, session_id)
    if not is_locked(session, now):
        raise ValidationFailed.single("__all__", _("本场尚未结束，请在本场进行时直接考勤。"))
    if not is_late_open(session, now):
        raise ValidationFailed.single(
            "__all__",
            ngettext(
                "本场已结束超过 %(n)d 天，不能再补录考勤；如需更改已有考勤，请提交更正申请。",
                "本场已结束超过 %(n)d 天，不能再补录考勤；如需更改已有考勤，请提交更正申请。",
                LATE_DAYS,
            )
            % {"n": LATE_DAYS},
        )
    _check_marks(session, marks)
    current = current_marks(session)
    new = {sid: status for sid, status in marks.items() if sid not in current}
    changed = {
        sid: status
        for sid, status in marks.items()
        if sid in current and current[sid].status != status
    }
    if changed and not may_correct(actor, session):
        raise ValidationFailed.single(
            "student",
            ngettext(
                "%(n)d 名学生已有考勤；更改已有考勤请提交更正申请。",
                "%(n)d 名学生已有考勤；更改已有考勤请提交更正申请。",
                len(changed),
            )
            % {"n": len(changed)},
        )
    if changed and not reason.strip():
        raise ValidationFailed.single("reason", _("更改已有考勤，请写明更正理由。"))
    if not new and not changed:
        raise ValidationFailed.single("__all__", _("考勤没有变化，无需保存。"))
    assert actor.user_id is not None
    with transaction.atomic():
        _refresh_rollups(session, [*new, *changed])
        taken = []
        if new:
            audit_change(
                actor,
                "after_school_attendance",
                new,
                school_id=session.school_id,
                action=AuditEntry.Action.CREATE,
                object_id=session.pk,
                what=f"late {session.date}",
            )
            taken = AttendanceMark.objects.bulk_create(
                AttendanceMark(
                    school_id=session.school_id,
                    session=session,
                    student_id=sid,
                    status=status,
                    marked_by_id=actor.user_id,
                    is_late=True,
                )
                for sid, status in sorted(new.items())
            )
        corrected = []
        if changed:
            audit_change(
                actor,
                "after_school_attendance",
                changed,
                school_id=session.school_id,
                action=AuditEntry.Action.UPDATE,
                object_id=session.pk,
                what=f"correction {session.date}",
            )
            for sid, status in sorted(changed.items()):
                correction = AttendanceCorrection.objects.create(
                    school_id=session.school_id,
                    session=session,
                    student_id=sid,
                    status=status,
                    reason=reason.strip()[:200],
                    requested_by_id=actor.user_id,
                    decision=AttendanceCorrection.Decision.APPROVED,
                    decided_by_id=actor.user_id,
                    decided_at=timezone.now(),
                )
                corrected.append(
                    AttendanceMark.objects.create(
                        school_id=session.school_id,
                        session=session,
                        student_id=sid,
                        status=status,
                        marked_by_id=actor.user_id,
                        is_late=True,
                        correction=correction,
                    )
                )
    return LateAttendance(taken=taken, corrected=corrected)


def _refresh_rollups(session: Session, student_ids: Iterable[int]) -> None:
    """The marked students' class-days feed the dashboards' attendance figures."""
    class_ids = set(
        Student.objects.filter(id__in=list(student_ids)).values_list("school_class_id", flat=True)
    )
    announce_class_days(school_id=session.school_id, keys={(c, session.date) for c in class_ids})


def _span(session: Session) -> dt.timedelta:
    start = dt.datetime.combine(session.date, session.segment.start)
    return (
        dt.datetime.combine(session.date, session.segment.end)
        - start
        + dt.timedelta(
            minutes=30  # the teacher may open the list a little before the session starts
        )
    )


def early_pickup(
    *,
    actor: Actor,
    session_id: int,
    student_id: int,
    picked_up_by: str,
    now: dt.datetime | None = None,
) -> AttendanceMark:
    now = now or local_now()
    session = _session_for(actor, session_id)
    if is_locked(session, now) or session.date != now.date():
        raise ValidationFailed.single(
            "__all__", _("本场已结束，考勤已锁定；如需更改，请提交更正申请。")
        )
    if student_id not in {s.pk for s in expected(session)}:
        raise ValidationFailed.single("student", _("该学生不在本场名单中。"))
    if not picked_up_by.strip():
        raise ValidationFailed.single("picked_up_by", _("请填写接走人，如：母亲。"))
    assert actor.user_id is not None
    with transaction.atomic():
        _refresh_rollups(session, [student_id])
        return AttendanceMark.objects.create(
            school_id=session.school_id,
            session=session,
            student_id=student_id,
            status=Status.EARLY,
            picked_up_at=now.time().replace(second=0, microsecond=0),
            picked_up_by=picked_up_by.strip()[:30],
            marked_by_id=actor.user_id,
        )


# --- corrections -----------------------------------------------------------------------------


def correction_request(
    *,
    actor: Actor,
    session_id: int,
    student_id: int,
    status: str,
    reason: str,
    now: dt.datetime | None = None,
) -> AttendanceCorrection:
    now = now or local_now()
    session = _session_for(actor, session_id)
    if not is_locked(session, now):
        raise ValidationFailed.single("__all__", _("本场尚未结束，可直接修改考勤。"))
    if student_id not in {s.pk for s in expected(session)}:
        raise ValidationFailed.single("student", _("该学生不在本场名单中。"))
    if status not in Status.values:
        raise ValidationFailed.single("status", _("未知的考勤状态。"))
    if not reason.strip():
        raise ValidationFailed.single("reason", _("请写明更正理由。"))
    assert actor.user_id is not None
    return AttendanceCorrection.objects.create(
        school_id=session.school_id,
        session=session,
        student_id=student_id,
        status=status,
        reason=reason.strip()[:200],
        requested_by_id=actor.user_id,
    )


def correction_decide(
    *, actor: Actor, correction_id: int, approve: bool, note: str = ""
) -> AttendanceCorrection:
    """The coordinator (school admin) decides; an approval adds a mark, never edits one."""
    correction = AttendanceCorrection.objects.filter(
        id=correction_id, school_id__in=actor.admin_school_ids
    ).first()
    if correction is None:
        raise NotFound()
    if correction.decision != AttendanceCorrection.Decision.PENDING:
        raise ValidationFailed.single("__all__", _("该申请已处理。"))
    assert actor.user_id is not None
    with transaction.atomic():
        correction.decision = (
            AttendanceCorrection.Decision.APPROVED
            if approve
            else AttendanceCorrection.Decision.REFUSED
        )
        correction.decided_by_id = actor.user_id
        correction.decided_at = timezone.now()
        correction.decision_note = note.strip()[:200]
        correction.save()
        if approve:
            _refresh_rollups(correction.session, [correction.student_id])
            AttendanceMark.objects.create(
                school_id=correction.school_id,
                session_id=correction.session_id,
                student_id=correction.student_id,
                status=correction.status,
                marked_by_id=actor.user_id,
                correction=correction,
            )
    return correction


def pending_corrections(actor: Actor) -> list[AttendanceCorrection]:
    return list(
        AttendanceCorrection.objects.filter(
            school_id__in=actor.admin_school_ids, decision=AttendanceCorrection.Decision.PENDING
        ).select_related("session__segment", "session__club", "session__school_class", "student")
    )


# --- who gets told -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Absence:
    student: Student
    session: Session
    mark: AttendanceMark


def _absences(student_ids: Sequence[int], day: dt.date) -> list[Absence]:
    """Current absent marks on ``day`` for these students (the head teacher's view, which
    decides who and audits)."""
    latest = latest_marks(
        AttendanceMark.objects.filter(student_id__in=student_ids, session__date=day).select_related(
            "session__segment", "session__club", "student__school_class__grade"
        )
    )
    return [Absence(m.student, m.session, m) for m in latest.values() if m.status == Status.ABSENT]


def head_teacher_absences(actor: Actor, day: dt.date) -> list[Absence]:
    ids = list(
        Student.objects.filter(school_class_id__in=actor.head_class_ids).values_list(
            "id", flat=True
        )
    )
    found = _absences(ids, day)
    if found:
        audit_list(
            actor,
            "after_school_absences",
            [a.student.pk for a in found],
            school_id=found[0].student.school_id,
            what=str(day),
        )
    return found


def child_marks(actor: Actor, student: Student, day: dt.date) -> list[AttendanceMark]:
    """A child's after-school attendance on ``day``, for their family (the home page);
    anyone else is told "not found". Audited as a read when there is a mark to show."""
    as_guardian_of(actor, student.pk, or_self=True)
    marks = AttendanceMark.objects.filter(student_id=student.pk, session__date=day)
    found = list(latest_marks(marks.select_related("session__segment", "session__club")).values())
    if found:
        audit_read(
            actor,
            "after_school_attendance",
            [student.pk],
            school_id=student.school_id,
            object_id=student.pk,
            what=str(day),
        )
    return found
