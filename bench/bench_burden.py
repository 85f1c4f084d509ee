"""The campaign office's board at county scale (issue 17), measured, not hoped.

    make bench                        # SQLite under var/bench/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingfu_bench make bench

A county of its own beside the demo's (40 issuing offices, 200 receivers — 20 towns and
180 communities and villages — and 3 years of sent demands, built once in bulk, seed
``burden-2026``), then the board rendered through the full stack for its campaign officer
(p50/p95; target under 1 s), one issuer's board, and a receiver's drill-down.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from bench.bench_homework import TODAY, _setup
from bench.bench_oversight import _report

CODE = "BENCH-JF"
ISSUERS = 40
TOWNS = 20
COMMUNITIES = 180
# Per issuer and year: documents, meetings, inspections, data requests (this year fewer).
PER_YEAR = {"document": 36, "meeting": 24, "inspection": 4, "data_request": 3}
FIELDS = "班级数、学生数、教师数、作业公示、本学期考试次数、食堂从业人员数"
SAMPLES = 20


def _build() -> tuple[int, int]:
    """The bench county (district id, receivers' demand links); built once per database."""
    from django.contrib.auth.models import User

    from qingfu.burden.models import Demand
    from qingfu.burden.services import receiver_counts_refresh
    from qingfu.core.roles import Role
    from qingfu.schools.models import District, RoleGrant, Unit

    district = District.objects.filter(code=CODE).first()
    through = Demand.receiver_units.through
    if district is not None:
        return district.pk, through.objects.filter(demand__district=district).count()
    started = time.perf_counter()
    rng = random.Random("burden-2026")
    district = District.objects.create(name="基准县", code=CODE, province="基准省")
    campaign = Unit.objects.create(
        district=district, kind=Unit.Kind.CAMPAIGN_OFFICE, name="基准县减负办", code="JFB"
    )
    offices = Unit.objects.bulk_create(
        Unit(district=district, kind=Unit.Kind.OFFICE, name=f"基准县第{i}局", code=f"O{i:02d}")
        for i in range(1, ISSUERS + 1)
    )
    towns = Unit.objects.bulk_create(
        Unit(district=district, kind=Unit.Kind.TOWN, name=f"第{i}镇", code=f"T{i:02d}")
        for i in range(1, TOWNS + 1)
    )
    villages = Unit.objects.bulk_create(
        Unit(
            district=district,
            kind=Unit.Kind.COMMUNITY,
            parent=towns[i % TOWNS],
            name=f"第{i}村",
            code=f"C{i:03d}",
        )
        for i in range(1, COMMUNITIES + 1)
    )
    receivers = [u.pk for u in towns + villages]
    user = User.objects.create_user(username="bench_jianfu")
    RoleGrant.objects.create(user=user, role=Role.CAMPAIGN_OFFICER, unit=campaign)
    demands = []
    for year in (TODAY.year - 2, TODAY.year - 1, TODAY.year):
        last = TODAY if year == TODAY.year else dt.date(year, 12, 31)
        span = (last - dt.date(year, 1, 1)).days
        pace = 0.7 if year == TODAY.year else 1.0
        for office in offices:
            for kind, n in PER_YEAR.items():
                for _i in range(round(n * pace)):
                    demands.append(
                        Demand(
                            district=district,
                            issuer=office,
                            kind=kind,
                            title=f"{office.name}{kind}",
                            day=dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, span)),
                            staff_hours=rng.choice((0.5, 1.0, 2.0, 4.0)),
                            field_list=FIELDS if kind == "data_request" else "",
                            status=Demand.Status.SENT,
                        )
                    )
    Demand.objects.bulk_create(demands, batch_size=2000)
    links = [
        through(demand_id=d.pk, unit_id=unit)
        for d in demands
        for unit in rng.sample(receivers, rng.choice((5, 20, 20, 60, 200)))
    ]
    through.objects.bulk_create(links, batch_size=5000)
    receiver_counts_refresh(Demand.objects.filter(district=district))
    print(
        f"built the bench county: {ISSUERS} issuers, {len(receivers)} receivers, "
        f"{len(demands)} demands, {len(links)} receiver links in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return district.pk, len(links)


def main() -> None:
    backend, _schools = _setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from qingfu.schools.models import Unit

    district_id, links = _build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(User.objects.get(username="bench_jianfu"))
    print(f"burden board ({backend}, {ISSUERS} issuers x 200 receivers x 3 years, {links} links)")

    def timed(path: str, query: dict[str, int]) -> list[float]:
        client.get(path, query)  # warm: templates, the profile
        samples = []
        for _i in range(SAMPLES):
            begun = time.perf_counter()
            response = client.get(path, query)
            samples.append(time.perf_counter() - begun)
            assert response.status_code == 200, response.status_code
        return samples

    _report("county board", timed("/burden/board/", {}), 1000)
    office = Unit.objects.filter(district_id=district_id, kind=Unit.Kind.OFFICE).first()
    assert office is not None
    _report("one issuer's board", timed("/burden/board/", {"issuer": office.pk}), 1000)
    town = Unit.objects.filter(district_id=district_id, kind=Unit.Kind.TOWN).first()
    assert town is not None
    _report("a receiver's drill-down", timed("/burden/board/", {"receiver": town.pk}), 1000)


if __name__ == "__main__":
    main()
