"""The log form a guardian sees: the day's subjects prefilled with the teachers'
estimates, whether the child is asked today, and the evening's log if there is one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingfu.core.actor import Actor
from qingfu.core.reads import Reads
from qingfu.homework.logs.classday import SubjectLine, class_day_for
from qingfu.homework.logs.students import StudentCard, card_key, student_for
from qingfu.homework.models import TimeLog
from qingfu.schools.models import Student


@dataclass(frozen=True)
class LogForm:
    student: Student
    date: dt.date
    asked: bool
    lines: tuple[SubjectLine, ...]
    existing: TimeLog | None


def log_form(actor: Actor, student_id: int, day: dt.date) -> LogForm:
    """The form for one of the actor's children; it also caches the student's card, so
    the submit that follows does not read the student again."""
    student = student_for(actor, student_id)
    reads = Reads(actor.school_ids)
    reads.get(
        card_key(student_id, student.school_id),
        lambda: StudentCard.of(student),
        scopes=("roster",),
        owner=student.school_id,
    )
    class_day = class_day_for(student.school_class, day, reads)
    existing = TimeLog.objects.filter(student=student, date=day).prefetch_related("entries").first()
    return LogForm(
        student=student,
        date=day,
        asked=class_day.asked is None or student.pk in class_day.asked,
        lines=class_day.lines,
        existing=existing,
    )
