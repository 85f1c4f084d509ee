"""A school's calendar and policy profile, assembled from records."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.policy.calendar import DayKind
from qingfu.policy.profile import PolicyOverrideError
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import CalendarException, PolicyOverride, Semester


@pytest.mark.parametrize(
    ("day", "kind", "holiday"),
    [
        (dt.date(2026, 9, 1), DayKind.SCHOOL_DAY, None),
        (dt.date(2026, 9, 19), DayKind.WEEKEND, None),
        (dt.date(2026, 9, 20), DayKind.SCHOOL_DAY, None),  # Sunday make-up workday (调休)
        (dt.date(2026, 9, 25), DayKind.HOLIDAY, "中秋节"),
        (dt.date(2026, 10, 5), DayKind.HOLIDAY, "国庆节"),
        (dt.date(2026, 10, 10), DayKind.SCHOOL_DAY, None),  # Saturday make-up workday
        (dt.date(2026, 11, 23), DayKind.SCHOOL_DAY, None),
        (dt.date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        (dt.date(2027, 2, 10), DayKind.VACATION, None),
    ],
)
def test_day_kind_comes_from_the_calendar(
    world: World, day: dt.date, kind: DayKind, holiday: str | None
) -> None:
    info = day_info(world.a.pk, day)
    assert info.kind is kind
    if holiday:
        assert holiday in (info.holiday_name or "")


def test_school_closures_and_extra_days(world: World) -> None:
    semester = Semester.objects.get(school=world.a)
    CalendarException.objects.create(
        school=world.a, semester=semester, date=dt.date(2026, 11, 24),
        kind=CalendarException.Kind.CLOSURE, note="台风停课",
    )  # fmt: skip
    CalendarException.objects.create(
        school=world.a, semester=semester, date=dt.date(2026, 11, 28),
        kind=CalendarException.Kind.EXTRA_DAY, note="补课",
    )  # fmt: skip
    assert day_info(world.a.pk, dt.date(2026, 11, 24)).kind is DayKind.HOLIDAY
    assert day_info(world.a.pk, dt.date(2026, 11, 28)).kind is DayKind.SCHOOL_DAY
    assert day_info(world.b.pk, dt.date(2026, 11, 24)).kind is DayKind.SCHOOL_DAY


def test_week_numbers(world: World) -> None:
    assert day_info(world.a.pk, dt.date(2026, 9, 1)).week == 1
    assert day_info(world.a.pk, dt.date(2026, 9, 7)).week == 2


def test_overrides_by_province_district_school(world: World) -> None:
    national = profile_for_school(world.a)
    assert national.threshold("hw.cap.g3-6") == 60
    PolicyOverride.objects.create(
        level="province", province="浙江省", thresholds={"hw.cap.g3-6": 55}
    )
    PolicyOverride.objects.create(
        level="district", district=world.d1, thresholds={"hw.cap.g3-6": 50}
    )
    assert profile_for_school(world.a).threshold("hw.cap.g3-6") == 50
    assert (
        profile_for_school(world.c).threshold("hw.cap.g3-6") == 55
    )  # other district, same province
    PolicyOverride.objects.create(level="school", school=world.a, thresholds={"hw.cap.g3-6": 58})
    with pytest.raises(PolicyOverrideError) as caught:
        profile_for_school(world.a)
    assert "hw.cap.g3-6" in str(caught.value)


def test_override_service_validates_against_levels_and_schools(world: World) -> None:
    from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
    from qingfu.schools.actors import actor_for
    from qingfu.schools.services import policy_override_set

    admin = actor_for(world.users["admin_a"])
    officer = actor_for(world.users["officer_d1"])
    policy_override_set(
        actor=admin, level="school", school_id=world.a.pk, thresholds={"hw.cap.g3-6": 55}
    )
    assert profile_for_school(world.a).threshold("hw.cap.g3-6") == 55

    # Looser than national: refused with the rule named, nothing saved.
    with pytest.raises(ValidationFailed) as caught:
        policy_override_set(
            actor=admin, level="school", school_id=world.a.pk, thresholds={"hw.cap.g3-6": 70}
        )
    assert "hw.cap.g3-6" in caught.value.errors["thresholds"][0]
    assert profile_for_school(world.a).threshold("hw.cap.g3-6") == 55

    # A district tightening below a school's own setting would leave the school looser.
    with pytest.raises(ValidationFailed) as caught:
        policy_override_set(
            actor=officer, level="district", district_id=world.d1.pk, thresholds={"hw.cap.g3-6": 50}
        )
    assert any("甲校" in m for m in caught.value.errors["thresholds"])
    assert not PolicyOverride.objects.filter(level="district").exists()
    policy_override_set(
        actor=officer, level="district", district_id=world.d1.pk, thresholds={"hw.cap.g3-6": 58}
    )
    assert profile_for_school(world.b).threshold("hw.cap.g3-6") == 58

    # Scope: another district's officer, a teacher, and a province change by a non-superuser.
    with pytest.raises(NotFound):
        policy_override_set(
            actor=actor_for(world.users["officer_d2"]),
            level="district",
            district_id=world.d1.pk,
            thresholds={},
        )
    with pytest.raises(Forbidden):
        policy_override_set(
            actor=actor_for(world.users["head31"]),
            level="school",
            school_id=world.a.pk,
            thresholds={},
        )
    with pytest.raises(Forbidden):
        policy_override_set(actor=officer, level="province", province="浙江省", thresholds={})
