"""A child's erasure and the retention task leave the dashboards exactly as they were
(issue 20): both anonymise rows, neither removes one a figure counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.conftest import World
from qingfu.core.models import ErasureRequest
from qingfu.core.retention import retention_run
from qingfu.core.wording import counted, phrase
from qingfu.homework.models import Alert, TimeLog
from qingfu.oversight import selectors
from qingfu.oversight.services import rollups_rebuild
from qingfu.oversight.tests.test_dashboards import MONDAY, WEEK, _homework
from qingfu.schools import privacy
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Student
from qingfu.schools.tests import factories as f


@pytest.fixture(autouse=True)
def _today(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-11-29"


def _board(world: World):  # type: ignore[no-untyped-def]
    rollups_rebuild(school_ids=[world.a.pk])
    board = selectors.school_dashboard(actor_for(world.users["admin_a"]), world.a.pk, WEEK)
    return board.total, [(r.label, r.logs, r.late_share) for r in board.rows]


def _evenings(world: World) -> None:
    _homework(world, world.c31, MONDAY, 40)
    TimeLog.objects.create(
        school=world.a, student=world.s1, school_class=world.c31, date=MONDAY,
        finished_at=dt.time(22, 0), is_late=True, reason=f"{world.s1.name}发烧",
    )  # fmt: skip
    for i in range(5):
        student = f.StudentFactory(school_class=world.c31)
        TimeLog.objects.create(
            school=world.a, student=student, school_class=world.c31, date=MONDAY,
            finished_at=dt.time(20, 0), is_late=i < 2,
        )  # fmt: skip


def test_erasure_keeps_every_dashboard_figure(world: World) -> None:
    _evenings(world)
    Alert.objects.create(
        school=world.a, recipient=world.users["head31"].teacher, kind=Alert.Kind.LATE_FINISH,
        school_class=world.c31, date=MONDAY, student=world.s1,
        wording=phrase(
            "{student} 在 {date}起的一周有 {days}晚于就寝时间完成作业。", student=world.s1.name,
            date=Alert.day(MONDAY), days=counted("{n} 天", "{n} 天", 3),
        ),
    )  # fmt: skip
    before = _board(world)
    guardian = actor_for(world.users["guardian1"])
    request = privacy.erasure_request(actor=guardian, student_id=world.s1.pk, reason="转学")
    privacy.erasure_carry_out(actor=actor_for(world.users["admin_a"]), request_id=request.pk)
    assert _board(world) == before
    s1 = Student.objects.get(pk=world.s1.pk)
    assert s1.name == privacy.ERASED_NAME
    assert "张小一" not in s1.national_id
    log = TimeLog.objects.get(student=s1)
    assert log.reason == "" and log.is_late  # counted as before, no longer telling
    assert not s1.guardian_links.exists()
    alert = Alert.objects.get(student=s1)
    assert "张小一" not in str(alert.wording) and "张小一" not in alert.text
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.DONE
    # The request's trail is kept: asked by the guardian, carried out by the admin.
    trail = privacy.child_access_log(actor_for(world.users["admin_a"]), world.s1.pk)
    assert {a.kind for a in trail} >= {str(privacy.KIND_LABELS["erasure"])}


def test_retention_keeps_every_dashboard_figure(world: World) -> None:
    _evenings(world)
    before = _board(world)
    later = timezone.make_aware(dt.datetime(2029, 1, 1))  # past the two-year period
    done = retention_run(now=later)
    assert done["time_logs"] == 6
    assert not TimeLog.objects.exclude(student=None).exists()
    assert not TimeLog.objects.exclude(reason="").exists()
    assert _board(world) == before
