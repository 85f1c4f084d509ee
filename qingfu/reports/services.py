"""Build a report or a ledger for an actor: check the scope, then fetch, write, render.

These only read; they are "services" because they are what the edges call, with the
actor, so the scope check can never be skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingfu.core.actor import Actor
from qingfu.reports import docx_render, ledgers, pdf_render
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
    name = f"{built.scope.name}-工作总结-{built.period.start:%Y%m%d}-{built.period.end:%Y%m%d}"
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
