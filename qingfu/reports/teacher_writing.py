"""The teacher-burden section (减轻教师非教学负担) of a school's or district's work summary,
written from what the burden registry shows landed on the schools: pure, no database.

Claimed only where the records show demands; a problem only where schools reported a
demand that reached them outside Qingfu. ``reports.writing`` places the section, the
problem and its next step.
"""

from __future__ import annotations

from qingfu.core.text import _, counted, counted_as
from qingfu.reports.data import TeacherBurden
from qingfu.reports.document import Block, Heading, Paragraph, Table

PROBLEM_KEY = "teacher-unregistered"


def kinds_text(tb: TeacherBurden) -> str:
    """ ", of which 3 inspections, 2 data requests …" (empty when there are none)."""
    parts = [
        kind
        for kind, n in (
            (counted("督查检查考核{n}项", "督查检查考核{n}项", tb.inspections), tb.inspections),
            (counted("数据填报{n}件", "数据填报{n}件", tb.data_requests), tb.data_requests),
            (
                counted("社会事务进校园{n}项", "社会事务进校园{n}项", tb.campus_activities),
                tb.campus_activities,
            ),
            (counted("借调教师{n}人次", "借调教师{n}人次", tb.secondments), tb.secondments),
        )
        if n
    ]
    return (_("，其中") + _("、").join(parts)) if parts else ""


def teacher_section(tb: TeacherBurden, *, district: bool) -> list[Block]:
    """The section's heading and text (with a table of schools for a district)."""
    who = _("全区各学校") if district else _("我校")
    text = _(
        "落实减轻中小学教师负担的要求，上级部门和其他单位向{who}布置的非教学事项一律先在"
        "平台登记、对照清单审核。本期通过平台下达{who}的事项{n}，预计占用{hours}小时{kinds}。"
    ).format(
        who=who,
        n=counted_as("事项", "{n}件", "{n}件", tb.demands),
        hours=f"{tb.hours:.1f}",
        kinds=kinds_text(tb),
    )
    if tb.refused:
        text += counted(
            "未列入年度清单的进校检查和填报、白名单以外的进校园活动等{n}件在登记时未获通过，"
            "没有进入学校。",
            "未列入年度清单的进校检查和填报、白名单以外的进校园活动等{n}件在登记时未获通过，"
            "没有进入学校。",
            tb.refused,
        )
    out: list[Block] = [Heading(_("减轻教师非教学负担"), 2), Paragraph(text)]
    out += _hours(tb)
    if district and tb.by_school:
        out.append(
            Table(
                _("各学校承接的非教学事项"),
                (
                    _("学校"),
                    _("事项（件）"),
                    _("预计工时（小时）"),
                    _("督查检查考核"),
                    _("数据填报"),
                    _("进校园活动"),
                    _("借调"),
                ),
                tuple(
                    (
                        s.name,
                        str(s.demands),
                        f"{s.hours:.1f}",
                        str(s.inspections),
                        str(s.data_requests),
                        str(s.campus_activities),
                        str(s.secondments),
                    )
                    for s in tb.by_school
                ),
                (False, True, True, True, True, True, True),
            )
        )
    return out


def _hours(tb: TeacherBurden) -> list[Block]:
    """The teachers' non-teaching hours a week: the spread, with no teacher named."""
    spread = tb.teacher_hours
    if spread is None or not spread.teachers or spread.highest <= 0:
        return []
    text = _(
        "上级事项的工时由校长指定的承办人分担（未指定承办人的由全校教师分担），再计入课后服务"
        "值守，本期{teachers}平均每周非教学工作{mean}小时，中位数{median}小时，最多{highest}小时。"
    ).format(
        teachers=counted("{n}名教师", "{n}名教师", spread.teachers),
        mean=f"{spread.mean:.1f}",
        median=f"{spread.median:.1f}",
        highest=f"{spread.highest:.1f}",
    )
    return [
        Paragraph(text),
        Table(
            _("教师每周非教学工作时长分布"),
            (_("每周小时"), _("教师（人）")),
            tuple((label, str(n)) for label, n in spread.bands),
            (False, True),
        ),
    ]


def teacher_problem(tb: TeacherBurden | None) -> tuple[str, str, str] | None:
    """(key, title, text) when schools reported demands that came outside Qingfu."""
    if tb is None or not tb.reports:
        return None
    return (
        PROBLEM_KEY,
        _("仍有非教学事项绕开平台进入学校"),
        _("本期学校报告未经登记、通过工作群或电话布置的事项{n}件，已报县减负办处理。").format(
            n=tb.reports
        ),
    )


def teacher_step() -> tuple[str, str]:
    return (
        _("守住非教学事项进校园的“入口”"),
        _(
            "凡未经平台登记的检查、填报和进校园活动，学校一律先报县减负办核实，"
            "不直接安排教师承担；借调教师严格控制在规定期限内。"
        ),
    )
