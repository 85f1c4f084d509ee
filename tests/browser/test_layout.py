"""Layout measured in Chromium (issue 19 item 10): the district's 各学校 table fits a 1366 px
screen without scrolling, and weekday names stay on one line on a phone."""

from __future__ import annotations

from .conftest import PHONE, WIDE, nav_to, sign_in


def test_district_table_fits_a_laptop(browser: object, demo_site: str, shoot: object) -> None:
    page = sign_in(browser, demo_site, "district", WIDE)
    nav_to(page, "督导看板")
    page.wait_for_url("**/oversight/district/**")
    sizes = page.eval_on_selector("table.dash", "t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    box = page.locator("table.dash").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"]
    shoot(page, "layout-district-laptop")
    page.context.close()


def test_weekday_names_do_not_wrap_on_a_phone(browser: object, demo_site: str) -> None:
    page = sign_in(browser, demo_site, "principal", PHONE)
    nav_to(page, "睡眠与体育")
    heads = page.locator("table.activity thead th")
    assert heads.count() >= 7
    for i in range(heads.count()):
        height = heads.nth(i).evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return r.getClientRects().length; }"
        )
        assert height == 1, heads.nth(i).inner_text()
    page.context.close()
