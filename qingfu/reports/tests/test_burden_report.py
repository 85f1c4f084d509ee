"""The county's burden-reduction report: downloaded as DOCX by the campaign office, opened
back, and every figure in it recounted here from the records by hand (not through the
aggregations the report uses). Other people get the uniform 404; a period without records
prints no figures; problems appear only when the records show them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document as open_docx

from qingfu.burden.models import AppOrGroup, Approval, Demand, UnregisteredReport
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.reports.burden_writing import BurdenFacts, YearOnYear, burden_document

pytestmark = pytest.mark.django_db
FIRST = dt.date(TODAY.year, 1, 1)
QUERY = {"preset": "custom", "start": FIRST.isoformat(), "end": TODAY.isoformat()}


@pytest.fixture(autouse=True)
def _pinned_today(settings: Any) -> None:
    settings.QINGFU_TODAY = TODAY.isoformat()


def _sent(county: County, kind: str, day: dt.date, hours: float = 1.0, **kw: Any) -> Demand:
    demand = Demand.objects.create(
        district=county.world.d1,
        issuer=kw.pop("issuer", county.office),
        kind=kind,
        title=f"{kind} {day}",
        day=day,
        staff_hours=hours,
        status=kw.pop("status", Demand.Status.SENT),
        **kw,
    )
    demand_receivers_set(demand, units=[county.town, *county.villages[:2]], schools=())
    return demand


@pytest.fixture
def records(county: County) -> None:
    for month in range(1, 11):  # last year: a document and a meeting (day 12) each month
        _sent(county, "document", dt.date(2025, month, 3))
        _sent(county, "meeting", dt.date(2025, month, 12))
    for month in (3, 6):
        _sent(county, "inspection", dt.date(2025, month, 20), plan_entry=county.plan)
    _sent(county, "document", dt.date(2025, 12, 1))  # after the same dates last year
    for month in range(2, 10):  # this year: fewer documents
        _sent(county, "document", dt.date(2026, month, 9), 2.0)
    _sent(county, "document", dt.date(2026, 4, 9), forwards_higher_document=True)
    for month in (1, 4, 8):
        _sent(county, "meeting", dt.date(2026, month, 15), 3.0)
    _sent(county, "meeting", dt.date(2026, 5, 2), exception_reason="防汛紧急部署")
    _sent(county, "inspection", dt.date(2026, 3, 10), 4.0, plan_entry=county.plan)
    for day in (dt.date(2026, 5, 20), dt.date(2026, 9, 20)):
        unplanned = _sent(county, "inspection", day, 4.0, issuer=county.other_office)
        for role in ("leader", "office"):
            Approval.objects.create(
                district=county.world.d1, demand=unplanned, role=role, decision="approved"
            )
    _sent(county, "inspection", dt.date(2026, 10, 8), issuer=county.other_office, status="refused")
    _sent(county, "meeting", dt.date(2026, 12, 2))  # after the period
    UnregisteredReport.objects.create(
        district=county.world.d1, receiver_unit=county.town, issuer=county.other_office,
        what="微信群要求每日上报截图", day=dt.date(2026, 10, 15), channel="wechat",
    )  # fmt: skip
    for status in ("closed", "closed", "closed", "merged", "kept"):
        AppOrGroup.objects.create(
            district=county.world.d1, unit=county.town, name=f"群{status}", kind="wechat",
            status=status, owner="张三", purpose="工作通知",
        )  # fmt: skip


def _text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = open_docx(io.BytesIO(data))
    rows = [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]
    return "\n".join(p.text for p in doc.paragraphs), rows


def _count(kind: str, first: dt.date, last: dt.date) -> int:
    return Demand.objects.filter(status="sent", kind=kind, day__gte=first, day__lte=last).count()


def test_every_figure_of_the_docx_is_the_records_counted(county: County, records: None) -> None:
    response = county.client("jianfu").get("/reports/burden/download/docx/", QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text, rows = _text(response.content)
    assert "关于整治形式主义为基层减负工作开展情况的汇报" in text
    before = (FIRST.replace(year=FIRST.year - 1), TODAY.replace(year=TODAY.year - 1))
    counted = {}
    for kind, label in (("document", "发文"), ("meeting", "会议"), ("inspection", "督查检查考核")):
        now, last = _count(kind, FIRST, TODAY), _count(kind, *before)
        target = {"document": 70, "meeting": 70, "inspection": 100}[kind]
        allowed = last * target // 100
        counted[kind] = (now, last, allowed)
        assert [label, str(now), str(last)] == next(r for r in rows if r[0] == label)[:3]
        assert next(r for r in rows if r[0] == label)[4] == str(allowed)
    assert counted["document"] == (9, 10, 7)  # the records above, as a sanity check
    assert f"本期发文{counted['document'][0]}件" in text
    assert f"召开会议{counted['meeting'][0]}次" in text
    assert f"开展督查检查考核{counted['inspection'][0]}项" in text
    assert "其中1件仅转发上级文件" in text
    # The document target is missed (9 > 7), the meeting one is met (4 ≤ 7).
    assert "发文压减未达目标" in text and "会议压减未达目标" not in text
    # Meeting-free days 1–7: January to November are counted; only May had a meeting.
    months = TODAY.month
    held = {
        d.day.month
        for d in Demand.objects.filter(status="sent", kind="meeting", day__year=TODAY.year)
        if d.day.day <= 7 and d.day <= TODAY
    }
    assert f"本期{months}个月中有{months - len(held)}个月的无会周没有召开任何会议" in text
    assert "1次会议经分管领导批准并写明理由后在无会周召开" in text
    planned = Demand.objects.filter(
        status="sent", kind="inspection", plan_entry__isnull=False, day__year=TODAY.year
    ).count()
    unplanned = (
        Demand.objects.filter(status="sent", kind="inspection", plan_entry__isnull=True)
        .filter(approvals__role="office", approvals__decision="approved")
        .count()
    )
    assert f"其中列入年度计划{planned}项，计划外{unplanned}项" in text
    assert "另有1项计划外检查未获批准" in text
    assert "县卫健委（3项）在年度计划之外多次提出督查检查" in text  # 2 sent + 1 refused
    closed = AppOrGroup.objects.filter(status="closed").count()
    assert f"共登记5个，关停{closed}个，合并1个，保留1个，保留的均明确了用途和管理人" in text
    assert "通过工作群或电话下达的事项1件，涉及县卫健委（1件），其中1件尚未处理完毕" in text
    hours = sum(
        d.staff_hours * 3
        for d in Demand.objects.filter(status="sent", day__gte=FIRST, day__lte=TODAY)
    )
    assert f"共给接收单位带来约{hours:.1f}小时的工作量" in text


def test_the_pdf_and_the_page(county: County, records: None) -> None:
    client = county.client("jianfu")
    pdf = client.get("/reports/burden/download/pdf/", QUERY)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = client.get("/reports/burden/", QUERY)
    assert page.status_code == 200
    assert "本期发文9件" in page.content.decode()


def test_bad_dates_are_refused_with_a_message(county: County) -> None:
    client = county.client("jianfu")
    response = client.get("/reports/burden/", {"preset": "custom", "start": "2026-05-01"})
    assert response.status_code == 422
    assert "请填写结束日期" in response.content.decode()
    wrong = client.get("/reports/burden/", {**QUERY, "end": "2025-01-01"})
    assert wrong.status_code == 422


@pytest.mark.parametrize("who", ["clerk", "leader", "town1", "far_jianfu", "admin_a"])
def test_only_the_county_campaign_office_gets_it(county: County, records: None, who: str) -> None:
    client = county.client(who)
    for path in ("/reports/burden/", "/reports/burden/download/docx/"):
        response = client.get(path, QUERY)
        if who == "far_jianfu":  # another county's office gets its own county's report
            assert response.status_code == 200
            assert "本期发文9件" not in response.content.decode(errors="ignore")
        else:
            assert response.status_code == 404


def _facts(**changes: Any) -> BurdenFacts:
    values: dict[str, Any] = dict(  # noqa: C408
        county="青禾县", start=FIRST, end=TODAY, through=TODAY, today=TODAY, label="2026年",
        issuers=0, receivers=0, sent=0,
        counts=(YearOnYear("document", 0, 0, 0, -30), YearOnYear("meeting", 0, 0, 0, -30),
                YearOnYear("inspection", 0, 0, 0, 0)),
        months=(), county_meetings=(0, 0), local_meetings=(0, 0), forwarding=0, free_days=7,
        free_months=0, free_months_kept=0, free_exceptions=0, inspections_planned=0,
        inspections_unplanned=0, unplanned_by_issuer=(), refused=0, refused_by_kind=(),
        exceptions=0, pending=0, data_requests=0, fields_asked=0, fields_answered=0,
        hours_saved=0.0, tasks_listed=0, tasks_unlisted=0, funding=0.0, certificates=0,
        access_items=0, certificate_items=0, apps_closed=0, apps_merged=0, apps_kept=0,
        apps_unowned=0, apps_forcing=(), reports=0, reports_handled=0, reports_by_issuer=(),
        hours=0.0, heaviest_receivers=(), heaviest_issuers=(),
    )  # fmt: skip
    values.update(changes)
    return BurdenFacts(**values)


def test_a_period_without_records_prints_no_figures() -> None:
    text = burden_document(_facts()).text()
    assert "无法据实形成汇报" in text
    body = text.split("\n", 2)[2]
    assert not any(ch.isdigit() for ch in body.split("。")[0])


def test_fewer_county_meetings_and_more_town_meetings_is_the_small_meetings_problem() -> None:
    counts = (YearOnYear("document", 5, 10, 7, -30), YearOnYear("meeting", 6, 10, 7, -30),
              YearOnYear("inspection", 1, 1, 1, 0))  # fmt: skip
    found = burden_document(
        _facts(sent=12, counts=counts, county_meetings=(2, 8), local_meetings=(4, 2))
    ).text()
    assert "小会多了" in found and "乡镇（街道）召开的会议4次，比去年同期的2次有所增加" in found
    assert "严格控制乡镇（街道）层面会议" in found
    fine = burden_document(
        _facts(sent=12, counts=counts, county_meetings=(2, 8), local_meetings=(2, 2))
    ).text()
    assert "小会多了" not in fine and "没有发现绕开平台下达的事项" in fine


# --- the school's and the district's teacher-burden section ------------------------------


def _to_school(county: County, kind: str, day: dt.date, hours: float, *schools: Any) -> Demand:
    demand = Demand.objects.create(
        district=county.world.d1, issuer=county.office, kind=kind, title=kind, day=day,
        staff_hours=hours, status="sent",
    )  # fmt: skip
    demand_receivers_set(demand, units=(), schools=schools)
    return demand


def test_the_school_summary_counts_what_landed_on_the_school(county: County) -> None:
    w = county.world
    day = dt.date(2026, 9, 15)
    _to_school(county, "inspection", day, 6.0, w.a, w.b)
    _to_school(county, "data_request", day, 2.0, w.a)
    _to_school(county, "campus_activity", day, 1.5, w.a)
    _to_school(county, "secondment", day, 0.0, w.b)
    _to_school(county, "document", dt.date(2026, 8, 1), 9.0, w.a)  # before the period
    refused = _to_school(county, "inspection", day, 3.0, w.a)
    refused.status = "refused"
    refused.save()
    UnregisteredReport.objects.create(
        district=w.d1, receiver_school=w.a, issuer=county.other_office, what="微信群通知填表",
        day=day, channel="wechat",
    )  # fmt: skip
    query = {"preset": "custom", "start": "2026-09-01", "end": "2026-09-30"}
    response = w.client("admin_a").get(
        "/reports/download/docx/", {**query, "scope": f"school-{w.a.pk}"}
    )
    text, _rows = _text(response.content)
    links = Demand.receiver_schools.through.objects.filter(
        school=w.a, demand__status="sent", demand__day__range=(FIRST.replace(month=9), day)
    )
    hours = sum(link.demand.staff_hours for link in links)
    assert f"本期通过平台下达我校的事项{links.count()}件，预计占用{hours:.1f}小时" in text
    assert "其中督查检查考核1项、数据填报1件、社会事务进校园1项。" in text
    assert "1件在登记时未获通过" in text
    assert "仍有非教学事项绕开平台进入学校" in text and "守住非教学事项进校园" in text
    district = w.client("officer_d1").get(
        "/reports/download/docx/", {**query, "scope": f"district-{w.d1.pk}"}
    )
    text, rows = _text(district.content)
    assert "本期通过平台下达全区各学校的事项4件，预计占用15.5小时" in text  # 6×2 + 2 + 1.5
    by_school = {r[0]: r[1:] for r in rows}
    assert by_school[w.a.name] == ["3", "9.5", "1", "1", "1", "0"]
    assert by_school[w.b.name] == ["2", "6.0", "1", "0", "0", "1"]


def test_the_school_summary_spreads_the_teachers_non_teaching_hours(county: County) -> None:
    """The section's spread of the teachers' hours a week (demands shared by their handlers,
    or by all the school's teachers, plus after-school duty × the session's length),
    recounted with plain queries and arithmetic from the DOCX's period."""
    import statistics

    from qingfu.afterschool.models import Session
    from qingfu.afterschool.tests.helpers import standard_program
    from qingfu.burden.models import DemandHandler
    from qingfu.burden.services import demand_handlers_set
    from qingfu.schools.actors import actor_for
    from qingfu.schools.models import Teacher

    w = county.world
    day = dt.date(2026, 9, 15)
    named = _to_school(county, "data_request", day, 6.0, w.a)
    _to_school(county, "inspection", day, 4.0, w.a, w.b)
    _to_school(county, "document", dt.date(2026, 10, 2), 9.0, w.a)  # after the period
    math3, head31 = w.users["math3"].teacher, w.users["head31"].teacher
    demand_handlers_set(
        actor=actor_for(w.users["admin_a"]), school_id=w.a.pk, demand_id=named.pk,
        teacher_ids=[math3.pk, head31.pk],
    )  # fmt: skip
    program = standard_program(w.users["admin_a"], w.a)
    segment = program.segments.get(order=1)
    for n in range(8):
        Session.objects.create(
            school=w.a, program=program, date=dt.date(2026, 9, 1 + n), segment=segment,
            school_class=w.c31, duty_teacher=math3,
        )  # fmt: skip
    Session.objects.create(
        school=w.a, program=program, date=dt.date(2026, 10, 9), segment=segment,
        school_class=w.c31, duty_teacher=head31,
    )  # fmt: skip
    query = {"preset": "custom", "start": "2026-09-01", "end": "2026-09-30"}
    response = w.client("admin_a").get(
        "/reports/download/docx/", {**query, "scope": f"school-{w.a.pk}"}
    )
    text, rows = _text(response.content)

    first, last = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
    weeks = ((last - first).days + 1) / 7
    teachers = list(Teacher.objects.filter(school=w.a))
    totals = dict.fromkeys((t.pk for t in teachers), 0.0)
    for demand in Demand.objects.filter(
        status="sent", receiver_schools=w.a, day__gte=first, day__lte=last
    ):
        handlers = list(
            DemandHandler.objects.filter(demand=demand, school=w.a).values_list(
                "teacher_id", flat=True
            )
        )
        carriers = handlers or list(totals)
        for teacher in carriers:
            totals[teacher] += demand.staff_hours / len(carriers)
    for session in Session.objects.filter(
        school=w.a, date__gte=first, date__lte=last, duty_teacher__isnull=False
    ).select_related("segment"):
        start, end = session.segment.start, session.segment.end
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        totals[session.duty_teacher_id] += minutes / 60
    a_week = sorted(t / weeks for t in totals.values())
    assert len(a_week) == len(teachers) and max(a_week) > 0
    mean = sum(a_week) / len(a_week)
    expected = (
        f"本期{len(a_week)}名教师平均每周非教学工作{mean:.1f}小时，"
        f"中位数{statistics.median(a_week):.1f}小时，最多{max(a_week):.1f}小时。"
    )
    assert expected in text
    bands = {r[0]: r[1] for r in rows if len(r) == 2 and ("–" in r[0] or "≥" in r[0])}
    assert bands == {
        "0–2": str(sum(1 for h in a_week if h < 2)),
        "2–4": str(sum(1 for h in a_week if 2 <= h < 4)),
        "4–8": str(sum(1 for h in a_week if 4 <= h < 8)),
        "≥8": str(sum(1 for h in a_week if h >= 8)),
    }
    for teacher in teachers:
        assert teacher.name not in text
