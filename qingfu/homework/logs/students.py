"""The student a log is for: one of the actor's children (or the student themself),
else the uniform 404; and the small card saving a log needs, cached under the roster
version of the student's school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.core.reads import Reads
from qingfu.homework.logs.classday import ClassDay, class_day_for
from qingfu.schools.models import SchoolClass, Student


def student_for(actor: Actor, student_id: int) -> Student:
    """The whole student (with class, grade and district), for showing the form."""
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    return Student.objects.select_related("school_class__grade", "school__district").get(
        id=student_id
    )


@dataclass(frozen=True)
class StudentCard:
    """What saving a log needs to know of its student (cached like the class-day; showing
    the form puts it there, so the submit that follows does not read it again)."""

    school_id: int
    class_id: int
    stage: str

    @classmethod
    def of(cls, student: Student) -> StudentCard:
        return cls(student.school_id, student.school_class_id, student.school_class.grade.stage)


def card_key(student_id: int, school_id: int) -> str:
    return f"student:{student_id}:{school_id}"


def _student_card(student_id: int) -> StudentCard:
    student = Student.objects.select_related("school_class__grade").filter(id=student_id).first()
    if student is None:
        raise NotFound()
    return StudentCard.of(student)


def _card_for(student_id: int, schools: frozenset[int], reads: Reads) -> StudentCard:
    """The student's card, kept under the roster version of the school it names. The
    reader's schools are tried in turn (a family's are its children's: the first is right
    but for a family with children in two schools); an entry that names another school only
    says where to look, and a student who moves school moves the first school's version."""
    for school_id in sorted(schools):
        card = reads.get(
            card_key(student_id, school_id),
            lambda: _student_card(student_id),
            scopes=("roster",),
            owner=school_id,
        )
        if card.school_id == school_id:
            return card
    return _student_card(student_id)


def class_day_of(
    actor: Actor, student_id: int, day: dt.date, reads: Reads
) -> tuple[StudentCard, ClassDay]:
    """The student's card and class-day, for one of the actor's children (or themself)."""
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    card = _card_for(student_id, actor.school_ids, reads)
    school_class = SchoolClass(pk=card.class_id, school_id=card.school_id)
    return card, class_day_for(school_class, day, reads)
