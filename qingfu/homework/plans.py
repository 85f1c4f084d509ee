"""The grade group's weekly plan (周作业计划) and the class publicity board (作业公示).

The grid is planned per class × subject × school day, prefilled from what each subject
actually set the week before, so the group edits rather than types. The leader and the
administrative cadre both approve; an approved plan is the class's public board, and any
later edit is kept as a visible change (what moved, when, by whom).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.homework.models import Assignment, Item, PlanChange, PlanEntry, WeeklyPlan
from qingfu.homework.selectors import approved_exceptions
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import daily_homework_cap
from qingfu.schools.calendars import day_info, profile_for_school
from qingfu.schools.models import (
    Grade,
    GradeGroup,
    School,
    SchoolClass,
    Subject,
    TeachingAssignment,
)

MAX_PLANNED_MINUTES = 180


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class PlanGrid:
    plan: WeeklyPlan
    classes: list[SchoolClass]
    days: list[dt.date]
    caps: dict[tuple[int, dt.date], int]
    subjects: dict[int, list[Subject]]  # class id → subjects taught there
    cells: dict[tuple[int, int, dt.date], PlanEntry]
    totals: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    actual: dict[tuple[int, dt.date], int] = field(default_factory=dict)
    # (class, day) → reasons of granted exceptions (the public board shows them).
    approved: dict[tuple[int, dt.date], tuple[str, ...]] = field(default_factory=dict)

    def over(self, class_id: int, day: dt.date) -> bool:
        return self.totals.get((class_id, day), 0) > self.caps.get((class_id, day), 0)

    def subjects_with_homework(self, class_id: int) -> list[Subject]:
        """Subjects that plan any minutes or a note this week (the board lists only these)."""
        return [
            s
            for s in self.subjects.get(class_id, [])
            if any(
                (e := self.cells.get((class_id, s.pk, d))) and (e.minutes or e.content)
                for d in self.days
            )
        ]

    @property
    def over_days(self) -> list[tuple[SchoolClass, dt.date]]:
        return [(c, d) for c in self.classes for d in self.days if self.over(c.pk, d)]


def _may_edit(actor: Actor, grade: Grade) -> bool:
    return (
        actor.is_superuser
        or grade.pk in actor.led_grade_ids
        or grade.school_id in actor.admin_school_ids
    )


def _grade_for(actor: Actor, grade_id: int) -> Grade:
    grade = Grade.objects.select_related("school__district").filter(id=grade_id).first()
    if grade is None or not _may_edit(actor, grade):
        raise NotFound()
    return grade


def _school_days(school_id: int, monday: dt.date) -> list[tuple[dt.date, DayKind]]:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    kinds = [(d, day_info(school_id, d).kind) for d in days]
    return [(d, k) for d, k in kinds if k is DayKind.SCHOOL_DAY]


def _actual_minutes(class_ids: list[int], days: list[dt.date]) -> dict[tuple[int, int, int], int]:
    """(class, subject, weekday) → counted minutes actually published on those days."""
    rows = Item.objects.filter(
        assignment__status=Assignment.Status.PUBLISHED,
        assignment__targets__school_class_id__in=class_ids,
        assignment__targets__date__in=days,
        kind="written",
        place="home",
        is_mandatory=True,
    ).values_list(
        "assignment__targets__school_class_id",
        "assignment__subject_id",
        "assignment__targets__date",
        "minutes",
    )
    result: dict[tuple[int, int, int], int] = defaultdict(int)
    for class_id, subject_id, day, minutes in rows:
        result[(class_id, subject_id, day.weekday())] += minutes
    return result


def _recent_week_minutes(class_ids: list[int], monday: dt.date) -> dict[tuple[int, int, int], int]:
    """What each subject set per weekday in the most recent of the last three weeks that has
    homework on at least three weekdays (the current week may have only begun)."""
    best: dict[tuple[int, int, int], int] = {}
    for weeks_back in (1, 2, 3):
        start = monday - dt.timedelta(weeks=weeks_back)
        minutes = _actual_minutes(class_ids, [start + dt.timedelta(days=i) for i in range(7)])
        if len({weekday for _, _, weekday in minutes}) >= 3:
            return minutes
        if len(minutes) > len(best):
            best = minutes
    return best


@transaction.atomic
def plan_open(*, actor: Actor, grade_id: int, week_start: dt.date) -> WeeklyPlan:
    """The grade's plan for a week, created and prefilled on first open."""
    grade = _grade_for(actor, grade_id)
    monday = week_monday(week_start)
    plan, created = WeeklyPlan.objects.get_or_create(
        grade=grade, week_start=monday, defaults={"school_id": grade.school_id}
    )
    if not created:
        return plan
    days = [d for d, _ in _school_days(grade.school_id, monday)]
    classes = list(SchoolClass.objects.filter(grade=grade))
    last_week = [
        d - dt.timedelta(days=7) for d in [monday + dt.timedelta(days=i) for i in range(7)]
    ]
    previous = _actual_minutes([c.pk for c in classes], last_week)
    taught = TeachingAssignment.objects.filter(school_class__in=classes).values_list(
        "school_class_id", "subject_id"
    )
    PlanEntry.objects.bulk_create(
        PlanEntry(
            school_id=grade.school_id,
            plan=plan,
            school_class_id=class_id,
            subject_id=subject_id,
            date=day,
            minutes=min(
                previous.get((class_id, subject_id, day.weekday()), 0), MAX_PLANNED_MINUTES
            ),
        )
        for class_id, subject_id in taught
        for day in days
    )
    return plan


def plan_grid(plan: WeeklyPlan, *, class_ids: list[int] | None = None) -> PlanGrid:
    """The plan as a grid with each class-day's total against its cap."""
    school = School.objects.select_related("district").get(id=plan.school_id)
    profile = profile_for_school(school)
    classes = list(SchoolClass.objects.filter(grade_id=plan.grade_id).select_related("grade"))
    if class_ids is not None:
        classes = [c for c in classes if c.pk in class_ids]
    school_days = _school_days(plan.school_id, plan.week_start)
    days = [d for d, _ in school_days]
    entries = list(
        PlanEntry.objects.filter(plan=plan, school_class__in=classes).select_related("subject")
    )
    cells = {(e.school_class_id, e.subject_id, e.date): e for e in entries}
    subjects: dict[int, list[Subject]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: (e.subject.sort_order, e.date)):
        if e.subject not in subjects[e.school_class_id]:
            subjects[e.school_class_id].append(e.subject)
    caps = {
        (c.pk, d): daily_homework_cap(profile, grade=c.grade.number, day_kind=kind)
        for c in classes
        for d, kind in school_days
    }
    totals: dict[tuple[int, dt.date], int] = defaultdict(int)
    for e in entries:
        totals[(e.school_class_id, e.date)] += e.minutes
    actual: dict[tuple[int, dt.date], int] = defaultdict(int)
    for (class_id, _subject, weekday), minutes in _actual_minutes(
        [c.pk for c in classes], days
    ).items():
        actual[(class_id, plan.week_start + dt.timedelta(days=weekday))] += minutes
    return PlanGrid(plan, classes, days, caps, subjects, cells, dict(totals), dict(actual))


def plan_save(
    *, actor: Actor, plan_id: int, cells: dict[tuple[int, int, dt.date], tuple[int, str]]
) -> WeeklyPlan:
    """Save edited cells. Edits to a published plan are recorded as changes."""
    plan = WeeklyPlan.objects.select_related("grade").filter(id=plan_id).first()
    if plan is None or not _may_edit(actor, plan.grade):
        raise NotFound()
    errors: dict[str, list[str]] = {}
    for (class_id, subject_id, day), (minutes, content) in cells.items():
        if not 0 <= minutes <= MAX_PLANNED_MINUTES:
            errors[f"cell-{class_id}-{subject_id}-{day.isoformat()}"] = [
                _("计划用时应在 0 到 %(max)d 分钟之间。") % {"max": MAX_PLANNED_MINUTES}
            ]
        if len(content) > 100:
            errors[f"cell-{class_id}-{subject_id}-{day.isoformat()}"] = [
                _("内容过长（最多 100 字）。")
            ]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        plan = WeeklyPlan.objects.select_for_update().get(pk=plan.pk)
        existing = {
            (e.school_class_id, e.subject_id, e.date): e
            for e in PlanEntry.objects.filter(plan=plan)
        }
        changes: list[PlanChange] = []
        for key, (minutes, content) in cells.items():
            entry = existing.get(key)
            if entry is None:
                raise ValidationFailed.single(
                    "cells", _("表格中有不属于本计划的单元格，请刷新后重试。")
                )
            if (entry.minutes, entry.content) == (minutes, content.strip()):
                continue
            if plan.status == WeeklyPlan.Status.APPROVED:
                changes.append(
                    PlanChange(
                        school_id=plan.school_id,
                        plan=plan,
                        school_class_id=key[0],
                        subject_id=key[1],
                        date=key[2],
                        minutes_before=entry.minutes,
                        minutes_after=minutes,
                        content_before=entry.content,
                        content_after=content.strip(),
                        changed_by_id=actor.teacher_id,
                    )
                )
            entry.minutes, entry.content = minutes, content.strip()
            entry.save(update_fields=["minutes", "content"])
        PlanChange.objects.bulk_create(changes)
        if plan.status == WeeklyPlan.Status.RETURNED:
            plan.status = WeeklyPlan.Status.DRAFT
        plan.save()
    return plan


def plan_submit(*, actor: Actor, plan_id: int) -> WeeklyPlan:
    plan = _plan_for_decision(actor, plan_id)
    if plan.status not in (WeeklyPlan.Status.DRAFT, WeeklyPlan.Status.RETURNED):
        raise ValidationFailed.single("status", _("该计划已提交或已公示。"))
    plan.status = WeeklyPlan.Status.SUBMITTED
    plan.leader_approved_by = plan.cadre_approved_by = None
    plan.save()
    return plan


def plan_approve(*, actor: Actor, plan_id: int) -> WeeklyPlan:
    """The leader's or the cadre's approval; with both, the plan becomes the public board."""
    with transaction.atomic():
        plan = _plan_for_decision(actor, plan_id, lock=True)
        if plan.status != WeeklyPlan.Status.SUBMITTED:
            raise ValidationFailed.single("status", _("只有待审核的计划可以审核。"))
        group = GradeGroup.objects.get(grade_id=plan.grade_id)
        if actor.teacher_id == group.leader_id:
            plan.leader_approved_by_id = actor.teacher_id
        if actor.teacher_id == group.cadre_id:
            plan.cadre_approved_by_id = actor.teacher_id
        if plan.leader_approved_by_id and plan.cadre_approved_by_id:
            plan.status = WeeklyPlan.Status.APPROVED
            plan.published_at = timezone.now()
        plan.save()
    return plan


def plan_return(*, actor: Actor, plan_id: int, comment: str) -> WeeklyPlan:
    if not comment.strip():
        raise ValidationFailed.single("comment", _("退回时请写明意见。"))
    with transaction.atomic():
        plan = _plan_for_decision(actor, plan_id, lock=True)
        if plan.status != WeeklyPlan.Status.SUBMITTED:
            raise ValidationFailed.single("status", _("只有待审核的计划可以退回。"))
        plan.status = WeeklyPlan.Status.RETURNED
        plan.return_comment = comment.strip()[:300]
        plan.leader_approved_by = plan.cadre_approved_by = None
        plan.save()
    return plan


def _plan_for_decision(actor: Actor, plan_id: int, *, lock: bool = False) -> WeeklyPlan:
    plans = WeeklyPlan.objects.select_for_update() if lock else WeeklyPlan.objects.all()
    plan = plans.filter(id=plan_id, grade_id__in=actor.led_grade_ids).first()
    if plan is None:
        if WeeklyPlan.objects.filter(id=plan_id, school_id__in=actor.admin_school_ids).exists():
            raise Forbidden(_("计划由年级组长和行政干部审核。"))
        raise NotFound()
    return plan


def board_for(class_id: int, week_start: dt.date) -> tuple[PlanGrid, list[PlanChange]] | None:
    """A class's published board for a week: public, so it carries no student data."""
    school_class = SchoolClass.objects.filter(id=class_id).first()
    if school_class is None:
        return None
    plan = WeeklyPlan.objects.filter(
        grade_id=school_class.grade_id,
        week_start=week_monday(week_start),
        status=WeeklyPlan.Status.APPROVED,
    ).first()
    if plan is None:
        return None
    changes = list(
        PlanChange.objects.filter(plan=plan, school_class_id=class_id).select_related(
            "subject", "changed_by"
        )
    )
    grid = plan_grid(plan, class_ids=[class_id])
    grid.subjects[class_id] = grid.subjects_with_homework(class_id)
    grid.approved = approved_exceptions([class_id], grid.days[0], grid.days[-1])
    return grid, changes


def grades_for_planning(actor: Actor) -> list[Grade]:
    grades = Grade.objects.filter(id__in=actor.led_grade_ids) | Grade.objects.filter(
        school_id__in=actor.admin_school_ids
    )
    return list(grades.distinct().order_by("school_id", "number"))


def group_of(plan: WeeklyPlan) -> GradeGroup | None:
    return (
        GradeGroup.objects.select_related("leader", "cadre").filter(grade_id=plan.grade_id).first()
    )
