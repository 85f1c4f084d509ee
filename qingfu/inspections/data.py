"""Plain facts about a school over a period, fetched once from other apps' records and
handed to the pure evidence functions (``evidence.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ClassDayFact:
    """One class-day rollup row (oversight.ClassDayRollup), the figures evidence needs."""

    class_id: int
    date: dt.date
    cap: int
    planned_minutes: int
    logs: int = 0
    reported_over: bool = False
    late_finishes: int = 0
    not_finished: int = 0
    afterschool_marks: int = 0
    afterschool_attended: int = 0


@dataclass(frozen=True)
class CheckLine:
    """A policy verdict reduced to what the evidence line says: status, rule, message."""

    status: str  # ok | warn | violation
    rule_id: str
    message: str
    message_en: str = ""  # the policy's English message, for a reader who chose English


@dataclass(frozen=True)
class HomeworkFacts:
    assignments: int = 0  # published in the period
    items: int = 0
    tiered_items: int = 0  # extension or challenge tier
    banned_items: int = 0  # phone check-in, parents grading, punitive
    exceptions_granted: int = 0


@dataclass(frozen=True)
class PublicityFacts:
    grades: int = 0
    weeks: int = 0  # weeks of the period with at least one teaching day
    plans_published: int = 0


@dataclass(frozen=True)
class AfterSchoolFacts:
    has_program: bool = False
    is_filed: bool = False
    days_a_week: int = 0
    start: dt.time | None = None
    end: dt.time | None = None
    checks: tuple[CheckLine, ...] = ()


@dataclass(frozen=True)
class ExamPlanFacts:
    exams: int = 0
    grades: int = 0
    approved: int = 0
    checks: tuple[CheckLine, ...] = ()


@dataclass(frozen=True)
class SchoolDayFacts:
    is_recorded: bool = False
    primary_start: dt.time | None = None
    junior_start: dt.time | None = None
    break_minutes: int = 0
    checks: tuple[CheckLine, ...] = ()


@dataclass(frozen=True)
class PhoneFacts:
    approved: int = 0
    refused: int = 0
    pending: int = 0
    custody_records: int = 0  # in the period


@dataclass(frozen=True)
class ReadingFacts:
    lists: int = 0
    filed: int = 0
    latest_step: str = ""  # the latest list's step, its label in Chinese (the message id)
    checks: tuple[CheckLine, ...] = ()


@dataclass(frozen=True)
class SchoolFacts:
    start: dt.date
    end: dt.date
    class_days: tuple[ClassDayFact, ...] = ()
    homework: HomeworkFacts = field(default_factory=HomeworkFacts)
    publicity: PublicityFacts = field(default_factory=PublicityFacts)
    afterschool: AfterSchoolFacts = field(default_factory=AfterSchoolFacts)
    exams: ExamPlanFacts = field(default_factory=ExamPlanFacts)
    school_day: SchoolDayFacts = field(default_factory=SchoolDayFacts)
    phones: PhoneFacts = field(default_factory=PhoneFacts)
    reading: ReadingFacts = field(default_factory=ReadingFacts)
