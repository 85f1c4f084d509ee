"""A lottery seed is never shown to people as its string (issue 19: "open 1 2026-09-14
20:06:09" read as a code): a run is "第 N 次分配（9月14日 21:13）", its note says the seed is kept
and the re-run button carries it; the open round's note names the moment it opened."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from qingfu.afterschool import services
from qingfu.afterschool.models import AllocationRun, Program
from qingfu.afterschool.tests.helpers import actor, standard_program
from qingfu.conftest import World


def visible_text(html: str) -> str:
    """The page's text as read: tags and attribute values left out."""
    return re.sub(r"<[^>]*>", " ", html)


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
    AllocationRun.objects.create(
        school=world.a,
        program=program,
        mechanism="serial",
        seed="2026秋 2026-09-14 21:13:09",
        inputs_digest="x",
    )
    AllocationRun.objects.filter(program=program).update(
        created_at=dt.datetime(2026, 9, 14, 13, 13, tzinfo=dt.UTC)  # 21:13 in Beijing
    )
    body = world.client("admin_a").get("/afterschool/").content.decode()
    text = visible_text(body)
    # Numbered in the program's order, not by database id, dated in local time.
    assert "第 1 次分配（9月14日 21:13）" in text and "第 2 次分配（9月14日 21:13）" in text
    assert "可复核：抽签种子随本次分配保存，点“用同一种子重新运行”，结果完全相同。" in text
    assert "2026秋 2026-09-14" not in text  # only in the re-run button's hidden field
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
    assert "可复核：抽签顺序由补报名开放的时刻（9月14日 21:13）算出" in note
    assert program.open_round_seed not in body and "open " not in visible_text(body)
