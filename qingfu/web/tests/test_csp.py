"""Content-Security-Policy: every page says scripts come only from our own files, and no
template holds a script the policy would refuse (an inline <script>, an on…= handler, a
javascript: URL), so the policy never has to be loosened to keep a page working."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from qingfu.conftest import World

ROOT = Path(__file__).resolve().parents[3]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""<[a-z][^>]*?\son[a-z]+\s*=""", re.IGNORECASE | re.DOTALL)
INLINE_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
HTMX_INLINE = re.compile(r"""\shx-on[:\-]""", re.IGNORECASE)
DATA_TYPE = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.IGNORECASE)


def refusals(text: str) -> list[str]:
    """What in a template's text a ``script-src 'self'`` policy would refuse to run."""
    found = []
    for tag in SCRIPT_TAG.finditer(text):
        attributes = tag.group(1)
        if "src=" not in attributes and not DATA_TYPE.search(attributes):
            found.append(f"inline script {tag.group(0)}")
    found += [f"inline event handler {m.group(0)[-40:]}" for m in HANDLER.finditer(text)]
    found += [f"javascript: URL {m.group(0)}" for m in INLINE_URL.finditer(text)]
    found += [f"htmx inline handler {m.group(0)}" for m in HTMX_INLINE.finditer(text)]
    return found


def test_the_scan_finds_what_the_policy_refuses() -> None:
    assert refusals("<script>alert(1)</script>")
    assert refusals('<button type="button" onclick="go()">')
    assert refusals('<body\n  onload="go()">')
    assert refusals('<a href="javascript:go()">')
    assert refusals('<div hx-on:click="go()">')
    assert not refusals('<script src="/static/web/charts.js" defer></script>')
    assert not refusals('<script type="application/json" id="charts">{}</script>')
    assert not refusals('<p class="notice">on=1 ongoing="x"</p>')


def test_no_template_holds_an_inline_script_or_handler() -> None:
    templates = sorted(ROOT.glob("qingfu/**/templates/**/*.html"))
    assert len(templates) > 50  # the scan really reads the templates
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in templates
        for problem in refusals(path.read_text("utf-8"))
    ]
    assert not problems, "move these into static JS files:\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["/login/", "/api/v1/docs", "/training/", "/no-such-page/"])
def test_pages_send_the_policy(world: World, path: str) -> None:
    response = Client().get(path)
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["script-src"] and "unsafe" not in directives["default-src"]
