"""Writes to school structure and people. Each service is atomic and checks the actor."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from importlib import resources

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from qingfu.core import sheets
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_change, audit_export
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.core.models import AuditEntry
from qingfu.core.reads import cache_clear
from qingfu.policy.profile import PolicyOverrideError
from qingfu.schools import roster
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import (
    District,
    Grade,
    GradeGroup,
    Guardian,
    GuardianLink,
    PolicyOverride,
    School,
    SchoolClass,
    Student,
    Subject,
)
from qingfu.schools.selectors import class_get, may_see_people_of


@dataclass(frozen=True)
class SubjectEntry:
    code: str
    name: str
    name_en: str
    grade_from: int
    grade_to: int
    ability_elements: tuple[str, ...]


def national_subjects() -> list[SubjectEntry]:
    """The national curriculum list shipped in ``data/subjects.toml``."""
    text = resources.files("qingfu.schools").joinpath("data/subjects.toml").read_text("utf-8")
    return [
        SubjectEntry(
            code=e["code"],
            name=e["name"],
            name_en=e["name_en"],
            grade_from=e["grades"][0],
            grade_to=e["grades"][1],
            ability_elements=tuple(e["ability_elements"]),
        )
        for e in tomllib.loads(text)["subjects"]
    ]


@transaction.atomic
def school_create(*, district: District, name: str, code: str, stage: str) -> School:
    """A school with its grades, grade groups and the national subject list."""
    school = School.objects.create(district=district, name=name, code=code, stage=stage)
    for number in school.grade_numbers:
        grade = Grade.objects.create(school=school, number=number)
        GradeGroup.objects.create(school=school, grade=grade)
    taught = set(school.grade_numbers)
    for order, entry in enumerate(national_subjects()):
        if not taught & set(range(entry.grade_from, entry.grade_to + 1)):
            continue
        Subject.objects.create(
            school=school,
            code=entry.code,
            name=entry.name,
            name_en=entry.name_en,
            grade_from=entry.grade_from,
            grade_to=entry.grade_to,
            ability_elements=list(entry.ability_elements),
            sort_order=order,
        )
    return school


def require_school_admin(actor: Actor, school_id: int) -> None:
    """Admins pass; the school's own people are refused; anyone else is told "not found"."""
    if actor.is_superuser or school_id in actor.admin_school_ids:
        return
    if school_id in actor.school_ids | actor.inspected_school_ids:
        raise Forbidden()
    raise NotFound()


class RosterInvalid(ValidationFailed):
    """A roster with bad rows; ``row_errors`` lists each with row, column and reason."""

    def __init__(self, row_errors: list[roster.RowError]) -> None:
        self.row_errors = row_errors
        super().__init__({"file": [str(e) for e in row_errors]})


@dataclass(frozen=True)
class RosterImportResult:
    rows: int
    students_created: int
    students_updated: int
    students_unchanged: int
    classes_created: int
    guardians_created: int


def roster_check(
    *, school: School, filename: str, data: bytes, today: dt.date
) -> roster.RosterCheck:
    from django.conf import settings

    try:
        table = roster.read_table(
            filename,
            data,
            max_bytes=settings.QINGFU_ROSTER_MAX_BYTES,
            max_rows=settings.QINGFU_ROSTER_MAX_ROWS,
        )
        return roster.check_rows(table, allowed_grades=list(school.grade_numbers), today=today)
    except roster.RosterFileError as exc:
        raise ValidationFailed.single("file", str(exc)) from exc


def roster_import(
    *, actor: Actor, school_id: int, filename: str, data: bytes, today: dt.date
) -> RosterImportResult:
    """Import a roster file: all rows or none.

    Students are matched on 全国学籍号 and guardians on phone number within the school, so
    importing the same file again updates records and never duplicates them. Students not
    in the file are left as they are: a file may cover one grade only.
    """
    require_school_admin(actor, school_id)
    school = School.objects.get(id=school_id)
    checked = roster_check(school=school, filename=filename, data=data, today=today)
    if not checked.is_valid:
        raise RosterInvalid(checked.errors)
    with transaction.atomic():
        result, users = _roster_write(school, checked.rows)
        # Bulk writes send no signals: the people whose roles the file gave or gave back
        # are moved on here, the school's roster by the audit entry below.
        for user_id in users:
            cache_clear("user", user_id)
        touched = Student.objects.filter(
            school=school, national_id__in=[row.national_id for row in checked.rows]
        ).values_list("id", flat=True)
        audit_change(
            actor,
            "roster",
            touched,
            school_id=school.pk,
            action=AuditEntry.Action.IMPORT,
            what=(
                f"{filename}: {result.rows} rows, {result.students_created} new, "
                f"{result.students_updated} updated"
            ),
        )
    return result


def _roster_write(
    school: School, rows: list[roster.RosterRow]
) -> tuple[RosterImportResult, set[int]]:
    """Write the rows; also the users whose roles changed (a student who came back, and the
    guardians of new links and of such students)."""
    grades = {g.number: g for g in Grade.objects.filter(school=school)}
    classes = {
        (c.grade.number, c.number): c
        for c in SchoolClass.objects.filter(school=school).select_related("grade")
    }
    classes_created = 0
    for r in rows:
        key = (r.grade, r.class_number)
        if key not in classes:
            grade = grades.get(r.grade)
            if grade is None:
                grade = grades[r.grade] = Grade.objects.create(school=school, number=r.grade)
                GradeGroup.objects.create(school=school, grade=grade)
            classes[key] = SchoolClass.objects.create(
                school=school, grade=grade, number=r.class_number
            )
            classes_created += 1

    existing = {
        s.national_id: s
        for s in Student.objects.filter(
            school=school, national_id__in=[r.national_id for r in rows]
        )
    }
    created = updated = unchanged = 0
    inactive: set[int] = set()
    to_create: list[Student] = []
    to_update: list[Student] = []
    for r in rows:
        school_class = classes[(r.grade, r.class_number)]
        values = {
            "name": r.name,
            "gender": r.gender,
            "birth_date": r.birth_date,
            "school_class_id": school_class.pk,
            "is_active": True,
        }
        student = existing.get(r.national_id)
        if student is not None and not student.is_active:
            inactive.add(student.pk)
        if student is None:
            student = Student(school=school, national_id=r.national_id, **values)
            existing[r.national_id] = student
            to_create.append(student)
            created += 1
        elif any(getattr(student, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(student, k, v)
            to_update.append(student)
            updated += 1
        else:
            unchanged += 1
    came_back = [s.pk for s in to_update if s.pk in inactive]
    Student.objects.bulk_create(to_create, batch_size=500)
    Student.objects.bulk_update(
        to_update, ["name", "gender", "birth_date", "school_class_id", "is_active"], batch_size=500
    )
    if to_create and to_create[0].pk is None:  # backends that do not return ids
        ids = dict(
            Student.objects.filter(
                school=school, national_id__in=[s.national_id for s in to_create]
            ).values_list("national_id", "id")
        )
        for s in to_create:
            s.pk = ids[s.national_id]

    phones = {g.phone for r in rows for g in r.guardians}
    guardians = {g.phone: g for g in Guardian.objects.filter(school=school, phone__in=phones)}
    guardians_created = 0
    for r in rows:
        for entry in r.guardians:
            guardian = guardians.get(entry.phone)
            if guardian is None:
                guardian = Guardian.objects.create(
                    school=school, name=entry.name, phone=entry.phone
                )
                guardians[entry.phone] = guardian
                guardians_created += 1
            elif guardian.name != entry.name:
                guardian.name = entry.name
                guardian.save(update_fields=["name"])
    links = {
        (link.guardian_id, link.student_id): link
        for link in GuardianLink.objects.filter(
            school=school, student_id__in=[s.pk for s in existing.values()]
        )
    }
    new_links: list[GuardianLink] = []
    for r in rows:
        student = existing[r.national_id]
        for entry in r.guardians:
            guardian = guardians[entry.phone]
            link = links.get((guardian.pk, student.pk))
            if link is None:
                link = GuardianLink(
                    school=school,
                    guardian=guardian,
                    student=student,
                    relationship=entry.relationship,
                )
                links[(guardian.pk, student.pk)] = link
                new_links.append(link)
            elif link.relationship != entry.relationship:
                link.relationship = entry.relationship
                link.save(update_fields=["relationship"])
    GuardianLink.objects.bulk_create(new_links, batch_size=500)
    users = set(
        Student.objects.filter(pk__in=came_back, user__isnull=False).values_list(
            "user_id", flat=True
        )
    ) | set(
        Guardian.objects.filter(
            Q(pk__in=[link.guardian_id for link in new_links]) | Q(links__student_id__in=came_back),
            user__isnull=False,
        ).values_list("user_id", flat=True)
    )
    return RosterImportResult(
        rows=len(rows),
        students_created=created,
        students_updated=updated,
        students_unchanged=unchanged,
        classes_created=classes_created,
        guardians_created=guardians_created,
    ), {u for u in users if u is not None}


def roster_export_xlsx(*, actor: Actor, school_id: int, class_id: int | None = None) -> bytes:
    """The school's (or one class's) roster as XLSX, in the import layout; audited."""
    from openpyxl.styles import Font

    students = Student.objects.filter(school_id=school_id, is_active=True).select_related(
        "school_class__grade"
    )
    if class_id is None:
        require_school_admin(actor, school_id)
    else:
        # A class's teachers may export that class; the selector decides who they are.
        school_class = class_get(actor, class_id)
        if school_class.school_id != school_id or not may_see_people_of(actor, school_class):
            raise NotFound()
        students = students.filter(school_class_id=class_id)
    links: dict[int, list[roster.GuardianEntry]] = {}
    for link in (
        GuardianLink.objects.filter(student__in=students).select_related("guardian").order_by("id")
    ):
        links.setdefault(link.student_id, []).append(
            roster.GuardianEntry(link.guardian.name, link.relationship, link.guardian.phone)
        )
    ordered = list(
        students.order_by("school_class__grade__number", "school_class__number", "national_id")
    )
    rows = [
        roster.RosterRow(
            row=0,
            name=s.name,
            gender=s.gender,
            birth_date=s.birth_date,
            national_id=s.national_id,
            grade=s.school_class.grade.number,
            class_number=s.school_class.number,
            guardians=tuple(links.get(s.pk, [])),
        )
        for s in ordered
    ]
    workbook = sheets.new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("学生名册")
    for cells in roster.export_rows(rows):
        sheets.append_row(sheet, cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip(
        "ABCDEFGHIJKL", (10, 6, 12, 22, 8, 6, 10, 8, 14, 10, 8, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    data = sheets.workbook_bytes(workbook)
    audit_export(
        actor,
        "roster",
        [s.pk for s in ordered],
        school_id=school_id,
        object_id=class_id or "",
        what=f"{len(rows)} students",
    )
    return data


def policy_override_set(
    *,
    actor: Actor,
    level: str,
    thresholds: dict[str, object],
    school_id: int | None = None,
    district_id: int | None = None,
    province: str = "",
    note: str = "",
) -> PolicyOverride:
    """Set a level's stricter thresholds, validated against every level above and below.

    A district tightening a cap must not leave one of its schools with a looser setting,
    so the schools under the changed level are re-checked too; any problem refuses the
    change as a whole.
    """
    if level == PolicyOverride.Level.SCHOOL and school_id is not None:
        require_school_admin(actor, school_id)
        row = PolicyOverride.objects.filter(level=level, school_id=school_id).first()
        affected = School.objects.filter(id=school_id)
    elif level == PolicyOverride.Level.DISTRICT and district_id is not None:
        if not (actor.is_superuser or district_id in actor.district_ids):
            raise NotFound()
        row = PolicyOverride.objects.filter(level=level, district_id=district_id).first()
        affected = School.objects.filter(district_id=district_id)
    elif level == PolicyOverride.Level.PROVINCE and province:
        if not actor.is_superuser:
            raise Forbidden()
        row = PolicyOverride.objects.filter(level=level, province=province).first()
        affected = School.objects.filter(district__province=province)
    else:
        raise ValidationFailed.single("level", _("层级与适用范围不匹配。"))
    row = row or PolicyOverride(
        level=level, school_id=school_id, district_id=district_id, province=province
    )
    row.thresholds = thresholds
    row.note = note
    with transaction.atomic():
        row.save()
        problems: list[str] = []
        for school in affected.select_related("district"):
            try:
                profile_for_school(school)
            except PolicyOverrideError as exc:
                problems += [f"{school.name}：{p.message_zh}" for p in exc.problems]
        if problems:  # raising inside the block rolls the save back
            raise ValidationFailed({"thresholds": sorted(set(problems))})
    return row
