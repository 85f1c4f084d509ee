"""Reads of school structure and people, always scoped to the acting user.

Each ``*_for(actor)`` returns a queryset of exactly what that actor may see; ``*_get``
returns one object or raises ``NotFound`` for missing and forbidden alike. Selectors that
return a minor's personal data write to the audit log.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list, audit_read
from qingfu.core.errors import NotFound
from qingfu.core.reads import Reads
from qingfu.core.roles import Role
from qingfu.schools.models import (
    District,
    Grade,
    Guardian,
    GuardianLink,
    School,
    SchoolClass,
    Semester,
    Student,
    Subject,
    Teacher,
    TeachingAssignment,
)
from qingfu.schools.naming import distinct_names, grade_display_name, is_english


def schools_for(actor: Actor) -> QuerySet[School]:
    """Schools the actor belongs to, inspects, or oversees as a district officer."""
    if actor.is_superuser:
        return School.objects.all()
    return School.objects.filter(
        Q(id__in=actor.school_ids | actor.inspected_school_ids)
        | Q(district_id__in=actor.district_ids)
    )


def access_school(actor: Actor, school_id: int) -> School:
    """A school the actor may see, or the uniform "not found"."""
    school = schools_for(actor).filter(id=school_id).select_related("district").first()
    if school is None:
        raise NotFound()
    return school


def districts_for(actor: Actor) -> QuerySet[District]:
    if actor.is_superuser:
        return District.objects.all()
    return District.objects.filter(id__in=actor.district_ids)


def _class_filter(actor: Actor) -> Q:
    q = Q(id__in=actor.taught_class_ids | actor.head_class_ids)
    q |= Q(school_id__in=actor.admin_school_ids | actor.inspected_school_ids)
    q |= Q(school__district_id__in=actor.district_ids)
    q |= Q(grade_id__in=actor.led_grade_ids)
    if actor.student_id is not None:
        q |= Q(students__id=actor.student_id)
    if actor.child_student_ids:
        q |= Q(students__id__in=actor.child_student_ids)
    return q


def classes_for(actor: Actor) -> QuerySet[SchoolClass]:
    """Classes visible to the actor (class names and counts are not personal data)."""
    qs = SchoolClass.objects.select_related("grade", "school", "head_teacher")
    if actor.is_superuser:
        return qs
    if actor.is_anonymous:
        return qs.none()
    return qs.filter(_class_filter(actor)).distinct()


def class_get(actor: Actor, class_id: int) -> SchoolClass:
    try:
        return classes_for(actor).get(id=class_id)
    except SchoolClass.DoesNotExist as exc:
        raise NotFound() from exc


def access_managed_class(actor: Actor, class_id: int) -> SchoolClass:
    """A class whose settings the actor may change (its head teacher, its school's admins),
    or the uniform "not found"."""
    school_class = SchoolClass.objects.filter(id=class_id).select_related("grade").first()
    if school_class is None or not (
        actor.is_superuser
        or class_id in actor.head_class_ids
        or school_class.school_id in actor.admin_school_ids
    ):
        raise NotFound()
    return school_class


def _student_filter(actor: Actor) -> Q:
    """Personal data: the school's admins, the grade's leaders, the class's teachers,
    the student and their guardians. District officers and inspectors see aggregates only."""
    q = Q(school_id__in=actor.admin_school_ids)
    q |= Q(school_class__grade_id__in=actor.led_grade_ids)
    q |= Q(school_class_id__in=actor.taught_class_ids | actor.head_class_ids)
    ids = set(actor.child_student_ids)
    if actor.student_id is not None:
        ids.add(actor.student_id)
    if ids:
        q |= Q(id__in=ids)
    return q


def students_for(actor: Actor) -> QuerySet[Student]:
    qs = Student.objects.select_related("school_class__grade")
    if actor.is_superuser:
        return qs
    if actor.is_anonymous:
        return qs.none()
    return qs.filter(_student_filter(actor))


def can_see_student(actor: Actor, student: Student) -> bool:
    return students_for(actor).filter(id=student.pk).exists()


def student_get(actor: Actor, student_id: int, *, what: str = "student") -> Student:
    """One student's record, audited as a read of personal data; ``what`` names the record
    read with it (``exam_results``, ``error_notebook`` …) so the one entry says what was
    seen."""
    try:
        student = students_for(actor).get(id=student_id)
    except Student.DoesNotExist as exc:
        raise NotFound() from exc
    audit_read(actor, what, [student.pk], school_id=student.school_id, object_id=student.pk)
    return student


def class_roster(actor: Actor, class_id: int) -> list[Student]:
    """Active students of a class the actor may see in person; audited as one list read."""
    school_class = class_get(actor, class_id)
    students = list(
        students_for(actor)
        .filter(school_class_id=school_class.pk, is_active=True)
        .order_by("national_id")
    )
    if not students and not may_see_people_of(actor, school_class):
        raise NotFound()
    audit_list(
        actor,
        "class_roster",
        [s.pk for s in students],
        school_id=school_class.school_id,
        object_id=school_class.pk,
        what=f"{len(students)} students",
    )
    return students


def may_see_people_of(actor: Actor, school_class: SchoolClass) -> bool:
    return (
        actor.is_superuser
        or school_class.school_id in actor.admin_school_ids
        or school_class.grade_id in actor.led_grade_ids
        or school_class.pk in actor.taught_class_ids | actor.head_class_ids
    )


def may_see_guardian_phone(actor: Actor, student: Student) -> bool:
    """Phone numbers go to the school admin, the grade's leaders and the head teacher."""
    return (
        actor.is_superuser
        or student.school_id in actor.admin_school_ids
        or student.school_class.grade_id in actor.led_grade_ids
        or student.school_class_id in actor.head_class_ids
        or student.pk in actor.child_student_ids
    )


@dataclass(frozen=True)
class GuardianView:
    name: str
    relationship: str
    phone: str | None  # None when the actor may not see it


def student_guardians(actor: Actor, student: Student) -> list[GuardianView]:
    if not can_see_student(actor, student):
        raise NotFound()
    show_phone = may_see_guardian_phone(actor, student)
    links = GuardianLink.objects.filter(student=student).select_related("guardian")
    return [
        GuardianView(
            name=link.guardian.name,
            relationship=link.relationship,
            phone=link.guardian.phone if show_phone else None,
        )
        for link in links.order_by("id")
    ]


def children_for(actor: Actor) -> QuerySet[Student]:
    """The signed-in guardian's own children."""
    return Student.objects.filter(id__in=actor.child_student_ids, is_active=True).select_related(
        "school_class__grade", "school"
    )


def teachers_for(actor: Actor) -> QuerySet[Teacher]:
    """Staff lists: visible to staff of the same school and its overseers."""
    if actor.is_superuser:
        return Teacher.objects.all()
    staff_schools = set(actor.admin_school_ids | actor.inspected_school_ids)
    if actor.teacher_id is not None:
        staff_schools |= actor.school_ids
    return Teacher.objects.filter(
        Q(school_id__in=staff_schools) | Q(school__district_id__in=actor.district_ids)
    )


def assignments_for_teacher(actor: Actor) -> QuerySet[TeachingAssignment]:
    if actor.teacher_id is None:
        return TeachingAssignment.objects.none()
    return TeachingAssignment.objects.filter(teacher_id=actor.teacher_id).select_related(
        "school_class__grade", "subject"
    )


def subjects_for_school(actor: Actor, school_id: int) -> QuerySet[Subject]:
    if not schools_for(actor).filter(id=school_id).exists():
        raise NotFound()
    return Subject.objects.filter(school_id=school_id)


def grades_for(actor: Actor, school_id: int) -> QuerySet[Grade]:
    if not schools_for(actor).filter(id=school_id).exists():
        raise NotFound()
    return Grade.objects.filter(school_id=school_id)


def current_semester(school_id: int, today: object) -> Semester | None:
    """The semester containing ``today``, else the next one, else the last one."""
    semesters = Semester.objects.filter(school_id=school_id)
    return (
        semesters.filter(start__lte=today, end__gte=today).first()
        or semesters.filter(start__gt=today).order_by("start").first()
        or semesters.order_by("-end").first()
    )


@dataclass(frozen=True)
class SchoolFigures:
    school_id: int
    name: str
    stage: str
    classes: int
    students: int
    teachers: int


def _figures(schools: QuerySet[School]) -> list[SchoolFigures]:
    # Three grouped counts instead of one query joining classes × students × teachers,
    # whose row count would be their product.
    ids = [s.pk for s in schools]

    def counts(qs: QuerySet) -> dict[int, int]:  # type: ignore[type-arg]
        rows = qs.filter(school_id__in=ids).values("school_id").annotate(n=Count("id"))
        return {r["school_id"]: r["n"] for r in rows}

    classes = counts(SchoolClass.objects.all())
    students = counts(Student.objects.filter(is_active=True))
    teachers = counts(Teacher.objects.all())
    return [
        SchoolFigures(
            s.pk,
            s.name,
            s.get_stage_display(),
            classes.get(s.pk, 0),
            students.get(s.pk, 0),
            teachers.get(s.pk, 0),
        )
        for s in schools
    ]


def district_overview(actor: Actor, district_id: int) -> list[SchoolFigures]:
    """Per-school counts for a district: aggregates only, never a student's name."""
    if not districts_for(actor).filter(id=district_id).exists():
        raise NotFound()
    return _figures(School.objects.filter(district_id=district_id).order_by("code"))


def school_figures(actor: Actor, school_id: int) -> SchoolFigures:
    school = schools_for(actor).filter(id=school_id)
    if not school.exists():
        raise NotFound()
    return _figures(school)[0]


def guardian_for_user(actor: Actor) -> Guardian | None:
    if actor.user_id is None:
        return None
    return Guardian.objects.filter(user_id=actor.user_id).first()


def role_list(actor: Actor) -> list[Role]:
    return sorted(actor.roles, key=list(Role).index)


def class_teachers(actor: Actor, class_id: int) -> QuerySet[TeachingAssignment]:
    """Who teaches what in a class the actor may see (staff names are not minors' data)."""
    school_class = class_get(actor, class_id)
    return (
        TeachingAssignment.objects.filter(school_class=school_class)
        .select_related("teacher", "subject")
        .order_by("subject__sort_order")
    )


def class_size(actor: Actor, class_id: int) -> int:
    return class_get(actor, class_id).students.filter(is_active=True).count()


def teacher_labels(school_id: int, language: str | None = None) -> dict[int, str]:
    """The school's teachers whose name another of its teachers shares, each with what tells
    them apart (the subjects and grades they teach; the staff number if that does not):
    {teacher id: 于立新（数学 · 三年级）}. Teachers with a name of their own are not in it.
    Kept under the school's roster version, which teachers and teaching assignments move."""

    def build() -> dict[int, str]:
        rows = list(
            Teacher.objects.filter(school_id=school_id).values_list("id", "name", "staff_no")
        )
        counts = Counter(name for _pk, name, _no in rows)
        shared = {pk for pk, name, _no in rows if counts[name] > 1}
        if not shared:
            return {}
        subjects: dict[int, list[str]] = defaultdict(list)
        grades: dict[int, list[str]] = defaultdict(list)
        taught = (
            TeachingAssignment.objects.filter(teacher_id__in=shared)
            .order_by("subject__sort_order", "school_class__grade__number")
            .values_list(
                "teacher_id", "subject__name", "subject__name_en", "school_class__grade__number"
            )
        )
        for pk, subject, subject_en, grade in taught:
            label = subject_en if is_english(language) and subject_en else subject
            if label not in subjects[pk]:
                subjects[pk].append(label)
            grade_label = grade_display_name(grade, language)
            if grade_label not in grades[pk]:
                grades[pk].append(grade_label)
        sep = ", " if is_english(language) else "、"
        people = [
            (
                pk,
                name,
                " · ".join(p for p in (sep.join(subjects[pk]), sep.join(grades[pk])) if p),
                no,
            )
            for pk, name, no in rows
            if pk in shared
        ]
        return distinct_names(people, language)

    return Reads([school_id]).get(
        f"teacher-labels:{school_id}:{language or ''}", build, scopes=("roster",), owner=school_id
    )
