"""End to end in Chromium (issue 20): the head teacher opens the class list; the parent, on
a phone, follows the home page's link and sees that look (role and school), downloads the
copy and asks for erasure; the principal finds the request and the look in the audit."""

from __future__ import annotations

from qingfu.core.models import ErasureRequest

from .conftest import DESKTOP, PHONE, nav_to, sign_in


def test_a_parent_sees_who_looked_and_asks_for_erasure(
    browser: object, demo_site: str, shoot: object
) -> None:
    head = sign_in(browser, demo_site, "head32", DESKTOP)
    head.click("main h3 a >> nth=0")
    head.wait_for_url("**/classes/*/")
    head.context.close()

    page = sign_in(browser, demo_site, "parent32", PHONE)
    page.click("text=谁查看了孩子的信息 >> nth=0")
    page.wait_for_url("**/privacy/child/*/")
    body = page.inner_text("main")
    assert "班主任" in body and "班级名单" in body, body[:500]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    shoot(page, "privacy-child-phone")
    with page.expect_download() as download:
        page.click("text=下载（JSON，便于机器读取）")
    assert download.value.suggested_filename.endswith(".json")
    page.fill("input[name=reason]", "转学")
    page.click("text=申请删除孩子的个人信息")
    page.wait_for_selector("text=删除申请已提交")
    assert ErasureRequest.objects.filter(status="pending").count() == 1
    page.context.close()

    admin = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(admin, "访问审计")
    admin.wait_for_url("**/audit/")
    admin.fill("input[name=person]", "head32")
    admin.click("text=筛选")
    assert "head32" in admin.inner_text("main")
    admin.click("text=个人信息删除申请")
    admin.wait_for_selector("text=转学")
    shoot(admin, "privacy-erasures-desktop")
    admin.context.close()
