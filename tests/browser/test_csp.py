"""The Content-Security-Policy holds in a real browser: an inline script is refused, and
the watch every browser test runs under (conftest's ``csp_violations``) sees the refusal."""

from __future__ import annotations

from .conftest import PHONE


def test_an_injected_inline_script_is_refused_and_seen(
    browser: object, demo_site: str, csp_violations: list[str]
) -> None:
    context = browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    ran = page.evaluate(
        """() => {
          window.injected = false;
          const s = document.createElement("script");
          s.textContent = "window.injected = true";
          document.body.appendChild(s);
          return window.injected;
        }"""
    )
    assert ran is False
    page.wait_for_function("() => true")  # let the violation's console message arrive
    page.wait_for_timeout(200)
    assert any("script-src" in v or "inline" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen on purpose: the test itself must not fail on it
    context.close()
