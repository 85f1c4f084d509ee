"""Write the work-summary report (工作总结汇报) from its figures: pure, no database.

The structure is the one schools use in their own reports — 一、主要做法与成效,
二、存在问题, 三、下一步打算 — but every sentence is chosen by the figures: a practice is
claimed only where the records show it, every problem is found in the data, and every next
step answers a problem that was found. A period without records gets a report that says so
and prints no figures at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from qingfu.core.text import (
    _,
    counted,
    counted_as,
    is_english,
    long_date,
    month_day,
    ngettext,
    pgettext,
)
from qingfu.reports import teacher_writing, training_writing
from qingfu.reports.data import BandFigures, ReportFacts
from qingfu.reports.document import (
    Block,
    Chart,
    ChartSpec,
    Document,
    Heading,
    Paragraph,
    Table,
)

# Families' estimate and the teachers' planned minutes "agree" within this share.
AGREEMENT = 0.15
LATE_SHARE_PROBLEM = 0.05
ATTENDANCE_PROBLEM = 0.90
LISTED = 3  # classes or dates named in a sentence before "等"
TITLE_LINE = 20  # characters of a title that fit one line at the title's size


def cn_date(day: dt.date) -> str:
    return long_date(day)


def md(day: dt.date) -> str:
    return month_day(day)


def pct(share: float | None) -> str:
    if share is None:
        return "—"
    if share >= 1:
        return "100%"
    return f"{share * 100:.1f}%"


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _join(items: Sequence[str]) -> str:
    return _("、").join(items)


def _listing(items: Sequence[str], unit: Callable[[int], str]) -> str:
    """The first few items and how many there are: ``unit`` counts them ("4个班级")."""
    shown = _join(items[:LISTED])
    if len(items) <= LISTED:
        return shown
    return _("{shown}等{count}").format(shown=shown, count=unit(len(items)))


def _classes(n: int) -> str:
    return counted("{n}个班级", "{n}个班级", n)


def _schools(n: int) -> str:
    return counted("{n}所学校", "{n}所学校", n)


def _students(n: int) -> str:
    return counted("{n}名学生", "{n}名学生", n)


def _band_classes(n: int) -> str:
    return counted("{n}个班", "{n}个班", n)


def _we(facts: ReportFacts) -> str:
    if facts.scope_kind == "school":
        return _("我校")
    if is_english():
        return _("本区域")
    last = facts.scope_name[-1:]
    # 我区, 我县 …: a district's own name for itself (a Chinese report only).
    return _("我{last}").format(last=last) if last in _("区县市旗") else _("本区域")


@dataclass(frozen=True)
class Problem:
    key: str
    title: str
    text: str


def report_document(facts: ReportFacts) -> Document:
    # A named period (a semester, a month) goes into the title; a date range only once,
    # under it.
    if facts.period.is_named:
        title = _("{scope}{period}落实“双减”工作总结").format(
            scope=facts.scope_name, period=facts.period.label
        )
    else:
        title = _("{scope}落实“双减”工作总结").format(scope=facts.scope_name)
    dates = _("{start}至{end}").format(
        start=cn_date(facts.period.start), end=cn_date(facts.period.end)
    )
    if facts.through < facts.period.end:
        dates = _("{dates}，统计至{through}").format(dates=dates, through=cn_date(facts.through))
    subtitle = _("（{dates}）").format(dates=dates)
    signature = (facts.scope_name, cn_date(facts.today))
    # A long Chinese title breaks after the scope's name; English lines wrap by themselves.
    long = len(title) > TITLE_LINE and title.startswith(facts.scope_name) and not is_english()
    lines = (facts.scope_name, title[len(facts.scope_name) :]) if long else ()
    if not facts.has_data:
        return Document(title, subtitle, _empty(facts), signature, lines)
    blocks: list[Block] = [Paragraph(_lead(facts))]
    blocks.append(Heading(_("一、主要做法与成效"), 1))
    blocks.extend(_achievements(facts))
    problems = _problems(facts)
    blocks.append(Heading(_("二、存在问题"), 1))
    if problems:
        if len(problems) == 1:
            intro = _("对照本期记录逐项检查，发现一个需要改进的问题：")
        else:
            count = pgettext("number", "两") if len(problems) == 2 else _cn_count(len(problems))
            intro = ngettext(
                "对照本期记录逐项检查，{we}在以下{count}个方面还存在差距，需要认真对待：",
                "对照本期记录逐项检查，{we}在以下{count}个方面还存在差距，需要认真对待：",
                len(problems),
            ).format(we=_we(facts), count=count)
        blocks.append(Paragraph(intro))
        for n, p in enumerate(problems, 1):
            blocks.append(
                Paragraph(_("{n}．{title}。{text}").format(n=n, title=p.title, text=p.text))
            )
    else:
        if facts.has_homework:
            found = _(
                "对照本期记录逐项检查，{besides}没有发现作业超出时长上限、完成作业偏晚、"
                "作业公示缺漏或课后服务参与不足的情况。"
            )
        else:
            found = _(
                "对照本期记录逐项检查，{besides}本期没有作业记录，无法核对作业量；"
                "其余记录中没有发现作业公示缺漏或课后服务参与不足的情况。"
            )
        besides = _("除{n}个经批准例外的班级日外，").format(n=facts.over) if facts.over else ""
        blocks.append(
            Paragraph(
                found.format(besides=besides)
                + _(
                    "需要说明的是，这一结论只反映平台中已有的记录，"
                    "日常管理中仍需注意听取学生和家长的意见。"
                )
            )
        )
    blocks.append(Heading(_("三、下一步打算"), 1))
    blocks.extend(_next_steps(facts, problems))
    blocks.append(Paragraph(_notes(facts), "note"))
    return Document(title, subtitle, _numbered(blocks), signature, lines)


def _numbered(blocks: list[Block]) -> tuple[Block, ...]:
    """Tables and figures numbered in the order they appear (表1, 表2 …; 图1, 图2 …)."""
    out: list[Block] = []
    tables = charts = 0
    for block in blocks:
        if isinstance(block, Table):
            tables += 1
            block = replace(
                block, caption=_("表{n}  {caption}").format(n=tables, caption=block.caption)
            )
        elif isinstance(block, Chart):
            charts += 1
            block = replace(
                block, caption=_("图{n}  {caption}").format(n=charts, caption=block.caption)
            )
        out.append(block)
    return tuple(out)


def _cn_count(n: int) -> str:
    """一, 二 … 十 in Chinese headings and counts; digits in English and beyond ten."""
    if not 1 <= n <= 10:
        return str(n)
    return (
        pgettext("number", "一"), pgettext("number", "二"), pgettext("number", "三"),
        pgettext("number", "四"), pgettext("number", "五"), pgettext("number", "六"),
        pgettext("number", "七"), pgettext("number", "八"), pgettext("number", "九"),
        pgettext("number", "十"),
    )[n - 1]  # fmt: skip


def _empty(facts: ReportFacts) -> tuple[Block, ...]:
    return (
        Paragraph(
            _(
                "统计时段内（{start}至{end}），平台中没有{where}的作业发布、家长用时记录、"
                "作业公示、课后服务考勤或作业例外审批记录，因此无法据实形成本期工作总结，"
                "本报告不列任何数字。"
            ).format(
                start=cn_date(facts.period.start),
                end=cn_date(facts.period.end),
                where=facts.scope_name,
            )
        ),
        Paragraph(
            _(
                "请确认所选时段是否正确（例如是否落在寒暑假或节假日），或在相关工作开展、"
                "记录录入后重新生成报告。"
            )
        ),
    )


def _lead(facts: ReportFacts) -> str:
    we = _we(facts)
    cover = (
        _("{classes}、{students}").format(
            classes=_classes(facts.classes), students=_students(facts.students)
        )
        if facts.scope_kind == "school"
        else _("{schools}的{classes}、{students}").format(
            schools=_schools(facts.schools),
            classes=_classes(facts.classes),
            students=_students(facts.students),
        )
    )
    days = _("（统计时段内共{n}个教学日）").format(n=facts.school_days) if facts.school_days else ""
    # Only the work the records show is named as the period's focus.
    focus = [
        name
        for name, shown in (
            (pgettext("report", "作业总量控制"), facts.has_homework),
            (pgettext("report", "作业公示"), facts.publicity.published > 0),
            (pgettext("report", "课后服务"), facts.afterschool is not None),
            (
                pgettext("report", "督导整改"),
                bool(facts.rectifications and facts.rectifications.issued),
            ),
        )
        if shown
    ]
    work = (
        _("{some}和{last}").format(some=_join(focus[:-1]), last=focus[-1])
        if len(focus) > 1
        else "".join(focus)
    )
    focus_sentence = _("把{work}作为日常工作抓实抓细。").format(work=work) if focus else ""
    return _(
        "{period}，{we}认真落实“双减”和“五项管理”各项要求，{focus}现将本期工作总结如下。"
        "本报告的数据覆盖{cover}{days}，全部由轻负平台根据作业发布、年级周作业计划公示、"
        "家长用时记录、课后服务考勤和例外审批等日常记录自动统计，没有另行填报。"
    ).format(period=facts.period.label, we=we, focus=focus_sentence, cover=cover, days=days)


# --- 一、主要做法与成效 ---------------------------------------------------------------


def _achievements(facts: ReportFacts) -> list[Block]:
    sections: list[list[Block]] = []
    if facts.has_homework:
        sections.append(_homework(facts))
    if facts.publicity.published:
        sections.append(_publicity(facts))
    if facts.afterschool is not None:
        sections.append(_afterschool(facts))
    if facts.exceptions.lines:
        sections.append(_exceptions(facts))
    if facts.rectifications is not None and facts.rectifications.issued:
        sections.append(_rectifications(facts))
    if facts.teacher_burden is not None and facts.teacher_burden.has_data:
        sections.append(
            teacher_writing.teacher_section(
                facts.teacher_burden, district=facts.scope_kind == "district"
            )
        )
    if facts.training is not None and facts.training.has_data:
        sections.append(training_writing.training_section(facts.training))
    if not sections:
        return [Paragraph(_("本期平台中只有零星记录，尚不足以总结具体做法与成效。"))]
    out: list[Block] = []
    for n, section in enumerate(sections, 1):
        first = section[0]
        assert isinstance(first, Heading)
        out.append(Heading(_("（{n}）{text}").format(n=_cn_count(n), text=first.text), 2))
        out.extend(section[1:])
    return out


def _band_sentence(b: BandFigures) -> str:
    avg = b.average_planned
    if b.cap == 0:
        if not b.over:
            return _("{band}{classes}坚持不布置家庭书面作业，书面练习在校内完成").format(
                band=b.label, classes=_band_classes(b.classes)
            )
        return _(
            "{band}有{n}个班级日布置了家庭书面作业，与“一、二年级不布置家庭书面作业”的要求不符"
        ).format(band=b.label, n=b.over)
    if avg is None:
        return _("{band}本期没有教学日").format(band=b.label)
    if avg < b.cap:
        sentence = _(
            "{band}{classes}平均每天布置家庭书面作业{minutes}分钟，"
            "低于{cap}分钟的上限，达标率{share}"
        )
    elif avg == b.cap:
        sentence = _(
            "{band}{classes}平均每天布置家庭书面作业{minutes}分钟，"
            "达到{cap}分钟的上限，达标率{share}"
        )
    else:
        sentence = _(
            "{band}{classes}平均每天布置家庭书面作业{minutes}分钟，"
            "超过{cap}分钟的上限，达标率{share}"
        )
    return sentence.format(
        band=b.label,
        classes=_band_classes(b.classes),
        minutes=minutes(avg),
        cap=b.cap,
        share=pct(b.compliance),
    )


def _homework(facts: ReportFacts) -> list[Block]:
    compliance = facts.compliance or 0.0
    if compliance >= 0.95:
        heading = _("统筹控制作业总量，书面作业时长总体控制在规定以内")
    elif compliance >= 0.8:
        heading = _("统筹控制作业总量，多数班级作业时长符合规定")
    else:
        heading = _("统筹控制作业总量，作业时长达标情况有待改进")
    within = facts.class_days - facts.over
    text = _(
        "任课教师发布作业前可以看到全班当天各学科作业的合计，超过上限的不能直接发布，"
        "确需超出的须写明理由报年级组长审批。本期共统计{days}个班级日，家庭书面作业时长"
        "在规定上限以内的{within}个，达标率{share}。分学段看，{bands}。"
    ).format(
        days=facts.class_days,
        within=within,
        share=pct(facts.compliance),
        bands=_("；").join(_band_sentence(b) for b in facts.bands),
    )
    if facts.over:
        approved = facts.over_approved
        if approved == facts.over:
            text += _("超出上限的{n}个班级日，均事先写明理由并经年级组长批准。").format(
                n=facts.over
            )
        elif approved:
            text += _("超出上限的{n}个班级日中，{approved}个事先经年级组长批准。").format(
                n=facts.over, approved=approved
            )
    if facts.first_record and (facts.first_record - facts.period.start).days > 7:
        text += _(
            "平台中最早的作业记录在{day}，此前的教学日没有记录，"
            "按没有家庭书面作业计入，日均时长应结合这一点来看。"
        ).format(day=md(facts.first_record))
    blocks: list[Block] = [Heading(heading, 2), Paragraph(text)]
    reported = [b for b in facts.bands if b.average_reported is not None and b.cap]
    if reported:
        parts = []
        for b in reported:
            planned = b.planned_when_reported or 0.0
            actual = b.average_reported or 0.0
            if planned and abs(actual - planned) <= AGREEMENT * planned:
                how = _("与教师预计基本一致")
            elif actual > planned:
                how = _("比教师预计的{minutes}分钟多").format(minutes=minutes(planned))
            else:
                how = _("比教师预计的{minutes}分钟少").format(minutes=minutes(planned))
            parts.append(
                _("{band}约{minutes}分钟，{how}").format(
                    band=b.label, minutes=minutes(actual), how=how
                )
            )
        blocks.append(
            Paragraph(
                _(
                    "家长记录的作业用时是检验作业量的另一把尺子。本期家长按抽样轮换共提交用时"
                    "记录{logs}条，据此估计在有记录的日子里，学生实际完成书面作业的时间：{parts}。"
                ).format(logs=facts.logs, parts=_("；").join(parts))
            )
        )
    elif facts.logs:
        blocks.append(
            Paragraph(
                _("本期家长共提交用时记录{logs}条，人数较少，不单独估计实际用时。").format(
                    logs=facts.logs
                )
            )
        )
    blocks.append(
        Table(
            _("各学段家庭书面作业时长"),
            (
                pgettext("report", "学段"),
                pgettext("report", "班级数"),
                pgettext("report", "日均布置（分钟）"),
                pgettext("report", "上限（分钟）"),
                pgettext("report", "达标率"),
                pgettext("report", "家长反映（分钟）"),
                pgettext("report", "晚于就寝完成"),
            ),
            tuple(
                (
                    b.label,
                    str(b.classes),
                    minutes(b.average_planned),
                    str(b.cap),
                    pct(b.compliance),
                    minutes(b.average_reported),
                    pct(b.late_share),
                )
                for b in facts.bands
            ),
            (False, True, True, True, True, True, True),
        )
    )
    if len(facts.grades) > 1:
        blocks.append(
            Table(
                _("各年级家庭书面作业时长"),
                (
                    pgettext("report", "年级"),
                    pgettext("report", "班级数"),
                    pgettext("report", "日均布置（分钟）"),
                    pgettext("report", "上限（分钟）"),
                    pgettext("report", "达标率"),
                    pgettext("report", "超上限班级日"),
                    pgettext("report", "其中经批准"),
                    pgettext("report", "晚于就寝完成"),
                ),
                tuple(
                    (
                        g.label,
                        str(g.classes),
                        minutes(g.average_planned),
                        str(g.cap),
                        pct(g.compliance),
                        str(g.over),
                        str(g.over_approved),
                        pct(g.late_share),
                    )
                    for g in facts.grades
                ),
                (False, True, True, True, True, True, True, True),
            )
        )
    shown = [b for b in facts.bands if b.average_planned is not None]
    if shown:
        blocks.append(
            Chart(
                _("各学段日均家庭书面作业时长与上限"),
                ChartSpec(
                    kind="bars",
                    categories=tuple(b.label for b in shown),
                    series=(
                        (pgettext("report", "日均布置"), tuple(b.average_planned for b in shown)),
                        (pgettext("report", "上限"), tuple(float(b.cap) for b in shown)),
                    )
                    + (
                        (
                            (
                                pgettext("report", "家长反映"),
                                tuple(b.average_reported for b in shown),
                            ),
                        )
                        if any(b.average_reported is not None for b in shown)
                        else ()
                    ),
                    y_label=pgettext("report", "分钟"),
                ),
            )
        )
    if len(facts.series) >= 2:
        bands = [b for b in facts.bands if b.cap and b.average_planned is not None]
        if bands:
            caption = (
                _("每周日均家庭书面作业时长变化")
                if facts.series_unit == "week"
                else _("每天日均家庭书面作业时长变化")
            )
            blocks.append(
                Chart(
                    caption,
                    ChartSpec(
                        kind="lines",
                        categories=tuple(p.label for p in facts.series),
                        series=tuple(
                            (b.label, tuple(p.by_band.get(b.band) for p in facts.series))
                            for b in bands
                        ),
                        y_label=pgettext("report", "分钟"),
                        limits=tuple(
                            (_("{band}上限").format(band=b.label), float(b.cap)) for b in bands
                        ),
                    ),
                )
            )
    if facts.school_lines:
        blocks.append(
            Table(
                _("各校作业时长与公示情况"),
                (
                    pgettext("report", "学校"),
                    pgettext("report", "班级数"),
                    pgettext("report", "达标率"),
                    pgettext("report", "超量班级日"),
                    pgettext("report", "三至六年级日均"),
                    pgettext("report", "七至九年级日均"),
                    pgettext("report", "晚于就寝完成"),
                    pgettext("report", "公示周计划"),
                    pgettext("report", "课后服务参与率"),
                ),
                tuple(
                    (
                        s.name,
                        str(s.classes),
                        pct(s.compliance),
                        str(s.over),
                        minutes(s.average_by_band.get("g3-6")),
                        minutes(s.average_by_band.get("g7-9")),
                        pct(s.late_share),
                        f"{s.boards[0]}/{s.boards[1]}",
                        pct(s.participation),
                    )
                    for s in facts.school_lines
                ),
                (False, True, True, True, True, True, True, True, True),
            )
        )
    return blocks


def _publicity(facts: ReportFacts) -> list[Block]:
    p = facts.publicity
    share = p.published / p.expected if p.expected else None
    changes = (
        counted(
            "公示后调整{n}处，每一处都在公示页留有调整记录（改了什么、何时、由谁修改）。",
            "公示后调整{n}处，每一处都在公示页留有调整记录（改了什么、何时、由谁修改）。",
            p.changes,
        )
        if p.changes
        else _("公示后没有调整。")
    )
    published = (
        _("全部审核公示{n}份").format(n=p.published)
        if p.published >= p.expected
        else _("审核公示{n}份").format(n=p.published)
    )
    return [
        Heading(_("坚持作业公示，年级组统筹一周作业"), 2),
        Paragraph(
            _(
                "各年级组每周按上周各学科实际布置情况预填下周作业计划，由年级组长和行政干部"
                "（“双组长”）共同审核后，在各班作业公示页公开，家长扫码即可查看。"
                "本期应公示的年级周计划{expected}份，{published}（{share}），"
                "覆盖{boards}个班级周的公示栏（每班每周一栏，含一、二年级写明不布置书面作业的公示栏）。"
                "{changes}"
            ).format(
                expected=p.expected,
                published=published,
                share=pct(share),
                boards=p.class_boards,
                changes=changes,
            )
        ),
    ]


def _afterschool(facts: ReportFacts) -> list[Block]:
    a = facts.afterschool
    assert a is not None
    if a.clubs:
        model = _(
            "课后服务按“1+X”模式开展，在基本托管和作业辅导之外开设社团，家长自愿报名、书面确认{end}"
        )
    else:
        model = _("课后服务按“1+X”模式开展，提供基本托管和作业辅导，家长自愿报名、书面确认{end}")
    parts = [model.format(end=_("，社团名额按学生志愿公平分配。") if a.allocated else _("。"))]
    if a.participation is not None:
        taking = (
            _("全校{students}中，{taking}，参与率{share}")
            if facts.scope_kind == "school"
            else _("各校{students}中，{taking}，参与率{share}")
        )
        parts.append(
            taking.format(
                students=_students(a.students),
                taking=counted("{n}名参加课后服务", "{n}名参加课后服务", a.taking_part),
                share=pct(a.participation),
            )
        )
        if a.of_wished is not None and a.wished_taking_part == a.wished:
            parts.append(
                counted(
                    "；需求调研中表示愿意参加的{n}名学生已全部参加",
                    "；需求调研中表示愿意参加的{n}名学生已全部参加",
                    a.wished,
                )
            )
        elif a.of_wished is not None:
            parts.append(
                _("；需求调研中表示愿意参加的{wished}里，{taking}（{share}）").format(
                    wished=_students(a.wished),
                    taking=counted("{n}名已经参加", "{n}名已经参加", a.wished_taking_part),
                    share=pct(a.of_wished),
                )
            )
        parts.append(_("。"))
    if a.clubs:
        categories = _join([_("{name}{n}个").format(name=name, n=n) for name, n in a.categories])
        instructors = _join(
            [_("{name}指导{n}个").format(name=name, n=n) for name, n in a.instructors]
        )
        parts.append(
            _("开设社团{clubs}、名额{seats}，其中{categories}；{instructors}。").format(
                clubs=counted_as("社团", "{n}个", "{n}个", a.clubs),
                seats=counted_as("名额", "{n}个", "{n}个", a.club_seats),
                categories=categories,
                instructors=instructors,
            )
        )
    if a.service_days:
        coverage = (
            _("考勤记录覆盖统计时段内{days}中的{marked}个、{sessions}中的{taken}场")
            if facts.scope_kind == "school"
            else _("考勤记录覆盖各校统计时段内合计{days}中的{marked}个、{sessions}中的{taken}场")
        )
        parts.append(
            coverage.format(
                days=counted("{n}个课后服务日", "{n}个课后服务日", a.service_days),
                marked=a.days_marked,
                sessions=counted("{n}场服务", "{n}场服务", a.sessions),
                taken=a.sessions_marked,
            )
        )
        parts.append(_("；") if a.marks and a.attendance is not None else _("。"))
    if a.marks and a.attendance is not None:
        parts.append(
            _("统计时段内课后服务考勤{marks}，出勤{attended}，出勤率{share}。").format(
                marks=counted_as("考勤", "{n}人次", "{n}人次", a.marks),
                attended=counted_as("出勤", "{n}人次", "{n}人次", a.attended),
                share=pct(a.attendance),
            )
        )
    if a.schools_without:
        parts.append(
            _("{schools}尚未在平台登记本学期课后服务方案。").format(
                schools=_listing(list(a.schools_without), _schools)
            )
        )
    blocks: list[Block] = [
        Heading(_("落实课后服务“5+2”，丰富“1+X”社团供给"), 2),
        Paragraph("".join(parts)),
    ]
    if a.by_grade:
        blocks.append(
            Table(
                _("各年级课后服务参与情况"),
                (
                    pgettext("report", "年级"),
                    pgettext("report", "学生数"),
                    pgettext("report", "参加人数"),
                    pgettext("report", "参与率"),
                ),
                tuple(
                    (g.label, str(g.students), str(g.taking_part), pct(g.share)) for g in a.by_grade
                ),
                (False, True, True, True),
            )
        )
        blocks.append(
            Chart(
                _("各年级课后服务参与率"),
                ChartSpec(
                    kind="bars",
                    categories=tuple(g.label for g in a.by_grade),
                    series=(
                        (pgettext("report", "参与率"), tuple(g.share * 100 for g in a.by_grade)),
                    ),
                    y_label="%",
                    percent=True,
                ),
            )
        )
    return blocks


def _exceptions(facts: ReportFacts) -> list[Block]:
    e = facts.exceptions
    granted = [line for line in e.lines if line.status == "granted"]
    counts = _("本期共提出例外申请{n}，批准{granted}项、未批准{refused}项").format(
        n=counted_as("例外申请", "{n}项", "{n}项", len(e.lines)),
        granted=len(granted),
        refused=e.count("refused"),
    )
    if e.count("pending"):
        counts += _("，另有{n}项待审批").format(n=e.count("pending"))
    text = _(
        "确需超出作业时长的，任课教师须写明理由申请例外，由年级组长审批并写明意见。{counts}。"
    ).format(counts=counts)
    prefix = facts.scope_kind == "district"
    if granted:
        reasons = Counter(g.reason for g in granted).most_common()
        listed = _join(
            [_("“{reason}”（{n}项）").format(reason=r, n=n) for r, n in reasons[:LISTED]]
        )
        more = counted("等{n}类", "等{n}类", len(reasons)) if len(reasons) > LISTED else ""
        over_by = [g.measured - g.limit for g in granted if g.measured > g.limit]
        text += _("获批准的申请，理由主要是{reasons}").format(reasons=listed + more)
        if over_by:
            text += (
                _("，超出上限{low}至{high}分钟").format(low=min(over_by), high=max(over_by))
                if min(over_by) != max(over_by)
                else _("，均超出上限{n}分钟").format(n=over_by[0])
            )
        text += _("。")
    table_rows = tuple(
        (
            md(line.date),
            (line.school + line.class_name) if prefix else line.class_name,
            str(line.measured),
            str(line.limit),
            line.reason,
            {
                "granted": pgettext("report", "批准"),
                "refused": pgettext("report", "未批准"),
            }.get(line.status, pgettext("report", "待审批")),
            line.decision or "—",
        )
        for line in e.lines[:15]
    )
    blocks: list[Block] = [Heading(_("严格作业例外审批，超量须有理由"), 2), Paragraph(text)]
    blocks.append(
        Table(
            _("作业例外申请与审批（前15项，全部见例外登记台账）")
            if len(e.lines) > 15
            else _("作业例外申请与审批"),
            (
                pgettext("report", "日期"),
                pgettext("report", "班级"),
                pgettext("report", "合计（分钟）"),
                pgettext("report", "上限（分钟）"),
                pgettext("report", "申请理由"),
                pgettext("report", "审批结果"),
                pgettext("report", "审批意见"),
            ),
            table_rows,
            (False, False, True, True, False, False, False),
        )
    )
    return blocks


def _rectifications(facts: ReportFacts) -> list[Block]:
    r = facts.rectifications
    assert r is not None
    return [
        Heading(_("对照督导意见，逐项整改"), 2),
        Paragraph(
            _("本期责任督学下发整改通知{issued}项，已整改完成{closed}项，正在整改{open}项").format(
                issued=r.issued, closed=r.closed, open=r.open
            )
            + (_("，其中逾期未完成{n}项。").format(n=r.overdue) if r.overdue else _("，没有逾期。"))
        ),
    ]


# --- 二、存在问题 ---------------------------------------------------------------------


def _problems(facts: ReportFacts) -> list[Problem]:
    out: list[Problem] = []
    prefix = facts.scope_kind == "district"
    unapproved = facts.over - facts.over_approved
    if unapproved:
        named = [
            _("{class_name}{days}").format(
                class_name=_in(c.school, c.class_name, prefix),
                days=counted("{n}天", "{n}天", c.days_over),
            )
            for c in facts.over_classes
        ]
        worst = facts.over_classes[0] if facts.over_classes else None
        text = _("本期有{n}的家庭书面作业超出上限且未经例外审批，涉及{classes}（{named}）").format(
            n=counted("{n}个班级日", "{n}个班级日", unapproved),
            classes=_classes(len(facts.over_classes)),
            named=_listing(named, _classes),
        )
        if worst is not None:
            text += _("，其中{class_name}最多的一天布置了{minutes}分钟，上限为{cap}分钟").format(
                class_name=_in(worst.school, worst.class_name, prefix),
                minutes=worst.worst_minutes,
                cap=worst.cap,
            )
        by_date = Counter(d for c in facts.over_classes for d in c.dates)
        crowded = [(d, n) for d, n in sorted(by_date.items()) if n >= 2]
        if crowded:
            days = _join(
                [
                    _("{day}（{classes}）").format(day=md(d), classes=_classes(n))
                    for d, n in crowded[:LISTED]
                ]
            )
            text += _("；超量较集中的日子是{days}").format(days=days)
        out.append(Problem("over", _("个别班级部分日子作业超量"), text + _("。")))
    high = [
        b
        for b in facts.bands
        if b.cap and b.average_reported is not None and b.average_reported > b.cap
    ]
    underestimated = [
        b
        for b in facts.bands
        if b.cap
        and b.average_reported is not None
        and b.planned_when_reported
        and b.average_reported > b.planned_when_reported * (1 + AGREEMENT)
        and b not in high
    ]
    if high:
        text = _("；").join(
            _("{band}家长记录估计每天约{minutes}分钟，高于{cap}分钟的上限").format(
                band=b.label, minutes=minutes(b.average_reported), cap=b.cap
            )
            for b in high
        )
        out.append(
            Problem(
                "reported",
                _("学生实际用时高于规定"),
                _("{text}。教师预计的时长偏短，纸面上达标不等于学生负担真正减轻。").format(
                    text=text
                ),
            )
        )
    elif underestimated:
        text = _("；").join(
            _("{band}家长反映约{reported}分钟，而同一批日子教师预计约{planned}分钟").format(
                band=b.label,
                reported=minutes(b.average_reported),
                planned=minutes(b.planned_when_reported),
            )
            for b in underestimated
        )
        out.append(
            Problem(
                "estimate",
                _("教师对作业时长估计偏短"),
                _("{text}，部分作业的实际耗时被低估。").format(text=text),
            )
        )
    if facts.logs >= facts.min_group and (
        facts.late_finishes / facts.logs >= LATE_SHARE_PROBLEM or facts.late_classes
    ):
        text = _("家长用时记录中有{n}条晚于就寝时间完成，占{share}").format(
            n=facts.late_finishes, share=pct(facts.late_finishes / facts.logs)
        )
        if facts.late_classes:
            named = [
                _("{class_name}（{share}）").format(
                    class_name=_in(c.school, c.class_name, prefix), share=pct(c.share)
                )
                for c in facts.late_classes
            ]
            text += _("，比例较高的是{named}").format(named=_listing(named, _classes))
        not_finished = sum(b.not_finished for b in facts.bands)
        if not_finished:
            text += _("；另有{n}条记录注明经努力仍未能完成").format(n=not_finished)
        out.append(Problem("late", _("部分学生完成作业偏晚，影响睡眠"), text + _("。")))
    if facts.has_homework and not facts.logs:
        out.append(
            Problem(
                "nologs",
                _("缺少家长用时记录"),
                _("本期没有家长提交作业用时记录，无法用学生的实际用时核对作业量。"),
            )
        )
    p = facts.publicity
    if p.expected and p.published < p.expected:
        missing = p.expected - p.published
        text = _("本期应公示的年级周计划{expected}份，有{missing}份未经审核公示").format(
            expected=p.expected, missing=missing
        )
        if p.missing:
            text += _("，涉及{weeks}").format(
                weeks=_listing(list(p.missing), lambda n: counted("{n}周", "{n}周", n))
            )
        out.append(Problem("publicity", _("作业公示没有做到每周全覆盖"), text + _("。")))
    a = facts.afterschool
    if a is not None:
        gaps = []
        if a.low_classes:
            named = [
                _("{class_name}（{share}）").format(class_name=_in(s, c, prefix), share=pct(share))
                for s, c, share in a.low_classes
            ]
            gaps.append(
                ngettext(
                    "{n}个班级参与率低于50%（{named}）",
                    "{n}个班级参与率低于50%（{named}）",
                    len(a.low_classes),
                ).format(n=len(a.low_classes), named=_listing(named, _classes))
            )
        unmet = a.wished - a.wished_taking_part
        if unmet and a.of_wished is not None:
            gaps.append(
                counted(
                    "需求调研中愿意参加的学生有{n}名尚未参加",
                    "需求调研中愿意参加的学生有{n}名尚未参加",
                    unmet,
                )
            )
        if gaps:
            out.append(
                Problem("participation", _("课后服务参与不够均衡"), _("；").join(gaps) + _("。"))
            )
        if a.marks and a.attendance is not None and a.attendance < ATTENDANCE_PROBLEM:
            out.append(
                Problem(
                    "attendance",
                    _("课后服务出勤率偏低"),
                    _("统计时段内出勤率为{share}，低于90%。").format(share=pct(a.attendance)),
                )
            )
        if a.schools_without:
            out.append(
                Problem(
                    "program",
                    _("课后服务方案未全部登记"),
                    _("{schools}尚未在平台登记本学期课后服务方案。").format(
                        schools=_listing(list(a.schools_without), _schools)
                    ),
                )
            )
    pending = facts.exceptions.count("pending")
    if pending:
        out.append(
            Problem(
                "pending",
                _("例外申请审批不够及时"),
                _("截至报告生成时，仍有{n}项作业例外申请待审批。").format(n=pending),
            )
        )
    r = facts.rectifications
    if r is not None and r.overdue:
        text = _("责任督学下发的整改通知中有{n}项已过整改期限仍未完成").format(n=r.overdue)
        if r.overdue_lines:
            text += _("（{lines}）").format(
                lines=_listing(list(r.overdue_lines), lambda n: counted("{n}项", "{n}项", n))
            )
        out.append(Problem("rectification", _("整改没有按期完成"), text + _("。")))
    teacher = teacher_writing.teacher_problem(facts.teacher_burden)
    if teacher is not None:
        out.append(Problem(*teacher))
    return out


def _in(school: str, class_name: str, prefix: bool) -> str:
    """A class named with its school in a district's report."""
    if not prefix:
        return class_name
    return _("{school}{class_name}").format(school=school, class_name=class_name)


# --- 三、下一步打算 -------------------------------------------------------------------


def _next_steps(facts: ReportFacts, problems: list[Problem]) -> list[Block]:
    prefix = facts.scope_kind == "district"
    steps: list[tuple[str, str]] = []
    for p in problems:
        if p.key == "over":
            named = [_in(c.school, c.class_name, prefix) for c in facts.over_classes]
            steps.append(
                (
                    _("盯住超量的班级和日子"),
                    _(
                        "对{classes}，由年级组在周作业计划中先统筹各学科作业量，"
                        "任课教师发布前查看全班当天合计；年级组长每周查看一次作业量，"
                        "对反复超量的班级与任课教师当面沟通，确需超出的必须走例外审批。"
                    ).format(classes=_listing(named, _classes)),
                )
            )
        elif p.key in ("reported", "estimate"):
            steps.append(
                (
                    _("按实际用时校准作业设计"),
                    _(
                        "请相关学科教师参照家长反映的实际用时调整预计时长，精选作业内容，"
                        "多布置分层、弹性作业，把学生实际完成时间控制在上限以内。"
                    ),
                )
            )
        elif p.key == "late":
            steps.append(
                (
                    _("关注完成作业偏晚的学生"),
                    _(
                        "班主任逐一了解完成偏晚的原因，落实“经努力仍完不成的也要按时就寝”的要求；"
                        "对确有困难的学生减少当天书面作业，并与家长沟通作息安排。"
                    ),
                )
            )
        elif p.key == "nologs":
            steps.append(
                (
                    _("请家长按抽样轮换记录用时"),
                    _(
                        "各班按每天少量抽样、轮流记录的方式请家长记录作业用时，"
                        "不要求全员打卡，用实际用时检验作业量。"
                    ),
                )
            )
        elif p.key == "publicity":
            steps.append(
                (
                    _("补齐每周作业公示"),
                    _(
                        "各年级组每周五前完成下周作业计划，经“双组长”审核后公示；"
                        "教务处每周一查看各年级公示情况，缺漏的当天补齐。"
                    ),
                )
            )
        elif p.key == "participation":
            steps.append(
                (
                    _("提高课后服务的吸引力和覆盖面"),
                    _(
                        "对参与率低的班级开展需求回访，按学生兴趣调整社团设置；"
                        "有意愿但尚未参加的学生在补报名中优先安排名额。"
                    ),
                )
            )
        elif p.key == "attendance":
            steps.append(
                (
                    _("抓好课后服务考勤"),
                    _("值班教师每场如实点名，缺勤的当天告知班主任和家长，了解原因并跟进。"),
                )
            )
        elif p.key == "program":
            steps.append(
                (_("督促登记课后服务方案"), _("尚未登记方案的学校在两周内完成登记和备案。"))
            )
        elif p.key == "pending":
            steps.append(
                (
                    _("及时处理例外申请"),
                    _("年级组长在申请提出的当天审批，并写明同意或不同意的理由。"),
                )
            )
        elif p.key == teacher_writing.PROBLEM_KEY:
            steps.append(teacher_writing.teacher_step())
        elif p.key == "rectification":
            steps.append(
                (
                    _("限期完成整改"),
                    _("对逾期的整改事项逐项明确责任人和完成时间，完成后报责任督学复查。"),
                )
            )
    if not steps:
        steps.append(
            (
                _("巩固现有做法"),
                _(
                    "继续坚持年级组统筹和每周作业公示，按抽样轮换请家长记录用时，"
                    "每月查看一次作业量和课后服务参与情况，发现问题及时调整。"
                ),
            )
        )
    return [
        Paragraph(_("（{n}）{title}。{text}").format(n=_cn_count(n), title=title, text=text))
        for n, (title, text) in enumerate(steps, 1)
    ]


def _notes(facts: ReportFacts) -> str:
    notes = []
    if facts.has_homework:
        notes.append(
            _(
                "作业时长指教师发布的当天须在家完成的必做书面作业的预计时长，"
                "没有作业记录的教学日按0分钟计；达标率为时长不超过上限的班级日所占比例。"
            )
        )
        notes.append(_("家长反映的用时来自抽样轮换的家长记录，是估计值。"))
    notes.append(
        _(
            "人数少于{n}人的群体不单列比例，以免推知个人情况；"
            "本报告不含任何学生姓名，也不对学生排名。"
        ).format(n=facts.min_group)
    )
    return _("说明：{notes}").format(
        notes="".join(_("{n}．{text}").format(n=n, text=text) for n, text in enumerate(notes, 1))
    )
