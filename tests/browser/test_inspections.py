"""Inspections in Chromium: the inspector runs a visit on a phone and issues a notice, the
school admin answers it, the inspector closes it."""

from __future__ import annotations

from qingfu.inspections.models import ChecklistItem, Notice, Visit
from qingfu.schools.models import School

from .conftest import DESKTOP, PHONE, nav_to, sign_in


def test_inspector_visit_notice_answer_and_close(
    browser: object, demo_site: str, shoot: object
) -> None:
    school = School.objects.get(code="Q0001")
    page = sign_in(browser, demo_site, "inspector", PHONE)
    nav_to(page, "督导检查")
    page.wait_for_selector("h1:has-text('督导检查')")
    page.click(f"form[data-school='{school.pk}'] button:has-text('开始检查')")
    page.wait_for_selector("text=已生成检查清单")
    visit = Visit.objects.filter(school=school, status="draft").get()
    items = {i.area: i for i in ChecklistItem.objects.filter(visit=visit)}
    assert len(items) == 10
    evidence = page.inner_text(f"#item-{items['hw-cap'].pk} .evidence")
    assert "个班级日有作业记录" in evidence or "没有班级日作业记录" in evidence
    # Quick marks with a thumb: a failing mark without a note is refused, nothing saved.
    page.click(f"#item-{items['hw-cap'].pk} label.fails")
    for area in ("hw-content", "afterschool", "exam", "sleep"):
        page.click(f"#item-{items[area].pk} label.conforms")
    page.click(".sticky-save button:has-text('保存')")
    page.wait_for_selector(".alert.bad")
    assert "请写明问题" in page.inner_text(".alert.bad")
    assert ChecklistItem.objects.get(pk=items["hw-cap"].pk).mark == "unchecked"
    page.click(f"#item-{items['hw-cap'].pk} label.fails")
    page.fill(f"input[name='note-{items['hw-cap'].pk}']", "三年级10月有两天书面作业超过上限")
    page.click(".sticky-save button:has-text('保存')")
    page.wait_for_selector("text=已保存")
    page.click(f"#item-{items['hw-cap'].pk} summary")  # the rules behind the item
    # A full-page capture would paint the sticky save bar mid-page; show it where it ends.
    page.add_style_tag(content=".sticky-save { position: static !important; }")
    shoot(page, "inspection-checklist-phone")
    page.fill("#summary", "“双减”工作总体扎实，作业总量统筹需加强。")
    page.click("button:has-text('完成检查')")
    page.wait_for_selector("text=检查已完成")
    assert Visit.objects.get(pk=visit.pk).status == "completed"

    page.click(f"#item-{items['hw-cap'].pk} a:has-text('下发整改通知')")
    page.wait_for_selector("h1:has-text('下发整改通知')")
    assert "三年级10月有两天" in page.input_value("#problem")
    page.fill("#deadline", "2026-11-20")  # before today (2026-11-23): refused
    page.click("button:has-text('下发')")
    page.wait_for_selector(".alert.bad [data-field='deadline']")
    assert not Notice.objects.filter(visit=visit).exists()
    page.fill("#deadline", "2026-12-18")
    page.click("button:has-text('下发')")
    page.wait_for_selector("text=整改通知已下发")
    notice = Notice.objects.get(visit=visit)
    shoot(page, "inspection-notice-issued-phone")

    page = sign_in(browser, demo_site, "principal", PHONE)
    page.click(f"[data-role='school_admin'] a[href='/inspections/notice/{notice.pk}/']")
    page.fill("#measures", "已召开年级组长会，建立每周书面作业总量统筹表，超量须事先申请例外。")
    page.fill("#references", "11月第4周三年级周作业计划\n作业例外审批记录")
    page.click("button:has-text('提交回复')")
    page.wait_for_selector("text=已回复，等待责任督学复核")
    assert Notice.objects.get(pk=notice.pk).status == "responded"

    page = sign_in(browser, demo_site, "inspector", DESKTOP)
    page.goto(f"{demo_site}/inspections/notice/{notice.pk}/")
    page.fill("#comment", "已查看统筹表和例外审批记录，整改到位。")
    page.click("button:has-text('复核通过，销号')")
    page.wait_for_selector("text=整改已复核通过")
    assert Notice.objects.get(pk=notice.pk).status == "closed"
    history = page.inner_text("[data-section='history']")
    for step in ("下发", "学校回复", "复核通过，销号"):
        assert step in history
    shoot(page, "inspection-notice-desktop")
    page.goto(f"{demo_site}/inspections/visit/{visit.pk}/")
    page.click(f"#item-{items['hw-cap'].pk} summary")
    shoot(page, "inspection-checklist-desktop")

    # The district sees every notice, the demo's overdue one highlighted.
    page = sign_in(browser, demo_site, "district", PHONE)
    nav_to(page, "整改通知")
    page.wait_for_selector("li.overdue")
    assert "逾期" in page.inner_text("li.overdue")
    shoot(page, "inspection-notices-district-phone")
