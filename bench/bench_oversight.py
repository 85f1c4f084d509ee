"""Oversight speed (issue: district oversight and reports), measured, not hoped.

    make bench                        # SQLite under var/bench/, 10 schools
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingfu_bench BENCH_SCHOOLS=100 make bench

Printed: a rebuild of every class-day rollup of the district from the records (its time),
one class-day refresh (p50/p95, what each publish or log write adds on commit), and the
district dashboard for the semester rendered through the full stack (p50/p95; target
under 1 s), then a school's and a grade's page.
"""

from __future__ import annotations

import random
import statistics
import time

from bench.bench_homework import TODAY, _pct, _setup


def _report(name: str, samples: list[float], target_ms: float | None = None) -> None:
    ms = [s * 1000 for s in samples]
    p95 = _pct(ms, 0.95)
    target = ""
    if target_ms is not None:
        target = f" (target {target_ms:.0f} ms) {'ok' if p95 < target_ms else 'OVER TARGET'}"
    print(f"{name}: p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, n={len(ms)}{target}")


def main() -> None:
    backend, schools = _setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from qingfu.oversight.models import ClassDayRollup
    from qingfu.oversight.services import rollups_rebuild, rollups_refresh
    from qingfu.schools.models import District

    started = time.perf_counter()
    written = rollups_rebuild()
    elapsed = time.perf_counter() - started
    print(f"rollup rebuild, whole district ({backend}, {schools} schools): "
          f"{written} class-day rollups in {elapsed:.1f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE oversight_classdayrollup")

    rng = random.Random(3)
    rows = list(ClassDayRollup.objects.values_list("school_id", "school_class_id", "date"))
    samples = []
    for school_id, class_id, day in rng.sample(rows, min(200, len(rows))):
        begun = time.perf_counter()
        rollups_refresh(school_id=school_id, keys=[(class_id, day)])
        samples.append(time.perf_counter() - begun)
    _report("refresh one class-day rollup", samples)

    client = Client()
    client.force_login(User.objects.get(username="district"))
    district = District.objects.order_by("id").first()
    assert district is not None
    pages = {
        "district dashboard, semester": (f"/oversight/district/{district.pk}/", 1000.0),
        "school dashboard, semester": ("/oversight/school/1/", None),
        "grade dashboard, semester": ("/oversight/school/1/grade/8/", None),
    }
    for name, (url, target) in pages.items():
        assert client.get(url).status_code == 200  # warm
        samples = []
        for _ in range(20):
            begun = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - begun)
            assert response.status_code == 200
        _report(name, samples, target)
    print(f"(today pinned to {TODAY})")
    connection.close()


if __name__ == "__main__":
    main()
