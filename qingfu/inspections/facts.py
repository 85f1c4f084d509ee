"""The fetch step of the evidence: read a school's records for a period from the other
apps' tables and selectors into ``SchoolFacts`` (no decisions here; see ``evidence.py``).

Internal: callers have already checked that the actor may inspect the school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.db.models import Count, Q
from django.utils import translation

from qingfu.inspections.data import (
    AfterSchoolFacts,
    CheckLine,
    ClassDayFact,
    ExamPlanFacts,
    HomeworkFacts,
    PhoneFacts,
    PublicityFacts,
    ReadingFacts,
    SchoolDayFacts,
    SchoolFacts,
)
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import semester_calendar
from qingfu.schools.models import Grade, School, Semester


def _lines(verdicts: Iterable[Verdict]) -> tuple[CheckLine, ...]:
    return tuple(CheckLine(str(v.status), v.rule_id, v.message_zh, v.message_en) for v in verdicts)


def class_day_facts(school_id: int, start: dt.date, end: dt.date) -> tuple[ClassDayFact, ...]:
    from qingfu.oversight.models import ClassDayRollup

    rows = ClassDayRollup.objects.filter(
        school_id=school_id, date__gte=start, date__lte=end
    ).values_list(
        "school_class_id", "date", "cap", "planned_minutes", "logs", "reported_over",
        "late_finishes", "not_finished", "afterschool_marks", "afterschool_attended",
    )  # fmt: skip
    return tuple(ClassDayFact(*row) for row in rows)


def homework_facts(school_id: int, start: dt.date, end: dt.date) -> HomeworkFacts:
    from qingfu.homework.models import Assignment, Item, LoadException

    published = Assignment.objects.filter(
        school_id=school_id, status=Assignment.Status.PUBLISHED, date__gte=start, date__lte=end
    )
    items = Item.objects.filter(assignment__in=published).aggregate(
        total=Count("id"),
        tiered=Count("id", filter=Q(tier__in=["extension", "challenge"])),
        banned=Count(
            "id", filter=Q(needs_phone=True) | Q(asks_parents_to_grade=True) | Q(is_punitive=True)
        ),
    )
    return HomeworkFacts(
        assignments=published.count(),
        items=items["total"] or 0,
        tiered_items=items["tiered"] or 0,
        banned_items=items["banned"] or 0,
        exceptions_granted=LoadException.objects.filter(
            school_id=school_id,
            status=LoadException.Status.GRANTED,
            date__gte=start,
            date__lte=end,
        ).count(),
    )


def publicity_facts(
    school_id: int, start: dt.date, end: dt.date, semester: Semester | None
) -> PublicityFacts:
    from qingfu.homework.models import WeeklyPlan

    weeks = 0
    if semester is not None:
        school_days = semester_calendar(semester).school_days(
            max(start, semester.start), min(end, semester.end)
        )
        weeks = len({d - dt.timedelta(days=d.weekday()) for d in school_days})
    first_monday = start - dt.timedelta(days=start.weekday())
    return PublicityFacts(
        grades=Grade.objects.filter(school_id=school_id).count(),
        weeks=weeks,
        plans_published=WeeklyPlan.objects.filter(
            school_id=school_id,
            status=WeeklyPlan.Status.APPROVED,
            week_start__gte=first_monday,
            week_start__lte=end,
        ).count(),
    )


def afterschool_facts(semester: Semester | None) -> AfterSchoolFacts:
    from qingfu.afterschool.models import Program
    from qingfu.afterschool.selectors import program_verdicts

    program = (
        Program.objects.filter(semester=semester).select_related("school__district").first()
        if semester is not None
        else None
    )
    if program is None:
        return AfterSchoolFacts()
    return AfterSchoolFacts(
        has_program=True,
        is_filed=program.status == Program.Status.FILED,
        days_a_week=len(program.weekdays),
        start=program.start,
        end=program.end,
        checks=_lines(program_verdicts(program)),
    )


def exam_facts(school_id: int, semester: Semester | None) -> ExamPlanFacts:
    from qingfu.assessment.models import Exam
    from qingfu.assessment.selectors import semester_plan

    if semester is None:
        return ExamPlanFacts()
    plans = [p for p in semester_plan(school_id, semester.pk) if p.exams]
    exams = [e for p in plans for e in p.exams]
    return ExamPlanFacts(
        exams=len(exams),
        grades=len(plans),
        approved=sum(1 for e in exams if e.status == Exam.Status.APPROVED),
        checks=_lines(v for p in plans for v in p.verdicts),
    )


def school_day_facts(school: School) -> SchoolDayFacts:
    from qingfu.wellbeing.models import SchoolDay
    from qingfu.wellbeing.selectors import school_day_verdicts

    day = SchoolDay.objects.filter(school=school).first()
    if day is None:
        return SchoolDayFacts()
    return SchoolDayFacts(
        is_recorded=True,
        primary_start=day.primary_start,
        junior_start=day.junior_start,
        break_minutes=day.break_minutes,
        checks=_lines(school_day_verdicts(school)),
    )


def phone_facts(school_id: int, start: dt.date, end: dt.date) -> PhoneFacts:
    from qingfu.wellbeing.models import PhoneApplication, PhoneCustody

    counts = dict(
        PhoneApplication.objects.filter(school_id=school_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return PhoneFacts(
        approved=counts.get("approved", 0),
        refused=counts.get("refused", 0),
        pending=counts.get("pending", 0),
        custody_records=PhoneCustody.objects.filter(
            school_id=school_id, date__gte=start, date__lte=end, handed_in=True
        ).count(),
    )


def school_year_of(day: dt.date) -> str:
    """The school year a day falls in, written as the reading lists write it (2026—2027)."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}—{first + 1}"


def _in_chinese(label: Callable[[], object]) -> str:
    """A choice's label as its Chinese source text, the catalogue's message id: evidence is
    stored and translated for whoever reads it."""
    with translation.override("zh-hans"):
        return str(label())


def reading_facts(school: School, day: dt.date) -> ReadingFacts:
    from qingfu.wellbeing.models import ReadingList
    from qingfu.wellbeing.reading import year_verdict

    year = school_year_of(day)
    lists = list(ReadingList.objects.filter(school=school, school_year=year))
    if not lists:
        return ReadingFacts()
    return ReadingFacts(
        lists=len(lists),
        filed=sum(1 for r in lists if r.step == ReadingList.Step.FILED),
        latest_step=_in_chinese(lists[0].get_step_display),
        checks=_lines([year_verdict(school, year)]),
    )


def school_facts(school: School, start: dt.date, end: dt.date) -> SchoolFacts:
    """Everything the checklist's evidence lines read, for one school and period."""
    semester = (
        Semester.objects.filter(school=school, start__lte=end, end__gte=start)
        .order_by("-start")
        .first()
    )
    return SchoolFacts(
        start=start,
        end=end,
        class_days=class_day_facts(school.pk, start, end),
        homework=homework_facts(school.pk, start, end),
        publicity=publicity_facts(school.pk, start, end, semester),
        afterschool=afterschool_facts(semester),
        exams=exam_facts(school.pk, semester),
        school_day=school_day_facts(school),
        phones=phone_facts(school.pk, start, end),
        reading=reading_facts(school, end),
    )
