"""The homes that show the duty: each count is recomputed here from records written for the
test, and moves when a record changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.afterschool.models import AttendanceMark, Session, Signup
from qingfu.afterschool.tests.helpers import standard_program
from qingfu.conftest import World
from qingfu.homework.models import Alert, LoadException, WeeklyPlan
from qingfu.inspections.models import Notice
from qingfu.oversight.services import rollups_rebuild
from qingfu.oversight.tests.test_dashboards import _homework
from qingfu.schools.actors import actor_for
from qingfu.web import duty

TODAY = dt.date(2026, 11, 23)  # a Monday, a school day
MONDAY = TODAY


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()
    settings.QINGFU_CLOCK = "19:30"


def _now(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _counts(world: World, now: dt.datetime | None = None) -> dict[str, duty.DutyCount]:
    rows = duty.school_duty(school_id=world.a.pk, today=TODAY, now=now or _now(19, 30))
    return {row.key: row for row in rows}


def _exception(world: World, school_class, status: str) -> None:
    from qingfu.homework.models import Assignment

    LoadException.objects.create(
        school=world.a, assignment=Assignment.objects.filter(school=world.a).first(),
        school_class=school_class, date=TODAY, measured=200, limit=60, request_reason="复习",
        status=status,
    )  # fmt: skip


def _notice(world: World, deadline: dt.date, status: str = "open") -> Notice:
    from qingfu.inspections.models import ChecklistItem, Visit

    start = TODAY - dt.timedelta(days=60)
    visit = Visit.objects.create(
        school=world.a, district=world.a.district, inspector=world.users["inspector_a"],
        inspector_name="林督学", date=start, period_start=start, period_end=start,
    )  # fmt: skip
    item = ChecklistItem.objects.create(visit=visit, school=world.a, area="homework", title="作业")
    return Notice.objects.create(
        visit=visit, item=item, school=world.a, district=world.a.district, title="作业总量",
        problem="超量", requirement="按上限", deadline=deadline, status=status, issued_on=start,
        issued_at=timezone.now(),
        issued_by=world.users["inspector_a"],
    )  # fmt: skip


def test_principal_counts_come_from_the_records(world: World) -> None:
    counts = _counts(world)
    assert all(c.count == 0 for c in counts.values() if c.key != "boards"), counts
    # Grades 3 and 7 have classes and no posted board this week.
    assert counts["boards"].count == 2 and counts["boards"].tone == "bad"

    _homework(world, world.c31, TODAY, 200)  # far over grade 3's cap
    _homework(world, world.c32, TODAY, 10)
    rollups_rebuild(school_ids=[world.a.pk])
    _exception(world, world.c31, LoadException.Status.PENDING)
    _exception(world, world.c32, LoadException.Status.GRANTED)
    WeeklyPlan.objects.create(
        school=world.a, grade=world.c31.grade, week_start=MONDAY,
        status=WeeklyPlan.Status.APPROVED,
    )  # fmt: skip
    WeeklyPlan.objects.create(
        school=world.a, grade=world.c71.grade, week_start=MONDAY, status=WeeklyPlan.Status.DRAFT
    )
    # One event told to two people is one alert; a read one is dealt with.
    for key in ("head31", "leader3"):
        Alert.objects.create(
            school=world.a, recipient=world.users[key].teacher, kind="over_cap_reported",
            school_class=world.c31, date=TODAY, wording="超量",
        )  # fmt: skip
    Alert.objects.create(
        school=world.a, recipient=world.users["head31"].teacher, kind="late_finish",
        school_class=world.c31, date=TODAY, student=world.s1, wording="晚睡",
        read_at=timezone.now(),
    )  # fmt: skip
    _notice(world, TODAY - dt.timedelta(days=2))
    _notice(world, TODAY + dt.timedelta(days=9))
    _notice(world, TODAY - dt.timedelta(days=20), status="closed")

    counts = _counts(world)
    assert counts["over_cap"].count == 1 and counts["over_cap"].tone == "bad"
    assert counts["near_cap"].count == 0
    assert counts["exceptions"].count == 1
    assert counts["boards"].count == 1  # grade 7's plan is still a draft
    assert counts["alerts"].count == 1
    assert counts["notices"].count == 2 and counts["notices"].tone == "bad"
    assert "1 份已逾期" in counts["notices"].detail
    assert (TODAY + dt.timedelta(days=9)).isoformat() in counts["notices"].detail
    assert all(c.url.startswith("/") for c in counts.values())


def test_after_school_sessions_without_marks_count_once_they_have_ended(world: World) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    Signup.objects.create(  # 张小一 (3(1)) stays since September: the class's care is taken
        school=world.a, program=program, student=world.s1, weekdays=[0, 1, 2, 3, 4],
        last_segment=2, valid_from=dt.date(2026, 9, 7), consent_by=world.users["guardian1"],
    )  # fmt: skip
    segment = program.segments.order_by("order").first()
    assert segment is not None
    yesterday = Session.objects.create(
        school=world.a, program=program, date=TODAY - dt.timedelta(days=3), segment=segment,
        school_class=world.c31,
    )  # fmt: skip
    Session.objects.create(
        school=world.a, program=program, date=TODAY, segment=segment, school_class=world.c31
    )
    # Friday's session ended unmarked; today's has not ended at 15:00.
    assert _counts(world, _now(15, 0))["attendance"].count == 1
    assert _counts(world, _now(19, 30))["attendance"].count == 2
    assert yesterday.date < MONDAY
    # The list shows both, today's first, each linked to its page; today's is still to take.
    listed = duty.sessions_without_attendance(school_id=world.a.pk, today=TODAY, now=_now(15, 0))
    assert [(u.session.date, u.has_ended) for u in listed] == [
        (TODAY, False),
        (yesterday.date, True),
    ]
    assert listed[1].url == f"/afterschool/duty/?session={yesterday.pk}"
    today = Session.objects.get(date=TODAY)
    AttendanceMark.objects.create(
        school=world.a, session=today, student=world.s1, status="present",
        marked_by=world.users["head31"],
    )  # fmt: skip
    assert _counts(world, _now(19, 30))["attendance"].count == 1
    # A session nobody stays for needs no attendance (3(2) has no one signed up).
    Session.objects.create(
        school=world.a, program=program, date=TODAY - dt.timedelta(days=3), segment=segment,
        school_class=world.c32,
    )  # fmt: skip
    assert _counts(world, _now(19, 30))["attendance"].count == 1
    # A week back is no longer recent, nor is another school's session.
    yesterday.date = TODAY - dt.timedelta(days=duty.RECENT_DAYS)
    yesterday.save()
    assert _counts(world, _now(19, 30))["attendance"].count == 0
    assert not duty.sessions_without_attendance(school_id=world.b.pk, today=TODAY, now=_now(19))


def test_the_list_of_sessions_without_attendance_takes_the_same_queries_for_more_sessions(
    world: World,
) -> None:
    """The expected lists are computed for all the sessions at once: the home's queries do
    not grow with the number of missed sessions (clubs and classes alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingfu.afterschool.models import Seat
    from qingfu.afterschool.tests.helpers import add_club

    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "足球", 10)  # Tue and Thu, segment 1
    for student, guardian in ((world.s1, "guardian1"), (world.s2, "guardian2")):
        Signup.objects.create(
            school=world.a, program=program, student=student, weekdays=[0, 1, 2, 3, 4],
            last_segment=2, valid_from=dt.date(2026, 9, 7), consent_by=world.users[guardian],
        )  # fmt: skip
    Seat.objects.create(
        school=world.a, program=program, club=club, segment=club.segment, student=world.s2,
        status="enrolled", source="allocation", requested_at=timezone.now(),
    )  # fmt: skip
    segments = list(program.segments.order_by("order"))

    def missed(days: range) -> None:
        for back in days:
            day = TODAY - dt.timedelta(days=back)
            for segment in segments:
                for school_class in (world.c31, world.c32):
                    Session.objects.get_or_create(
                        school=world.a, program=program, date=day, segment=segment,
                        school_class=school_class,
                    )  # fmt: skip
            if day.weekday() in club.weekdays:
                Session.objects.get_or_create(
                    school=world.a, program=program, date=day, segment=club.segment, club=club
                )

    def listed() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            rows = duty.sessions_without_attendance(
                school_id=world.a.pk, today=TODAY, now=_now(19, 30)
            )
            assert all(u.title and u.url for u in rows)
        return len(rows), len(queries)

    missed(range(1))
    few, few_queries = listed()
    missed(range(duty.RECENT_DAYS))
    many, many_queries = listed()
    # Monday: 3(1)'s two segments, 3(2)'s second (its pupil is at no club on Monday) …
    assert few == 4
    # … the week's other school days add four each: on Tuesday and Thursday 3(2)'s first
    # segment is empty (its pupil is at football) and the club's session is listed instead;
    # the weekend's sessions expect nobody.
    assert many == 5 * few
    assert many_queries == few_queries <= 6
    # Every session the list shows can still be taken late from its link.
    from qingfu.afterschool.attendance import LATE_DAYS

    assert duty.RECENT_DAYS <= LATE_DAYS


def test_the_principal_sees_sessions_without_attendance_and_opens_one(client, world: World) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    Signup.objects.create(  # 张小一 (3(1)) stays since September: the class's care is taken
        school=world.a, program=program, student=world.s1, weekdays=[0, 1, 2, 3, 4],
        last_segment=2, valid_from=dt.date(2026, 9, 7), consent_by=world.users["guardian1"],
    )  # fmt: skip
    segment = program.segments.order_by("order").first()
    assert segment is not None
    missed = Session.objects.create(  # last Friday's
        school=world.a, program=program, date=TODAY - dt.timedelta(days=3), segment=segment,
        school_class=world.c31,
    )  # fmt: skip
    client.force_login(world.users["admin_a"])
    body = client.get("/").content.decode()
    assert 'id="unmarked-sessions"' in body and f'data-unmarked="{missed.pk}"' in body
    assert f'href="/afterschool/duty/?session={missed.pk}"' in body
    # The link opens that session for the principal (who is on no duty that day) …
    page = client.get(f"/afterschool/duty/?session={missed.pk}")
    assert page.status_code == 200
    assert f'data-session="{missed.pk}"' in page.content.decode()
    # … and the same 404 for another school's session, a missing one and a bad id.
    client.force_login(world.users["admin_b"])
    assert client.get(f"/afterschool/duty/?session={missed.pk}").status_code == 404
    assert client.get("/afterschool/duty/?session=999999").status_code == 404
    assert client.get("/afterschool/duty/?session=x").status_code == 404
    assert 'id="unmarked-sessions"' not in client.get("/").content.decode()


def test_district_and_inspector_see_each_school_and_what_is_overdue(world: World) -> None:
    _homework(world, world.c31, TODAY, 200)
    rollups_rebuild(school_ids=[world.a.pk])
    late = _notice(world, TODAY - dt.timedelta(days=4))
    _notice(world, TODAY + dt.timedelta(days=4))

    district = duty.district_duty(
        actor_for(world.users["officer_d1"]), district_id=world.d1.pk, today=TODAY
    )
    rows = {row.figures.label: row for row in district.schools}
    assert set(rows) == {"甲校", "乙校"}
    assert rows["甲校"].figures.over_planned == 1 and rows["乙校"].figures.over_planned == 0
    assert rows["甲校"].overdue_notices == 1 and rows["乙校"].overdue_notices == 0
    assert rows["甲校"].figures.url == f"/oversight/school/{world.a.pk}/"
    assert [(o.url, o.days_overdue) for o in district.overdue] == [
        (f"/inspections/notice/{late.pk}/", 4)
    ]

    inspector = duty.inspector_duty(actor_for(world.users["inspector_a"]), today=TODAY)
    assert [row.figures.label for row in inspector.schools] == ["甲校"]
    assert inspector.schools[0].figures.over_planned == 1
    assert inspector.schools[0].overdue_notices == 1
    assert [o.days_overdue for o in inspector.overdue] == [4]


def test_homes_render_the_duty(client, world: World) -> None:
    _homework(world, world.c31, TODAY, 200)
    rollups_rebuild(school_ids=[world.a.pk])
    client.force_login(world.users["admin_a"])
    body = client.get("/").content.decode()
    assert 'data-duty="over_cap"' in body and "今天超过上限的班级" in body
    client.force_login(world.users["officer_d1"])
    body = client.get("/").content.decode()
    assert f'href="/oversight/school/{world.a.pk}/">甲校</a>' in body
    client.force_login(world.users["inspector_a"])
    body = client.get("/").content.decode()
    assert f'href="/oversight/school/{world.a.pk}/">甲校</a>' in body
