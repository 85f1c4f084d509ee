"""Family time logs: prefilled form, bad input, late finishing, alerts, sampling, estimate."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import translation

from qingfu.conftest import World, committed
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework import cache, logs
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import Alert, ClassLogging, TimeLog
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject
from qingfu.schools.tests import factories as f

SH = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def monday_evening(settings):  # type: ignore[no-untyped-def]
    """The family logs on the evening of MONDAY: a log of that day or an earlier one is
    for a day that has come (at a real instant before it, the form rightly refuses)."""
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = MONDAY.isoformat(), "21:30"


EVENING = dt.datetime(2026, 11, 23, 22, 30, tzinfo=SH)


def _publish(
    world: World, day: dt.date, minutes: int = 30, code: str = "math", user: str = "math3"
) -> Subject:
    subject = Subject.objects.get(school=world.a, code=code)
    item = ItemDraft(content="练习册", kind="written", tier="basic", minutes=minutes, place="home")
    homework_publish(
        actor=actor_for(world.users[user]),
        draft=HomeworkDraft(subject.pk, (world.c31.pk,), day, day, (item,)),
    )
    return subject


def _submit(
    world: World,
    day: dt.date,
    minutes: int,
    finished: dt.time,
    subject: Subject,
    who: str = "guardian1",
) -> TimeLog:
    with committed():
        return logs.timelog_submit(
            actor=actor_for(world.users[who]), student_id=world.s1.pk, day=day, minutes={subject.pk: minutes},
            finished_at=finished, could_not_finish=False, reason="", now=dt.datetime.combine(day, dt.time(23, 0), SH),
        )  # fmt: skip


def test_form_is_prefilled_from_the_days_homework(world: World) -> None:
    _publish(world, MONDAY, 30)
    form = logs.log_form(actor_for(world.users["guardian1"]), world.s1.pk, MONDAY)
    assert [(line.subject, line.estimated) for line in form.lines] == [("数学", 30)]
    with pytest.raises(NotFound):
        logs.log_form(actor_for(world.users["guardian2"]), world.s1.pk, MONDAY)


def test_submit_update_and_late_flag(world: World) -> None:
    math = _publish(world, MONDAY)
    log = _submit(world, MONDAY, 35, dt.time(21, 0), math)
    assert not log.is_late and log.entries.get().estimated_minutes == 30
    log = _submit(world, MONDAY, 50, dt.time(21, 45), math)  # corrected later the same night
    assert log.is_late and TimeLog.objects.count() == 1 and log.entries.get().minutes == 50


def test_a_correction_replaces_the_evenings_entries(world: World) -> None:
    """The first log of the evening is inserted whole (one statement on PostgreSQL); a
    correction with other subjects leaves exactly its own entries."""
    math = _publish(world, MONDAY, 30)
    chinese = _publish(world, MONDAY, 20, code="chinese", user="head31")

    def submit(minutes: dict[int, int], at_school: set[int]) -> TimeLog:
        with committed():
            return logs.timelog_submit(
                actor=actor_for(world.users["guardian1"]), student_id=world.s1.pk, day=MONDAY,
                minutes=minutes, finished_at=dt.time(20, 0), could_not_finish=False, reason="",
                now=EVENING, at_school=at_school,
            )  # fmt: skip

    def entries(log: TimeLog) -> set[tuple[int, int, int, bool]]:
        return set(
            log.entries.values_list("subject_id", "minutes", "estimated_minutes", "at_school")
        )

    first = submit({math.pk: 35, chinese.pk: 25}, {chinese.pk})
    assert entries(first) == {(math.pk, 35, 30, False), (chinese.pk, 25, 20, True)}
    second = submit({math.pk: 40}, set())
    assert second.pk == first.pk and TimeLog.objects.count() == 1
    assert entries(second) == {(math.pk, 40, 30, False)}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 400}, "minutes"),
        ({"finished_at": dt.time(23, 30)}, "finished_at"),  # after "now" (23:00) on the day
        ({"day": MONDAY + dt.timedelta(days=1)}, "date"),
        ({"finished_at": None}, "finished_at"),
    ],
)
def test_bad_input_saves_nothing(world: World, change: dict[str, object], field: str) -> None:
    math = _publish(world, MONDAY)
    _publish(world, MONDAY + dt.timedelta(days=1))
    values: dict[str, object] = {"day": MONDAY, "minutes": 30, "finished_at": dt.time(21, 0)}
    values.update(change)
    with pytest.raises(ValidationFailed) as caught:
        logs.timelog_submit(
            actor=actor_for(world.users["guardian1"]), student_id=world.s1.pk, day=values["day"],  # type: ignore[arg-type]
            minutes={math.pk: values["minutes"]}, finished_at=values["finished_at"],  # type: ignore[dict-item,arg-type]
            could_not_finish=False, reason="", now=dt.datetime.combine(MONDAY, dt.time(23, 0), SH),
        )  # fmt: skip
    assert any(k.startswith(field) for k in caught.value.errors)
    assert not TimeLog.objects.exists()


def test_three_late_evenings_alert_the_head_teacher(world: World) -> None:
    for offset in range(3):
        day = MONDAY + dt.timedelta(days=offset)
        math = _publish(world, day)
        _submit(world, day, 40, dt.time(22, 10), math)
    alert = Alert.objects.get(kind="late_finish")
    assert alert.recipient.user == world.users["head31"] and "11月23日起的一周有 3 天" in alert.text
    assert world.client("head31").get("/homework/alerts/").status_code == 200
    with translation.override("en"):
        assert alert.text.endswith("after bedtime on 3 days in the week of November 23.")
        alert.wording["a"]["days"]["n"] = 1
        assert alert.text.endswith("after bedtime on 1 day in the week of November 23.")


def test_reported_time_over_the_cap_alerts(world: World) -> None:
    math = _publish(world, MONDAY, 50)
    classmates = [f.StudentFactory(school_class=world.c31) for _ in range(3)]
    for student in classmates:
        guardian = f.GuardianFactory(school=world.a, user=f.UserFactory())
        f.link(guardian, student)
        with committed():
            logs.timelog_submit(
                actor=actor_for(guardian.user), student_id=student.pk, day=MONDAY, minutes={math.pk: 80},
                finished_at=dt.time(21, 0), could_not_finish=False, reason="", now=EVENING,
            )  # fmt: skip
    estimate = logs.class_day_estimate(world.c31, MONDAY)
    assert estimate is not None and estimate.reports == 3 and estimate.minutes == pytest.approx(80)
    assert Alert.objects.filter(kind="over_cap_reported").count() == 1


def test_sample_panel_rotates(world: World) -> None:
    students = [f.StudentFactory(school_class=world.c31, gender="MF"[i % 2]) for i in range(19)]
    ClassLogging.objects.create(
        school=world.a, school_class=world.c31, mode="sample", per_day=4, min_gap_days=5
    )
    days = [MONDAY + dt.timedelta(days=i) for i in range(5)]
    panels = [logs.panel(world.c31, d) for d in days]
    assert all(p is not None and len(p) == 4 for p in panels)
    asked = [s for p in panels for s in p]  # type: ignore[union-attr]
    assert len(asked) == len(set(asked)) == 20  # 5 days × 4, nobody twice within the gap
    assert {s.pk for s in students} | {world.s1.pk} == set(asked)
    assert logs.panel(world.c31, dt.date(2026, 11, 28)) == set()  # Saturday: nobody asked


@pytest.mark.usefixtures("monday_evening")
def test_guardian_logs_through_the_pages(world: World) -> None:
    friday = dt.date(2026, 11, 20)
    math = _publish(world, friday)
    client = world.client("guardian1")
    url = f"/homework/log/{world.s1.pk}/{friday.isoformat()}/"
    page = client.get(url).content.decode()
    assert 'value="30"' in page  # prefilled from the teacher's estimate
    response = client.post(url, {f"m-{math.pk}": "30", "finished_at": "20:40"})
    assert response.status_code == 302 and TimeLog.objects.get().finished_at == dt.time(20, 40)
    bad = client.post(url, {f"m-{math.pk}": "abc", "finished_at": "20:40"})
    assert bad.status_code == 422 and f'data-field="minutes.{math.pk}"' in bad.content.decode()
    assert world.client("guardian2").get(url).status_code == 404


@pytest.mark.usefixtures("monday_evening")
def test_a_warm_log_post_reads_nothing_but_the_session(
    world: World, shared_reads: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    """Signed in, with the form shown before, the POST reads no user, role, student or
    class-day from the database: the session (from Redis in production), then the write."""
    with committed():
        math = _publish(world, MONDAY)
        client = world.client("guardian1")  # signing in saves the user
    url = f"/homework/log/{world.s1.pk}/{MONDAY.isoformat()}/"
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6) as queries:  # type: ignore[attr-defined]
        response = client.post(url, {f"m-{math.pk}": "35", "finished_at": "20:40"})
    assert response.status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("django_session" in q for q in sql) == 1
    assert not any(
        table in q
        for q in sql
        for table in ("auth_user", "schools_rolegrant", "schools_student", "homework_item")
    ), sql
    assert TimeLog.objects.get().entries.get().minutes == 35


def test_one_request_reads_the_versions_once_and_sees_its_own_commits(
    world: World, shared_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a request every cached read shares the version numbers (one round trip to
    the shared cache), and a publish the request commits is seen by its later reads."""
    from django.core.cache import caches

    from qingfu.core.reads import ReadsMiddleware

    user = world.users["math3"]
    logs.class_day_for(world.c31, MONDAY)  # built and kept
    trips = []
    real = caches["default"].get_many
    monkeypatch.setattr(
        caches["default"], "get_many", lambda keys: trips.append(keys) or real(keys)
    )

    def view(request: object) -> tuple[list[str], list[str]]:
        actor_for(user)
        before = logs.class_day_for(world.c31, MONDAY)
        with committed():
            _publish(world, MONDAY, 25)
        after = logs.class_day_for(world.c31, MONDAY)
        return [line.subject for line in before.lines], [line.subject for line in after.lines]

    assert ReadsMiddleware(view)(object()) == ([], ["数学"])
    school = [
        f"reads:v:{scope}:{world.a.pk}"
        for scope in ("roster", "calendar", "homework", "calibration")
    ]
    assert trips == [  # the roles; the school's; the one the publish moved, again
        [f"reads:v:user:{user.pk}", "reads:v:policy"],
        school,
        [f"reads:v:homework:{world.a.pk}"],
    ]
    trips.clear()  # the user's next request fetches the school's with the roles
    assert ReadsMiddleware(view)(object()) == (["数学"], ["数学"])
    assert len(trips) == 2 and set(school) < set(trips[0])


def test_calibration_feeds_expected_actual_and_warns_the_leader(world: World) -> None:
    from django.core.cache import cache

    from qingfu.homework.selectors import calibration_hints, draft_check

    # Six evenings where maths estimated 20 minutes and families reported 30.
    for offset in range(6):
        day = dt.date(2026, 11, 9) + dt.timedelta(days=offset if offset < 5 else 7)
        math = _publish(world, day, 20)
        _submit(world, day, 30, dt.time(20, 0), math)
    cache.clear()
    math3 = actor_for(world.users["math3"])
    [hint] = calibration_hints(math3, math)
    assert hint.observations == 6 and 1.2 < hint.ratio < 1.5 and hint.twenty_takes >= 24
    item = ItemDraft(content="练习", kind="written", tier="basic", minutes=50, place="home")
    draft = HomeworkDraft(math.pk, (world.c31.pk,), MONDAY, MONDAY, (item,))
    [check] = draft_check(math3, draft)
    assert (
        check.minutes_after == 50
        and check.expected_actual is not None
        and check.expected_actual > 60
    )
    homework_publish(actor=math3, draft=draft)  # within the cap on paper: published
    alert = Alert.objects.get(kind="over_cap_expected")
    assert alert.recipient.user == world.users["leader3"] and "校准" in alert.text


def test_the_evening_check_of_a_planned_day_alerts_the_leader(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    """``qingfu expected_alerts`` re-checks a planned day by what families now report."""
    from django.core.management import CommandError, call_command

    math = _publish(world, MONDAY, 50)  # within the cap on paper, and no logs yet
    call_command("expected_alerts", "--date", MONDAY.isoformat())
    assert "0 个班级" in capsys.readouterr().out and not Alert.objects.exists()
    for offset in range(6):  # then families report 20-minute sheets taking 30 minutes
        day = dt.date(2026, 11, 9) + dt.timedelta(days=offset if offset < 5 else 7)
        _publish(world, day, 20)
        _submit(world, day, 30, dt.time(20, 0), math)
    call_command("expected_alerts", "--date", MONDAY.isoformat())
    assert "1 个班级" in capsys.readouterr().out
    alert = Alert.objects.get(kind="over_cap_expected")
    assert alert.recipient.user == world.users["leader3"] and "按计划 50 分钟" in alert.text
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("expected_alerts", "--date", "2026-13-01")
    from qingfu.homework.tasks import expected_alerts

    assert expected_alerts(MONDAY.isoformat()) == 1  # the scheduled task: the same check
    assert Alert.objects.filter(kind="over_cap_expected").count() == 1


@pytest.mark.clock
def test_head_teacher_sets_the_logging_mode(world: World) -> None:
    for _ in range(10):
        f.StudentFactory(school_class=world.c31)
    client = world.client("head31")
    url = f"/homework/logging/{world.c31.pk}/"
    assert (
        client.post(url, {"mode": "sample", "per_day": "3", "min_gap_days": "3"}).status_code == 302
    )
    assert ClassLogging.objects.get(school_class=world.c31).per_day == 3
    bad = client.post(url, {"mode": "sample", "per_day": "5", "min_gap_days": "5"})
    assert bad.status_code == 422 and 'data-field="min_gap_days"' in bad.content.decode()
    assert (
        client.post(url, {"mode": "everyone", "per_day": "3", "min_gap_days": "3"}).status_code
        == 302
    )
    assert logs.panel(world.c31, MONDAY) is None
    assert world.client("math3").get(url).status_code == 404


def test_running_calibration_totals_equal_a_rebuild(world: World) -> None:
    """Totals kept class-day by class-day (after each log, a correction, and a publish
    that changes who owns a subject's minutes) equal totals rebuilt from the records."""
    from qingfu.homework.models import CalibrationStat
    from qingfu.oversight.services import rollups_rebuild

    def snapshot() -> set[tuple[object, ...]]:
        return set(
            CalibrationStat.objects.filter(observations__gt=0).values_list(
                "teacher_id",
                "subject_code",
                "kind",
                "estimated_total",
                "reported_total",
                "observations",
            )
        )

    for offset in range(3):
        day = dt.date(2026, 11, 16) + dt.timedelta(days=offset)
        math = _publish(world, day, 20)
        _submit(world, day, 25 + offset, dt.time(20, 0), math)
    _submit(world, dt.date(2026, 11, 16), 40, dt.time(20, 0), math)  # a correction
    maintained = snapshot()
    assert {(s, k, est, rep, n) for _, s, k, est, rep, n in maintained} == {
        ("math", "written", 60.0, 40.0 + 26 + 27, 3)
    }
    with committed():  # a bigger oral item now owns Tuesday's math minutes
        item = ItemDraft(content="背诵", kind="oral", tier="basic", minutes=25, place="home")
        homework_publish(
            actor=actor_for(world.users["math3"]),
            draft=HomeworkDraft(math.pk, (world.c31.pk,), dt.date(2026, 11, 17), dt.date(2026, 11, 17), (item,)),
        )  # fmt: skip
        _submit(world, dt.date(2026, 11, 17), 50, dt.time(20, 0), math)
    maintained = snapshot()
    assert {(k, n) for _, _, k, _, _, n in maintained} == {("written", 2), ("oral", 1)}
    rollups_rebuild(school_ids=[world.a.pk])
    assert snapshot() == maintained


@pytest.mark.usefixtures("monday_evening")
def test_homework_done_at_school_is_recorded_and_summed_by_grade(world: World) -> None:
    from qingfu.homework.selectors import at_school_minutes

    friday = dt.date(2026, 11, 20)
    math = _publish(world, friday, 30)
    chinese = _publish(world, friday, 20, code="chinese", user="head31")
    client = world.client("guardian1")
    url = f"/homework/log/{world.s1.pk}/{friday.isoformat()}/"
    posted = {f"m-{math.pk}": "30", f"m-{chinese.pk}": "20", f"a-{math.pk}": "on"}
    forged = client.post(url, posted | {"m-99999": "10", "finished_at": "19:40"})
    assert forged.status_code == 422 and not TimeLog.objects.exists()  # not set that day
    response = client.post(url, posted | {"finished_at": "19:40"})
    assert response.status_code == 302
    entries = {e.subject_id: e.at_school for e in TimeLog.objects.get().entries.all()}
    assert entries == {math.pk: True, chinese.pk: False}
    assert f'name="a-{math.pk}" checked' in client.get(url).content.decode()
    assert at_school_minutes(world.a.pk, friday, friday) == {3: (30, 50)}
    with pytest.raises(ValidationFailed) as caught:  # a subject not logged that evening
        logs.timelog_submit(
            actor=actor_for(world.users["guardian1"]), student_id=world.s1.pk, day=friday,
            minutes={math.pk: 30}, finished_at=dt.time(19, 40), could_not_finish=False,
            reason="", now=EVENING, at_school={chinese.pk},
        )  # fmt: skip
    assert f"at_school.{chinese.pk}" in caught.value.errors


def test_estimate_with_paces_is_the_observed_mean_when_everyone_logged(world: World) -> None:
    classmates = [f.StudentFactory(school_class=world.c31) for _ in range(3)]
    guardians = []
    for student in classmates:
        guardian = f.GuardianFactory(school=world.a, user=f.UserFactory())
        f.link(guardian, student)
        guardians.append((actor_for(guardian.user), student.pk))
    guardians.append((actor_for(world.users["guardian1"]), world.s1.pk))
    days = [MONDAY - dt.timedelta(days=7 - i) for i in range(5)] + [MONDAY]
    math = None
    for number, day in enumerate(days):
        math = _publish(world, day, 40)
        # Earlier evenings: two or three families a night, each at their own pace.
        who = guardians if day == MONDAY else guardians[number % 2 :: 2] + guardians[:1]
        for index, (actor, student_id) in enumerate(who):
            logs.timelog_submit(
                actor=actor, student_id=student_id, day=day, minutes={math.pk: 30 + 10 * index + number},
                finished_at=dt.time(20, 0), could_not_finish=False, reason="",
                now=dt.datetime.combine(day, dt.time(23, 0), SH),
            )  # fmt: skip
    estimate = logs.class_day_estimate(world.c31, MONDAY)
    assert estimate is not None and estimate.is_exact
    assert estimate.minutes == estimate.low == estimate.high == pytest.approx(45 + 5)
    TimeLog.objects.filter(student=world.s1, date=MONDAY).delete()
    partial = logs.class_day_estimate(world.c31, MONDAY)
    assert partial is not None and partial.reports == 3
    assert partial.low < partial.minutes < partial.high < partial.minutes + 40


@pytest.mark.django_db(transaction=True)
def test_two_guardians_at_once_leave_one_log_and_exact_totals(world: World) -> None:
    """Both guardians of a child submit the same evening at the same moment: one log, with
    one guardian's entries (never a mix), calibration totals equal to a rebuild, and the
    class-day rollup equal to one rebuilt from the records."""
    import threading

    from qingfu.homework.models import CalibrationStat
    from qingfu.oversight.models import ClassDayRollup
    from qingfu.oversight.services import rollups_rebuild

    math = _publish(world, MONDAY, 30)
    second = f.GuardianFactory(school=world.a, user=f.UserFactory())
    f.link(second, world.s1)

    def submit(user: object, minutes: int, barrier: threading.Barrier) -> None:
        try:
            actor = actor_for(user)  # type: ignore[arg-type]
            barrier.wait(timeout=10)
            logs.timelog_submit(
                actor=actor, student_id=world.s1.pk, day=MONDAY, minutes={math.pk: minutes},
                finished_at=dt.time(20, 0), could_not_finish=False, reason="", now=EVENING,
            )  # fmt: skip
        finally:
            connection.close()

    def totals() -> set[tuple[object, ...]]:
        return set(
            CalibrationStat.objects.filter(observations__gt=0).values_list(
                "teacher_id", "subject_code", "kind", "estimated_total", "reported_total",
                "observations",
            )
        )  # fmt: skip

    def rollups() -> list[tuple[object, ...]]:
        return list(
            ClassDayRollup.objects.order_by("school_class_id", "date").values_list(
                "school_class_id", "date", "reported_minutes", "reported_low", "reported_high"
            )
        )

    for _ in range(3):
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=submit, args=(user, minutes, barrier))
            for user, minutes in ((world.users["guardian1"], 35), (second.user, 50))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        [log] = TimeLog.objects.filter(student=world.s1, date=MONDAY)
        assert [e.minutes for e in log.entries.all()] in ([35], [50])
        maintained, maintained_rollups = totals(), rollups()
        assert [n for *_, n in maintained] == [1]
        rollups_rebuild(school_ids=[world.a.pk])  # calibration totals too
        assert totals() == maintained and rollups() == maintained_rollups


def test_a_log_write_is_a_few_statements_and_the_rest_follows_on_commit(
    world: World, django_assert_max_num_queries: object, shared_reads: None
) -> None:
    """Cold, a write reads the student, the class-day (logging mode, semester, calendar,
    items, students) and the policy. Once the form was shown, it only saves the log and
    its entries: one statement on PostgreSQL, three in a savepoint on SQLite. The
    class-day's rollup, calibration totals and alerts follow on commit."""
    from qingfu.homework.models import CalibrationShare
    from qingfu.oversight.models import ClassDayRollup

    with committed():
        math = _publish(world, MONDAY, 30)
        guardian = f.GuardianFactory(school=world.a, user=f.UserFactory())
        classmate = f.StudentFactory(school_class=world.c31)
        f.link(guardian, classmate)
    first, second = actor_for(world.users["guardian1"]), actor_for(guardian.user)
    warm = 1 if connection.vendor == "postgresql" else 5
    for who, student, bound in ((first, world.s1.pk, 13), (second, classmate.pk, warm)):
        if who is second:
            logs.log_form(who, student, MONDAY)  # showing the form warms the cache
        with committed():
            with django_assert_max_num_queries(bound):  # type: ignore[operator]
                logs.timelog_submit(
                    actor=who, student_id=student, day=MONDAY, minutes={math.pk: 35},
                    finished_at=dt.time(20, 0), could_not_finish=False, reason="", now=EVENING,
                )  # fmt: skip
            assert not CalibrationShare.objects.filter(observations=2).exists()  # not yet
    assert CalibrationShare.objects.get().observations == 2
    assert ClassDayRollup.objects.get(date=MONDAY).logs == 2


def test_cached_class_day_follows_every_change(
    world: World, shared_reads: None, django_assert_num_queries: object
) -> None:
    """The class-day is read from the cache until something it is built from changes:
    publishing, the logging mode, the calendar, the roster (saved or imported), the policy;
    a change in another school leaves it cached."""
    from qingfu.core.audit import audit_change
    from qingfu.core.models import AuditEntry
    from qingfu.schools.models import CalendarException, PolicyOverride, Semester

    with committed():
        _publish(world, MONDAY, 30)
    first = logs.class_day_for(world.c31, MONDAY)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert logs.class_day_for(world.c31, MONDAY) == first
    assert [line.subject for line in first.lines] == ["数学"]
    with committed():
        ClassLogging.objects.create(
            school=world.b, school_class=world.b31, mode="sample", per_day=1, min_gap_days=1
        )
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert logs.class_day_for(world.c31, MONDAY) == first  # another school's change

    with committed():
        _publish(world, MONDAY, 20, code="chinese", user="head31")
    assert {line.subject for line in logs.class_day_for(world.c31, MONDAY).lines} == {
        "数学",
        "语文",
    }

    assert logs.class_day_for(world.c31, MONDAY).asked is None
    with committed():
        ClassLogging.objects.create(
            school=world.a, school_class=world.c31, mode="sample", per_day=1, min_gap_days=1
        )
    assert logs.class_day_for(world.c31, MONDAY).asked is not None

    with committed():
        student = f.StudentFactory(school_class=world.c31)
    assert student.pk in logs.class_day_for(world.c31, MONDAY).students
    student.is_active = False
    with committed():
        student.save()
    assert student.pk not in logs.class_day_for(world.c31, MONDAY).students

    before = logs.class_day_for(world.c31, MONDAY)
    with committed():
        audit_change(
            actor_for(world.users["head31"]), "roster", [], school_id=world.a.pk,
            action=AuditEntry.Action.IMPORT,
        )  # fmt: skip  # a roster import writes students in bulk, then this entry
    with django_assert_num_queries(5):  # type: ignore[operator]
        assert logs.class_day_for(world.c31, MONDAY) == before

    semester = Semester.objects.get(school=world.a, start__lte=MONDAY, end__gte=MONDAY)
    with committed():
        CalendarException.objects.create(
            school=world.a, semester=semester, date=MONDAY,
            kind=CalendarException.Kind.CLOSURE, note="停课",
        )  # fmt: skip
    assert logs.class_day_for(world.c31, MONDAY).day_kind is not before.day_kind

    profile = cache.school_profile(world.a)
    assert cache.school_profile(world.a) is profile
    with committed():
        PolicyOverride.objects.create(
            level=PolicyOverride.Level.SCHOOL, school=world.a, thresholds={}
        )
    assert cache.school_profile(world.a) is not profile


def test_a_stored_alert_is_shown_in_the_readers_language(world: World) -> None:
    """An alert is stored as its message id and values, whoever's language wrote it, and
    shown in the reader's: class, date and message."""
    from django.utils import translation

    from qingfu.homework.models import Alert

    subject = _publish(world, MONDAY, 30)
    extra = [f.StudentFactory(school_class=world.c31) for _ in range(3)]
    with translation.override("en"), committed():
        for student in [world.s1, *extra]:
            guardian = f.GuardianFactory(school=world.a, user=f.UserFactory())
            if student != world.s1:
                f.link(guardian, student)
            logs.timelog_submit(
                actor=actor_for(world.users["guardian1"] if student == world.s1 else guardian.user),
                student_id=student.pk, day=MONDAY, minutes={subject.pk: 95},
                finished_at=dt.time(20, 0), could_not_finish=False, reason="", now=EVENING,
            )  # fmt: skip
    alert = Alert.objects.get(kind=Alert.Kind.OVER_CAP_REPORTED)
    assert "Grade" not in str(alert.wording) and "{class}" in alert.wording["m"]
    with translation.override("zh-hans"):
        assert alert.text.startswith("三年级(1)班 11月23日 家长报告的作业用时约 95 分钟")
    with translation.override("en"):
        assert alert.text.startswith("Grade 3 (1), November 23: families report about 95 min")
    page = world.client("head31").get("/homework/alerts/").content.decode()
    assert "三年级(1)班 11月23日 家长报告的作业用时约 95 分钟" in page


def test_the_fast_log_write_sets_every_column_of_the_log_and_its_entries(world: World) -> None:
    """The log write is hand-written SQL (one statement on PostgreSQL, three on SQLite):
    every concrete column of the time log and of its entries must be in its INSERTs, so a
    field added to either model cannot be silently left out."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingfu.homework.logs import submit, write
    from qingfu.homework.models import TimeLogEntry

    math = _publish(world, MONDAY, 30)
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(submit, "log_insert", wraps=write.log_insert) as first_log,
    ):
        _submit(world, MONDAY, 35, dt.time(21, 0), math)
        calls = first_log.call_args_list
    # PostgreSQL's one statement, built from the same call whatever the database under test
    # (on SQLite it is not run, so it is checked here rather than only in the PostgreSQL leg).
    [call] = calls
    student_id, day, values, _entries, _mark = call.args
    pg = write._log_insert_sql(tuple(write._log_row(student_id, day, values, call.kwargs["now"])))
    statements = [query["sql"] for query in queries.captured_queries]
    for name, sql in (("sqlite or postgresql", "\n".join(statements)), ("postgresql", pg)):
        inserted = _inserted_columns(sql)
        for model in (TimeLog, TimeLogEntry):
            concrete = {f.column for f in model._meta.concrete_fields if not f.primary_key}
            missing = concrete - inserted.get(model._meta.db_table, set())
            assert not missing, (name, model.__name__, missing)


def test_the_fast_log_write_refuses_a_row_that_does_not_match_the_models() -> None:
    """The statements' columns come from the models: a write with no value for one of
    their fields, or a value for a field they lack, is refused rather than written short."""
    from qingfu.homework.logs import write

    values = {
        "school_id": 1, "school_class_id": 1, "finished_at": dt.time(20, 0),
        "could_not_finish": False, "reason": "", "is_late": False, "was_sampled": True,
        "logged_by_id": None,
    }  # fmt: skip
    row = write._log_row(1, MONDAY, values, EVENING)
    assert set(row) == {f.column for f in TimeLog._meta.concrete_fields if not f.primary_key}
    short = {k: v for k, v in values.items() if k != "is_late"}
    with pytest.raises(ValueError, match="is_late"):
        write._log_row(1, MONDAY, short, EVENING)
    with pytest.raises(ValueError, match="colour"):
        write._log_row(1, MONDAY, {**values, "colour": "red"}, EVENING)
    assert write._entry_rows([(1, 30, 25, False)]) == [(1, 30, 25, False)]
    with pytest.raises(ValueError, match="one value per field"):
        write._entry_rows([(1, 30, 25)])  # type: ignore[list-item]


def _inserted_columns(sql: str) -> dict[str, set[str]]:
    import re

    inserted: dict[str, set[str]] = {}
    for table, columns in re.findall(r'INSERT INTO "?(\w+)"? \(([^)]*)\)', sql):
        inserted.setdefault(table, set()).update(c.strip().strip('"') for c in columns.split(","))
    return inserted


def test_alerts_stored_before_their_wording_read_in_either_language(world: World) -> None:
    """The migration to wording: an alert kept as a message id and values reads as it did
    in Chinese and in English with its count agreeing; one kept as words stays readable."""
    import importlib

    from qingfu.homework.models import Alert

    migration = importlib.import_module("qingfu.homework.migrations.0012_alert_wording")
    late = migration.wording_of(
        "%(student)s 在 %(date)s起的一周有 %(n)d 天晚于就寝时间完成作业。",
        {"student": "张小一", "date": "2026-11-23", "grade": None, "number": None, "n": 1},
    )
    over = migration.wording_of(
        "%(class)s %(date)s 家长报告的作业用时约 %(minutes)d 分钟"
        "（90%% 区间 %(low)d–%(high)d），超过 %(cap)d 分钟上限。",
        {"date": "2026-11-23", "grade": 3, "number": 1, "minutes": 95, "low": 80, "high": 110,
         "cap": 60},
    )  # fmt: skip
    kept = migration.wording_of("张小一 本周多次晚于就寝时间完成作业", {})
    alerts = [Alert(wording=w) for w in (late, over, kept)]
    with translation.override("zh-hans"):
        assert [a.text for a in alerts] == [
            "张小一 在 11月23日起的一周有 1 天晚于就寝时间完成作业。",
            "三年级(1)班 11月23日 家长报告的作业用时约 95 分钟（90% 区间 80–110），超过 60 分钟上限。",
            "张小一 本周多次晚于就寝时间完成作业",
        ]
    with translation.override("en"):
        assert [a.text for a in alerts[:2]] == [
            "张小一 finished homework after bedtime on 1 day in the week of November 23.",
            "Grade 3 (1), November 23: families report about 95 min of homework "
            "(90% interval 80–110), over the 60-minute cap.",
        ]
