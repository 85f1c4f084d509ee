"""A district officer drills down from the district to one class-day, on a phone and on a
desktop; the charts draw and every level shows figures from the demo's records."""

from __future__ import annotations

import pytest

from qingfu.oversight.models import ClassDayRollup

from .conftest import DESKTOP, PHONE, nav_to, sign_in


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_district_drills_down_to_a_class_day(
    browser: object, demo_site: str, shoot: object, size: str, viewport: dict[str, int]
) -> None:
    busiest = (
        ClassDayRollup.objects.filter(planned_minutes__gt=0)
        .order_by("-planned_minutes", "id")
        .first()
    )
    assert busiest is not None
    school_class = busiest.school_class
    page = sign_in(browser, demo_site, "district", viewport)
    nav_to(page, "督导看板")
    page.wait_for_url("**/oversight/district/**")
    assert "区域督导看板" in page.inner_text("h1")
    page.wait_for_selector("[data-chart='0'][data-ready='1'] svg")
    shoot(page, f"oversight-district-{size}")

    page.click(f"table.dash >> text={school_class.school.name}")
    page.wait_for_url("**/oversight/school/**")
    assert "学校看板" in page.inner_text("h1")
    page.click(f"table.dash >> text={school_class.grade.name}")
    page.wait_for_url("**/grade/**")
    assert "年级看板" in page.inner_text("h1")
    shoot(page, f"oversight-grade-{size}")

    page.click(f"table.dash >> text={school_class.name}")
    page.wait_for_url(f"**/oversight/class/{school_class.pk}/?**")
    day_label = f"{busiest.date.month}月{busiest.date.day}日"
    page.click(f"table.dash >> text={day_label}")
    page.wait_for_url(f"**/oversight/class/{school_class.pk}/{busiest.date.isoformat()}/")
    figures = page.inner_text(".figures")
    assert f"{busiest.planned_minutes} / {busiest.cap}" in figures
    assert page.locator("section.card table tbody tr").count() >= 1  # the day's homework
    # Breadcrumbs lead back up to the district.
    assert page.locator("nav.crumbs a").count() == 4
    shoot(page, f"oversight-class-day-{size}")
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    page.context.close()
