"""Exam results in Chromium: a teacher enters a class on one screen; the guardian sees bands."""

from __future__ import annotations

import datetime as dt

from qingfu.assessment.models import Exam, Result
from qingfu.schools.models import Student

from .conftest import DEMO_DAY, PHONE, nav_to, sign_in


def test_teacher_enters_results_and_the_guardian_sees_bands(
    browser: object, demo_site: str, shoot: object
) -> None:
    child = Student.objects.get(user__username="student32")
    exam = Exam.objects.get(grade=child.school_class.grade, subject__code="math", kind="final")
    Exam.objects.filter(pk=exam.pk).update(date=dt.date.fromisoformat(DEMO_DAY))
    page = sign_in(browser, demo_site, "math32", PHONE)
    nav_to(page, "成绩录入")
    page.click(f"a[href='/assessment/exam/{exam.pk}/class/{child.school_class_id}/']")
    page.wait_for_selector("ul.results")
    page.fill(f"input[name='score-{child.pk}']", "120")  # out of range: nothing saved
    # The browser refuses it first (max=100); switch that off to see the server refuse it too.
    page.eval_on_selector("form.card", "form => { form.noValidate = true; }")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".alert.bad")
    assert "超出 0–100 分" in page.inner_text(".alert.bad")
    assert not Result.objects.filter(exam=exam).exists()
    scores = page.locator("input.score")
    for k in range(scores.count()):
        scores.nth(k).fill(str(60 + (k * 7) % 40))
    page.fill(f"input[name='score-{child.pk}']", "93")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=已保存，按等级记录")
    assert Result.objects.get(exam=exam, student=child).band == "优秀"
    shoot(page, "results-entry-phone")
    page = sign_in(browser, demo_site, "parent32", PHONE)
    page.click("text=考试等级")
    page.wait_for_selector("h1:has-text('考试等级')")
    text = page.inner_text("main")
    assert "数学 期末考试" in text and "优秀" in text
    assert "93" not in text  # the score was never kept
    shoot(page, "results-guardian-phone")


def test_teacher_marks_by_ability_element_and_the_chart_and_notebook_follow(
    browser: object, demo_site: str, shoot: object
) -> None:
    from django.contrib.auth.models import User

    from qingfu.assessment.models import NotebookEntry
    from qingfu.homework.data import HomeworkDraft, ItemDraft
    from qingfu.homework.services import homework_publish
    from qingfu.schools.actors import actor_for
    from qingfu.schools.models import Subject

    child = Student.objects.get(user__username="student32")
    math = Subject.objects.get(school_id=child.school_id, code="math")
    day = dt.date.fromisoformat(DEMO_DAY)
    item = ItemDraft(  # done in the after-school homework help, so it adds nothing at home
        content="课堂练习第 3 题", kind="written", tier="basic", minutes=10, place="school",
        ability_elements=("计算", "思维"),
    )  # fmt: skip
    homework = homework_publish(
        actor=actor_for(User.objects.get(username="math32")),
        draft=HomeworkDraft(math.pk, (child.school_class_id,), day, day, (item,)),
    )
    page = sign_in(browser, demo_site, "math32", PHONE)
    nav_to(page, "成绩录入")
    page.click(f"a[href='/assessment/marks/{homework.pk}/{child.school_class_id}/']")
    row = page.locator(f"section.mark-row[data-student='{child.pk}']")
    row.wait_for()
    line = row.locator(".mark-line").first
    line.locator("input[value=miss]").check()
    line.locator("select").select_option("careless")
    shoot(page, "marks-phone")
    page.click("button:has-text('保存批改')")
    page.wait_for_selector("table.heatmap")
    assert "已保存" in page.inner_text(".messages")
    shoot(page, "class-chart-phone")
    entry = NotebookEntry.objects.filter(student=child, reason="careless").latest("created_at")
    page = sign_in(browser, demo_site, "parent32", PHONE)
    page.click("text=错题本")
    page.wait_for_selector("h1:has-text('错题本')")
    assert entry.element in page.inner_text("main")
    page.locator("button:has-text('已重做')").first.click()
    page.wait_for_selector("text=已标记为重做")
    assert NotebookEntry.objects.filter(student=child, redone_at__isnull=False).exists()
