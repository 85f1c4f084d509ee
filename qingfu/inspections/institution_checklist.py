"""The checklist of an off-campus training institution's inspection, generated from the
district's profile (the trn.* rules), and its "what the records show" lines, written from
facts the caller gathers from the registry, the filings and the complaints.

Pure: a ``Profile`` and plain facts in, data and text out; no Django, no clock (the visit's
day is passed). The thresholds and citations come from the profile, so a district's
stricter rule shows its own number; only the grouping of rule ids into areas lives here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from qingfu.core.text import _, gettext_noop
from qingfu.inspections.checklist import ItemTemplate, RuleLine, requirement_text
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


def _requirement(rule: Rule) -> str:
    text = requirement_text(rule)
    if rule.direction in ("forbid", "require") or not rule.title_zh:
        return text
    return f"{rule.title_zh}：{text}"


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
    inspected period. Labels (status, weekdays, complaint statuses) come translated."""

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


def _refused_text(refused: Sequence[Refused], noun: str) -> str:
    parts = []
    for r in refused:
        detail = "、".join(
            _("%(label)s %(n)d 条") % {"label": label, "n": n} for label, n in r.by.items()
        )
        parts.append(
            _("%(n)d %(noun)s因 %(rule)s 不予备案")
            % {"n": r.count, "noun": noun, "rule": r.rule_id}
            + (f"（{detail}）" if detail else "")
        )
    return "；".join(parts)


def _registration(f: InstitutionFacts) -> str:
    lines = [_("状态：%(status)s") % {"status": f.status_label}]
    if not f.licence_number:
        lines.append(_("未登记办学许可证号"))
    elif f.licence_to is None:
        lines.append(_("办学许可证 %(no)s") % {"no": f.licence_number})
    elif f.licence_to < f.day:
        lines.append(
            _("办学许可证 %(no)s 已于 %(d)s 过期")
            % {"no": f.licence_number, "d": f.licence_to.isoformat()}
        )
    else:
        lines.append(
            _("办学许可证 %(no)s 有效期至 %(d)s")
            % {"no": f.licence_number, "d": f.licence_to.isoformat()}
        )
    if f.is_academic:
        lines.append(_("登记为非营利性") if f.is_nonprofit else _("学科类机构未登记为非营利性"))
    lines.append(
        _("培训人员 %(n)d 人，其中从事学科类培训 %(a)d 人，无教师资格证号 %(w)d 人")
        % {"n": f.trainers, "a": f.academic_trainers, "w": f.without_certificate}
    )
    return "；".join(lines) + "。"


def _schedule(f: InstitutionFacts) -> str:
    text = _("本期已备案课程安排 %(n)d 条") % {"n": f.sessions_filed}
    refused = _refused_text(f.sessions_refused, _("条课程安排"))
    if refused:
        text += "；" + refused
    if f.sessions_breaking_now:
        text += "；" + _("按现行规则和校历复核，已备案的安排中 %(n)d 条不符合规定") % {
            "n": f.sessions_breaking_now
        }
    return text + "。"


def _prices(f: InstitutionFacts) -> str:
    text = _("已备案课程 %(n)d 门") % {"n": f.courses_filed}
    refused = _refused_text(f.courses_refused, _("门课程"))
    return text + ("；" + refused if refused else "") + "。"


def _prepaid(f: InstitutionFacts) -> str:
    text = _("本期预收费 %(n)d 笔，合计 %(amount)s 元") % {
        "n": f.charges,
        "amount": f"{f.charges_amount:,.2f}",
    }
    refused = _refused_text(f.charges_refused, _("笔预收费"))
    return text + ("；" + refused if refused else "") + "。"


def _complaints(f: InstitutionFacts) -> str:
    total = sum(f.complaints.values())
    if not total:
        return _("本期未收到针对该机构的投诉举报。")
    detail = "、".join(f"{label} {n}" for label, n in f.complaints.items())
    text = _("本期收到投诉举报 %(n)d 件（%(detail)s）") % {"n": total, "detail": detail}
    if f.complaints_overdue:
        text += "，" + _("其中逾期未办结 %(n)d 件") % {"n": f.complaints_overdue}
    return text + "。"


_WRITERS = {
    "trn-registration": _registration,
    "trn-schedule": _schedule,
    "trn-prices": _prices,
    "trn-prepaid": _prepaid,
    "trn-complaints": _complaints,
}


def evidence_for(area: str, facts: InstitutionFacts) -> str:
    """The "what the records show" line of one area ("" for an area it does not know)."""
    writer = _WRITERS.get(area)
    return writer(facts) if writer else ""
