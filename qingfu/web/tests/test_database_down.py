"""The database goes away under load: every request either committed or was answered 503
with ``Retry-After``; no acknowledged write is lost; the app reconnects by itself.

The restart test serves the app as in production (``qingfu serve``) and has families log
their evenings from several threads while the test database's connections are all cut
(``pg_terminate_backend``) and new ones refused for a moment (``ALLOW_CONNECTIONS false``)
— what a PostgreSQL restart looks like to the app, without restarting the server others
use. PostgreSQL only (the CI leg with ``DATABASE_URL``)."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client, override_settings

from bench.served import served
from qingfu.conftest import World, committed
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.models import TimeLog
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject
from qingfu.schools.tests import factories as f
from qingfu.web.errors import RETRY_AFTER_SECONDS, database_down

MONDAY = dt.date(2026, 11, 23)


def _lost() -> OperationalError:
    exc = OperationalError("consuming input failed: server closed the connection unexpectedly")
    exc.__cause__ = psycopg.OperationalError("server closed the connection unexpectedly")
    return exc


@override_settings(QINGFU_TODAY=str(MONDAY), QINGFU_CLOCK="21:00")
def test_a_lost_connection_is_a_503_with_retry_after_page_and_api(world: World) -> None:
    """The session is the first thing a signed-in request reads from the database."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    client = Client(raise_request_exception=False)  # answered as a server would
    client.force_login(world.users["head31"])
    with mock.patch.object(store, "load", side_effect=_lost()) as load:
        page = client.get("/")
        api = client.get(f"/api/v1/classes/{world.c31.pk}/homework")
    assert load.call_count == 2
    assert page.status_code == 503 and page["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "请过几秒钟再提交一次" in page.content.decode()
    assert api.status_code == 503 and api["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert api.json()["code"] == "unavailable"
    assert "暂时无法连接数据库" in api.json()["message"]
    assert client.get("/").status_code == 200  # the next request, with the database back


def test_only_a_connection_failure_counts_as_the_database_being_down() -> None:
    class Failed(psycopg.OperationalError):
        sqlstate = "57014"  # canceling statement due to statement timeout

    timeout = OperationalError("canceling statement due to statement timeout")
    timeout.__cause__ = Failed("canceling statement due to statement timeout")
    assert database_down(_lost())
    assert not database_down(timeout)
    assert not database_down(ValueError("connection"))
    refused = OperationalError('connection failed: database "x" is not currently accepting')
    refused.__cause__ = psycopg.OperationalError("connection failed")
    assert database_down(refused)


@dataclass
class Family:
    cookie: str
    token: str
    path: str
    subject: int
    sent: list[tuple[int, int, bool, float]] = field(
        default_factory=list
    )  # minutes, status, retry, at


def _post(base: str, family: Family, minutes: int) -> tuple[int, str | None]:
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname or "", host.port, timeout=30)
    body = urllib.parse.urlencode(
        {
            f"m-{family.subject}": minutes,
            "finished_at": "20:30",
            "csrfmiddlewaretoken": family.token,
        }
    )
    headers = {"Cookie": family.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    try:
        conn.request("POST", family.path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After")
    finally:
        conn.close()


@pytest.fixture
def families(world: World) -> list[Family]:
    with committed():
        subject = Subject.objects.get(school=world.a, code="math")
        item = ItemDraft(content="练习册", kind="written", tier="basic", minutes=30, place="home")
        homework_publish(
            actor=actor_for(world.users["math3"]),
            draft=HomeworkDraft(subject.pk, (world.c31.pk,), MONDAY, MONDAY, (item,)),
        )
        out = []
        for _ in range(8):
            student = f.StudentFactory(school_class=world.c31)
            guardian = f.GuardianFactory(school=world.a, user=f.UserFactory())
            f.link(guardian, student)
            client = Client()
            client.force_login(guardian.user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            token = secrets.token_hex(16)
            cookie = (
                f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
            )
            path = f"/homework/log/{student.pk}/{MONDAY}/"
            out.append(Family(cookie, token, path, subject.pk))
    return out


@pytest.fixture
def server() -> Iterator[str]:
    name = connection.settings_dict["NAME"]
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {"DATABASE_URL": url, "DEBUG": "0", "QINGFU_TODAY": str(MONDAY)}
    env |= {"QINGFU_CLOCK": "22:00", "QINGFU_ROLLUPS": "inline"}
    with served(env, threads=4) as (base, _pids):
        yield base


def _admin() -> psycopg.Connection[Any]:
    sd = connection.settings_dict
    return psycopg.connect(
        host=sd.get("HOST") or "127.0.0.1", port=sd.get("PORT") or 5432,
        user=sd.get("USER") or "postgres", password=sd.get("PASSWORD") or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's restart")
@pytest.mark.django_db(transaction=True)
def test_a_database_restart_under_load_loses_no_acknowledged_write(
    families: list[Family], server: str
) -> None:
    name = connection.settings_dict["NAME"]
    stop = threading.Event()

    def family_logs(family: Family) -> None:
        minutes = 30
        while not stop.is_set():
            minutes += 1
            status, retry = _post(server, family, minutes)
            family.sent.append((minutes, status, retry is not None, time.perf_counter()))
            if status != 302:
                time.sleep(0.05)

    threads = [threading.Thread(target=family_logs, args=(fam,)) for fam in families]
    for t in threads:
        t.start()
    try:
        time.sleep(2)  # the load is going
        with _admin() as admin:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            cut_at = time.perf_counter()
            try:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
                time.sleep(1.5)
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            back_at = time.perf_counter()
        time.sleep(3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    connection.close()  # the test's own connection was cut as well

    answers = [s for fam in families for s in fam.sent]
    unavailable = [a for a in answers if a[1] != 302]
    assert unavailable, "the cut reached no request"
    assert all(status == 503 and retry for _m, status, retry, _at in unavailable), {
        (s, r) for _m, s, r, _at in unavailable
    }
    lost = 0
    for fam in families:
        acknowledged = [m for m, s, _r, _at in fam.sent if s == 302]
        student_id = int(fam.path.split("/")[3])
        [log] = TimeLog.objects.filter(student_id=student_id, date=MONDAY)
        stored = log.entries.get().minutes
        # The stored value is the last acknowledged one, or a later one whose answer was a
        # 503 after its commit: never an earlier one.
        later = {m for m, s, _r, _at in fam.sent if s != 302 and m > acknowledged[-1]}
        lost += stored != acknowledged[-1] and stored not in later
        assert fam.sent[-1][1] == 302  # after the restart, every family gets through
    assert lost == 0
    first_back = min(
        at for fam in families for _m, s, _r, at in fam.sent if s == 302 and at > back_at
    )
    print(  # the figures recorded in docs/benchmarks.md
        f"\nrestart: {len(answers)} requests, {len(unavailable)} answered 503, "
        f"refused for {back_at - cut_at:.1f} s, first write {first_back - back_at:.2f} s after, "
        f"lost writes {lost}"
    )
