"""Ledgers (台账) as XLSX, from the same records as the report: homework publicity, the
time-log summary, after-school attendance and the exception register.

Rows are per class and week (or per request for exceptions), never per student, and no
student is named. Figures of a class-week with fewer logs than the policy's minimum group
are left blank, with a note saying why.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qingfu.afterschool.models import Club, Program
from qingfu.core import sheets
from qingfu.homework.models import LoadException, PlanChange, PlanEntry, WeeklyPlan
from qingfu.inspections.selectors import is_overdue, rectification_register
from qingfu.oversight.models import ClassDayRollup
from qingfu.oversight.selectors import school_days
from qingfu.policy.profile import rule_title
from qingfu.reports.data import Period
from qingfu.reports.facts import monday_of
from qingfu.reports.selectors import Scope
from qingfu.schools.calendars import local_time, profile_for_school
from qingfu.schools.models import School, SchoolClass
from qingfu.schools.naming import class_display_name

Value = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Sheet:
    title: str
    header: tuple[str, ...]
    rows: list[tuple[Value, ...]]
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Ledger:
    key: str
    title: str
    sheets: list[Sheet]
    note: str = ""


# Lazy: the titles are read in the language of each request.
LEDGERS: dict[str, str] = {
    "publicity": cast(str, gettext_lazy("作业公示台账")),
    "timelogs": cast(str, gettext_lazy("作业用时记录汇总台账")),
    "afterschool": cast(str, gettext_lazy("课后服务考勤台账")),
    "exceptions": cast(str, gettext_lazy("作业例外审批登记台账")),
    "rectifications": cast(str, gettext_lazy("督导整改登记台账")),
}

_THIN = Side(style="thin", color="888888")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def ledger_xlsx(*, scope: Scope, period: Period, key: str, today: dt.date) -> bytes:
    if key == "rectifications":
        ledger = _rectifications(scope, period, today)
    else:
        build = _BUILDERS.get(key)
        if build is None:
            raise KeyError(key)
        ledger = build(scope, replace(period, end=min(period.end, today)))
    return _workbook(ledger, scope, period)


def _workbook(ledger: Ledger, scope: Scope, period: Period) -> bytes:
    book = sheets.new_workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for sheet in ledger.sheets:
        ws = book.create_sheet(sheet.title[:31])
        _fill(ws, ledger, sheet, scope, period)
    return sheets.workbook_bytes(book)


def _cell(value: Value) -> Value:
    """Instants are written as the school's wall-clock time: a spreadsheet cell has no time
    zone, and a reader takes 21:13 for 21:13 in Beijing, not in UTC."""
    if isinstance(value, dt.datetime):
        return local_time(value).replace(tzinfo=None)
    return value


def _fill(ws: Worksheet, ledger: Ledger, sheet: Sheet, scope: Scope, period: Period) -> None:
    columns = len(sheet.header)
    sheets.append_row(
        ws,
        [
            _("%(scope)s%(ledger)s") % {"scope": scope.name, "ledger": ledger.title}
            + ("" if sheet.title == ledger.title else _("：%(sheet)s") % {"sheet": sheet.title})
        ],
    )
    sheets.append_row(
        ws,
        [
            _("统计时段：%(label)s（%(start)s 至 %(end)s）")
            % {
                "label": period.label,
                "start": f"{period.start:%Y-%m-%d}",
                "end": f"{period.end:%Y-%m-%d}",
            }
        ],
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"].alignment = Alignment(horizontal="center")
    for cell in sheets.append_row(ws, sheet.header):
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EFEC")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    for row in sheet.rows:
        for cell in sheets.append_row(ws, [_cell(value) for value in row]):
            cell.border = _BORDER
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and len(cell.value) > 16:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not sheet.rows:
        sheets.append_row(ws, [_("统计时段内没有记录。")])
    if ledger.note:
        sheets.append_row(ws, [])
        sheets.append_row(ws, [ledger.note])
    ws.freeze_panes = "A4"
    for c in range(1, columns + 1):
        width = sheet.widths[c - 1] if c <= len(sheet.widths) else 12
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = "3:3"


def _classes(scope: Scope) -> dict[int, tuple[str, int, str]]:
    """class id → (school name, grade, class name), grades 1-9 in school order."""
    return {
        c.pk: (c.school.name, c.grade.number, class_display_name(c.grade.number, c.number))
        for c in SchoolClass.objects.select_related("school", "grade")
        .filter(school_id__in=scope.school_ids, grade__number__lte=9)
        .order_by("school__name", "grade__number", "number")
    }


def _with_school(scope: Scope, school: str, rest: Sequence[Value]) -> tuple[Value, ...]:
    return (school, *rest) if scope.kind == "district" else tuple(rest)


def _head(scope: Scope, *names: str) -> tuple[str, ...]:
    return (_("学校"), *names) if scope.kind == "district" else names


def _weeks(scope: Scope, period: Period) -> dict[int, list[dt.date]]:
    """Per school, the Mondays of the weeks with school days in the period."""
    days = school_days(scope.school_ids, period.start, period.end)
    return {sid: sorted({monday_of(d) for d in days[sid]}) for sid in scope.school_ids}


def _publicity(scope: Scope, period: Period) -> Ledger:
    classes = _classes(scope)
    school_of = dict(
        SchoolClass.objects.filter(id__in=list(classes)).values_list("id", "school_id")
    )
    weeks = _weeks(scope, period)
    plans = {
        (p.grade.number, p.school_id, p.week_start): p
        for p in WeeklyPlan.objects.select_related(
            "grade", "leader_approved_by", "cadre_approved_by"
        )
        .filter(school_id__in=scope.school_ids, week_start__gte=monday_of(period.start))
        .filter(week_start__lte=period.end)
    }
    plan_ids = [p.pk for p in plans.values()]
    planned: dict[tuple[int, int], int] = defaultdict(int)
    for plan_id, class_id, minutes in PlanEntry.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "school_class_id", "minutes"
    ):
        planned[(plan_id, class_id)] += minutes
    changes: dict[tuple[int, int], list[PlanChange]] = defaultdict(list)
    change_rows: list[tuple[Value, ...]] = []
    for ch in (
        PlanChange.objects.filter(plan_id__in=plan_ids)
        .select_related(
            "subject", "changed_by", "plan", "school_class__grade", "school_class__school"
        )
        .order_by("changed_at", "id")
    ):
        changes[(ch.plan_id, ch.school_class_id)].append(ch)
        change_rows.append(
            _with_school(
                scope,
                ch.school_class.school.name,
                (
                    class_display_name(ch.school_class.grade.number, ch.school_class.number),
                    ch.plan.week_start,
                    ch.date,
                    ch.subject.name,
                    ch.minutes_before,
                    ch.minutes_after,
                    ch.content_before,
                    ch.content_after,
                    ch.changed_by.name if ch.changed_by else "",
                    ch.changed_at,
                ),
            )
        )
    rows: list[tuple[Value, ...]] = []
    for cid, (school, grade, name) in classes.items():
        for week in weeks.get(school_of[cid], []):
            plan = plans.get((grade, school_of[cid], week))
            status = str(WeeklyPlan.Status(plan.status).label) if plan else _("未编制")
            published = plan.published_at if plan and plan.published_at else None
            rows.append(
                _with_school(
                    scope,
                    school,
                    (
                        name,
                        week,
                        status,
                        published,
                        plan.leader_approved_by.name if plan and plan.leader_approved_by else "",
                        plan.cadre_approved_by.name if plan and plan.cadre_approved_by else "",
                        planned[(plan.pk, cid)] if plan else None,
                        len(changes[(plan.pk, cid)]) if plan else 0,
                    ),
                )
            )
    return Ledger(
        "publicity",
        LEDGERS["publicity"],
        [
            Sheet(
                LEDGERS["publicity"],
                _head(
                    scope,
                    _("班级"),
                    _("周一日期"),
                    _("计划状态"),
                    _("公示时间"),
                    _("年级组长审核"),
                    _("行政干部审核"),
                    _("计划作业合计（分钟）"),
                    _("公示后调整（处）"),
                ),
                rows,
                _widths(scope, (12, 12, 12, 17, 12, 12, 12, 10)),
            ),
            Sheet(
                _("公示后调整记录"),
                _head(
                    scope,
                    _("班级"),
                    _("周一日期"),
                    _("作业日期"),
                    _("学科"),
                    _("调整前（分钟）"),
                    _("调整后（分钟）"),
                    _("调整前内容"),
                    _("调整后内容"),
                    _("修改人"),
                    _("修改时间"),
                ),
                change_rows,
                _widths(scope, (12, 12, 12, 8, 10, 10, 20, 20, 10, 17)),
            ),
        ],
        _(
            "说明：每班每个有教学日的周一行；计划由年级组长和行政干部（“双组长”）审核后公示，公示后的修改逐条记入调整记录。"
        ),
    )


def _widths(scope: Scope, widths: tuple[int, ...]) -> tuple[int, ...]:
    return (14, *widths) if scope.kind == "district" else widths


def _rollup_weeks(scope: Scope, period: Period) -> dict[int, dict[dt.date, list[ClassDayRollup]]]:
    """class id → Monday → that week's rollups, weeks in date order."""
    out: dict[int, dict[dt.date, list[ClassDayRollup]]] = defaultdict(dict)
    for r in ClassDayRollup.objects.filter(
        school_id__in=scope.school_ids, date__gte=period.start, date__lte=period.end
    ).order_by("date"):
        out[r.school_class_id].setdefault(monday_of(r.date), []).append(r)
    return out


def _min_group(scope: Scope) -> int:
    school = School.objects.select_related("district").filter(id__in=scope.school_ids).first()
    return profile_for_school(school).rule("priv.min-group").whole() if school else 5


def _timelogs(scope: Scope, period: Period) -> Ledger:
    classes = _classes(scope)
    weeks = _rollup_weeks(scope, period)
    minimum = _min_group(scope)
    rows: list[tuple[Value, ...]] = []
    for cid, (school, _grade, name) in classes.items():
        for monday, days in weeks.get(cid, {}).items():
            logs = sum(d.logs for d in days)
            estimates = [d.reported_minutes for d in days if d.reported_minutes is not None]
            shown = logs >= minimum
            rows.append(
                _with_school(
                    scope,
                    school,
                    (
                        name,
                        monday,
                        sum(1 for d in days if d.day_kind == "school_day"),
                        round(sum(d.planned_minutes for d in days) / len(days), 1),
                        sum(1 for d in days if d.verdict == "violation"),
                        logs,
                        round(sum(estimates) / len(estimates), 1) if shown and estimates else None,
                        sum(d.late_finishes for d in days) if shown else None,
                        sum(d.not_finished for d in days) if shown else None,
                    ),
                )
            )
    return Ledger(
        "timelogs",
        LEDGERS["timelogs"],
        [
            Sheet(
                LEDGERS["timelogs"],
                _head(
                    scope,
                    _("班级"),
                    _("周一日期"),
                    _("有记录的教学日"),
                    _("日均布置（分钟）"),
                    _("超上限天数"),
                    _("家长用时记录（条）"),
                    _("家长反映日均（分钟，估计）"),
                    _("晚于就寝完成（条）"),
                    _("未能完成（条）"),
                ),
                rows,
                _widths(scope, (12, 12, 10, 10, 10, 10, 14, 10, 10)),
            )
        ],
        _(
            "说明：按班级和周汇总，不含学生姓名；用时为抽样估计；一周记录少于%(n)d条的班级只列条数，"
            "不列用时和完成情况，以免推知个人。"
        )
        % {"n": minimum},
    )


def _afterschool(scope: Scope, period: Period) -> Ledger:
    classes = _classes(scope)
    weeks = _rollup_weeks(scope, period)
    minimum = _min_group(scope)
    rows: list[tuple[Value, ...]] = []
    for cid, (school, _grade, name) in classes.items():
        for monday, days in weeks.get(cid, {}).items():
            marks = sum(d.afterschool_marks for d in days)
            if not marks:
                continue
            attended = sum(d.afterschool_attended for d in days)
            # Fewer students a day than the minimum group: the counts would tell whose
            # absence it was, so only the number of marks is shown.
            shown = max(d.afterschool_marks for d in days) >= minimum
            rows.append(
                _with_school(
                    scope,
                    school,
                    (
                        name,
                        monday,
                        sum(1 for d in days if d.afterschool_marks),
                        marks,
                        attended if shown else None,
                        marks - attended if shown else None,
                        f"{attended / marks * 100:.1f}%" if shown else None,
                    ),
                )
            )
    programs = Program.objects.filter(
        school_id__in=scope.school_ids,
        semester__start__lte=period.end,
        semester__end__gte=period.start,
    )
    clubs = [
        _with_school(
            scope,
            c.school.name,
            (
                c.name,
                str(Club.Category(c.category).label),
                _("%(first)d—%(last)d年级") % {"first": c.grade_from, "last": c.grade_to},
                c.capacity,
                str(Club.Instructor(c.instructor_kind).label),
                c.room,
            ),
        )
        for c in Club.objects.filter(program__in=programs)
        .select_related("school")
        .order_by("school__name", "category", "name")
    ]
    return Ledger(
        "afterschool",
        LEDGERS["afterschool"],
        [
            Sheet(
                LEDGERS["afterschool"],
                _head(
                    scope,
                    _("班级"),
                    _("周一日期"),
                    _("服务天数"),
                    _("考勤人次"),
                    _("出勤人次"),
                    _("缺勤或请假人次"),
                    _("出勤率"),
                ),
                rows,
                _widths(scope, (12, 12, 10, 10, 10, 12, 10)),
            ),
            Sheet(
                _("社团"),
                _head(
                    scope, _("社团"), _("类别"), _("年级"), _("名额"), _("指导教师类别"), _("地点")
                ),
                clubs,
                _widths(scope, (18, 10, 12, 8, 14, 14)),
            ),
        ],
        _(
            "说明：考勤按班级和周汇总（出勤含提前接走），不含学生姓名；"
            "每天参加人数少于%(n)d人的班级只列考勤人次。"
        )
        % {"n": minimum},
    )


def _exceptions(scope: Scope, period: Period) -> Ledger:
    status = {s.value: str(s.label) for s in LoadException.Status}
    rows = [
        _with_school(
            scope,
            e.school.name,
            (
                e.date,
                class_display_name(e.school_class.grade.number, e.school_class.number),
                e.assignment.subject.name,
                "、".join(rule_title(r) for r in e.rule_ids),
                e.measured,
                e.limit,
                e.request_reason,
                e.assignment.teacher.name,
                status.get(e.status, e.status),
                e.decision_reason,
                e.decided_by.name if e.decided_by else "",
                e.decided_at,
            ),
        )
        for e in LoadException.objects.filter(
            school_id__in=scope.school_ids, date__gte=period.start, date__lte=period.end
        )
        .select_related(
            "school",
            "school_class__grade",
            "assignment__subject",
            "assignment__teacher",
            "decided_by",
        )
        .order_by("school__name", "date", "school_class__grade__number", "school_class__number")
    ]
    return Ledger(
        "exceptions",
        LEDGERS["exceptions"],
        [
            Sheet(
                LEDGERS["exceptions"],
                _head(
                    scope,
                    _("日期"),
                    _("班级"),
                    _("学科"),
                    _("规则"),
                    _("合计（分钟）"),
                    _("上限（分钟）"),
                    _("申请理由"),
                    _("申请教师"),
                    _("审批结果"),
                    _("审批意见"),
                    _("审批人"),
                    _("审批时间"),
                ),
                rows,
                _widths(scope, (12, 12, 8, 14, 10, 10, 28, 10, 10, 24, 10, 17)),
            )
        ],
        _(
            "说明：超出作业时长上限须由任课教师写明理由申请，年级组长审批；本表逐项登记申请和审批结果。"
        ),
    )


def _rectifications(scope: Scope, period: Period, today: dt.date) -> Ledger:
    rows = [
        _with_school(
            scope,
            r.school_name,
            (
                r.visit_date,
                r.inspector,
                r.title,
                r.problem,
                r.requirement,
                "、".join(rule_title(rule_id) for rule_id in r.rule_ids),
                r.issued_on,
                r.deadline,
                r.status_label,
                r.response_date,
                r.response_summary,
                r.closed_date,
                _("逾期") if is_overdue(status=r.status, deadline=r.deadline, today=today) else "",
            ),
        )
        for r in rectification_register(
            school_ids=list(scope.school_ids), start=period.start, end=period.end
        )
    ]
    return Ledger(
        "rectifications",
        LEDGERS["rectifications"],
        [
            Sheet(
                LEDGERS["rectifications"],
                _head(
                    scope,
                    _("督导日期"),
                    _("责任督学"),
                    _("事项"),
                    _("发现的问题"),
                    _("整改要求"),
                    _("规则"),
                    _("下发日期"),
                    _("整改期限"),
                    _("状态"),
                    _("回复日期"),
                    _("整改情况"),
                    _("办结日期"),
                    _("是否逾期"),
                ),
                rows,
                _widths(scope, (12, 10, 18, 30, 30, 12, 12, 12, 10, 12, 30, 12, 8)),
            )
        ],
        _("说明：统计时段内下发的整改通知；是否逾期按%(today)s计算。")
        % {"today": f"{today:%Y-%m-%d}"},
    )


_BUILDERS: dict[str, Callable[[Scope, Period], Ledger]] = {
    "publicity": _publicity,
    "timelogs": _timelogs,
    "afterschool": _afterschool,
    "exceptions": _exceptions,
}
