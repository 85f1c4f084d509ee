"""Work-summary report speed: one school's semester report as DOCX and as PDF, the district's
report, and the ledgers, on the bench district built by ``bench_homework`` (same database).

    make bench
    BENCH_DATABASE_URL=postgres://… BENCH_SCHOOLS=100 make bench

Printed: fetching the facts, writing, rendering DOCX and PDF (median of 3, seconds), file
sizes, the district report's facts, and each ledger. Target: a school's semester report in
either format within 5 s.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from bench.bench_homework import TODAY, _setup

T = TypeVar("T")


def _timed(fn: Callable[[], T], runs: int = 3) -> tuple[T, float]:
    from qingfu.reports.charts import chart_png

    times, result = [], None
    for _ in range(runs):
        chart_png.cache_clear()  # cold: every run draws its charts
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    assert result is not None
    return result, statistics.median(times)


def main() -> None:
    backend, schools = _setup()
    from qingfu.oversight.models import ClassDayRollup
    from qingfu.reports import docx_render, ledgers, pdf_render
    from qingfu.reports.facts import report_facts
    from qingfu.reports.selectors import Scope, _district_scope, _school_scope, period_for
    from qingfu.reports.writing import report_document
    from qingfu.schools.models import School

    school = School.objects.select_related("district").order_by("id").first()
    assert school is not None
    scope: Scope = _school_scope(school)
    period = period_for(scope=scope, preset="semester", today=TODAY)
    rows = ClassDayRollup.objects.filter(school=school).count()
    print(f"database: {backend}, {schools} schools; {school.name}: {rows} class-day rollups, "
          f"{period.label} {period.start}..{period.end}, counted to {TODAY}")  # fmt: skip

    facts, t_facts = _timed(lambda: report_facts(scope=scope, period=period, today=TODAY))
    document, t_write = _timed(lambda: report_document(facts))
    docx, t_docx = _timed(lambda: docx_render.render_docx(document))
    pdf, t_pdf = _timed(lambda: pdf_render.render_pdf(document))
    print(f"school semester report: facts {t_facts:.2f} s, writing {t_write * 1000:.1f} ms, "
          f"DOCX {t_docx:.2f} s ({len(docx) // 1024} KB), PDF {t_pdf:.2f} s ({len(pdf) // 1024} KB); "
          f"total DOCX {t_facts + t_write + t_docx:.2f} s, PDF {t_facts + t_write + t_pdf:.2f} s "
          f"(target 5 s)")  # fmt: skip

    district = _district_scope(school.district)
    _facts, t_district = _timed(
        lambda: report_facts(scope=district, period=period, today=TODAY), runs=1
    )
    print(f"district semester facts ({len(district.school_ids)} schools): {t_district:.2f} s")
    for key, title in ledgers.LEDGERS.items():
        data, t = _timed(
            lambda key=key: ledgers.ledger_xlsx(scope=scope, period=period, key=key, today=TODAY),
            runs=1,
        )
        print(f"ledger {title}: {t:.2f} s ({len(data) // 1024} KB)")


if __name__ == "__main__":
    main()
