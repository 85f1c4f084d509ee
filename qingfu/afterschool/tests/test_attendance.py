"""Attendance: the expected list, marks, early pickup, the lock, corrections, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.afterschool import attendance, services
from qingfu.afterschool.models import AttendanceMark, Seat
from qingfu.afterschool.tests.helpers import actor, add_club, family, sign_up, standard_program
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.tests import factories as f

TUESDAY = dt.date(2026, 9, 8)


def at(hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(TUESDAY, dt.time(hour, minute)))


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


@pytest.fixture
def setup(world):
    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "足球", 10)  # Tue and Thu, segment 1
    sign_up(world.users["guardian1"], world.s1)  # s1 in 3(1): club member
    extra = f.StudentFactory(school_class=world.c31, name="钱小多")
    guardian = f.GuardianFactory(school=world.a, user=f.UserFactory(username="g_extra"))
    f.link(guardian, extra)
    sign_up(guardian.user, extra, last_segment=1)  # basic care, picked up after segment 1
    f.StudentFactory(school_class=world.c31, name="不参加")  # not signed up
    Seat.objects.create(
        school=world.a, program=program, club=club, segment=club.segment, student=world.s1,
        status="enrolled", source="allocation", requested_at=timezone.now(),
    )  # fmt: skip
    return program, club, extra


def _basic(world, program, order: int):
    sessions = attendance.duty_sessions(actor(world.users["head31"]), TUESDAY)
    return next(s for s in sessions if s.club_id is None and s.segment.order == order)


def test_expected_lists_split_club_members_from_basic_care(world, setup) -> None:
    program, club, extra = setup
    basic1 = _basic(world, program, 1)
    assert [s.pk for s in attendance.expected(basic1)] == [extra.pk]
    # Segment 2: extra has gone home; s1, at football in segment 1, is back in basic care.
    assert [s.pk for s in attendance.expected(_basic(world, program, 2))] == [world.s1.pk]
    club.instructor_teacher = world.users["math3"].teacher
    club.save()
    club_session = next(
        s for s in attendance.duty_sessions(actor(world.users["math3"]), TUESDAY) if s.club_id
    )
    assert [s.pk for s in attendance.expected(club_session)] == [world.s1.pk]
    # Wednesday: the club does not meet, so s1 is in basic care.
    wednesday = attendance.duty_sessions(actor(world.users["head31"]), TUESDAY + dt.timedelta(1))
    first = next(s for s in wednesday if s.segment.order == 1)
    assert {s.pk for s in attendance.expected(first)} == {world.s1.pk, extra.pk}


def test_absence_reaches_the_head_teacher_and_the_family(world, setup) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)
    head = actor(world.users["head31"])
    attendance.attendance_take(
        actor=head, session_id=session.pk, marks={extra.pk: "absent"}, now=at(15, 50)
    )
    assert [a.student.pk for a in attendance.head_teacher_absences(head, TUESDAY)] == [extra.pk]
    parent = actor(family(extra, "extra_parent"))
    assert [m.status for m in attendance.child_marks(parent, extra, TUESDAY)] == ["absent"]
    with pytest.raises(NotFound):  # the family's view only
        attendance.child_marks(head, extra, TUESDAY)


def test_a_mark_for_a_student_not_signed_up_changes_nothing(world, setup) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)
    outsider = world.c31.students.get(name="不参加")
    with pytest.raises(ValidationFailed) as err:
        attendance.attendance_take(
            actor=actor(world.users["head31"]),
            session_id=session.pk,
            marks={extra.pk: "present", outsider.pk: "present"},
            now=at(15, 50),
        )
    assert "不在本场名单中" in err.value.errors["student"][0]
    assert not AttendanceMark.objects.exists()


def test_only_the_duty_teacher_or_the_admin_takes_attendance(world, setup) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)
    with pytest.raises(NotFound):
        attendance.attendance_take(
            actor=actor(world.users["teacher7"]), session_id=session.pk,
            marks={extra.pk: "present"}, now=at(15, 50),
        )  # fmt: skip


def test_after_the_session_a_correction_is_a_request_and_history_is_kept(world, setup) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)
    head = actor(world.users["head31"])
    attendance.attendance_take(
        actor=head, session_id=session.pk, marks={extra.pk: "absent"}, now=at(15, 45)
    )
    with pytest.raises(ValidationFailed):  # locked at 16:40
        attendance.attendance_take(
            actor=head, session_id=session.pk, marks={extra.pk: "present"}, now=at(16, 41)
        )
    request = attendance.correction_request(
        actor=head, session_id=session.pk, student_id=extra.pk, status="leave",
        reason="家长 15:30 已电话请假，漏记", now=at(17, 0),
    )  # fmt: skip
    assert attendance.current_marks(session)[extra.pk].status == "absent"
    with pytest.raises(NotFound):  # the head teacher cannot approve their own request
        attendance.correction_decide(actor=head, correction_id=request.pk, approve=True)
    attendance.correction_decide(
        actor=actor(world.users["admin_a"]), correction_id=request.pk, approve=True, note="属实"
    )
    assert attendance.current_marks(session)[extra.pk].status == "leave"
    assert list(
        AttendanceMark.objects.filter(session=session).values_list("status", flat=True)
    ) == ["absent", "leave"]
    assert attendance.head_teacher_absences(head, TUESDAY) == []


def test_early_pickup_is_recorded_with_time_and_who(world, setup) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)
    mark = attendance.early_pickup(
        actor=actor(world.users["head31"]), session_id=session.pk, student_id=extra.pk,
        picked_up_by="奶奶", now=at(16, 5),
    )  # fmt: skip
    assert (mark.status, mark.picked_up_at, mark.picked_up_by) == ("early", dt.time(16, 5), "奶奶")


def test_withdrawal_from_a_date_ends_the_expectation_from_that_date(world, setup) -> None:
    program, _club, extra = setup
    guardian = extra.guardian_links.get().guardian.user
    services.signup_withdraw(
        actor=actor(guardian), student_id=extra.pk, effective_from=dt.date(2026, 9, 8)
    )
    assert attendance.expected(_basic(world, program, 1)) == []


def test_participation_and_attendance_rates_come_from_the_records(world, setup) -> None:
    from qingfu.afterschool import metrics
    from qingfu.afterschool.models import SurveyResponse

    program, _club, extra = setup
    SurveyResponse.objects.create(
        school=world.a, program=program, student=world.s2, answered_by=world.users["guardian2"],
        participate=True, weekdays=[0, 1, 2, 3, 4], last_segment=2,
    )  # fmt: skip
    session = _basic(world, program, 1)
    attendance.attendance_take(
        actor=actor(world.users["head31"]), session_id=session.pk,
        marks={extra.pk: "absent"}, now=at(15, 50),
    )  # fmt: skip
    attendance.early_pickup(
        actor=actor(world.users["head31"]), session_id=session.pk, student_id=extra.pk,
        picked_up_by="父亲", now=at(16, 10),
    )  # fmt: skip
    from qingfu.homework.models import TimeLog, TimeLogEntry
    from qingfu.schools.models import Subject

    log = TimeLog.objects.create(
        school=world.a, student=extra, school_class=world.c31, date=TUESDAY,
        finished_at=dt.time(19, 0),
    )  # fmt: skip
    for code, minutes, done_at_school in (("math", 30, True), ("chinese", 10, False)):
        TimeLogEntry.objects.create(
            log=log, subject=Subject.objects.get(school=world.a, code=code), minutes=minutes,
            at_school=done_at_school,
        )  # fmt: skip
    grades, classes = metrics.participation(program, TUESDAY)
    grade3 = next(g for g in grades if g.label == "三年级")
    # 3(1): s1, extra, 不参加; 3(2): s2 — s1 and extra take part; s2 wished but did not sign up.
    assert (grade3.students, grade3.taking_part, grade3.wished, grade3.wished_taking_part) == (
        4,
        2,
        1,
        0,
    )
    assert grade3.of_all == 0.5 and grade3.of_wished == 0.0
    assert (grade3.marks, grade3.attended) == (1, 1)  # the latest mark (early pickup) counts
    assert grade3.at_school == 0.75  # 30 of 40 logged minutes done at school
    c31 = next(c for c in classes if c.label == "三年级(1)班")
    assert (c31.students, c31.taking_part) == (3, 2)
