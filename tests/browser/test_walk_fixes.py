"""What the second walk of the README's accounts found (issue 19), held in Chromium: the
after-school survey's wished-for clubs stay a few lines high on a phone, a student's birth
date reads as a date, and the district home in English has no Chinese dates, and counts
and lists read as English does."""

from __future__ import annotations

import re

from django.contrib.auth.models import User

from qingfu.core.services import user_language_set
from qingfu.schools.models import Student

from .conftest import DESKTOP, PHONE, sign_in


def _lines(locator: object) -> int:
    return int(
        locator.evaluate(  # type: ignore[attr-defined]
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
        )
    )


def test_the_survey_results_stay_readable_on_a_phone(browser: object, demo_site: str) -> None:
    """需求调研结果's 希望的社团 stood one category a line at 390 px (a row 6-7 lines tall)."""
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/afterschool/")  # type: ignore[attr-defined]
    cells = page.locator("#survey table").first.locator("td.wants")  # type: ignore[attr-defined]
    assert cells.count() >= 3
    for i in range(cells.count()):
        if cells.nth(i).inner_text().strip():
            assert _lines(cells.nth(i)) <= 3, cells.nth(i).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_a_birth_date_reads_as_a_date(browser: object, demo_site: str) -> None:
    student = Student.objects.filter(user__username="student32").get()
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/students/{student.pk}/")  # type: ignore[attr-defined]
    text = page.inner_text("main")  # type: ignore[attr-defined]
    born = student.birth_date
    assert born is not None
    assert f"{born.year}年{born.month}月{born.day}日" in text
    assert born.isoformat() not in text
    page.context.close()  # type: ignore[attr-defined]


def test_the_district_home_in_english(browser: object, demo_site: str, shoot: object) -> None:
    """The walk in English read "(11月30日–12月6日)" and "1 schools" on the district home."""
    user_language_set(user=User.objects.get(username="district"), language="en")
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = sign_in(browser, demo_site, "district", viewport)
        main = page.inner_text("main")  # type: ignore[attr-defined]
        assert not re.search(r"\d+月\d+日", main), re.search(r".{30}\d+月\d+日.{30}", main)
        totals = page.locator("main p", has_text="in the district").first.inner_text()  # type: ignore[attr-defined]
        assert re.search(
            r"\d+ schools?, \d+ classes?, \d+ students? and \d+ teachers? in the district\.",
            totals,
        ), totals
        assert not re.search(r"\b1 (schools|classes|students|teachers)\b", main)
        shoot(page, f"district-home-en-{label}")
        page.context.close()  # type: ignore[attr-defined]
