"""The public lookup of off-campus training institutions (issue 18), measured, not hoped.

    make bench                        # SQLite under var/bench/
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qingfu_bench make bench

A district registry of its own beside the demo's (2,000 institutions, a third academic,
each with 3-8 trainers and 2-6 filed courses, built once in bulk, seed ``training-2026``),
then what a parent opens without signing in, through the full stack: the lookup page
empty, searched by part of a name and by the start of a credit code, and an institution's
page (the one its door's QR code opens) — p50/p95 against the issue's target of 100 ms,
and the statements each page sends. Then the training officer's search for the institution
to visit (``/inspections/institutions/?q=``, signed in; the whole page and the HTMX
fragment the search box swaps in) over the same registry. The load average is printed
before and after each part: the machine these run on is shared, and a p95 means little
without it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from bench.bench_homework import _setup
from bench.bench_oversight import _report

CODE = "BENCH-PX"
INSTITUTIONS = 2000
SAMPLES = 60
TARGET_MS = 100
# Name parts: a realistic registry repeats the same words (青禾, 学科, 艺术…), so a search
# by a common part matches many and one by a rarer part a few.
PLACES = ["青禾", "江南", "文昌", "科创", "明湖", "东城", "西岭", "南山", "北塘", "云栖"]
WORDS = ["启明", "致远", "博思", "育才", "星火", "同心", "求知", "明德", "飞羽", "墨香", "琴韵"]
KINDS = {
    "compulsory": ("学科培训中心", "课业辅导学校"),
    "high-school": ("高中学科辅导中心",),
    "arts": ("艺术培训中心", "美术工作室"),
    "sports": ("体育俱乐部", "训练营"),
    "science": ("科技创客中心",),
    "other": ("棋院", "研学中心"),
}
SUBJECTS = {
    "compulsory": ("数学", "语文", "英语", "物理", "化学"),
    "high-school": ("数学", "物理", "英语"),
    "arts": ("美术", "舞蹈", "钢琴", "书法"),
    "sports": ("篮球", "游泳", "羽毛球", "足球"),
    "science": ("编程", "机器人"),
    "other": ("围棋", "研学"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def _credit_code(rng: random.Random, n: int) -> str:
    from qingfu.training.codes import check_character

    body = f"52330602{n:09d}"
    body = body[:8] + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(3)) + body[11:]
    return body + check_character(body)


def _build() -> tuple[int, str, str]:
    """The bench registry (district id, a name part to search, a code prefix to search)."""
    from qingfu.schools.models import District, Unit
    from qingfu.training.models import Category, Course, Filing, Institution, Trainer

    district = District.objects.filter(code=CODE).first()
    if district is None:
        started = time.perf_counter()
        rng = random.Random("training-2026")
        district = District.objects.create(name="基准区", code=CODE, province="基准省")
        subcategories = list(KINDS)
        specs = []
        for n in range(INSTITUTIONS):
            sub = "compulsory" if n % 3 == 0 else rng.choice(subcategories[1:])
            name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(KINDS[sub])}{n + 1}号"
            specs.append((n, sub, name))
        units = Unit.objects.bulk_create(
            (
                Unit(district=district, kind=Unit.Kind.INSTITUTION, name=name, code=f"PX{n:05d}")
                for n, _sub, name in specs
            ),
            batch_size=1000,
        )
        statuses = [Institution.Status.REGISTERED] * 17 + [
            Institution.Status.RECTIFYING,
            Institution.Status.DEREGISTERED,
            Institution.Status.BLACKLISTED,
        ]
        institutions = Institution.objects.bulk_create(
            (
                Institution(
                    unit=unit,
                    district=district,
                    credit_code=_credit_code(rng, n),
                    licence_number=f"教民{n:013d}号",
                    licence_from=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600)),
                    licence_to=dt.date(2029, 1, 1) + dt.timedelta(days=rng.randint(0, 600)),
                    category=(
                        Category.ACADEMIC
                        if sub in ("compulsory", "high-school")
                        else Category.NON_ACADEMIC
                    ),
                    subcategory=sub,
                    is_nonprofit=sub in ("compulsory", "high-school"),
                    address=f"基准区{rng.choice(PLACES)}路{rng.randint(1, 999)}号",
                    area_m2=Decimal(rng.randint(120, 2000)),
                    status=rng.choice(statuses),
                    status_since=dt.date(2026, 3, 1),
                )
                for unit, (n, sub, _name) in zip(units, specs, strict=True)
            ),
            batch_size=1000,
        )
        trainers, courses = [], []
        for institution in institutions:
            academic = institution.category == Category.ACADEMIC
            for _i in range(rng.randint(3, 8)):
                certified = academic or rng.random() < 0.4
                trainers.append(
                    Trainer(
                        institution=institution,
                        district=district,
                        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
                        certificate_number=f"2026{rng.randint(10**12, 10**13 - 1)}"
                        if certified
                        else "",
                        teaches_academic=academic,
                    )
                )
            for i in range(rng.randint(2, 6)):
                subject = rng.choice(SUBJECTS[institution.subcategory])
                benchmark = Decimal(rng.choice((60, 80, 100, 120))) if academic else None
                price = (
                    (benchmark * Decimal("1.05")).quantize(Decimal("0.01"))
                    if benchmark
                    else Decimal(rng.randint(80, 300))
                )
                grade_from = rng.randint(1, 7)
                courses.append(
                    Course(
                        institution=institution,
                        district=district,
                        status=Filing.Status.FILED if rng.random() < 0.9 else Filing.Status.REFUSED,
                        name=f"{subject}{('基础', '提高', '拓展', '兴趣', '进阶', '专项')[i]}班",
                        subject=subject,
                        grade_from=grade_from,
                        grade_to=min(9, grade_from + rng.randint(0, 3)),
                        lesson_minutes=rng.choice((45, 60, 90)),
                        benchmark_price=benchmark,
                        price=price,
                    )
                )
        Trainer.objects.bulk_create(trainers, batch_size=2000)
        Course.objects.bulk_create(courses, batch_size=2000)
        print(
            f"built the bench registry: {INSTITUTIONS} institutions, {len(trainers)} trainers, "
            f"{len(courses)} courses in {time.perf_counter() - started:.0f} s"
        )
    first = Institution.objects.filter(district=district).order_by("pk").first()
    assert first is not None
    return district.pk, first.unit.name[2:4], first.credit_code[:10]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} CPUs)"


def _officer(district_id: int) -> Any:
    """The bench district's training officer (made once)."""
    from django.contrib.auth.models import User

    from qingfu.core.roles import Role
    from qingfu.schools.models import RoleGrant

    user, made = User.objects.get_or_create(username="bench_training_officer")
    if made:
        RoleGrant.objects.create(user=user, role=Role.TRAINING_OFFICER, district_id=district_id)
    return user


def main() -> None:
    backend, _schools = _setup()
    from django.db import connection
    from django.test import Client

    from qingfu.training.models import Course, Institution, Trainer

    district_id, word, prefix = _build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    registry = Institution.objects.filter(district_id=district_id)
    print(
        f"training public lookup ({backend}, {registry.count()} institutions of the bench "
        f"district + {Institution.objects.exclude(district_id=district_id).count()} others, "
        f"{Trainer.objects.filter(district_id=district_id).count()} trainers, "
        f"{Course.objects.filter(district_id=district_id).count()} courses; no sign-in)"
    )
    print(_load())
    client = Client()
    rng = random.Random("lookup")
    pages = list(registry.values_list("pk", flat=True))

    def timed(
        name: str,
        path: str | Callable[[], str],
        query: dict[str, str] | Callable[[], dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        def one() -> str:
            return path() if callable(path) else path

        def ask() -> dict[str, str]:
            return query() if callable(query) else dict(query or {})

        client.get(one(), ask(), headers=headers)  # warm: templates, translations
        statements: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            statements.append(sql)
            return execute(sql, params, many, context)

        target, params = one(), ask()
        with connection.execute_wrapper(count):
            client.get(target, params, headers=headers)
        samples = []
        for _i in range(SAMPLES):
            target, params = one(), ask()
            begun = time.perf_counter()
            response = client.get(target, params, headers=headers)
            samples.append(time.perf_counter() - begun)
            assert response.status_code == 200, (target, response.status_code)
        _report(f"{name} [{len(statements)} statements]", samples, TARGET_MS)

    timed("lookup page, no query (the first 50 by name)", "/training/")
    timed(f"search by a name part ({word!r}, 50 shown)", "/training/", {"q": word})
    timed(
        "search by a full name (1 match)",
        "/training/",
        lambda: {"q": registry.get(pk=rng.choice(pages)).unit.name},
    )
    timed(f"search by a code prefix ({prefix})", "/training/", {"q": prefix})
    timed(
        "an institution's page (random, with its QR code)",
        lambda: f"/training/i/{rng.choice(pages)}/",
    )
    print(_load())

    # The officer's search for the institution to visit: at most 20 shown with the total.
    client.force_login(_officer(district_id))
    other_word = registry.order_by("-pk").first()
    assert other_word is not None
    rare = other_word.unit.name[4:6]
    print(f"training officer's institution search (signed in, {backend})")
    search = "/inspections/institutions/"
    timed(f"officer search by a common name part ({word!r}, 20 shown), page", search, {"q": word})
    timed(
        f"officer search by a common name part ({word!r}), HTMX fragment",
        search,
        {"q": word},
        headers={"HX-Request": "true"},
    )
    timed(f"officer search by another part ({rare!r}), fragment", search, {"q": rare},
          headers={"HX-Request": "true"})  # fmt: skip
    timed(
        "officer search by a full name (1 match), fragment",
        search,
        lambda: {"q": registry.get(pk=rng.choice(pages)).unit.name},
        headers={"HX-Request": "true"},
    )
    timed(f"officer search by a code prefix ({prefix}), fragment", search, {"q": prefix},
          headers={"HX-Request": "true"})  # fmt: skip
    timed("officer search page, no query (nothing listed)", search)
    print(_load())


if __name__ == "__main__":
    main()
