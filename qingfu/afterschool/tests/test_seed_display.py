"""A lottery seed is shown only in the reproducibility notes, readable, in local time
(issue 19, item 9): not as a raw code such as "open-1-20260914T131309"."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.afterschool import services
from qingfu.afterschool.models import AllocationRun, Program
from qingfu.afterschool.tests.helpers import actor, standard_program
from qingfu.conftest import World


@pytest.fixture(autouse=True)
def _pinned(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-09-14"
    settings.QINGFU_CLOCK = "21:13"


def test_a_run_shows_its_seed_in_a_note_with_a_button_to_rerun_it(world: World) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    Program.objects.filter(pk=program.pk).update(phase=Program.Phase.SIGNUP)
    run = AllocationRun.objects.create(
        school=world.a,
        program=program,
        mechanism="serial",
        seed="2026秋 2026-09-14 21:13:09",
        inputs_digest="x",
    )
    body = world.client("admin_a").get("/afterschool/").content.decode()
    assert "可复核：用抽签种子“2026秋 2026-09-14 21:13:09”重新运行，结果完全相同。" in body
    assert body.count("2026秋 2026-09-14 21:13:09") == 2  # the note and the re-run button
    assert 'name="seed" value="2026秋 2026-09-14 21:13:09"' in body
    assert f'data-run="{run.pk}"' in body and "用同一种子重新运行" in body
    # The policy lines say what they checked: not a bare "符合规定：130 分钟".
    assert "每天课后服务时长符合规定：130 分钟" in body


def test_the_open_round_seed_is_local_time_and_only_in_its_note(world: World, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(dt.datetime(2026, 9, 14, 13, 13, 9, tzinfo=dt.UTC), tick=False)
    program = standard_program(world.users["admin_a"], world.a)
    services.open_round_start(actor=actor(world.users["admin_a"]), program_id=program.pk)
    program.refresh_from_db()
    assert program.open_round_seed == f"open {program.pk} 2026-09-14 21:13:09"
    body = world.client("admin_a").get("/afterschool/").content.decode()
    assert "补报名已于 9月14日 21:13 开放" in body
    note = body.split('id="open-round-seed">', 1)[1].split("</p>", 1)[0]
    assert f"open {program.pk} 2026-09-14 21:13:09" in note
    assert body.count(program.open_round_seed) == 1
