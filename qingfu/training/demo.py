"""The demo district's off-campus training: 30 institutions, their trainers, courses,
weekly schedules for the term and prepaid charges, and 15 complaints in every status.

Everything goes through the services an officer and an institution's staff use, so every
filing was checked by the policy when the builder ran. Most institutions are compliant
(the academic ones non-profit, their trainers certified); the district then narrows the
price band to 8% (a stricter district override) and the officer's recheck refuses the
courses of three institutions priced 9.5% over the benchmark; one institution is under
rectification and one is blacklisted. The demo accounts are ``training`` (the officer) and
``inst1`` (the staff of the first academic institution).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from qingfu.core.errors import ValidationFailed
from qingfu.core.roles import Role
from qingfu.schools.actors import actor_for
from qingfu.schools.models import District, PolicyOverride, RoleGrant
from qingfu.training import services
from qingfu.training.codes import check_character
from qingfu.training.models import Complaint, Institution

# (name, subcategory, courses as (name, subject, grades, benchmark or None, price))
ACADEMIC = [
    ("青禾启明学科培训中心", "数学", 7, 9),
    ("青禾学府课业辅导中心", "语文", 3, 6),
    ("青禾致远学科培训学校", "英语", 4, 9),
    ("文昌书院学科培训中心", "语文", 1, 6),
    ("青禾博思学科辅导中心", "数学", 3, 6),
    ("江南育才课业辅导学校", "物理", 8, 9),
    ("青禾明德学科培训中心", "英语", 3, 6),
    ("科创路学科辅导中心", "数学", 7, 9),
    ("青禾求知学科培训学校", "化学", 9, 9),
    ("青禾星火课业辅导中心", "语文", 7, 9),
    ("青禾蒲公英学科培训中心", "英语", 1, 6),
    ("青禾同心学科辅导学校", "数学", 1, 6),
]
NON_ACADEMIC = [
    ("青禾小白鹭舞蹈艺术", "arts", "中国舞"),
    ("青禾童声合唱艺术中心", "arts", "合唱"),
    ("青禾墨香书法艺术", "arts", "书法"),
    ("青禾彩虹美术培训", "arts", "美术"),
    ("青禾琴韵钢琴艺术", "arts", "钢琴"),
    ("青禾飞羽羽毛球俱乐部", "sports", "羽毛球"),
    ("青禾少年篮球训练营", "sports", "篮球"),
    ("青禾游泳培训中心", "sports", "游泳"),
    ("青禾跆拳道馆", "sports", "跆拳道"),
    ("青禾围棋棋院", "other", "围棋"),
    ("青禾少儿足球俱乐部", "sports", "足球"),
    ("青禾乒乓球训练中心", "sports", "乒乓球"),
    ("青禾星空科技创客", "science", "编程"),
    ("青禾机器人创新实验室", "science", "机器人"),
    ("青禾航模科技社", "science", "航模"),
    ("青禾小小科学家", "science", "科学实验"),
    ("青禾街舞工作室", "arts", "街舞"),
    ("青禾陶艺手作坊", "arts", "陶艺"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "静敏丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华芳"
BANKS = ("江南银行青禾支行", "青禾农商银行城区支行", "中国建设银行青禾支行")
COMPLAINTS = [
    "周六上午仍在上初中数学课，家长群里通知不要对外说。",
    "一次性收取了一学年的费用，要求退费被拒绝。",
    "暑假期间以“托管”名义集中讲授语文、数学新课。",
    "培训场所在居民楼内，没有消防通道，门口也没有公示二维码。",
    "老师没有教师资格证，上课内容超出学校进度。",
    "晚上九点半才下课，孩子回家太晚。",
    "线上课程每节 60 分钟，中间没有休息。",
    "收费没有进入监管账户，让家长转账到个人微信。",
    "机构更名后继续招生，疑似黑名单机构换壳经营。",
    "宣传单上写“保证提分”“名师押题”，涉嫌虚假宣传。",
    "寒假班一天八小时，连续十天。",
    "退费时扣除高额违约金。",
    "招生时承诺小班，实际一个班四十多人。",
    "要求家长购买指定教辅资料。",
    "课时卡过期作废，剩余课时不退。",
]


def credit_code(n: int) -> str:
    """A valid demo code: a private non-enterprise unit (52) of the demo district (330199)."""
    body = f"52330199MJ{n:07d}"
    return body + check_character(body)


def _user(username: str, display: str, password: str) -> User:
    return User.objects.create(username=username, first_name=display, password=password)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


@transaction.atomic
def build_district(
    rng: random.Random, district: District, today: dt.date, password: str
) -> list[tuple[str, str, str]]:
    """Build the district's training records; returns the demo accounts' rows."""
    officer_user = _user("training", "教育局 校外培训监管 王科长", password)
    RoleGrant.objects.create(user=officer_user, role=Role.TRAINING_OFFICER, district=district)
    officer = actor_for(officer_user)
    term_first, term_last = dt.date(2026, 10, 12), dt.date(2027, 1, 15)
    made: list[Institution] = []
    specs: list[tuple[str, str, str, str, int, int]] = [
        (name, "academic", "compulsory", subject, lo, hi) for name, subject, lo, hi in ACADEMIC
    ] + [(name, "non-academic", sub, subject, 1, 9) for name, sub, subject in NON_ACADEMIC]
    for n, (name, category, sub, subject, lo, hi) in enumerate(specs, start=1):
        academic = category == "academic"
        institution = services.institution_create(
            actor=officer,
            district_id=district.pk,
            data=services.InstitutionInput(
                name=name,
                credit_code=credit_code(n),
                licence_number=f"教民1330199{70000 + n}号",
                licence_from=dt.date(2024, 3, 1) + dt.timedelta(days=17 * n),
                licence_to=dt.date(2029, 2, 28) + dt.timedelta(days=17 * n),
                category=category,
                subcategory=sub,
                is_nonprofit=academic,
                address=f"青禾区{rng.choice(('学府路', '文昌路', '科创路', '江滨路'))} {n * 7} 号",
                area_m2=Decimal(rng.randrange(150, 900, 10)),
            ),
            today=dt.date(2026, 3, 1),
        )
        made.append(institution)
        for _t in range(rng.randint(2, 4)):
            services.trainer_add(
                actor=officer,
                institution_id=institution.pk,
                name=_name(rng) + "老师",
                certificate_number=f"2021330{rng.randrange(10**7, 10**8)}" if academic else "",
                teaches_academic=academic,
            )
        staff = (
            _user("inst1", f"{name} 教务 {_name(rng)}", password)
            if n == 1
            else _user(f"inst{n}", f"{name} 教务", password)
        )
        RoleGrant.objects.create(user=staff, role=Role.INSTITUTION_STAFF, unit=institution.unit)
        clerk = actor_for(staff)
        benchmark = Decimal(rng.choice((80, 90, 100, 120))) if academic else None
        # Three academic institutions priced 9.5% over: within 10%, refused at 8% below.
        markup = Decimal("1.095") if academic and n in (3, 6, 9) else Decimal("1.05")
        price = (
            (benchmark * markup).quantize(Decimal("0.01"))
            if benchmark
            else Decimal(rng.choice((60, 80, 100, 150)))
        )
        course = services.course_file(
            actor=clerk,
            institution_id=institution.pk,
            data=services.CourseInput(
                name=f"{subject}{'同步提高' if academic else '兴趣'}班",
                subject=subject,
                grade_from=lo,
                grade_to=hi,
                lesson_minutes=45 if academic else 60,
                benchmark_price=benchmark,
                price=price,
            ),
        )
        # Academic: two weekday evenings; non-academic: Saturday morning and a weekday.
        weekdays = rng.sample(range(4), 2) if academic else [5, rng.randrange(5)]
        for weekday in weekdays:
            evening = (dt.time(18, 30), dt.time(20, 10)) if academic else (dt.time(9), dt.time(10))
            if not academic and weekday < 5:
                evening = (dt.time(18, 30), dt.time(19, 30))
            # A demo filing the policy refuses is skipped, as a real one is never filed.
            with contextlib.suppress(ValidationFailed):
                services.session_file(
                    actor=clerk,
                    institution_id=institution.pk,
                    data=services.SessionInput(
                        course_id=course.pk,
                        weekday=weekday,
                        start=evening[0],
                        end=evening[1],
                        mode="offline",
                        lessons=2 if academic else 1,
                        break_minutes=10 if academic else 0,
                        term_first=term_first,
                        term_last=term_last,
                    ),
                )
        for k in range(rng.randint(4, 9)):
            hours = rng.choice((12, 16, 24, 36, 48))
            services.charge_file(
                actor=clerk,
                institution_id=institution.pk,
                data=services.ChargeInput(
                    student_label=f"{institution.unit.code[-4:]}-{k + 1:03d}",
                    amount=price * hours,
                    lesson_hours=hours,
                    months=rng.choice((1, 2, 3)),
                    paid_on=min(today, dt.date(2026, 10, 8) + dt.timedelta(days=rng.randrange(40))),
                    into_supervised_account=True,
                    account_bank=rng.choice(BANKS),
                ),
            )
    # The district narrows the price band; the officer's recheck refuses what now breaks it.
    PolicyOverride.objects.create(
        level=PolicyOverride.Level.DISTRICT,
        district=district,
        thresholds={"trn.prices": 8},
        note="区发展改革局 2026 年 11 月调整学科类培训上浮幅度",
    )
    for institution in made[:12]:
        services.institution_recheck(actor=officer, institution_id=institution.pk)
    services.institution_set_status(
        actor=officer,
        institution_id=made[9].pk,
        status=Institution.Status.RECTIFYING,
        reason="消防通道堵塞，限期 30 日整改",
        date=today - dt.timedelta(days=12),
    )
    services.institution_set_status(
        actor=officer,
        institution_id=made[20].pk,
        status=Institution.Status.BLACKLISTED,
        reason="无证开展学科类培训并违规预收费，拒不整改",
        date=today - dt.timedelta(days=30),
    )
    _complaints(rng, district, officer_user, made, today)
    return [
        (str(Role.TRAINING_OFFICER.label), "training", officer_user.first_name),
        (str(Role.INSTITUTION_STAFF.label), "inst1", made[0].unit.name),
    ]


def _complaints(
    rng: random.Random,
    district: District,
    officer_user: User,
    institutions: list[Institution],
    today: dt.date,
) -> None:
    """15 complaints, three in each status; some open ones past their deadline."""
    officer = actor_for(officer_user)
    steps = {
        "received": [],
        "verifying": [("verifying", "已转区教育执法大队现场核查")],
        "handling": [
            ("verifying", "已现场核查，情况属实"),
            ("handling", "已约谈机构负责人，责令限期退费整改"),
        ],
        "closed": [
            ("verifying", "已现场核查"),
            ("closed", "机构已按规定退还超期预收费用并停止违规课程，经回访家长满意"),
        ],
        "rejected": [("rejected", "反映事项不属于校外培训监管范围，已告知向市场监管部门反映")],
    }
    for n, text in enumerate(COMPLAINTS):
        status = ("received", "verifying", "handling", "closed", "rejected")[n % 5]
        received = today - dt.timedelta(days=2 + 3 * n)
        named = n % 4 == 3
        complaint = services.complaint_submit(
            district_id=district.pk,
            institution_id=None if named else rng.choice(institutions).pk,
            institution_name="学府路某无名补习班" if named else "",
            what_happened=text,
            contact="" if n % 3 == 0 else f"139{rng.randrange(10**7, 10**8)}",
            address=None,  # entered by the district, not from the web: no hourly limit
            today=received,
        )
        for k, (step, note) in enumerate(steps[status]):
            day = min(today, received + dt.timedelta(days=2 + 4 * k))
            services.complaint_move(
                actor=officer, complaint_id=complaint.pk, status=step, note=note, today=day
            )
    assert Complaint.objects.filter(district=district).count() == len(COMPLAINTS)


def build_training(
    rng: random.Random, district: District, today: dt.date
) -> list[tuple[str, str, str]]:
    """The demo's district builder (``QINGFU_DEMO_DISTRICT_ACTIVITIES``)."""
    from django.conf import settings

    return build_district(rng, district, today, make_password(settings.QINGFU_DEMO_PASSWORD))
