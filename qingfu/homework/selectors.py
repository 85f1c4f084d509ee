"""Reads for homework: what a teacher may set, and each class-day's load with a draft."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.reads import Reads
from qingfu.homework.cache import day_kind, school_profile
from qingfu.homework.calibration import Ratio, Totals, calibrate_totals
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.load import ClassDayCheck, DayItem, check_class_day
from qingfu.homework.models import (
    Assignment,
    CalibrationStat,
    Item,
    ItemKind,
    ItemPlace,
    ItemTier,
    LoadException,
    TimeLogEntry,
)
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import HomeworkItemFacts, take_home_written_minutes
from qingfu.schools.models import SchoolClass, Subject, TeachingAssignment

MAX_ITEM_MINUTES = 180
MAX_ITEMS = 20


def teachable(actor: Actor) -> QuerySet[TeachingAssignment]:
    """The (class, subject) pairs the actor teaches: what they may set homework for."""
    if actor.teacher_id is None:
        return TeachingAssignment.objects.none()
    return TeachingAssignment.objects.filter(teacher_id=actor.teacher_id).select_related(
        "school_class__grade", "subject"
    )


def day_items(
    class_ids: Iterable[int], date: dt.date
) -> dict[int, list[tuple[DayItem, HomeworkItemFacts]]]:
    """Published items on each class's day, with the facts the cap counts."""
    rows = (
        Item.objects.filter(
            assignment__targets__school_class_id__in=list(class_ids),
            assignment__targets__date=date,
            assignment__status=Assignment.Status.PUBLISHED,
        )
        .select_related("assignment__subject", "assignment__teacher")
        .values_list(
            "assignment__targets__school_class_id",
            "assignment__subject__name",
            "assignment__subject__code",
            "assignment__teacher__name",
            "content",
            "minutes",
            "kind",
            "place",
            "is_mandatory",
        )
        .order_by("assignment__subject__sort_order", "assignment_id", "position")
    )
    result: dict[int, list[tuple[DayItem, HomeworkItemFacts]]] = defaultdict(list)
    for class_id, subject, code, teacher, content, minutes, kind, place, mandatory in rows:
        facts = HomeworkItemFacts(
            subject=code,
            minutes=minutes,
            is_written=kind == ItemKind.WRITTEN,
            at_home=place == ItemPlace.HOME,
            is_mandatory=mandatory,
        )
        counted = facts.is_written and facts.at_home and facts.is_mandatory
        result[class_id].append((DayItem(subject, teacher, content, minutes, counted), facts))
    return result


def draft_validate(
    actor: Actor, draft: HomeworkDraft, reads: Reads | None = None
) -> tuple[Subject, list[SchoolClass]]:
    """Check a draft's fields; every problem is reported with the field it belongs to."""
    errors: dict[str, list[str]] = {}
    pairs = {(t.school_class_id, t.subject_id): t for t in teachable(actor)}
    if not pairs:
        raise NotFound()
    # The teaching assignments hold the subject and the classes: no further read.
    subject = next((t.subject for (_, s), t in pairs.items() if s == draft.subject_id), None)
    if subject is None:
        errors.setdefault("subject", []).append(_("您不任教这门学科。"))
    if not draft.class_ids:
        errors.setdefault("classes", []).append(_("请至少选择一个班级。"))
    for class_id in draft.class_ids:
        if (class_id, draft.subject_id) not in pairs:
            errors.setdefault("classes", []).append(_("所选班级中有您不任教该学科的班级。"))
            break
    if draft.due_on < draft.date:
        errors.setdefault("due_on", []).append(_("完成日期不能早于布置日期。"))
    elif (draft.due_on - draft.date).days > 14:
        errors.setdefault("due_on", []).append(_("完成日期不能晚于布置日期两周以上。"))
    if not draft.items:
        errors.setdefault("items", []).append(_("请至少填写一项作业内容。"))
    if len(draft.items) > MAX_ITEMS:
        errors.setdefault("items", []).append(
            ngettext("一次最多 %(n)d 项。", "一次最多 %(n)d 项。", MAX_ITEMS) % {"n": MAX_ITEMS}
        )
    elements = set(subject.ability_elements) if subject else set()
    for index, item in enumerate(draft.items):
        errors.update(_item_errors(index, item, elements))
    classes = [
        pairs[(class_id, draft.subject_id)].school_class
        for class_id in dict.fromkeys(draft.class_ids)
        if (class_id, draft.subject_id) in pairs
    ]
    reads = reads or Reads()
    for school_class in classes:
        if day_kind(school_class.school_id, draft.date, reads) is DayKind.VACATION:
            errors.setdefault("date", []).append(_("布置日期不在本学期内。"))
            break
    if errors:
        raise ValidationFailed(errors)
    assert subject is not None
    return subject, sorted(classes, key=lambda c: (c.grade.number, c.number))


def _item_errors(index: int, item: ItemDraft, elements: set[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    prefix = f"items.{index}"
    if not item.content.strip():
        errors[f"{prefix}.content"] = [_("请填写作业内容。")]
    elif len(item.content) > 500:
        errors[f"{prefix}.content"] = [_("内容过长（最多 500 字）。")]
    if not 1 <= item.minutes <= MAX_ITEM_MINUTES:
        errors[f"{prefix}.minutes"] = [
            _("预计用时应在 1 到 %(max)d 分钟之间。") % {"max": MAX_ITEM_MINUTES}
        ]
    if not 0 <= item.copying_minutes <= max(item.minutes, 0):
        errors[f"{prefix}.copying_minutes"] = [_("机械抄写时间不能超过该项预计用时。")]
    if item.kind not in ItemKind.values:
        errors[f"{prefix}.kind"] = [_("不是有效的作业类型。")]
    if item.tier not in ItemTier.values:
        errors[f"{prefix}.tier"] = [_("不是有效的作业层次。")]
    if item.place not in ItemPlace.values:
        errors[f"{prefix}.place"] = [_("完成地点应为在家或在校。")]
    unknown = set(item.ability_elements) - elements
    if unknown:
        errors[f"{prefix}.ability_elements"] = [
            _("本学科没有能力要素：%(names)s") % {"names": "、".join(sorted(unknown))}
        ]
    return errors


def draft_check(actor: Actor, draft: HomeworkDraft) -> list[ClassDayCheck]:
    """Each selected class's whole day with the draft added, checked against the policy."""
    reads = Reads()
    subject, classes = draft_validate(actor, draft, reads)
    return checks_for(subject.code, classes, draft, draft_teacher_id=actor.teacher_id, reads=reads)


@dataclass(frozen=True)
class CalibrationHint:
    kind: str
    ratio: float
    observations: int

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)

    @property
    def twenty_takes(self) -> int:
        """What a 20-minute estimate of this kind really takes, on average."""
        return round(20 * self.ratio)


def calibration_hints(actor: Actor, subject: Subject) -> list[CalibrationHint]:
    """How this teacher's estimates compare with families' reports, per item kind."""
    teacher_ratios, _ = calibration_for_school(subject.school_id)
    return [
        CalibrationHint(kind, r.ratio, r.observations)
        for (teacher, code, kind), r in sorted(teacher_ratios.items())
        if teacher == actor.teacher_id and code == subject.code and r.observations >= 5
    ]


def checks_for(
    subject_code: str,
    classes: list[SchoolClass],
    draft: HomeworkDraft,
    *,
    draft_teacher_id: int | None = None,
    reads: Reads | None = None,
) -> list[ClassDayCheck]:
    if not classes:
        return []
    school_id = classes[0].school_id
    reads = reads or Reads()  # the policy and the calendar change rarely: cached; items are read
    profile = school_profile(school_id, reads)
    kind = day_kind(school_id, draft.date, reads)
    existing = day_items([c.pk for c in classes], draft.date)
    facts = [item.facts(subject_code) for item in draft.items]
    teacher_ratios, subject_ratios = calibration_for_school(school_id, reads)

    def expected(class_id: int) -> int:
        """Calibrated minutes: existing items by their subject's ratio, the draft by this
        teacher's own ratio for the item kind (falling back to the subject's)."""
        total = 0.0
        for _item, f in existing.get(class_id, []):
            if f.is_written and f.at_home and f.is_mandatory:
                ratio = subject_ratios.get(f.subject)
                total += ratio.apply(f.minutes) if ratio else f.minutes
        for item in draft.items:
            if item.kind == ItemKind.WRITTEN and item.place == ItemPlace.HOME and item.is_mandatory:
                ratio = teacher_ratios.get(
                    (draft_teacher_id or 0, subject_code, item.kind)
                ) or subject_ratios.get(subject_code)
                total += ratio.apply(item.minutes) if ratio else item.minutes
        return round(total)

    return [
        replace(
            check_class_day(
                profile,
                class_id=c.pk,
                class_name=c.name,
                grade=c.grade.number,
                day_kind=kind,
                existing=existing.get(c.pk, []),
                drafts=facts,
            ),
            expected_actual=expected(c.pk),
        )
        for c in classes
    ]


def assignments_for_teacher(actor: Actor, *, limit: int = 50) -> list[Assignment]:
    if actor.teacher_id is None:
        return []
    return list(
        Assignment.objects.filter(teacher_id=actor.teacher_id)
        .select_related("subject")
        .prefetch_related("items", "targets__school_class__grade")[:limit]
    )


def own_assignment(actor: Actor, assignment_id: int | None) -> Assignment | None:
    """One of the actor's own assignments (the one a publish just made), or None."""
    if actor.teacher_id is None or assignment_id is None:
        return None
    return (
        Assignment.objects.filter(pk=assignment_id, teacher_id=actor.teacher_id)
        .select_related("subject")
        .prefetch_related("targets__school_class__grade")
        .first()
    )


def exceptions_for_leader(actor: Actor) -> QuerySet[LoadException]:
    """Exception requests for classes in the grades the actor leads (组长 or 行政干部)."""
    return (
        LoadException.objects.filter(school_class__grade_id__in=actor.led_grade_ids)
        .select_related(
            "school_class__grade", "assignment__teacher", "assignment__subject", "decided_by"
        )
        .prefetch_related("assignment__items")
    )


@dataclass(frozen=True)
class DayHomework:
    items: tuple[DayItem, ...]
    counted_minutes: int  # written, mandatory, at home: what the cap counts
    # The reasons of the exceptions granted for the day: over the cap, and approved.
    approved: tuple[str, ...] = ()


def today_for_classes(class_ids: Iterable[int], date: dt.date) -> dict[int, DayHomework]:
    """Each class's published homework for a day, as families and teachers see it, with
    the grade leader's approval where the day goes over the cap by an exception."""
    ids = list(class_ids)
    granted = approved_exceptions(ids, date, date)
    return {
        cid: DayHomework(
            tuple(item for item, _ in rows),
            take_home_written_minutes([facts for _, facts in rows]),
            granted.get((cid, date), ()),
        )
        for cid, rows in day_items(ids, date).items()
    }


def approved_exceptions(
    class_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[tuple[int, dt.date], tuple[str, ...]]:
    """(class, day) → the reasons of the exceptions the grade leader granted, start..end:
    a day over the cap by one is shown as approved, not as a breach. Public (the board
    shows them): reasons carry no student data."""
    granted: dict[tuple[int, dt.date], tuple[str, ...]] = {}
    rows = (
        LoadException.objects.filter(
            school_class_id__in=list(class_ids),
            date__range=(start, end),
            status=LoadException.Status.GRANTED,
        )
        .order_by("decided_at", "id")
        .values_list("school_class_id", "date", "request_reason")
    )
    for class_id, day, reason in rows:
        granted[(class_id, day)] = (*granted.get((class_id, day), ()), reason)
    return granted


def pending_exception_count(actor: Actor) -> int:
    if not actor.led_grade_ids:
        return 0
    return exceptions_for_leader(actor).filter(status=LoadException.Status.PENDING).count()


def calibration_for_school(
    school_id: int, reads: Reads | None = None
) -> tuple[dict[tuple[int, str, str], Ratio], dict[str, Ratio]]:
    """Calibration from the school's running totals (see CalibrationStat), cached until
    a class-day refresh changes them."""

    def build() -> tuple[dict[tuple[int, str, str], Ratio], dict[str, Ratio]]:
        rows = CalibrationStat.objects.filter(school_id=school_id).values_list(
            "teacher_id", "subject_code", "kind", "estimated_total", "reported_total",
            "observations",
        )  # fmt: skip
        return calibrate_totals(Totals(*row) for row in rows)

    return (reads or Reads()).get(
        f"calibration:{school_id}", build, scopes=("calibration",), owner=school_id
    )


def at_school_minutes(school_id: int, start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Grade → (minutes families logged as done at school, all minutes logged), start..end."""
    totals: dict[int, tuple[int, int]] = {}
    rows = (
        TimeLogEntry.objects.filter(log__school_id=school_id, log__date__range=(start, end))
        .values("log__school_class__grade__number", "at_school")
        .annotate(minutes=Sum("minutes"))
    )
    for row in rows:
        grade = row["log__school_class__grade__number"]
        at, total = totals.get(grade, (0, 0))
        minutes = row["minutes"] or 0
        totals[grade] = (at + (minutes if row["at_school"] else 0), total + minutes)
    return totals
