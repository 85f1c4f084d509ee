"""Playwright driving Debian's Chromium against Django's live server.

Screenshots of every page visited go to ``test-artifacts/screenshots`` (phone and desktop
sizes) so that a person can look at what the tests saw.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the tests
# themselves are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("QINGFU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "qingfu2026"
DEMO_DAY = "2026-11-23"  # a Monday in the autumn semester: the demo's activity runs to it
DEMO_CLOCK = "19:30"  # the evening, when teachers have published and families log
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
WIDE = {"width": 1366, "height": 768}  # the most common office laptop screen


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs all browser tests: one Chromium at a time on 2 cores.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run `make browser-deps`.")
    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield instance
        instance.close()


# Chromium logs a refused script, style or image as a console error naming the policy; the
# init script also reports each `securitypolicyviolation` event, which names the directive.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content Security Policy violation: " + e.violatedDirective + " blocked " +
    (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(autouse=True)
def csp_violations(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """Every page a browser test opens is watched for Content-Security-Policy violations,
    and the test fails on one: a page that only works with the policy loosened is broken
    for everyone using it under the real header."""
    seen: list[str] = []
    if "browser" not in request.fixturenames:
        yield seen
        return
    instance = request.getfixturevalue("browser")

    def watch(page: object) -> None:
        def on_console(message: object) -> None:
            text = message.text  # type: ignore[attr-defined]
            if "Content Security Policy" in text:
                seen.append(f"{page.url}: {text}")  # type: ignore[attr-defined]

        page.on("console", on_console)  # type: ignore[attr-defined]

    original = instance.new_context  # type: ignore[attr-defined]

    def new_context(*args: object, **kwargs: object) -> object:
        context = original(*args, **kwargs)
        context.add_init_script(_REPORT_VIOLATIONS)
        context.on("page", watch)
        return context

    def new_page(*args: object, **kwargs: object) -> object:
        return new_context(*args, **kwargs).new_page()

    monkeypatch.setattr(instance, "new_context", new_context)
    monkeypatch.setattr(instance, "new_page", new_page)
    yield seen
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(dict.fromkeys(seen))


@pytest.fixture
def shoot() -> object:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shoot(page: object, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


@pytest.fixture
def demo_site(live_server: object, transactional_db: object, settings: object) -> str:
    settings.QINGFU_TODAY = DEMO_DAY  # type: ignore[attr-defined]
    settings.QINGFU_CLOCK = DEMO_CLOCK  # type: ignore[attr-defined]
    call_command(
        "demo", "--schools", "2", "--classes-per-grade", "2", "--students-per-class", "8",
        "--today", DEMO_DAY, "--weeks", "6", stdout=StringIO(),
    )  # fmt: skip
    return str(live_server.url)


def sign_in(browser: object, base: str, username: str, viewport: dict[str, int]) -> object:
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.wait_for_load_state("networkidle")
    return page


def nav_reveal(page: object, label: str) -> object:
    """Show the navigation's entry called ``label`` as a person would reach it: on a phone the
    菜单 button first, then the duty group holding the entry (a desktop dropdown). Returns it."""
    nav = page.locator("nav.main")
    # CSS, not get_by_role: the role query skips the links of a closed (hidden) group.
    entry = f'a:text-is("{label}")'
    link = nav.locator(entry).first
    if not link.is_visible():
        toggle = nav.locator(".nav-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    if not link.is_visible():
        group = nav.locator("li.nav-group", has=page.locator(entry)).first
        group.locator(":scope > button").click()
    return link


def nav_to(page: object, label: str) -> None:
    """Open the page called ``label`` through the navigation (see ``nav_reveal``)."""
    nav_reveal(page, label).click()
    page.wait_for_load_state("domcontentloaded")
