"""Demo surveys: a closed district-wide burden survey from about six weeks ago, and in the
demo school an open one that ``parent32`` and ``student32`` see on their home pages.

The closed survey simulates families who answered on paper or a shared link, so it stores
its invited counts (the whole roster in scope) and anonymous responses without per-person
invitations. Its answers follow the demo's homework load: minutes grow with the grade,
late finishes and short nights follow long homework, and over-cap days raise the stress
reported. Everything is drawn from the builder's seeded ``random.Random``, including the
responses' keys, so two builds are identical.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter

from django.contrib.auth.models import User
from django.utils import timezone

from qingfu.core.roles import Role
from qingfu.schools.actors import actor_for
from qingfu.schools.models import GuardianLink, RoleGrant, School, Student, Teacher
from qingfu.surveys import services
from qingfu.surveys.models import Invitation, InvitedGroup, Response, Survey
from qingfu.surveys.questionnaire import STUDENT_GRADES

# Typical minutes of written homework a night by grade in the demo (grades 1-2: almost none).
MEAN_MINUTES = {1: 6, 2: 9, 3: 31, 4: 36, 5: 41, 6: 45, 7: 58, 8: 65, 9: 74}
CAP = {1: 0, 2: 0, 3: 60, 4: 60, 5: 60, 6: 60, 7: 90, 8: 90, 9: 90}
RATE = {"student": 0.68, "guardian": 0.57, "teacher": 0.82}

FAMILY_COMMENTS = (
    "希望周末的作业再少一些，多留时间运动。",
    "孩子数学作业有时做到很晚，希望分层作业多一些选择。",
    "课后服务的社团很好，孩子很喜欢，希望增加体育类社团。",
    "作业量总体合适，感谢老师。",
    "希望老师不要在家长群里要求拍照打卡。",
    "英语听读作业希望能在学校完成一部分。",
    "孩子睡得比以前早了，很满意。",
    "希望考试前的复习作业不要集中布置。",
    "课后服务结束时间能否再晚一点，方便接送。",
    "作文作业希望给的时间宽裕一些。",
)
TEACHER_COMMENTS = (
    "各类填表和材料报送还是偏多，希望进一步精简。",
    "弹性上下班落实得不错，课后服务压力减轻了。",
    "希望年级组统筹作业的时间固定下来。",
    "进校园活动太多，影响正常教学安排。",
    "分层作业设计需要更多教研时间。",
)


def _bucket(minutes: float) -> str:
    if minutes < 5:
        return "none"
    if minutes <= 30:
        return "le30"
    if minutes <= 60:
        return "31-60"
    if minutes <= 90:
        return "61-90"
    return "gt90"


def _finish(minutes: float, rng: random.Random) -> str:
    # Most start around 18:30 after dinner; a long evening ends late.
    end = 18.5 + minutes / 60 + rng.gauss(0, 0.5)
    for limit, value in ((19, "before19"), (20, "19-20"), (21, "20-21"), (22, "21-22")):
        if end < limit:
            return value
    return "after22"


def _bedtime(grade: int, minutes: float, rng: random.Random) -> str:
    late = max(0.0, minutes - CAP[grade]) / 60
    hour = (20.9 if grade <= 6 else 21.6) + late + rng.gauss(0, 0.35)
    for limit, value in ((21, "before2100"), (21.5, "2100-2130"), (22, "2130-2200"), (23, "2200-2300")):  # fmt: skip
        if hour < limit:
            return value
    return "after2300"


def _sleep(grade: int, minutes: float, rng: random.Random) -> str:
    hours = (9.9 if grade <= 6 else 8.8) - max(0.0, minutes - CAP[grade]) / 90 + rng.gauss(0, 0.5)
    for limit, value in ((7, "lt7"), (8, "7-8"), (9, "8-9"), (10, "9-10")):
        if hours < limit:
            return value
    return "ge10"


def _likert(center: float, rng: random.Random) -> int:
    return min(5, max(1, round(center + rng.gauss(0, 0.8))))


def simulate_family(audience: str, grade: int, rng: random.Random) -> dict[str, str | int]:
    """One plausible set of answers from a student or a guardian about a child in ``grade``."""
    minutes = max(0.0, rng.gauss(MEAN_MINUTES[grade], 8 + MEAN_MINUTES[grade] / 5))
    if grade <= 2 and rng.random() < 0.85:
        minutes = 0.0  # grades 1-2: practice stays at school
    over = minutes > CAP[grade] and grade >= 3
    answers: dict[str, str | int] = {"hw_minutes": _bucket(minutes)}
    if audience == "student":
        answers["finish_time"] = _finish(minutes, rng)
    else:
        answers["bedtime"] = _bedtime(grade, minutes, rng)
    answers["sleep_hours"] = _sleep(grade, minutes, rng)
    if over:
        answers["hw_amount"] = rng.choices(["right", "much", "too_much"], [3, 5, 2])[0]
    else:
        answers["hw_amount"] = rng.choices(["little", "right", "much"], [1, 12, 2])[0]
    answers["stress"] = _likert(1.9 + (grade >= 7) * 0.6 + over * 0.9, rng)
    joins = rng.random() < (0.85 if grade <= 6 else 0.6)
    answers["after_school"] = "yes" if joins else "no"
    if joins:
        answers["after_school_satisfaction"] = _likert(4.1, rng)
    if audience == "guardian" and rng.random() < 0.08:
        answers["suggestions"] = rng.choice(FAMILY_COMMENTS)
    return answers


def simulate_teacher(rng: random.Random) -> dict[str, str | int]:
    answers: dict[str, str | int] = {
        "class_hw_within_cap": rng.choices(["always", "mostly", "often_not"], [12, 7, 1])[0],
        "non_teaching_hours": max(0, round(rng.gauss(7, 3))),
        "stress": _likert(3.1, rng),
        "after_school_satisfaction": _likert(3.6, rng),
    }
    if rng.random() < 0.12:
        answers["suggestions"] = rng.choice(TEACHER_COMMENTS)
    return answers


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def build_surveys(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    officer = (
        RoleGrant.objects.filter(role=Role.DISTRICT_OFFICER, district_id=school.district_id)
        .select_related("user")
        .order_by("id")
        .first()
    )
    principal = (
        RoleGrant.objects.filter(role=Role.SCHOOL_ADMIN, school=school)
        .select_related("user")
        .order_by("id")
        .first()
    )
    owner = officer.user if officer else principal.user if principal else None
    if owner is None:
        return
    _closed_survey(rng, school, today, owner)
    if (
        principal is not None
        and Student.objects.filter(school=school, user__username="student32").exists()
    ):
        _open_survey(rng, school, today, principal.user)


def _closed_survey(rng: random.Random, school: School, today: dt.date, owner: User) -> None:
    opened_on, closed_on = today - dt.timedelta(days=42), today - dt.timedelta(days=30)
    title = f"{opened_on.year}年{opened_on.month}月课业负担调查"
    survey = Survey.objects.filter(district_id=school.district_id, school=None, title=title).first()
    if survey is None:
        survey = Survey.objects.create(
            district_id=school.district_id, school=None, title=title,
            audiences=["student", "guardian", "teacher"], status=Survey.Status.CLOSED,
            created_by=owner, opened_by=owner, opened_at=_at(opened_on, 8),
            closed_by=owner, closed_at=_at(closed_on, 17),
        )  # fmt: skip
    students = Counter(
        Student.objects.filter(
            school=school, is_active=True, school_class__grade__number__in=list(STUDENT_GRADES)
        ).values_list("school_class__grade__number", flat=True)
    )
    guardians = Counter(
        GuardianLink.objects.filter(student__school=school, student__is_active=True).values_list(
            "student__school_class__grade__number", flat=True
        )
    )
    teachers = Teacher.objects.filter(school=school).count()
    groups: list[tuple[str, int | None, int]] = [
        ("student", g, n) for g, n in sorted(students.items())
    ]
    groups += [("guardian", g, n) for g, n in sorted(guardians.items())]
    groups += [("teacher", None, teachers)] if teachers else []
    InvitedGroup.objects.bulk_create(
        InvitedGroup(survey=survey, school=school, audience=a, grade=g, invited=n)
        for a, g, n in groups
    )
    days = (closed_on - opened_on).days
    school_rate = rng.uniform(0.85, 1.1)
    responses = []
    for audience, grade, invited in groups:
        answered = min(
            invited, round(invited * RATE[audience] * school_rate * rng.uniform(0.9, 1.1))
        )
        for _ in range(answered):
            answers = (
                simulate_teacher(rng) if grade is None else simulate_family(audience, grade, rng)
            )
            responses.append(
                Response(
                    id=_key(rng),
                    survey=survey,
                    school=school,
                    audience=audience,
                    grade=grade,
                    answers=answers,
                    submitted_on=opened_on
                    + dt.timedelta(days=min(days, int(rng.expovariate(0.3)))),
                )
            )
    Response.objects.bulk_create(responses, batch_size=1000)


def _open_survey(rng: random.Random, school: School, today: dt.date, principal: User) -> None:
    """The demo school's own survey, open since Monday of last week: most teachers have
    answered; ``parent32`` and ``student32`` still have theirs to fill in."""
    actor = actor_for(principal)
    survey = services.survey_create(
        actor=actor, title="本学期期中课业负担调查", audiences=["student", "guardian", "teacher"],
        school_id=school.pk,
    )  # fmt: skip
    services.survey_open(actor=actor, survey_id=survey.pk)
    opened_on = today - dt.timedelta(days=today.weekday() + 7)
    Survey.objects.filter(pk=survey.pk).update(opened_at=_at(opened_on, 8))
    teachers = list(
        Invitation.objects.filter(survey=survey, audience="teacher").order_by("user__username")
    )
    answered = [i for i in teachers if rng.random() < 0.7]
    Invitation.objects.filter(pk__in=[i.pk for i in answered]).update(is_used=True)
    Response.objects.bulk_create(
        Response(
            id=_key(rng),
            survey=survey,
            school=school,
            audience="teacher",
            answers=simulate_teacher(rng),
            submitted_on=opened_on
            + dt.timedelta(days=rng.randrange(max(1, (today - opened_on).days))),
        )
        for _ in answered
    )
