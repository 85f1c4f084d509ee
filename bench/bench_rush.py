"""Open-round rush on loopback: 2,000 guardians ask for a club seat at once over HTTP.

One app process (``qingfu serve``: granian, one worker) against PostgreSQL; 2,000 students signed
up, 40 clubs with fewer seats than requests, requests skewed toward popular clubs and sent
by many client threads at the same moment. Printed: throughput, p50/p99 latency, answers by
kind, and the checks — no club over capacity, no request lost (one seat row per answered
request), every answer definite (enrolled, waitlisted with a position, or refused with a
reason). Needs PostgreSQL at BENCH_RUSH_DATABASE_URL (default: local, fresh database).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.server import app_server

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "qingfu_rush"
FAMILIES = 2000
CLIENT_THREADS = int(os.environ.get("BENCH_RUSH_CLIENTS", "100"))
APP_THREADS = int(os.environ.get("BENCH_RUSH_APP_THREADS", "16"))


def _fresh_database() -> str | None:
    url = os.environ.get("BENCH_RUSH_DATABASE_URL")
    if url:
        return url
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    except Exception as exc:  # no PostgreSQL here: say so instead of measuring SQLite
        print(f"rush: skipped, PostgreSQL not reachable ({exc.__class__.__name__})")
        return None
    return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"


def _post(base: str, key: str, body: dict[str, int]) -> tuple[float, int, dict[str, object]]:
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        f"{base}/api/v1/afterschool/seats",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            payload = json.loads(response.read())
            code = response.status
    except urllib.error.HTTPError as exc:
        payload, code = {"error": exc.read().decode()[:200]}, exc.code
    return time.perf_counter() - started, code, payload


def main() -> None:
    url = _fresh_database()
    if url is None:
        return
    env = os.environ | {"DATABASE_URL": url, "QINGFU_TODAY": "2026-11-23", "DEBUG": "0"}
    env.pop("QINGFU_CLOCK", None)
    plan = ROOT / "var" / "bench" / "rush.json"
    plan.parent.mkdir(parents=True, exist_ok=True)
    built = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.rush_setup", str(plan), str(FAMILIES)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    requests = json.loads(plan.read_text())
    print(f"rush: {len(requests)} families, 40 clubs, built in {time.perf_counter() - built:.0f} s")

    with app_server(env, APP_THREADS) as (base, _worker):
        random.Random(1).shuffle(requests)
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            results = list(
                pool.map(lambda r: _post(base, r["key"], r["body"]), requests)  # type: ignore[no-any-return]
            )
        wall = time.perf_counter() - started

    latencies = sorted(r[0] for r in results)
    kinds: dict[str, int] = {}
    undefined = 0
    for _latency, code, payload in results:
        status = str(payload.get("status", f"http {code}"))
        kinds[status] = kinds.get(status, 0) + 1
        definite = code == 200 and (
            status == "enrolled"
            or (status == "waitlisted" and isinstance(payload.get("position"), int))
            or (status == "refused" and payload.get("reason"))
        )
        undefined += not definite
    p99 = latencies[int(0.99 * (len(latencies) - 1))]
    print(
        f"  {len(results)} requests in {wall:.2f} s on one app process "
        f"({APP_THREADS} threads; {CLIENT_THREADS} client connections): "
        f"{len(results) / wall:.0f} requests/s, p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms"
    )
    print(f"  answers: {dict(sorted(kinds.items()))}")
    _verify(url, kinds, undefined)


def _verify(url: str, kinds: dict[str, int], undefined: int) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        over = conn.execute(
            """SELECT c.name, c.capacity, count(s.id) FROM afterschool_club c
               JOIN afterschool_seat s ON s.club_id = c.id AND s.status = 'enrolled'
               GROUP BY c.id HAVING count(s.id) > c.capacity"""
        ).fetchall()
        rows = dict(
            conn.execute("SELECT status, count(*) FROM afterschool_seat GROUP BY status").fetchall()
        )
        positions = conn.execute(
            """SELECT count(*) FROM (SELECT club_id, count(*) n, count(DISTINCT requested_at) d
               FROM afterschool_seat WHERE status = 'waitlisted' GROUP BY club_id) t
               WHERE n <> d"""
        ).fetchone()
    lost = (kinds.get("enrolled", 0) != rows.get("enrolled", 0)) or (
        kinds.get("waitlisted", 0) != rows.get("waitlisted", 0)
    )
    print(
        f"  checks: clubs over capacity {len(over)}, requests without a definite answer "
        f"{undefined}, answers not matching stored seats {int(lost)}, waitlist ties "
        f"{positions[0] if positions else 0}"
    )
    if over or undefined or lost:
        raise SystemExit("rush: FAILED")


if __name__ == "__main__":
    main()
