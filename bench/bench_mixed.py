"""Sustained mixed load over HTTP: families logging, teachers publishing, leaders reading
dashboards, at the same time, for a set duration.

    python -m bench mixed                                  # 60 s on the SQLite bench district
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingfu_bench BENCH_SCHOOLS=100 \\
        python -m bench.bench_mixed --duration 600          # the recorded 10 minutes

One app process as in production (``qingfu serve``: granian, one worker, production's
threads) on the district ``bench_homework`` builds (``qingfu demo --schools N``). Client
threads, each a person with a pause between actions (a paced load, not a flood):

- families (``BENCH_MIXED_FAMILIES``, default 10): open the evening's log form (GET) and
  submit it (POST, redirect on success), a random family of the district each time;
- teachers (``BENCH_MIXED_TEACHERS``, 2): publish 5 minutes of homework for one of their
  classes of grade 3 or up, in a subject that may set written homework there, on a day of
  next week through the API (200 published; 409 when the day's cap would be passed is a
  correct answer, counted apart);
- leaders (``BENCH_MIXED_LEADERS``, 2): the district's dashboard for the semester, or a
  school's.

Printed: requests, throughput, p50/p95/p99 per kind and overall, errors (any other answer,
or no answer), and the machine's load average before, during (every 10 s) and after.
Goal: 0 errors, p99 under 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

from bench.bench_homework import TODAY, _pct, _setup

# Next week, Monday to Friday: the demo filled this week's days up to their caps.
WEEK = [TODAY.fromordinal(TODAY.toordinal() + 7 + d) for d in range(5)]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    answers: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, started: float, status: int, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[kind].append(time.perf_counter() - started)
            self.answers[kind][status] += 1
            if not ok:
                text = " ".join(re.sub(r"<[^>]+>", " ", detail).split())
                self.errors.append(f"{kind} {status} {text[:200]}")


def _call(
    base: str, method: str, path: str, headers: dict[str, str], body: str = ""
) -> tuple[int, str]:
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname or "", host.port, timeout=60)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError as exc:
        return 0, repr(exc)
    finally:
        conn.close()


def _people(
    families: int,
) -> tuple[list[tuple[str, str, str]], list[tuple[str, int, int]], list[tuple[str, str]]]:
    """Sessions for families and the district officer, API tokens for teachers."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from qingfu.core.models import ApiToken
    from qingfu.policy.checks import stage_for_grade
    from qingfu.schools.calendars import profile_for_school
    from qingfu.schools.models import District, GuardianLink, School, TeachingAssignment

    def session_of(user: User) -> tuple[str, str]:
        client = Client()
        client.force_login(user)
        token = secrets.token_hex(16)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        return (
            f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={token}",
            token,
        )

    rng = random.Random(11)
    links = list(
        GuardianLink.objects.filter(student__school_class__grade__number__gte=3).values_list(
            "guardian_id", "student_id"
        )[:50_000]
    )
    rng.shuffle(links)
    chosen = dict(links[: families * 30])  # a pool: 30 different families per client
    from qingfu.schools.models import Guardian

    family_rows = []
    for guardian in Guardian.objects.filter(id__in=chosen).select_related("user"):
        if guardian.user is None:
            guardian.user, _ = User.objects.get_or_create(username=f"bench-guardian-{guardian.pk}")
            guardian.save(update_fields=["user"])
        cookie, token = session_of(guardian.user)
        family_rows.append((cookie, token, f"/homework/log/{chosen[guardian.pk]}/{TODAY}/"))

    # Grades 3 and up, subjects that may set written homework at home in the class's stage
    # (语文、数学、英语 in primary school …): anything else is refused (409) by policy, and a
    # bench of refusals measures the check, not the publish.
    profiles = {s.pk: profile_for_school(s) for s in School.objects.all()}
    assignments = [
        (user_id, class_id, subject_id)
        for user_id, class_id, subject_id, school_id, grade, code in TeachingAssignment.objects
        .filter(teacher__user__isnull=False, school_class__grade__number__gte=3)
        .values_list(
            "teacher__user_id", "school_class_id", "subject_id", "school_id",
            "school_class__grade__number", "subject__code",
        )
        .order_by("id")[:20_000]
        if code in profiles[school_id].rule("hw.written-subjects").members(stage_for_grade(grade))
    ]  # fmt: skip
    rng.shuffle(assignments)
    teacher_rows = []
    for user_id, class_id, subject_id in assignments[:400]:
        key = f"qf_bench_{secrets.token_urlsafe(24)}"
        ApiToken.objects.create(
            user_id=user_id, name="bench-mixed", key_hash=ApiToken.hash_key(key)
        )
        teacher_rows.append((key, class_id, subject_id))

    officer = User.objects.get(username="district")
    cookie, _token = session_of(officer)
    district = District.objects.order_by("id").first()
    assert district is not None
    pages = [(cookie, f"/oversight/district/{district.pk}/")]
    pages += [
        (cookie, f"/oversight/school/{pk}/")
        for pk in School.objects.filter(district=district).values_list("pk", flat=True)[:100]
    ]
    connection.close()
    return family_rows, teacher_rows, pages


def main(duration: float | None = None) -> None:
    seconds = duration or float(os.environ.get("BENCH_MIXED_SECONDS", "60"))
    n_families = int(os.environ.get("BENCH_MIXED_FAMILIES", "10"))
    n_teachers = int(os.environ.get("BENCH_MIXED_TEACHERS", "2"))
    n_leaders = int(os.environ.get("BENCH_MIXED_LEADERS", "2"))
    backend, schools = _setup()
    os.environ.setdefault("QINGFU_CLOCK", "20:00")
    from django.conf import settings

    from bench.server import THREADS, app_server, cpu_seconds

    families, teachers, pages = _people(n_families)
    tally = Tally()
    stop = threading.Event()

    def family(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            cookie, token, path = rng.choice(families)
            started = time.perf_counter()
            status, page = _call(base, "GET", path, {"Cookie": cookie})
            tally.add("family: open the log form", started, status, status == 200, page)
            values = re.findall(r'name="m-(\d+)" value="(\d+)"', page)
            if status == 200 and values:
                body = {f"m-{sid}": str(max(0, int(v) + rng.randint(-5, 10))) for sid, v in values}
                body |= {"finished_at": "20:30", "csrfmiddlewaretoken": token}
                started = time.perf_counter()
                status, text = _call(
                    base, "POST", path,
                    {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                    urllib.parse.urlencode(body),
                )  # fmt: skip
                tally.add("family: submit the log", started, status, status == 302, text)
            stop.wait(rng.uniform(0.5, 1.5))

    def teacher(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            key, class_id, subject_id = rng.choice(teachers)
            day = rng.choice(WEEK).isoformat()
            body = {
                "subject_id": subject_id, "class_ids": [class_id], "date": day, "due_on": day,
                "items": [{"content": "练习（压测）", "minutes": 5}],
            }  # fmt: skip
            started = time.perf_counter()
            status, text = _call(
                base, "POST", "/api/v1/homework",
                {"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
                json.dumps(body),
            )  # fmt: skip
            tally.add("teacher: publish (API)", started, status, status in (200, 409), text)
            stop.wait(rng.uniform(2, 4))

    def leader(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            cookie, path = pages[0] if rng.random() < 0.5 else rng.choice(pages[1:])
            kind = (
                "leader: district dashboard" if "district" in path else "leader: school dashboard"
            )
            started = time.perf_counter()
            status, text = _call(base, "GET", path, {"Cookie": cookie})
            tally.add(kind, started, status, status == 200, text)
            stop.wait(rng.uniform(3, 6))

    loads: list[float] = []  # the machine's 1-minute load average, every 10 s of the run

    def sampler() -> None:
        while not stop.wait(10):
            loads.append(os.getloadavg()[0])

    load_before = os.getloadavg()
    with app_server(dict(os.environ)) as (base, server):
        cpu = cpu_seconds(server)
        threads = [threading.Thread(target=family, args=(i,)) for i in range(n_families)]
        threads += [threading.Thread(target=teacher, args=(100 + i,)) for i in range(n_teachers)]
        threads += [threading.Thread(target=leader, args=(200 + i,)) for i in range(n_leaders)]
        threads.append(threading.Thread(target=sampler))
        started = time.perf_counter()
        for t in threads:
            t.start()
        stop.wait(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=120)
        wall = time.perf_counter() - started
        cpu = cpu_seconds(server) - cpu
    load_after = os.getloadavg()

    every = [x for samples in tally.latencies.values() for x in samples]
    print(
        f"mixed load ({backend}, {schools} schools, rollups {settings.QINGFU_ROLLUPS}): "
        f"{n_families} families, {n_teachers} teachers, {n_leaders} leaders for {wall:.0f} s "
        f"on one app process ({THREADS} threads); load average {load_before[0]:.1f} before, "
        f"{load_after[0]:.1f} after; app CPU {cpu:.0f} s"
    )
    if loads:
        print(
            f"  load average during the run (every 10 s): min {min(loads):.1f}, "
            f"mean {statistics.fmean(loads):.1f}, max {max(loads):.1f}"
        )
    for kind, samples in sorted(tally.latencies.items()):
        ms = [s * 1000 for s in samples]
        print(
            f"  {kind}: {len(ms)} ({len(ms) / wall:.1f}/s), p50 {statistics.median(ms):.0f} ms, "
            f"p95 {_pct(ms, 0.95):.0f} ms, p99 {_pct(ms, 0.99):.0f} ms, answers "
            f"{dict(sorted(tally.answers[kind].items()))}"
        )
    p99 = _pct([s * 1000 for s in every], 0.99)
    print(
        f"  all: {len(every)} requests, {len(every) / wall:.1f}/s, p99 {p99:.0f} ms "
        f"{'ok' if p99 < 1000 else 'OVER 1 s'}, errors {len(tally.errors)}"
        f"{' ok' if not tally.errors else ''}"
    )
    for line in tally.errors[:10]:
        print(f"    error: {line}")
    _cleanup()


def _cleanup() -> None:
    from django.db import connection

    from qingfu.core.models import ApiToken

    ApiToken.objects.filter(name="bench-mixed").delete()
    connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, help="seconds (default BENCH_MIXED_SECONDS or 60)"
    )
    main(parser.parse_args(sys.argv[1:]).duration)
