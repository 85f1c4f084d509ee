"""The product's own 404 and 500 pages in every mode (issue 19, item 12): with DEBUG on, as
under ``make run``, a wrong URL used to show Django's list of every URL to anyone on the
network, and an exception its traceback and settings."""

from __future__ import annotations

import pytest
from django.template import loader
from django.test import Client

from qingfu.conftest import World

URLS = "qingfu.web.tests.error_urls"


@pytest.fixture
def debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.QINGFU_DEBUG_PAGES = False
    settings.ROOT_URLCONF = URLS
    return settings


def _is_our_404(body: str) -> None:
    assert "页面不存在" in body and "返回首页" in body and 'href="/"' in body
    assert "URLconf" not in body and "Page not found" not in body and "admin/" not in body


@pytest.mark.django_db
def test_a_wrong_url_under_debug_is_our_404_for_anonymous_visitors(debug) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    _is_our_404(body)
    assert '<html lang="zh-CN">' in body and 'href="/login/"' in body


def test_a_wrong_url_under_debug_is_our_404_when_signed_in(debug, world: World) -> None:  # type: ignore[no-untyped-def]
    response = world.client("admin_a").get("/homework/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    _is_our_404(body)
    assert 'class="main"' in body  # the signed-in person's navigation is there


def test_a_view_raising_not_found_under_debug_is_our_404(debug, world: World) -> None:  # type: ignore[no-untyped-def]
    response = world.client("guardian1").get("/afterschool/")
    assert response.status_code == 404
    _is_our_404(response.content.decode())


@pytest.mark.django_db
def test_a_missing_slash_is_still_redirected_under_debug(debug) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/login")
    assert response.status_code == 301 and response["Location"] == "/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("debug_mode", [True, False])
def test_a_failing_view_gives_our_500_page(settings, debug_mode: bool) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = debug_mode
    settings.ROOT_URLCONF = URLS
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错了" in body and 'href="/"' in body
    assert "Traceback" not in body and "a bug in a view" not in body and "SECRET_KEY" not in body


@pytest.mark.django_db
def test_a_wrong_url_without_debug_is_our_404_too(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    _is_our_404(response.content.decode())


@pytest.mark.django_db
def test_django_debug_pages_only_on_explicit_request(debug) -> None:  # type: ignore[no-untyped-def]
    debug.QINGFU_DEBUG_PAGES = True
    response = Client(raise_request_exception=False).get("/no-such-page/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()
    failed = Client(raise_request_exception=False).get("/fails/")
    assert failed.status_code == 500 and "a bug in a view" in failed.content.decode()


def test_the_500_page_needs_no_database() -> None:
    """No ``db`` fixture: a query here would fail the test, as it would with the database
    down. The page is rendered as Django's ``server_error`` renders it, without a request."""
    body = loader.get_template("500.html").render()
    assert "服务器出错了" in body and 'href="/"' in body


@pytest.mark.parametrize("debug_mode", [True, False])
def test_a_form_with_a_stale_token_gets_our_page_and_changes_nothing(
    settings, world: World, debug_mode: bool
) -> None:  # type: ignore[no-untyped-def]
    """A page left open past its session posts a token that no longer matches: the answer
    says so in words, with the way back to that page (ours only), and nothing is saved."""
    settings.DEBUG = debug_mode
    settings.QINGFU_DEBUG_PAGES = False
    settings.QINGFU_TODAY, settings.QINGFU_CLOCK = "2026-11-23", "10:00"  # the page shows today
    client = world.client("admin_a")
    client.handler.enforce_csrf_checks = True
    response = client.post(
        "/language/", {"language": "en"}, HTTP_REFERER="http://testserver/homework/"
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "没有保存" in body
    assert 'href="/homework/" data-back' in body and 'href="/"' in body
    assert "CSRF验证失败" not in body and "Reason given" not in body
    assert 'class="main"' in body  # still the signed-in person's page
    assert world.client("admin_a").get("/").headers["Content-Language"].startswith("zh")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referer", ["http://elsewhere.example/phish/", "http://testserver//elsewhere.example/", ""]
)
def test_the_way_back_never_leaves_the_site(referer: str) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "x", "password": "y"}, HTTP_REFERER=referer)
    assert response.status_code == 403
    body = response.content.decode()
    assert "elsewhere" not in body and "data-back" not in body and 'href="/"' in body
