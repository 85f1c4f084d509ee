"""Writes for exams: the semester plan (checked against the policy before approval), the
school's grade bands, and results entered by the class's subject teacher as bands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from qingfu.assessment import bands as band_logic
from qingfu.assessment import selectors
from qingfu.assessment.models import BandScheme, Exam, Result
from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.audit import audit_change
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.policy.checks import check_result_bands
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import local_today, profile_for_school
from qingfu.schools.models import Grade, School, Semester, Student, Subject, TeachingAssignment
from qingfu.schools.services import require_school_admin


def _may_plan(actor: Actor, grade: Grade) -> None:
    if grade.school_id in actor.admin_school_ids or grade.pk in actor.led_grade_ids:
        return
    require_school_admin(actor, grade.school_id)


@dataclass(frozen=True)
class ExamInput:
    semester_id: int
    grade_id: int
    subject_id: int
    kind: str
    date: dt.date
    duration_minutes: int
    is_paper: bool = True
    is_regional: bool = False
    full_marks: int = 100


def _verdict_key(verdict: Verdict) -> tuple[str, str]:
    return verdict.rule_id, verdict.message_zh


def verdict_text(verdict: Verdict) -> str:
    """A refusal in the reader's language, with the rule's title and the document it comes
    from (the rule's id is an internal code, not shown)."""
    language = get_language() or "zh-hans"
    return _("%(message)s。依据%(citation)s中“%(title)s”的规定。") % {
        "message": verdict.message(language),
        "title": verdict.title(language),
        "citation": verdict.citation,
    }


def exam_add(*, actor: Actor, data: ExamInput) -> Exam:
    """Add an exam to a grade's plan (a draft until the plan is approved)."""
    grade = Grade.objects.filter(id=data.grade_id).first()
    if grade is None:
        raise NotFound()
    _may_plan(actor, grade)
    errors: dict[str, list[str]] = {}
    semester = Semester.objects.filter(id=data.semester_id, school_id=grade.school_id).first()
    if semester is None:
        errors["semester_id"] = [_("请选择本校的学期。")]
    elif not semester.start <= data.date <= semester.end:
        errors["date"] = [
            _("考试日期 %(d)s 不在本学期（%(a)s 至 %(b)s）内。")
            % {"d": data.date, "a": semester.start, "b": semester.end}
        ]
    subject = Subject.objects.filter(id=data.subject_id, school_id=grade.school_id).first()
    if subject is None or not subject.is_taught_in(grade.number):
        errors["subject_id"] = [_("这一年级不开设该学科。")]
    if data.kind not in Exam.Kind.values:
        errors["kind"] = [_("请选择考试类型。")]
    if not 1 <= data.duration_minutes <= 300:
        errors["duration_minutes"] = [_("时长应为 1 至 300 分钟。")]
    if not 1 <= data.full_marks <= 1000:
        errors["full_marks"] = [_("满分应为 1 至 1000。")]
    if errors:
        raise ValidationFailed(errors)
    assert semester is not None and subject is not None
    exam = Exam(
        school_id=grade.school_id,
        semester=semester,
        grade=grade,
        subject=subject,
        kind=data.kind,
        date=data.date,
        duration_minutes=data.duration_minutes,
        is_paper=data.is_paper,
        is_regional=data.is_regional,
        full_marks=data.full_marks,
    )
    # Refuse at once what could never be approved (a paper exam in grade 2, a second final)
    # rather than keep it as a draft that blocks the whole grade. Only violations this exam
    # brings count: a plan already in breach (the profile got stricter) can still be mended.
    planned = list(Exam.objects.filter(semester=semester, grade=grade).select_related("subject"))
    before = {_verdict_key(v) for v in selectors.plan_verdicts(grade, planned) if v.blocks}
    brought = [
        v
        for v in selectors.plan_verdicts(grade, [*planned, exam])
        if v.blocks and _verdict_key(v) not in before
    ]
    if brought:
        raise ValidationFailed({"__all__": [verdict_text(v) for v in brought]})
    exam.save()
    # A changed plan must be approved again.
    Exam.objects.filter(semester=semester, grade=grade).update(
        status=Exam.Status.DRAFT, approved_by=None, approved_at=None
    )
    exam.refresh_from_db()
    return exam


def exam_remove(*, actor: Actor, exam_id: int) -> None:
    exam = Exam.objects.select_related("grade").filter(id=exam_id).first()
    if exam is None:
        raise NotFound()
    _may_plan(actor, exam.grade)
    if exam.results.exists():
        raise ValidationFailed.single("__all__", _("已录入成绩的考试不能删除。"))
    exam.delete()


def plan_approve(*, actor: Actor, semester_id: int, grade_id: int) -> list[Exam]:
    """Approve a grade's semester plan; refused, with the rules, while any is violated."""
    grade = Grade.objects.filter(id=grade_id).first()
    if grade is None:
        raise NotFound()
    require_school_admin(actor, grade.school_id)
    exams = list(Exam.objects.filter(semester_id=semester_id, grade=grade))
    if not exams:
        raise ValidationFailed.single("__all__", _("这一年级还没有考试安排。"))
    blocking = [v for v in selectors.plan_verdicts(grade, exams) if v.blocks]
    if blocking:
        raise ValidationFailed({"__all__": [verdict_text(v) for v in blocking]})
    Exam.objects.filter(pk__in=[e.pk for e in exams]).update(
        status=Exam.Status.APPROVED,
        approved_by_id=signed_in_user_id(actor),
        approved_at=timezone.now(),
    )
    return list(Exam.objects.filter(pk__in=[e.pk for e in exams]))


def band_scheme_set(
    *, actor: Actor, school_id: int, bands: Sequence[band_logic.Band]
) -> BandScheme:
    require_school_admin(actor, school_id)
    problems = band_logic.scheme_problems(bands)
    school = School.objects.select_related("district").get(pk=school_id)
    count = check_result_bands(profile_for_school(school), levels=len(bands))
    if count.blocks:
        problems.append(count.message_zh)
    if problems:
        raise ValidationFailed({"bands": problems})
    scheme, _created = BandScheme.objects.update_or_create(
        school_id=school_id,
        defaults={
            "bands": [
                {"name": b.name.strip(), "low": b.low, "high": b.high}
                for b in sorted(bands, key=lambda b: b.low, reverse=True)
            ]
        },
    )
    return scheme


def results_enter(
    *,
    actor: Actor,
    exam_id: int,
    class_id: int,
    scores: Mapping[int, float] | None = None,
    bands: Mapping[int, str] | None = None,
) -> list[Result]:
    """The subject teacher enters a class's results as scores (turned into bands at once and
    not kept) or directly as bands; all or nothing."""
    exam = Exam.objects.select_related("grade", "subject").filter(id=exam_id).first()
    if exam is None:
        raise NotFound()
    teaches = TeachingAssignment.objects.filter(
        teacher_id=actor.teacher_id or 0, school_class_id=class_id, subject_id=exam.subject_id
    ).exists()
    if not teaches:
        raise NotFound()
    if exam.status != Exam.Status.APPROVED:
        raise ValidationFailed.single("__all__", _("考试安排审定后才能录入成绩。"))
    if exam.date > local_today():
        raise ValidationFailed.single("__all__", _("考试还没有进行，不能录入成绩。"))
    roster = set(
        Student.objects.filter(
            school_class_id=class_id, school_class__grade_id=exam.grade_id, is_active=True
        ).values_list("id", flat=True)
    )
    if not roster:
        raise Forbidden()
    scheme = selectors.scheme_for(exam.school_id)
    names = {b.name for b in scheme}
    entered: dict[int, str] = {}
    errors: dict[str, list[str]] = {}
    for student_id, score in (scores or {}).items():
        if not 0 <= score <= exam.full_marks:
            errors[f"score.{student_id}"] = [
                _("分数 %(s)s 超出 0–%(m)d 分。") % {"s": score, "m": exam.full_marks}
            ]
        else:
            entered[student_id] = band_logic.band_for(score, exam.full_marks, scheme)
    for student_id, band in (bands or {}).items():
        if band not in names:
            errors[f"band.{student_id}"] = [_("未知的等级“%(b)s”。") % {"b": band}]
        else:
            entered[student_id] = band
    strangers = [sid for sid in entered if sid not in roster]
    if strangers:
        errors["student"] = [
            ngettext("%(n)d 名学生不在本班。", "%(n)d 名学生不在本班。", len(strangers))
            % {"n": len(strangers)}
        ]
    if errors:
        raise ValidationFailed(errors)
    user_id = signed_in_user_id(actor)
    with transaction.atomic():
        for student_id, band in entered.items():
            Result.objects.update_or_create(
                exam=exam,
                student_id=student_id,
                defaults={"school_id": exam.school_id, "band": band, "entered_by_id": user_id},
            )
        audit_change(actor, "exam_results", entered, school_id=exam.school_id, object_id=exam.pk)
    return list(Result.objects.filter(exam=exam, student_id__in=entered))
