"""``qingfu serve``: the production server answers pages, static files and a sign-in."""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from bench.served import served
from qingfu.core.management.commands.serve import granian_argv

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_command_line_serves_the_app_and_the_static_files() -> None:
    argv = granian_argv("10.0.0.5:9000", workers=2, threads=4, static_root=Path("/srv/static"))
    option = {name: argv[argv.index(name) + 1] for name in argv if name.startswith("--")}
    assert argv[-1] == "qingfu.config.wsgi:application"
    assert option["--interface"] == "wsgi"
    assert option["--host"] == "10.0.0.5" and option["--port"] == "9000"
    assert option["--workers"] == "2" and option["--blocking-threads"] == "4"
    assert option["--runtime-mode"] == "st"
    assert option["--static-path-route"] == "/static"
    assert option["--static-path-mount"] == "/srv/static"


@pytest.mark.parametrize(
    ("bind", "workers", "threads", "named"),
    [("8000", 1, 4, "--bind"), ("localhost:http", 1, 4, "--bind"), (":8000", 1, 4, "--bind"),
     ("127.0.0.1:8000", 0, 4, "--workers"), ("127.0.0.1:8000", 1, 0, "--threads")],
)  # fmt: skip
def test_bad_arguments_name_the_option(bind: str, workers: int, threads: int, named: str) -> None:
    with pytest.raises(CommandError, match=named):
        granian_argv(bind, workers=workers, threads=threads, static_root=Path("/srv/static"))


@override_settings(CACHES=LOCAL_CACHE)
def test_several_processes_need_a_shared_cache() -> None:
    with pytest.raises(CommandError, match="REDIS_URL"):
        call_command("serve", workers=2)


def test_a_bad_number_in_the_environment_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QINGFU_THREADS", "four")
    with pytest.raises(CommandError, match="--threads"):
        call_command("serve")


def _database_url() -> str:
    """This test's (committed) database, for the server process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


@pytest.fixture
def server() -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    with served(env | {"DATABASE_URL": _database_url()}, threads=2) as (base, _pids):
        yield base


@pytest.mark.django_db(transaction=True)
def test_a_served_page_signs_a_user_in(server: str) -> None:
    get_user_model().objects.create_user("served-teacher", password="a-served-password-1")
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    with browser.open(f"{server}/static/web/qingfu.css") as css:
        assert css.headers["Content-Type"] == "text/css"
        assert b"{" in css.read()
    with browser.open(f"{server}/login/") as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert token is not None
    form = {"username": "served-teacher", "password": "wrong", "csrfmiddlewaretoken": token[1]}
    with browser.open(f"{server}/login/", urllib.parse.urlencode(form).encode()) as refused:
        assert refused.url.endswith("/login/")  # shown again with the error, not signed in
    form["password"] = "a-served-password-1"
    with browser.open(f"{server}/login/", urllib.parse.urlencode(form).encode()) as home:
        assert home.status == 200 and not home.url.endswith("/login/")
    assert any(cookie.name == "sessionid" for cookie in jar)
    with pytest.raises(urllib.error.HTTPError) as missing:
        browser.open(f"{server}/static/web/no-such-file.css")
    assert missing.value.code == 404
