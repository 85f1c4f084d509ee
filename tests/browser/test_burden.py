"""Grassroots burden in Chromium: a clerk drafts a meeting in the meeting-free week on a
phone and on a desktop and is refused with the rule and its source; with a reason it goes
to the leader; the campaign office's board draws its charts."""

from __future__ import annotations

from qingfu.burden.models import Demand
from qingfu.schools.models import Unit

from .conftest import DESKTOP, PHONE, nav_to, sign_in


def _draft_meeting(page: object, day: str, title: str) -> None:
    nav_to(page, "事项登记")
    page.wait_for_selector("h1:has-text('事项登记')")
    page.select_option("#kind", "meeting")
    page.fill("#title", title)
    page.fill("#day", day)
    page.check(f"input[name=receiver_units][value='{Unit.objects.get(code='T1').pk}']")
    page.check(f"input[name=receiver_units][value='{Unit.objects.get(code='T2').pk}']")
    page.fill("#staff_hours", "2")
    page.fill("#attendee_level", "分管负责人")
    page.click("button:has-text('检查并提交')")


def test_a_meeting_in_the_meeting_free_week_is_refused_with_its_source(
    browser: object, demo_site: str, shoot: object
) -> None:
    before = Demand.objects.exclude(status="draft").count()
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = sign_in(browser, demo_site, "clerk", viewport)
        _draft_meeting(page, "2026-12-03", f"民政工作推进会（{name}）")
        page.wait_for_selector("#refusal")
        text = page.inner_text("#refusal")
        assert "每月第一周无会周" in text and "gr." not in text  # the rule's title, not its id
        assert "依据" in text and "通知" in text
        shoot(page, f"burden-refused-{name}")
        assert Demand.objects.exclude(status="draft").count() == before
        page.context.close()

    # With a reason, the same draft goes to the leader instead.
    page = sign_in(browser, demo_site, "clerk", PHONE)
    _draft_meeting(page, "2026-12-03", "民政工作推进会")
    page.wait_for_selector("#refusal")
    page.fill("#exception_reason", "省厅12月2日紧急通知，须当周部署冬季救助")
    page.click("button:has-text('检查并提交')")
    page.wait_for_selector("text=已提交分管领导审核")
    assert Demand.objects.filter(title="民政工作推进会", status="pending_leader").exists()
    page.context.close()

    page = sign_in(browser, demo_site, "jianfu", DESKTOP)
    nav_to(page, "减负看板")
    page.wait_for_selector("[data-chart='0'][data-ready='1']")
    assert "县应急管理局" in page.inner_text("#issuers")
    shoot(page, "burden-board-desktop")
    page.context.close()


def test_unplanned_inspection_report_and_the_filled_form(
    browser: object, demo_site: str, shoot: object
) -> None:
    # The clerk's unplanned inspection waits for the leader, then the office.
    page = sign_in(browser, demo_site, "clerk", PHONE)
    nav_to(page, "事项登记")
    page.select_option("#kind", "inspection")
    page.fill("#title", "养老机构食品安全临时检查")
    page.fill("#day", "2026-12-15")
    page.check(f"input[name=receiver_units][value='{Unit.objects.get(code='T3').pk}']")
    page.fill("#staff_hours", "6")
    page.click("button:has-text('检查并提交')")
    # The office's own fire check reaches the same town that month: merge, suggested.
    page.wait_for_selector("#warnings")
    warnings = page.inner_text("#warnings")
    assert "同月督查检查合并进行" in warnings and "gr." not in warnings
    shoot(page, "burden-merge-suggested-phone")
    page.check("#warnings input[name=confirm]")
    page.click("button:has-text('检查并提交')")
    page.wait_for_selector("text=已提交分管领导审核")
    demand = Demand.objects.get(title="养老机构食品安全临时检查")
    page.context.close()

    page = sign_in(browser, demo_site, "leader", PHONE)
    nav_to(page, "减负审批")
    card = f"#demand-{demand.pk}"
    page.wait_for_selector(card)
    shoot(page, "burden-leader-queue-phone")
    page.fill(f"{card} input[name=reason]", "群众举报较多，确需检查")
    page.click(f"{card} button:has-text('同意')")
    page.wait_for_selector("text=待减负办审批")
    page.context.close()

    page = sign_in(browser, demo_site, "jianfu", DESKTOP)
    nav_to(page, "减负审批")
    page.wait_for_selector(card)
    # The office reads the rule's title and its document, never its id (gr.inspection-...).
    rule = page.locator(f"{card} .verdict .rule").first
    assert "同月督查检查合并进行" in rule.inner_text() and "《" in rule.inner_text()
    assert "gr." not in page.inner_text(card)
    page.click(f"{card} button:has-text('同意')")
    page.wait_for_selector("text=已下发")
    demand.refresh_from_db()
    assert demand.status == "sent"
    assert sorted(demand.approvals.values_list("role", flat=True)) == ["leader", "office"]
    page.context.close()

    # A community reports a demand that came through a chat group.
    page = sign_in(browser, demo_site, "village1", PHONE)
    nav_to(page, "收到的事项")
    page.select_option("#issuer", label="县卫健委")
    page.fill("#what", "微信群要求当晚上报老年人体检照片")
    page.select_option("#channel", "wechat")
    page.click("button:has-text('报告减负办')")
    page.wait_for_selector("text=已报告减负办")
    shoot(page, "burden-received-phone")
    nav_to(page, "工作群清理")
    page.wait_for_selector("#apps")
    shoot(page, "burden-apps-phone")
    page.context.close()

    # A school downloads the data request filled from its records.
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(page, "收到的事项")
    with page.expect_download() as info:
        page.click("text=下载一表通")
    import io

    import openpyxl

    with open(info.value.path(), "rb") as sheet:
        book = openpyxl.load_workbook(io.BytesIO(sheet.read()))
    values = {row[0].value: row[1].value for row in book.active.iter_rows(min_row=4)}
    assert isinstance(values["班级数"], int) and values["食堂从业人员数"] is None
    shoot(page, "burden-received-school-desktop")
    page.context.close()


def test_the_office_drills_down_and_writes_the_report(
    browser: object, demo_site: str, shoot: object
) -> None:
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = sign_in(browser, demo_site, "jianfu", viewport)
        page.goto(f"{demo_site}/burden/board/")
        page.click("#burden-index a >> nth=0")
        page.wait_for_selector("#receiver-demands")
        heading = page.inner_text("#receiver h2")
        assert "本月收到的事项" in heading
        assert page.locator("#receiver-demands tbody tr").count() >= 1
        shoot(page, f"burden-receiver-{name}")
        page.click("#burden-report")
        page.wait_for_selector("#report-preview")
        text = page.inner_text("#report-preview")
        assert "关于整治形式主义为基层减负工作开展情况的汇报" in text
        assert "二、存在的问题" in text and "三、下一步工作建议" in text
        assert page.locator("#report-preview img").count() >= 1
        with page.expect_download() as download:
            page.click("#download-docx")
        assert download.value.suggested_filename.endswith(".docx")
        shoot(page, f"burden-report-{name}")
        page.context.close()


def test_the_plan_the_lists_and_the_observation_points_have_their_pages(
    browser: object, demo_site: str, shoot: object
) -> None:
    """A clerk files an inspection on the year's plan through the navigation; the campaign
    office sees it on the county's plan, adds to the campus whitelist and chooses an
    observation point — on a phone and on a desktop."""
    from qingfu.burden.models import InspectionPlanEntry, ListEntry

    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        title = f"社区养老服务检查（{name}）"
        page = sign_in(browser, demo_site, "clerk", viewport)
        nav_to(page, "督查检查考核计划")
        page.wait_for_selector("#plan-form")
        page.fill("#plan-title", title)
        page.select_option("#plan-month", "12")
        page.click("#plan-form button[type=submit]")
        page.wait_for_selector(f"#plan li:has-text('{title}')")
        entry = InspectionPlanEntry.objects.get(title=title)
        assert (entry.month, entry.issuer.code) == (12, "MZJ")
        shoot(page, f"burden-plan-{name}")
        page.context.close()

        page = sign_in(browser, demo_site, "jianfu", viewport)
        nav_to(page, "督查检查考核计划")
        page.wait_for_selector(f"#county-plan td:has-text('{title}')")
        nav_to(page, "准入清单与白名单")
        page.wait_for_selector("#list-form")
        page.select_option("#list-kind", "campus_activity")
        page.fill("#list-name", f"防溺水安全教育（{name}）")
        page.click("#list-form button[type=submit]")
        page.wait_for_selector(f"text=防溺水安全教育（{name}）")
        assert ListEntry.objects.filter(
            kind="campus_activity", name=f"防溺水安全教育（{name}）"
        ).exists()
        assert "上限" in page.inner_text("#whitelist-verdict")
        shoot(page, f"burden-lists-{name}")
        nav_to(page, "减负观察点")
        page.wait_for_selector("#points-form")
        town = Unit.objects.get(code="T2")
        box = page.locator(f"input[name=units][value='{town.pk}']")
        box.set_checked(name == "phone")
        page.click("#points-form button[type=submit]")
        page.wait_for_selector("text=个减负观察点")
        town.refresh_from_db()
        assert town.is_observation_point is (name == "phone")
        shoot(page, f"burden-points-{name}")
        page.context.close()


LAPTOP = {"width": 1366, "height": 900}


def test_the_principal_names_handlers_and_the_teacher_sees_the_hours(
    browser: object, demo_site: str, shoot: object
) -> None:
    """The principal names who handles this month's data request on the receiver page; the
    teacher named finds their share of its hours on their home, beside after-school duty;
    the principal's home shows only the school's spread. On a phone and a laptop."""
    from qingfu.burden.models import DemandHandler
    from qingfu.schools.models import Teacher

    request = Demand.objects.get(kind="data_request", status="sent", day="2026-11-23")
    for name, viewport, who in (("phone", PHONE, "leader3"), ("desktop", LAPTOP, "head32")):
        teacher = Teacher.objects.get(user__username=who)
        page = sign_in(browser, demo_site, "principal", viewport)
        nav_to(page, "收到的事项")
        box = page.locator(f"#handlers-{request.pk}")
        box.locator("summary").click()
        for t in Teacher.objects.filter(user__username__in=("math32", who)):
            box.locator(f"input[name=teachers][value='{t.pk}']").check()
        for t in Teacher.objects.filter(user__username__in=("leader3", "head32")).exclude(
            pk=teacher.pk
        ):
            box.locator(f"input[name=teachers][value='{t.pk}']").uncheck()
        shoot(page, f"burden-handlers-{name}")
        box.locator("button:has-text('保存承办人')").click()
        page.wait_for_selector("text=承办人：")
        assert set(
            DemandHandler.objects.filter(demand=request).values_list(
                "teacher__user__username", flat=True
            )
        ) == {"math32", who}
        assert teacher.name in page.inner_text(f"#handlers-{request.pk}")
        page.goto(f"{demo_site}/")
        spread = page.locator("section:has-text('教师本周非教学工作时长')").last
        spread.wait_for()
        text = spread.inner_text()
        assert "中位数" in text and "最多" in text and teacher.name not in text
        shoot(page, f"burden-school-hours-{name}")
        page.context.close()

        page = sign_in(browser, demo_site, who, viewport)
        mine = page.locator(f"#my-demands li[data-demand='{request.pk}']")
        mine.wait_for()
        assert "县教育局" in mine.inner_text() and "2.0 小时" in mine.inner_text()
        figures = page.inner_text(".teacher-hours")
        assert "课后服务值守" in figures and "上级事项" in figures
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        shoot(page, f"burden-teacher-hours-{name}")
        page.context.close()
