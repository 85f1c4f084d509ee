"""The report and the ledgers as files: opened back with python-docx and openpyxl, the PDF's
font embedded, and everything converted by LibreOffice headless with its text checked."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document as read_docx
from openpyxl import load_workbook

from qingfu.conftest import World
from qingfu.reports import docx_render, ledgers, pdf_render
from qingfu.reports.facts import report_facts
from qingfu.reports.selectors import period_for, scope_get
from qingfu.reports.tests.helpers import (
    END,
    PERIOD,
    START,
    STUDENT_NAMES,
    TODAY,
    actor,
    make_activity,
)
from qingfu.reports.writing import report_document

needs_soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


@pytest.fixture
def built(world: World):  # type: ignore[no-untyped-def]
    make_activity(world)
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    facts = report_facts(scope=scope, period=PERIOD, today=TODAY)
    return scope, facts, report_document(facts)


def _no_student_names(text: str) -> None:
    for name in STUDENT_NAMES:
        assert name not in text


def test_docx_opens_with_the_reports_text_charts_and_tables(built) -> None:  # type: ignore[no-untyped-def]
    _scope, facts, doc = built
    data = docx_render.render_docx(doc)
    back = read_docx(io.BytesIO(data))
    paragraphs = [p.text for p in back.paragraphs]
    assert paragraphs[0] == "甲校落实“双减”工作总结"
    for heading in ("一、主要做法与成效", "二、存在问题", "三、下一步打算"):
        assert heading in paragraphs
    band = next(b for b in facts.bands if b.band == "g3-6")
    assert any(f"平均每天布置家庭书面作业{band.average_planned:.1f}分钟" in p for p in paragraphs)
    assert len(back.inline_shapes) >= 2  # the charts
    first = back.tables[0]
    assert [c.text for c in first.rows[0].cells][:2] == ["学段", "班级数"]
    _no_student_names("\n".join(paragraphs) + data.decode("latin-1"))


def test_a_reader_who_chose_english_gets_the_report_in_english(world: World) -> None:
    make_activity(world)
    with translation.override("en"):
        scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
        period = period_for(scope=scope, preset="custom", today=TODAY, start=START, end=END)
        facts = report_facts(scope=scope, period=period, today=TODAY)
        data = docx_render.render_docx(report_document(facts))
    back = read_docx(io.BytesIO(data))
    paragraphs = [p.text for p in back.paragraphs]
    cells = [c.text for t in back.tables for row in t.rows for c in row.cells]
    assert paragraphs[0] == f"{facts.scope_name}: Work Summary on the “Double Reduction” Policy"
    assert "(7 September 2026 to 18 September 2026)" in paragraphs
    for heading in ("1. What was done and what it achieved", "2. Problems", "3. Next steps"):
        assert heading in paragraphs
    band = next(b for b in facts.bands if b.band == "g3-6")
    assert band.label == "Grades 3–6"
    assert any(
        f"set {band.average_planned:.1f} minutes of written homework" in p for p in paragraphs
    )
    assert cells[:2] == ["Stage", "Classes"]
    # Only what people typed into the records stays in Chinese: the school's name and the
    # teachers' reasons and the leaders' comments on exceptions.
    typed = [facts.scope_name] + [
        text for line in facts.exceptions.lines for text in (line.reason, line.decision or "")
    ]
    body = "\n".join(paragraphs + cells)
    for text in sorted(filter(None, typed), key=len, reverse=True):
        body = body.replace(text, "")
    assert not re.search(r"[\u4e00-\u9fff]", body), re.findall(
        r".{0,20}[\u4e00-\u9fff]+.{0,5}", body
    )


@needs_poppler
def test_pdf_embeds_the_cjk_font_and_has_the_text(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scope, _facts, doc = built
    data = pdf_render.render_pdf(doc)
    assert data.startswith(b"%PDF") and b"/FontFile2" in data
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    cjk = [line for line in fonts.stdout.splitlines() if "WenQuanYi" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)  # embedded, subset, unicode
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    flat = "".join(text.stdout.split())
    assert "一、主要做法与成效" in flat and "三、下一步打算" in flat and "甲校" in flat
    _no_student_names(flat)
    assert len(data) < 1_000_000  # a subset, not the whole font


def test_ledgers_open_with_their_rows_and_no_names(built) -> None:  # type: ignore[no-untyped-def]
    scope, facts, _doc = built
    books = {
        key: load_workbook(
            io.BytesIO(ledgers.ledger_xlsx(scope=scope, period=PERIOD, key=key, today=TODAY))
        )
        for key in ledgers.LEDGERS
    }
    exceptions = books["exceptions"].active
    rows = [[c.value for c in row] for row in exceptions.iter_rows(min_row=4, max_row=4)]
    assert rows[0][1:7] == [
        "三年级(1)班",
        "数学",
        "三至六年级每日书面作业时长",  # the rule's title, not its id hw.cap.g3-6
        75,
        60,
        "单元复习，次日不布置书面作业",
    ]
    logs = books["timelogs"].active
    header = [c.value for c in logs[3]]
    assert header[:3] == ["班级", "周一日期", "有记录的教学日"]
    lines = {
        (r[0], r[1].date().isoformat()): r
        for r in logs.iter_rows(min_row=4, values_only=True)
        if r[1]
    }
    first_week = lines[("三年级(1)班", "2026-09-07")]
    assert first_week[5] == 35 and first_week[7] == 2  # 7 families x 5 days; 2 late on Monday
    publicity = books["publicity"].active
    assert [c.value for c in publicity[4]][:3][2] == "未编制"
    for book in books.values():
        for ws in book.worksheets:
            _no_student_names(" ".join(str(c.value) for row in ws.iter_rows() for c in row))
    del facts


@needs_soffice
@needs_poppler
def test_libreoffice_opens_the_report_and_every_ledger(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scope, _facts, doc = built
    files = [tmp_path / "report.docx"]
    files[0].write_bytes(docx_render.render_docx(doc))
    for key in ledgers.LEDGERS:
        path = tmp_path / f"{key}.xlsx"
        path.write_bytes(ledgers.ledger_xlsx(scope=scope, period=PERIOD, key=key, today=TODAY))
        files.append(path)
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
        capture_output=True, check=True, timeout=240,
    )  # fmt: skip

    def text(name: str) -> str:
        pdf = out / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        result = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        return "".join(result.stdout.split())

    report = text("report")
    assert "甲校落实“双减”工作总结" in report and "二、存在问题" in report and "表1" in report
    assert "作业例外审批登记台账" in text("exceptions") and "单元复习" in text("exceptions")
    assert "作业用时记录汇总台账" in text("timelogs") and "三年级(1)班" in text("timelogs")
    assert "作业公示台账" in text("publicity")
    assert "课后服务考勤台账" in text("afterschool")
    assert "督导整改登记台账" in text("rectifications")


def test_after_school_figures_of_a_small_group_are_left_out(world: World) -> None:
    import datetime as dt

    from qingfu.afterschool import attendance
    from qingfu.afterschool.tests.helpers import sign_up, standard_program
    from qingfu.oversight.services import rollups_rebuild
    from qingfu.reports.tests.helpers import SH, START

    program = standard_program(world.users["admin_a"], world.a)
    sign_up(world.users["guardian1"], world.s1)
    head = actor(world.users["head31"])
    session = next(
        s for s in attendance.duty_sessions(head, START)
        if s.club_id is None and s.segment.order == 1 and s.program_id == program.pk
    )  # fmt: skip
    attendance.attendance_take(
        actor=head, session_id=session.pk, marks={world.s1.pk: "absent"},
        now=dt.datetime.combine(START, dt.time(15, 50), SH),
    )  # fmt: skip
    rollups_rebuild(school_ids=[world.a.pk])
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    book = load_workbook(
        io.BytesIO(ledgers.ledger_xlsx(scope=scope, period=PERIOD, key="afterschool", today=TODAY))
    )
    row = next(book.active.iter_rows(min_row=4, max_row=4, values_only=True))
    assert row[0] == "三年级(1)班" and row[3] == 1  # one mark, whose absence is not shown
    assert row[4:7] == (None, None, None)
    facts = report_facts(scope=scope, period=PERIOD, today=TODAY)
    assert facts.afterschool is not None and facts.afterschool.marks == 1
    assert facts.afterschool.by_grade == ()  # one or two pupils a grade: no rates
    assert facts.afterschool.attendance is None  # one family's attendance is not a rate
    assert "出勤率" not in report_document(facts).text()


def test_the_report_says_what_the_attendance_records_cover(world: World) -> None:
    """Issue 19: "考勤记录覆盖统计时段内 N 个课后服务日中的 M 个", counted from the records:
    the programme's weekdays that the calendar makes school days, and the days and
    sessions with marks."""
    import datetime as dt

    from qingfu.afterschool import attendance
    from qingfu.afterschool.models import AttendanceMark, Session
    from qingfu.afterschool.tests.helpers import sign_up, standard_program
    from qingfu.oversight.services import rollups_rebuild
    from qingfu.reports.tests.helpers import SH, school_days

    program = standard_program(world.users["admin_a"], world.a)
    sign_up(world.users["guardian1"], world.s1)
    head = actor(world.users["head31"])
    for day in (START, START + dt.timedelta(days=2)):  # Monday taken; Wednesday missed
        sessions = [s for s in attendance.duty_sessions(head, day) if s.program_id == program.pk]
        if day == START:
            first = next(s for s in sessions if s.club_id is None and s.segment.order == 1)
            attendance.attendance_take(
                actor=head, session_id=first.pk, marks={world.s1.pk: "present"},
                now=dt.datetime.combine(START, dt.time(15, 50), SH),
            )  # fmt: skip
    # 3(2)'s basic care that Monday: nobody there signed up, so it needs no attendance.
    Session.objects.create(
        school=world.a, program=program, date=START, segment=first.segment,
        school_class=world.c32,
    )  # fmt: skip
    rollups_rebuild(school_ids=[world.a.pk])
    scope = scope_get(actor(world.users["admin_a"]), kind="school", scope_id=world.a.pk)
    a = report_facts(scope=scope, period=PERIOD, today=TODAY).afterschool
    assert a is not None
    held = Session.objects.filter(program=program, date__range=(START, END))
    taken = held.filter(id__in=AttendanceMark.objects.values("session_id"))
    # Recounted: 3(1)'s two segments on Monday and on Wednesday (张小一 stays for both);
    # 3(2)'s session is held but expects no one.
    assert held.count() == 5 and taken.count() == 1
    needed = [s for s in held if attendance.expected(s)]
    assert len(needed) == 4 and held.get(school_class=world.c32) not in needed
    assert (a.service_days, a.days_marked, a.sessions, a.sessions_marked) == (
        len(school_days(START, END)),
        1,
        4,
        1,
    )
    text = report_document(report_facts(scope=scope, period=PERIOD, today=TODAY)).text()
    assert (
        f"考勤记录覆盖统计时段内{len(school_days(START, END))}个课后服务日中的1个、4场服务中的1场"
    ) in text
