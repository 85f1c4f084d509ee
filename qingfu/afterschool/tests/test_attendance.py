"""Attendance: the expected list, marks, early pickup, the lock, corrections, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.afterschool import attendance, services
from qingfu.afterschool.models import AttendanceMark, Seat, Session
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


# --- attendance taken after the session ended ------------------------------------------------


@pytest.fixture
def announced(monkeypatch) -> list[tuple[int, set]]:
    """The class-days attendance announces to the layer above (oversight's rollups)."""
    heard: list[tuple[int, set]] = []

    def announce(*, school_id: int, keys) -> None:
        heard.append((school_id, set(keys)))

    monkeypatch.setattr(attendance, "announce_class_days", announce)
    return heard


def _audited(session, action: str) -> list[tuple[int, list[int]]]:
    from qingfu.core.models import AuditEntry

    return [
        (e.user_id, sorted(e.subjects.values_list("student_id", flat=True)))
        for e in AuditEntry.objects.filter(
            object_type="after_school_attendance", object_id=str(session.pk), action=action
        )
    ]


def test_a_missed_session_is_taken_late_by_its_teacher_recorded_and_announced(
    world, setup, announced
) -> None:
    program, _club, extra = setup
    session = _basic(world, program, 1)  # Tuesday 15:40–16:40, nobody marked it
    head = actor(world.users["head31"])
    with pytest.raises(ValidationFailed) as err:  # the usual list is closed once it ended
        attendance.attendance_take(
            actor=head, session_id=session.pk, marks={extra.pk: "present"}, now=at(17, 0)
        )
    assert attendance.is_late_open(session, at(17, 0))
    result = attendance.attendance_take_late(
        actor=head, session_id=session.pk, marks={extra.pk: "absent"}, now=at(17, 0)
    )
    assert [(m.student_id, m.status, m.is_late) for m in result.taken] == [
        (extra.pk, "absent", True)
    ]
    assert result.corrected == []
    mark = attendance.current_marks(session)[extra.pk]
    assert (mark.marked_by_id, mark.is_late, mark.correction_id) == (head.user_id, True, None)
    assert mark.marked_at is not None  # when: the moment it was recorded
    assert _audited(session, "create") == [(head.user_id, [extra.pk])]
    assert announced == [(world.a.pk, {(world.c31.pk, TUESDAY)})]
    # The teacher cannot change the mark now: that is a correction request, decided by the
    # admin. Nothing is written.
    with pytest.raises(ValidationFailed) as err:
        attendance.attendance_take_late(
            actor=head, session_id=session.pk, marks={extra.pk: "present"}, now=at(17, 5)
        )
    assert "更正申请" in err.value.errors["student"][0]
    assert AttendanceMark.objects.filter(session=session).count() == 1
    # The same status again is no change.
    with pytest.raises(ValidationFailed):
        attendance.attendance_take_late(
            actor=head, session_id=session.pk, marks={extra.pk: "absent"}, now=at(17, 5)
        )
    assert len(announced) == 1 and len(_audited(session, "create")) == 1


def test_the_admin_corrects_a_late_list_directly_with_a_reason(world, setup, announced) -> None:
    from qingfu.afterschool.models import AttendanceCorrection

    program, _club, extra = setup
    session = _basic(world, program, 1)
    head = actor(world.users["head31"])
    attendance.attendance_take(
        actor=head, session_id=session.pk, marks={extra.pk: "absent"}, now=at(15, 50)
    )
    admin = actor(world.users["admin_a"])
    later = at(9, 0) + dt.timedelta(days=2)  # Thursday morning
    with pytest.raises(ValidationFailed) as err:
        attendance.attendance_take_late(
            actor=admin, session_id=session.pk, marks={extra.pk: "leave"}, now=later
        )
    assert "理由" in err.value.errors["reason"][0]
    assert AttendanceMark.objects.filter(session=session).count() == 1
    result = attendance.attendance_take_late(
        actor=admin, session_id=session.pk, marks={extra.pk: "leave"},
        reason="家长已电话请假", now=later,
    )  # fmt: skip
    assert result.taken == [] and [m.status for m in result.corrected] == ["leave"]
    correction = AttendanceCorrection.objects.get(session=session)
    assert (correction.decision, correction.requested_by_id, correction.decided_by_id) == (
        "approved", admin.user_id, admin.user_id
    )  # fmt: skip
    assert correction.reason == "家长已电话请假"
    mark = attendance.current_marks(session)[extra.pk]
    assert (mark.status, mark.correction_id, mark.marked_by_id) == (
        "leave", correction.pk, admin.user_id
    )  # fmt: skip
    assert list(
        AttendanceMark.objects.filter(session=session).values_list("status", flat=True)
    ) == ["absent", "leave"]  # the history is kept
    assert _audited(session, "update") == [(admin.user_id, [extra.pk])]
    assert announced[-1] == (world.a.pk, {(world.c31.pk, TUESDAY)})


def test_late_attendance_is_limited_to_the_last_days(world, setup) -> None:
    from qingfu.core.models import AuditEntry

    program, _club, extra = setup
    session = _basic(world, program, 1)
    head = actor(world.users["head31"])
    assert attendance.late_until(session) == TUESDAY + dt.timedelta(days=attendance.LATE_DAYS - 1)
    # Before it ends there is nothing late to take.
    with pytest.raises(ValidationFailed) as err:
        attendance.attendance_take_late(
            actor=head, session_id=session.pk, marks={extra.pk: "present"}, now=at(16, 0)
        )
    assert "尚未结束" in err.value.errors["__all__"][0]
    # A week later it is too old: a clear answer, and nothing is written.
    too_late = at(8, 0) + dt.timedelta(days=attendance.LATE_DAYS)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as err:
        attendance.attendance_take_late(
            actor=actor(world.users["admin_a"]), session_id=session.pk,
            marks={extra.pk: "present"}, now=too_late,
        )  # fmt: skip
    assert "超过 7 天" in err.value.errors["__all__"][0]
    assert not AttendanceMark.objects.exists() and AuditEntry.objects.count() == audit_before
    assert not attendance.is_late_open(session, too_late)
    # The last day of the window still takes it; a teacher on no duty there is told "not found".
    last_day = at(20, 0) + dt.timedelta(days=attendance.LATE_DAYS - 1)
    with pytest.raises(NotFound):
        attendance.attendance_take_late(
            actor=actor(world.users["teacher7"]), session_id=session.pk,
            marks={extra.pk: "present"}, now=last_day,
        )  # fmt: skip
    attendance.attendance_take_late(
        actor=head, session_id=session.pk, marks={extra.pk: "present"}, now=last_day
    )
    assert attendance.current_marks(session)[extra.pk].status == "present"


def test_expected_for_many_sessions_agrees_with_one_at_a_time(world, setup) -> None:
    program, club, _extra = setup
    club.instructor_teacher = world.users["math3"].teacher
    club.save()
    sessions = []
    for day in (TUESDAY, TUESDAY + dt.timedelta(days=1)):
        sessions += attendance.duty_sessions(actor(world.users["head31"]), day)
        sessions += attendance.duty_sessions(actor(world.users["math3"]), day)
    sessions.append(  # 3(2)'s basic care: nobody there signed up
        Session.objects.create(
            school=world.a, program=program, date=TUESDAY, segment=sessions[0].segment,
            school_class=world.c32,
        )
    )  # fmt: skip
    many = attendance.expected_ids(sessions)
    assert {s.pk: {st.pk for st in attendance.expected(s)} for s in sessions} == many
    assert any(many.values()) and not all(many.values())


def test_the_session_page_takes_a_missed_list_late(client, settings, world, setup) -> None:
    """From the principal's home link: the ended session offers the late list (not only a
    correction request); saving it records the marks, shown with who took them late."""
    program, _club, extra = setup
    session = _basic(world, program, 1)
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = "2026-09-10", "09:00"  # Thursday after
    url = f"/afterschool/duty/?session={session.pk}"
    client.force_login(world.users["head31"])
    page = client.get(url).content.decode()
    assert "data-late-form" in page and "补录截止" in page
    answer = client.post(
        url, {"action": "late", "session_id": str(session.pk), f"s-{extra.pk}": "absent"}
    )
    assert answer.status_code == 302
    mark = attendance.current_marks(session)[extra.pk]
    assert (mark.status, mark.is_late, mark.marked_by_id) == (
        "absent", True, world.users["head31"].pk
    )  # fmt: skip
    page = client.get(answer["Location"]).content.decode()
    assert "已补录 1 名学生的考勤。" in page and "补录" in page and "data-mark-note" in page
    # A week on, the list is closed: the page offers no late list, and a post changes nothing.
    settings.QINGFU_TODAY = "2026-09-15"
    client.force_login(world.users["admin_a"])
    assert "data-late-form" not in client.get(url).content.decode()
    refused = client.post(
        url, {"action": "late", "session_id": str(session.pk), f"s-{extra.pk}": "present"}
    )
    assert refused.status_code == 422 and "超过 7 天" in refused.content.decode()
    assert AttendanceMark.objects.filter(session=session).count() == 1
