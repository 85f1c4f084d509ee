"""A data request answered from records (一表通): its field list matched against the facts
Qingfu holds, the matched ones filled for the receiver from the records (a school's classes,
students and teachers, its exams this semester; any receiver's registry counts; homework,
after-school and survey figures from the providers registered in ``qingfu.core.facts``),
the rest left blank for the receiver to complete, and the whole as an XLSX to check and
send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from qingfu.assessment.selectors import semester_plan
from qingfu.burden import selectors
from qingfu.burden.models import AppOrGroup, Demand
from qingfu.core import sheets
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.core.facts import school_facts
from qingfu.policy.burden_fields import FieldListError, match_fields, parse_field_list
from qingfu.schools.selectors import current_semester, school_figures

Value = int | float | str | None


@dataclass(frozen=True)
class AnswerRow:
    field: str
    value: Value
    fact_key: str  # "" when the receiver has to fill it


@dataclass(frozen=True)
class DataAnswer:
    demand: Demand
    receiver_name: str
    rows: list[AnswerRow]

    @property
    def asked(self) -> int:
        return len(self.rows)

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if r.fact_key and r.value is not None)


def _given(value: Value) -> Callable[[], Value]:
    return lambda: value


def _received_counts(
    *, unit_id: int | None, school_id: int | None, today: dt.date
) -> dict[str, Callable[[], Value]]:
    """The registry's own counts for a receiver this year: what landed on it, sent."""
    received = Demand.objects.filter(status=Demand.Status.SENT, day__year=today.year)
    if unit_id is not None:
        received = received.filter(receiver_units=unit_id)
    else:
        received = received.filter(receiver_schools=school_id)

    def count(kind: str) -> Callable[[], Value]:
        return lambda: received.filter(kind=kind).count()

    facts: dict[str, Callable[[], Value]] = {
        "burden.documents.count": count(Demand.Kind.DOCUMENT),
        "burden.meetings.count": count(Demand.Kind.MEETING),
        "burden.inspections.count": count(Demand.Kind.INSPECTION),
    }
    if unit_id is not None:
        facts["burden.groups.closed"] = lambda: AppOrGroup.objects.filter(
            unit_id=unit_id, status=AppOrGroup.Status.CLOSED
        ).count()
    return facts


def _school_facts(actor: Actor, school_id: int, today: dt.date) -> dict[str, Callable[[], Value]]:
    figures = school_figures(actor, school_id)

    def exams() -> Value:
        semester = current_semester(school_id, today)
        if semester is None:
            return None
        return sum(len(plan.exams) for plan in semester_plan(school_id, semester.pk))

    return {
        "classes.count": lambda: figures.classes,
        "students.count": lambda: figures.students,
        "teachers.count": lambda: figures.teachers,
        "exams.count.semester": exams,
    }


def data_request_answer(
    actor: Actor,
    demand_id: int,
    *,
    unit_id: int | None = None,
    school_id: int | None = None,
    today: dt.date,
) -> DataAnswer:
    """The data request ``demand_id`` as the receiver the actor acts for would answer it."""
    demand = selectors.demand_get(actor, demand_id)
    if demand.kind != Demand.Kind.DATA_REQUEST:
        raise NotFound()
    if unit_id is not None:
        if not demand.receiver_units.filter(pk=unit_id).exists():
            raise NotFound()
        receiver = demand.receiver_units.get(pk=unit_id)
        name = receiver.name
        scopes: tuple[str, ...] = ("unit",)
    elif school_id is not None and school_id in actor.admin_school_ids:
        school = demand.receiver_schools.filter(pk=school_id).first()
        if school is None:
            raise NotFound()
        name = school.name
        scopes = ("school", "unit")
    else:
        raise NotFound()
    if unit_id is not None and unit_id not in selectors.receiver_units_of(actor):
        raise NotFound()
    try:
        fields = parse_field_list(demand.field_list)
    except FieldListError:
        fields = ()
    matches = match_fields(fields, scopes=scopes)
    facts = _received_counts(unit_id=unit_id, school_id=school_id, today=today)
    if school_id is not None and unit_id is None:
        facts.update(_school_facts(actor, school_id, today))
    by_field = {f: fact.key for f, fact in matches.matched}
    if school_id is not None and unit_id is None:
        # The keys burden cannot fill itself (homework, after-school, surveys) from the
        # providers the apps holding them registered in core (the reports layer's).
        elsewhere = {k for k in by_field.values() if k not in facts}
        if elsewhere:
            provided = school_facts(school_id, today, elsewhere)
            facts.update({k: _given(v) for k, v in provided.items()})
    rows = []
    for field in fields:
        key = by_field.get(field, "")
        fill = facts.get(key)
        value = fill() if fill is not None else None
        rows.append(AnswerRow(field, value, key if value is not None else ""))
    return DataAnswer(demand, name, rows)


def answer_xlsx(answer: DataAnswer) -> bytes:
    """The answer as a workbook: one row per field, the value from records or blank."""
    book = sheets.new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("一表通")
    sheets.append_row(sheet, [answer.demand.title])[0].font = Font(bold=True, size=14)
    sheets.append_row(sheet, [_("填报单位"), answer.receiver_name])
    for cell in sheets.append_row(sheet, [_("字段"), _("填报值"), _("来源")]):
        cell.font = Font(bold=True)
    for row in answer.rows:
        source = _("轻负平台记录") if row.fact_key else _("请填写")
        sheets.append_row(sheet, [row.field, row.value, source])
    sheets.append_row(
        sheet,
        [
            _("合计"),
            _("共 %(asked)d 项，其中 %(answered)d 项已由平台记录自动填写")
            % {"asked": answer.asked, "answered": answer.answered},
        ],
    )
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 24
    return sheets.workbook_bytes(book)
