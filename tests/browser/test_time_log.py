"""A guardian logs tonight's homework time on a phone: two taps from the home page."""

from __future__ import annotations

from qingfu.homework.models import TimeLog

from .conftest import DEMO_DAY, PHONE, sign_in


def test_guardian_logs_in_two_taps(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "parent32", PHONE)
    text = page.inner_text("main")
    assert "今天的作业" in text
    if "记录今天的作业用时" not in text:  # not on today's sample panel: the page says so
        assert "无需记录" in text
        page.click("text=仍要记录")
    else:
        page.click("text=记录今天的作业用时")  # tap 1
    page.wait_for_selector("form.log-form")
    shoot(page, "time-log-phone")
    assert page.locator("input[type=number]").first.input_value() != ""  # prefilled
    assert page.input_value("#finished_at") != ""  # prefilled with the time now
    page.click("button.big")  # tap 2
    page.wait_for_selector("text=已记录，谢谢")
    log = TimeLog.objects.get(
        student__guardian_links__guardian__user__username="parent32", date=DEMO_DAY
    )
    assert log.entries.exists() and log.finished_at is not None
    shoot(page, "time-log-done-phone")
