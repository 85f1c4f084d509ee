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
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qingfu.reports import teacher_writing
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

CN_ORDINALS = "一二三四五六七八九十"
# Families' estimate and the teachers' planned minutes "agree" within this share.
AGREEMENT = 0.15
LATE_SHARE_PROBLEM = 0.05
ATTENDANCE_PROBLEM = 0.90
LISTED = 3  # classes or dates named in a sentence before "等"
TITLE_LINE = 20  # characters of a title that fit one line at the title's size


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


def pct(share: float | None) -> str:
    if share is None:
        return "—"
    if share >= 1:
        return "100%"
    return f"{share * 100:.1f}%"


def minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _listing(items: Sequence[str], unit: str = "") -> str:
    shown = "、".join(items[:LISTED])
    return f"{shown}等{len(items)}{unit}" if len(items) > LISTED else shown


def _we(facts: ReportFacts) -> str:
    if facts.scope_kind == "school":
        return "我校"
    last = facts.scope_name[-1:]
    return f"我{last}" if last in "区县市旗" else "本区域"


@dataclass(frozen=True)
class Problem:
    key: str
    title: str
    text: str


def report_document(facts: ReportFacts) -> Document:
    # A named period (a semester, a month) goes into the title; a date range only once,
    # under it.
    named = "" if "日" in facts.period.label else facts.period.label
    title = f"{facts.scope_name}{named}落实“双减”工作总结"
    subtitle = (
        f"（{cn_date(facts.period.start)}至{cn_date(facts.period.end)}"
        + (f"，统计至{cn_date(facts.through)}" if facts.through < facts.period.end else "")
        + "）"
    )
    signature = (facts.scope_name, cn_date(facts.today))
    lines = (facts.scope_name, title[len(facts.scope_name) :]) if len(title) > TITLE_LINE else ()
    if not facts.has_data:
        return Document(title, subtitle, _empty(facts), signature, lines)
    blocks: list[Block] = [Paragraph(_lead(facts))]
    blocks.append(Heading("一、主要做法与成效", 1))
    blocks.extend(_achievements(facts))
    problems = _problems(facts)
    blocks.append(Heading("二、存在问题", 1))
    if problems:
        if len(problems) == 1:
            intro = "对照本期记录逐项检查，发现一个需要改进的问题："
        else:
            count = "两" if len(problems) == 2 else _cn_count(len(problems))
            intro = (
                f"对照本期记录逐项检查，{_we(facts)}在以下{count}个方面还存在差距，需要认真对待："
            )
        blocks.append(Paragraph(intro))
        for n, p in enumerate(problems, 1):
            blocks.append(Paragraph(f"{n}．{p.title}。{p.text}"))
    else:
        blocks.append(
            Paragraph(
                "对照本期记录逐项检查，"
                + (f"除{facts.over}个经批准例外的班级日外，" if facts.over else "")
                + (
                    "没有发现作业超出时长上限、完成作业偏晚、作业公示缺漏"
                    if facts.has_homework
                    else "本期没有作业记录，无法核对作业量；其余记录中没有发现作业公示缺漏"
                )
                + "或课后服务参与不足的情况。需要说明的是，这一结论只反映平台中已有的记录，"
                "日常管理中仍需注意听取学生和家长的意见。"
            )
        )
    blocks.append(Heading("三、下一步打算", 1))
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
            block = replace(block, caption=f"表{tables}  {block.caption}")
        elif isinstance(block, Chart):
            charts += 1
            block = replace(block, caption=f"图{charts}  {block.caption}")
        out.append(block)
    return tuple(out)


def _cn_count(n: int) -> str:
    return CN_ORDINALS[n - 1] if 1 <= n <= 10 else str(n)


def _empty(facts: ReportFacts) -> tuple[Block, ...]:
    where = facts.scope_name
    return (
        Paragraph(
            f"统计时段内（{cn_date(facts.period.start)}至{cn_date(facts.period.end)}），"
            f"平台中没有{where}的作业发布、家长用时记录、作业公示、课后服务考勤或作业例外"
            "审批记录，因此无法据实形成本期工作总结，本报告不列任何数字。"
        ),
        Paragraph(
            "请确认所选时段是否正确（例如是否落在寒暑假或节假日），或在相关工作开展、"
            "记录录入后重新生成报告。"
        ),
    )


def _lead(facts: ReportFacts) -> str:
    we = _we(facts)
    cover = (
        f"{facts.classes}个班级、{facts.students}名学生"
        if facts.scope_kind == "school"
        else f"{facts.schools}所学校的{facts.classes}个班级、{facts.students}名学生"
    )
    days = f"（统计时段内共{facts.school_days}个教学日）" if facts.school_days else ""
    # Only the work the records show is named as the period's focus.
    focus = [
        name
        for name, shown in (
            ("作业总量控制", facts.has_homework),
            ("作业公示", facts.publicity.published > 0),
            ("课后服务", facts.afterschool is not None),
            ("督导整改", bool(facts.rectifications and facts.rectifications.issued)),
        )
        if shown
    ]
    work = "、".join(focus[:-1]) + f"和{focus[-1]}" if len(focus) > 1 else "".join(focus)
    focus_sentence = f"把{work}作为日常工作抓实抓细。" if focus else ""
    return (
        f"{facts.period.label}，{we}认真落实“双减”和“五项管理”各项要求，{focus_sentence}"
        "现将本期工作总结如下。"
        f"本报告的数据覆盖{cover}{days}，全部由轻负平台根据"
        "作业发布、年级周作业计划公示、家长用时记录、课后服务考勤和例外审批等日常记录"
        "自动统计，没有另行填报。"
    )


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
    if not sections:
        return [Paragraph("本期平台中只有零星记录，尚不足以总结具体做法与成效。")]
    out: list[Block] = []
    for n, section in enumerate(sections, 1):
        first = section[0]
        assert isinstance(first, Heading)
        out.append(Heading(f"（{_cn_count(n)}）{first.text}", 2))
        out.extend(section[1:])
    return out


def _band_sentence(b: BandFigures) -> str:
    avg = b.average_planned
    if b.cap == 0:
        if not b.over:
            return f"{b.label}{b.classes}个班坚持不布置家庭书面作业，书面练习在校内完成"
        return (
            f"{b.label}有{b.over}个班级日布置了家庭书面作业，"
            "与“一、二年级不布置家庭书面作业”的要求不符"
        )
    if avg is None:
        return f"{b.label}本期没有教学日"
    relation = "低于" if avg < b.cap else ("达到" if avg == b.cap else "超过")
    return (
        f"{b.label}{b.classes}个班平均每天布置家庭书面作业{minutes(avg)}分钟，"
        f"{relation}{b.cap}分钟的上限，达标率{pct(b.compliance)}"
    )


def _homework(facts: ReportFacts) -> list[Block]:
    compliance = facts.compliance or 0.0
    if compliance >= 0.95:
        heading = "统筹控制作业总量，书面作业时长总体控制在规定以内"
    elif compliance >= 0.8:
        heading = "统筹控制作业总量，多数班级作业时长符合规定"
    else:
        heading = "统筹控制作业总量，作业时长达标情况有待改进"
    within = facts.class_days - facts.over
    text = (
        "任课教师发布作业前可以看到全班当天各学科作业的合计，超过上限的不能直接发布，"
        "确需超出的须写明理由报年级组长审批。"
        f"本期共统计{facts.class_days}个班级日，家庭书面作业时长在规定上限以内的"
        f"{within}个，达标率{pct(facts.compliance)}。分学段看，"
        + "；".join(_band_sentence(b) for b in facts.bands)
        + "。"
    )
    if facts.over:
        approved = facts.over_approved
        if approved == facts.over:
            text += f"超出上限的{facts.over}个班级日，均事先写明理由并经年级组长批准。"
        elif approved:
            text += f"超出上限的{facts.over}个班级日中，{approved}个事先经年级组长批准。"
    if facts.first_record and (facts.first_record - facts.period.start).days > 7:
        text += (
            f"平台中最早的作业记录在{md(facts.first_record)}，此前的教学日没有记录，"
            "按没有家庭书面作业计入，日均时长应结合这一点来看。"
        )
    blocks: list[Block] = [Heading(heading, 2), Paragraph(text)]
    reported = [b for b in facts.bands if b.average_reported is not None and b.cap]
    if reported:
        parts = []
        for b in reported:
            planned = b.planned_when_reported or 0.0
            actual = b.average_reported or 0.0
            if planned and abs(actual - planned) <= AGREEMENT * planned:
                how = "与教师预计基本一致"
            elif actual > planned:
                how = f"比教师预计的{minutes(planned)}分钟多"
            else:
                how = f"比教师预计的{minutes(planned)}分钟少"
            parts.append(f"{b.label}约{minutes(actual)}分钟，{how}")
        blocks.append(
            Paragraph(
                "家长记录的作业用时是检验作业量的另一把尺子。本期家长按抽样轮换共提交用时"
                f"记录{facts.logs}条，据此估计在有记录的日子里，学生实际完成书面作业的时间："
                + "；".join(parts)
                + "。"
            )
        )
    elif facts.logs:
        blocks.append(
            Paragraph(f"本期家长共提交用时记录{facts.logs}条，人数较少，不单独估计实际用时。")
        )
    blocks.append(
        Table(
            "各学段家庭书面作业时长",
            (
                "学段",
                "班级数",
                "日均布置（分钟）",
                "上限（分钟）",
                "达标率",
                "家长反映（分钟）",
                "晚于就寝完成",
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
                "各年级家庭书面作业时长",
                (
                    "年级",
                    "班级数",
                    "日均布置（分钟）",
                    "上限（分钟）",
                    "达标率",
                    "超上限班级日",
                    "其中经批准",
                    "晚于就寝完成",
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
                "各学段日均家庭书面作业时长与上限",
                ChartSpec(
                    kind="bars",
                    categories=tuple(b.label for b in shown),
                    series=(
                        ("日均布置", tuple(b.average_planned for b in shown)),
                        ("上限", tuple(float(b.cap) for b in shown)),
                    )
                    + (
                        (("家长反映", tuple(b.average_reported for b in shown)),)
                        if any(b.average_reported is not None for b in shown)
                        else ()
                    ),
                    y_label="分钟",
                ),
            )
        )
    if len(facts.series) >= 2:
        bands = [b for b in facts.bands if b.cap and b.average_planned is not None]
        if bands:
            unit = "每周" if facts.series_unit == "week" else "每天"
            blocks.append(
                Chart(
                    f"{unit}日均家庭书面作业时长变化",
                    ChartSpec(
                        kind="lines",
                        categories=tuple(p.label for p in facts.series),
                        series=tuple(
                            (b.label, tuple(p.by_band.get(b.band) for p in facts.series))
                            for b in bands
                        ),
                        y_label="分钟",
                        limits=tuple((f"{b.label}上限", float(b.cap)) for b in bands),
                    ),
                )
            )
    if facts.school_lines:
        blocks.append(
            Table(
                "各校作业时长与公示情况",
                (
                    "学校",
                    "班级数",
                    "达标率",
                    "超量班级日",
                    "三至六年级日均",
                    "七至九年级日均",
                    "晚于就寝完成",
                    "公示周计划",
                    "课后服务参与率",
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
        f"公示后调整{p.changes}处，每一处都在公示页留有调整记录（改了什么、何时、由谁修改）。"
        if p.changes
        else "公示后没有调整。"
    )
    whole = "全部" if p.published >= p.expected else ""
    return [
        Heading("坚持作业公示，年级组统筹一周作业", 2),
        Paragraph(
            "各年级组每周按上周各学科实际布置情况预填下周作业计划，由年级组长和行政干部"
            "（“双组长”）共同审核后，在各班作业公示页公开，家长扫码即可查看。"
            f"本期应公示的年级周计划{p.expected}份，{whole}审核公示{p.published}份"
            f"（{pct(share)}），覆盖{p.class_boards}个班级周的公示栏。{changes}"
        ),
    ]


def _afterschool(facts: ReportFacts) -> list[Block]:
    a = facts.afterschool
    assert a is not None
    parts = [
        "课后服务按“1+X”模式开展，"
        + ("在基本托管和作业辅导之外开设社团，" if a.clubs else "提供基本托管和作业辅导，")
        + "家长自愿报名、书面确认"
        + ("，社团名额按学生志愿公平分配。" if a.allocated else "。")
    ]
    who = "全校" if facts.scope_kind == "school" else "各校"
    if a.participation is not None:
        parts.append(
            f"{who}{a.students}名学生中，{a.taking_part}名参加课后服务，参与率{pct(a.participation)}"
        )
        if a.of_wished is not None and a.wished_taking_part == a.wished:
            parts.append(f"；需求调研中表示愿意参加的{a.wished}名学生已全部参加")
        elif a.of_wished is not None:
            parts.append(
                f"；需求调研中表示愿意参加的{a.wished}名学生里，{a.wished_taking_part}名已经参加"
                f"（{pct(a.of_wished)}）"
            )
        parts.append("。")
    if a.clubs:
        categories = "、".join(f"{name}{n}个" for name, n in a.categories)
        instructors = "、".join(f"{name}指导{n}个" for name, n in a.instructors)
        parts.append(
            f"开设社团{a.clubs}个、名额{a.club_seats}个，其中{categories}；{instructors}。"
        )
    if a.marks and a.attendance is not None:
        parts.append(
            f"统计时段内课后服务考勤{a.marks}人次，出勤{a.attended}人次，出勤率{pct(a.attendance)}。"
        )
    if a.schools_without:
        parts.append(
            f"{_listing(list(a.schools_without), '所学校')}尚未在平台登记本学期课后服务方案。"
        )
    blocks: list[Block] = [
        Heading("落实课后服务“5+2”，丰富“1+X”社团供给", 2),
        Paragraph("".join(parts)),
    ]
    if a.by_grade:
        blocks.append(
            Table(
                "各年级课后服务参与情况",
                ("年级", "学生数", "参加人数", "参与率"),
                tuple(
                    (g.label, str(g.students), str(g.taking_part), pct(g.share)) for g in a.by_grade
                ),
                (False, True, True, True),
            )
        )
        blocks.append(
            Chart(
                "各年级课后服务参与率",
                ChartSpec(
                    kind="bars",
                    categories=tuple(g.label for g in a.by_grade),
                    series=(("参与率", tuple(g.share * 100 for g in a.by_grade)),),
                    y_label="%",
                    percent=True,
                ),
            )
        )
    return blocks


def _exceptions(facts: ReportFacts) -> list[Block]:
    e = facts.exceptions
    granted = [line for line in e.lines if line.status == "granted"]
    counts = (
        f"本期共提出例外申请{len(e.lines)}项，批准{len(granted)}项、未批准{e.count('refused')}项"
    )
    if e.count("pending"):
        counts += f"，另有{e.count('pending')}项待审批"
    text = (
        "确需超出作业时长的，任课教师须写明理由申请例外，由年级组长审批并写明意见。" + counts + "。"
    )
    prefix = facts.scope_kind == "district"
    if granted:
        reasons = Counter(g.reason for g in granted).most_common()
        listed = "、".join(f"“{r}”（{n}项）" for r, n in reasons[:LISTED])
        more = f"等{len(reasons)}类" if len(reasons) > LISTED else ""
        over_by = [g.measured - g.limit for g in granted if g.measured > g.limit]
        text += f"获批准的申请，理由主要是{listed}{more}"
        if over_by:
            text += (
                f"，超出上限{min(over_by)}至{max(over_by)}分钟"
                if min(over_by) != max(over_by)
                else f"，均超出上限{over_by[0]}分钟"
            )
        text += "。"
    table_rows = tuple(
        (
            md(line.date),
            (line.school + line.class_name) if prefix else line.class_name,
            str(line.measured),
            str(line.limit),
            line.reason,
            {"granted": "批准", "refused": "未批准"}.get(line.status, "待审批"),
            line.decision or "—",
        )
        for line in e.lines[:15]
    )
    blocks: list[Block] = [Heading("严格作业例外审批，超量须有理由", 2), Paragraph(text)]
    blocks.append(
        Table(
            "作业例外申请与审批" + ("（前15项，全部见例外登记台账）" if len(e.lines) > 15 else ""),
            ("日期", "班级", "合计（分钟）", "上限（分钟）", "申请理由", "审批结果", "审批意见"),
            table_rows,
            (False, False, True, True, False, False, False),
        )
    )
    return blocks


def _rectifications(facts: ReportFacts) -> list[Block]:
    r = facts.rectifications
    assert r is not None
    return [
        Heading("对照督导意见，逐项整改", 2),
        Paragraph(
            f"本期责任督学下发整改通知{r.issued}项，已整改完成{r.closed}项，"
            f"正在整改{r.open}项"
            + (f"，其中逾期未完成{r.overdue}项。" if r.overdue else "，没有逾期。")
        ),
    ]


# --- 二、存在问题 ---------------------------------------------------------------------


def _problems(facts: ReportFacts) -> list[Problem]:
    out: list[Problem] = []
    prefix = facts.scope_kind == "district"
    unapproved = facts.over - facts.over_approved
    if unapproved:
        named = [
            f"{c.school if prefix else ''}{c.class_name}{c.days_over}天" for c in facts.over_classes
        ]
        worst = facts.over_classes[0] if facts.over_classes else None
        text = (
            f"本期有{unapproved}个班级日的家庭书面作业超出上限且未经例外审批，"
            f"涉及{len(facts.over_classes)}个班级"
            f"（{_listing(named, '个班级')}）"
        )
        if worst is not None:
            text += (
                f"，其中{worst.school if prefix else ''}{worst.class_name}最多的一天布置了"
                f"{worst.worst_minutes}分钟，上限为{worst.cap}分钟"
            )
        by_date = Counter(d for c in facts.over_classes for d in c.dates)
        crowded = [(d, n) for d, n in sorted(by_date.items()) if n >= 2]
        if crowded:
            days = "、".join(f"{md(d)}（{n}个班级）" for d, n in crowded[:LISTED])
            text += f"；超量较集中的日子是{days}"
        out.append(Problem("over", "个别班级部分日子作业超量", text + "。"))
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
        text = "；".join(
            f"{b.label}家长记录估计每天约{minutes(b.average_reported)}分钟，高于{b.cap}分钟的上限"
            for b in high
        )
        out.append(
            Problem(
                "reported",
                "学生实际用时高于规定",
                text + "。教师预计的时长偏短，纸面上达标不等于学生负担真正减轻。",
            )
        )
    elif underestimated:
        text = "；".join(
            f"{b.label}家长反映约{minutes(b.average_reported)}分钟，"
            f"而同一批日子教师预计约{minutes(b.planned_when_reported)}分钟"
            for b in underestimated
        )
        out.append(
            Problem("estimate", "教师对作业时长估计偏短", text + "，部分作业的实际耗时被低估。")
        )
    if facts.logs >= facts.min_group and (
        facts.late_finishes / facts.logs >= LATE_SHARE_PROBLEM or facts.late_classes
    ):
        text = (
            f"家长用时记录中有{facts.late_finishes}条晚于就寝时间完成，"
            f"占{pct(facts.late_finishes / facts.logs)}"
        )
        if facts.late_classes:
            named = [
                f"{c.school if prefix else ''}{c.class_name}（{pct(c.share)}）"
                for c in facts.late_classes
            ]
            text += f"，比例较高的是{_listing(named, '个班级')}"
        not_finished = sum(b.not_finished for b in facts.bands)
        if not_finished:
            text += f"；另有{not_finished}条记录注明经努力仍未能完成"
        out.append(Problem("late", "部分学生完成作业偏晚，影响睡眠", text + "。"))
    if facts.has_homework and not facts.logs:
        out.append(
            Problem(
                "nologs",
                "缺少家长用时记录",
                "本期没有家长提交作业用时记录，无法用学生的实际用时核对作业量。",
            )
        )
    p = facts.publicity
    if p.expected and p.published < p.expected:
        missing = p.expected - p.published
        text = f"本期应公示的年级周计划{p.expected}份，有{missing}份未经审核公示"
        if p.missing:
            text += f"，涉及{_listing(list(p.missing), '周')}"
        out.append(Problem("publicity", "作业公示没有做到每周全覆盖", text + "。"))
    a = facts.afterschool
    if a is not None:
        gaps = []
        if a.low_classes:
            named = [f"{s if prefix else ''}{c}（{pct(share)}）" for s, c, share in a.low_classes]
            gaps.append(f"{len(a.low_classes)}个班级参与率低于50%（{_listing(named, '个班级')}）")
        unmet = a.wished - a.wished_taking_part
        if unmet and a.of_wished is not None:
            gaps.append(f"需求调研中愿意参加的学生有{unmet}名尚未参加")
        if gaps:
            out.append(Problem("participation", "课后服务参与不够均衡", "；".join(gaps) + "。"))
        if a.marks and a.attendance is not None and a.attendance < ATTENDANCE_PROBLEM:
            out.append(
                Problem(
                    "attendance",
                    "课后服务出勤率偏低",
                    f"统计时段内出勤率为{pct(a.attendance)}，低于90%。",
                )
            )
        if a.schools_without:
            out.append(
                Problem(
                    "program",
                    "课后服务方案未全部登记",
                    f"{_listing(list(a.schools_without), '所学校')}尚未在平台登记本学期课后服务方案。",
                )
            )
    pending = facts.exceptions.count("pending")
    if pending:
        out.append(
            Problem(
                "pending",
                "例外申请审批不够及时",
                f"截至报告生成时，仍有{pending}项作业例外申请待审批。",
            )
        )
    r = facts.rectifications
    if r is not None and r.overdue:
        text = f"责任督学下发的整改通知中有{r.overdue}项已过整改期限仍未完成"
        if r.overdue_lines:
            text += f"（{_listing(list(r.overdue_lines), '项')}）"
        out.append(Problem("rectification", "整改没有按期完成", text + "。"))
    teacher = teacher_writing.teacher_problem(facts.teacher_burden)
    if teacher is not None:
        out.append(Problem(*teacher))
    return out


# --- 三、下一步打算 -------------------------------------------------------------------


def _next_steps(facts: ReportFacts, problems: list[Problem]) -> list[Block]:
    prefix = facts.scope_kind == "district"
    steps: list[tuple[str, str]] = []
    for p in problems:
        if p.key == "over":
            named = [f"{c.school if prefix else ''}{c.class_name}" for c in facts.over_classes]
            steps.append(
                (
                    "盯住超量的班级和日子",
                    f"对{_listing(named, '个班级')}，由年级组在周作业计划中先统筹各学科作业量，"
                    "任课教师发布前查看全班当天合计；年级组长每周查看一次作业量，"
                    "对反复超量的班级与任课教师当面沟通，确需超出的必须走例外审批。",
                )
            )
        elif p.key in ("reported", "estimate"):
            steps.append(
                (
                    "按实际用时校准作业设计",
                    "请相关学科教师参照家长反映的实际用时调整预计时长，精选作业内容，"
                    "多布置分层、弹性作业，把学生实际完成时间控制在上限以内。",
                )
            )
        elif p.key == "late":
            steps.append(
                (
                    "关注完成作业偏晚的学生",
                    "班主任逐一了解完成偏晚的原因，落实“经努力仍完不成的也要按时就寝”的要求；"
                    "对确有困难的学生减少当天书面作业，并与家长沟通作息安排。",
                )
            )
        elif p.key == "nologs":
            steps.append(
                (
                    "请家长按抽样轮换记录用时",
                    "各班按每天少量抽样、轮流记录的方式请家长记录作业用时，"
                    "不要求全员打卡，用实际用时检验作业量。",
                )
            )
        elif p.key == "publicity":
            steps.append(
                (
                    "补齐每周作业公示",
                    "各年级组每周五前完成下周作业计划，经“双组长”审核后公示；"
                    "教务处每周一查看各年级公示情况，缺漏的当天补齐。",
                )
            )
        elif p.key == "participation":
            steps.append(
                (
                    "提高课后服务的吸引力和覆盖面",
                    "对参与率低的班级开展需求回访，按学生兴趣调整社团设置；"
                    "有意愿但尚未参加的学生在补报名中优先安排名额。",
                )
            )
        elif p.key == "attendance":
            steps.append(
                (
                    "抓好课后服务考勤",
                    "值班教师每场如实点名，缺勤的当天告知班主任和家长，了解原因并跟进。",
                )
            )
        elif p.key == "program":
            steps.append(("督促登记课后服务方案", "尚未登记方案的学校在两周内完成登记和备案。"))
        elif p.key == "pending":
            steps.append(
                (
                    "及时处理例外申请",
                    "年级组长在申请提出的当天审批，并写明同意或不同意的理由。",
                )
            )
        elif p.key == teacher_writing.PROBLEM_KEY:
            steps.append(teacher_writing.teacher_step())
        elif p.key == "rectification":
            steps.append(
                (
                    "限期完成整改",
                    "对逾期的整改事项逐项明确责任人和完成时间，完成后报责任督学复查。",
                )
            )
    if not steps:
        steps.append(
            (
                "巩固现有做法",
                "继续坚持年级组统筹和每周作业公示，按抽样轮换请家长记录用时，"
                "每月查看一次作业量和课后服务参与情况，发现问题及时调整。",
            )
        )
    return [
        Paragraph(f"（{_cn_count(n)}）{title}。{text}") for n, (title, text) in enumerate(steps, 1)
    ]


def _notes(facts: ReportFacts) -> str:
    notes = []
    if facts.has_homework:
        notes.append(
            "作业时长指教师发布的当天须在家完成的必做书面作业的预计时长，"
            "没有作业记录的教学日按0分钟计；达标率为时长不超过上限的班级日所占比例。"
        )
        notes.append("家长反映的用时来自抽样轮换的家长记录，是估计值。")
    notes.append(
        f"人数少于{facts.min_group}人的群体不单列比例，以免推知个人情况；"
        "本报告不含任何学生姓名，也不对学生排名。"
    )
    return "说明：" + "".join(f"{n}．{text}" for n, text in enumerate(notes, 1))
