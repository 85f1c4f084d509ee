"""Publishing homework and deciding exceptions.

The check and the write happen inside one transaction that first locks every affected
class-day row, in class-id order so two publishers never deadlock. On PostgreSQL that is
``SELECT … FOR UPDATE``; on SQLite the transaction takes the database write lock up
front (IMMEDIATE mode, see settings). Either way the second of two simultaneous
publishers sees the first one's items before it checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qingfu.core.actor import Actor
from qingfu.core.changes import announce_class_days
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.core.reads import Reads
from qingfu.core.wording import phrase
from qingfu.homework import selectors
from qingfu.homework.data import HomeworkDraft
from qingfu.homework.load import NO_WRITTEN_RULE, ClassDayCheck
from qingfu.homework.models import (
    Alert,
    Assignment,
    AssignmentClass,
    ClassDay,
    Item,
    LoadException,
)
from qingfu.policy.checks import take_home_written_minutes
from qingfu.schools.models import GradeGroup, School, SchoolClass, Subject


class PublishBlocked(Exception):
    """Publishing would break a rule. ``checks`` says which class and why; nothing was saved.

    ``can_request_exception`` is true when every blocking rule is one a grade-group leader
    may waive (a cap), false when a ban was broken.
    """

    def __init__(self, checks: Sequence[ClassDayCheck]) -> None:
        self.checks = list(checks)
        self.blocked = [c for c in self.checks if c.blocking]
        self.can_request_exception = all(c.needs_exception for c in self.blocked)
        super().__init__(", ".join(v.rule_id for c in self.blocked for v in c.blocking))

    def reasons(self) -> list[str]:
        """Why publishing was refused, each reason once, in the active language (grades 1–2
        in one plain sentence)."""
        language = get_language() or "zh-hans"
        lines: list[str] = []
        for check in self.blocked:
            for verdict in check.blocking:
                line = (
                    _("一、二年级不布置书面家庭作业")
                    if verdict.rule_id == NO_WRITTEN_RULE
                    else str(verdict.message(language))
                )
                if line not in lines:
                    lines.append(line)
        return lines

    def message(self) -> str:
        """The refusal in one sentence of the active language: the classes, then why."""
        return _("%(classes)s：%(reasons)s") % {
            "classes": _("、").join(c.class_name for c in self.blocked),
            "reasons": _("；").join(self.reasons()),
        }

    def __str__(self) -> str:
        return self.message()


def _lock_class_days(school_id: int, class_ids: Sequence[int], date: dt.date) -> None:
    for class_id in sorted(set(class_ids)):
        ClassDay.objects.get_or_create(school_id=school_id, school_class_id=class_id, date=date)
    list(
        ClassDay.objects.select_for_update()
        .filter(school_class_id__in=class_ids, date=date)
        .order_by("school_class_id")
    )


def _refresh_planned_minutes(class_ids: Sequence[int], date: dt.date) -> None:
    items = selectors.day_items(class_ids, date)
    for class_id in class_ids:
        minutes = take_home_written_minutes([facts for _, facts in items.get(class_id, [])])
        ClassDay.objects.filter(school_class_id=class_id, date=date).update(planned_minutes=minutes)


def _create(
    actor: Actor,
    subject: Subject,
    classes: Sequence[SchoolClass],
    draft: HomeworkDraft,
    status: str,
) -> Assignment:
    assert actor.teacher_id is not None
    now = timezone.now()
    assignment = Assignment.objects.create(
        school_id=subject.school_id,
        teacher_id=actor.teacher_id,
        subject=subject,
        date=draft.date,
        due_on=draft.due_on,
        note=draft.note.strip()[:200],
        status=status,
        published_at=now if status == Assignment.Status.PUBLISHED else None,
    )
    AssignmentClass.objects.bulk_create(
        AssignmentClass(
            school_id=c.school_id, assignment=assignment, school_class=c, date=draft.date
        )
        for c in classes
    )
    Item.objects.bulk_create(
        Item(
            assignment=assignment,
            position=index,
            content=item.content.strip(),
            kind=item.kind,
            tier=item.tier,
            is_mandatory=item.is_mandatory,
            minutes=item.minutes,
            place=item.place,
            ability_elements=list(item.ability_elements),
            needs_phone=item.needs_phone,
            asks_parents_to_grade=item.asks_parents_to_grade,
            is_punitive=item.is_punitive,
            copying_minutes=item.copying_minutes,
        )
        for index, item in enumerate(draft.items)
    )
    return assignment


def _alert_expected_over_cap(
    checks: Sequence[ClassDayCheck], classes: Sequence[SchoolClass], date: dt.date
) -> None:
    """Within the cap on paper, over it by what families report: tell the grade leader
    before the day, so the group can lighten it."""
    leaders = dict(
        GradeGroup.objects.filter(grade_id__in={c.grade_id for c in classes}).values_list(
            "grade_id", "leader_id"
        )
    )
    for check, school_class in zip(checks, classes, strict=True):
        leader = leaders.get(school_class.grade_id)
        if leader is None or check.expected_actual is None or check.expected_actual <= check.cap:
            continue
        Alert.objects.update_or_create(
            recipient_id=leader,
            kind=Alert.Kind.OVER_CAP_EXPECTED,
            school_class=school_class,
            date=date,
            student=None,
            defaults={
                "school_id": school_class.school_id,
                "wording": phrase(
                    "{class} {date} 作业按计划 {planned} 分钟，"
                    "按家长记录校准预计实际约 {expected} 分钟，超过 {cap} 分钟上限。",
                    **{"class": Alert.class_name(check.grade, school_class.number)},
                    date=Alert.day(date),
                    planned=check.minutes_after,
                    expected=check.expected_actual,
                    cap=check.cap,
                ),
            },
        )


def expected_alerts_for_day(*, school_id: int, day: dt.date) -> int:
    """Re-check a planned day before it comes: each class's published homework for ``day``
    against the cap by what families report (calibration moves as they log), alerting
    the grade leader where it is over. Run the evening before (``qingfu expected_alerts``).
    Returns the number of classes over."""
    classes = list(
        SchoolClass.objects.filter(school_id=school_id).select_related("grade").order_by("id")
    )
    nothing = HomeworkDraft(0, tuple(c.pk for c in classes), day, day, ())
    checks = selectors.checks_for("", classes, nothing)  # no draft: no subject of its own
    _alert_expected_over_cap(checks, classes, day)
    return sum(c.expected_actual is not None and c.expected_actual > c.cap for c in checks)


def expected_alerts_for_schools(*, day: dt.date) -> int:
    """:func:`expected_alerts_for_day` in every school, in the order of their ids: the
    nightly job (``qingfu expected_alerts``, or the scheduled task). Returns the number of
    classes over."""
    return sum(
        expected_alerts_for_day(school_id=school_id, day=day)
        for school_id in School.objects.order_by("id").values_list("id", flat=True)
    )


def homework_publish(
    *, actor: Actor, draft: HomeworkDraft, exception_reason: str | None = None
) -> Assignment:
    """Publish to every selected class, or to none.

    If a class-day would go over a cap, nothing is published unless ``exception_reason``
    is given: then the assignment waits, as pending, for the grade-group leader.
    A broken ban (phone check-in, homework for parents, punishment) is never publishable.
    """
    reads = Reads()
    subject, classes = selectors.draft_validate(actor, draft, reads)
    with transaction.atomic():
        _lock_class_days(subject.school_id, [c.pk for c in classes], draft.date)
        checks = selectors.checks_for(
            subject.code, classes, draft, draft_teacher_id=actor.teacher_id, reads=reads
        )
        blocked = [c for c in checks if c.blocking]
        if not blocked:
            assignment = _create(actor, subject, classes, draft, Assignment.Status.PUBLISHED)
            _refresh_planned_minutes([c.pk for c in classes], draft.date)
            _alert_expected_over_cap(checks, classes, draft.date)
            announce_class_days(
                school_id=subject.school_id, keys={(c.pk, draft.date) for c in classes}
            )
            return assignment
        error = PublishBlocked(checks)
        if exception_reason is None or not error.can_request_exception:
            raise error
        if not exception_reason.strip():
            raise ValidationFailed.single("exception_reason", _("请写明申请例外的理由。"))
        assignment = _create(actor, subject, classes, draft, Assignment.Status.PENDING)
        LoadException.objects.bulk_create(
            LoadException(
                school_id=subject.school_id,
                assignment=assignment,
                school_class_id=check.class_id,
                date=draft.date,
                rule_ids=sorted({v.rule_id for v in check.blocking}),
                measured=check.minutes_after,
                limit=check.cap,
                request_reason=exception_reason.strip()[:300],
            )
            for check in blocked
        )
        return assignment


def exception_decide(*, actor: Actor, exception_id: int, grant: bool, reason: str) -> LoadException:
    """The grade-group leader's (or cadre's) written decision on one class-day request.

    When every request of an assignment is granted, the assignment is published; when
    one is refused, the assignment is not published anywhere.
    """
    try:
        request = selectors.exceptions_for_leader(actor).get(id=exception_id)
    except LoadException.DoesNotExist as exc:
        raise NotFound() from exc
    if request.status != LoadException.Status.PENDING:
        raise ValidationFailed.single("status", _("该申请已处理。"))
    if not reason.strip():
        raise ValidationFailed.single("reason", _("请填写审批意见。"))
    decider = GradeGroup.objects.filter(grade_id=request.school_class.grade_id).first()
    if decider is None or actor.teacher_id not in (decider.leader_id, decider.cadre_id):
        raise Forbidden()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=request.assignment_id)
        now = timezone.now()
        request.status = LoadException.Status.GRANTED if grant else LoadException.Status.REFUSED
        request.decided_by_id = actor.teacher_id
        request.decision_reason = reason.strip()[:300]
        request.decided_at = now
        request.save()
        announce_class_days(
            school_id=request.school_id, keys={(request.school_class_id, request.date)}
        )
        if not grant:
            assignment.status = Assignment.Status.REFUSED
            assignment.save(update_fields=["status"])
            LoadException.objects.filter(
                assignment=assignment, status=LoadException.Status.PENDING
            ).update(status=LoadException.Status.REFUSED, decided_at=now)
            return request
        still_pending = LoadException.objects.filter(
            assignment=assignment, status=LoadException.Status.PENDING
        ).exists()
        if not still_pending and assignment.status == Assignment.Status.PENDING:
            class_ids = list(assignment.targets.values_list("school_class_id", flat=True))
            _lock_class_days(assignment.school_id, class_ids, assignment.date)
            assignment.status = Assignment.Status.PUBLISHED
            assignment.published_at = now
            assignment.save(update_fields=["status", "published_at"])
            _refresh_planned_minutes(class_ids, assignment.date)
            announce_class_days(
                school_id=assignment.school_id, keys={(c, assignment.date) for c in class_ids}
            )
    return request
