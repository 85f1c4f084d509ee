"""The navigation grouped by duty, in Chromium on a phone (390×844) and a laptop (1366×768):
every entry a role has is reached through the menu, nothing of the menu is off-screen, and the
phone menu works with the keyboard alone (Tab, Enter, Escape, aria-expanded)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from qingfu.schools.actors import actor_for
from qingfu.web.navigation import navigation_entries, navigation_for

from .conftest import PHONE, WIDE, nav_reveal, nav_to, sign_in

# One role of every kind the demo has: school, family, district, county units, training.
USERS = (
    "principal",
    "leader3",
    "head32",
    "math32",
    "parent32",
    "district",
    "inspector",
    "clerk",
    "jianfu",
    "town1",
    "training",
    "inst1",
)


def _inside(page: object, selector: str) -> None:
    """Every visible element matching ``selector`` lies inside the viewport horizontally."""
    width = page.viewport_size["width"]
    boxes = page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null).map(e => {"
        " const r = e.getBoundingClientRect(); return [e.textContent.trim(), r.left, r.right]; })",
    )
    assert boxes, selector
    for text, left, right in boxes:
        assert left >= 0 and right <= width + 0.5, (selector, text, left, right, width)


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["phone", "laptop"])
def test_every_entry_is_reachable_and_on_screen(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    for username in USERS:
        actor = actor_for(get_user_model().objects.get(username=username))
        entries = navigation_entries(actor)
        page = sign_in(browser, demo_site, username, viewport)
        home = page.url
        # The bar itself never makes the page scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        for group in navigation_for(actor):
            if len(group.entries) < 2:
                continue
            if viewport is PHONE:
                toggle = page.locator(".nav-toggle")
                if toggle.get_attribute("aria-expanded") != "true":
                    toggle.click()
            page.locator(f"[aria-controls=nav-{group.key}]").click()
            _inside(page, f"#nav-{group.key} a")
            if viewport is PHONE:
                _inside(page, ".nav-panel > li > a, .nav-group-toggle")
            shoot(page, f"nav-{username}-{group.key}-{'phone' if viewport is PHONE else 'laptop'}")
            page.goto(home)
        height = viewport["height"]
        for entry in entries:
            link = nav_reveal(page, entry.label)
            assert link.get_attribute("href") == entry.url, (username, entry)
            link.scroll_into_view_if_needed()
            box = link.bounding_box()
            assert box, (username, entry)
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 0.5
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, (username, entry)
        # Following an entry opens its page and marks it as the current one (the first entry
        # of each group: following every one is the other browser tests' work).
        firsts = [entries[0]] + [g.entries[0] for g in navigation_for(actor)]
        for entry in firsts:
            nav_to(page, entry.label)
            path = "/" + page.url.split("/", 3)[3].split("?")[0]
            # Some entries land on a page below them (督导看板 → the person's school).
            assert path.startswith(entry.url), (username, entry, page.url)
            assert page.locator(".error-page").count() == 0, (username, entry)
            if path == entry.url:
                current = page.locator("nav.main a[aria-current=page]")
                assert entry.label in current.first.text_content(), (username, entry)
        page.context.close()


def test_phone_menu_by_keyboard(browser: object, demo_site: str) -> None:
    page = sign_in(browser, demo_site, "principal", PHONE)
    toggle = page.locator(".nav-toggle")
    panel = page.locator("#nav-panel")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not panel.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert panel.is_visible()
    # Tab: 首页, then the first group (作业); Enter opens it, Tab reaches its first entry.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "首页"
    page.keyboard.press("Tab")
    group = page.locator("[aria-controls=nav-homework]")
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "nav-homework"
    page.keyboard.press("Enter")
    assert group.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Tab")
    first = page.locator("#nav-homework a").first
    assert page.evaluate("document.activeElement.textContent.trim()") == first.text_content()
    box = first.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    # Escape closes the group and gives focus back to its button; again closes the panel.
    page.keyboard.press("Escape")
    assert group.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "nav-homework"
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('nav-toggle')")
    # Enter on an entry follows it.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(first.get_attribute("href") or "")
    page.context.close()


def test_desktop_dropdown_by_keyboard(browser: object, demo_site: str) -> None:
    page = sign_in(browser, demo_site, "principal", WIDE)
    assert not page.locator(".nav-toggle").is_visible()
    group = page.locator("[aria-controls=nav-oversight]")
    group.focus()
    page.keyboard.press("Enter")
    assert group.get_attribute("aria-expanded") == "true"
    menu = page.locator("#nav-oversight")
    assert menu.is_visible()
    menu_box, group_box = menu.bounding_box(), group.bounding_box()
    assert menu_box and group_box and menu_box["y"] >= group_box["y"] + group_box["height"] - 1
    # Opening another group closes the first; tabbing out of a dropdown closes it.
    page.locator("[aria-controls=nav-school]").click()
    assert group.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert page.locator("[aria-controls=nav-school]").get_attribute("aria-expanded") == "false"
    assert not page.locator("#nav-school").is_visible()
    page.context.close()
