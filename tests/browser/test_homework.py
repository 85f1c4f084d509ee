"""End to end in Chromium: a teacher composes homework and watches the class's day update
live; an over-cap day goes to the grade-group leader, who approves it; the family sees it."""

from __future__ import annotations

import pytest

from qingfu.homework.models import Assignment, LoadException

from .conftest import DEMO_DAY, DESKTOP, PHONE, nav_to, sign_in


def test_compose_live_check_and_exception(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "math32", PHONE)
    nav_to(page, "布置作业")
    page.wait_for_url("**/homework/new/")
    page.fill("#id_date", DEMO_DAY)
    page.fill("#id_items-0-content", "第三单元过关练习")
    page.fill("input[name=items-0-minutes]", "70")
    page.wait_for_selector("#load-check .day-check.violation")
    panel = page.inner_text("#load-check")
    assert "三年级(2)班" in panel and "超出规定" in panel and "依据" in panel
    shoot(page, "homework-compose-over-cap-phone")

    # Done during the after-school service instead: it no longer counts toward the cap.
    page.select_option("select[name=items-0-place]", "school")
    page.wait_for_selector("#load-check .day-check:not(.violation)")
    page.select_option("select[name=items-0-place]", "home")
    page.wait_for_selector("#load-check .day-check.violation")

    page.click("button:has-text('发布')")
    page.wait_for_selector("#id_exception_reason")
    assert "超出规定" in page.inner_text("#load-check")
    assert not Assignment.objects.filter(items__content="第三单元过关练习").exists()
    page.fill("#id_exception_reason", "单元复习，明日不布置书面作业")
    page.click("button:has-text('申请例外')")
    page.wait_for_selector("text=已提交例外申请")
    assert Assignment.objects.get(items__content="第三单元过关练习").status == "pending"
    page.context.close()

    leader = sign_in(browser, demo_site, "leader3", DESKTOP)
    leader.click("text=条作业超量例外申请等待您审批")
    leader.wait_for_url("**/homework/exceptions/")
    assert "单元复习，明日不布置书面作业" in leader.inner_text("main")
    shoot(leader, "homework-exceptions-desktop")
    # One request per class that would go over; the homework is published once all pass.
    requests = list(LoadException.objects.filter(status="pending"))
    assert len(requests) >= 1
    for request in requests:
        assert Assignment.objects.get(items__content="第三单元过关练习").status == "pending"
        leader.fill(f"#reason-{request.pk}", "同意，复习周")
        leader.click(f"form[action$='/{request.pk}/decide/'] button[value=grant]")
        leader.wait_for_selector("text=已记录审批意见")
    assert Assignment.objects.get(items__content="第三单元过关练习").status == "published"
    leader.context.close()


def test_desktop_compose_screenshot(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "math32", DESKTOP)
    page.goto(f"{demo_site}/homework/new/")
    page.fill("#id_date", DEMO_DAY)
    page.fill("#id_items-0-content", "练习册第 12 页 1-6 题")
    page.fill("input[name=items-0-minutes]", "15")
    page.wait_for_selector("#load-check .day-check")
    shoot(page, "homework-compose-desktop")


def _in_viewport(page: object, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(
        box
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_answer_to_publish_is_next_to_the_button_and_focused(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    """Over the cap, 发布 answers beside the button (in the sticky bar on a phone), with
    focus moved there and the exception request at hand; the bar shows 70 past the cap."""
    page = sign_in(browser, demo_site, "math32", viewport)
    page.goto(f"{demo_site}/homework/new/")
    page.fill("#id_date", DEMO_DAY)
    page.fill("#id_items-0-content", "第三单元过关练习")
    page.fill("input[name=items-0-minutes]", "70")
    page.wait_for_selector("#load-check .day-check.violation .meter .over")
    over = page.locator("#load-check .day-check.violation .meter .over").first.bounding_box()
    assert over and over["width"] > 0  # the part past the cap is drawn
    page.click("button:has-text('发布')")
    page.wait_for_selector("#publish-answer")
    answer = page.inner_text("#publish-answer")
    assert "未发布" in answer and "上限" in answer
    assert page.evaluate("document.activeElement && document.activeElement.id") == "publish-answer"
    assert _in_viewport(page, "#publish-answer")
    assert _in_viewport(page, "button[name=request_exception]")
    assert not Assignment.objects.filter(items__content="第三单元过关练习").exists()
    shoot(page, f"homework-publish-answer-{'phone' if viewport == PHONE else 'desktop'}")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_publish_that_succeeds_says_so_beside_the_button(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    """Published: the answer is in the submit bar beside 发布 (sticky on a phone), focused
    and in view, naming the classes, with a link to 我的作业 (it used to be a flash on
    我的作业, a page the teacher had not asked for)."""
    page = sign_in(browser, demo_site, "math32", viewport)
    page.goto(f"{demo_site}/homework/new/")
    page.fill("#id_date", DEMO_DAY)
    page.fill("#id_items-0-content", "口算十题")
    page.fill("input[name=items-0-minutes]", "5")
    page.wait_for_selector("#load-check .day-check")
    page.click("button:has-text('发布')")
    page.wait_for_selector("#publish-answer.published")
    assert "/homework/new/" in page.url
    answer = page.inner_text("#publish-answer")
    assignment = Assignment.objects.get(items__content="口算十题")
    assert assignment.status == "published"
    assert answer.startswith("作业已发布")
    for target in assignment.targets.select_related("school_class__grade"):
        assert target.school_class.name in answer
    assert page.evaluate("document.activeElement && document.activeElement.id") == "publish-answer"
    assert _in_viewport(page, "#publish-answer")
    # Beside the button: the answer and 发布 share the bar.
    bar = page.locator(".submit-bar").bounding_box()
    button = page.locator(".submit-bar > button.btn").bounding_box()
    box = page.locator("#publish-answer").bounding_box()
    assert bar and button and box
    assert bar["y"] <= box["y"] and box["y"] + box["height"] <= button["y"] + button["height"] + 1
    assert page.locator("ul.messages").count() == 0  # not a flash at the top as well
    shoot(page, f"homework-published-{'phone' if viewport == PHONE else 'desktop'}")
    page.get_by_role("link", name="查看我的作业").click()
    page.wait_for_url("**/homework/")
    assert "口算十题" in page.inner_text("main")
    page.context.close()
