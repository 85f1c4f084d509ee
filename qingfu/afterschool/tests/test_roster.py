"""The week's duty roster written onto sessions, and the month's service hours for pay."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import pytest
from openpyxl import load_workbook

from qingfu.afterschool import roster
from qingfu.afterschool.models import Session, TeacherDuty
from qingfu.afterschool.tests.helpers import actor, add_club, standard_program
from qingfu.core.errors import Forbidden
from qingfu.schools.models import Teacher

MONDAY = dt.date(2026, 9, 7)


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


def _allow(world, minutes: int) -> None:
    for t in Teacher.objects.filter(school=world.a):
        TeacherDuty.objects.create(
            school=world.a, teacher=t, max_weekly_minutes=minutes, first_period_days=[0, 1, 2]
        )


def test_the_roster_covers_every_session_within_the_rules(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "足球", 20)  # outside coach, Tue and Thu
    _allow(world, 660)
    week = roster.roster_generate(
        actor=actor(world.users["admin_a"]), program_id=program.pk, monday=MONDAY,
        time_limit_seconds=10,
    )  # fmt: skip
    sessions = list(Session.objects.filter(program=program).select_related("segment"))
    # 3 classes x 2 segments x 5 days, plus the club twice (its coach needs a teacher beside).
    assert week.sessions == len(sessions) == 3 * 2 * 5 + 2
    assert all(s.duty_teacher_id for s in sessions)
    assert sum(1 for s in sessions if s.club_id == club.pk) == 2
    # Checked independently of the solver: no one in two places, the cap, flexible days.
    assert max(Counter((s.duty_teacher_id, s.date, s.segment_id) for s in sessions).values()) == 1
    minutes = Counter()
    late = {}
    for s in sessions:
        minutes[s.duty_teacher_id] += 60
        late.setdefault(s.duty_teacher_id, set()).add(s.date.weekday())
    assert max(minutes.values()) <= 660
    for teacher_id, days in late.items():  # first period Mon-Wed: flexible unless late too
        flexible = sum(1 for d in range(5) if d not in (0, 1, 2) or d not in days)
        assert flexible >= 2, teacher_id
    assert week.spread_minutes == max(minutes.values()) - min(minutes.values()) <= 60


def test_an_impossible_week_says_which_rule_fails(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    with pytest.raises(roster.RosterInfeasible) as err:  # 30 hours of duty, 4 x 6 h of staff
        roster.roster_generate(
            actor=actor(world.users["admin_a"]), program_id=program.pk, monday=MONDAY,
            time_limit_seconds=10,
        )  # fmt: skip
    assert err.value.reasons and err.value.errors["__all__"][0]
    assert not Session.objects.exists()
    with pytest.raises(Forbidden):
        roster.roster_generate(
            actor=actor(world.users["head31"]), program_id=program.pk, monday=MONDAY
        )


def test_month_hours_export_adds_up(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    _allow(world, 660)
    roster.roster_generate(actor=None, program_id=program.pk, monday=MONDAY, time_limit_seconds=10)
    data = roster.month_hours_xlsx(
        actor=actor(world.users["admin_a"]), program_id=program.pk,
        month=dt.date(2026, 9, 1), today=dt.date(2026, 9, 9),
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if isinstance(r[4], int)]
    # Mon 7 to Wed 9 September: 3 days x 3 classes x 2 segments x 60 minutes.
    assert sum(r[4] for r in rows) == 3 * 3 * 2 * 60
    assert {r[1] for r in rows} == {"head31", "math3", "leader3", "teacher7"}
    assert sheet["A1"].value.endswith("课后服务课时统计（2026年9月）")


def test_roster_page_generates_and_exports(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    _allow(world, 660)
    client = world.client("admin_a")
    page = client.get("/afterschool/roster/?week=2026-09-09")
    assert page.status_code == 200 and "生成本周排班" in page.content.decode()
    done = client.post("/afterschool/roster/?week=2026-09-09", follow=True)
    assert "排班已生成：30 场，4 位教师" in done.content.decode()
    assert Session.objects.filter(program=program, date=MONDAY).count() == 6
    export = client.get("/afterschool/hours.xlsx?month=2026-09")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(export.content)).active["A2"].value == "工号"
    assert world.client("head31").get("/afterschool/roster/").status_code == 404


def test_program_page_renders_for_the_admin_only(world) -> None:
    standard_program(world.users["admin_a"], world.a)
    page = world.client("admin_a").get("/afterschool/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "符合规定：130 分钟" in body and "参与与出勤" in body
    assert world.client("guardian1").get("/afterschool/").status_code == 404


def test_hours_export_writes_stored_names_as_text_and_its_totals_as_formulas(world) -> None:
    standard_program(world.users["admin_a"], world.a)
    _allow(world, 660)
    client = world.client("admin_a")
    client.post("/afterschool/roster/?week=2026-09-09")
    link = '=HYPERLINK("http://evil.example/","点此")'
    Teacher.objects.filter(school=world.a, name="math3").update(name=link, staff_no="-12")
    Teacher.objects.filter(school=world.a, name="head31").update(name="班\x01主任")
    export = client.get("/afterschool/hours.xlsx?month=2026-09")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=3) if r[1].value}
    assert rows[link][1].data_type == "s" and rows[link][1].quotePrefix
    assert rows[link][0].value == "-12" and rows[link][0].data_type == "s"
    assert rows[link][4].data_type == "n" and isinstance(rows[link][4].value, int)
    assert "班\ufffd主任" in rows
    total = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == "合计")
    assert [c.data_type for c in total[2:]] == ["f"] * 4
    assert total[4].value.startswith("=SUM(E3:E")
