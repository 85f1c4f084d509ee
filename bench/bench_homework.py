"""Homework speed targets (issue: homework load management), measured, not hoped.

    make bench                        # SQLite under var/bench/, 10 schools
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingfu_bench BENCH_SCHOOLS=100 make bench
    REDIS_URL=redis://127.0.0.1:6379/7 ...  # production's shared cache (class-day cache on)

The district is built once by ``qingfu demo --schools N --weeks W`` and reused while the
database holds N schools. Printed: the load check for one class-day (p50/p95), publishing
a multi-class assignment (p50/p95), time-log writes per second in one process, and the
school's weekly compliance page (p50/p95). Targets: 20 ms, 100 ms, 300/s, 300 ms.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def _setup() -> tuple[str, int]:
    schools = int(os.environ.get("BENCH_SCHOOLS", "10"))
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{ROOT / 'var' / 'bench' / f'bench-{schools}.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["QINGFU_TODAY"] = TODAY.isoformat()
    os.environ["QINGFU_CLOCK"] = "22:00"  # the evening, when families log
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept per request
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from qingfu.schools.models import School

    call_command("migrate", verbosity=0)
    existing = School.objects.count()
    if existing != schools:
        if existing:
            sys.exit(f"bench database {url} holds {existing} schools, not {schools}: drop it first")
        started = time.perf_counter()
        call_command(
            "demo", "--schools", str(schools), "--today", TODAY.isoformat(),
            "--weeks", os.environ.get("BENCH_WEEKS", "12"), stdout=open(os.devnull, "w"),  # noqa: SIM115
        )  # fmt: skip
        print(f"built {schools} schools in {time.perf_counter() - started:.0f} s")
    from django.db import connection

    if connection.vendor == "postgresql":
        # What autovacuum does in production (it may be off on a test server): earlier runs
        # leave dead rows (the rollup queue's marks above all) that slow every upsert.
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"vacuumed in {time.perf_counter() - started:.0f} s")
    return url.split("://")[0], schools


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(name: str, samples: list[float], target_ms: float) -> None:
    """p50 and p95, against the target when there is one (``target_ms`` > 0)."""
    ms = [s * 1000 for s in samples]
    p95 = _pct(ms, 0.95)
    verdict = "" if not target_ms else (" ok" if p95 < target_ms else " OVER TARGET")
    target = f"target {target_ms:.0f} ms, " if target_ms else ""
    print(
        f"{name}: p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms ({target}n={len(ms)}){verdict}"
    )


def main() -> None:
    backend, schools = _setup()
    from django.db import connection
    from django.test import Client

    from qingfu.core.actor import Actor
    from qingfu.homework.data import HomeworkDraft, ItemDraft
    from qingfu.homework.logs import timelog_submit
    from qingfu.homework.models import Item, TimeLog, TimeLogEntry
    from qingfu.homework.selectors import draft_check
    from qingfu.homework.services import PublishBlocked, homework_publish
    from qingfu.schools.actors import actor_for
    from qingfu.schools.models import GuardianLink, Teacher, TeachingAssignment

    rng = random.Random(1)
    print(f"database: {backend}, {schools} schools, {Item.objects.count()} homework items, "
          f"{TimeLog.objects.count()} time logs, {TimeLogEntry.objects.count()} log entries")  # fmt: skip

    # 1. Load check for one class-day.
    assignments = list(
        TeachingAssignment.objects.filter(subject__code__in=["math", "chinese", "english"])
        .select_related("teacher__user")
        .order_by("id")
    )
    picks = rng.sample(assignments, min(300, len(assignments)))
    checks = []
    for a in picks:
        item = ItemDraft(content="练习", kind="written", tier="basic", minutes=15, place="home")
        draft = HomeworkDraft(a.subject_id, (a.school_class_id,), TODAY, TODAY, (item,))
        checks.append((actor_for(a.teacher.user), draft))
    # A teacher's typing re-checks as they go. The first pass also reads each school's
    # policy, calendar day and calibration into the cache, as the first check in a school
    # does after the server starts or the school's records change; the second is how a
    # running server answers (the target).
    for label, target in (("first in each school", 0.0), ("running server", 20.0)):
        samples = []
        for actor, draft in checks:
            started = time.perf_counter()
            draft_check(actor, draft)
            samples.append(time.perf_counter() - started)
        _report(f"load check, one class-day ({label})", samples, target)

    # 2. Publishing to all of a teacher's classes of a subject (oral, so caps never block).
    by_teacher: dict[tuple[int, int], list[int]] = {}
    for a in assignments:
        by_teacher.setdefault((a.teacher_id, a.subject_id), []).append(a.school_class_id)
    multi = [(k, v) for k, v in by_teacher.items() if len(v) >= 2]
    samples = []
    for (teacher_id, subject_id), class_ids in rng.sample(multi, min(150, len(multi))):
        actor = actor_for(Teacher.objects.get(id=teacher_id).user)
        item = ItemDraft(content="朗读课文", kind="oral", tier="basic", minutes=10, place="home")
        draft = HomeworkDraft(subject_id, tuple(class_ids), TODAY, TODAY, (item,))
        started = time.perf_counter()
        with contextlib.suppress(PublishBlocked):
            homework_publish(actor=actor, draft=draft)
        samples.append(time.perf_counter() - started)
    _report(f"publish to 2-{max(len(v) for _, v in multi)} classes", samples, 100)

    # 3. Time-log writes in one process (the service, as a request handler calls it).
    links = list(
        GuardianLink.objects.filter(student__school_class__grade__number__gte=3)
        .exclude(student__time_logs__date=TODAY)
        .values_list("guardian__user_id", "student_id", "guardian__school_id")[:3000]
    )
    rng.shuffle(links)
    seen: set[int] = set()
    jobs = [(g, s, school) for g, s, school in links if not (s in seen or seen.add(s))][:600]  # type: ignore[func-returns-value]
    from qingfu.homework.logs import log_form

    # The form was shown (GET) before; only the submit (POST) is timed, as one request.
    forms = []
    for guardian_user, student_id, school_id in jobs:
        # What ``actor_for`` gives a guardian (most demo guardians have no account).
        actor = Actor(
            user_id=guardian_user,
            child_student_ids=frozenset({student_id}),
            school_ids=frozenset({school_id}),
        )
        lines = log_form(actor, student_id, TODAY).lines
        if lines:
            forms.append(
                (actor, student_id, {line.subject_id: line.estimated + 5 for line in lines})
            )
    now = dt.datetime.combine(TODAY, dt.time(21, 0)).astimezone()
    queries = itertools.count()  # next() is atomic: safe from several threads

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        next(queries)
        return execute(sql, params, many, context)

    def submit(job: tuple[Actor, int, dict[int, int]]) -> None:
        actor, student_id, minutes = job
        with connection.execute_wrapper(count):
            timelog_submit(
                actor=actor, student_id=student_id, day=TODAY, minutes=minutes,
                finished_at=dt.time(20, 30), could_not_finish=False, reason="", now=now,
            )  # fmt: skip

    # One app process serves requests on several threads (qingfu serve); each thread
    # has its own database connection. Threads overlap their waits on the database (and
    # PostgreSQL commits them together); Python's own work still runs one at a time.
    threads = int(os.environ.get("BENCH_WRITE_THREADS", "8"))
    connection.close()
    started, cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(submit, forms))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    written = len(forms)
    rate = written / elapsed if elapsed else 0
    print(
        f"time-log writes: {written} in {elapsed:.1f} s on {threads} threads = {rate:.0f}/s (target 300/s) "
        f"{'ok' if rate >= 300 else 'UNDER TARGET'}; per write {(next(queries)) / max(1, written):.1f} queries, "
        f"{cpu / max(1, written) * 1000:.1f} ms app CPU; load average {os.getloadavg()[0]:.1f}"
    )

    # 3b. The same writes over HTTP to one app process (qingfu serve, one worker): the
    # session, the user, the actor's roles, middleware, CSRF, the form POST (urlencoded, as
    # a browser sends it) and its redirect, on a new connection each. Each family opened
    # the form (GET) before; only the submits are timed, sent by BENCH_POST_CLIENTS at once.
    _posts_over_http(rng)

    from django.conf import settings

    if settings.QINGFU_ROLLUPS == "queued":  # what the background worker then does
        from qingfu.oversight.services import rollups_drain

        started = time.perf_counter()
        drained = 0
        while done := rollups_drain():
            drained += done
        print(
            f"  worker refreshed {drained} queued class-day rollups in {time.perf_counter() - started:.1f} s"
        )

    # 4. The school's weekly compliance page, rendered through the full stack.
    from django.contrib.auth.models import User

    client = Client()
    client.force_login(User.objects.get(username="principal"))
    client.get("/homework/week/?week=2026-11-23")
    samples = []
    for _ in range(30):
        started = time.perf_counter()
        response = client.get("/homework/week/?week=2026-11-23")
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200
    _report("weekly compliance page (school)", samples, 300)
    connection.close()


def _posts_over_http(rng: random.Random) -> None:
    import http.client
    import re
    import secrets
    import urllib.parse

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from bench.server import THREADS, app_server, cpu_seconds
    from qingfu.schools.models import Guardian, GuardianLink

    rows = list(
        GuardianLink.objects.filter(student__school_class__grade__number__gte=3)
        .exclude(student__time_logs__date=TODAY)
        .values_list("guardian_id", "student_id")[:6000]
    )
    rng.shuffle(rows)
    picked: dict[int, int] = {}
    for guardian_id, student_id in rows:
        if guardian_id not in picked and student_id not in picked.values():
            picked[guardian_id] = student_id
        if len(picked) == int(os.environ.get("BENCH_POSTS", "900")):
            break
    families = []  # (cookie header, form path)
    for guardian in Guardian.objects.filter(id__in=picked).select_related("user"):
        if guardian.user is None:  # most demo guardians have no account: give them one
            guardian.user = User.objects.create(username=f"bench-guardian-{guardian.pk}")
            guardian.save(update_fields=["user"])
        client = Client()
        client.force_login(guardian.user)  # a session, as signing in leaves one
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        token = secrets.token_hex(16)  # the CSRF cookie's secret, sent back in the form
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}"
        families.append((cookie, token, f"/homework/log/{picked[guardian.pk]}/{TODAY}/"))
    connection.close()

    def call(base: str, method: str, path: str, cookie: str, body: str = "") -> tuple[int, str]:
        host = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        headers = {"Cookie": cookie}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        conn.close()
        return response.status, text

    env = dict(os.environ)
    clients = int(os.environ.get("BENCH_POST_CLIENTS", "16"))
    app_threads = int(os.environ.get("BENCH_APP_THREADS", "0")) or THREADS
    with app_server(env, app_threads) as (base, server):
        forms = []
        for cookie, token, path in families:  # the GET before each POST: not timed
            status, page = call(base, "GET", path, cookie)
            assert status == 200, (status, path)
            values = re.findall(r'name="m-(\d+)" value="(\d+)"', page)  # prefilled
            if values:
                body = {f"m-{sid}": str(int(v) + 5) for sid, v in values}
                body |= {"finished_at": "20:30", "csrfmiddlewaretoken": token}
                forms.append((cookie, path, urllib.parse.urlencode(body)))

        def post(job: tuple[str, str, str]) -> float:
            cookie, path, body = job
            started = time.perf_counter()
            status, text = call(base, "POST", path, cookie, body)
            assert status == 302, (status, text[:300])
            return time.perf_counter() - started

        cpu = cpu_seconds(server)
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            latencies = list(pool.map(post, forms))
        elapsed, cpu = time.perf_counter() - started, cpu_seconds(server) - cpu
    rate = len(forms) / elapsed
    print(
        f"  the same over HTTP to one app process (qingfu serve: granian, {app_threads} threads; "
        f"{clients} clients at once): {len(forms)} posts in {elapsed:.1f} s = {rate:.0f}/s "
        f"{'ok' if rate >= 300 else 'UNDER TARGET'}; p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {_pct(latencies, 0.95) * 1000:.0f} ms; app process CPU "
        f"{cpu / max(1, len(forms)) * 1000:.1f} ms per post"
    )


if __name__ == "__main__":
    main()
