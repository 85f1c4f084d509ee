"""What a class-day is to a family's log: the kind of day, the published items as form
lines, the at-home minutes the estimate scales, the class's students and who is asked
today (the rotating sample). Fetched in five reads and cached under the school's roster,
calendar and homework versions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from qingfu.core.reads import Reads
from qingfu.homework.models import (
    Assignment,
    ClassLogging,
    Item,
    ItemKind,
    ItemPlace,
)
from qingfu.homework.sampling import PanelTooLarge, panel_for_day, panel_order
from qingfu.policy.calendar import DayKind
from qingfu.schools.calendars import semester_calendar
from qingfu.schools.models import SchoolClass, Semester, Student


def logging_for(school_class: SchoolClass) -> ClassLogging:
    """The class's logging setting (the default, unsaved, when it has none)."""
    found = ClassLogging.objects.filter(school_class=school_class).first()
    return found or ClassLogging(school_id=school_class.school_id, school_class=school_class)


@dataclass(frozen=True)
class SubjectLine:
    subject_id: int
    subject: str
    estimated: int  # the items' estimates, what the form is prefilled with
    items: tuple[str, ...]


@dataclass(frozen=True)
class ClassDay:
    """What showing and saving a log needs to know about its class-day, fetched once: the
    kind of day, the published items as form lines, the at-home minutes the estimate
    scales, the class's active students and who is asked today."""

    day_kind: DayKind
    lines: tuple[SubjectLine, ...]
    predicted: float  # at-home minutes of the day's items
    written: float  # of which written and mandatory (what the cap counts)
    students: tuple[int, ...]  # active students of the class
    asked: frozenset[int] | None  # None: everyone logs


def class_day_for(school_class: SchoolClass, day: dt.date, reads: Reads | None = None) -> ClassDay:
    """``class_day_fetch``, from the cache when it can be trusted."""
    return (reads or Reads()).get(
        f"class-day:{school_class.pk}:{day.isoformat()}",
        lambda: class_day_fetch(school_class, day),
        scopes=("roster", "calendar", "homework"),
        owner=school_class.school_id,
    )


def class_day_fetch(school_class: SchoolClass, day: dt.date) -> ClassDay:
    """Five reads: the logging setting, the semester and its calendar exceptions, the day's
    published items, the class's active students."""
    setting = logging_for(school_class)
    semester = Semester.objects.filter(
        school_id=school_class.school_id, start__lte=day, end__gte=day
    ).first()
    calendar = semester_calendar(semester) if semester is not None else None
    day_kind = calendar.day_kind(day) if calendar is not None else DayKind.VACATION
    rows = (
        Item.objects.filter(
            assignment__status=Assignment.Status.PUBLISHED,
            assignment__targets__school_class_id=school_class.pk,
            assignment__targets__date=day,
        )
        .values_list(
            "assignment__subject_id",
            "assignment__subject__name",
            "content",
            "minutes",
            "kind",
            "place",
            "is_mandatory",
        )
        .order_by("assignment__subject__sort_order", "assignment_id", "position")
    )
    lines: dict[int, tuple[str, int, list[str]]] = {}
    predicted = written = 0.0
    for subject_id, name, content, minutes, kind, place, mandatory in rows:
        at_home = place == ItemPlace.HOME
        _name, total, contents = lines.get(subject_id, (name, 0, []))
        lines[subject_id] = (name, total + (minutes if at_home else 0), [*contents, content])
        if at_home:
            predicted += minutes
            written += minutes if kind == ItemKind.WRITTEN and mandatory else 0
    students = list(
        Student.objects.filter(school_class=school_class, is_active=True)
        .order_by("id")
        .values_list("id", "gender")
    )
    asked: frozenset[int] | None = None
    if setting.mode != ClassLogging.Mode.EVERYONE:
        asked = frozenset()
        if semester is not None and calendar is not None and day_kind is DayKind.SCHOOL_DAY:
            day_index = len(calendar.school_days(semester.start, day)) - 1
            strata: dict[str, list[int]] = defaultdict(list)
            for sid, gender in students:
                strata[gender].append(sid)
            order = panel_order(strata, seed=school_class.pk)
            try:
                asked = frozenset(
                    panel_for_day(
                        order,
                        day_index=day_index,
                        per_day=setting.per_day,
                        min_gap=setting.min_gap_days,
                    )
                )
            except PanelTooLarge:
                asked = None  # a class too small to sample: everyone logs
    return ClassDay(
        day_kind=day_kind,
        lines=tuple(SubjectLine(sid, n, m, tuple(c)) for sid, (n, m, c) in lines.items()),
        predicted=predicted,
        written=written,
        students=tuple(sid for sid, _ in students),
        asked=asked,
    )


def panel(school_class: SchoolClass, day: dt.date) -> set[int] | None:
    """Students asked to log on ``day``; None means everyone logs (no sampling)."""
    if Reads().cache is None and logging_for(school_class).mode == ClassLogging.Mode.EVERYONE:
        return None  # one read instead of the whole class-day
    asked = class_day_for(school_class, day).asked
    return None if asked is None else set(asked)
