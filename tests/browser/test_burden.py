"""Grassroots burden in Chromium: a clerk drafts a meeting in the meeting-free week on a
phone and on a desktop and is refused with the rule and its source; with a reason it goes
to the leader; the campaign office's board draws its charts."""

from __future__ import annotations

from qingfu.burden.models import Demand
from qingfu.schools.models import Unit

from .conftest import DESKTOP, PHONE, sign_in


def _draft_meeting(page: object, day: str, title: str) -> None:
    page.click("nav >> text=事项登记")
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
        assert "gr.meeting-free-week" in text
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
    page.click("nav >> text=减负看板")
    page.wait_for_selector("[data-chart='0'][data-ready='1']")
    assert "县应急管理局" in page.inner_text("#issuers")
    shoot(page, "burden-board-desktop")
    page.context.close()
