"""Reads for exams: plan verdicts, the school's bands, and results for exactly those who may
see them — the student, the guardians and the class's teachers; aggregates only for groups
large enough not to reveal a child. Rows always come in roster order, never by result."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from qingfu.assessment.bands import DEFAULT_SCHEME, Band
from qingfu.assessment.models import BandScheme, Exam, Result
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list
from qingfu.core.errors import NotFound
from qingfu.homework.models import Assignment
from qingfu.policy.checks import ExamFacts, check_exam_plan
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import Grade, SchoolClass, Student, TeachingAssignment
from qingfu.schools.selectors import student_get


def scheme_for(school_id: int) -> tuple[Band, ...]:
    scheme = BandScheme.objects.filter(school_id=school_id).first()
    if scheme is None:
        return DEFAULT_SCHEME
    return tuple(Band(b["name"], b["low"], b["high"]) for b in scheme.bands)


def plan_verdicts(grade: Grade, exams: Sequence[Exam]) -> list[Verdict]:
    """The grade's semester plan against the profile (exam counts, grades 1-2, durations,
    regional exams). The graduating grade is the school's last."""
    profile = profile_for_school(grade.school)
    facts = [
        ExamFacts(
            kind=e.kind,  # type: ignore[arg-type]
            subject=e.subject.code,
            is_paper=e.is_paper,
            duration_minutes=e.duration_minutes,
            is_regional=e.is_regional,
        )
        for e in exams
    ]
    graduating = grade.number == max(grade.school.grade_numbers)
    return check_exam_plan(profile, grade=grade.number, is_graduating=graduating, exams=facts)


@dataclass(frozen=True)
class GradePlan:
    grade: Grade
    exams: list[Exam]
    verdicts: list[Verdict]

    @property
    def blocked(self) -> bool:
        return any(v.blocks for v in self.verdicts)

    @property
    def sittings(self) -> list[tuple[dt.date, str, list[Exam]]]:
        """The exams by day and kind (期末考试 on 1月12日: 语文, 数学 …), as a timetable reads."""
        groups: dict[tuple[dt.date, str], list[Exam]] = {}
        for exam in sorted(self.exams, key=lambda e: (e.date, e.kind)):
            groups.setdefault((exam.date, exam.kind), []).append(exam)
        return [(day, str(Exam.Kind(kind).label), exams) for (day, kind), exams in groups.items()]

    @property
    def approved(self) -> bool:
        return bool(self.exams) and all(e.status == Exam.Status.APPROVED for e in self.exams)


def semester_plan(school_id: int, semester_id: int) -> list[GradePlan]:
    exams = list(
        Exam.objects.filter(school_id=school_id, semester_id=semester_id).select_related(
            "subject", "grade__school"
        )
    )
    plans = []
    for grade in Grade.objects.filter(school_id=school_id).select_related("school"):
        mine = [e for e in exams if e.grade_id == grade.pk]
        plans.append(GradePlan(grade, mine, plan_verdicts(grade, mine) if mine else []))
    return plans


# --- results ---------------------------------------------------------------------------------


def teaches_class(actor: Actor, class_id: int) -> bool:
    return class_id in actor.taught_class_ids or class_id in actor.head_class_ids


@dataclass(frozen=True)
class ClassResults:
    exam: Exam
    school_class: SchoolClass
    rows: list[tuple[Student, str | None]]  # roster order
    distribution: dict[str, int] | None  # None when the class is too small to show


def class_results(actor: Actor, exam_id: int, class_id: int) -> ClassResults:
    """A class's results for its teachers, in roster order, with the band distribution."""
    if not teaches_class(actor, class_id):
        raise NotFound()
    exam = Exam.objects.select_related("subject", "grade__school").filter(id=exam_id).first()
    school_class = SchoolClass.objects.filter(
        id=class_id, grade_id=exam.grade_id if exam else 0
    ).first()
    if exam is None or school_class is None:
        raise NotFound()
    students = list(
        Student.objects.filter(school_class=school_class, is_active=True).order_by("id")
    )
    bands = dict(
        Result.objects.filter(exam=exam, student__in=students).values_list("student_id", "band")
    )
    rows = [(s, bands.get(s.pk)) for s in students]
    audit_list(
        actor,
        "exam_results",
        [s.pk for s in students],
        school_id=school_class.school_id,
        object_id=exam.pk,
        what=f"{exam} {school_class}",
    )
    return ClassResults(exam, school_class, rows, distribution(exam, list(bands.values())))


def distribution(exam: Exam, bands: Sequence[str]) -> dict[str, int] | None:
    """Count per band in the school's order, or None for a group below the minimum size."""
    minimum = profile_for_school(exam.grade.school).rule("priv.min-group").whole()
    if len(bands) < minimum:
        return None
    counts = Counter(bands)
    return {b.name: counts[b.name] for b in scheme_for(exam.school_id)}


def may_enter(actor: Actor, exam: Exam, class_id: int) -> bool:
    return TeachingAssignment.objects.filter(
        teacher_id=actor.teacher_id or 0, school_class_id=class_id, subject_id=exam.subject_id
    ).exists()


def _class_of(student_id: int) -> int:
    """The student's class id (0 if there is no such student): for deciding access only."""
    found = Student.objects.filter(id=student_id).values_list("school_class_id", flat=True)
    return found.first() or 0


def student_results(actor: Actor, student_id: int) -> tuple[Student, list[Result]]:
    """A student's bands for the student, their guardians and their class's teachers."""
    own = student_id == actor.student_id or student_id in actor.child_student_ids
    # Decided before the audited read, so a refusal leaves no audit entry of a read.
    if not (own or teaches_class(actor, _class_of(student_id))):
        raise NotFound()
    student = student_get(actor, student_id, what="exam_results")  # audited
    results = list(
        Result.objects.filter(student=student)
        .select_related("exam__subject", "exam__semester")
        .order_by("exam__date", "exam__subject__sort_order")
    )
    return student, results


def exams_for_teacher(actor: Actor) -> list[tuple[Exam, SchoolClass]]:
    """Approved exams of the subjects and classes the actor teaches."""
    pairs = TeachingAssignment.objects.filter(teacher_id=actor.teacher_id or 0).select_related(
        "school_class__grade"
    )
    out = []
    for ta in pairs:
        for exam in Exam.objects.filter(
            grade_id=ta.school_class.grade_id,
            subject_id=ta.subject_id,
            status=Exam.Status.APPROVED,
        ).select_related("subject"):
            out.append((exam, ta.school_class))
    return sorted(out, key=lambda p: (p[0].date, p[1].grade.number, p[1].number))


def markable(actor: Actor, *, limit: int = 20) -> list[tuple[Assignment, SchoolClass]]:
    """The actor's recent published homework with ability elements, per class, to mark."""
    out: list[tuple[Assignment, SchoolClass]] = []
    for assignment in (
        Assignment.objects.filter(
            teacher_id=actor.teacher_id or 0, status=Assignment.Status.PUBLISHED
        )
        .select_related("subject")
        .prefetch_related("items", "targets__school_class__grade")
        .order_by("-date", "-id")[: limit * 2]
    ):
        if any(item.ability_elements for item in assignment.items.all()):
            out += [(assignment, t.school_class) for t in assignment.targets.all()]
    return out[:limit]
