"""Evidence lines for the checklist: what the school's own records say about each area over
the period under review, in precise Chinese (or English, for a reader who chose it).

Pure: takes ``SchoolFacts`` (fetched by ``facts.py``), returns text in the active language
(``qingfu.core.text``: the messages are translated without importing Django). Every number
is counted from the facts; when there are no records the line says so plainly instead of
implying compliance. Class-days without a rollup row had no homework published, so they
count as zero minutes within the cap.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence

from qingfu.core.text import _, is_english, language, long_date, month_day, month_name
from qingfu.inspections.data import CheckLine, SchoolFacts
from qingfu.policy.profile import rule_title


def period_label(start: dt.date, end: dt.date) -> str:
    """ "10月" for a whole calendar month, else "9月1日至11月22日" (with years if they differ);
    "October", "1 September to 22 November" in English."""
    whole_month = (
        start.year == end.year
        and start.month == end.month
        and start.day == 1
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )
    if whole_month:
        return month_name(start)
    if start.year != end.year:
        return _("{start}至{end}").format(start=long_date(start), end=long_date(end))
    if start == end:
        return month_day(start)
    return _("{start}至{end}").format(start=month_day(start), end=month_day(end))


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _joined(parts: Sequence[str]) -> str:
    """Clauses joined with "；" and closed with "。" (in English "; " and ".")."""
    return _("；").join(parts) + _("。")


def _message(line: CheckLine) -> str:
    return line.message_en if is_english() and line.message_en else line.message


def _checks(lines: Sequence[CheckLine]) -> str:
    problems = [line for line in lines if line.status != "ok"]
    if not lines:
        return ""
    if not problems:
        if len(lines) == 1:
            return _("符合政策检查")
        return _("政策检查 {n} 项均符合").format(n=len(lines))
    shown = _("；").join(
        _("{message}（{rule}）").format(message=_message(p), rule=rule_title(p.rule_id, language()))
        for p in problems
    )
    return _("政策检查 {n} 项中 {problems} 项不符合：{shown}").format(
        n=len(lines), problems=len(problems), shown=shown
    )


def hw_cap(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    days = facts.class_days
    exceptions = facts.homework.exceptions_granted
    if not days:
        parts = [
            _("{period}没有班级日作业记录（无作业记录的日子按 0 分钟计）").format(period=period)
        ]
        if exceptions:
            parts.append(_("批准超量例外 {n} 次").format(n=exceptions))
        return _joined(parts)
    over = [d for d in days if d.planned_minutes > d.cap]
    parts = [_("{period}共 {n} 个班级日有作业记录").format(period=period, n=len(days))]
    if over:
        parts.append(
            _(
                "有 {classes} 个班在 {dates} 天书面作业计划超过上限（共 {class_days} 个班级日，"
                "最多超出 {most} 分钟）"
            ).format(
                classes=len({d.class_id for d in over}),
                dates=len({d.date for d in over}),
                class_days=len(over),
                most=max(d.planned_minutes - d.cap for d in over),
            )
        )
    else:
        parts.append(_("没有班级日书面作业计划超过上限"))
    logged = [d for d in days if d.logs]
    if logged:
        parts.append(
            _("家长记录覆盖 {n} 个班级日，其中 {over} 个班级日实际用时超上限").format(
                n=len(logged), over=sum(1 for d in logged if d.reported_over)
            )
        )
    else:
        parts.append(_("没有家长用时记录"))
    parts.append(_("批准超量例外 {n} 次").format(n=exceptions))
    return _joined(parts)


def hw_content(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    hw = facts.homework
    if not hw.assignments:
        return _("{period}没有发布作业的记录。").format(period=period)
    return _(
        "{period}发布作业 {assignments} 份、作业项 {items} 个，其中分层（提升、拓展）"
        "作业项 {tiered} 个（{share}）；需手机打卡、需家长批改或惩罚性作业项 {banned} 个。"
    ).format(
        period=period,
        assignments=hw.assignments,
        items=hw.items,
        tiered=hw.tiered_items,
        share=_percent(hw.tiered_items, hw.items),
        banned=hw.banned_items,
    )


def hw_publicity(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    p = facts.publicity
    if not p.grades or not p.weeks:
        return _("{period}没有需要公示的教学周或年级。").format(period=period)
    due = p.grades * p.weeks
    if not p.plans_published:
        return _(
            "{period}共 {weeks} 个教学周、{grades} 个年级，没有经审核公示的周作业计划。"
        ).format(period=period, weeks=p.weeks, grades=p.grades)
    return _(
        "{period}共 {weeks} 个教学周、{grades} 个年级，应公示周作业计划 {due} 份，"
        "已审核公示 {published} 份（{share}）。"
    ).format(
        period=period,
        weeks=p.weeks,
        grades=p.grades,
        due=due,
        published=p.plans_published,
        share=_percent(p.plans_published, due),
    )


def hw_time(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    logged = [d for d in facts.class_days if d.logs]
    if not logged:
        return _("{period}没有家长记录的作业用时。").format(period=period)
    logs = sum(d.logs for d in logged)
    late = sum(d.late_finishes for d in logged)
    return _(
        "{period}家长共记录作业用时 {logs} 次（{class_days} 个班级日），完成时间晚于就寝时间 "
        "{late} 次（{share}），未能完成 {unfinished} 次。"
    ).format(
        period=period,
        logs=logs,
        class_days=len(logged),
        late=late,
        share=_percent(late, logs),
        unfinished=sum(d.not_finished for d in logged),
    )


def afterschool(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    a = facts.afterschool
    parts = []
    if not a.has_program:
        parts.append(_("本学期没有课后服务方案记录"))
    else:
        hours = f"{a.start:%H:%M}–{a.end:%H:%M}" if a.start and a.end else ""
        if a.is_filed:
            plan = _("本学期课后服务方案已报备案（每周 {days} 天 {hours}）")
        else:
            plan = _("本学期课后服务方案尚未备案（每周 {days} 天 {hours}）")
        parts.append(plan.format(days=a.days_a_week, hours=hours))
        checks = _checks(a.checks)
        if checks:
            parts.append(checks)
    marks = sum(d.afterschool_marks for d in facts.class_days)
    attended = sum(d.afterschool_attended for d in facts.class_days)
    if marks:
        parts.append(
            _("{period}考勤 {marks} 人次，出勤 {attended} 人次（{share}）").format(
                period=period, marks=marks, attended=attended, share=_percent(attended, marks)
            )
        )
    else:
        parts.append(_("{period}没有课后服务考勤记录").format(period=period))
    return _joined(parts)


def _with_checks(text: str, lines: Sequence[CheckLine]) -> str:
    checks = _checks(lines)
    return _joined([text, checks] if checks else [text])


def exam(facts: SchoolFacts) -> str:
    e = facts.exams
    if not e.exams:
        return _("本学期没有考试安排记录。")
    text = _("本学期考试安排 {exams} 场（{grades} 个年级），已审定 {approved} 场").format(
        exams=e.exams, grades=e.grades, approved=e.approved
    )
    return _with_checks(text, e.checks)


def sleep(facts: SchoolFacts) -> str:
    day = facts.school_day
    if not day.is_recorded:
        return _("学校尚未登记作息时间（上午上课时间）。")
    starts = []
    if day.primary_start:
        starts.append(_("小学 {time}").format(time=f"{day.primary_start:%H:%M}"))
    if day.junior_start:
        starts.append(_("初中 {time}").format(time=f"{day.junior_start:%H:%M}"))
    text = _("上午第一节开始：{starts}").format(
        starts=_("、").join(starts) if starts else _("未登记")
    )
    return _with_checks(text, [c for c in day.checks if c.rule_id.startswith("sleep.")])


def phone(facts: SchoolFacts) -> str:
    period = period_label(facts.start, facts.end)
    p = facts.phones
    total = p.approved + p.refused + p.pending
    if not total:
        return _("没有手机带入校园的书面申请记录。")
    return _(
        "手机带入校园书面申请 {total} 份（同意 {approved}、未同意 {refused}、待审批 "
        "{pending}）；{period}统一保管登记 {custody} 人次。"
    ).format(
        total=total,
        approved=p.approved,
        refused=p.refused,
        pending=p.pending,
        period=period,
        custody=p.custody_records,
    )


def reading(facts: SchoolFacts) -> str:
    r = facts.reading
    if not r.lists:
        return _("本学年没有课外读物推荐记录。")
    text = _("本学年推荐书目 {lists} 份，已备案 {filed} 份，最近一份进度：{step}").format(
        lists=r.lists, filed=r.filed, step=r.latest_step
    )
    return _with_checks(text, r.checks)


def fitness(facts: SchoolFacts) -> str:
    day = facts.school_day
    if not day.is_recorded:
        return _("学校尚未登记大课间时长。")
    text = _("大课间 {minutes} 分钟").format(minutes=day.break_minutes)
    return _with_checks(text, [c for c in day.checks if c.rule_id.startswith("fitness.")])


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
    return compute(facts) if compute else _("该项没有可自动汇总的记录，请现场查阅。")
