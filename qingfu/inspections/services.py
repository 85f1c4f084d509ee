"""Writes of inspections: start a visit (its checklist generated from the school's profile and
pre-filled from records), mark it, complete it, issue rectification notices, and the notice's
answer-and-review loop. Every write checks the actor, validates, and saves atomically;
transitions lock the row so two clicks cannot both move a notice on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.inspections import checklist, evidence, facts
from qingfu.inspections.models import ChecklistItem, Notice, NoticeEvent, Visit
from qingfu.inspections.selectors import notice_readable, visit_readable
from qingfu.schools.calendars import local_now, profile_for_school
from qingfu.schools.models import School, Semester

Mark = ChecklistItem.Mark


def default_period(school_id: int, day: dt.date) -> tuple[dt.date, dt.date]:
    """The semester so far: from its first day up to the day before the visit."""
    semester = (
        Semester.objects.filter(school_id=school_id, start__lte=day).order_by("-start").first()
    )
    if semester is None:
        return day.replace(day=1), day
    end = min(max(day - dt.timedelta(days=1), semester.start), semester.end)
    return semester.start, end


def _require_inspector(actor: Actor, school_id: int) -> None:
    """Inspectors of the school pass; people who may read its notices are refused; anyone
    else is told "not found"."""
    if actor.is_superuser or school_id in actor.inspected_school_ids:
        return
    district_id = School.objects.filter(pk=school_id).values_list("district_id", flat=True).first()
    if school_id in actor.admin_school_ids or district_id in actor.district_ids:
        raise Forbidden()
    raise NotFound()


def _items_from_profile(visit: Visit, school: School) -> list[ChecklistItem]:
    school_facts = facts.school_facts(school, visit.period_start, visit.period_end)
    return [
        ChecklistItem(
            visit=visit,
            school_id=school.pk,
            area=template.area,
            position=position,
            title=template.title,
            rules=[line.as_json() for line in template.rules],
            evidence_data=evidence.evidence_for(template.area, school_facts),
        )
        for position, template in enumerate(checklist.checklist_for(profile_for_school(school)))
    ]


def visit_period_checked(
    day: dt.date,
    today: dt.date,
    period_start: dt.date | None,
    period_end: dt.date | None,
    default: tuple[dt.date, dt.date],
) -> tuple[dt.date, dt.date]:
    """A new visit's period (the default where none is given), checked against its day:
    a visit is not dated after today and reviews no day after its own."""
    errors: dict[str, list[str]] = {}
    if day > today:
        errors["date"] = [_("检查日期不能晚于今天。")]
    start = period_start or default[0]
    end = period_end or default[1]
    if end < start:
        errors["period_end"] = [_("检查期间的结束日期不能早于开始日期。")]
    elif end > day:
        errors["period_end"] = [_("检查期间不能晚于检查日期。")]
    if errors:
        raise ValidationFailed(errors)
    return start, end


def visit_fields(
    actor: Actor, user_id: int, day: dt.date, start: dt.date, end: dt.date
) -> dict[str, Any]:
    """A new visit's fields, the same for a school's and an institution's (the caller adds
    the school or the institution and its district)."""
    return {
        "inspector_id": user_id,
        "inspector_name": actor.display_name[:60],
        "date": day,
        "period_start": start,
        "period_end": end,
        "evidence_at": local_now(),
    }


def visit_start(
    *,
    actor: Actor,
    school_id: int,
    day: dt.date,
    today: dt.date,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Visit:
    """Open a visit and generate its checklist (one item per policy area, pre-filled)."""
    _require_inspector(actor, school_id)
    user_id = signed_in_user_id(actor)
    start, end = visit_period_checked(
        day, today, period_start, period_end, default_period(school_id, day)
    )
    school = School.objects.select_related("district").get(pk=school_id)
    with transaction.atomic():
        visit = Visit.objects.create(
            school=school,
            district_id=school.district_id,
            **visit_fields(actor, user_id, day, start, end),
        )
        ChecklistItem.objects.bulk_create(_items_from_profile(visit, school))
    return visit


def _draft_visit(actor: Actor, visit_id: int) -> Visit:
    visit = Visit.objects.select_for_update().filter(pk=visit_id).first()
    if visit is None or not visit_readable(actor, visit):
        raise NotFound()
    _require_inspector(actor, visit.school_id)
    if visit.status != Visit.Status.DRAFT:
        raise ValidationFailed.single("__all__", _("检查已完成，不能再修改。"))
    return visit


def visit_refresh_evidence(*, actor: Actor, visit_id: int) -> Visit:
    """Recompute the evidence lines from the latest records (draft visits only)."""
    with transaction.atomic():
        visit = _draft_visit(actor, visit_id)
        school = School.objects.select_related("district").get(pk=visit.school_id)
        school_facts = facts.school_facts(school, visit.period_start, visit.period_end)
        items = list(visit.items.all())
        for item in items:
            item.evidence_data = evidence.evidence_for(item.area, school_facts)
        ChecklistItem.objects.bulk_update(items, ["evidence_data"])
        visit.evidence_at = local_now()
        visit.save(update_fields=["evidence_at"])
    return visit


@dataclass(frozen=True)
class MarkInput:
    mark: str
    note: str = ""


def marked_items(items: Mapping[int, Any], marks: Mapping[int, MarkInput]) -> list[Any]:
    """The checklist items (a school's or an institution's, by id) that ``marks`` names, with
    their new mark and note, once every mark is valid: an item not on the visit is not found,
    a mark not one of ours or a 不符合/基本符合 without a note is refused, item by item, and
    then nothing changes. The caller saves them (``bulk_update(…, ["mark", "note"])``)."""
    if set(marks) - set(items):
        raise NotFound()
    valid = {m.value for m in Mark}
    errors: dict[str, list[str]] = {}
    for item_id, given in marks.items():
        title = items[item_id].title
        if given.mark not in valid:
            errors[f"mark-{item_id}"] = [
                _("%(item)s：请选择符合、基本符合、不符合或未检查。") % {"item": title}
            ]
        elif given.mark in (Mark.FAILS, Mark.MOSTLY) and not given.note.strip():
            errors[f"note-{item_id}"] = [
                _("%(item)s：结论为“不符合”或“基本符合”时请写明问题。") % {"item": title}
            ]
    if errors:
        raise ValidationFailed(errors)
    for item_id, given in marks.items():
        items[item_id].mark = given.mark
        items[item_id].note = given.note.strip()[:500]
    return [items[i] for i in marks]


def checklist_save(*, actor: Actor, visit_id: int, marks: Mapping[int, MarkInput]) -> int:
    """Save the marks and notes of a draft visit's items (one screen); returns how many."""
    with transaction.atomic():
        visit = _draft_visit(actor, visit_id)
        items = {i.pk: i for i in visit.items.all()}
        ChecklistItem.objects.bulk_update(marked_items(items, marks), ["mark", "note"])
    return len(marks)


def completed(visit: Any, summary: str) -> None:
    """Close a draft visit's checklist (a school's or an institution's, locked by the
    caller) once at least one item has a conclusion: marks and evidence are kept as they
    are from now on."""
    if not visit.items.exclude(mark=Mark.UNCHECKED).exists():
        raise ValidationFailed.single("__all__", _("请至少对一个检查项目作出结论。"))
    visit.status = Visit.Status.COMPLETED
    visit.summary = summary.strip()[:500]
    visit.completed_at = local_now()
    visit.save(update_fields=["status", "summary", "completed_at"])


def visit_complete(*, actor: Actor, visit_id: int, summary: str = "") -> Visit:
    """Close the checklist: marks and evidence are kept as they are from now on."""
    with transaction.atomic():
        visit = _draft_visit(actor, visit_id)
        completed(visit, summary)
    return visit


@dataclass(frozen=True)
class NoticeInput:
    item_id: int
    title: str
    problem: str
    requirement: str
    deadline: dt.date | None


def notice_checked(visit: Any, item: Any, data: NoticeInput, today: dt.date) -> None:
    """Refuse a notice, field by field, unless its visit (a school's or an institution's)
    is completed, its item is one the visit marked 不符合 or 基本符合, its title, problem and
    requirement are written and its deadline is after ``today``."""
    errors: dict[str, list[str]] = {}
    if visit.status != Visit.Status.COMPLETED:
        errors["__all__"] = [_("请先完成检查，再下发整改通知。")]
    if item is None:
        errors["item_id"] = [_("请选择检查项目。")]
    elif not item.may_have_notice:
        errors["item_id"] = [_("只能对结论为“不符合”或“基本符合”的项目下发整改通知。")]
    if not data.title.strip():
        errors["title"] = [_("请填写通知标题。")]
    if not data.problem.strip():
        errors["problem"] = [_("请写明存在的问题。")]
    if not data.requirement.strip():
        errors["requirement"] = [_("请写明整改要求。")]
    if data.deadline is None:
        errors["deadline"] = [_("请填写整改期限。")]
    elif data.deadline <= today:
        errors["deadline"] = [
            _("整改期限 %(deadline)s 必须晚于今天（%(today)s）。")
            % {"deadline": data.deadline.isoformat(), "today": today.isoformat()}
        ]
    if errors:
        raise ValidationFailed(errors)


def notice_fields(
    visit: Any, item: Any, data: NoticeInput, *, user_id: int, today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    """A new notice's fields, the same for a school's and an institution's (the caller adds
    the school or the institution): the text as posted, the item's rules, who and when."""
    return {
        "visit": visit,
        "item": item,
        "district_id": visit.district_id,
        "title": data.title.strip()[:100],
        "problem": data.problem.strip(),
        "requirement": data.requirement.strip(),
        "rule_ids": item.rule_ids,
        "deadline": data.deadline,
        "issued_by_id": user_id,
        "issued_on": today,
        "issued_at": now,
    }


def notice_issue(*, actor: Actor, visit_id: int, data: NoticeInput, today: dt.date) -> Notice:
    """Issue a rectification notice from a non-conforming item of a completed visit.

    ``today`` is the school's local date: the deadline must be after it.
    """
    visit = Visit.objects.filter(pk=visit_id).first()
    if visit is None or not visit_readable(actor, visit):
        raise NotFound()
    _require_inspector(actor, visit.school_id)
    user_id = signed_in_user_id(actor)
    item = visit.items.filter(pk=data.item_id).first()
    notice_checked(visit, item, data, today)
    assert item is not None and data.deadline is not None
    now = local_now()
    with transaction.atomic():
        notice = Notice.objects.create(
            school_id=visit.school_id,
            **notice_fields(visit, item, data, user_id=user_id, today=today, now=now),
        )
        _event(notice, actor, NoticeEvent.Kind.ISSUED, now, "")
    return notice


def _event(
    notice: Notice,
    actor: Actor,
    kind: str,
    at: dt.datetime,
    text: str,
    references: Sequence[str] = (),
) -> NoticeEvent:
    return NoticeEvent.objects.create(
        notice=notice,
        school_id=notice.school_id,
        kind=kind,
        by_id=signed_in_user_id(actor),
        by_name=actor.display_name[:60],
        at=at,
        text=text,
        references=list(references),
    )


# A notice's steps, the same for a school's and an institution's (locked by the caller, who
# records the step's event): each checks what the step needs, moves the status and saves.


def responded(notice: Any, measures: str, today: dt.date, *, limit: int | None = None) -> str:
    """The measures taken, as the notice now holds them (``limit`` characters at most)."""
    if notice.status not in (Notice.Status.OPEN, Notice.Status.RETURNED):
        raise ValidationFailed.single("__all__", _("该通知已回复或已销号，无需再次回复。"))
    if not measures.strip():
        raise ValidationFailed.single("measures", _("请写明已采取的整改措施和效果。"))
    notice.status = Notice.Status.RESPONDED
    notice.response = measures.strip()[:limit]
    notice.responded_on = today
    notice.save(update_fields=["status", "response", "responded_on"])
    return str(notice.response)


def returned(notice: Any, comment: str) -> str:
    """Sent back with what is still to do (the comment, required)."""
    if not comment.strip():
        raise ValidationFailed.single("comment", _("退回时请写明还需整改的内容。"))
    notice.status = Notice.Status.RETURNED
    notice.save(update_fields=["status"])
    return comment.strip()


def closed(notice: Any, today: dt.date) -> None:
    """Accepted and closed (销号) on ``today``."""
    notice.status = Notice.Status.CLOSED
    notice.closed_on = today
    notice.save(update_fields=["status", "closed_on"])


def _locked_notice(actor: Actor, notice_id: int) -> Notice:
    notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
    if notice is None or not notice_readable(actor, notice):
        raise NotFound()
    return notice


def notice_respond(
    *,
    actor: Actor,
    notice_id: int,
    measures: str,
    references: Sequence[str] = (),
    today: dt.date,
) -> Notice:
    """The school admin reports the measures taken and the evidence; the inspector reviews."""
    with transaction.atomic():
        notice = _locked_notice(actor, notice_id)
        if not (actor.is_superuser or notice.school_id in actor.admin_school_ids):
            raise Forbidden()
        text = responded(notice, measures, today)
        refs = [r.strip()[:200] for r in references if r.strip()][:20]
        _event(notice, actor, NoticeEvent.Kind.RESPONDED, local_now(), text, refs)
    return notice


def _review(actor: Actor, notice_id: int) -> Notice:
    notice = _locked_notice(actor, notice_id)
    _require_inspector(actor, notice.school_id)
    if notice.status != Notice.Status.RESPONDED:
        raise ValidationFailed.single("__all__", _("学校回复后才能复核。"))
    return notice


def notice_return(*, actor: Actor, notice_id: int, comment: str) -> Notice:
    """Send the answer back: the school must do more (the comment says what)."""
    with transaction.atomic():
        notice = _review(actor, notice_id)
        text = returned(notice, comment)
        _event(notice, actor, NoticeEvent.Kind.RETURNED, local_now(), text)
    return notice


def notice_accept(*, actor: Actor, notice_id: int, comment: str = "", today: dt.date) -> Notice:
    """Accept the answer and close the notice (销号)."""
    with transaction.atomic():
        notice = _review(actor, notice_id)
        closed(notice, today)
        _event(notice, actor, NoticeEvent.Kind.CLOSED, local_now(), comment.strip())
    return notice
