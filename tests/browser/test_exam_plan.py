"""The exam plan in Chromium: a paper exam for grade 2 is refused with the rule it breaks and
nothing is saved; a valid change to another grade's plan is approved."""

from __future__ import annotations

from qingfu.assessment.models import Exam
from qingfu.schools.models import Grade, RoleGrant, School, Subject

from .conftest import DESKTOP, PHONE, sign_in


def _school() -> School:
    grant = RoleGrant.objects.select_related("school").get(user__username="principal")
    assert grant.school is not None
    return grant.school


def test_principal_is_refused_a_grade_2_paper_exam_and_approves_another_grade(
    browser: object, demo_site: str, shoot: object
) -> None:
    school = _school()
    grade2 = Grade.objects.get(school=school, number=2)
    grade3 = Grade.objects.get(school=school, number=3)
    before = set(Exam.objects.filter(school=school).values_list("pk", flat=True))
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/assessment/plan/")
    page.wait_for_selector("h1:has-text('考试安排')")
    shoot(page, "exam-plan-phone")
    math = Subject.objects.get(school=school, code="math")
    page.select_option("#grade_id", str(grade2.pk))
    page.select_option("#subject_id", str(math.pk))
    page.select_option("#kind", "final")
    page.fill("#date", "2027-01-12")
    page.fill("#duration_minutes", "40")
    assert page.is_checked("input[name=is_paper]")
    page.click("#add-exam button:has-text('加入')")
    alert = page.locator("#add-exam .alert.bad")
    alert.wait_for()
    text = alert.inner_text()
    assert "一、二年级不进行纸笔考试" in text
    assert (
        "“一、二年级不进行纸笔考试”的规定" in text
        and "exam.g1-2" not in text
        and "《关于加强义务教育学校考试管理的通知》（2021）" in text
    )
    # What was typed is still there, to correct rather than retype.
    assert page.input_value("#grade_id") == str(grade2.pk)
    assert page.input_value("#date") == "2027-01-12"
    shoot(page, "exam-plan-refused-phone")
    assert set(Exam.objects.filter(school=school).values_list("pk", flat=True)) == before

    # Grade 3 gets a non-paper science assessment; its changed plan must be approved again.
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    page.goto(f"{demo_site}/assessment/plan/")
    subject = next(
        s for s in Subject.objects.filter(school=school, is_active=True)
        if s.is_taught_in(3) and not Exam.objects.filter(grade=grade3, subject=s).exists()
    )  # fmt: skip
    page.select_option("#grade_id", str(grade3.pk))
    page.select_option("#subject_id", str(subject.pk))
    page.fill("#date", "2027-01-13")
    page.uncheck("input[name=is_paper]")
    page.click("#add-exam button:has-text('加入')")
    page.wait_for_selector("text=已加入考试安排")
    card = page.locator("section[data-grade='3']")
    assert "计划中" in card.inner_text()
    shoot(page, "exam-plan-desktop")
    card.locator("button:has-text('审定本年级安排')").click()
    page.wait_for_selector("text=该年级的考试安排已审定")
    assert "已审定" in page.locator("section[data-grade='3']").inner_text()
    assert set(Exam.objects.filter(grade=grade3).values_list("status", flat=True)) == {
        Exam.Status.APPROVED
    }
    assert not Exam.objects.filter(grade=grade2, is_paper=True).exists()
    shoot(page, "exam-plan-approved-desktop")
