"""Build a report or a ledger for an actor: check the scope, then fetch, write, render.

These only read; they are "services" because they are what the edges call, with the
actor, so the scope check can never be skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from qingfu.burden.selectors import campaign_districts
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.reports import docx_render, ledgers, pdf_render
from qingfu.reports.burden_facts import burden_facts
from qingfu.reports.burden_writing import BurdenFacts, burden_document
from qingfu.reports.data import Period, ReportFacts
from qingfu.reports.document import Document
from qingfu.reports.facts import report_facts
from qingfu.reports.selectors import Scope, period_for, scope_get
from qingfu.reports.writing import report_document


@dataclass(frozen=True)
class ReportRequest:
    kind: str
    scope_id: int
    preset: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Built:
    scope: Scope
    period: Period
    facts: ReportFacts
    document: Document


def _resolve(actor: Actor, request: ReportRequest, today: dt.date) -> tuple[Scope, Period]:
    scope = scope_get(actor, kind=request.kind, scope_id=request.scope_id)
    period = period_for(
        scope=scope, preset=request.preset, today=today, start=request.start, end=request.end
    )
    return scope, period


def report_build(*, actor: Actor, request: ReportRequest, today: dt.date) -> Built:
    """The report's document model for the actor's chosen scope and period."""
    scope, period = _resolve(actor, request, today)
    facts = report_facts(scope=scope, period=period, today=today)
    return Built(scope, period, facts, report_document(facts))


def report_file(
    *, actor: Actor, request: ReportRequest, today: dt.date, fmt: str
) -> tuple[bytes, str]:
    """(content, file name) of the report as DOCX or PDF."""
    built = report_build(actor=actor, request=request, today=today)
    name = _("{scope}-工作总结-{start}-{end}").format(
        scope=built.scope.name,
        start=f"{built.period.start:%Y%m%d}",
        end=f"{built.period.end:%Y%m%d}",
    )
    if fmt == "docx":
        return docx_render.render_docx(built.document), f"{name}.docx"
    return pdf_render.render_pdf(built.document), f"{name}.pdf"


def ledger_file(
    *, actor: Actor, request: ReportRequest, today: dt.date, key: str
) -> tuple[bytes, str]:
    scope, period = _resolve(actor, request, today)
    data = ledgers.ledger_xlsx(scope=scope, period=period, key=key, today=today)
    title = ledgers.LEDGERS[key]
    return data, f"{scope.name}-{title}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


# --- the county's burden-reduction report (issue 17) -----------------------------------------


@dataclass(frozen=True)
class BurdenBuilt:
    district_id: int
    facts: BurdenFacts
    document: Document


def burden_period(
    *, preset: str, today: dt.date, start: dt.date | None = None, end: dt.date | None = None
) -> Period:
    """This year (to date), this month, or custom dates (at most a year and a month)."""
    if preset == "year":
        first = dt.date(today.year, 1, 1)
        return Period(first, dt.date(today.year, 12, 31), _("{y}年").format(y=today.year))
    if preset == "month":
        first = today.replace(day=1)
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        label = _("{y}年{m}月").format(y=first.year, m=first.month)
        return Period(first, following - dt.timedelta(days=1), label)
    scope = Scope("district", 0, "", "", ())
    return period_for(scope=scope, preset="custom", today=today, start=start, end=end)


def burden_report_build(
    *, actor: Actor, district_id: int, period: Period, today: dt.date
) -> BurdenBuilt:
    """The county's report for its campaign office (减负办); anyone else: not found."""
    if district_id not in campaign_districts(actor):
        raise NotFound()
    facts = burden_facts(
        district_id=district_id,
        first=period.start,
        last=period.end,
        today=today,
        label=period.label,
    )
    return BurdenBuilt(district_id, facts, burden_document(facts))


def burden_report_file(
    *, actor: Actor, district_id: int, period: Period, today: dt.date, fmt: str
) -> tuple[bytes, str]:
    built = burden_report_build(actor=actor, district_id=district_id, period=period, today=today)
    name = _("{county}基层减负工作汇报-{start}-{end}").format(
        county=built.facts.county, start=f"{period.start:%Y%m%d}", end=f"{period.end:%Y%m%d}"
    )
    if fmt == "docx":
        return docx_render.render_docx(built.document), f"{name}.docx"
    return pdf_render.render_pdf(built.document), f"{name}.pdf"
