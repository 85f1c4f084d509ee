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
from qingfu.afterschool.selectors import run_numbers
from qingfu.schools.models import Student

from .conftest import DEMO_DAY, DESKTOP, PHONE, nav_to, sign_in


def _demo_program(*, next_semester: bool = False) -> Program:
    programs = Program.objects.filter(school__students__user__username="student32").distinct()
    return programs.order_by("-semester__start" if next_semester else "semester__start")[0]


def test_admin_allocates_next_semester_on_a_phone_and_a_desktop(
    browser: object, demo_site: str, shoot: object
) -> None:
    current, upcoming = _demo_program(), _demo_program(next_semester=True)
    assert current.phase == Program.Phase.OPEN and upcoming.phase == Program.Phase.SIGNUP
    # On a phone: this semester's round is in late registration, so allocation is greyed out
    # with the reason beside it; next semester's program is in its choice phase.
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/afterschool/")
    run_button = page.locator("#allocation button:has-text('运行分配')")
    assert run_button.is_disabled()
    why = page.locator("#why-run")
    why.scroll_into_view_if_needed()
    assert "补报名已经开放" in why.inner_text()
    box, button_box = why.bounding_box(), run_button.bounding_box()
    assert box and button_box and box["x"] + box["width"] <= PHONE["width"] + 1
    assert abs(box["y"] - button_box["y"]) < 120  # beside the button, not elsewhere
    page.click(".semester-tabs >> text=下学期")
    page.wait_for_selector("#allocation")
    assert "报名与志愿填报" in page.inner_text("h1")
    page.fill("#seed", "2027春-演示")
    page.click("#allocation button:has-text('运行分配')")
    # The run's own page (a background job: done at once here, with no broker) says how
    # it went and leads back to next semester's program.
    page.wait_for_selector("#job-result:has-text('分配已运行')")
    assert "/afterschool/jobs/" in page.url
    shoot(page, "afterschool-allocation-job-phone")
    page.click("#job-next")
    page.wait_for_selector("#allocation")
    assert "semester=" in page.url
    shoot(page, "afterschool-allocation-phone")

    # On a desktop: run it again with the same seed; the page says the results agree.
    page = sign_in(browser, demo_site, "principal", DESKTOP)
    page.goto(f"{demo_site}/afterschool/?semester={upcoming.semester_id}")
    first = AllocationRun.objects.get(program=upcoming)
    page.locator(f"[data-run='{first.pk}'] button:has-text('用同一种子重新运行')").click()
    page.wait_for_selector("#job-result:has-text('分配已运行')")
    page.click("#job-next")
    page.wait_for_selector("#allocation")
    runs = list(AllocationRun.objects.filter(program=upcoming, seed="2027春-演示"))
    assert len(runs) == 2 and runs[0].seats == runs[1].seats and runs[0].seats
    newest = page.locator(f"[data-run='{runs[0].pk}']")
    newest.scroll_into_view_if_needed()
    number = run_numbers(upcoming.pk)[runs[1].pk]  # runs are numbered within their program
    assert f"与第 {number} 次结果一致" in newest.inner_text()
    assert newest.is_visible()
    shoot(page, "afterschool-admin-desktop")
    newest.locator("button:has-text('采用此结果')").click()
    page.wait_for_selector("text=已采用该分配结果")
    page.fill("#batch_minutes", "0")
    page.click("button:has-text('开放补报名')")
    page.wait_for_selector("text=补报名已开放")
    upcoming.refresh_from_db()
    assert upcoming.phase == Program.Phase.OPEN
    assert Seat.objects.filter(program=upcoming, status="enrolled").count() == len(runs[0].seats)
    current.refresh_from_db()
    assert current.phase == Program.Phase.OPEN  # this semester's round is untouched
    # The week's duty roster the demo generated, with each teacher's load and flexible days.
    nav_to(page, "值班排班")
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
    nav_to(page, "首页")
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
    nav_to(page, "课后服务考勤")
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


def test_the_roster_is_rerun_in_the_background_with_progress_on_a_phone(
    browser: object, demo_site: str, shoot: object, settings: object, monkeypatch: object
) -> None:
    from qingfu.afterschool import tasks
    from qingfu.afterschool.models import Job

    # A broker is configured: the request only queues the job, the test plays the worker.
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    sent: list[tuple[object, ...]] = []
    monkeypatch.setattr(
        "qingfu.afterschool.services.jobs.send_on_commit", lambda name, *args: sent.append(args)
    )
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/afterschool/roster/")
    page.click("button:has-text('重新排班')")
    page.wait_for_selector("#job .job-status:has-text('排队中')")
    job = Job.objects.get(kind="roster")
    assert sent == [(job.pk,)] and page.url.endswith(f"/afterschool/jobs/{job.pk}/")
    assert page.locator("#job-progress").is_visible()
    # A worker picks it up and reports progress: the page shows it without a reload.
    Job.objects.filter(pk=job.pk).update(status="running", progress=40, step="求解值班")
    page.wait_for_selector("#job-step:has-text('40%')")
    assert page.locator("#job-progress").get_attribute("value") == "40"
    shoot(page, "afterschool-roster-job-running-phone")
    Job.objects.filter(pk=job.pk).update(status="queued", progress=0, step="")
    assert tasks.run_job(job.pk) == "done"
    result = page.locator("#job-result")
    result.wait_for(timeout=15000)
    assert "排班已生成" in result.inner_text()
    box = result.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"]  # in view, where one looks
    assert page.evaluate("document.activeElement.id") == "job-result"
    shoot(page, "afterschool-roster-job-done-phone")
    page.click("#job-next")
    page.wait_for_selector("#teachers")
