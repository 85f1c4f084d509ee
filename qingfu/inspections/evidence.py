"""Evidence lines for the checklist: what the school's own records say about each area over
the period under review, in precise Chinese.

Pure: takes ``SchoolFacts`` (fetched by ``facts.py``), returns text. Every number is counted
from the facts; when there are no records the line says so plainly instead of implying
compliance. Class-days without a rollup row had no homework published, so they count as
zero minutes within the cap.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence

from qingfu.inspections.data import CheckLine, SchoolFacts
from qingfu.policy.profile import rule_title


def period_label(start: dt.date, end: dt.date) -> str:
    """ "10月" for a whole calendar month, else "9月1日至11月22日" (with years if they differ)."""
    whole_month = (
        start.year == end.year
        and start.month == end.month
        and start.day == 1
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )
    if whole_month:
        return f"{start.month}月"
    if start.year != end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    if start == end:
        return f"{start.month}月{start.day}日"
    return f"{start.month}月{start.day}日至{end.month}月{end.day}日"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _checks(lines: Sequence[CheckLine]) -> str:
    problems = [line for line in lines if line.status != "ok"]
    if not lines:
        return ""
    if not problems:
        return "符合政策检查" if len(lines) == 1 else f"政策检查 {len(lines)} 项均符合"
    shown = "；".join(f"{p.message}（{rule_title(p.rule_id)}）" for p in problems)
    return f"政策检查 {len(lines)} 项中 {len(problems)} 项不符合：{shown}"


def hw_cap(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    days = facts.class_days
    exceptions = facts.homework.exceptions_granted
    if not days:
        text = f"{period}没有班级日作业记录（无作业记录的日子按 0 分钟计）"
        return text + (f"；批准超量例外 {exceptions} 次。" if exceptions else "。")
    over = [d for d in days if d.planned_minutes > d.cap]
    parts = [f"{period}共 {len(days)} 个班级日有作业记录"]
    if over:
        classes = len({d.class_id for d in over})
        dates = len({d.date for d in over})
        parts.append(
            f"有 {classes} 个班在 {dates} 天书面作业计划超过上限（共 {len(over)} 个班级日，"
            f"最多超出 {max(d.planned_minutes - d.cap for d in over)} 分钟）"
        )
    else:
        parts.append("没有班级日书面作业计划超过上限")
    logged = [d for d in days if d.logs]
    if logged:
        reported_over = sum(1 for d in logged if d.reported_over)
        parts.append(
            f"家长记录覆盖 {len(logged)} 个班级日，其中 {reported_over} 个班级日实际用时超上限"
        )
    else:
        parts.append("没有家长用时记录")
    parts.append(f"批准超量例外 {exceptions} 次")
    return "；".join(parts) + "。"


def hw_content(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    hw = facts.homework
    if not hw.assignments:
        return f"{period}没有发布作业的记录。"
    return (
        f"{period}发布作业 {hw.assignments} 份、作业项 {hw.items} 个，其中分层（提升、拓展）"
        f"作业项 {hw.tiered_items} 个（{_percent(hw.tiered_items, hw.items)}）；"
        f"需手机打卡、需家长批改或惩罚性作业项 {hw.banned_items} 个。"
    )


def hw_publicity(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    p = facts.publicity
    if not p.grades or not p.weeks:
        return f"{period}没有需要公示的教学周或年级。"
    due = p.grades * p.weeks
    if not p.plans_published:
        return f"{period}共 {p.weeks} 个教学周、{p.grades} 个年级，没有经审核公示的周作业计划。"
    return (
        f"{period}共 {p.weeks} 个教学周、{p.grades} 个年级，应公示周作业计划 {due} 份，"
        f"已审核公示 {p.plans_published} 份（{_percent(p.plans_published, due)}）。"
    )


def hw_time(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    logged = [d for d in facts.class_days if d.logs]
    if not logged:
        return f"{period}没有家长记录的作业用时。"
    logs = sum(d.logs for d in logged)
    late = sum(d.late_finishes for d in logged)
    unfinished = sum(d.not_finished for d in logged)
    return (
        f"{period}家长共记录作业用时 {logs} 次（{len(logged)} 个班级日），完成时间晚于就寝时间 "
        f"{late} 次（{_percent(late, logs)}），未能完成 {unfinished} 次。"
    )


def afterschool(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    a = facts.afterschool
    if not a.has_program:
        text = "本学期没有课后服务方案记录"
    else:
        hours = f"{a.start:%H:%M}–{a.end:%H:%M}" if a.start and a.end else ""
        text = f"本学期课后服务方案{'已报备案' if a.is_filed else '尚未备案'}（每周 {a.days_a_week} 天 {hours}）"
        checks = _checks(a.checks)
        if checks:
            text += f"；{checks}"
    marks = sum(d.afterschool_marks for d in facts.class_days)
    attended = sum(d.afterschool_attended for d in facts.class_days)
    if marks:
        text += f"；{period}考勤 {marks} 人次，出勤 {attended} 人次（{_percent(attended, marks)}）"
    else:
        text += f"；{period}没有课后服务考勤记录"
    return text + "。"


def exam(facts: SchoolFacts) -> str:
    e = facts.exams
    if not e.exams:
        return "本学期没有考试安排记录。"
    text = f"本学期考试安排 {e.exams} 场（{e.grades} 个年级），已审定 {e.approved} 场"
    checks = _checks(e.checks)
    return text + (f"；{checks}" if checks else "") + "。"


def sleep(facts: SchoolFacts) -> str:
    day = facts.school_day
    if not day.is_recorded:
        return "学校尚未登记作息时间（上午上课时间）。"
    starts = []
    if day.primary_start:
        starts.append(f"小学 {day.primary_start:%H:%M}")
    if day.junior_start:
        starts.append(f"初中 {day.junior_start:%H:%M}")
    text = "上午第一节开始：" + ("、".join(starts) if starts else "未登记")
    checks = _checks([c for c in day.checks if c.rule_id.startswith("sleep.")])
    return text + (f"；{checks}" if checks else "") + "。"


def phone(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    p = facts.phones
    total = p.approved + p.refused + p.pending
    if not total:
        return "没有手机带入校园的书面申请记录。"
    return (
        f"手机带入校园书面申请 {total} 份（同意 {p.approved}、未同意 {p.refused}、待审批 "
        f"{p.pending}）；{period}统一保管登记 {p.custody_records} 人次。"
    )


def reading(facts: SchoolFacts) -> str:
    r = facts.reading
    if not r.lists:
        return "本学年没有课外读物推荐记录。"
    text = f"本学年推荐书目 {r.lists} 份，已备案 {r.filed} 份，最近一份进度：{r.latest_step}"
    checks = _checks(r.checks)
    return text + (f"；{checks}" if checks else "") + "。"


def fitness(facts: SchoolFacts) -> str:
    day = facts.school_day
    if not day.is_recorded:
        return "学校尚未登记大课间时长。"
    text = f"大课间 {day.break_minutes} 分钟"
    checks = _checks([c for c in day.checks if c.rule_id.startswith("fitness.")])
    return text + (f"；{checks}" if checks else "") + "。"


EVIDENCE: dict[str, Callable[[SchoolFacts], str]] = {
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


def evidence_for(area: str, facts: SchoolFacts) -> str:
    """The evidence line of one checklist area; areas without records to read say so."""
    compute = EVIDENCE.get(area)
    return compute(facts) if compute else "该项没有可自动汇总的记录，请现场查阅。"
