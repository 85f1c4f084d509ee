"""Rollups in the background: the marks (the outbox) with retries, backoff and skipping,
and Celery workers on a real broker (Redis) refreshing them: duplicates, two workers at
once, a lost message swept, a worker killed mid-batch.

The broker tests run when ``QINGFU_TEST_BROKER`` names a Redis database (``.ci/run`` sets
it and CI requires it); each session uses its own queue."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from qingfu.conftest import World, committed
from qingfu.homework.models import Assignment
from qingfu.homework.services import PublishBlocked
from qingfu.oversight import services
from qingfu.oversight.models import ClassDayRollup, RollupQueue
from qingfu.oversight.services import (
    MarkOutcome,
    rollup_mark_process,
    rollups_drain,
    rollups_rebuild,
    rollups_retry_failed,
    rollups_sweep,
)
from qingfu.oversight.tests.test_rollups import TUESDAY, WEDNESDAY, _log, _publish, _snapshot

BROKER = os.environ.get("QINGFU_TEST_BROKER", "")
needs_broker = pytest.mark.skipif(
    not BROKER, reason="set QINGFU_TEST_BROKER (CI sets it) to run against a Redis broker"
)


@pytest.fixture(autouse=True)
def _queued(settings: Any) -> None:
    settings.QINGFU_TODAY = "2026-09-01"
    settings.QINGFU_ROLLUPS = "queued"
    settings.QINGFU_ROLLUPS_MAX_ATTEMPTS = 3
    settings.QINGFU_ROLLUPS_RETRY_SECONDS = 0.2


def _failing_for(monkeypatch: pytest.MonkeyPatch, class_id: int) -> list[float]:
    """Make refreshes of ``class_id`` fail; returns the times they were tried."""
    tried: list[float] = []
    refresh = services.rollups_refresh

    def failing(*, school_id: int, keys: set[tuple[int, dt.date]]) -> None:
        if any(c == class_id for c, _ in keys):
            tried.append(time.monotonic())
            raise RuntimeError("boom")
        refresh(school_id=school_id, keys=keys)

    monkeypatch.setattr(services, "rollups_refresh", failing)
    return tried


def _marks() -> dict[tuple[int, dt.date], RollupQueue]:
    return {(m.school_class_id, m.date): m for m in RollupQueue.objects.all()}


def _rebuilt_equals_maintained(world: World) -> None:
    maintained = _snapshot()
    rollups_rebuild(school_ids=[world.a.pk])
    assert _snapshot() == maintained


def test_a_failing_class_day_is_recorded_and_skipped_while_the_others_refresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with committed():
        _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
    _failing_for(monkeypatch, world.c31.pk)
    assert rollups_drain() == 1  # 3(2) refreshed, 3(1) failed and did not stop it
    assert ClassDayRollup.objects.filter(school_class=world.c32, date=TUESDAY).exists()
    failed = RollupQueue.objects.get()
    assert (failed.school_class_id, failed.attempts) == (world.c31.pk, 1)
    assert failed.last_error == "RuntimeError: boom" and failed.failed_at is not None
    assert failed.next_attempt_at == failed.failed_at + dt.timedelta(seconds=0.2)
    assert rollups_drain() == 0 and RollupQueue.objects.get().attempts == 1  # backing off

    for attempts, backoff in ((2, 0.4), (3, 0.8)):
        RollupQueue.objects.update(next_attempt_at=None)  # as if the backoff had passed
        assert rollups_drain() == 0
        failed.refresh_from_db()
        assert failed.attempts == attempts
        assert failed.next_attempt_at == failed.failed_at + dt.timedelta(seconds=backoff)
    RollupQueue.objects.update(next_attempt_at=None)
    result = rollup_mark_process(class_id=world.c31.pk, day=TUESDAY)
    assert (result.outcome, result.attempts) == (MarkOutcome.GIVEN_UP, 3)  # skipped for good
    assert rollups_sweep(older_than=dt.timedelta(0)) == []  # not sent again either

    monkeypatch.undo()  # fixed: retried by hand, it goes through
    assert rollups_retry_failed() == 1
    assert rollups_drain() == 1 and not RollupQueue.objects.exists()
    _rebuilt_equals_maintained(world)


def test_the_worker_refreshes_a_schools_marked_class_days_in_queries_that_hardly_grow(
    world: World,
) -> None:
    """The polling worker refreshes the due class-days of a school together: 2 queries
    more for each class-day, not a whole refresh each (it cost 22 a class-day when each was
    refreshed on its own; docs/benchmarks.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingfu.oversight.services import rollups_refresh_on_commit

    days = [TUESDAY + dt.timedelta(days=k) for k in range(4)]
    with committed():
        for day in days:
            _publish(world, day, 30, classes=(world.c31.pk, world.c32.pk))
    assert rollups_drain() == 8  # the rollups exist from here on

    def drained(keys: list[tuple[int, dt.date]]) -> int:
        with committed():
            rollups_refresh_on_commit(school_id=world.a.pk, keys=keys)
        with CaptureQueriesContext(connection) as queries:
            assert rollups_drain() == len(keys)
        assert not RollupQueue.objects.exists()
        return len(queries)

    keys = [(c, day) for day in days for c in (world.c31.pk, world.c32.pk)]
    few, many = drained(keys[:2]), drained(keys)
    assert many - few <= 2 * (len(keys) - 2), (few, many)
    assert few <= 45, few
    _rebuilt_equals_maintained(world)


def test_a_new_change_makes_a_given_up_class_day_due_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with committed():
        _publish(world, TUESDAY, 40)
    RollupQueue.objects.update(attempts=3, last_error="RuntimeError: boom")
    assert rollups_drain() == 0
    with committed():
        _log(world, TUESDAY, 50, dt.time(20, 0))
    mark = RollupQueue.objects.get()
    assert (mark.version, mark.attempts, mark.next_attempt_at) == (2, 0, None)
    assert rollups_drain() == 1
    _rebuilt_equals_maintained(world)


def test_a_mark_made_while_its_class_day_refreshes_leads_to_another_refresh(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The mark is dropped only at the version the refresh read: a mark made meanwhile (on
    PostgreSQL it waits for the refresh's lock, on SQLite for its write lock; here it is
    made inside the refresh) stays for the next refresh."""
    with committed():
        _publish(world, TUESDAY, 40)
    refresh = services.rollups_refresh
    runs: list[int] = []

    def refresh_then_mark(*, school_id: int, keys: set[tuple[int, dt.date]]) -> None:
        refresh(school_id=school_id, keys=keys)
        runs.append(len(runs))
        if len(runs) == 1:
            _log(world, TUESDAY, 50, dt.time(20, 0))  # a family logs meanwhile

    monkeypatch.setattr(services, "rollups_refresh", refresh_then_mark)
    assert rollup_mark_process(class_id=world.c31.pk, day=TUESDAY).outcome is MarkOutcome.DONE
    assert RollupQueue.objects.get().version == 2  # the newer mark stays
    assert ClassDayRollup.objects.get().logs == 0
    assert rollups_drain() == 1 and len(runs) == 2
    assert ClassDayRollup.objects.get().logs == 1 and not RollupQueue.objects.exists()


def test_writes_send_each_marked_class_day_once_they_commit(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a broker, the outbox's message leaves after the commit: from a publish (the
    mark made through the change hook) and from a time log (on PostgreSQL the mark is made
    inside the log's own statement, which commits on its own)."""
    from qingfu.core import tasks

    sent: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(tasks, "_send", lambda name, args: sent.append((name, args)))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # never reached: _send is replaced
    with committed():
        _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
        assert sent == []  # not before the commit
    refresh = services.REFRESH_TASK
    assert sorted(sent) == [
        (refresh, (world.c31.pk, TUESDAY.isoformat())),
        (refresh, (world.c32.pk, TUESDAY.isoformat())),
    ]
    assert rollups_drain() == 2  # the workers have done them
    sent.clear()
    with committed():
        _log(world, TUESDAY, 50, dt.time(20, 0))
    assert sent == [(refresh, (world.c31.pk, TUESDAY.isoformat()))]
    assert _marks()[(world.c31.pk, TUESDAY)].version == 1
    assert rollups_drain() == 1
    _rebuilt_equals_maintained(world)


def _sent_messages(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, tuple[object, ...]]]:
    from qingfu.core import tasks

    sent: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(tasks, "_send", lambda name, args: sent.append((name, args)))
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # never reached: _send is replaced
    return sent


def test_two_writes_to_a_class_day_before_the_worker_runs_send_one_message(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message says "look at this class-day"; while its mark waits, a second write only
    bumps the mark's version (the refresh reads the records as they are then), so the
    evening rush sends a class-day once, not once per family. On PostgreSQL the log's mark
    is made inside the log's own statement, which says whether to send."""
    sent = _sent_messages(settings, monkeypatch)
    with committed():
        _publish(world, TUESDAY, 40)
    with committed():
        _log(world, TUESDAY, 50, dt.time(20, 0))
    with committed():
        _log(world, TUESDAY, 45, dt.time(20, 30))  # the same evening, corrected
    assert sent == [(services.REFRESH_TASK, (world.c31.pk, TUESDAY.isoformat()))]
    # Three writes (on PostgreSQL a correction marks twice: in its statement, then saved).
    assert _marks()[(world.c31.pk, TUESDAY)].version >= 3
    assert rollups_drain() == 1  # one refresh covers all three writes
    assert ClassDayRollup.objects.get().logs == 1
    _rebuilt_equals_maintained(world)


def test_a_mark_that_failed_or_moved_on_while_refreshing_is_sent_again(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where no message is on its way the work is sent again: a change to a class-day whose
    refresh had failed (its retries may have ended), and a mark made while its class-day
    refreshed (sent by the worker, after its own refresh commits)."""
    sent = _sent_messages(settings, monkeypatch)
    message = (services.REFRESH_TASK, (world.c31.pk, TUESDAY.isoformat()))
    with committed():
        _publish(world, TUESDAY, 40)
    RollupQueue.objects.update(attempts=3, last_error="RuntimeError: boom")
    sent.clear()
    with committed():
        _log(world, TUESDAY, 50, dt.time(20, 0))
    assert sent == [message]
    assert rollups_drain() == 1
    with committed():
        _log(world, TUESDAY, 55, dt.time(20, 0))  # a fresh mark, sent

    refresh = services.rollups_refresh
    runs: list[int] = []

    def refresh_then_mark(*, school_id: int, keys: set[tuple[int, dt.date]]) -> None:
        refresh(school_id=school_id, keys=keys)
        runs.append(len(runs))
        if len(runs) == 1:
            _log(world, TUESDAY, 40, dt.time(20, 10))  # a family corrects meanwhile

    monkeypatch.setattr(services, "rollups_refresh", refresh_then_mark)
    sent.clear()
    with committed():
        assert rollup_mark_process(class_id=world.c31.pk, day=TUESDAY).outcome is MarkOutcome.DONE
    assert sent == [message]
    assert rollups_drain() == 1 and not RollupQueue.objects.exists()


def test_the_sweeper_sends_old_due_marks_once_per_period(world: World, settings: Any) -> None:
    with committed():
        _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
    assert rollups_sweep(older_than=dt.timedelta(minutes=5)) == []  # too young
    assert sorted(rollups_sweep(older_than=dt.timedelta(0))) == [
        (world.c31.pk, TUESDAY),
        (world.c32.pk, TUESDAY),
    ]
    # Held back for the period, so a long queue does not fill up with copies.
    assert rollups_sweep(older_than=dt.timedelta(minutes=5)) == []


def test_without_a_broker_the_work_is_inline_and_beat_sends_registered_tasks() -> None:
    """``make run`` needs no service: no broker, rollups inline; a broker makes them
    queued. Beat's schedule names tasks the workers know (the sweep, the nightly check)."""
    from django.conf import settings

    from qingfu.config.celery import app

    script = "from django.conf import settings; print(settings.QINGFU_ROLLUPS)"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CELERY_BROKER_URL", "QINGFU_ROLLUPS", "DATABASE_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "qingfu.config.settings"
    for broker_url, mode in (("", "inline"), ("redis://127.0.0.1:6379/1", "queued")):
        out = subprocess.run(
            [sys.executable, "-c", script],
            env=env | {"CELERY_BROKER_URL": broker_url},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert out.strip() == mode
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled == {
        "qingfu.oversight.sweep_marks",
        "qingfu.homework.expected_alerts",
        "qingfu.afterschool.sweep_jobs",
        "qingfu.core.retention",
    }
    assert scheduled <= set(app.tasks)


def test_a_task_sent_from_any_thread_goes_to_the_project_app() -> None:
    """Requests run in the server's threads; Celery's current app is per thread, so the
    project's app must be the default (a fresh process, as a server starts)."""
    script = (
        "import threading, django; django.setup()\n"
        "from celery import current_app\n"
        "from qingfu.config.celery import app\n"
        "seen = []\n"
        "thread = threading.Thread(target=lambda: seen.append(current_app.main))\n"
        "thread.start(); thread.join(); print(seen[0], app.main)\n"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "qingfu.config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["qingfu", "qingfu"]


# ---------------------------------------------------------------- on a real broker


@pytest.fixture(scope="session")
def celery_app() -> Iterator[Any]:
    """The project's Celery app on the test broker, with this session's own queue."""
    if not BROKER:
        pytest.skip("set QINGFU_TEST_BROKER (CI sets it) to run against a Redis broker")
    from qingfu.config.celery import app

    queue = f"qingfu-test-{uuid.uuid4().hex[:10]}"
    app.conf.update(broker_url=BROKER, task_default_queue=queue)
    app.qingfu_test_queue = queue
    yield app
    with app.connection_for_write() as conn:
        conn.default_channel.queue_delete(queue)
        client = conn.default_channel.client
        client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for tag, raw in client.hgetall("unacked").items():  # the killed worker's message
            if json.loads(raw)[2] == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


@pytest.fixture
def broker(celery_app: Any, settings: Any) -> Iterator[Any]:
    """Sends go to the test broker; the queue starts empty; the worker threads' database
    connections are closed after each task (the test database is dropped at the end)."""
    from celery.signals import task_postrun

    settings.CELERY_BROKER_URL = BROKER
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.qingfu_test_queue)

    def close(**_: object) -> None:
        connections.close_all()

    task_postrun.connect(close, weak=False)
    yield celery_app
    task_postrun.disconnect(close)


def _worker(app: Any, name: str, *, concurrency: int = 1) -> Any:
    """A worker in a thread of this process (so a test can make a refresh fail or slow),
    running ``concurrency`` tasks at once."""
    from celery.contrib.testing.worker import start_worker

    return start_worker(
        app,
        pool="solo" if concurrency == 1 else "threads",
        concurrency=concurrency,
        perform_ping_check=False,
        shutdown_timeout=60,
        hostname=f"{name}@test",
    )


def _wait(done: Callable[[], bool], *, timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or done}")
        time.sleep(0.05)


def _queue_length(app: Any) -> int:
    with app.connection_for_write() as conn:
        return int(conn.default_channel.client.llen(app.qingfu_test_queue))


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_with_backoff_and_skips_a_failing_class_day(
    world: World, broker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    tried = _failing_for(monkeypatch, world.c31.pk)
    with _worker(broker, "retrying"):
        _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
        _publish(world, WEDNESDAY, 30, classes=(world.c32.pk,))
        _wait(lambda: RollupQueue.objects.filter(attempts=3).exists(), what="three failures")
        _wait(lambda: RollupQueue.objects.count() == 1, what="the others refreshed")
    failed = RollupQueue.objects.get()
    assert (failed.school_class_id, failed.date, failed.attempts) == (world.c31.pk, TUESDAY, 3)
    assert failed.last_error == "RuntimeError: boom"
    assert failed.next_attempt_at == failed.failed_at + dt.timedelta(seconds=0.8)
    assert len(tried) == 3  # then skipped: no fourth try
    gaps = [later - earlier for earlier, later in itertools.pairwise(tried)]
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4, gaps  # the backoff doubles
    assert set(ClassDayRollup.objects.values_list("school_class_id", "date")) == {
        (world.c32.pk, TUESDAY),
        (world.c32.pk, WEDNESDAY),
    }


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_refresh_one_class_day_at_once_nor_lose_a_mark(
    world: World, broker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every class-day's message is sent four times to two worker threads, and a family logs
    while the first refresh of 3(1) runs: the refreshes of one class-day never overlap,
    and at the end every rollup equals a rebuild."""
    refresh = services.rollups_refresh
    spans: list[tuple[tuple[int, dt.date], float, float]] = []
    writer: list[threading.Thread] = []
    writer_failed: list[BaseException] = []

    def slow(*, school_id: int, keys: set[tuple[int, dt.date]]) -> None:
        start = time.monotonic()
        time.sleep(0.15)  # long enough for the other worker to try the same class-day
        refresh(school_id=school_id, keys=keys)
        if not writer and (world.c31.pk, TUESDAY) in keys:
            # Its mark waits for this refresh's lock (or SQLite's write lock).
            def log() -> None:
                try:
                    _log(world, TUESDAY, 50, dt.time(20, 0))
                except BaseException as exc:
                    writer_failed.append(exc)
                finally:
                    connection.close()

            thread = threading.Thread(target=log)
            thread.start()  # before the test sees it (and joins it)
            writer.append(thread)
            time.sleep(0.1)
        spans.extend((key, start, time.monotonic()) for key in keys)

    _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
    _publish(world, WEDNESDAY, 30, classes=(world.c31.pk, world.c32.pk))
    monkeypatch.setattr(services, "rollups_refresh", slow)
    keys = list(_marks())
    assert len(keys) == 4
    with _worker(broker, "pair", concurrency=2):
        for _ in range(4):
            for class_id, day in keys:
                broker.send_task(services.REFRESH_TASK, args=(class_id, day.isoformat()))
        _wait(lambda: bool(writer), what="the first refresh of 3(1)")
        writer[0].join(60)
        assert not writer_failed, writer_failed
        _wait(
            lambda: not RollupQueue.objects.exists() and _queue_length(broker) == 0,
            what="every mark refreshed",
        )
        time.sleep(0.5)  # the last messages found nothing to do
    by_key: dict[tuple[int, dt.date], list[tuple[float, float]]] = {}
    for key, start, end in spans:
        by_key.setdefault(key, []).append((start, end))
    assert set(by_key) == set(keys)
    for key, runs in by_key.items():
        runs.sort()
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(runs)), (key, runs)
    assert len(by_key[(world.c31.pk, TUESDAY)]) >= 2  # the log's mark was refreshed too
    assert ClassDayRollup.objects.get(school_class=world.c31, date=TUESDAY).logs == 1
    _rebuilt_equals_maintained(world)


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_mark_whose_message_was_lost_is_swept_and_refreshed(
    world: World, broker: Any, settings: Any
) -> None:
    from qingfu.oversight.tasks import sweep_marks

    settings.CELERY_BROKER_URL = ""  # the write commits, its message never leaves
    _publish(world, TUESDAY, 40, classes=(world.c31.pk, world.c32.pk))
    settings.CELERY_BROKER_URL = BROKER
    assert _queue_length(broker) == 0 and len(_marks()) == 2
    with _worker(broker, "sweeping"):
        time.sleep(0.5)
        assert len(_marks()) == 2  # nobody knows of them
        sweep_marks.delay(0)  # what beat sends every minute
        _wait(lambda: not RollupQueue.objects.exists(), what="the swept marks refreshed")
    assert ClassDayRollup.objects.count() == 2
    _rebuilt_equals_maintained(world)


def _database_url() -> str:
    """This test's (committed) database, for the worker processes."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def _celery_worker(app: Any, name: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "QINGFU_TEST_DB")}
    env |= {
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "QINGFU_CELERY_QUEUE": app.qingfu_test_queue,
        "QINGFU_ROLLUPS": "queued",
        "QINGFU_TODAY": "2026-09-01",
    }
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "qingfu"), "celery", "worker", "--pool", "solo",
            "--loglevel", "warning", "--hostname", f"{name}@test",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_loses_nothing(world: World, broker: Any) -> None:
    """SIGKILL a real ``celery worker`` process once it has refreshed some of the marked
    class-days; after a restart with two workers (and the sweep of the message it held)
    every marked class-day's rollup equals a rebuild from the records."""
    days = [TUESDAY + dt.timedelta(days=n) for n in range(14)]
    for day in days:
        try:
            _publish(world, day, 30, classes=(world.c31.pk, world.c32.pk))
        except PublishBlocked:
            continue  # not a school day
    marked = set(_marks())
    assert len(marked) >= 16
    assert Assignment.objects.exists()
    first = _celery_worker(broker, "doomed")
    try:
        _wait(lambda: RollupQueue.objects.count() < len(marked), what="the first refresh")
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait(30) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    left = RollupQueue.objects.count()
    assert 0 < left < len(marked), left  # killed mid-batch
    # Two workers now: the queue's messages go to them; the one the killed worker held
    # comes back only after the visibility timeout, so the sweeper sends its mark again.
    restarted = [_celery_worker(broker, name) for name in ("second", "third")]
    try:
        _wait(lambda: _queue_length(broker) == 0, what="the queue drained")
        broker.send_task("qingfu.oversight.sweep_marks", args=(0,))
        _wait(lambda: not RollupQueue.objects.exists(), what="every mark refreshed")
    finally:
        for worker in restarted:
            worker.terminate()
        for worker in restarted:
            worker.wait(30)
    assert set(ClassDayRollup.objects.values_list("school_class_id", "date")) == marked
    _rebuilt_equals_maintained(world)
