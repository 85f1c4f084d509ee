"""The checklist of an off-campus training institution's inspection, generated from the
district's profile (the trn.* rules), and its "what the records show" lines, written from
facts the caller gathers from the registry, the filings and the complaints.

Pure: a ``Profile`` and plain facts in, data and text out; no Django, no clock (the visit's
day is passed). The thresholds and citations come from the profile, so a district's
stricter rule shows its own number; only the grouping of rule ids into areas lives here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from qingfu.core.text import _, gettext_noop, language
from qingfu.inspections.checklist import ItemTemplate, RuleLine, notice_text, requirement_text
from qingfu.inspections.wording import (
    Node,
    clauses,
    counted,
    counted_as,
    joined,
    phrase,
)
from qingfu.inspections.wording import rule as named_rule
from qingfu.policy.rules import Profile, Rule


@dataclass(frozen=True)
class Area:
    code: str
    title: str  # marked with gettext_noop, translated where shown
    prefixes: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area(
        "trn-registration",
        gettext_noop("办学资质（许可证、非营利登记、教师资格）"),
        ("trn.nonprofit",),
    ),
    Area(
        "trn-schedule",
        gettext_noop("培训时间（休息日、节假日、寒暑假，结束时间）"),
        ("trn.no-holiday", "trn.times"),
    ),
    Area("trn-prices", gettext_noop("收费标准（政府指导价）"), ("trn.prices",)),
    Area("trn-prepaid", gettext_noop("预收费监管"), ("trn.prepaid",)),
    Area("trn-complaints", gettext_noop("投诉举报处理"), ("trn.complaints",)),
)


def _matches(rule_id: str, prefix: str) -> bool:
    return rule_id == prefix or rule_id.startswith(prefix + ".")


def area_of(rule_id: str) -> str | None:
    """The area an institution's rule is checked under; None for rules of schools."""
    for area in AREAS:
        if any(_matches(rule_id, p) for p in area.prefixes):
            return area.code
    return None


# What each rule requires of an institution, in the words of a notice (the documents' own
# phrasing where they have one). ``%(limit)s`` is the profile's threshold, so a district's
# stricter value is the one written; a rule a local profile adds is stated by its
# threshold (``requirement_text``).
_DUTIES: dict[str, str] = {
    "trn.nonprofit": gettext_noop("学科类培训机构须登记为非营利性机构"),
    "trn.nonprofit.certificate": gettext_noop(
        "从事学科类培训的人员须具备相应的教师资格，并在培训场所显著位置公布"
    ),
    "trn.no-holiday": gettext_noop("不得占用国家法定节假日、休息日及寒暑假期组织学科类培训"),
    "trn.times": gettext_noop("线下培训结束时间不得晚于 %(limit)s"),
    "trn.times.online": gettext_noop("线上培训结束时间不得晚于 %(limit)s"),
    "trn.times.lesson": gettext_noop("线上培训每课时不得超过 %(limit)s 分钟"),
    "trn.times.break": gettext_noop("线上培训课程间隔不得少于 %(limit)s 分钟"),
    "trn.prices": gettext_noop("学科类培训收费不得超过政府指导价基准收费标准上浮 %(limit)s%%"),
    "trn.prepaid": gettext_noop("不得一次性收取时间跨度超过 %(limit)s 个月的费用"),
    "trn.prepaid.hours": gettext_noop("不得一次性收取超过 %(limit)s 课时的费用"),
    "trn.prepaid.account": gettext_noop(
        "预收费须全部进入资金监管账户（银行托管或风险保证金专用账户）"
    ),
    "trn.complaints": gettext_noop(
        "对投诉举报反映的问题须及时核查整改，配合在受理之日起 %(limit)s 日内办结"
    ),
}


def _requirement(rule: Rule) -> str:
    """What ``rule`` requires, as a clause of a notice (no closing punctuation)."""
    duty = _DUTIES.get(rule.id)
    if duty is not None:
        return _(duty) % {"limit": rule.threshold}
    text = requirement_text(rule)
    if rule.direction in ("forbid", "require") or not rule.title_zh:
        return text
    return f"{rule.title(language())}：{text}"


def notice_requirement(rules: Sequence[Rule]) -> str:
    """The 整改要求 of a notice from the rules of the failing area: a lead-in, the rules'
    requirements numbered as an official notice numbers them (一、二、…), what to report and
    by when, and the documents it rests on (``checklist.notice_text``, the school's notice
    written the same way). Pure: the rules come from the district's profile, so its own
    thresholds are the ones written."""
    return notice_text(
        _("请你机构对照以下要求立即整改："),
        [_requirement(rule) for rule in rules],
        _("请于整改期限内完成整改，并将整改情况书面报告区县教育行政部门。"),
        [rule.citation for rule in rules],
    )


def checklist_for(profile: Profile) -> list[ItemTemplate]:
    """One item per area that has at least one trn.* rule in the profile, in order."""
    grouped: dict[str, list[RuleLine]] = {a.code: [] for a in AREAS}
    for rule in profile.rules.values():
        code = area_of(rule.id)
        if code is not None:
            grouped[code].append(RuleLine(rule.id, _requirement(rule), rule.citation))
    return [
        ItemTemplate(area.code, _(area.title), tuple(grouped[area.code]))
        for area in AREAS
        if grouped[area.code]
    ]


# --- what the records show ----------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """Refused filings of one rule, with a breakdown ("周六" → 3)."""

    rule_id: str
    count: int
    by: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class InstitutionFacts:
    """What the registry, the filings and the complaints say about one institution for the
    inspected period. Labels (status, weekdays, complaint statuses) come as their Chinese
    source text, the catalogue's message id, so the line is translated when read."""

    day: dt.date
    is_academic: bool
    status_label: str
    licence_number: str
    licence_to: dt.date | None
    is_nonprofit: bool
    trainers: int
    academic_trainers: int
    without_certificate: int
    sessions_filed: int
    sessions_refused: Sequence[Refused]
    sessions_breaking_now: int  # filed sessions the current rules and calendar refuse
    courses_filed: int
    courses_refused: Sequence[Refused]
    charges: int
    charges_amount: Decimal
    charges_refused: Sequence[Refused]
    complaints: Mapping[str, int]  # status label → count, received in the period
    complaints_overdue: int


def _refused_text(refused: Sequence[Refused], noun: str) -> Node | None:
    """The refused filings of each rule, named by its title and document ("3 条课程安排因不符合
    “培训结束时间”（《…》（2018））不予备案（周六 3 条）");
    ``noun`` is "sessions", "courses" or "charges"."""
    parts = []
    for r in refused:
        detail = clauses(
            [
                phrase("{label} {n}", label=phrase(label), n=_filings(noun, n))
                for label, n in r.by.items()
            ],
            separator="、",
        )
        parts.append(
            phrase(
                "{filings}因不符合{rule}不予备案{detail}",
                filings=_refused_filings(noun, r.count),
                rule=named_rule(r.rule_id),
                detail=phrase("（{detail}）", detail=detail) if r.by else "",
            )
        )
    return clauses(parts) if parts else None


def _filings(noun: str, n: int) -> Node:
    """A count of filings after their noun ("课程安排 3 条")."""
    if noun == "sessions":
        return counted_as("课程安排", "{n} 条", "{n} 条", n)
    if noun == "courses":
        return counted_as("课程", "{n} 门", "{n} 门", n)
    return counted_as("预收费", "{n} 笔", "{n} 笔", n)


def _refused_filings(noun: str, n: int) -> Node:
    """A count of filings with their noun after it ("3 条课程安排")."""
    if noun == "sessions":
        return counted("{n} 条课程安排", "{n} 条课程安排", n)
    if noun == "courses":
        return counted("{n} 门课程", "{n} 门课程", n)
    return counted("{n} 笔预收费", "{n} 笔预收费", n)


def _registration(f: InstitutionFacts) -> Node:
    lines = [phrase("状态：{status}", status=phrase(f.status_label))]
    if not f.licence_number:
        lines.append(phrase("未登记办学许可证号"))
    elif f.licence_to is None:
        lines.append(phrase("办学许可证 {no}", no=f.licence_number))
    elif f.licence_to < f.day:
        lines.append(
            phrase("办学许可证 {no} 已于 {d} 过期", no=f.licence_number, d=f.licence_to.isoformat())
        )
    else:
        lines.append(
            phrase("办学许可证 {no} 有效期至 {d}", no=f.licence_number, d=f.licence_to.isoformat())
        )
    if f.is_academic:
        lines.append(
            phrase("登记为非营利性") if f.is_nonprofit else phrase("学科类机构未登记为非营利性")
        )
    lines.append(
        phrase(
            "培训人员 {trainers}，其中从事学科类培训 {academic}，无教师资格证号 {without}",
            trainers=counted("{n} 人", "{n} 人", f.trainers),
            academic=counted_as("学科类培训", "{n} 人", "{n} 人", f.academic_trainers),
            without=counted_as("无教师资格证号", "{n} 人", "{n} 人", f.without_certificate),
        )
    )
    return joined(lines)


def _with_refused(text: Node, refused: Sequence[Refused], noun: str) -> Node:
    refused_text = _refused_text(refused, noun)
    return joined([text, refused_text] if refused_text else [text])


def _schedule(f: InstitutionFacts) -> Node:
    parts = [
        phrase("本期已备案课程安排 {sessions}", sessions=_filings("sessions", f.sessions_filed))
    ]
    refused = _refused_text(f.sessions_refused, "sessions")
    if refused:
        parts.append(refused)
    if f.sessions_breaking_now:
        parts.append(
            phrase(
                "按现行规则和校历复核，已备案的安排中 {sessions}不符合规定",
                sessions=_filings("sessions", f.sessions_breaking_now),
            )
        )
    return joined(parts)


def _prices(f: InstitutionFacts) -> Node:
    text = phrase("已备案课程 {courses}", courses=_filings("courses", f.courses_filed))
    return _with_refused(text, f.courses_refused, "courses")


def _prepaid(f: InstitutionFacts) -> Node:
    text = phrase(
        "本期预收费 {charges}，合计 {amount} 元",
        charges=_filings("charges", f.charges),
        amount=f"{f.charges_amount:,.2f}",
    )
    return _with_refused(text, f.charges_refused, "charges")


def _complaints(f: InstitutionFacts) -> Node:
    total = sum(f.complaints.values())
    if not total:
        return phrase("本期未收到针对该机构的投诉举报。")
    detail = clauses(
        [phrase("{label} {n}", label=phrase(label), n=str(n)) for label, n in f.complaints.items()],
        separator="、",
    )
    complaints = counted("{n} 件", "{n} 件", total)
    if not f.complaints_overdue:
        return phrase(
            "本期收到投诉举报 {complaints}（{detail}）。", complaints=complaints, detail=detail
        )
    return phrase(
        "本期收到投诉举报 {complaints}（{detail}），其中逾期未办结 {overdue}。",
        complaints=complaints,
        detail=detail,
        overdue=counted("{n} 件", "{n} 件", f.complaints_overdue),
    )


_WRITERS: dict[str, Callable[[InstitutionFacts], Node]] = {
    "trn-registration": _registration,
    "trn-schedule": _schedule,
    "trn-prices": _prices,
    "trn-prepaid": _prepaid,
    "trn-complaints": _complaints,
}


def evidence_for(area: str, facts: InstitutionFacts) -> Node:
    """The "what the records show" line of one area, to store and render when read ("" for
    an area it does not know)."""
    writer = _WRITERS.get(area)
    return writer(facts) if writer else ""
