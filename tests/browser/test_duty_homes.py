"""Homes that show the duty, in Chromium on a phone and a laptop: the principal's counts are
the records' (recomputed here), each a link; the district's and the inspector's table names
each school as a link to its dashboard, inside the screen."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.homework.models import LoadException
from qingfu.oversight.models import ClassDayRollup
from qingfu.schools.models import School

from .conftest import DEMO_DAY, PHONE, WIDE, sign_in


def _inside(page: object, locator: object, viewport: dict[str, int]) -> None:
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5, box


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "laptop"])
def test_homes_show_the_duty(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    size = "phone" if viewport is PHONE else "laptop"
    page = sign_in(browser, demo_site, "principal", viewport)
    card = page.locator("[data-duty=over_cap]")
    school_id = int(card.locator("a").get_attribute("href").split("/")[3])
    school = School.objects.get(pk=school_id)
    today = dt.date.fromisoformat(DEMO_DAY)
    over = ClassDayRollup.objects.filter(
        school=school, date=today, verdict=ClassDayRollup.Verdict.VIOLATION
    ).count()
    pending = LoadException.objects.filter(school=school, status="pending").count()
    assert card.locator("b").inner_text() == str(over)
    assert page.locator("[data-duty=exceptions] b").inner_text() == str(pending)
    for key in ("over_cap", "near_cap", "exceptions", "boards", "alerts", "attendance", "notices"):
        _inside(page, page.locator(f"[data-duty={key}] a"), viewport)
    shoot(page, f"duty-principal-{size}")
    page.locator("[data-duty=notices] a").click()
    page.wait_for_url("**/inspections/notices/")
    page.context.close()

    for username in ("district", "inspector"):
        page = sign_in(browser, demo_site, username, viewport)
        link = page.locator("table.duty-schools tbody tr td:first-child a").first
        _inside(page, link, viewport)
        name = link.inner_text()
        assert School.objects.filter(name=name).exists()
        shoot(page, f"duty-{username}-{size}")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
        link.click()
        page.wait_for_url("**/oversight/school/**")
        assert name in page.inner_text("main")
        page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "laptop"])
def test_the_principal_sees_sessions_without_attendance(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    """Issue 19: today's and the last days' after-school sessions whose attendance was not
    taken are listed on the principal's home (the demo missed two), each a link to it, where
    the principal takes the missed list late and saves it."""
    from django.db.models import Count

    from qingfu.afterschool import attendance
    from qingfu.afterschool.models import Session
    from qingfu.web.duty import RECENT_DAYS

    size = "phone" if viewport is PHONE else "laptop"
    page = sign_in(browser, demo_site, "principal", viewport)
    school_id = int(page.locator("[data-duty=over_cap] a").get_attribute("href").split("/")[3])
    today = dt.date.fromisoformat(DEMO_DAY)
    # Recounted from the records: sessions of the last days with no mark, at which someone
    # was expected (a class whose pupils are all at clubs has nothing to take).
    missed = [
        s.pk
        for s in Session.objects.filter(
            school_id=school_id, date__range=(today - dt.timedelta(days=RECENT_DAYS - 1), today)
        )
        .annotate(n=Count("marks"))
        .filter(n=0)
        .select_related("segment", "program")
        if attendance.expected(s)
    ]
    assert missed  # the demo's two missed sessions
    listed = page.locator("#unmarked-sessions li")
    assert sorted(int(li.get_attribute("data-unmarked")) for li in listed.all()) == sorted(missed)
    # The demo day's evening: every listed session has ended, so the count says as many.
    assert page.locator("[data-duty=attendance] b").inner_text() == str(len(missed))
    heading = page.locator("#unmarked-h")
    _inside(page, heading, viewport)
    assert "未考勤的课后服务场次" in heading.inner_text()
    first = listed.first
    link = first.locator("a")
    _inside(page, link, viewport)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"unmarked-sessions-{size}")
    session_id = int(first.get_attribute("data-unmarked"))
    link.click()
    page.wait_for_url(f"**/afterschool/duty/?session={session_id}")
    card = page.locator(f"[data-session='{session_id}']")
    # The session has ended, and it is within the last days: its list can be taken late.
    form = card.locator("form[data-late-form]")
    assert card.is_visible() and "已结束，可补录" in card.inner_text()
    rows = form.locator("ul.attendance li")
    session = Session.objects.get(pk=session_id)
    pupils = sorted(s.pk for s in attendance.expected(session))
    assert sorted(int(r.get_attribute("data-student")) for r in rows.all()) == pupils
    shoot(page, f"unmarked-session-page-{size}")
    # One pupil was absent; the others are present, as the list starts.
    absent = rows.first
    absent.locator("input[value=absent]").check()
    save = form.locator("button[type=submit]")
    _inside(page, save, viewport)
    save.click()
    page.wait_for_load_state("domcontentloaded")
    flash = page.get_by_text(f"已补录 {len(pupils)} 名学生的考勤。")
    flash.wait_for()
    _inside(page, flash, viewport)
    marks = attendance.current_marks(session)
    assert sorted(marks) == pupils
    assert all(m.is_late and m.marked_by.username == "principal" for m in marks.values())
    assert marks[int(absent.get_attribute("data-student"))].status == "absent"
    assert sum(m.status == "absent" for m in marks.values()) == 1
    # The page shows who took it late; the home no longer lists the session.
    card = page.locator(f"[data-session='{session_id}']")
    assert card.locator("[data-mark-note]").count() == len(pupils)
    assert "补录" in card.locator("[data-mark-note]").first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    shoot(page, f"late-attendance-saved-{size}")
    page.goto(f"{demo_site}/")
    assert page.locator(f"[data-unmarked='{session_id}']").count() == 0
    assert page.locator("[data-duty=attendance] b").inner_text() == str(len(missed) - 1)
    page.context.close()
