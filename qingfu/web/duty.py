"""The reads behind the homes that show the duty: "are we within the rules today and this
week?" for a principal, the key indicators per school and what is overdue for the district
and the inspector.

Every figure is counted from the records (class-day rollups, exception requests, weekly
plans, alerts, after-school sessions and marks, rectification notices) when the page is
asked for; each comes with the page where the person acts on it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.afterschool import attendance
from qingfu.afterschool.models import Session
from qingfu.core.actor import Actor
from qingfu.homework.models import Alert, LoadException, WeeklyPlan
from qingfu.inspections.models import Notice
from qingfu.inspections.selectors import notices_for, overdue_notices
from qingfu.oversight import selectors as oversight
from qingfu.oversight.figures import Figures, Period
from qingfu.oversight.models import ClassDayRollup
from qingfu.schools.models import SchoolClass

# The indicators of the district's and the inspector's homes cover the last seven days,
# so a Monday morning does not show an empty week.
RECENT_DAYS = 7


@dataclass(frozen=True)
class DutyCount:
    """One count on a home: what it counts, how many, where to act, and how it reads."""

    key: str
    label: str
    count: int
    url: str
    detail: str = ""
    tone: str = "ok"  # ok (nothing to do) / warn / bad


def recent_period(today: dt.date) -> Period:
    return Period(today - dt.timedelta(days=RECENT_DAYS - 1), today, "custom")


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _tone(count: int, bad: bool = False) -> str:
    if not count:
        return "ok"
    return "bad" if bad else "warn"


def school_duty(*, school_id: int, today: dt.date, now: dt.datetime) -> list[DutyCount]:
    """Today's and this week's duty of one school, for its administrator.

    Internal: the caller has checked that the actor administers the school. ``now`` is the
    school's local time (after-school sessions count as missed once they have ended).
    """
    dashboard = reverse("oversight:school", args=[school_id])
    counts: list[DutyCount] = []

    today_days = ClassDayRollup.objects.filter(school_id=school_id, date=today)
    over = today_days.filter(verdict=ClassDayRollup.Verdict.VIOLATION)
    over_n = over.count()
    approved = over.filter(exceptions_granted__gt=0).count()
    counts.append(
        DutyCount(
            "over_cap",
            _("今天超过上限的班级"),
            over_n,
            f"{dashboard}?period=week",
            _("其中 %(n)d 个经年级组长批准例外") % {"n": approved} if approved else "",
            # A day over the cap with an approved exception is within the rules.
            _tone(over_n - approved, bad=True),
        )
    )
    near = today_days.filter(verdict=ClassDayRollup.Verdict.WARN).count()
    counts.append(
        DutyCount(
            "near_cap", _("今天接近上限的班级"), near, f"{dashboard}?period=week", "", _tone(near)
        )
    )

    pending = LoadException.objects.filter(
        school_id=school_id, status=LoadException.Status.PENDING
    ).count()
    counts.append(
        DutyCount(
            "exceptions",
            _("待年级组长审批的超量例外"),
            pending,
            reverse("homework:week"),
            "",
            _tone(pending),
        )
    )

    monday = _monday(today)
    school_days = oversight.school_days([school_id], monday, monday + dt.timedelta(days=6))
    missing = 0
    if school_days[school_id]:
        grades = set(
            SchoolClass.objects.filter(school_id=school_id).values_list("grade_id", flat=True)
        )
        posted = set(
            WeeklyPlan.objects.filter(
                school_id=school_id, week_start=monday, status=WeeklyPlan.Status.APPROVED
            ).values_list("grade_id", flat=True)
        )
        missing = len(grades - posted)
    counts.append(
        DutyCount(
            "boards",
            _("本周未公示作业的年级"),
            missing,
            reverse("homework:plans"),
            "",
            _tone(missing, bad=True),
        )
    )

    alerts = (
        Alert.objects.filter(school_id=school_id, read_at__isnull=True, date__range=(monday, today))
        .values("kind", "school_class_id", "date", "student_id")
        .distinct()
        .count()
    )
    counts.append(
        DutyCount(
            "alerts",
            _("本周未处理的提醒"),
            alerts,
            f"{dashboard}?period=week",
            _("超量、晚睡，发给班主任和年级组长"),
            _tone(alerts),
        )
    )

    listed = sessions_without_attendance(school_id=school_id, today=today, now=now)
    unmarked = [u for u in listed if u.has_ended]
    counts.append(
        DutyCount(
            "attendance",
            ngettext(
                "近 %(n)d 天未考勤的课后服务场次", "近 %(n)d 天未考勤的课后服务场次", RECENT_DAYS
            )
            % {"n": RECENT_DAYS},
            len(unmarked),
            reverse("afterschool:roster"),
            "",
            _tone(len(unmarked)),
        )
    )

    notices = list(Notice.objects.filter(school_id=school_id).exclude(status=Notice.Status.CLOSED))
    overdue = sum(1 for n in notices if n.deadline < today)
    nearest = min((n.deadline for n in notices if n.deadline >= today), default=None)
    detail = []
    if overdue:
        detail.append(_("%(n)d 份已逾期") % {"n": overdue})
    if nearest is not None:
        detail.append(_("最近期限 %(date)s") % {"date": nearest.isoformat()})
    counts.append(
        DutyCount(
            "notices",
            _("未办结的整改通知"),
            len(notices),
            reverse("inspections:notices"),
            "；".join(detail),
            "bad" if overdue else _tone(len(notices)),
        )
    )
    return counts


@dataclass(frozen=True)
class UnmarkedSession:
    """An after-school session of today or the last days whose attendance was not taken,
    with the page where it is taken (or, once it has ended, corrected)."""

    session: Session
    title: str
    teacher: str
    has_ended: bool
    url: str


def sessions_without_attendance(
    *, school_id: int, today: dt.date, now: dt.datetime
) -> list[UnmarkedSession]:
    """Today's sessions not yet marked and the last ``RECENT_DAYS`` days' sessions that ended
    with no mark, newest first; a session nobody is expected at needs none. The expected
    lists are computed for all the sessions at once, so the page's queries do not grow with
    the number of sessions. Internal: the caller has checked that the actor administers the
    school; ``now`` is the school's local time."""
    since = today - dt.timedelta(days=RECENT_DAYS - 1)
    sessions = list(
        Session.objects.filter(school_id=school_id, date__range=(since, today))
        .annotate(n=Count("marks"))
        .filter(n=0)
        .select_related("segment", "program", "club", "school_class__grade", "duty_teacher")
        .order_by(
            "-date",
            "segment__order",
            "club__name",
            "school_class__grade__number",
            "school_class__number",
        )
    )
    expected = attendance.expected_ids(sessions)
    rows = []
    for session in sessions:
        if not expected[session.pk]:
            continue  # nobody stays for it (all at clubs or gone home): nothing to take
        ended = session.date < today or session.segment.end <= now.time()
        title = (
            session.club.name
            if session.club
            else _("%(c)s 托管与作业辅导") % {"c": session.school_class.name}  # type: ignore[union-attr]
        )
        rows.append(
            UnmarkedSession(
                session=session,
                title=title,
                teacher=session.duty_teacher.name if session.duty_teacher else "",
                has_ended=ended,
                url=f"{reverse('afterschool:duty')}?session={session.pk}",
            )
        )
    return rows


@dataclass
class SchoolIndicators:
    """One school's line on the district's or the inspector's home."""

    figures: Figures  # the last seven days' sums (label = school name, url = its dashboard)
    school_id: int
    overdue_notices: int = 0


@dataclass
class OverdueItem:
    school_name: str
    school_url: str
    text: str
    url: str
    days_overdue: int


@dataclass
class OversightDuty:
    period: Period
    schools: list[SchoolIndicators]
    overdue: list[OverdueItem]


def _overdue_item(
    notice_id: int, school_id: int, school: str, title: str, days: int
) -> OverdueItem:
    return OverdueItem(
        school,
        reverse("oversight:school", args=[school_id]),
        _("整改通知“%(title)s”") % {"title": title},
        reverse("inspections:notice", args=[notice_id]),
        days,
    )


def district_duty(actor: Actor, *, district_id: int, today: dt.date) -> OversightDuty:
    """Each school's key indicators over the last seven days, and the district's overdue
    rectification notices (the school's name links to its dashboard)."""
    period = recent_period(today)
    board = oversight.district_dashboard(actor, district_id, period)
    overdue = overdue_notices(district_id=district_id, today=today)
    per_school = Counter(n.school_id for n in overdue)
    schools = []
    for figures in board.rows:
        school_id = int(str(figures.extra["school_id"]))
        schools.append(SchoolIndicators(figures, school_id, per_school[school_id]))
    items = [
        _overdue_item(n.notice_id, n.school_id, n.school_name, n.title, n.days_overdue)
        for n in overdue
    ]
    return OversightDuty(period, schools, items)


def inspector_duty(actor: Actor, *, today: dt.date) -> OversightDuty:
    """The same for the schools the inspector inspects."""
    period = recent_period(today)
    schools = []
    for school_id in sorted(actor.inspected_school_ids):
        board = oversight.school_dashboard(actor, school_id, period)
        board.total.url = reverse("oversight:school", args=[school_id])
        schools.append(SchoolIndicators(board.total, school_id))
    late = (
        notices_for(actor)
        .filter(Q(deadline__lt=today), school_id__in=actor.inspected_school_ids)
        .exclude(status=Notice.Status.CLOSED)
        .select_related("school")
        .order_by("deadline", "id")
    )
    per_school = Counter(n.school_id for n in late)
    for row in schools:
        row.overdue_notices = per_school[row.school_id]
    items = [
        _overdue_item(n.pk, n.school_id, n.school.name, n.title, (today - n.deadline).days)
        for n in late
    ]
    return OversightDuty(period, schools, items)
