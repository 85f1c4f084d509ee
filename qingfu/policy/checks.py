"""Checks: plain facts in, verdicts out. Every limit is read from the profile.

Each check returns the verdicts of every rule it evaluated, OK ones included, so a page
can show "45 of 60 minutes" as well as "75 > 60".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from qingfu.policy.calendar import DayKind
from qingfu.policy.rules import Profile, Rule, parse_time
from qingfu.policy.verdicts import Status, Verdict

# A finish time before this hour belongs to the previous evening (00:30 is after 23:00).
_NIGHT_ENDS = dt.time(5, 0)


def stage_for_grade(grade: int) -> Literal["primary", "junior"]:
    if not 1 <= grade <= 9:
        raise ValueError(f"grade must be 1-9, got {grade}")
    return "primary" if grade <= 6 else "junior"


def grade_band(grade: int) -> Literal["g1-2", "g3-6", "g7-9"]:
    stage_for_grade(grade)
    return "g1-2" if grade <= 2 else ("g3-6" if grade <= 6 else "g7-9")


def _verdict(rule: Rule, breached: bool, measured: object, limit: object) -> Verdict:
    status = Status(rule.severity) if breached else Status.OK
    values = {"measured": measured, "limit": limit}
    return Verdict(
        status=status,
        rule_id=rule.id,
        measured=measured,  # type: ignore[arg-type]
        limit=limit,  # type: ignore[arg-type]
        message_zh=rule.message_zh.format(**values),
        message_en=rule.message_en.format(**values),
        citation=rule.citation,
        unit=rule.unit,
        exemptable=rule.exemptable,
    )


def _as_list(value: object) -> list[str]:
    if isinstance(value, tuple | list):
        return [str(v) for v in value]
    raise TypeError(f"expected a list threshold, got {value!r}")


# --- homework ------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeworkItemFacts:
    subject: str
    minutes: int
    is_written: bool
    at_home: bool
    is_mandatory: bool
    needs_phone: bool = False
    asks_parents_to_grade: bool = False
    is_punitive: bool = False
    copying_minutes: int = 0


def _cap_rule_id(grade: int, day_kind: DayKind) -> tuple[str, str | None]:
    if day_kind is not DayKind.SCHOOL_DAY:
        return "hw.cap.weekend", grade_band(grade)
    return f"hw.cap.{grade_band(grade)}", None


def daily_homework_cap(profile: Profile, *, grade: int, day_kind: DayKind) -> int:
    """Minutes of take-home written homework allowed for a class of ``grade`` that day."""
    rule_id, key = _cap_rule_id(grade, day_kind)
    return int(profile.threshold(rule_id, key))  # type: ignore[arg-type]


def take_home_written_minutes(items: Sequence[HomeworkItemFacts]) -> int:
    """The minutes the cap counts: written, mandatory, done at home."""
    return sum(i.minutes for i in items if i.is_written and i.at_home and i.is_mandatory)


def check_class_day_load(
    profile: Profile, *, grade: int, day_kind: DayKind, items: Sequence[HomeworkItemFacts]
) -> list[Verdict]:
    rule_id, _key = _cap_rule_id(grade, day_kind)
    rule = profile.rule(rule_id)
    cap = daily_homework_cap(profile, grade=grade, day_kind=day_kind)
    total = take_home_written_minutes(items)
    return [_verdict(rule, total > cap, total, cap)]


def check_homework_item(profile: Profile, *, grade: int, item: HomeworkItemFacts) -> list[Verdict]:
    stage = stage_for_grade(grade)
    verdicts: list[Verdict] = []
    for rule_id, flagged in (
        ("hw.no-phone", item.needs_phone),
        ("hw.no-parents", item.asks_parents_to_grade),
        ("hw.design.no-punitive", item.is_punitive),
    ):
        rule = profile.rule(rule_id)
        forbidden = bool(rule.value())
        verdicts.append(_verdict(rule, forbidden and flagged, flagged, not forbidden))
    takes_home_written = item.is_written and item.at_home and item.is_mandatory
    if takes_home_written and grade <= 2:
        rule = profile.rule("hw.cap.g1-2")
        cap = int(rule.value())  # type: ignore[arg-type]
        verdicts.append(_verdict(rule, item.minutes > cap, item.minutes, cap))
    if item.is_written and item.at_home:
        rule = profile.rule("hw.written-subjects")
        allowed = _as_list(rule.value(stage))
        verdicts.append(
            _verdict(rule, item.subject not in allowed, item.subject, ",".join(allowed))
        )
    copying = profile.rule("hw.design.copying")
    limit = int(copying.value())  # type: ignore[arg-type]
    verdicts.append(_verdict(copying, item.copying_minutes > limit, item.copying_minutes, limit))
    return verdicts


# --- sleep -----------------------------------------------------------------------------


def _evening_minutes(t: dt.time) -> int:
    minutes = t.hour * 60 + t.minute
    return minutes + 24 * 60 if t < _NIGHT_ENDS else minutes


def check_bedtime(profile: Profile, *, stage: str, finished_at: dt.time) -> Verdict:
    rule = profile.rule("sleep.bedtime")
    bedtime = str(rule.value(stage))
    late = _evening_minutes(finished_at) > _evening_minutes(parse_time(bedtime))
    return _verdict(rule, late, finished_at.strftime("%H:%M"), bedtime)


def check_school_start(profile: Profile, *, stage: str, starts_at: dt.time) -> Verdict:
    rule = profile.rule("sleep.school-start")
    earliest = str(rule.value(stage))
    return _verdict(rule, starts_at < parse_time(earliest), starts_at.strftime("%H:%M"), earliest)


# --- after-school services -------------------------------------------------------------


def check_after_school_day(profile: Profile, *, start: dt.time, end: dt.time) -> list[Verdict]:
    duration_rule = profile.rule("asvc.duration")
    minimum = int(duration_rule.value())  # type: ignore[arg-type]
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    end_rule = profile.rule("asvc.end")
    earliest_end = str(end_rule.value())
    return [
        _verdict(duration_rule, minutes < minimum, minutes, minimum),
        _verdict(end_rule, end < parse_time(earliest_end), end.strftime("%H:%M"), earliest_end),
    ]


def check_after_school_week(profile: Profile, *, days_offered: int) -> Verdict:
    rule = profile.rule("asvc.days")
    minimum = int(rule.value())  # type: ignore[arg-type]
    return _verdict(rule, days_offered < minimum, days_offered, minimum)


# --- exams -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExamFacts:
    kind: Literal["final", "midterm", "unit", "mock"]
    subject: str
    is_paper: bool
    duration_minutes: int
    is_regional: bool = False


def _duration_key(grade: int) -> str:
    if grade <= 4:
        return "g3-4"
    return "g5-6" if grade <= 6 else "junior"


def check_exam_plan(
    profile: Profile, *, grade: int, is_graduating: bool, exams: Sequence[ExamFacts]
) -> list[Verdict]:
    """One semester's exams for one grade."""
    stage = stage_for_grade(grade)
    verdicts: list[Verdict] = []
    paper = [e for e in exams if e.is_paper]
    if grade <= 2:
        rule = profile.rule("exam.g1-2")
        cap = int(rule.value())  # type: ignore[arg-type]
        verdicts.append(_verdict(rule, len(paper) > cap, len(paper), cap))
        return verdicts
    count_rule = profile.rule("exam.count")
    for kind, key in (("final", "final"), ("midterm", f"midterm-{stage}")):
        cap = int(count_rule.value(key))  # type: ignore[arg-type]
        for subject in sorted({e.subject for e in paper if e.kind == kind}):
            n = sum(1 for e in paper if e.kind == kind and e.subject == subject)
            verdicts.append(_verdict(count_rule, n > cap, n, cap))
    duration_rule = profile.rule("exam.duration")
    longest = int(duration_rule.value(_duration_key(grade)))  # type: ignore[arg-type]
    for exam in paper:
        verdicts.append(
            _verdict(duration_rule, exam.duration_minutes > longest, exam.duration_minutes, longest)
        )
    regional_rule = profile.rule("exam.no-regional")
    regional = [e for e in exams if e.is_regional]
    forbidden = bool(regional_rule.value()) and not is_graduating
    verdicts.append(_verdict(regional_rule, forbidden and bool(regional), len(regional), 0))
    return verdicts


def check_result_bands(profile: Profile, *, levels: int) -> list[Verdict]:
    low, high = profile.rule("exam.bands.min"), profile.rule("exam.bands.max")
    return [
        _verdict(low, levels < int(low.value()), levels, low.value()),  # type: ignore[arg-type]
        _verdict(high, levels > int(high.value()), levels, high.value()),  # type: ignore[arg-type]
    ]
