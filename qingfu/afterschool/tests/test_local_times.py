"""Times on the after-school page are the school's wall-clock time (issue 19, item 5): a run
made at 21:13 in Beijing is stored as 13:13 UTC and was listed at 13:13."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.afterschool.models import AllocationRun
from qingfu.afterschool.tests.helpers import standard_program
from qingfu.conftest import World

LATE_EVENING_UTC = dt.datetime(2026, 11, 20, 13, 13, tzinfo=dt.UTC)  # 21:13 in Beijing


@pytest.fixture(autouse=True)
def _pinned(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-11-23"
    settings.QINGFU_CLOCK = "19:30"


def test_the_run_list_shows_a_late_evening_run_at_its_local_time(world: World) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    run = AllocationRun.objects.create(
        school=world.a,
        program=program,
        mechanism="optimal",
        seed="2026秋 2026-11-20 21:13:00",
        inputs_digest="x",
        report={"seated": 3, "applications": 4, "max_seatable": 4, "by_rank": [3, 0]},
    )
    AllocationRun.objects.filter(pk=run.pk).update(created_at=LATE_EVENING_UTC)
    body = world.client("admin_a").get("/afterschool/").content.decode()
    assert "第 1 次分配（11月20日 21:13）" in body
    assert "13:13" not in body
