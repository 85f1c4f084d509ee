"""Off-campus training in a phone's browser: a parent opens an institution's public page as
its door's QR code does and sees it is registered; an institution's clerk files a Saturday
academic session and is refused with the rule and its document."""

from __future__ import annotations

from qingfu.training.models import Institution, Session

from .conftest import PHONE, sign_in


def test_a_parent_checks_an_institution_by_its_qr_url(
    browser: object, demo_site: str, shoot: object
) -> None:
    institution = Institution.objects.select_related("unit").get(unit__name="青禾启明学科培训中心")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # nobody signed in
    page = context.new_page()
    page.goto(f"{demo_site}/training/i/{institution.pk}/")
    text = page.inner_text("body")
    assert institution.unit.name in text
    assert page.locator(".big-status .status-badge").inner_text() == "在册"
    assert "持证培训人员" in text and "已备案课程与收费" in text
    # The QR code on the page encodes the page itself: the URL the parent scanned.
    assert page.locator(".door-qr svg").count() == 1
    assert f"/training/i/{institution.pk}/" in page.inner_text(".door-qr")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shoot(page, "training-institution-phone")

    page.goto(f"{demo_site}/training/?q=青禾")
    assert page.locator(".inst-list li").count() >= 20
    shoot(page, "training-lookup-phone")
    context.close()


def test_a_clerk_is_refused_a_saturday_academic_session(
    browser: object, demo_site: str, shoot: object
) -> None:
    before = Session.objects.count()
    page = sign_in(browser, demo_site, "inst1", PHONE)
    page.goto(f"{demo_site}/training/mine/")
    form = page.locator("#file-session form")
    form.locator("select[name=weekday]").select_option("5")
    form.locator("input[name=start]").fill("09:00")
    form.locator("input[name=end]").fill("10:40")
    form.locator("select[name=mode]").select_option("offline")
    form.locator("input[name=lessons]").fill("2")
    form.locator("input[name=break_minutes]").fill("10")
    form.locator("input[name=term_first]").fill("2026-11-28")
    form.locator("input[name=term_last]").fill("2026-12-26")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    refusal = page.locator("#file-session .refusals").inner_text()
    assert "trn.no-holiday" in refusal and "周六" in refusal and "2021" in refusal
    assert Session.objects.count() == before
    page.locator("#file-session").scroll_into_view_if_needed()
    shoot(page, "training-refused-phone")


def test_a_complaint_is_filed_followed_and_closed(
    browser: object, demo_site: str, shoot: object
) -> None:
    from .conftest import DESKTOP

    institution = Institution.objects.select_related("unit").get(unit__name="青禾博思学科辅导中心")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")  # a parent, not signed in
    page = context.new_page()
    page.goto(f"{demo_site}/training/i/{institution.pk}/")
    page.click("text=投诉举报该机构")
    page.fill("#id_what_happened", "国庆假期三天上午都在上数学新课，还要求一次交一学期费用。")
    page.fill("#id_contact", "13900001234")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    reference = page.locator(".ref-box").inner_text().strip()
    assert reference.startswith("TS") and "受理" in page.inner_text("body")
    follow_url = page.url
    shoot(page, "training-complaint-follow-phone")

    officer = sign_in(browser, demo_site, "training", DESKTOP)
    officer.goto(f"{demo_site}/training/complaints/")
    assert officer.locator("tr.overdue").count() >= 1  # the demo's overdue ones stand out
    shoot(officer, "training-complaints-desktop")
    officer.click(f"text={reference}")
    assert "13900001234" in officer.inner_text("body")
    for status, note in (("verifying", "已现场核查"), ("closed", "机构已停课整改并退费")):
        officer.select_option("#id_status", status)
        officer.fill("#id_note", note)
        officer.click("form.stack button[type=submit]")
        officer.wait_for_load_state("networkidle")
    assert "办结" in officer.inner_text("h1")

    page.goto(follow_url)
    text = page.inner_text("body")
    assert "办结" in text and "机构已停课整改并退费" in text and "13900001234" not in text
    shoot(page, "training-complaint-closed-phone")
    context.close()
