"""The demo's inspections: the demo inspector visited each of their schools last month.

At the demo school one notice was answered and closed and one is open; at the second school
one notice is overdue, so the district's list has something to highlight. The visits go
through the same services as a real one (checklist from the profile, evidence from records),
so the evidence says what the records said when the builder ran.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from qingfu.core.actor import Actor
from qingfu.core.roles import Role
from qingfu.homework.models import LoadException
from qingfu.inspections import institutions, services
from qingfu.inspections.models import ChecklistItem, InstitutionNotice, Notice, NoticeEvent
from qingfu.schools.actors import actor_for
from qingfu.schools.calendars import today_pinned
from qingfu.schools.models import District, RoleGrant, School
from qingfu.training.models import Institution

MARKS = {
    "hw-cap": ("mostly", "个别班级书面作业超过每日上限，年级组统筹需加强。"),
    "hw-publicity": ("fails", "部分周作业计划未按时经“双组长”审核公示。"),
    "hw-content": ("conforms", ""),
    "hw-time": ("conforms", ""),
    "afterschool": ("conforms", ""),
    "exam": ("conforms", ""),
    "sleep": ("conforms", ""),
    "fitness": ("mostly", "雨天大课间改为室内活动，时长不足。"),
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build_inspections(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    grant = (
        RoleGrant.objects.filter(role=Role.INSPECTOR, school=school)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if grant is None:
        return
    inspected = list(
        RoleGrant.objects.filter(role=Role.INSPECTOR, user=grant.user)
        .order_by("school__code")
        .values_list("school_id", flat=True)
    )
    position = inspected.index(school.pk)
    if position > 1:
        return
    inspector = actor_for(grant.user)
    # The last weekday of last month, so the period under review has the demo's activity.
    # Last month's last school day, at least 16 days ago: the notice answered 12 days after
    # the visit and closed 2 days later are both dated before today.
    visit_day = min(today.replace(day=1) - dt.timedelta(days=1), today - dt.timedelta(days=16))
    while visit_day.weekday() >= 5:
        visit_day -= dt.timedelta(days=1)
    visit = services.visit_start(
        actor=inspector, school_id=school.pk, day=visit_day, today=visit_day
    )
    items = {i.area: i for i in ChecklistItem.objects.filter(visit=visit)}
    services.checklist_save(
        actor=inspector,
        visit_id=visit.pk,
        marks={
            items[area].pk: services.MarkInput(mark, note)
            for area, (mark, note) in MARKS.items()
            if area in items
        },
    )
    services.visit_complete(
        actor=inspector,
        visit_id=visit.pk,
        summary="学校“双减”工作总体扎实，作业总量统筹和公示需进一步规范。",
    )

    def issue(area: str, title: str, requirement: str, deadline: dt.date) -> Notice:
        item = items[area]
        return services.notice_issue(
            actor=inspector,
            visit_id=visit.pk,
            data=services.NoticeInput(
                item_id=item.pk,
                title=title,
                problem=f"{item.note}\n记录显示：{item.evidence}",
                requirement=requirement,
                deadline=deadline,
            ),
            today=visit_day,
        )

    if position == 0:
        closed = issue(
            "hw-cap",
            "关于作业总量统筹的整改通知",
            "各年级组每周统筹各学科书面作业总量，确保每天不超过规定上限；确需超出的须事先申请例外。",
            visit_day + dt.timedelta(days=21),
        )
        issue(
            "hw-publicity",
            "关于周作业计划公示的整改通知",
            "每周五前由年级组长和行政干部审核下周作业计划并公示，公示后调整须留记录。",
            today + dt.timedelta(days=10),
        )
        admin = RoleGrant.objects.filter(role=Role.SCHOOL_ADMIN, school=school).first()
        if admin is not None:
            answered = visit_day + dt.timedelta(days=12)
            since = f"{visit_day.month}月{visit_day.day}日"
            services.notice_respond(
                actor=actor_for(admin.user),
                notice_id=closed.pk,
                measures="已召开年级组长会议，建立每周作业总量统筹表；"
                "超量须提前申请例外并经年级组长审批。"
                + over_cap_since(school, visit_day, answered),
                references=[f"{since}起各年级周作业计划", "作业例外审批记录"],
                today=answered,
            )
            services.notice_accept(
                actor=inspector,
                notice_id=closed.pk,
                comment=f"已查看{since}以来记录，整改到位。",
                today=answered + dt.timedelta(days=2),
            )
            for kind, day, hour in (
                ("responded", answered, 16),
                ("closed", answered + dt.timedelta(days=2), 10),
            ):
                NoticeEvent.objects.filter(notice=closed, kind=kind).update(at=_at(day, hour))
    else:
        issue(
            "hw-publicity",
            "关于周作业计划公示的整改通知",
            "每周五前由年级组长和行政干部审核下周作业计划并公示。",
            visit_day + dt.timedelta(days=14),
        )
    # The visit happened last month: date its records accordingly.
    Notice.objects.filter(visit=visit).update(issued_at=_at(visit_day, 15))
    NoticeEvent.objects.filter(notice__visit=visit, kind="issued").update(at=_at(visit_day, 15))


# --- inspections of training institutions ------------------------------------------------------

INSTITUTION_MARKS = {
    "trn-registration": ("conforms", ""),
    "trn-schedule": ("mostly", "现场查看周四晚班，实际 20:40 下课，晚于备案的 20:10。"),
    "trn-prices": ("conforms", ""),
    "trn-prepaid": ("fails", "抽查 6 份收费凭证，2 份未注明课时数和退费办法。"),
    "trn-complaints": ("conforms", ""),
}
RECTIFYING_MARKS = {
    "trn-registration": ("fails", "培训场所消防通道被杂物堵塞，安全出口指示灯损坏。"),
    "trn-schedule": ("conforms", ""),
    "trn-prices": ("conforms", ""),
    "trn-prepaid": ("conforms", ""),
    "trn-complaints": ("conforms", ""),
}


def over_cap_since(school: School, start: dt.date, end: dt.date) -> str:
    """What the school's reply says of its over-cap class-days from ``start`` to before
    ``end``, from the records: publishing refuses a day over the cap unless the grade-group
    leader grants an exception, so those days are the granted exceptions' class-days."""
    days = set(
        LoadException.objects.filter(
            school=school,
            status=LoadException.Status.GRANTED,
            date__gte=start,
            date__lt=end,
        ).values_list("school_class_id", "date")
    )
    since = f"{start.month}月{start.day}日"
    if not days:
        return f"{since}起未再出现超量班级日。"
    return f"{since}起超量班级日 {len(days)} 个，均事先申请例外并经年级组长批准。"


def _weekday_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _institution_visit(
    officer: Actor,
    institution_id: int,
    day: dt.date,
    marks: dict[str, tuple[str, str]],
    summary: str,
    notices: list[tuple[str, str, str, dt.date]],
) -> list[InstitutionNotice]:
    """A completed visit on ``day`` with its marks, and its notices (area, title,
    requirement, deadline) issued the same day; all dated ``day`` through the services."""
    with today_pinned(day):
        visit = institutions.visit_start(
            actor=officer, institution_id=institution_id, day=day, today=day
        )
        items = {i.area: i for i in visit.items.all()}
        institutions.checklist_save(
            actor=officer,
            visit_id=visit.pk,
            marks={
                items[area].pk: services.MarkInput(mark, note)
                for area, (mark, note) in marks.items()
                if area in items
            },
        )
        institutions.visit_complete(actor=officer, visit_id=visit.pk, summary=summary)
        return [
            institutions.notice_issue(
                actor=officer,
                visit_id=visit.pk,
                data=services.NoticeInput(
                    item_id=items[area].pk,
                    title=title,
                    problem=f"{items[area].note}\n记录显示：{items[area].evidence}",
                    requirement=requirement,
                    deadline=deadline,
                ),
                today=day,
            )
            for area, title, requirement, deadline in notices
        ]


def build_institution_inspections(
    rng: random.Random, district: District, today: dt.date
) -> list[tuple[str, str, str]]:
    """The demo district's inspections of training institutions (a district builder, after
    the training registry's): the demo institution (``inst1``) was visited four weeks ago —
    its prepaid-fee notice answered and closed, its schedule notice unanswered and overdue —
    and the institution under rectification twelve days ago, its notice open. Every date is
    on or before ``today``."""
    grant = (
        RoleGrant.objects.filter(role=Role.TRAINING_OFFICER, district=district)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    registry = Institution.objects.filter(district=district).order_by("pk")
    first = registry.first()
    if grant is None or first is None:
        return []
    officer = actor_for(grant.user)
    day = _weekday_before(today - dt.timedelta(days=28))
    closed, _overdue = _institution_visit(
        officer,
        first.pk,
        day,
        INSTITUTION_MARKS,
        "机构证照齐全，教师均持证；课后下课时间和预收费凭证需规范。",
        [
            (
                "trn-prepaid",
                "关于规范预收费凭证的整改通知",
                "收费凭证须注明课时数、单价、退费办法，并全部通过资金监管账户收取。",
                day + dt.timedelta(days=21),
            ),
            (
                "trn-schedule",
                "关于严格执行备案课表的整改通知",
                "按备案时间上下课，线下培训结束时间不得晚于 20:30；调整课表须重新备案。",
                day + dt.timedelta(days=14),
            ),
        ],
    )
    staff = (
        RoleGrant.objects.filter(role=Role.INSTITUTION_STAFF, unit_id=first.unit_id)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    if staff is not None:
        answered = day + dt.timedelta(days=9)
        with today_pinned(answered):
            institutions.notice_respond(
                actor=actor_for(staff.user),
                notice_id=closed.pk,
                measures="已重新印制收费凭证，注明课时数、单价和退费办法；"
                "本学期全部收费已核对均进入监管账户，凭证复印件已上传。",
                today=answered,
            )
        with today_pinned(answered + dt.timedelta(days=2)):
            institutions.notice_accept(
                actor=officer,
                notice_id=closed.pk,
                comment="已抽查新凭证，整改到位，予以销号。",
                today=answered + dt.timedelta(days=2),
            )
    rectifying = registry.filter(status=Institution.Status.RECTIFYING).first()
    if rectifying is not None:
        day = _weekday_before(today - dt.timedelta(days=12))
        _institution_visit(
            officer,
            rectifying.pk,
            day,
            RECTIFYING_MARKS,
            "场所消防安全不符合要求，责令限期整改，整改期间暂停新招生。",
            [
                (
                    "trn-registration",
                    "关于消防安全隐患的整改通知",
                    "清理消防通道，修复安全出口指示灯，整改完成后报区教育局复查。",
                    day + dt.timedelta(days=30),
                )
            ],
        )
    return []
