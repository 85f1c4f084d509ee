"""The demo county's burden registry: its offices, the campaign office (减负办), 3 towns
with 12 communities and villages, last year's demands as the baseline and this year's so
far (fewer documents and meetings, a few refused, a few exceptions, one office that keeps
sending unplanned checks), a data request half answered from records, reports of demands
that came outside Qingfu, and the clean-up of apps and work groups.

Written in bulk (a few thousand rows in well under a second): the registry's history is
data, not a replay of the services; the pending demands go through the services so that
the approval queues hold what a clerk would have put there."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import User

from qingfu.burden.models import (
    AppOrGroup,
    Approval,
    Demand,
    DemandHandler,
    InspectionPlanEntry,
    ListEntry,
    ObservationReport,
    UnregisteredReport,
)
from qingfu.burden.services import demand_receivers_set
from qingfu.core.roles import Role
from qingfu.schools.calendars import today_pinned
from qingfu.schools.models import District, RoleGrant, School, Teacher, Unit

OFFICES = (
    ("XWB", "县委办"),
    ("ZFB", "县政府办"),
    ("JYJ", "县教育局"),
    ("MZJ", "县民政局"),
    ("WJW", "县卫健委"),
    ("NYJ", "县农业农村局"),
    ("YJJ", "县应急管理局"),
    ("SJJ", "县市场监管局"),
)
# The county's whitelist of social affairs entering campus (社会事务进校园白名单).
CAMPUS_WHITELIST = ("防溺水安全教育", "近视防控", "交通安全教育", "禁毒教育", "消防安全演练")
TOWNS = (
    ("青禾镇", ("青禾社区", "柳岸村", "石桥村", "南坞村")),
    ("白沙镇", ("白沙社区", "溪口村", "上塘村", "枫林村")),
    ("东湖街道", ("东湖社区", "湖滨社区", "新河社区", "望江社区")),
)
# Per office and year: documents, meetings, inspections (last year, this year's full-year pace).
VOLUME = {
    "XWB": ((14, 9), (10, 6), (2, 2)),
    "ZFB": ((18, 12), (12, 8), (3, 2)),
    "JYJ": ((16, 11), (10, 7), (4, 3)),
    "MZJ": ((12, 8), (8, 6), (3, 2)),
    "WJW": ((12, 9), (9, 7), (3, 3)),
    "NYJ": ((10, 7), (7, 5), (2, 2)),
    "YJJ": ((8, 6), (6, 5), (2, 9)),  # keeps sending unplanned checks
    "SJJ": ((8, 6), (5, 4), (2, 2)),
}
TITLES = {
    "document": (
        "关于做好{t}工作的通知",
        (
            "秋冬季森林防火",
            "困难群众帮扶",
            "安全生产大检查",
            "乡村振兴项目申报",
            "人居环境整治",
            "防汛备汛",
            "医保参保缴费",
        ),
    ),
    "meeting": (
        "{t}工作推进会",
        ("安全生产", "民生实事", "基层治理", "乡村振兴", "疫情防控", "文明创建"),
    ),
    "inspection": (
        "{t}专项检查",
        ("消防安全", "食品安全", "养老机构", "危化品", "农村饮水", "校园周边"),
    ),
}
EXTRA_FIELDS = "学校名称、班级数、在校生人数（人）、教师数、本学期考试次数、食堂从业人员数、心理健康教师数、校车数量"


def _password() -> str:
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    return make_password(str(settings.QINGFU_DEMO_PASSWORD))


def build_county(
    rng: random.Random, district: District, today: dt.date
) -> list[tuple[str, str, str]]:
    """Build the county around ``district``'s schools; the accounts' rows for the README."""
    units = Unit.objects.bulk_create(
        [Unit(district=district, kind=Unit.Kind.OFFICE, name=n, code=c) for c, n in OFFICES]
        + [Unit(district=district, kind=Unit.Kind.CAMPAIGN_OFFICE, name="县减负办", code="JFB")]
    )
    offices = {u.code: u for u in Unit.objects.filter(district=district, kind=Unit.Kind.OFFICE)}
    campaign = Unit.objects.get(district=district, code="JFB")
    towns: list[Unit] = []
    villages: list[Unit] = []
    for i, (town_name, names) in enumerate(TOWNS, start=1):
        town = Unit.objects.create(
            district=district, kind=Unit.Kind.TOWN, name=town_name, code=f"T{i}"
        )
        towns.append(town)
        villages += Unit.objects.bulk_create(
            Unit(
                district=district,
                kind=Unit.Kind.COMMUNITY,
                name=n,
                code=f"T{i}C{j}",
                parent=town,
                is_observation_point=j == 1,
            )
            for j, n in enumerate(names, start=1)
        )
    villages = list(
        Unit.objects.filter(district=district, kind=Unit.Kind.COMMUNITY).order_by("code")
    )
    del units
    schools = list(School.objects.filter(district=district).order_by("code"))
    receivers = towns + villages

    ListEntry.objects.bulk_create(
        [
            ListEntry(district=district, kind="task", name=n, funding_per_year=Decimal(f))
            for n, f in (
                ("低保入户核查", "20000"),
                ("高龄津贴资格认证", "10000"),
                ("退役军人信息采集", "5000"),
                ("防汛值守", "30000"),
            )
        ]
        + [
            ListEntry(district=district, kind="certificate", name=n)
            for n in ("居住证明", "家庭经济困难证明", "无犯罪记录初审意见")
        ]
        + [ListEntry(district=district, kind="campus_activity", name=n) for n in CAMPUS_WHITELIST]
    )
    plans = []
    for year in (today.year - 1, today.year):
        for code, office in offices.items():
            for title in (
                TITLES["inspection"][1][:2] if code != "YJJ" else TITLES["inspection"][1][:1]
            ):
                plans.append(
                    InspectionPlanEntry(
                        district=district, issuer=office, year=year, title=f"{title}年度检查"
                    )
                )
    InspectionPlanEntry.objects.bulk_create(plans)
    plan_of = {
        (p.issuer_id, p.year): p
        for p in InspectionPlanEntry.objects.filter(district=district).order_by("-pk")
    }

    # History: last year in full, this year up to today at this year's pace.
    year_start = dt.date(today.year, 1, 1)
    share = ((today - year_start).days + 1) / 365
    rows: list[tuple[Demand, list[int], list[int]]] = []
    for code, office in offices.items():
        for kind, (last, this) in zip(
            ("document", "meeting", "inspection"), VOLUME[code], strict=True
        ):
            template, topics = TITLES[kind]
            for year, n in ((today.year - 1, last), (today.year, round(this * share))):
                for k in range(n):
                    first = dt.date(year, 1, 1)
                    span = 364 if year < today.year else (today - first).days
                    day = first + dt.timedelta(days=rng.randint(0, span))
                    if kind == "meeting" and day.day <= 7 and year == today.year:
                        day = day.replace(day=rng.randint(8, 28))
                    planned = kind != "inspection" or code != "YJJ" or k == 0
                    unit_ids = [u.pk for u in rng.sample(receivers, rng.randint(2, 8))]
                    school_ids = (
                        [s.pk for s in schools[:2]]
                        if code == "JYJ" and kind != "inspection"
                        else []
                    )
                    d = Demand(
                        district=district,
                        issuer=office,
                        kind=kind,
                        title=template.format(t=rng.choice(topics)),
                        day=day,
                        staff_hours={"document": 2.0, "meeting": 3.0, "inspection": 8.0}[kind]
                        * rng.choice((0.5, 1, 1, 1.5)),
                        attendee_level="分管负责人" if kind == "meeting" else "",
                        status=Demand.Status.SENT,
                        submitted_at=None,
                    )
                    if planned and kind == "inspection":
                        d.plan_entry = plan_of[(office.pk, year)]
                    rows.append((d, unit_ids, school_ids))
    # A few exceptions to the meeting-free week, and refusals.
    for k in range(3):
        day = dt.date(today.year, max(1, today.month - k - 1), 3 + k)
        d = Demand(
            district=district,
            issuer=offices[("ZFB", "YJJ", "WJW")[k]],
            kind="meeting",
            title=("防汛抗旱紧急部署会", "安全生产紧急视频会", "流感防控紧急会商")[k],
            day=day,
            staff_hours=2.0,
            attendee_level="主要负责人",
            exception_reason=("省防指紧急通知，须当日部署", "突发事故后的紧急部署", "疫情形势紧急")[
                k
            ],
            status=Demand.Status.SENT,
        )
        rows.append((d, [u.pk for u in towns], []))
    for k in range(4):
        day = dt.date(today.year, max(1, today.month - k), 10 + k)
        d = Demand(
            district=district,
            issuer=offices["YJJ"],
            kind="inspection",
            title=("燃气安全突击检查", "电动车充电隐患排查", "出租房消防检查", "节前安全大检查")[k],
            day=day,
            staff_hours=8.0,
            status=Demand.Status.REFUSED,
        )
        rows.append((d, [v.pk for v in villages[k * 3 : k * 3 + 3]], []))
    for d, us, ss in rows:  # the counts demand_receivers_set would keep
        d.receiver_unit_count, d.receiver_school_count = len(set(us)), len(set(ss))
    Demand.objects.bulk_create([d for d, _, _ in rows])
    saved = list(Demand.objects.filter(district=district).order_by("pk"))
    through_u = Demand.receiver_units.through
    through_s = Demand.receiver_schools.through
    through_u.objects.bulk_create(
        through_u(demand_id=d.pk, unit_id=u)
        for d, (_, us, _) in zip(saved, rows, strict=True)
        for u in us
    )
    through_s.objects.bulk_create(
        through_s(demand_id=d.pk, school_id=s)
        for d, (_, _, ss) in zip(saved, rows, strict=True)
        for s in ss
    )
    approvals = []
    for d in saved:
        if d.exception_reason:
            approvals.append(
                Approval(
                    district=district,
                    demand=d,
                    role="leader",
                    decision="approved",
                    reason=d.exception_reason,
                )
            )
        elif d.kind == "inspection" and d.plan_entry_id is None:
            approvals.append(
                Approval(
                    district=district,
                    demand=d,
                    role="leader",
                    decision="approved",
                    reason="确有必要",
                )
            )
            approvals.append(
                Approval(
                    district=district,
                    demand=d,
                    role="office",
                    decision="refused" if d.status == Demand.Status.REFUSED else "approved",
                    reason="与年终综合考核合并，不再单独检查"
                    if d.status == Demand.Status.REFUSED
                    else "同意，限一天",
                )
            )
    Approval.objects.bulk_create(approvals)

    # This month: a data request to the schools and a town, half answered from records.
    request = Demand.objects.create(
        district=district,
        issuer=offices["JYJ"],
        kind="data_request",
        title=f"{today.year}年学校基本情况统计表",
        day=today,
        last_day=today + dt.timedelta(days=7),
        staff_hours=4.0,
        field_list=EXTRA_FIELDS,
        status=Demand.Status.SENT,
    )
    demand_receivers_set(request, units=towns[:1], schools=schools[:3])

    # Teachers' burden: whitelisted affairs entering campus this semester, one refused off
    # the whitelist, a secondment within the limit, and a school's report of a form
    # that came through a chat group.
    whitelist = {
        e.name: e for e in ListEntry.objects.filter(district=district, kind="campus_activity")
    }
    school_demands = [
        (
            "campus_activity",
            offices["YJJ"],
            "防溺水安全教育进校园",
            60,
            1.5,
            "防溺水安全教育",
            "sent",
        ),
        ("campus_activity", offices["WJW"], "近视防控宣传进校园", 45, 1.0, "近视防控", "sent"),
        ("campus_activity", offices["SJJ"], "食品安全宣传周签名活动", 30, 2.0, None, "refused"),
        ("secondment", offices["ZFB"], "借调一名教师参加创建迎检", 75, 0.0, None, "sent"),
    ]
    for kind, issuer, title, ago, hours, listed, status in school_demands:
        day = today - dt.timedelta(days=ago)
        demand = Demand.objects.create(
            district=district, issuer=issuer, kind=kind, title=title, day=day,
            last_day=day + dt.timedelta(days=120) if kind == "secondment" else None,
            staff_hours=hours, status=status,
            list_entry=whitelist.get(listed) if listed else None,
        )  # fmt: skip
        demand_receivers_set(
            demand, units=(), schools=schools[:2] if kind == "campus_activity" else schools[:1]
        )
    _name_handlers(district, request)
    UnregisteredReport.objects.create(
        district=district, receiver_school=schools[0], issuer=offices["SJJ"],
        what="微信群通知各校当天上报食品安全自查表", day=today - dt.timedelta(days=5),
        channel="wechat",
    )  # fmt: skip

    # The observation points' monthly reports, up to last month: lighter as the year goes.
    points = Unit.objects.filter(district=district, is_observation_point=True)
    ObservationReport.objects.bulk_create(
        ObservationReport(
            district=district,
            unit=point,
            month=dt.date(today.year, month, 1),
            hours=round(rng.uniform(30, 60) - month * 1.5, 1),
            unregistered=rng.choice((0, 0, 1, 2)),
            compared="lighter" if month % 3 else rng.choice(("heavier", "same")),
        )
        for point in points
        for month in range(1, today.month)
    )

    # Reports of demands that came outside Qingfu, and the clean-up of groups.
    UnregisteredReport.objects.bulk_create(
        [
            UnregisteredReport(
                district=district,
                receiver_unit=villages[1],
                issuer=offices["WJW"],
                what="微信群要求当天上报入户随访照片",
                day=today - dt.timedelta(days=3),
                channel="wechat",
            ),
            UnregisteredReport(
                district=district,
                receiver_unit=villages[5],
                issuer=offices["YJJ"],
                what="电话通知周末前报送隐患排查台账",
                day=today - dt.timedelta(days=9),
                channel="phone",
            ),
            UnregisteredReport(
                district=district,
                receiver_unit=villages[8],
                issuer=offices["NYJ"],
                what="钉钉群要求每日打卡上传巡查定位",
                day=today - dt.timedelta(days=30),
                channel="dingtalk",
                status="handled",
                handling_note="已约谈县农业农村局，取消打卡要求，改为每月汇总一次",
            ),
        ]
    )
    apps = []
    for i, unit in enumerate(receivers):
        for j, (kind, name) in enumerate(
            (("wechat", "工作群"), ("wechat", "通知群"), ("dingtalk", "打卡群"))
        ):
            status = (
                ("closed", "merged", "kept")[(i + j) % 3]
                if j < 2
                else ("closed" if i % 4 else "kept")
            )
            features = ["check-in", "location"] if kind == "dingtalk" and status == "kept" else []
            apps.append(
                AppOrGroup(
                    district=district,
                    unit=unit,
                    name=f"{unit.name}{name}",
                    kind=kind,
                    purpose="上传下达",
                    owner="综合办",
                    status=status,
                    features=features,
                )
            )
    AppOrGroup.objects.bulk_create(apps)

    password = _password()
    accounts = (
        ("clerk", "县民政局 何科员", Role.ISSUER_CLERK, offices["MZJ"]),
        ("leader", "县民政局 分管领导 罗副局长", Role.ISSUER_LEADER, offices["MZJ"]),
        ("jianfu", "县减负办 陈主任", Role.CAMPAIGN_OFFICER, campaign),
        ("town1", "青禾镇 党政办 吴干事", Role.RECEIVER, towns[0]),
        ("village1", "青禾社区 刘书记", Role.RECEIVER, villages[0]),
    )
    rows_out = []
    for username, display, role, unit in accounts:
        user = User.objects.create(username=username, first_name=display, password=password)
        RoleGrant.objects.create(user=user, role=role, unit=unit)
        rows_out.append((str(role.label), username, display))
    with today_pinned(today):
        build_pending(today)
    return rows_out


def _name_handlers(district: District, request: Demand) -> None:
    """The demo school's principal has named who handles (承办人) this month's data request
    (``math32`` and ``head32``) and the drowning-prevention talk (``head32``): their homes
    show their shares, the other teachers share the rest of what landed on the school."""
    teachers = {
        t.user.username: t
        for t in Teacher.objects.filter(
            school__district=district, user__username__in=("math32", "head32")
        ).select_related("user")
        if t.user is not None
    }
    if len(teachers) < 2:
        return
    school_id = teachers["math32"].school_id
    talk = Demand.objects.filter(
        district=district, title="防溺水安全教育进校园", receiver_schools=school_id
    ).first()
    named = [(request, "math32"), (request, "head32")] + ([(talk, "head32")] if talk else [])
    DemandHandler.objects.bulk_create(
        DemandHandler(district=district, demand=demand, school_id=school_id, teacher=teachers[who])
        for demand, who in named
        if demand.receiver_schools.filter(pk=school_id).exists()
    )


def build_pending(today: dt.date) -> None:
    """Two demands waiting in the queues, put there by the services as a clerk would."""
    from qingfu.burden import services
    from qingfu.burden.data import DemandInput
    from qingfu.schools.actors import actor_for

    clerk = actor_for(User.objects.get(username="clerk"))
    issuer = min(clerk.units_as(Role.ISSUER_CLERK))
    office = Unit.objects.get(pk=issuer)
    towns = list(
        Unit.objects.filter(district_id=office.district_id, kind=Unit.Kind.TOWN).values_list(
            "pk", flat=True
        )
    )
    later = today + dt.timedelta(days=14)
    services.demand_create_and_submit(
        actor=clerk,
        issuer_id=issuer,
        data=DemandInput(
            kind="inspection",
            title="养老机构冬季消防安全专项检查",
            day=later,
            receiver_unit_ids=tuple(towns),
            staff_hours=6.0,
        ),
        confirm=True,
    )
    waiting = services.demand_create_and_submit(
        actor=clerk,
        issuer_id=issuer,
        data=DemandInput(
            kind="inspection",
            title="社会救助资金使用情况临时督查",
            day=later + dt.timedelta(days=1),
            receiver_unit_ids=tuple(towns[:2]),
            staff_hours=6.0,
        ),
        confirm=True,
    )
    services.demand_decide(
        actor=actor_for(User.objects.get(username="leader")),
        demand_id=waiting.pk,
        role="leader",
        approve=True,
        reason="审计反馈问题，确需核查",
    )
    first_next = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=2)
    services.demand_create_and_submit(
        actor=clerk,
        issuer_id=issuer,
        data=DemandInput(
            kind="meeting",
            title="冬季救助工作紧急部署会",
            day=first_next,
            receiver_unit_ids=tuple(towns),
            staff_hours=2.0,
            attendee_level="分管负责人",
            exception_reason="寒潮预警，须在月初部署",
        ),
        confirm=True,
    )
