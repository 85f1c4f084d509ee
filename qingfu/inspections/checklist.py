"""The visit checklist, generated from a policy profile: one item per area of the policy
that applies to schools, each with its rules' requirements and citations.

Pure: takes a ``Profile``, returns data in the reader's language (``qingfu.core.text``). Thresholds and citations come from the profile
(so a district's or school's stricter rule shows its own number); only the grouping of
rule ids into areas lives here. Rules about training institutions and about the burden on
schools themselves (trn.*, tb.*, gr.*, hw.training-orgs) are not checked at a school.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qingfu.core.text import _, gettext_noop, is_english, language
from qingfu.policy.profile import KEY_NAMES_ZH
from qingfu.policy.rules import Profile, Rule, Scalar
from qingfu.policy.subjects import subject_name
from qingfu.schools.naming import chinese_number


@dataclass(frozen=True)
class Area:
    code: str
    title: str
    # Rule ids or id prefixes ("exam" matches "exam.count"); the first matching area wins.
    prefixes: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area("hw-cap", gettext_noop("作业总量（家庭书面作业时长）"), ("hw.cap",)),
    Area(
        "hw-content",
        gettext_noop("作业内容与设计（禁止事项、分层、批改）"),
        ("hw.no-parents", "hw.no-phone", "hw.design", "hw.written-subjects", "hw.grading"),
    ),
    Area(
        "hw-publicity", gettext_noop("作业公示与年级统筹"), ("hw.publicity", "hw.no-homework-day")
    ),
    Area(
        "hw-time",
        gettext_noop("作业用时与按时就寝"),
        ("hw.in-school", "hw.bedtime-first", "sleep.bedtime"),
    ),
    Area("afterschool", gettext_noop("课后服务"), ("afterschool",)),
    Area("exam", gettext_noop("考试与等级评价"), ("exam", "priv.min-group")),
    Area("sleep", gettext_noop("睡眠管理（作息时间）"), ("sleep",)),
    Area("phone", gettext_noop("手机管理"), ("phone",)),
    Area("reading", gettext_noop("读物管理"), ("reading",)),
    Area("fitness", gettext_noop("体质健康（体育活动）"), ("fitness",)),
)
NOT_AT_SCHOOLS = ("trn", "tb", "gr", "hw.training-orgs")


@dataclass(frozen=True)
class RuleLine:
    id: str
    text: str
    citation: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text, "citation": self.citation}


@dataclass(frozen=True)
class ItemTemplate:
    area: str
    title: str
    rules: tuple[RuleLine, ...]


def _matches(rule_id: str, prefix: str) -> bool:
    return rule_id == prefix or rule_id.startswith(prefix + ".")


def area_of(rule_id: str) -> str | None:
    """The area a rule is checked under, or None for rules not checked at a school."""
    if any(_matches(rule_id, p) for p in NOT_AT_SCHOOLS):
        return None
    for area in AREAS:
        if any(_matches(rule_id, p) for p in area.prefixes):
            return area.code
    # A rule added to the profile later still gets checked: homework rules go with the
    # content area, anything else with the area of its first id segment, if any.
    if rule_id.startswith("hw."):
        return "hw-content"
    head = rule_id.split(".", 1)[0]
    return next((a.code for a in AREAS if a.code == head), None)


# Marked here, translated where the text is written (the module is imported before any
# language is active).
_COMPARE = {
    "max": gettext_noop("不超过"),
    "min": gettext_noop("不少于"),
    "latest": gettext_noop("不晚于"),
    "earliest": gettext_noop("不早于"),
}
_UNITS = {
    "minutes": gettext_noop(" 分钟"),
    "hours": gettext_noop(" 小时"),
    "months": gettext_noop(" 个月"),
    "percent": "%",
    "count": gettext_noop(" 次"),
}
# What a numeric rule measures, and its counting word where "次" would be wrong. The numbers
# themselves always come from the profile.
RULE_LABELS: Mapping[str, tuple[str, str | None]] = {
    "hw.cap.g1-2": (gettext_noop("一、二年级每天家庭书面作业"), None),
    "hw.cap.g3-6": (gettext_noop("三至六年级每天家庭书面作业平均时长"), None),
    "hw.cap.g7-9": (gettext_noop("初中每天家庭书面作业平均时长"), None),
    "hw.cap.weekend": (gettext_noop("周末、节假日和假期每天书面作业"), None),
    "hw.in-school": (gettext_noop("书面作业在校完成的比例"), None),
    "hw.design.copying": (gettext_noop("一次作业中的机械抄写"), None),
    "hw.written-subjects": (gettext_noop("可布置家庭书面作业的学科"), None),
    "hw.no-homework-day": (gettext_noop("每周无书面作业日"), gettext_noop(" 天")),
    "sleep.hours": (gettext_noop("每天睡眠时间"), None),
    "sleep.bedtime": (gettext_noop("就寝时间"), None),
    "sleep.school-start": (gettext_noop("上午第一节上课时间"), None),
    "reading.recommend": (gettext_noop("每学年推荐课外读物"), None),
    "fitness.daily": (gettext_noop("每天体育活动时间"), None),
    "fitness.break": (gettext_noop("大课间时长"), None),
    "fitness.pe-lessons": (gettext_noop("每周体育课"), gettext_noop(" 节")),
    "exam.g1-2": (gettext_noop("一、二年级纸笔考试"), gettext_noop(" 场")),
    "exam.count": (gettext_noop("每学期各科考试"), None),
    "exam.mock": (gettext_noop("各科模拟考试"), None),
    "exam.duration": (gettext_noop("单科考试时长"), None),
    "exam.bands": (gettext_noop("成绩等级数"), gettext_noop(" 个")),
    "priv.min-group": (gettext_noop("展示等级分布的最少人数"), gettext_noop(" 人")),
    "afterschool.days": (gettext_noop("每周课后服务天数"), gettext_noop(" 天")),
    "afterschool.duration": (gettext_noop("每天课后服务时长"), None),
    "afterschool.end": (gettext_noop("课后服务结束时间"), None),
    "afterschool.club-seats": (
        gettext_noop("各时段社团名额多于希望参加的学生数"),
        gettext_noop(" 个"),
    ),
    "afterschool.evening-study": (gettext_noop("初中晚自习结束时间"), None),
    "afterschool.flexible-hours": (
        gettext_noop("参与课后服务的教师每周弹性上下班"),
        gettext_noop(" 天"),
    ),
}
_KEYS: Mapping[str, str] = {
    **KEY_NAMES_ZH,
    "at-school": gettext_noop("校内"),
    "outside": gettext_noop("校外"),
    "final": gettext_noop("期末考试"),
    "midterm-primary": gettext_noop("小学期中考试"),
    "midterm-junior": gettext_noop("初中期中考试"),
    "unit": gettext_noop("单元考试"),
    "junior-graduating": gettext_noop("初中毕业年级"),
    "other": gettext_noop("其他年级"),
}
# The policy's names of its keys (policy.profile.KEY_NAMES_ZH), marked so that the
# catalogue holds their English; the policy layer itself stays free of any translating.
_POLICY_KEY_NAMES = (
    gettext_noop("小学"), gettext_noop("初中"), gettext_noop("高中"),
    gettext_noop("一至二年级"), gettext_noop("三至六年级"), gettext_noop("七至九年级"),
    gettext_noop("三至四年级"), gettext_noop("五至六年级"), gettext_noop("三至九年级"),
)  # fmt: skip


def _value(rule: Rule, value: Scalar) -> str:
    if isinstance(value, tuple):
        names = [subject_name(v, language()) if isinstance(v, str) else str(v) for v in value]
        return _("、").join(names) or _("无")
    if rule.unit == "share" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{round(value * 100)}%"
    counting = RULE_LABELS.get(rule.id, ("", None))[1]
    unit = counting or _UNITS.get(rule.unit, "")
    return f"{value}{_(unit) if unit else ''}"


def requirement_text(rule: Rule) -> str:
    """What the rule requires, with the profile's own threshold, in the reader's language.

    Yes/no rules are stated by their message (which has no numbers to fill); numeric,
    clock and list rules by their threshold, per key where the rule has a table.
    """
    if rule.direction in ("forbid", "require"):
        return rule.message_en if language().startswith("en") else rule.message_zh
    threshold = rule.threshold
    lead = _("限于") if rule.direction == "subset" else _(_COMPARE[rule.direction])
    if isinstance(threshold, Mapping):
        text = _("；").join(
            _("{key}{lead} {value}").format(
                key=_(_KEYS.get(key, key)), lead=lead, value=_value(rule, value)
            )
            for key, value in threshold.items()
        )
    else:
        text = f"{lead} {_value(rule, threshold)}"
    label = RULE_LABELS.get(rule.id, ("", None))[0]
    return _("{label}：{text}").format(label=_(label), text=text) if label else text


def checklist_for(profile: Profile) -> list[ItemTemplate]:
    """One item per area that has at least one rule in the profile, in the areas' order."""
    grouped: dict[str, list[RuleLine]] = {a.code: [] for a in AREAS}
    for rule in profile.rules.values():
        code = area_of(rule.id)
        if code is not None:
            grouped[code].append(RuleLine(rule.id, requirement_text(rule), rule.citation))
    return [
        ItemTemplate(area.code, _(area.title), tuple(grouped[area.code]))
        for area in AREAS
        if grouped[area.code]
    ]


# --- the 整改要求 of a rectification notice -------------------------------------------------


def _numbered(n: int) -> str:
    return f"{n}. " if is_english() else chinese_number(n) + "、"


def notice_text(lead: str, duties: Sequence[str], report: str, citations: Sequence[str]) -> str:
    """A notice's 整改要求 as an official notice writes it, for a school or an institution:
    the lead-in, each duty numbered 一、二、… (1. 2. … in English) and closed with "；", the
    last with "。", what to report by the deadline, and the documents it rests on. The
    caller passes the lead-in and the report line translated; ``duties`` are clauses without
    closing punctuation."""
    clauses = [d.rstrip("。；;. ") for d in duties if d.strip()]
    if not clauses:
        return ""
    end, between = (".", ";") if is_english() else ("。", "；")
    lines = [lead]
    lines += [
        _numbered(n) + clause + (end if n == len(clauses) else between)
        for n, clause in enumerate(clauses, start=1)
    ]
    lines.append(report)
    documents = list(dict.fromkeys(c for c in citations if c))
    if documents:
        lines.append(_("依据：%(docs)s。") % {"docs": "；".join(documents)})
    return "\n".join(lines)


# What a school rule requires, in the documents' own words, where the general wording
# ("一、二年级每天家庭书面作业：不超过 0 分钟") would read wrong in a notice. These rules'
# thresholds are bans at the national level, and a local profile may only tighten them.
_SCHOOL_DUTIES: dict[str, str] = {
    "hw.cap.g1-2": gettext_noop("小学一、二年级不布置家庭书面作业，可在校内适当安排巩固练习"),
    "exam.g1-2": gettext_noop("小学一、二年级不进行纸笔考试"),
    "exam.no-regional": gettext_noop("小学各年级和初中非毕业年级不得组织区域性或跨校考试"),
}
# A "{measured}" and the words around it in a message are the figures of one check, not
# part of what the rule requires ("（计划 {measured} 场）").
_FIGURES = re.compile(r"[（(][^（）()]*\{[a-z_]+\}[^（）()]*[）)]|\{[a-z_]+\}")


def _entry(rule: Rule, key: str | None, value: Scalar) -> str:
    """One threshold as a clause: "初中不晚于 22:00"; a zero maximum is a ban ("小学期中考试
    不安排"), a zero minimum requires nothing (None)."""
    name = _(_KEYS.get(key, key)) if key else ""
    if rule.direction == "max" and value == 0:
        return _("{key}不安排").format(key=name) if name else ""
    if rule.direction == "min" and value == 0:
        return ""
    lead = _("限于") if rule.direction == "subset" else _(_COMPARE[rule.direction])
    if name:
        return _("{key}{lead} {value}").format(key=name, lead=lead, value=_value(rule, value))
    return f"{lead} {_value(rule, value)}"


def school_duty(rule: Rule) -> str:
    """What ``rule`` requires of a school, as a clause of a notice (no closing punctuation):
    the documents' words where the general ones would read wrong, a yes/no rule's own
    statement without a check's figures, a threshold after what it measures — "初中每天家庭
    书面作业平均时长不超过 90 分钟" — and nothing for a threshold that requires nothing."""
    duty = _SCHOOL_DUTIES.get(rule.id)
    if duty is not None:
        return _(duty)
    if rule.direction in ("forbid", "require"):
        text = rule.message_en if language().startswith("en") else rule.message_zh
        return _FIGURES.sub("", text).strip(" ：:，,")
    label = _(RULE_LABELS.get(rule.id, ("", None))[0]) or rule.title(language())
    threshold = rule.threshold
    if isinstance(threshold, Mapping):
        entries = [_entry(rule, key, value) for key, value in threshold.items()]
        shown = [e for e in entries if e]
        if not shown:
            return ""
        return _("{label}：{text}").format(label=label, text=_("，").join(shown))
    entry = _entry(rule, None, threshold)
    if not entry:
        return ""
    if rule.direction == "max" and threshold == 0:
        return _("不得安排{label}").format(label=label)
    return _("{label}{text}").format(label=label, text=entry)


def school_notice_requirement(rules: Sequence[Rule]) -> str:
    """The 整改要求 of a school's notice from the rules of the failing area, as the school's
    profile states them: numbered 一、二、… like the institution's notice
    (``notice_text``), what to report and to whom, and the documents. Pure."""
    return notice_text(
        _("请你校对照以下要求立即整改："),
        [school_duty(rule) for rule in rules],
        _("请于整改期限内完成整改，并将整改情况书面报告责任督学。"),
        [rule.citation for rule in rules],
    )
