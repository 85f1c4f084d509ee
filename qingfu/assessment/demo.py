"""The demo school's exam plan for the semester (approved), and the junior grades' midterm
results as bands. Grades 1-2 have a non-paper end-of-term assessment only."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from qingfu.assessment.models import Exam, Result
from qingfu.schools.models import Grade, RoleGrant, School, Semester, Student, Subject

CORE = ("chinese", "math", "english")


def build_exams(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    semester = Semester.objects.filter(school=school, start__lte=today, end__gte=today).first()
    admin = RoleGrant.objects.filter(school=school, role="school_admin").first()
    if semester is None or admin is None or Exam.objects.filter(semester=semester).exists():
        return
    subjects = {s.code: s for s in Subject.objects.filter(school=school)}
    final_day = semester.end - dt.timedelta(days=10)
    midterm_day = semester.start + (semester.end - semester.start) / 2 - dt.timedelta(days=14)
    exams = []
    for grade in Grade.objects.filter(school=school):
        codes = [c for c in CORE if c in subjects and subjects[c].is_taught_in(grade.number)]
        if grade.number <= 2:
            exams += [
                Exam(school=school, semester=semester, grade=grade, subject=subjects[c],
                     kind="final", date=final_day, duration_minutes=40, is_paper=False)
                for c in codes[:2]
            ]  # fmt: skip
            continue
        minutes = 60 if grade.number <= 4 else 90 if grade.number <= 6 else 120
        exams += [
            Exam(school=school, semester=semester, grade=grade, subject=subjects[c],
                 kind="final", date=final_day, duration_minutes=minutes)
            for c in codes
        ]  # fmt: skip
        if grade.number >= 7:
            exams += [
                Exam(school=school, semester=semester, grade=grade, subject=subjects[c],
                     kind="midterm", date=midterm_day, duration_minutes=minutes)
                for c in codes
            ]  # fmt: skip
    for exam in exams:
        exam.status = Exam.Status.APPROVED
        exam.approved_by_id = admin.user_id
        exam.approved_at = timezone.now()
    Exam.objects.bulk_create(exams)
    bands = ("优秀", "良好", "合格", "待合格")
    results = []
    for exam in Exam.objects.filter(semester=semester, kind="midterm", date__lt=today):
        for student_id in Student.objects.filter(
            school_class__grade_id=exam.grade_id, is_active=True
        ).values_list("id", flat=True):
            band = rng.choices(bands, weights=(30, 40, 25, 5))[0]
            results.append(
                Result(school=school, exam=exam, student_id=student_id, band=band,
                       entered_by_id=admin.user_id)
            )  # fmt: skip
    Result.objects.bulk_create(results, batch_size=2000)


def build_element_marks(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    """Two weeks of ability-element marks on the demo school's homework, with the
    error-notebook entries the misses made, so class charts and notebooks have content."""
    from qingfu.assessment.models import ElementMark, NotebookEntry
    from qingfu.homework.models import AssignmentClass

    first = School.objects.filter(district=school.district).order_by("code").first()
    if first != school or ElementMark.objects.filter(school=school).exists():
        return
    targets = (
        AssignmentClass.objects.filter(
            school=school, date__gte=today - dt.timedelta(days=14), date__lt=today,
            assignment__status="published",
        )
        .select_related("assignment__teacher")
        .prefetch_related("assignment__items")
    )  # fmt: skip
    reasons = [r.value for r in NotebookEntry.Reason]
    marks, entries = [], []
    pupils: dict[int, list[int]] = {}
    for target in targets:
        teacher = target.assignment.teacher
        if teacher.user_id is None:
            continue
        if target.school_class_id not in pupils:
            pupils[target.school_class_id] = list(
                Student.objects.filter(school_class_id=target.school_class_id).values_list(
                    "id", flat=True
                )
            )
        for item in target.assignment.items.all():
            for element in item.ability_elements:
                weakness = rng.uniform(0.05, 0.35)
                for student_id in pupils[target.school_class_id]:
                    draw = rng.random()
                    mark = (
                        "miss" if draw < weakness / 2 else "partial" if draw < weakness else "good"
                    )
                    marks.append(
                        ElementMark(school=school, item=item, student_id=student_id,
                                    element=element, mark=mark, marked_by_id=teacher.user_id)
                    )  # fmt: skip
                    if mark == "miss":
                        entries.append(
                            NotebookEntry(school=school, student_id=student_id, item=item,
                                          element=element, reason=rng.choice(reasons),
                                          created_by_id=teacher.user_id)
                        )  # fmt: skip
    ElementMark.objects.bulk_create(marks, batch_size=2000, ignore_conflicts=True)
    NotebookEntry.objects.bulk_create(entries, batch_size=2000, ignore_conflicts=True)
