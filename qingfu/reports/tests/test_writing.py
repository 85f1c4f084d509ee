"""The prose, without a database: what the figures make the report say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from qingfu.reports.data import (
    AfterSchool,
    BandFigures,
    ClassLate,
    ClassOver,
    ExceptionLine,
    Exceptions,
    Period,
    Publicity,
    Rectifications,
    ReportFacts,
)
from qingfu.reports.document import Chart, Heading, Paragraph, Table
from qingfu.reports.writing import report_document

PERIOD = Period(dt.date(2026, 9, 1), dt.date(2027, 1, 22), "2026—2027学年第一学期")


def _band(band: str, label: str, cap: int, **kw: object) -> BandFigures:
    values: dict[str, object] = {
        "band": band, "label": label, "cap": cap, "classes": 4, "school_class_days": 400,
        "planned_school_days": 400 * cap // 2, "class_days": 400, "over": 0, "over_approved": 0, "logs": 600,
        "reported_days": 380, "reported_sum": 380 * cap / 2, "planned_on_reported": 380 * cap // 2,
        "late_finishes": 6, "not_finished": 0,
    }  # fmt: skip
    values.update(kw)
    return BandFigures(**values)  # type: ignore[arg-type]


def facts(**kw: object) -> ReportFacts:
    values: dict[str, object] = {
        "scope_kind": "school", "scope_name": "青禾实验学校", "district_name": "青禾区", "period": PERIOD,
        "today": dt.date(2027, 1, 25), "through": PERIOD.end, "first_record": PERIOD.start, "schools": 1,
        "classes": 12, "students": 540, "school_days": 100, "min_group": 5,
        "bands": (_band("g1-2", "一、二年级", 0, reported_days=0, reported_sum=0, logs=0,
                     late_finishes=0, planned_on_reported=0),
               _band("g3-6", "三至六年级", 60), _band("g7-9", "七至九年级", 90)),
        "series": (), "series_unit": "week", "over_classes": (), "late_classes": (),
        "publicity": Publicity(expected=60, published=60, class_boards=240, changes=3),
        "afterschool": AfterSchool(
            programs=1, schools_without=(), students=540, wished=440, taking_part=440,
            wished_taking_part=440, clubs=20, club_seats=600, categories=(("体育", 8), ("艺术", 12)),
            instructors=(("本校教师", 18), ("家长志愿者", 2)), marks=9000, attended=8700),
        "exceptions": Exceptions(()), "rollup_rows": 1000,
    }  # fmt: skip
    values.update(kw)
    return ReportFacts(**values)  # type: ignore[arg-type]


def test_a_good_semester_reads_as_a_report_with_its_three_parts() -> None:
    doc = report_document(facts())
    text = doc.text()
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings == ["一、主要做法与成效", "二、存在问题", "三、下一步打算"]
    assert (
        "达标率100%" in text
        and "三至六年级4个班平均每天布置家庭书面作业30.0分钟，低于60分钟的上限" in text
    )
    assert "一、二年级4个班坚持不布置家庭书面作业" in text
    assert "审核公示60份（100%）" in text and "公示后调整3处" in text
    assert "440名参加课后服务，参与率81.5%" in text and "出勤率96.7%" in text
    assert "没有发现作业超出时长上限" in text
    assert "（一）巩固现有做法" in text  # nothing wrong: one step, keep going
    assert any(isinstance(b, Chart) for b in doc.blocks)
    assert any(isinstance(b, Table) for b in doc.blocks)
    assert doc.signature == ("青禾实验学校", "2027年1月25日")


def test_problems_come_from_the_data_and_each_gets_a_next_step() -> None:
    over = ClassOver("青禾实验学校", "三年级(2)班", 4, 75, 60, (dt.date(2026, 10, 12),))
    over2 = ClassOver("青禾实验学校", "三年级(3)班", 1, 70, 60, (dt.date(2026, 10, 12),))
    g36 = _band("g3-6", "三至六年级", 60, over=5, over_approved=1, late_finishes=60,
                reported_sum=380 * 70.0)  # fmt: skip
    f = facts(
        bands=(g36,),
        over_classes=(over, over2),
        late_classes=(ClassLate("青禾实验学校", "五年级(1)班", 50, 12),),
        publicity=Publicity(
            expected=60,
            published=50,
            class_boards=200,
            changes=0,
            missing=("9月7日起", "9月14日起"),
        ),
        afterschool=dataclasses.replace(
            facts().afterschool,  # type: ignore[arg-type]
            wished_taking_part=430,
            low_classes=(("青禾实验学校", "八年级(3)班", 0.3),),
        ),
        exceptions=Exceptions(
            (
                ExceptionLine(
                    "青禾实验学校",
                    "三年级(2)班",
                    dt.date(2026, 10, 12),
                    75,
                    60,
                    "单元复习",
                    "pending",
                    "",
                    "",
                ),
            )
        ),
        rectifications=Rectifications(
            issued=3, closed=1, overdue=1, open=2, overdue_lines=("“作业公示不全”（11月30日到期）",)
        ),
    )
    doc = report_document(f)
    text = doc.text()
    problems = [
        b.text for b in doc.blocks if isinstance(b, Paragraph) and re.match(r"^\d．", b.text)
    ]
    assert [p.split("。")[0] for p in problems] == [
        "1．个别班级部分日子作业超量",
        "2．学生实际用时高于规定",
        "3．部分学生完成作业偏晚，影响睡眠",
        "4．作业公示没有做到每周全覆盖",
        "5．课后服务参与不够均衡",
        "6．例外申请审批不够及时",
        "7．整改没有按期完成",
    ]
    assert "4个班级日的家庭书面作业超出上限且未经例外审批，涉及2个班级" in text
    assert "超量较集中的日子是10月12日（2个班级）" in text
    assert "三年级(2)班最多的一天布置了75分钟，上限为60分钟" in text
    assert "家长记录估计每天约70.0分钟，高于60分钟的上限" in text
    assert "五年级(1)班（24.0%）" in text and "有10份未经审核公示" in text
    assert "八年级(3)班（30.0%）" in text and "有10名尚未参加" in text
    steps = [
        b.text
        for b in doc.blocks
        if isinstance(b, Paragraph) and re.match(r"^（[一二三四五六七八九十]）", b.text)
    ]
    titles = [s.split("。")[0] for s in steps if not s.startswith("（一）统筹")]
    assert "（一）盯住超量的班级和日子" in titles[0]
    assert any("限期完成整改" in t for t in titles) and any("补齐每周作业公示" in t for t in titles)
    assert "对三年级(2)班、三年级(3)班，由年级组" in text


def test_a_period_without_records_says_so_and_prints_no_figures() -> None:
    empty = facts(
        rollup_rows=0, bands=(), school_days=0, first_record=None,
        publicity=Publicity(0, 0, 0, 0), afterschool=None, exceptions=Exceptions(()),
    )  # fmt: skip
    doc = report_document(empty)
    body = "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "无法据实形成本期工作总结" in body and "不列任何数字" in body
    assert not any(isinstance(b, Table | Chart | Heading) for b in doc.blocks)
    without_dates = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", "", body)
    assert not re.search(r"\d", without_dates)


def test_a_district_report_speaks_for_the_district_and_names_schools() -> None:
    over = ClassOver("甲校", "三年级(2)班", 2, 70, 60, ())
    g36 = _band("g3-6", "三至六年级", 60, over=2)
    doc = report_document(
        facts(
            scope_kind="district",
            scope_name="青禾区",
            schools=2,
            bands=(g36,),
            over_classes=(over,),
        )
    )
    text = doc.text()
    assert doc.title == "青禾区2026—2027学年第一学期落实“双减”工作总结"
    assert doc.subtitle == "（2026年9月1日至2027年1月22日）"
    assert "我区认真落实" in text
    assert "2所学校的12个班级" in text and "甲校三年级(2)班2天" in text


def test_without_homework_records_the_report_claims_nothing_about_homework() -> None:
    doc = report_document(facts(rollup_rows=0, bands=(), publicity=Publicity(0, 0, 0, 0)))
    text = doc.text()
    assert "课后服务" in text and "出勤率96.7%" in text
    assert "作业总量控制" not in text and "达标率" not in text
    assert "本期没有作业记录，无法核对作业量" in text


def test_each_count_agrees_with_its_own_noun_in_english() -> None:
    """A sentence with several counts reads "1 class and 2 students" in English: each number
    is its own counted phrase; the Chinese is the sentence as it always was."""
    from django.utils import translation

    one = facts(
        classes=1,
        students=2,
        bands=(_band("g3-6", "三至六年级", 60, classes=1),),
        publicity=Publicity(expected=60, published=60, class_boards=240, changes=1),
        afterschool=AfterSchool(
            programs=1, schools_without=(), students=2, wished=1, taking_part=1,
            wished_taking_part=1, clubs=1, club_seats=2, categories=(("体育", 1),),
            instructors=(("本校教师", 1),), marks=1, attended=1, service_days=1, days_marked=1,
            sessions=2, sessions_marked=2, min_group=1,
        ),
    )  # fmt: skip
    with translation.override("en"):
        text = report_document(one).text()
    assert "1 class and 2 students" in text
    assert "the 1 class of " in text and "set 30.0 minutes of written homework" in text
    assert "1 change was made after posting" in text
    assert "Of the school's 2 students, 1 takes part in after-school services" in text
    assert "the 1 student who said in the needs survey" in text
    assert "Clubs: 1 club with 2 places in all" in text
    assert "cover 1 of the period's 1 after-school day and 2 of its 2 sessions" in text
    assert "1 attendance was marked and 1 was present" in text
    assert not re.search(r"\b1 (classes|students|changes|clubs|attendances|sessions)\b", text)
    with translation.override("zh-hans"):
        text = report_document(one).text()
    assert "1个班级、2名学生" in text and "三至六年级1个班平均每天" in text
    assert "公示后调整1处" in text and "全校2名学生中，1名参加课后服务" in text
    assert "开设社团1个、名额2个" in text and "考勤1人次，出勤1人次" in text
    assert "覆盖统计时段内1个课后服务日中的1个、2场服务中的2场" in text
