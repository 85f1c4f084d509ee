"""Ability-element marks on homework, the error notebook and the class chart (一本一图).

A teacher marks a class's homework on one screen: for each student, each item's ability
elements as 掌握 / 部分掌握 / 未掌握. A 未掌握 goes to the student's error notebook with its
reason; the student or a guardian marks it re-done. The class chart reads the marks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.assessment.chart import Cell, heatmap
from qingfu.assessment.models import ElementMark, NotebookEntry
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_change, audit_list
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework.models import Assignment, Item
from qingfu.schools.models import SchoolClass, Student, Subject
from qingfu.schools.selectors import student_get

Key = tuple[int, int, str]  # (student id, item id, element)


@dataclass(frozen=True)
class Sheet:
    assignment: Assignment
    school_class: SchoolClass
    items: list[Item]  # those with ability elements
    students: list[Student]  # roster order
    marks: dict[Key, str]
    reasons: dict[Key, str]


def _assignment_for(actor: Actor, assignment_id: int, class_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("subject")
        .filter(
            id=assignment_id, teacher_id=actor.teacher_id or 0, targets__school_class_id=class_id
        )
        .first()
    )
    if assignment is None:
        raise NotFound()
    return assignment


def sheet(actor: Actor, assignment_id: int, class_id: int) -> Sheet:
    assignment = _assignment_for(actor, assignment_id, class_id)
    items = [i for i in assignment.items.all() if i.ability_elements]
    students = list(Student.objects.filter(school_class_id=class_id, is_active=True).order_by("id"))
    marks = {
        (m.student_id, m.item_id, m.element): m.mark
        for m in ElementMark.objects.filter(item__in=items, student__in=students)
    }
    reasons = {
        (n.student_id, n.item_id, n.element): n.reason
        for n in NotebookEntry.objects.filter(item__in=items, student__in=students)
    }
    audit_list(
        actor,
        "element_marks",
        [s.pk for s in students],
        school_id=assignment.school_id,
        object_id=assignment.pk,
        what=f"class {class_id}",
    )
    return Sheet(
        assignment,
        SchoolClass.objects.select_related("grade").get(pk=class_id),
        items,
        students,
        marks,
        reasons,
    )


def marks_save(
    *,
    actor: Actor,
    assignment_id: int,
    class_id: int,
    marks: Mapping[Key, str],
    reasons: Mapping[Key, str],
) -> int:
    """Save a class's marks, all or nothing; a miss goes to the notebook with its reason."""
    current = sheet(actor, assignment_id, class_id)
    roster = {s.pk for s in current.students}
    elements = {i.pk: set(i.ability_elements) for i in current.items}
    errors: dict[str, list[str]] = {}
    for (student_id, item_id, element), mark in marks.items():
        if student_id not in roster:
            errors["student"] = [_("有学生不在本班，未保存。")]
        elif element not in elements.get(item_id, set()):
            errors["element"] = [_("“%(e)s”不是这项作业的能力要素。") % {"e": element}]
        elif mark not in ElementMark.Mark.values:
            errors["mark"] = [_("未知的批改标记。")]
        elif (
            mark == ElementMark.Mark.MISS
            and reasons.get((student_id, item_id, element)) not in NotebookEntry.Reason.values
        ):
            errors["reason"] = [_("标为“未掌握”时请选择原因，它会进入学生的错题本。")]
    if errors:
        raise ValidationFailed(errors)
    assert actor.user_id is not None
    school_id = current.assignment.school_id
    with transaction.atomic():
        audit_change(
            actor,
            "element_marks",
            {student_id for student_id, _item, _element in marks},
            school_id=school_id,
            object_id=assignment_id,
        )
        for (student_id, item_id, element), mark in marks.items():
            ElementMark.objects.update_or_create(
                item_id=item_id,
                student_id=student_id,
                element=element,
                defaults={"school_id": school_id, "mark": mark, "marked_by_id": actor.user_id},
            )
            entry = NotebookEntry.objects.filter(
                item_id=item_id, student_id=student_id, element=element
            )
            if mark == ElementMark.Mark.MISS:
                NotebookEntry.objects.update_or_create(
                    item_id=item_id,
                    student_id=student_id,
                    element=element,
                    defaults={
                        "school_id": school_id,
                        "reason": reasons[(student_id, item_id, element)],
                        "created_by_id": actor.user_id,
                    },
                )
            else:  # corrected: a mistake that was not one leaves the notebook
                entry.filter(redone_at__isnull=True).delete()
    return len(marks)


def notebook(actor: Actor, student_id: int) -> tuple[Student, list[NotebookEntry]]:
    """The student's own error notebook, for the student, guardians and class teachers."""
    own = student_id == actor.student_id or student_id in actor.child_student_ids
    # Decided before the audited read, so a refusal leaves no audit entry of a read.
    class_id = Student.objects.filter(id=student_id).values_list("school_class_id", flat=True)
    if not own and class_id.first() not in actor.taught_class_ids | actor.head_class_ids:
        raise NotFound()
    student = student_get(actor, student_id, what="error_notebook")
    entries = list(
        NotebookEntry.objects.filter(student=student).select_related("item__assignment__subject")
    )
    return student, entries


def notebook_redo(*, actor: Actor, entry_id: int) -> NotebookEntry:
    entry = NotebookEntry.objects.filter(id=entry_id).first()
    if entry is None or not (
        entry.student_id == actor.student_id or entry.student_id in actor.child_student_ids
    ):
        raise NotFound()
    if entry.redone_at is None:
        assert actor.user_id is not None
        entry.redone_at = timezone.now()
        entry.redone_by_id = actor.user_id
        entry.save(update_fields=["redone_at", "redone_by"])
    return entry


@dataclass(frozen=True)
class Chart:
    school_class: SchoolClass
    subject: Subject
    lessons: list[Assignment]
    elements: list[str]
    cells: dict[tuple[object, str], Cell]


def class_chart(actor: Actor, class_id: int, subject_id: int) -> Chart:
    """Lessons (the subject's homework for the class, by date) × elements, for the class's
    teachers."""
    if class_id not in actor.taught_class_ids | actor.head_class_ids:
        raise NotFound()
    school_class = SchoolClass.objects.select_related("grade").get(pk=class_id)
    subject = Subject.objects.filter(id=subject_id, school_id=school_class.school_id).first()
    if subject is None:
        raise NotFound()
    rows = list(
        ElementMark.objects.filter(
            item__assignment__subject=subject, student__school_class_id=class_id
        ).values_list("item__assignment_id", "element", "mark")
    )
    lessons = list(Assignment.objects.filter(pk__in={r[0] for r in rows}).order_by("date", "id"))
    elements = [e for e in subject.ability_elements if any(r[1] == e for r in rows)]
    return Chart(school_class, subject, lessons, elements, heatmap(rows))


def student_elements(actor: Actor, student: Student) -> dict[str, list[tuple[object, str]]]:
    """Element → [(date, mark)] over time for one student — their own, no comparison: the
    child and their family see it, anyone else nothing. Part of the notebook's page, whose
    read (``notebook``) is the one audited."""
    if student.pk != actor.student_id and student.pk not in actor.child_student_ids:
        return {}
    out: dict[str, list[tuple[object, str]]] = defaultdict(list)
    for date, element, mark in (
        ElementMark.objects.filter(student_id=student.pk)
        .order_by("item__assignment__date")
        .values_list("item__assignment__date", "element", "mark")
    ):
        out[element].append((date, mark))
    return dict(out)
