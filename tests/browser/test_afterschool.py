"""After-school services in Chromium: the admin re-runs the allocation to the same result and
opens the open round; a guardian signs up on a phone and gets a club."""

from __future__ import annotations

from qingfu.afterschool.models import (
    AllocationRun,
    AttendanceMark,
    Program,
    Seat,
    Session,
    Signup,
)
from qingfu.schools.models import Student

from .conftest import DEMO_DAY, DESKTOP, PHONE, sign_in


def _demo_program() -> Program:
    return Program.objects.get(school__students__user__username="student32")


def test_admin_reruns_the_allocation_to_the_same_result_and_opens_the_round(
    browser: object, demo_site: str, shoot: object
) -> None:
    program = _demo_program()
    program.phase = Program.Phase.SIGNUP  # back to the end of the preference round
    program.save()
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    page.click("nav >> text=课后服务")
    page.wait_for_selector("#allocation")
    text = page.inner_text("main")
    assert "符合规定：130 分钟" in text and "社团" in text
    for _ in range(2):
        page.fill("#seed", "2026秋-复核")
        page.click("#allocation button:has-text('运行分配')")
        page.wait_for_selector("text=分配已运行")
    runs = list(AllocationRun.objects.filter(program=program, seed="2026秋-复核"))
    assert len(runs) == 2 and runs[0].seats == runs[1].seats
    newest = page.locator(f"[data-run='{runs[0].pk}']")
    assert f"与第 {runs[1].pk} 次结果一致" in newest.inner_text()
    shoot(page, "afterschool-admin-desktop")
    newest.locator("button:has-text('采用此结果')").click()
    page.wait_for_selector("text=已采用该分配结果")
    page.fill("#batch_minutes", "0")
    page.click("button:has-text('开放补报名')")
    page.wait_for_selector("text=补报名已开放")
    program.refresh_from_db()
    assert program.phase == Program.Phase.OPEN
    assert Seat.objects.filter(program=program, status="enrolled").count() == len(runs[0].seats)
    # The week's duty roster the demo generated, with each teacher's load and flexible days.
    page.click("nav >> text=值班排班")
    page.wait_for_selector("#teachers")
    assert "弹性上下班天数" in page.inner_text("#teachers")
    shoot(page, "afterschool-roster-desktop")


def test_guardian_signs_up_on_a_phone_and_gets_a_club(
    browser: object, demo_site: str, shoot: object
) -> None:
    child = Student.objects.get(user__username="student32")
    Signup.objects.filter(student=child).delete()
    Seat.objects.filter(student=child).delete()
    page = sign_in(browser, demo_site, "parent32", PHONE)
    page.click("text=报名、志愿与社团")
    page.wait_for_selector("#signup")
    page.check("#signup input[type=checkbox][required]")
    page.click("#signup button:has-text('确认')")
    page.wait_for_selector("text=已报名课后服务")
    assert Signup.objects.get(student=child).last_segment == 2
    shoot(page, "afterschool-guardian-signed-up-phone")
    page.locator("#open-round button:has-text('报名')").first.click()
    page.wait_for_selector(".alert.ok")
    message = page.inner_text(".messages")
    assert "已录取" in message or "候补" in message
    seat = Seat.objects.get(student=child)
    assert seat.status in ("enrolled", "waitlisted")
    shoot(page, "afterschool-guardian-club-phone")
    page.click("nav >> text=首页")
    assert seat.club.name in page.inner_text("main")


def test_duty_teacher_takes_attendance_on_a_phone(
    browser: object, demo_site: str, shoot: object, settings: object
) -> None:
    from qingfu.afterschool import attendance

    settings.QINGFU_CLOCK = "15:50"  # during the first segment (15:40-16:40)
    # A teacher the demo's roster puts on a first-segment care group today.
    session = next(
        s
        for s in Session.objects.filter(date=DEMO_DAY, segment__order=1, club__isnull=True)
        .select_related("duty_teacher__user", "segment", "program")
        .order_by("id")
        if s.duty_teacher and s.duty_teacher.user and attendance.expected(s)
    )
    page = sign_in(browser, demo_site, session.duty_teacher.user.username, PHONE)
    page.click("nav >> text=课后服务考勤")
    page.wait_for_selector("h1:has-text('课后服务考勤')")
    form = page.locator(f"section[data-session='{session.pk}'] form").first
    form.locator("input[value=absent]").first.check()
    shoot(page, "afterschool-duty-phone")
    form.locator("button:has-text('提交考勤')").click()
    page.wait_for_selector("text=1 人缺勤")
    absent = AttendanceMark.objects.get(status="absent", session=session)
    assert absent.marked_by_id == session.duty_teacher.user_id
    # The head teacher of that class sees the absence on their home page.
    head = absent.student.school_class.head_teacher
    page = sign_in(browser, demo_site, head.user.username, PHONE)
    assert absent.student.name in page.inner_text("#afterschool-absences")
