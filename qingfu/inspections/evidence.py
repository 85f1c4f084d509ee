"""Evidence lines for the checklist: what the school's own records say about each area over
the period under review, in precise Chinese (or English, for a reader who chose it).

Pure: takes ``SchoolFacts`` (fetched by ``facts.py``) and returns the line as a tree of
messages and figures (``wording``), stored with the item and written in the reader's
language when it is read (``render``): an inspector who refreshes in Chinese and a reader
in English each see their own. Every number carries its own noun ("1 class", "2 classes").
When there are no records the line says so plainly instead of implying compliance.
Class-days without a rollup row had no homework published, so they count as zero minutes
within the cap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qingfu.inspections.data import CheckLine, SchoolFacts
from qingfu.inspections.wording import (
    Node,
    check,
    clauses,
    counted,
    counted_as,
    joined,
    period,
    period_label,
    phrase,
    render,
)

__all__ = ["EVIDENCE", "evidence_for", "period_label", "render"]


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _class_days(n: int) -> Node:
    return counted("{n} 个班级日", "{n} 个班级日", n)


def _checks(lines: Sequence[CheckLine]) -> Node | None:
    problems = [line for line in lines if line.status != "ok"]
    if not lines:
        return None
    if not problems:
        if len(lines) == 1:
            return phrase("符合政策检查")
        return phrase("政策检查 {checks}均符合", checks=counted("{n} 项", "{n} 项", len(lines)))
    return phrase(
        "政策检查 {checks}中 {problems}不符合：{shown}",
        checks=counted("{n} 项", "{n} 项", len(lines)),
        problems=counted("{n} 项", "{n} 项", len(problems)),
        shown=clauses([check(p.rule_id, p.message, p.message_en) for p in problems]),
    )


def _of_area(lines: Sequence[CheckLine], area: str) -> list[CheckLine]:
    """The school day's verdicts of one area's rules ("sleep.", "fitness.")."""
    return [line for line in lines if line.rule_id.startswith(f"{area}.")]


def _with_checks(text: Node, lines: Sequence[CheckLine]) -> Node:
    checks = _checks(lines)
    return joined([text, checks] if checks else [text])


def hw_cap(facts: SchoolFacts) -> Node:
    when = period(facts.start, facts.end)
    days = facts.class_days
    granted = facts.homework.exceptions_granted
    exceptions = phrase(
        "批准超量{exceptions}", exceptions=counted("例外 {n} 次", "例外 {n} 次", granted)
    )
    if not days:
        parts = [phrase("{period}没有班级日作业记录（无作业记录的日子按 0 分钟计）", period=when)]
        if granted:
            parts.append(exceptions)
        return joined(parts)
    over = [d for d in days if d.planned_minutes > d.cap]
    parts = [
        phrase("{period}共 {class_days}有作业记录", period=when, class_days=_class_days(len(days)))
    ]
    if over:
        parts.append(
            phrase(
                "有 {classes}在 {dates}书面作业计划超过上限（共 {class_days}，最多超出 {most}）",
                classes=counted("{n} 个班", "{n} 个班", len({d.class_id for d in over})),
                dates=counted("{n} 天", "{n} 天", len({d.date for d in over})),
                class_days=_class_days(len(over)),
                most=counted("{n} 分钟", "{n} 分钟", max(d.planned_minutes - d.cap for d in over)),
            )
        )
    else:
        parts.append(phrase("没有班级日书面作业计划超过上限"))
    logged = [d for d in days if d.logs]
    if logged:
        parts.append(
            phrase(
                "家长记录覆盖 {class_days}，其中 {over}实际用时超上限",
                class_days=_class_days(len(logged)),
                over=_class_days(sum(1 for d in logged if d.reported_over)),
            )
        )
    else:
        parts.append(phrase("没有家长用时记录"))
    parts.append(exceptions)
    return joined(parts)


def hw_content(facts: SchoolFacts) -> Node:
    when = period(facts.start, facts.end)
    hw = facts.homework
    if not hw.assignments:
        return phrase("{period}没有发布作业的记录。", period=when)
    return phrase(
        "{period}发布{assignments}、{items}，其中分层（提升、拓展）{tiered}（{share}）；"
        "需手机打卡、需家长批改或惩罚性{banned}。",
        period=when,
        assignments=counted("作业 {n} 份", "作业 {n} 份", hw.assignments),
        items=counted("作业项 {n} 个", "作业项 {n} 个", hw.items),
        tiered=counted("作业项 {n} 个", "作业项 {n} 个", hw.tiered_items),
        share=_percent(hw.tiered_items, hw.items),
        banned=counted("作业项 {n} 个", "作业项 {n} 个", hw.banned_items),
    )


def hw_publicity(facts: SchoolFacts) -> Node:
    when = period(facts.start, facts.end)
    p = facts.publicity
    if not p.grades or not p.weeks:
        return phrase("{period}没有需要公示的教学周或年级。", period=when)
    due = p.grades * p.weeks
    weeks = counted("{n} 个教学周", "{n} 个教学周", p.weeks)
    grades = counted("{n} 个年级", "{n} 个年级", p.grades)
    if not p.plans_published:
        return phrase(
            "{period}共 {weeks}、{grades}，没有经审核公示的周作业计划。",
            period=when,
            weeks=weeks,
            grades=grades,
        )
    return phrase(
        "{period}共 {weeks}、{grades}，应公示周作业计划 {due}，已审核公示 {published}（{share}）。",
        period=when,
        weeks=weeks,
        grades=grades,
        due=counted_as("周作业计划", "{n} 份", "{n} 份", due),
        published=counted_as("周作业计划", "{n} 份", "{n} 份", p.plans_published),
        share=_percent(p.plans_published, due),
    )


def hw_time(facts: SchoolFacts) -> Node:
    when = period(facts.start, facts.end)
    logged = [d for d in facts.class_days if d.logs]
    if not logged:
        return phrase("{period}没有家长记录的作业用时。", period=when)
    logs = sum(d.logs for d in logged)
    late = sum(d.late_finishes for d in logged)
    return phrase(
        "{period}家长共记录作业用时 {logs}（{class_days}），完成时间晚于就寝时间 "
        "{late}（{share}），未能完成 {unfinished}。",
        period=when,
        logs=counted("{n} 次", "{n} 次", logs),
        class_days=_class_days(len(logged)),
        late=counted("{n} 次", "{n} 次", late),
        share=_percent(late, logs),
        unfinished=counted("{n} 次", "{n} 次", sum(d.not_finished for d in logged)),
    )


def afterschool(facts: SchoolFacts) -> Node:
    when = period(facts.start, facts.end)
    a = facts.afterschool
    parts: list[Node] = []
    if not a.has_program:
        parts.append(phrase("本学期没有课后服务方案记录"))
    else:
        hours = f"{a.start:%H:%M}–{a.end:%H:%M}" if a.start and a.end else ""
        days = counted("每周 {n} 天", "每周 {n} 天", a.days_a_week)
        if a.is_filed:
            plan = phrase("本学期课后服务方案已报备案（{days} {hours}）", days=days, hours=hours)
        else:
            plan = phrase("本学期课后服务方案尚未备案（{days} {hours}）", days=days, hours=hours)
        parts.append(plan)
        checks = _checks(a.checks)
        if checks:
            parts.append(checks)
    marks = sum(d.afterschool_marks for d in facts.class_days)
    attended = sum(d.afterschool_attended for d in facts.class_days)
    if marks:
        parts.append(
            phrase(
                "{period}考勤 {marks}，出勤 {attended}（{share}）",
                period=when,
                marks=counted_as("考勤", "{n} 人次", "{n} 人次", marks),
                attended=counted_as("考勤", "{n} 人次", "{n} 人次", attended),
                share=_percent(attended, marks),
            )
        )
    else:
        parts.append(phrase("{period}没有课后服务考勤记录", period=when))
    return joined(parts)


def exam(facts: SchoolFacts) -> Node:
    e = facts.exams
    if not e.exams:
        return phrase("本学期没有考试安排记录。")
    text = phrase(
        "本学期考试安排 {exams}（{grades}），已审定 {approved}",
        exams=counted("{n} 场", "{n} 场", e.exams),
        grades=counted("{n} 个年级", "{n} 个年级", e.grades),
        approved=counted("{n} 场", "{n} 场", e.approved),
    )
    return _with_checks(text, e.checks)


def sleep(facts: SchoolFacts) -> Node:
    day = facts.school_day
    if not day.is_recorded:
        return phrase("学校尚未登记作息时间（上午上课时间）。")
    starts: list[Node] = []
    if day.primary_start:
        starts.append(phrase("小学 {time}", time=f"{day.primary_start:%H:%M}"))
    if day.junior_start:
        starts.append(phrase("初中 {time}", time=f"{day.junior_start:%H:%M}"))
    text = phrase(
        "上午第一节开始：{starts}",
        starts=clauses(starts, separator="、") if starts else phrase("未登记"),
    )
    return _with_checks(text, _of_area(day.checks, "sleep"))


def phone(facts: SchoolFacts) -> Node:
    p = facts.phones
    total = p.approved + p.refused + p.pending
    if not total:
        return phrase("没有手机带入校园的书面申请记录。")
    return phrase(
        "手机带入校园书面申请 {total}（同意 {approved}、未同意 {refused}、待审批 "
        "{pending}）；{period}统一保管登记 {custody}。",
        total=counted_as("手机申请", "{n} 份", "{n} 份", total),
        approved=str(p.approved),
        refused=str(p.refused),
        pending=str(p.pending),
        period=period(facts.start, facts.end),
        custody=counted_as("手机保管", "{n} 人次", "{n} 人次", p.custody_records),
    )


def reading(facts: SchoolFacts) -> Node:
    r = facts.reading
    if not r.lists:
        return phrase("本学年没有课外读物推荐记录。")
    text = phrase(
        "本学年推荐书目 {lists}，已备案 {filed}，最近一份进度：{step}",
        lists=counted_as("书目", "{n} 份", "{n} 份", r.lists),
        filed=counted_as("书目", "{n} 份", "{n} 份", r.filed),
        step=phrase(r.latest_step),
    )
    return _with_checks(text, r.checks)


def fitness(facts: SchoolFacts) -> Node:
    day = facts.school_day
    if not day.is_recorded:
        return phrase("学校尚未登记大课间时长。")
    text = phrase("大课间 {minutes}", minutes=counted("{n} 分钟", "{n} 分钟", day.break_minutes))
    return _with_checks(text, _of_area(day.checks, "fitness"))


EVIDENCE: dict[str, Callable[[SchoolFacts], Node]] = {
    "hw-cap": hw_cap,
    "hw-content": hw_content,
    "hw-publicity": hw_publicity,
    "hw-time": hw_time,
    "afterschool": afterschool,
    "exam": exam,
    "sleep": sleep,
    "phone": phone,
    "reading": reading,
    "fitness": fitness,
}


def evidence_for(area: str, facts: SchoolFacts) -> Node:
    """The evidence line of one checklist area, to store and ``render`` when read; areas
    without records to read say so."""
    compute = EVIDENCE.get(area)
    return compute(facts) if compute else phrase("该项没有可自动汇总的记录，请现场查阅。")
