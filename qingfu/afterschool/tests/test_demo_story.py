"""The demo's after-school program tells its semester's story with its own dates (issue 19):
it said "已于 <the build's time> 备案" and its allocation run was dated the day the demo was
built; each step is now dated when it happened in the semester, and none after now."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Min
from django.test import Client

from qingfu.afterschool.models import AllocationRun, Program, RosterWeek, Seat, Signup
from qingfu.schools.calendars import local_time

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_the_demo_program_is_filed_allocated_and_opened_inside_its_semester(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = TODAY.isoformat()
    settings.QINGFU_CLOCK = "19:30"
    call_command(
        "demo", "--schools", "1", "--classes-per-grade", "1", "--students-per-class", "6",
        "--today", TODAY.isoformat(), "--weeks", "2", stdout=StringIO(),
    )  # fmt: skip
    program = Program.objects.get(semester__start__lte=TODAY, semester__end__gte=TODAY)
    semester = program.semester
    service_from = Signup.objects.filter(program=program).aggregate(d=Min("valid_from"))["d"]
    now = dt.datetime.combine(TODAY, dt.time(19, 30))
    assert program.filed_at is not None and program.open_round_at is not None
    filed, opened = local_time(program.filed_at), local_time(program.open_round_at)
    assert filed.date() == semester.start, filed
    run = AllocationRun.objects.get(program=program)
    allocated = local_time(run.created_at)
    assert semester.start <= allocated.date() < service_from, (allocated, service_from)
    assert service_from < opened.date() < TODAY, opened
    seat = Seat.objects.filter(program=program).first()
    assert seat is not None and seat.decided_at == run.created_at
    for moment in (filed, allocated, opened, *map(local_time, _roster_times())):
        assert moment.replace(tzinfo=None) <= now, moment
    # The page says so in words: the filing's date, the run by its number, no seed.
    client = Client()
    client.login(username="principal", password=settings.QINGFU_DEMO_PASSWORD)
    html = client.get("/afterschool/").content.decode()
    text = re.sub(r"<[^>]*>", " ", html)
    assert f"已于 {filed.month}月{filed.day}日 10:00 备案" in text
    assert f"第 1 次分配（{allocated.month}月{allocated.day}日 17:30）" in text
    assert run.seed not in text and program.open_round_seed not in text


def _roster_times() -> list[dt.datetime]:
    return list(RosterWeek.objects.values_list("created_at", flat=True))
