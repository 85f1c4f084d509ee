"""Two weeks of real records in the test world's school A, made through the services that
teachers, leaders and families use, and the rollups rebuilt from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from qingfu.conftest import World
from qingfu.homework import logs
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import LoadException
from qingfu.homework.services import exception_decide, homework_publish
from qingfu.oversight.services import rollups_rebuild
from qingfu.reports.data import Period
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Student, Subject
from qingfu.schools.tests import factories as f

SH = ZoneInfo("Asia/Shanghai")
START = dt.date(2026, 9, 7)  # Monday; two ordinary school weeks follow
END = dt.date(2026, 9, 18)
PERIOD = Period(START, END, "9月7日至9月18日", is_named=False)
TODAY = dt.date(2026, 12, 1)
STUDENT_NAMES = ("张小一", "李小二", "王小三", "赵小乙", "钱小六", "孙小七", "周小八", "吴小九")


def actor(user: User):  # type: ignore[no-untyped-def]
    return actor_for(User.objects.get(pk=user.pk))


@dataclass
class Activity:
    extra_students: list[Student]


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekdays: the test period has no public holiday or make-up day."""
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def publish(world: World, day: dt.date, minutes: int, classes, *, reason: str | None = None):  # type: ignore[no-untyped-def]
    subject = Subject.objects.get(school=world.a, code="math")
    item = ItemDraft(content="练习", kind="written", tier="basic", minutes=minutes, place="home")
    return homework_publish(
        actor=actor(world.users["math3"]),
        draft=HomeworkDraft(subject.pk, tuple(c.pk for c in classes), day, day, (item,)),
        exception_reason=reason,
    )


def make_activity(world: World) -> Activity:
    """Homework for 3(1) and 3(2) every school day, one granted exception (3(1), 75 min on
    the second Wednesday), seven families of 3(1) logging every evening, two of them late."""
    extra = []
    for n, name in enumerate((*STUDENT_NAMES[4:], "郑小十", "冯小十一"), 1):
        student = f.StudentFactory(school_class=world.c31, name=name)
        guardian = f.GuardianFactory(
            school=world.a, user=f.UserFactory(username=f"family{n}"), name=f"{name}家长"
        )
        f.link(guardian, student)
        extra.append(student)
    for i, day in enumerate(school_days(START, END)):
        publish(world, day, 30 + 5 * (i % 3), (world.c31, world.c32))
    over_day = dt.date(2026, 9, 16)
    publish(world, over_day, 40, (world.c31,), reason="单元复习，次日不布置书面作业")
    exception_decide(
        actor=actor(world.users["leader3"]),
        exception_id=LoadException.objects.get().pk,
        grant=True,
        reason="同意，请次日减量",
    )
    subject = Subject.objects.get(school=world.a, code="math")
    families = [(world.users["guardian1"], world.s1)] + [
        (User.objects.get(username=f"family{n}"), s) for n, s in enumerate(extra, 1)
    ]
    for day in school_days(START, END):
        for k, (user, student) in enumerate(families):
            finished = dt.time(21, 45) if k < 2 and day.weekday() == 0 else dt.time(20, 10)
            logs.timelog_submit(
                actor=actor(user), student_id=student.pk, day=day,
                minutes={subject.pk: 30 + k}, finished_at=finished, could_not_finish=False,
                reason="", now=dt.datetime.combine(day, dt.time(23, 30), SH),
            )  # fmt: skip
    rollups_rebuild(school_ids=[world.a.pk])
    return Activity(extra)
