"""The product's 404 page in Chromium on a phone and a desktop (issue 19, item 12): Chinese,
in the product's layout, with the way home in view and nothing overflowing sideways."""

from __future__ import annotations

import pytest

from .conftest import DESKTOP, PHONE


@pytest.mark.django_db(transaction=True)
def test_a_wrong_url_shows_our_404_page(
    browser: object, live_server: object, shoot: object
) -> None:
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        response = page.goto(f"{live_server.url}/homework/no-such-page/")
        assert response is not None and response.status == 404
        main = page.inner_text("main")
        assert "页面不存在" in main and "URLconf" not in page.content()
        home = page.get_by_role("link", name="返回首页")
        box = home.bounding_box()
        assert box is not None and box["y"] + box["height"] <= viewport["height"], (label, box)
        assert page.get_by_role("heading", name="页面不存在").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, (label, width)
        shoot(page, f"error-404-{label}")
        home.click()
        page.wait_for_url("**/login/**")
        context.close()
