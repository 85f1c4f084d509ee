"""Grassroots and teacher burden (基层减负、教师减负): demands checked where they start.

A *demand* is what an office places on grassroots units (towns, communities, villages) or
on schools: a document, a meeting, an inspection, a data request, a task pushed down, a
certificate a community is asked to issue, an app or work group, a social affair entering
campus, a teacher's secondment. The office registers it before it goes out; the app layer
loads it and what it needs around it (the other demands of the same week or month, the
counts of last year) and asks here. The same shape as ``checks`` and ``training``: plain
frozen values in, verdicts out (rule id, measured, limit, bilingual message, citation);
nothing reads the clock or a database, and every limit comes from the profile.

Suggestions (merge two meetings, merge inspections into one visit, a document that only
forwards a higher one, a demand for ledgers as evidence, a count above the year's target)
are ``warn``; refusals (a meeting in the meeting-free week without an approved exception,
an unplanned inspection without both approvals, an unlisted task, certificate or campus
activity, an app with forced check-ins, a secondment over the limit) are ``violation``.

Decisions (docs/burden.md says why):

- the meeting-free "first week" (每月第一周) is days 1 to N of every month, N from
  ``gr.meeting-free-week`` (7): always seven days, each weekday once, never in the
  previous month; an exception needs the issuer leader's approval *and* a written reason;
- "the same week" for merging meetings is the ISO week (Monday to Sunday); "the same
  audience" is the same attendee level and receivers overlapping by at least
  ``gr.meetings.overlap`` (intersection over union);
- an unplanned inspection of grassroots units needs both the issuer leader's review and
  the campaign office's approval; into schools there is no exception (``tb.inspection-list``);
- year-on-year periods compare the same dates one year earlier (29 February → 28th), so a
  month still running is compared with the same days of last year's month.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, NamedTuple

from qingfu.policy.burden_fields import load_fact_catalogue, normalize_field
from qingfu.policy.rules import Profile, Rule
from qingfu.policy.training import months_covered
from qingfu.policy.verdicts import Status, Value, Verdict

DemandKind = Literal[
    "document",
    "meeting",
    "inspection",
    "data_request",
    "task",
    "certificate",
    "app",
    "campus_activity",
    "secondment",
]
DEMAND_KINDS: tuple[DemandKind, ...] = (
    "document",
    "meeting",
    "inspection",
    "data_request",
    "task",
    "certificate",
    "app",
    "campus_activity",
    "secondment",
)
KIND_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "document": ("文件", "document"),
        "meeting": ("会议", "meeting"),
        "inspection": ("督查检查考核", "inspection"),
        "data_request": ("数据填报", "data request"),
        "task": ("下沉事项", "task pushed down"),
        "certificate": ("证明事项", "certificate"),
        "app": ("政务应用或工作群", "app or work group"),
        "campus_activity": ("社会事务进校园", "social affair entering campus"),
        "secondment": ("借调", "secondment"),
    }
)
# Grassroots units (乡镇街道、社区村) answer to the gr.* rules, schools to the tb.* ones.
Audience = Literal["grassroots", "schools"]
AUDIENCES: tuple[Audience, ...] = ("grassroots", "schools")

# What an app or work group may not force (tb.apps, gr.apps-groups), as (zh, en).
APP_FEATURES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "check-in": ("强制打卡签到", "forced check-ins"),
        "screenshot": ("截图上传", "screenshot uploads"),
        "location": ("定位上传", "location uploads"),
        "photo": ("工作照片上传", "photo uploads"),
        "ranking": ("积分排名", "point rankings"),
        "online-time": ("在线时长统计", "online-time counts"),
        "forced-download": ("强制下载", "forced downloads"),
    }
)
# Evidence no one may demand for evaluation (gr.no-ledgers, tb.no-traces), as (zh, en).
EVIDENCE: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "paper-materials": ("纸质材料", "paper materials"),
        "ledgers": ("台账", "ledgers"),
        "plaques": ("挂牌", "plaques"),
        "photos": ("照片", "photos"),
    }
)
# The kinds whose demand for evidence is checked.
_EVIDENCE_KINDS = frozenset({"document", "meeting", "inspection", "data_request", "task"})

# The counts the campaign board and the report compare year on year, with their targets.
TARGET_RULES: Mapping[str, str] = MappingProxyType(
    {
        "document": "gr.documents",
        "meeting": "gr.meetings.target",
        "inspection": "gr.inspection-plan.target",
    }
)
COUNTED_KINDS: tuple[str, ...] = tuple(TARGET_RULES)
_COUNT_WORDS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "document": ("件", "documents"),
        "meeting": ("次", "meetings"),
        "inspection": ("项", "inspections"),
    }
)


# --- verdicts ----------------------------------------------------------------------------


class _Fields(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _verdict(
    rule: Rule,
    *,
    breached: bool,
    measured: Value,
    limit: Value,
    kind: tuple[str, str] = ("", ""),
    ok: tuple[str, str] = ("符合规定", "Complies"),
    unit: str | None = None,
) -> Verdict:
    """The verdict on one rule: the rule's message when breached, else ``ok``.

    ``kind`` fills the rule's ``{kind}`` (what the demand is, or what is missing).
    """
    if breached:
        messages = [
            template.format_map(_Fields(measured=_text(measured), limit=_text(limit), kind=label))
            for template, label in ((rule.message_zh, kind[0]), (rule.message_en, kind[1]))
        ]
    else:
        messages = list(ok)
    return Verdict(
        status=Status(rule.severity) if breached else Status.OK,
        rule_id=rule.id,
        measured=measured,
        limit=limit,
        message_zh=messages[0],
        message_en=messages[1],
        citation=rule.citation,
        unit=rule.unit if unit is None else unit,
        exemptable=rule.exemptable,
    )


def _joined(parts: Sequence[tuple[str, str]]) -> tuple[str, str]:
    return "、".join(p[0] for p in parts), ", ".join(p[1] for p in parts)


# --- demands -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Demand:
    """One demand as registered, with what the rules need to know about it.

    ``day`` is the day it lands on its receivers (a document's date, a meeting's day, an
    inspection's first day, the day a request or task is sent, a secondment's first day);
    ``last_day`` the last (an inspection's or a secondment's; None = the same day).
    ``staff_hours`` is what it is expected to cost *each* receiver.

    ``listed`` says the demand is on the list its kind answers to: an inspection on the
    year's filed plan (grassroots) or the filed annual list (schools), a data request to
    schools on that list, a task on the access list (准入清单), a certificate on the
    certificate list (证明事项清单), a campus activity on the whitelist.

    ``leader_approved`` is the issuer's leader (分管领导) signing it off: the exception to
    the meeting-free week (with ``leader_reason``), the review of an unplanned inspection.
    ``office_approved`` is the campaign office's (减负办) approval of an unplanned inspection
    or an unlisted task.
    """

    kind: DemandKind
    issuer_id: int
    receiver_ids: frozenset[int]
    day: dt.date
    last_day: dt.date | None = None
    id: int = 0
    title: str = ""
    audience: Audience = "grassroots"
    staff_hours: float = 0.0
    # Meetings: who attends ("主要负责人", "分管负责人", "业务骨干" …); "" when unsaid.
    attendee_level: str = ""
    forwards_higher_document: bool = False
    # Keys of EVIDENCE asked as proof of the work (paper materials, ledgers, plaques, photos).
    evidence_asked: frozenset[str] = frozenset()
    listed: bool = False
    leader_approved: bool = False
    leader_reason: str = ""
    office_approved: bool = False
    funding_amount: Decimal | None = None
    # Data requests: the fields asked, as ``burden_fields.parse_field_list`` gives them.
    fields: tuple[str, ...] = ()
    # Apps and work groups: keys of APP_FEATURES it has, and its registration.
    app_features: frozenset[str] = frozenset()
    owner: str = ""
    purpose: str = ""

    def __post_init__(self) -> None:
        if self.kind not in DEMAND_KINDS:
            raise ValueError(f"unknown demand kind {self.kind!r}")
        if self.audience not in AUDIENCES:
            raise ValueError(f"unknown audience {self.audience!r}")
        if not self.receiver_ids and self.kind != "app":
            raise ValueError("a demand needs at least one receiver")
        if self.last_day is not None and self.last_day < self.day:
            raise ValueError("a demand cannot end before it starts")
        if self.staff_hours < 0:
            raise ValueError("expected staff-hours cannot be negative")
        if self.funding_amount is not None and self.funding_amount < 0:
            raise ValueError("a funding amount cannot be negative")
        unknown = (self.app_features - set(APP_FEATURES)) | (self.evidence_asked - set(EVIDENCE))
        if unknown:
            raise ValueError(f"unknown app features or evidence {sorted(unknown)}")

    @property
    def asks_paper_evidence(self) -> bool:
        return bool(self.evidence_asked)

    @property
    def label(self) -> tuple[str, str]:
        """How a message names it: its title, else its kind and id."""
        if self.title:
            return f"“{self.title}”", f"“{self.title}”"
        zh, en = KIND_NAMES[self.kind]
        return f"{zh}#{self.id}", f"{en} #{self.id}"

    @property
    def row(self) -> DemandRow:
        return DemandRow(
            self.kind, self.issuer_id, tuple(sorted(self.receiver_ids)), self.day, self.staff_hours
        )


def _others(demand: Demand, others: Iterable[Demand], kind: str) -> list[Demand]:
    """The other demands of a kind, without the demand itself (passing it is harmless)."""
    return [
        o
        for o in others
        if o.kind == kind and o is not demand and not (demand.id and o.id == demand.id)
    ]


def _evidence_verdicts(profile: Profile, demand: Demand) -> list[Verdict]:
    if demand.kind not in _EVIDENCE_KINDS:
        return []
    rule = profile.rule("tb.no-traces" if demand.audience == "schools" else "gr.no-ledgers")
    forbidden = rule.flag()
    asked = [EVIDENCE[e] for e in EVIDENCE if e in demand.evidence_asked]
    return [
        _verdict(
            rule,
            breached=forbidden and bool(asked),
            measured=len(asked),
            limit=0 if forbidden else None,
            kind=_joined(asked),
            ok=(
                "未要求以材料、台账、挂牌或照片作为依据",
                "Asks for no paper, ledger, plaque or photo as evidence",
            ),
        )
    ]


# --- documents ---------------------------------------------------------------------------


def check_document(profile: Profile, *, demand: Demand) -> list[Verdict]:
    """A document sent down: one that only forwards a higher document is flagged."""
    rule = profile.rule("gr.documents.forwarding")
    forbidden = rule.flag()
    return [
        _verdict(
            rule,
            breached=forbidden and demand.forwards_higher_document,
            measured=demand.forwards_higher_document,
            limit=not forbidden,
        ),
        *_evidence_verdicts(profile, demand),
    ]


# --- meetings ----------------------------------------------------------------------------


def meeting_free_days(profile: Profile, *, year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month's meeting-free week (days 1 to N, N from the rule,
    cut at the month's end)."""
    first = dt.date(year, month, 1)
    length = ((first + dt.timedelta(days=31)).replace(day=1) - first).days
    days = min(profile.rule("gr.meeting-free-week").whole(), length)
    return first, first.replace(day=days)


def in_meeting_free_week(profile: Profile, day: dt.date) -> bool:
    return day.day <= profile.rule("gr.meeting-free-week").whole()


def check_meeting_free_week(profile: Profile, *, demand: Demand) -> Verdict:
    """A meeting on one of the month's first N days is refused, unless the issuer's leader
    approved it *and* wrote why (both recorded)."""
    rule = profile.rule("gr.meeting-free-week")
    days = rule.whole()
    on = demand.day.isoformat()
    inside = in_meeting_free_week(profile, demand.day)
    reason = demand.leader_reason.strip()
    if not inside:
        return _verdict(
            rule,
            breached=False,
            measured=on,
            limit=days,
            ok=(f"会议定于 {on}，不在无会周内", f"Meeting on {on}, outside the meeting-free week"),
        )
    if demand.leader_approved and reason:
        return _verdict(
            rule,
            breached=False,
            measured=on,
            limit=days,
            ok=(
                f"会议定于 {on}，在无会周内，经分管领导批准例外：{reason}",
                f"Meeting on {on}, in the meeting-free week, approved by the leader as an exception: {reason}",
            ),
        )
    if demand.leader_approved:
        missing = ("；分管领导已批准，但未写明理由", "; the leader approved it but gave no reason")
    else:
        missing = (
            "；确需召开的，须经分管领导批准并写明理由",
            "; it needs the leader's approval and a written reason",
        )
    return _verdict(rule, breached=True, measured=on, limit=days, kind=missing)


def _overlap(a: frozenset[int], b: frozenset[int]) -> Fraction:
    union = a | b
    return Fraction(len(a & b), len(union)) if union else Fraction(0)


def similar_meetings(profile: Profile, *, demand: Demand, others: Iterable[Demand]) -> list[Demand]:
    """The other meetings of the same ISO week with the same audience (attendee level, and
    receivers overlapping by at least ``gr.meetings.overlap``), by day then id."""
    share = Fraction(str(profile.rule("gr.meetings.overlap").number()))
    week = demand.day.isocalendar()[:2]
    found = [
        o
        for o in _others(demand, others, "meeting")
        if o.day.isocalendar()[:2] == week
        and o.attendee_level == demand.attendee_level
        and _overlap(o.receiver_ids, demand.receiver_ids) >= share
    ]
    return sorted(found, key=lambda o: (o.day, o.id))


def check_meeting(
    profile: Profile, *, demand: Demand, others: Iterable[Demand] = ()
) -> list[Verdict]:
    """A meeting: the meeting-free week, and a merge suggestion when the same audience
    already meets that week. ``others``: the registered meetings of at least that week."""
    rule = profile.rule("gr.meetings")
    similar = similar_meetings(profile, demand=demand, others=others)
    count, limit = len(similar) + 1, rule.whole()
    with_zh, with_en = _joined([o.label for o in similar])
    return [
        check_meeting_free_week(profile, demand=demand),
        _verdict(
            rule,
            breached=count > limit,
            measured=count,
            limit=limit,
            kind=(f"与{with_zh}", f"with {with_en}"),
            ok=("本周无同一参会范围的其他会议", "No other meeting for this audience this week"),
        ),
        *_evidence_verdicts(profile, demand),
    ]


# --- inspections and data requests --------------------------------------------------------


def _school_list_verdict(profile: Profile, demand: Demand) -> Verdict:
    rule = profile.rule("tb.inspection-list")
    required = rule.flag()
    zh, en = KIND_NAMES[demand.kind]
    if demand.title:
        named = (f"{zh}{demand.label[0]}", f"The {en} {demand.label[1]}")
    else:
        named = (demand.label[0], f"The {demand.label[1]}")
    return _verdict(
        rule,
        breached=required and not demand.listed,
        measured=demand.listed,
        limit=required,
        kind=named,
        ok=("已列入年度进校园事项清单", "On the filed annual list"),
    )


def check_inspection_plan(profile: Profile, *, demand: Demand) -> Verdict:
    """Grassroots: on the year's filed plan, or both approvals of an unplanned one recorded.
    Schools: on the filed annual list, with no exception."""
    if demand.audience == "schools":
        return _school_list_verdict(profile, demand)
    rule = profile.rule("gr.inspection-plan")
    required = rule.flag()
    missing = []
    if not demand.listed:
        if not demand.leader_approved:
            missing.append(("发文单位分管领导审核", "the issuer leader's review"))
        if not demand.office_approved:
            missing.append(("减负办批准", "the campaign office's approval"))
    ok = (
        ("列入年度督查检查考核计划", "On the year's filed plan")
        if demand.listed
        else (
            "计划外督查检查考核，已经分管领导审核并经减负办批准",
            "Unplanned, reviewed by the issuer leader and approved by the campaign office",
        )
    )
    return _verdict(
        rule,
        breached=required and bool(missing),
        measured=demand.listed,
        limit=required,
        kind=_joined(missing),
        ok=ok,
    )


def inspections_sharing_month(demand: Demand, others: Iterable[Demand]) -> list[Demand]:
    """The other inspections of the same calendar month on any of its receivers."""
    month = (demand.day.year, demand.day.month)
    found = [
        o
        for o in _others(demand, others, "inspection")
        if (o.day.year, o.day.month) == month and o.receiver_ids & demand.receiver_ids
    ]
    return sorted(found, key=lambda o: (o.day, o.id))


def check_inspection(
    profile: Profile, *, demand: Demand, others: Iterable[Demand] = ()
) -> list[Verdict]:
    """An inspection, check, evaluation or appraisal (督查检查考核评比): the plan, a merge
    suggestion when a receiver already has one that month (``others``: the registered
    inspections of at least that month), and the evidence it asks for."""
    rule = profile.rule("gr.inspection-plan.merge")
    sharing = inspections_sharing_month(demand, others)
    per_receiver = Counter(r for o in sharing for r in o.receiver_ids & demand.receiver_ids)
    count = 1 + max(per_receiver.values(), default=0)
    limit = rule.whole()
    with_zh, with_en = _joined([o.label for o in sharing])
    return [
        check_inspection_plan(profile, demand=demand),
        _verdict(
            rule,
            breached=count > limit,
            measured=count,
            limit=limit,
            kind=(f"与{with_zh}", f"with {with_en}"),
            ok=("本月被检单位无其他督查检查", "No other inspection of these units this month"),
        ),
        *_evidence_verdicts(profile, demand),
    ]


def repeated_fields(demand: Demand, others: Iterable[Demand]) -> dict[str, list[Demand]]:
    """The request's fields that another data request sharing a receiver already asked,
    each with those requests (by day, then id); fields compared as the fact catalogue
    compares them (``burden_fields.normalize_field``), so 学生人数 and 学生人数（人） are one."""
    prefixes = load_fact_catalogue().ignore_prefixes
    earlier: dict[str, list[Demand]] = defaultdict(list)
    for other in sorted(_others(demand, others, "data_request"), key=lambda o: (o.day, o.id)):
        if other.receiver_ids & demand.receiver_ids:
            for name in dict.fromkeys(normalize_field(f, prefixes) for f in other.fields):
                earlier[name].append(other)
    repeated = {}
    for name in demand.fields:
        askers = earlier.get(normalize_field(name, prefixes))
        if askers and name not in repeated:
            repeated[name] = askers
    return repeated


def check_data_request(
    profile: Profile, *, demand: Demand, others: Iterable[Demand] = ()
) -> list[Verdict]:
    """A data request (报表/填报): into schools only from the filed list; no field asked
    again that another request already asked of the same receivers (``others``: the data
    requests of the window the district compares, e.g. this month or semester); the
    evidence it asks for. Which fields records answer is ``burden_fields``' business."""
    schools = demand.audience == "schools"
    verdicts = [_school_list_verdict(profile, demand)] if schools else []
    rule = profile.rule("tb.no-traces.duplicate" if schools else "gr.data-requests")
    repeated = repeated_fields(demand, others)
    askers = list({o: None for found in repeated.values() for o in found})
    verdicts.append(
        _verdict(
            rule,
            breached=len(repeated) > rule.whole(),
            measured=len(repeated),
            limit=rule.whole(),
            kind=_joined([o.label for o in askers]),
            ok=("没有重复索要的字段", "No field asked again"),
        )
    )
    return verdicts + _evidence_verdicts(profile, demand)


# --- tasks, certificates, apps -----------------------------------------------------------


def check_task(profile: Profile, *, demand: Demand) -> list[Verdict]:
    """A task pushed down (工作事项下沉): from the access list, or approved by the campaign
    office with its funding recorded (费随事转)."""
    access = profile.rule("gr.access-list")
    required = access.flag()
    verdicts = [
        _verdict(
            access,
            breached=required and not demand.listed and not demand.office_approved,
            measured=demand.listed,
            limit=required,
            kind=("减负办批准", "the campaign office's approval"),
            ok=(
                ("列入准入清单", "On the access list")
                if demand.listed
                else ("清单外事项，已经减负办批准", "Unlisted, approved by the campaign office")
            ),
        )
    ]
    if not demand.listed:
        funding = profile.rule("gr.funding")
        amount = demand.funding_amount
        funded = amount is not None and amount > 0
        verdicts.append(
            _verdict(
                funding,
                breached=funding.flag() and not funded,
                measured=str(amount) if amount is not None else None,
                limit=funding.flag(),
                ok=(f"随事转移经费 {amount} 元", f"Funding of {amount} yuan follows the task"),
            )
        )
    return verdicts + _evidence_verdicts(profile, demand)


def check_certificate(profile: Profile, *, demand: Demand) -> list[Verdict]:
    """A certificate a community is asked to issue: only from the certificate list."""
    rule = profile.rule("gr.certificates")
    required = rule.flag()
    name = (demand.title or KIND_NAMES["certificate"][0], demand.title or "certificate")
    return [
        _verdict(
            rule,
            breached=required and not demand.listed,
            measured=demand.listed,
            limit=required,
            kind=name,
            ok=("列入证明事项清单", "On the certificate list"),
        )
    ]


def check_app(profile: Profile, *, demand: Demand) -> list[Verdict]:
    """An app, public account or work group: none of the forced features (``tb.apps`` for
    schools, ``gr.apps-groups`` for grassroots units), and registered with owner and purpose."""
    rule = profile.rule("tb.apps" if demand.audience == "schools" else "gr.apps-groups")
    forbidden = rule.flag()
    features = [APP_FEATURES[f] for f in APP_FEATURES if f in demand.app_features]
    registry = profile.rule("gr.apps-groups.registry")
    missing = [
        name
        for name, value in (
            (("负责人", "owner"), demand.owner),
            (("用途", "purpose"), demand.purpose),
        )
        if not value.strip()
    ]
    return [
        _verdict(
            rule,
            breached=forbidden and bool(features),
            measured=len(features),
            limit=0 if forbidden else None,
            kind=_joined(features),
            ok=(
                "无强制打卡、截图、定位、排名等功能",
                "No forced check-ins, screenshots, locations or rankings",
            ),
        ),
        _verdict(
            registry,
            breached=registry.flag() and bool(missing),
            measured=len(missing),
            limit=0,
            kind=_joined(missing),
            ok=("已登记负责人和用途", "Registered with owner and purpose"),
        ),
    ]


# --- schools: campus activities and secondments -------------------------------------------


def check_campus_whitelist(profile: Profile, *, items: int) -> Verdict:
    """The whitelist itself: at most ``items`` social affairs on it."""
    rule = profile.rule("tb.campus-whitelist")
    limit = rule.whole("items")
    return _verdict(
        rule,
        breached=items > limit,
        measured=items,
        limit=limit,
        kind=("社会事务进校园白名单事项", "Items on the campus whitelist"),
        ok=(
            f"白名单 {items} 项（上限 {limit} 项）",
            f"{items} items on the whitelist (limit {limit})",
        ),
    )


def check_campus_activity(
    profile: Profile, *, demand: Demand, held_this_semester: Mapping[int, int]
) -> list[Verdict]:
    """A social affair entering campus: on the whitelist, and no receiving school over the
    semester's limit with it. ``held_this_semester``: activities each school already has
    this semester (this one not included; a school not named has none)."""
    listed = profile.rule("tb.campus-whitelist.list")
    required = listed.flag()
    per_semester = profile.rule("tb.campus-whitelist")
    limit = per_semester.whole("activities-per-semester")
    counts = {school: held_this_semester.get(school, 0) + 1 for school in demand.receiver_ids}
    count = max(counts.values())
    over = sorted(s for s, n in counts.items() if n > limit)
    schools = (f"（学校 {'、'.join(map(str, over))}）", f" (schools {', '.join(map(str, over))})")
    return [
        _verdict(
            listed,
            breached=required and not demand.listed,
            measured=demand.listed,
            limit=required,
            kind=(
                demand.title or KIND_NAMES["campus_activity"][0],
                demand.title or KIND_NAMES["campus_activity"][1],
            ),
            ok=("列入社会事务进校园白名单", "On the campus whitelist"),
        ),
        _verdict(
            per_semester,
            breached=count > limit,
            measured=count,
            limit=limit,
            kind=(
                f"本学期社会事务进校园活动{schools[0] if over else ''}",
                f"Social affairs on campus this semester{schools[1] if over else ''}",
            ),
            ok=(
                f"本学期第 {count} 项（上限 {limit} 项）",
                f"Activity {count} this semester (limit {limit})",
            ),
        ),
    ]


def check_secondment(profile: Profile, *, demand: Demand) -> list[Verdict]:
    """A teacher's secondment: the calendar months from ``day`` to ``last_day`` it spans
    (any part counted, as ``training.months_covered``) at most ``tb.secondment``."""
    if demand.last_day is None:
        raise ValueError("a secondment needs its last day")
    rule = profile.rule("tb.secondment")
    months, limit = months_covered(demand.day, demand.last_day), rule.whole()
    return [
        _verdict(
            rule,
            breached=months > limit,
            measured=months,
            limit=limit,
            ok=(
                f"借调 {months} 个月（上限 {limit} 个月）",
                f"Seconded for {months} months (limit {limit})",
            ),
        )
    ]


# --- any demand --------------------------------------------------------------------------


def check_demand(
    profile: Profile,
    *,
    demand: Demand,
    others: Iterable[Demand] = (),
    held_this_semester: Mapping[int, int] | None = None,
) -> list[Verdict]:
    """Every rule that applies to a demand of its kind, OK verdicts included.

    ``others``: the registered demands around it (meetings of its ISO week, inspections of
    its month, data requests of the window compared for repeats; more is harmless). ``held_this_semester``: for a campus activity, the
    activities each receiving school already has this semester.
    """
    match demand.kind:
        case "document":
            return check_document(profile, demand=demand)
        case "meeting":
            return check_meeting(profile, demand=demand, others=others)
        case "inspection":
            return check_inspection(profile, demand=demand, others=others)
        case "data_request":
            return check_data_request(profile, demand=demand, others=others)
        case "task":
            return check_task(profile, demand=demand)
        case "certificate":
            return check_certificate(profile, demand=demand)
        case "app":
            return check_app(profile, demand=demand)
        case "campus_activity":
            return check_campus_activity(
                profile, demand=demand, held_this_semester=held_this_semester or {}
            )
        case "secondment":
            return check_secondment(profile, demand=demand)
    raise AssertionError(demand.kind)


# --- counting for the board and the report ------------------------------------------------


class DemandRow(NamedTuple):
    """A demand as the board counts it (what a selector's ``values_list`` gives)."""

    kind: str
    issuer_id: int
    receiver_ids: tuple[int, ...]
    day: dt.date
    staff_hours: float = 0.0


def a_year_earlier(day: dt.date) -> dt.date:
    """The same date last year; 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def allowed_count(last_year: int, target_percent: float) -> int:
    """The most this period may hold for the change to meet the target: last year's count
    times (1 + target), rounded down, computed exactly (-30% of 10 allows 7, of 1 allows 0)."""
    if last_year < 0:
        raise ValueError("a count cannot be negative")
    return max(0, math.floor(last_year * (100 + Fraction(str(target_percent))) / 100))


def change_percent(count: int, last_year: int) -> float | None:
    """The change against last year in percent, to one decimal; None when last year had none."""
    if last_year == 0:
        return None
    return round((count - last_year) * 100 / last_year, 1)


def check_year_on_year(
    profile: Profile,
    *,
    kind: str,
    count: int,
    last_year: int,
    period: tuple[str, str] = ("本期", "This period"),
) -> Verdict:
    """A period's count of documents, meetings or inspections against the same period last
    year and the year's target (``TARGET_RULES``). Measured and limit are counts: this
    period's, and the most the target allows. ``period`` names it, e.g. ("1—9月", "Jan-Sep")."""
    if kind not in TARGET_RULES:
        raise ValueError(f"no year-on-year target for {kind!r}: one of {COUNTED_KINDS}")
    rule = profile.rule(TARGET_RULES[kind])
    limit = allowed_count(last_year, rule.number())
    change = change_percent(count, last_year)
    counted = _COUNT_WORDS[kind]
    head = f"{period[0]}：" if period[0] else ""
    shown_zh = f"同比 {change:+g}%" if change is not None else "去年同期为 0"
    shown_en = (
        f"{change:+g}% year on year" if change is not None else "none in the same period last year"
    )
    return _verdict(
        rule,
        breached=count > limit,
        measured=count,
        limit=limit,
        kind=period,
        ok=(
            f"{head}{count} {counted[0]}，去年同期 {last_year} {counted[0]}，"
            f"{shown_zh}（目标 {rule.number():g}%）",
            f"{period[1]}{': ' if period[1] else ''}{count} {counted[1]}, {last_year} last year, "
            f"{shown_en} (target {rule.number():g}%)",
        ),
        unit="count",
    )


@dataclass(frozen=True)
class PeriodCount:
    """One kind's count over a period, against the same dates last year and the target."""

    kind: str
    first: dt.date
    last: dt.date
    count: int
    last_year: int
    allowed: int
    change_percent: float | None
    verdict: Verdict


class DayCount(NamedTuple):
    """The demands of one kind landing on one day: what a database's ``GROUP BY kind, day``
    gives, so that a board counts a county's years without reading every demand."""

    kind: str
    day: dt.date
    demands: int


class HoursGroup(NamedTuple):
    """Receiver links sharing a key (a receiver, or an issuer) and the same expected hours:
    ``links`` demands of ``staff_hours`` each landed on ``key`` (a database's ``GROUP BY``
    over the demands' receiver links)."""

    key: int
    staff_hours: float
    links: int


class KindCount(NamedTuple):
    """An issuer's demands of one kind (``GROUP BY issuer, kind``)."""

    issuer_id: int
    kind: str
    demands: int


Counted = DemandRow | DayCount


def day_counts(rows: Iterable[DemandRow]) -> list[DayCount]:
    """Rows grouped by kind and day, as the database's aggregate gives them."""
    grouped = Counter((row.kind, row.day) for row in rows)
    return [DayCount(kind, day, n) for (kind, day), n in sorted(grouped.items())]


def count_between(rows: Iterable[Counted], *, kind: str, first: dt.date, last: dt.date) -> int:
    """Demands of ``kind`` from ``first`` to ``last``: a demand row counts one, a day's
    aggregate its count."""
    return sum(
        r.demands if isinstance(r, DayCount) else 1
        for r in rows
        if r.kind == kind and first <= r.day <= last
    )


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_count(
    profile: Profile, rows: Sequence[Counted], *, kind: str, first: dt.date, last: dt.date
) -> PeriodCount:
    """``kind``'s count from ``first`` to ``last`` against the same dates a year earlier."""
    if last < first:
        raise ValueError("the period ends before it starts")
    count = count_between(rows, kind=kind, first=first, last=last)
    before = count_between(rows, kind=kind, first=a_year_earlier(first), last=a_year_earlier(last))
    same_year = first.year == last.year
    label = (
        (f"{first.month}月" if first.month == last.month else f"{first.month}—{last.month}月")
        if same_year
        else f"{first.isoformat()}—{last.isoformat()}"
    )
    label_en = f"{first.isoformat()}..{last.isoformat()}"
    verdict = check_year_on_year(
        profile, kind=kind, count=count, last_year=before, period=(label, label_en)
    )
    return PeriodCount(
        kind=kind,
        first=first,
        last=last,
        count=count,
        last_year=before,
        allowed=allowed_count(before, profile.rule(TARGET_RULES[kind]).number()),
        change_percent=change_percent(count, before),
        verdict=verdict,
    )


def monthly_counts(
    profile: Profile, rows: Iterable[Counted], *, through: dt.date
) -> list[PeriodCount]:
    """For each counted kind: every month of ``through``'s year up to it (the running month
    up to ``through`` only), then the year to date, each against the same dates last year.

    Ordered by kind (documents, meetings, inspections), then month, the year to date last.
    ``rows`` are demands or their ``DayCount`` aggregates (the board's), the same counts.
    """
    rows = list(rows)
    counts = []
    for kind in COUNTED_KINDS:
        for month in range(1, through.month + 1):
            first = dt.date(through.year, month, 1)
            last = min(_month_end(through.year, month), through)
            counts.append(period_count(profile, rows, kind=kind, first=first, last=last))
        start = dt.date(through.year, 1, 1)
        counts.append(period_count(profile, rows, kind=kind, first=start, last=through))
    return counts


@dataclass(frozen=True)
class ReceiverLoad:
    """The burden index of one receiver over a period: the expected staff-hours of the
    demands that landed on it, and how many."""

    receiver_id: int
    hours: float
    demands: int


def receiver_hour_groups(
    rows: Iterable[DemandRow], *, first: dt.date, last: dt.date
) -> list[HoursGroup]:
    """The receiver links of the rows landing from ``first`` to ``last``, grouped by
    receiver and hours (what ``GROUP BY receiver, staff_hours`` gives)."""
    grouped = Counter(
        (receiver, row.staff_hours)
        for row in rows
        if first <= row.day <= last
        for receiver in row.receiver_ids
    )
    return [HoursGroup(key, hours, n) for (key, hours), n in sorted(grouped.items())]


def _hours(groups: Iterable[HoursGroup]) -> tuple[dict[int, float], dict[int, int]]:
    """Hours and links per key; each group's product is exact to one rounding and ``fsum``
    adds them exactly, so the figure is the same whatever order the groups come in."""
    parts: dict[int, list[float]] = defaultdict(list)
    links: Counter[int] = Counter()
    for group in groups:
        if group.links < 0:
            raise ValueError("a count of links cannot be negative")
        parts[group.key].append(group.staff_hours * group.links)
        links[group.key] += group.links
    return {key: math.fsum(h) for key, h in parts.items()}, dict(links)


def receiver_loads(groups: Iterable[HoursGroup]) -> list[ReceiverLoad]:
    """The burden index from receiver links grouped by receiver and hours: each receiver's
    hours and demands, heaviest first (ties by more demands, then by id)."""
    hours, links = _hours(groups)
    loads = [ReceiverLoad(r, hours[r], links[r]) for r in hours if links[r]]
    return sorted(loads, key=lambda x: (-x.hours, -x.demands, x.receiver_id))


def burden_index(rows: Iterable[DemandRow], *, first: dt.date, last: dt.date) -> list[ReceiverLoad]:
    """Hours placed on each receiver from ``first`` to ``last`` (a month, for the board),
    heaviest first (ties by more demands, then by id). Each demand counts on the day it
    lands; its hours are per receiver. Sums are exact whatever the rows' order (fsum).
    The board asks ``receiver_loads`` with the database's groups: the same figures."""
    return receiver_loads(receiver_hour_groups(rows, first=first, last=last))


def month_burden_index(rows: Iterable[DemandRow], *, year: int, month: int) -> list[ReceiverLoad]:
    return burden_index(rows, first=dt.date(year, month, 1), last=_month_end(year, month))


@dataclass(frozen=True)
class IssuerLoad:
    """What one issuer placed on receivers over a period: demands sent, receivers reached
    (each counted once), and the staff-hours summed over every receiver."""

    issuer_id: int
    demands: int
    receivers: int
    hours: float
    by_kind: Mapping[str, int] = field(default_factory=dict)


def issuer_loads(
    *,
    kinds: Iterable[KindCount],
    hours: Iterable[HoursGroup],
    receivers: Mapping[int, int],
    top: int | None = None,
) -> list[IssuerLoad]:
    """Issuers by the staff-hours they placed, from aggregates: their demands by kind, their
    receiver links grouped by issuer and hours (a demand's hours count on each receiver),
    and the receivers each reached (counted once). Heaviest first (ties by more demands,
    then by id); the first ``top`` when given."""
    by_kind: dict[int, Counter[str]] = defaultdict(Counter)
    for row in kinds:
        by_kind[row.issuer_id][row.kind] += row.demands
    placed, _links = _hours(hours)
    loads = [
        IssuerLoad(
            issuer_id=issuer,
            demands=sum(counts.values()),
            receivers=receivers.get(issuer, 0),
            hours=placed.get(issuer, 0.0),
            by_kind=MappingProxyType(dict(sorted(counts.items()))),
        )
        for issuer, counts in by_kind.items()
        if sum(counts.values())
    ]
    loads.sort(key=lambda x: (-x.hours, -x.demands, x.issuer_id))
    return loads if top is None else loads[:top]


def heaviest_issuers(
    rows: Iterable[DemandRow], *, first: dt.date, last: dt.date, top: int | None = None
) -> list[IssuerLoad]:
    """Issuers by the staff-hours they placed from ``first`` to ``last``, heaviest first
    (ties by more demands, then by id); the first ``top`` when given. The rows are grouped
    as the database groups them for the board and handed to ``issuer_loads``."""
    sent = [row for row in rows if first <= row.day <= last]
    kinds = Counter((row.issuer_id, row.kind) for row in sent)
    hours = Counter(
        (row.issuer_id, row.staff_hours) for row in sent for _receiver in row.receiver_ids
    )
    reached: dict[int, set[int]] = defaultdict(set)
    for row in sent:
        reached[row.issuer_id].update(row.receiver_ids)
    return issuer_loads(
        kinds=[KindCount(i, k, n) for (i, k), n in kinds.items()],
        hours=[HoursGroup(i, h, n) for (i, h), n in hours.items()],
        receivers={issuer: len(r) for issuer, r in reached.items()},
        top=top,
    )


# Ordered names, for pages that list the checks' rules together.
RULE_IDS: tuple[str, ...] = (
    "gr.documents",
    "gr.documents.forwarding",
    "gr.meetings",
    "gr.meetings.overlap",
    "gr.meetings.target",
    "gr.meeting-free-week",
    "gr.inspection-plan",
    "gr.inspection-plan.merge",
    "gr.inspection-plan.target",
    "gr.data-requests",
    "gr.no-ledgers",
    "gr.access-list",
    "gr.funding",
    "gr.certificates",
    "gr.apps-groups",
    "gr.apps-groups.registry",
    "tb.inspection-list",
    "tb.campus-whitelist",
    "tb.campus-whitelist.list",
    "tb.no-traces",
    "tb.no-traces.duplicate",
    "tb.secondment",
    "tb.apps",
)
