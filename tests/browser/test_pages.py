"""End to end in Chromium: every demo role signs in and sees its home page; the roster
import shows row errors and imports nothing, then imports the clean file."""

from __future__ import annotations

from pathlib import Path

from qingfu.schools.models import Student

from .conftest import DESKTOP, PHONE, nav_to, sign_in

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

# username → text the home page must show for that role
HOMES = {
    "principal": "学校概况",
    "leader3": "三年级组",
    "head32": "我的班级",
    "math32": "我的任课",
    "student32": "我的今天",
    "parent32": "我的孩子",
    "district": "青禾区 学校概况",
    "inspector": "我督导的学校",
}


def test_every_role_lands_on_its_home(browser: object, demo_site: str, shoot: object) -> None:
    for username, heading in HOMES.items():
        for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page = sign_in(browser, demo_site, username, viewport)
            body = page.inner_text("main")
            assert heading in body, (username, body[:300])
            assert "今天" in body or username in ("district", "inspector", "leader3", "head32")
            # Nothing overflows sideways on a phone.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"] + 1, (username, label, width)
            shoot(page, f"home-{username}-{label}")
            page.context.close()


def test_wrong_password_is_explained(browser: object, demo_site: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    page.fill("#id_username", "principal")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("main")
    context.close()


def test_roster_import_bad_then_good(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(page, "名册导入")
    page.wait_for_url("**/roster/")
    before = Student.objects.count()
    page.set_input_files("input[type=file]", str(SAMPLES / "roster_sample_bad.xlsx"))
    page.click("text=上传并导入")
    page.wait_for_selector("table.row-errors")
    text = page.inner_text("#roster-result")
    assert "第 17 行" in text and "监护人电话" in text and "未导入任何数据" in text
    shoot(page, "roster-import-bad-desktop")
    assert Student.objects.count() == before

    page.set_input_files("input[type=file]", str(SAMPLES / "roster_sample.xlsx"))
    page.click("text=上传并导入")
    page.wait_for_selector(".alert.ok")
    assert "新增学生 42 人" in page.inner_text("#roster-result")
    shoot(page, "roster-import-ok-desktop")
    assert Student.objects.count() == before + 42


def test_english_can_be_chosen(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "parent32", PHONE)
    page.click("button[name=language][value=en]")
    page.wait_for_selector("text=My children")
    shoot(page, "home-parent32-phone-en")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("text=我的孩子")


def test_calendar_page_shows_national_day_and_makeup_days(
    browser: object, demo_site: str, shoot: object
) -> None:
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(page, "校历")
    page.wait_for_url("**/calendar/")
    page.wait_for_selector("td.holiday")
    assert page.locator("td.holiday[title*='国庆节']").count() == 7
    shoot(page, "calendar-desktop")
