"""Off-campus training in a phone's and an office laptop's browser: a parent opens an
institution's public page as its door's QR code does and sees it is registered; an
institution's clerk files a Saturday academic session and is refused with the rule and its
document; the officer imports the registry (a bad file refused whole, row by row) and
inspects an institution, whose clerk answers the notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from qingfu.training.models import Institution, PrepaidCharge, Session

from .conftest import PHONE, WIDE, sign_in

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


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
    assert "节假日不组织学科类培训" in refusal and "周六" in refusal and "2021" in refusal
    assert Session.objects.count() == before
    page.locator("#file-session").scroll_into_view_if_needed()
    shoot(page, "training-refused-phone")

    # A prepaid charge covering 4 months: refused with the rule and its notice, nothing kept.
    charges = PrepaidCharge.objects.count()
    form = page.locator("#file-charge form")
    form.locator("input[name=student_label]").fill("QM-2026-77")
    form.locator("input[name=amount]").fill("4800")
    form.locator("input[name=lesson_hours]").fill("48")
    form.locator("input[name=months]").fill("4")
    form.locator("input[name=paid_on]").fill("2026-11-20")
    form.locator("input[name=into_supervised_account]").check()
    form.locator("input[name=account_bank]").fill("江南银行")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    refusal = page.locator("#file-charge .refusals").inner_text()
    assert "预收费覆盖月数" in refusal and "预收费监管工作的通知" in refusal
    assert "监管账户" not in refusal  # the one rule it breaks
    assert "trn." not in page.inner_text("body")
    assert page.locator("#file-charge input[name=months]").input_value() == "4"
    assert PrepaidCharge.objects.count() == charges
    page.locator("#file-charge").scroll_into_view_if_needed()
    shoot(page, "training-charge-refused-phone")


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


def _in_viewport(page: object, selector: str) -> bool:
    """The element's top is on screen and it fits the screen's width (a tall table may
    run below the fold; its start must be where the eye lands)."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return bool(
        box
        and 0 <= box["y"] < size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"] + 1
    )


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "desktop"])
def test_the_officer_imports_the_registry_bad_file_first(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    """A file with bad rows is refused whole, each row named where the officer is looking;
    the corrected file is imported and the count shows."""
    kind = "phone" if viewport is PHONE else "desktop"
    before = Institution.objects.count()
    page = sign_in(browser, demo_site, "training", viewport)
    page.goto(f"{demo_site}/training/registry/")
    page.click("a[href$='/training/registry/import/']")
    page.wait_for_load_state("domcontentloaded")
    assert "导入机构名录" in page.inner_text("h1")
    assert "统一社会信用代码" in page.inner_text("body")  # the header it expects
    page.set_input_files("input[type=file]", str(SAMPLES / "training_registry_sample_bad.xlsx"))
    upload = "form[enctype='multipart/form-data'] button[type=submit]"
    page.click(upload)
    page.wait_for_load_state("domcontentloaded")
    alert = page.locator("#import-result .alert.bad")
    assert "未导入任何数据" in alert.inner_text()
    rows = page.locator("table.row-errors tbody tr")
    assert rows.count() >= 3
    text = page.inner_text("table.row-errors")
    assert "第 4 行" in text and "第 7 行" in text and "第 9 行" in text
    assert Institution.objects.count() == before
    assert _in_viewport(page, "#import-result .alert.bad")
    assert _in_viewport(page, "table.row-errors tbody tr")  # the first bad row, at once
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"training-import-refused-{kind}")

    page.set_input_files("input[type=file]", str(SAMPLES / "training_registry_sample.xlsx"))
    page.click(upload)
    page.wait_for_load_state("domcontentloaded")
    done = page.locator("#import-result .alert.ok")
    assert "导入成功" in done.inner_text() and "12" in done.inner_text()
    assert _in_viewport(page, "#import-result .alert.ok")
    assert Institution.objects.count() == before + 12
    shoot(page, f"training-import-done-{kind}")


def test_an_institution_is_inspected_noticed_and_answers(
    browser: object, demo_site: str, shoot: object
) -> None:
    """The officer (an office laptop) starts a visit, records findings and issues a notice;
    the institution's clerk (a phone) sees it and answers; the officer has it to review."""
    name = "青禾博思学科辅导中心"  # no demo visit: the fifth academic institution (inst5)
    institution = Institution.objects.select_related("unit").get(unit__name=name)
    officer = sign_in(browser, demo_site, "training", WIDE)
    officer.goto(f"{demo_site}/inspections/institutions/")
    # The demo's own: one overdue notice stands out, the closed one is listed.
    overdue = officer.locator("[data-section=overdue]")
    assert "关于严格执行备案课表的整改通知" in overdue.inner_text()
    assert _in_viewport(officer, "[data-section=overdue]")
    shoot(officer, "training-inspections-desktop")
    _search_to_visit(officer, "博思")
    officer.locator(f"form[data-institution='{institution.pk}'] button[type=submit]").click()
    officer.wait_for_url("**/institution-visit/**")
    assert name in officer.inner_text("h1")
    assert _in_viewport(officer, ".check-item .evidence")
    prepaid = officer.locator(".check-item[data-area=trn-prepaid]")
    assert "预收费" in prepaid.locator(".evidence").inner_text()
    for item in officer.locator(".check-item").all():
        area = item.get_attribute("data-area")
        mark = "fails" if area == "trn-prepaid" else "conforms"
        item.locator(f"fieldset.marks label.{mark}").click()
    prepaid.locator("input.note").fill("抽查收费凭证 4 份，均未注明课时数和退费办法。")
    shoot(officer, "training-visit-checklist-desktop")
    officer.click("button[name=action][value=complete]")
    officer.wait_for_load_state("domcontentloaded")
    assert "检查已完成" in officer.inner_text("body")
    officer.locator(".check-item[data-area=trn-prepaid] a.btn").click()
    officer.wait_for_url("**/notice/**")
    assert "预收费" in officer.input_value("#title")
    assert "均未注明课时数" in officer.input_value("#problem")
    assert _in_viewport(officer, "#title")
    shoot(officer, "training-notice-new-desktop")
    officer.click("main form.card button[type=submit]")
    officer.wait_for_url("**/institution-notice/**")
    assert "整改通知已下发" in officer.inner_text("body")
    notice_url = officer.url
    title = officer.inner_text("h1")

    clerk = sign_in(browser, demo_site, "inst5", PHONE)
    clerk.goto(f"{demo_site}/inspections/institutions/")
    notices = clerk.locator("[data-section=notices]")
    assert title in notices.inner_text()
    assert "开始检查" not in clerk.inner_text("main")  # the officer's tools are not theirs
    assert _in_viewport(clerk, "[data-section=notices]")
    shoot(clerk, "training-institution-notices-phone")
    notices.get_by_text(title).click()
    clerk.wait_for_load_state("domcontentloaded")
    assert "均未注明课时数" in clerk.inner_text("[data-section=notice]")
    clerk.fill("#measures", "已重新印制收费凭证，注明课时数、单价和退费办法。")
    clerk.click("form[data-form=respond] button[type=submit]")
    clerk.wait_for_load_state("domcontentloaded")
    assert "已回复，等待复核" in clerk.inner_text("body")
    assert "机构回复" in clerk.inner_text("[data-section=history]")
    assert clerk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shoot(clerk, "training-notice-answered-phone")

    officer.goto(f"{demo_site}/inspections/institutions/")
    assert title in officer.inner_text("[data-section=to-review]")
    officer.goto(notice_url)
    assert "已重新印制收费凭证" in officer.inner_text("[data-section=history]")
    assert officer.locator("form[data-form=review]").is_visible()


def _search_to_visit(page: object, words: str) -> None:
    """Type into the 开始检查 search and wait for the results HTMX swaps in."""
    page.fill("#visit-q", words)
    with page.expect_response(lambda r: "/inspections/institutions/?q=" in r.url):
        page.click("form.visit-search button[type=submit]")
    # The swap lands after the response: wait for the results of these words, not the last ones.
    page.wait_for_selector(f'#visit-results[data-query="{words}"] [data-institution]')


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_officer_finds_the_institution_to_visit_by_search(
    browser: object, demo_site: str, shoot: object, size: str
) -> None:
    """No row per institution: the 开始检查 card holds a search; a name's few characters or
    a credit code's beginning bring a short list, each row with its own start button."""
    viewport = PHONE if size == "phone" else WIDE
    page = sign_in(browser, demo_site, "training", viewport)
    page.goto(f"{demo_site}/inspections/institutions/")
    section = page.locator("[data-section=institutions]")
    assert section.locator("[data-institution]").count() == 0
    assert section.locator("#visit-q").is_visible()
    _search_to_visit(page, "青禾")
    shown = section.locator("[data-institution]").count()
    matching = (
        Institution.objects.filter(unit__name__contains="青禾")
        .exclude(status=Institution.Status.DEREGISTERED)
        .count()
    )
    assert shown == min(matching, 20)
    if matching > 20:
        assert f"共 {matching} 家" in section.inner_text()
    assert "?q=" in page.url  # the search is in the address: back and reload keep it
    target = Institution.objects.select_related("unit").get(unit__name="青禾博思学科辅导中心")
    _search_to_visit(page, target.credit_code)
    rows = section.locator("[data-institution]")
    assert rows.count() == 1 and target.unit.name in rows.inner_text()
    assert rows.locator("button[type=submit]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"training-visit-search-{size}")
    # Without script (a plain GET form) the same search answers a whole page.
    page.goto(f"{demo_site}/inspections/institutions/?q=博思")
    assert section.locator(f"[data-institution='{target.pk}']").count() == 1
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_trainers_are_corrected_and_removed(
    browser: object, demo_site: str, shoot: object, size: str
) -> None:
    """The institution's clerk on a phone (or the officer on a laptop, on the registry's
    page): open a trainer, correct the certificate number, then take another off the list."""
    institution = Institution.objects.select_related("unit").get(unit__name="青禾启明学科培训中心")
    viewport = PHONE if size == "phone" else WIDE
    who, path = (
        ("inst1", "/training/mine/")
        if size == "phone"
        else ("training", f"/training/registry/{institution.pk}/")
    )
    first, second = list(institution.trainers.order_by("pk"))[:2]
    page = sign_in(browser, demo_site, who, viewport)
    page.goto(f"{demo_site}{path}")
    row = page.locator(f"li[data-trainer='{first.pk}']")
    row.locator("summary").click()
    row.locator("input[name=certificate_number]").fill("")
    row.locator("form.trainer-edit button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    row = page.locator(f"li[data-trainer='{first.pk}']")
    if first.teaches_academic:  # an academic trainer without a certificate is refused
        assert "学科类培训人员持教师资格证" in row.locator(".errorlist").inner_text()
        assert row.locator("details").get_attribute("open") is not None
        shoot(page, f"training-trainer-refused-{size}")
    row.locator("input[name=certificate_number]").fill("20263100777")
    row.locator("form.trainer-edit button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "培训人员信息已更新" in page.inner_text("body")
    first.refresh_from_db()
    assert first.certificate_number == "20263100777"
    row = page.locator(f"li[data-trainer='{second.pk}']")
    row.locator("summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"training-trainer-open-{size}")
    row.locator("form.trainer-remove button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    assert "移出培训人员名单" in page.inner_text("body")
    assert page.locator(f"li[data-trainer='{second.pk}']").count() == 0
    assert not institution.trainers.filter(pk=second.pk).exists()
    shoot(page, f"training-trainer-removed-{size}")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "desktop"])
def test_the_officer_generates_the_district_report_section(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    """The training officer previews the 加强校外培训治理 section for this semester and takes
    it as Word; its figures are the records' (the tests of the report recount them)."""
    page = sign_in(browser, demo_site, "training", viewport)
    page.goto(f"{demo_site}/reports/training/")
    page.locator("#training-report-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    body = page.inner_text("body")
    assert "校外培训治理工作情况" in body and "投诉举报" in body
    # The demo's institutions filed courses, sessions and charges this semester.
    assert "备案课程0门" not in body and "预收费0笔" not in body
    assert page.locator("#download-docx").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"training-report-{'phone' if viewport is PHONE else 'desktop'}")
    with page.expect_download() as download:
        page.click("#download-docx")
    assert download.value.suggested_filename.endswith(".docx")
    assert download.value.path().stat().st_size > 5000
