"""Every demo role walked in Chromium, as issue 19 asks: each account signs in on a phone
(390×844) and a laptop (1366×900), opens its home and every page its navigation offers, and
each page answers without an error, asks for nothing that fails (no 4xx/5xx for a script,
style, image or favicon), never scrolls sideways as a whole, and shows no internal text
("None", a template tag, a Python repr, an ISO timestamp).

What the walk found by eye and fixed is held by the tests after it: table cells keep Chinese
words whole on a phone, a guardian's access log names what was looked at in words, and a
button the phase does not allow looks unavailable.
"""

from __future__ import annotations

import re

import pytest

from .conftest import PHONE, sign_in

LAPTOP = {"width": 1366, "height": 900}

# The README's table of demo accounts (two teachers: the head teacher and a subject teacher).
ROLES = (
    "principal", "leader3", "head32", "math32", "student32", "parent32", "district",
    "inspector", "training", "inst1", "clerk", "leader", "jianfu", "town1", "village1",
)  # fmt: skip

INTERNAL = {
    "None": re.compile(r"(?<![A-Za-z])None(?![A-Za-z])"),
    "a template tag": re.compile(r"\{\{|\{%|%\(\w+\)s"),
    "a Python repr": re.compile(r"object at 0x|<QuerySet|Decimal\(|datetime\.date"),
    "an ISO timestamp": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"),
}


def _pages(page: object) -> list[str]:
    """The home and every entry of the navigation (the closed groups' links included)."""
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "nav.main a", "els => els.map(e => e.getAttribute('href'))"
    )
    return list(dict.fromkeys(["/", *hrefs]))


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_every_role_walks_its_pages(
    browser: object, demo_site: str, shoot: object, viewport: dict[str, int]
) -> None:
    size = "phone" if viewport is PHONE else "laptop"
    problems: list[str] = []
    for username in ROLES:
        page = sign_in(browser, demo_site, username, viewport)
        failed: list[str] = []

        def on_response(response: object, failed: list[str] = failed) -> None:
            status, url = response.status, response.url  # type: ignore[attr-defined]
            if status >= 400 and url.startswith(demo_site):
                failed.append(f"{status} {url}")

        page.on("response", on_response)  # type: ignore[attr-defined]
        paths = _pages(page)
        if username == "principal":
            assert len(paths) >= 12, paths  # the school admin's groups, all of them
        # The home's own links (a child's pages, a survey, a notice) answer too; downloads
        # among them are fetched, not shown.
        for href in page.eval_on_selector_all(  # type: ignore[attr-defined]
            "main a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
        ):
            if href in paths:
                continue
            answer = page.request.get(f"{demo_site}{href}")  # type: ignore[attr-defined]
            if answer.status >= 400:
                problems.append(f"{username} {size} {href} (linked from home): {answer.status}")
        for path in paths:
            answer = page.goto(f"{demo_site}{path}")  # type: ignore[attr-defined]
            page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            where = f"{username} {size} {path}"
            if answer is None or answer.status >= 400:
                problems.append(f"{where}: HTTP {answer and answer.status}")
                continue
            width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
            if width > viewport["width"] + 1:
                problems.append(f"{where}: the page is {width} px wide")
            text = page.inner_text("body")  # type: ignore[attr-defined]
            for name, pattern in INTERNAL.items():
                found = pattern.search(text)
                if found:
                    context = text[max(0, found.start() - 30) : found.end() + 30]
                    problems.append(f"{where}: shows {name}: {context!r}")
            if path == "/":
                shoot(page, f"walk-{username}-{size}")
        problems.extend(f"{username} {size}: asked for {f}" for f in dict.fromkeys(failed))
        page.context.close()  # type: ignore[attr-defined]
    assert not problems, "\n".join(problems)


def _lines(locator: object) -> int:
    """How many lines the element's text takes on screen."""
    return int(
        locator.evaluate(  # type: ignore[attr-defined]
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
        )
    )


def test_table_cells_keep_chinese_words_whole_on_a_phone(browser: object, demo_site: str) -> None:
    """The sleep table's class names and headers stood one character a line (一/年/级) on a
    phone; each is now on one line and the table scrolls inside its frame, the page does not."""
    page = sign_in(browser, demo_site, "principal", PHONE)
    page.goto(f"{demo_site}/wellbeing/")  # type: ignore[attr-defined]
    table = page.locator("section.card table").first  # type: ignore[attr-defined]
    names = table.locator("tbody tr td:first-child")
    assert names.count() >= 4
    for i in range(names.count()):
        assert _lines(names.nth(i)) == 1, names.nth(i).inner_text()
    heads = table.locator("thead th")
    for i in range(heads.count()):
        assert _lines(heads.nth(i)) == 1, heads.nth(i).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]


def test_the_guardian_reads_what_was_looked_at_in_words(browser: object, demo_site: str) -> None:
    """谁查看了孩子的信息 showed "sleep_reports" and "afterschool_child"; it names them."""
    page = sign_in(browser, demo_site, "parent32", PHONE)
    child = page.locator("a[href^='/wellbeing/sleep/']").first  # type: ignore[attr-defined]
    student = child.get_attribute("href").rstrip("/").rsplit("/", 1)[1]
    child.click()
    page.wait_for_load_state("domcontentloaded")  # type: ignore[attr-defined]
    page.goto(f"{demo_site}/afterschool/child/{student}/")  # type: ignore[attr-defined]
    page.goto(f"{demo_site}/privacy/child/{student}/")  # type: ignore[attr-defined]
    kinds = page.locator("table tbody tr td:last-child").all_inner_texts()  # type: ignore[attr-defined]
    assert "睡眠记录" in kinds and "课后服务报名与社团" in kinds, kinds
    assert not [k for k in kinds if re.search(r"[a-z]_[a-z]", k)], kinds
    # The school's name in the row stays on one line beside the time.
    school = page.locator("table tbody tr td:nth-child(3)").first  # type: ignore[attr-defined]
    assert _lines(school) == 1, school.inner_text()
    page.context.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_action_the_phase_refuses_looks_unavailable(
    browser: object, demo_site: str, viewport: dict[str, int]
) -> None:
    """The demo's program is in late registration: 运行分配 is disabled, faded and not the
    brand's solid button, with the reason beside it in view."""
    page = sign_in(browser, demo_site, "principal", viewport)
    page.goto(f"{demo_site}/afterschool/")  # type: ignore[attr-defined]
    run = page.get_by_role("button", name="运行分配")  # type: ignore[attr-defined]
    assert run.is_disabled()
    assert float(run.evaluate("e => getComputedStyle(e).opacity")) < 0.6
    reason = page.locator("#why-run")  # type: ignore[attr-defined]
    assert "补报名" in reason.inner_text()
    reason.scroll_into_view_if_needed()
    box, beside = run.bounding_box(), reason.bounding_box()
    assert box and beside and beside["x"] + beside["width"] <= viewport["width"]
    # Beside the button or right under it, not somewhere else on the page.
    assert abs(beside["y"] - box["y"]) < box["height"] * 2, (box, beside)
    page.context.close()  # type: ignore[attr-defined]
