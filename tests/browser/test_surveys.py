"""The burden survey in Chromium: a guardian answers on a phone, the principal closes the
survey and reads the results; screenshots of both pages at phone and desktop sizes."""

from __future__ import annotations

from qingfu.surveys.models import Invitation, Response, Survey

from .conftest import DESKTOP, PHONE, nav_to, sign_in


def test_a_guardian_answers_on_a_phone_and_the_principal_closes_and_reads_results(
    browser: object, demo_site: str, shoot: object
) -> None:
    survey = Survey.objects.get(status=Survey.Status.OPEN)
    invitation = Invitation.objects.get(survey=survey, user__username="parent32")
    before = Response.objects.filter(survey=survey, audience="guardian").count()

    page = sign_in(browser, demo_site, "parent32", PHONE)
    card = page.locator("section[data-role] h2:has-text('课业负担调查')")
    assert card.count() == 1
    page.click("a:has-text('填写问卷')")
    page.wait_for_selector("form.survey-form")
    assert "匿名填写" in page.inner_text("main")
    shoot(page, "survey-answer-phone")
    # Forgetting one question: the page says which, and nothing is stored.
    page.click("#q-hw_minutes label:has-text('31–60 分钟')")
    page.click("#q-bedtime label:has-text('21:00–21:30')")
    page.click("#q-sleep_hours label:has-text('9–10 小时')")
    page.click("#q-hw_amount label:has-text('合适')")
    page.click("#q-after_school label:has-text('参加')")
    page.click("button:has-text('提交问卷')")
    page.wait_for_selector(".alert.bad")
    errors = page.inner_text(".alert.bad")
    assert "您觉得孩子的学习压力有多大" in errors and "课后服务满意" in errors
    assert Response.objects.filter(survey=survey, audience="guardian").count() == before
    assert page.is_checked("#q-hw_minutes input[value='31-60']")  # answers kept
    page.click("#q-stress .scale label:has-text('2')")
    page.click("#q-after_school_satisfaction .scale label:has-text('4')")
    page.fill("textarea[name=suggestions]", "希望周末作业再少一些。")
    page.click("button:has-text('提交问卷')")
    page.wait_for_selector("h1:has-text('已提交，谢谢您')")
    shoot(page, "survey-thanks-phone")
    invitation.refresh_from_db()
    assert invitation.is_used
    assert Response.objects.filter(survey=survey, audience="guardian").count() == before + 1
    page.goto(f"{demo_site}/")
    assert page.locator("a:has-text('填写问卷')").count() == 0

    student = sign_in(browser, demo_site, "student32", DESKTOP)
    student.click("a:has-text('填写问卷')")
    student.wait_for_selector("form.survey-form")
    shoot(student, "survey-answer-desktop")

    admin = sign_in(browser, demo_site, "principal", DESKTOP)
    nav_to(admin, "课业负担调查")
    row = admin.locator(f"li[data-survey='{survey.pk}']")
    row.locator("button:has-text('结束调查')").click()
    admin.wait_for_selector("text=已结束。")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    admin.locator(f"li[data-survey='{survey.pk}'] a:has-text('查看结果')").click()
    admin.wait_for_selector("h2:has-text('回收情况')")
    text = admin.inner_text("main")
    assert "人数不足，不显示" in text  # one guardian: no distribution for that group
    assert "希望周末作业再少一些" not in text  # nor the comment
    shoot(admin, "survey-results-open-desktop")

    closed = Survey.objects.exclude(pk=survey.pk).get()
    admin.goto(f"{demo_site}/surveys/{closed.pk}/results/")
    admin.wait_for_selector("h2:has-text('回收情况')")
    assert "超过上限" in admin.inner_text("main")
    shoot(admin, "survey-results-desktop")
    phone = sign_in(browser, demo_site, "principal", PHONE)
    phone.goto(f"{demo_site}/surveys/{closed.pk}/results/")
    phone.wait_for_selector("h2:has-text('回收情况')")
    shoot(phone, "survey-results-phone")
    district = sign_in(browser, demo_site, "district", DESKTOP)
    district.goto(f"{demo_site}/surveys/{closed.pk}/results/")
    assert "全区合计" in district.inner_text("nav.tabs")
    shoot(district, "survey-results-district-desktop")
