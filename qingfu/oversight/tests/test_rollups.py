"""Class-day rollups: the pure decision, maintenance as records change, and a rebuild
from scratch that gives exactly the maintained rows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from qingfu.afterschool import attendance
from qingfu.afterschool.tests.helpers import actor, sign_up, standard_program
from qingfu.conftest import World
from qingfu.homework import logs
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import LoadException
from qingfu.homework.services import exception_decide, homework_publish
from qingfu.oversight.models import ClassDayRollup
from qingfu.oversight.rollups import ClassDayFacts, rollup_values
from qingfu.oversight.services import rollups_rebuild
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import HomeworkItemFacts
from qingfu.policy.profile import load_national
from qingfu.schools.models import Subject

SH = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.date(2026, 9, 8)
WEDNESDAY = dt.date(2026, 9, 9)
FIELDS = [f.name for f in ClassDayRollup._meta.get_fields() if f.name not in ("id", "updated_at")]


def _facts(**changes: object) -> ClassDayFacts:
    values: dict[str, object] = {
        "class_id": 1, "school_id": 1, "grade": 3, "date": TUESDAY,
        "day_kind": DayKind.SCHOOL_DAY, "items": (), "reported": (), "class_size": 40,
        "late_finishes": 0, "not_finished": 0, "exceptions_granted": 0,
        "afterschool_marks": 0, "afterschool_attended": 0,
    }  # fmt: skip
    values.update(changes)
    return ClassDayFacts(**values)  # type: ignore[arg-type]


def _item(minutes: int, *, written: bool = True, home: bool = True) -> HomeworkItemFacts:
    return HomeworkItemFacts(
        subject="math", minutes=minutes, is_written=written, at_home=home, is_mandatory=True
    )


def test_rollup_judges_the_day_by_the_profile() -> None:
    profile = load_national()
    over = rollup_values(profile, _facts(items=(_item(40), _item(30))))
    assert (over["cap"], over["planned_minutes"], over["verdict"]) == (60, 70, "violation")
    ok = rollup_values(profile, _facts(items=(_item(40), _item(30, written=False))))
    assert (ok["planned_minutes"], ok["verdict"]) == (40, "ok")
    weekend = rollup_values(profile, _facts(grade=1, day_kind=DayKind.WEEKEND))
    assert weekend["cap"] == 0 and weekend["logs"] == 0 and weekend["reported_minutes"] is None


def test_reported_time_is_scaled_to_the_written_share_and_unbounded_is_null() -> None:
    profile = load_national()
    items = (_item(30), _item(30, written=False))  # half of the at-home estimate is written
    one = rollup_values(profile, _facts(items=items, reported=(80.0,)))
    assert one["reported_minutes"] == 40.0 and one["reported_high"] is None  # one log: no bound
    every = rollup_values(profile, _facts(items=items, reported=(60.0, 140.0), class_size=2))
    assert every["reported_minutes"] == every["reported_low"] == every["reported_high"] == 50.0
    assert every["logs"] == 2 and every["reported_over"] is False


def _publish(world: World, day: dt.date, minutes: int, *, classes=None, reason=None):
    subject = Subject.objects.get(school=world.a, code="math")
    item = ItemDraft(content="练习", kind="written", tier="basic", minutes=minutes, place="home")
    return homework_publish(
        actor=actor(world.users["math3"]),
        draft=HomeworkDraft(subject.pk, tuple(classes or (world.c31.pk,)), day, day, (item,)),
        exception_reason=reason,
    )


def _log(world: World, day: dt.date, minutes: int, finished: dt.time) -> None:
    subject = Subject.objects.get(school=world.a, code="math")
    logs.timelog_submit(
        actor=actor(world.users["guardian1"]), student_id=world.s1.pk, day=day,
        minutes={subject.pk: minutes}, finished_at=finished, could_not_finish=False, reason="",
        now=dt.datetime.combine(day, dt.time(23, 30), SH),
    )  # fmt: skip


def _snapshot() -> list[tuple[object, ...]]:
    return list(ClassDayRollup.objects.order_by("school_class_id", "date").values_list(*FIELDS))


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


def test_rollups_follow_the_records_and_a_rebuild_gives_the_same_rows(
    world: World, django_capture_on_commit_callbacks
) -> None:
    def committed(fn, *args, **kwargs):  # as after a request: the refresh runs on commit
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    committed(_publish, world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
    row = ClassDayRollup.objects.get(school_class=world.c31, date=TUESDAY)
    assert (row.planned_minutes, row.verdict, row.logs, row.grade) == (40, "ok", 0, 3)

    committed(_log, world, TUESDAY, 50, dt.time(20, 0))
    committed(_log, world, TUESDAY, 55, dt.time(21, 45))  # a correction: one log, now late
    row.refresh_from_db()
    assert (row.logs, row.late_finishes, row.reported_minutes) == (1, 1, 55.0)

    committed(_publish, world, WEDNESDAY, 70, reason="单元复习，确需加量")
    assert not ClassDayRollup.objects.filter(date=WEDNESDAY).exists()  # pending: not counted
    committed(
        exception_decide,
        actor=actor(world.users["leader3"]),
        exception_id=LoadException.objects.get().pk,
        grant=True,
        reason="同意",
    )
    wed = ClassDayRollup.objects.get(school_class=world.c31, date=WEDNESDAY)
    assert (wed.planned_minutes, wed.verdict, wed.exceptions_granted) == (70, "violation", 1)

    program = standard_program(world.users["admin_a"], world.a)
    sign_up(world.users["guardian1"], world.s1)
    head = actor(world.users["head31"])
    session = next(
        s for s in attendance.duty_sessions(head, TUESDAY)
        if s.club_id is None and s.segment.order == 1 and s.program_id == program.pk
    )  # fmt: skip
    at = dt.datetime.combine(TUESDAY, dt.time(15, 50), SH)
    committed(
        attendance.attendance_take,
        actor=head, session_id=session.pk, marks={world.s1.pk: "absent"}, now=at,
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.afterschool_marks, row.afterschool_attended) == (1, 0)
    committed(
        attendance.early_pickup,
        actor=head, session_id=session.pk, student_id=world.s1.pk, picked_up_by="母亲",
        now=at + dt.timedelta(minutes=20),
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.afterschool_marks, row.afterschool_attended) == (1, 1)  # the mark in force

    maintained = _snapshot()
    assert len(maintained) == 3  # 3(1) Tue and Wed, 3(2) Tue
    assert rollups_rebuild(school_ids=[world.a.pk]) == 3
    assert _snapshot() == maintained


def test_refused_requests_leave_no_published_load(
    world: World, django_capture_on_commit_callbacks
) -> None:
    _publish(world, WEDNESDAY, 75, reason="复习")
    with django_capture_on_commit_callbacks(execute=True):
        exception_decide(
            actor=actor(world.users["leader3"]),
            exception_id=LoadException.objects.get().pk,
            grant=False,
            reason="请拆分到两天",
        )
    assert not ClassDayRollup.objects.exists()  # nothing published, nothing granted
    assert rollups_rebuild() == 0


def test_rebuild_command_names_unknown_schools(world: World, capsys) -> None:
    _publish(world, TUESDAY, 30)
    call_command("rollups_rebuild", "--school", world.a.code)
    assert "已重建 1 条" in capsys.readouterr().out
    with pytest.raises(Exception, match="没有这些学校代码"):
        call_command("rollups_rebuild", "--school", "NOPE")


def test_queued_mode_marks_class_days_and_the_worker_catches_up(
    world: World, settings, django_capture_on_commit_callbacks, capsys
) -> None:
    from qingfu.homework.models import CalibrationStat
    from qingfu.oversight.models import RollupQueue

    def totals() -> set[tuple[object, ...]]:
        return set(
            CalibrationStat.objects.values_list(
                "teacher_id", "kind", "reported_total", "observations"
            )
        )

    settings.QINGFU_ROLLUPS = "queued"
    with django_capture_on_commit_callbacks(execute=True):
        _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
        _log(world, TUESDAY, 50, dt.time(21, 45))
        _log(world, TUESDAY, 45, dt.time(20, 0))  # a correction marks the same class-day
    assert not ClassDayRollup.objects.exists()  # the requests only marked the class-days
    assert not CalibrationStat.objects.exists()  # nor calibration
    assert RollupQueue.objects.count() == 2
    call_command("rollups_worker", "--once")
    assert "已刷新 2 个" in capsys.readouterr().out
    assert not RollupQueue.objects.exists()
    drained, drained_totals = _snapshot(), totals()
    assert [(r, n) for *_, r, n in drained_totals] == [(45.0, 1)]
    assert rollups_rebuild(school_ids=[world.a.pk]) == 2
    assert _snapshot() == drained and totals() == drained_totals
    row = ClassDayRollup.objects.get(school_class=world.c31, date=TUESDAY)
    assert (row.logs, row.reported_minutes, row.late_finishes) == (1, 45.0, 0)
