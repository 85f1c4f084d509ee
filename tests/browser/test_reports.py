"""The work-summary report in Chromium: the principal previews this semester's report and
downloads it as a Word document that opens with the report's three parts."""

from __future__ import annotations

from pathlib import Path

from docx import Document as read_docx

from .conftest import DESKTOP, PHONE, nav_to, sign_in


def test_principal_previews_and_downloads_the_semester_report(
    browser: object, demo_site: str, shoot: object, tmp_path: Path
) -> None:
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(page, "报告与台账")
    page.check("input[name=preset][value=semester]")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#report-preview")
    preview = page.inner_text("#report-preview")
    for heading in ("一、主要做法与成效", "二、存在问题", "三、下一步打算"):
        assert heading in preview
    assert "落实“双减”工作总结" in preview and "达标率" in preview
    assert page.locator("#report-preview figure img").count() >= 2
    shoot(page, "reports-principal-desktop")

    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / "report.docx"
    download.save_as(str(path))
    paragraphs = [p.text for p in read_docx(str(path)).paragraphs]
    assert paragraphs[0].endswith("落实“双减”工作总结")
    assert "二、存在问题" in paragraphs and "三、下一步打算" in paragraphs

    with page.expect_download() as info:
        page.click("text=作业例外审批登记台账")
    assert info.value.suggested_filename.endswith(".xlsx")

    phone = sign_in(browser, demo_site, "principal", PHONE)
    phone.goto(f"{demo_site}/reports/?preset=month")
    phone.wait_for_selector("#report-preview")
    shoot(phone, "reports-principal-phone")
