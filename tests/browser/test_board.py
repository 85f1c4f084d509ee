"""The publicity board opens without sign-in, fits a phone, and prints on one A4 page."""

from __future__ import annotations

import datetime as dt
import re

from qingfu.homework import plans
from qingfu.schools.actors import actor_for
from qingfu.schools.models import GradeGroup, SchoolClass

from .conftest import ARTIFACTS, DEMO_DAY, PHONE


def test_board_public_and_one_a4_page(browser: object, demo_site: str, shoot: object) -> None:
    # The demo published this week's plan last Friday; the grade group plans next week.
    monday = dt.date.fromisoformat(DEMO_DAY) + dt.timedelta(days=7)
    group = GradeGroup.objects.select_related("leader__user", "cadre__user", "grade").get(
        grade__school__code="Q0001", grade__number=3
    )
    leader, cadre = actor_for(group.leader.user), actor_for(group.cadre.user)
    plan = plans.plan_open(actor=leader, grade_id=group.grade_id, week_start=monday)
    plans.plan_submit(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=leader, plan_id=plan.pk)
    plans.plan_approve(actor=cadre, plan_id=plan.pk)
    school_class = SchoolClass.objects.filter(grade_id=group.grade_id).order_by("number").last()

    context = browser.new_context(viewport=PHONE)  # nobody signed in
    page = context.new_page()
    page.goto(f"{demo_site}/board/{school_class.pk}/{monday}/")
    text = page.inner_text("body")
    assert school_class.name in text and "作业公示" in text and "实际布置" in text
    assert page.locator(".qr svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    shoot(page, "board-phone")
    pdf = ARTIFACTS / "board-a4.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == 1, pages
    context.close()
