"""Pages through the test client: content per role and bounded query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.schools.calendars import day_info, local_today
from qingfu.schools.tests import factories as f

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin_a", ["学校概况", "今天"]),
        ("leader3", ["三年级组", "我的任课"]),
        ("head31", ["我的班级", "三年级(1)班"]),
        ("math3", ["我的任课", "数学"]),
        ("student1", ["我的今天", "张小一"]),
        ("guardian1", ["我的孩子", "张小一", "甲校"]),
        ("officer_d1", ["青禾区 学校概况", "甲校", "乙校"]),
        ("inspector_a", ["我督导的学校", "甲校"]),
    ],
)
def test_home_page_per_role(world: World, who: str, expected: list[str]) -> None:
    body = world.client(who).get("/").content.decode()
    for text in expected:
        assert text in body, (who, text)


def test_the_school_home_names_todays_kind_of_day(world: World) -> None:
    """Whenever the test runs: the home shows the kind of the school's local today."""
    day = day_info(world.a.pk, local_today())
    body = world.client("admin_a").get("/").content.decode()
    assert f'class="pill {day.kind}">{day.label}' in body


@pytest.mark.parametrize(
    ("instant", "shown", "kind"),
    [
        ("2026-11-23T02:30:00+00:00", "2026年11月23日 星期一", "教学日"),
        ("2026-11-28T02:30:00+00:00", "2026年11月28日 星期六", "周末"),
        ("2026-10-10T02:30:00+00:00", "2026年10月10日 星期六", "教学日 · 国庆节调休上班"),
        ("2026-10-02T02:30:00+00:00", "2026年10月2日 星期五", "节假日 · 国庆节"),
        # Friday evening in UTC is Saturday morning at the school.
        ("2026-11-27T20:52:00+00:00", "2026年11月28日 星期六", "周末"),
    ],
)
def test_the_home_uses_the_schools_local_date(
    world: World, time_machine: object, instant: str, shown: str, kind: str
) -> None:
    time_machine.move_to(dt.datetime.fromisoformat(instant), tick=False)  # type: ignore[attr-defined]
    body = world.client("admin_a").get("/").content.decode()
    assert shown in body
    assert f">{kind}</span>" in body


def test_home_lists_real_todos(world: World) -> None:
    body = world.client("admin_a").get("/").content.decode()
    # The world's school A has classes without head teachers and subjects without teachers.
    assert "尚未指定班主任" in body
    assert "尚未安排任课教师" in body
    assert "名学生没有登记监护人" in body


def test_district_home_never_names_students(world: World) -> None:
    body = world.client("officer_d1").get("/").content.decode()
    for name in ("张小一", "李小二", "王小三", "赵小乙"):
        assert name not in body


def test_class_page_query_count_does_not_grow_with_students(
    world: World, django_assert_max_num_queries: object
) -> None:
    for _ in range(30):
        f.StudentFactory(school_class=world.c31)
    client = world.client("head31")
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(f"/classes/{world.c31.pk}/").status_code == 200


def test_home_query_count_is_bounded(world: World, django_assert_max_num_queries: object) -> None:
    client = world.client("admin_a")
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        assert client.get("/").status_code == 200


def test_login_page_in_chinese(world: World) -> None:
    from django.test import Client

    body = Client().get("/login/").content.decode()
    assert 'lang="zh-CN"' in body and "登录" in body


def test_healthz(world: World) -> None:
    from django.test import Client

    assert Client().get("/healthz").content == b"ok"
