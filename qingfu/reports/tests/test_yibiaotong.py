"""The 一表通 answers a school's homework, after-school and survey fields from records
through the provider the reports layer registers in ``qingfu.core.facts``: each value
recomputed here from the raw records (published items, survey invitations), the fields the
records cannot give left for the school."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.burden import answers
from qingfu.burden.models import Demand
from qingfu.burden.services import demand_receivers_set
from qingfu.conftest import World
from qingfu.core import facts as core_facts
from qingfu.homework.models import AssignmentClass, Item
from qingfu.reports import yibiaotong
from qingfu.reports.tests.helpers import actor, make_activity, school_days
from qingfu.schools.models import SchoolClass, Unit
from qingfu.schools.tests import factories as f
from qingfu.surveys.models import Invitation, Survey

DAY = dt.date(2026, 9, 18)  # the last day of make_activity's two weeks
FIELDS = "班级数、作业时长达标率、作业公示率、课后服务参与率、问卷回收率、食堂从业人员数"


@pytest.fixture(autouse=True)
def _today(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = DAY.isoformat()


def _survey(world: World, *, opened: dt.date, invited: int, used: int, school=None) -> None:  # type: ignore[no-untyped-def]
    survey = Survey.objects.create(
        district=world.d1, school=school or world.a, title="课业负担调查", audiences=["guardian"],
        status=Survey.Status.OPEN, created_by=world.users["admin_a"],
        opened_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9))),
    )  # fmt: skip
    for i in range(invited):
        Invitation.objects.create(
            survey=survey, school=school or world.a, user=f.UserFactory(), audience="guardian",
            is_used=i < used,
        )  # fmt: skip


def _request(world: World) -> Demand:
    office = Unit.objects.create(district=world.d1, kind="office", name="县教育局", code="JYJ")
    demand = Demand.objects.create(
        district=world.d1, issuer=office, kind="data_request", title="双减工作情况统计",
        day=DAY, staff_hours=3.0, field_list=FIELDS, status=Demand.Status.SENT,
    )  # fmt: skip
    demand_receivers_set(demand, units=(), schools=[world.a])
    return demand


def test_homework_and_survey_fields_are_answered_from_records(world: World) -> None:
    make_activity(world)
    _survey(world, opened=dt.date(2026, 9, 10), invited=8, used=6)
    _survey(world, opened=dt.date(2026, 9, 14), invited=4, used=1)
    _survey(world, opened=dt.date(2026, 6, 1), invited=5, used=0)  # last semester: not counted
    _survey(world, opened=dt.date(2026, 9, 10), invited=3, used=3, school=world.b)
    demand = _request(world)
    answer = answers.data_request_answer(
        actor(world.users["admin_a"]), demand.pk, school_id=world.a.pk, today=DAY
    )
    rows = {r.field: r for r in answer.rows}

    # Within the cap: class-days of the semester so far (every class, every school day,
    # none with homework on other days) less those whose published take-home written
    # minutes passed the cap (60 in grades 3–6, 90 in 7–9), recounted from the items.
    days = school_days(dt.date(2026, 9, 1), DAY)
    classes = list(SchoolClass.objects.filter(school=world.a, grade__number__lte=9))
    planned: dict[tuple[int, dt.date], int] = {}
    for target in AssignmentClass.objects.filter(
        school_class__school=world.a, assignment__status="published"
    ):
        minutes = sum(
            i.minutes
            for i in Item.objects.filter(assignment_id=target.assignment_id)
            if i.kind == "written" and i.place == "home" and i.is_mandatory
        )
        key = (target.school_class_id, target.date)
        planned[key] = planned.get(key, 0) + minutes
    cap = {c.pk: 60 if c.grade.number <= 6 else 90 for c in classes}
    over = sum(1 for (c, _d), m in planned.items() if m > cap[c])
    total = len(classes) * len(days)
    assert over == 1
    assert rows["作业时长达标率"].value == round((total - over) * 100 / total, 1)
    assert rows["作业时长达标率"].fact_key == "homework.within-cap"
    # Surveys opened this semester at school A: 7 of 12 invitations answered.
    assert rows["问卷回收率"].value == round(7 * 100 / 12, 1) == 58.3
    # No weekly plan was published: 0% of the grade-weeks; no after-school programme: left.
    assert rows["作业公示率"].value == 0.0
    assert (rows["课后服务参与率"].value, rows["课后服务参与率"].fact_key) == (None, "")
    assert rows["班级数"].value == len(SchoolClass.objects.filter(school=world.a))
    assert rows["食堂从业人员数"].fact_key == ""
    assert answer.answered == 4


def test_the_registry_asks_only_for_what_is_missing_and_a_school_without_a_semester(
    world: World,
) -> None:
    asked: list[frozenset[str]] = []

    def spy(school_id: int, today: dt.date, keys: frozenset[str]) -> dict[str, object]:
        asked.append(keys)
        return {"surveys.response-rate": 99.0, "not.asked": 1}

    core_facts._providers.insert(0, spy)  # type: ignore[arg-type]
    try:
        got = core_facts.school_facts(
            world.a.pk, DAY, {"surveys.response-rate", "homework.publicity"}
        )
    finally:
        core_facts._providers.remove(spy)  # type: ignore[arg-type]
    assert got["surveys.response-rate"] == 99.0 and "not.asked" not in got
    assert asked == [frozenset({"surveys.response-rate", "homework.publicity"})]
    # The reports layer's provider answered the rest (registered once, in ready).
    assert core_facts._providers.count(yibiaotong.school_facts) == 1
    assert "homework.publicity" in got
    # No semester holds the day: every key known, none with a value.
    world.a.semesters.all().delete()
    assert yibiaotong.school_facts(world.a.pk, DAY, frozenset({"homework.within-cap", "x"})) == {
        "homework.within-cap": None
    }
