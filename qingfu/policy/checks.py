"""Checks: plain facts in, verdicts out. Every limit is read from the profile.

The caller loads the facts (the day's homework, a finish time, an exam plan) and asks;
nothing here reads a database, a setting or the clock, so the same answer comes back in
a view, a nightly job and a test. Each check returns the verdicts of every rule it
evaluated, OK ones included, so a page can show "45 of 60 minutes" as well as "75 > 60".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from qingfu.policy.calendar import DayKind
from qingfu.policy.rules import Profile, Rule, is_later
from qingfu.policy.subjects import Stage, subject_name
from qingfu.policy.verdicts import Status, Value, Verdict

GradeBand = Literal["g1-2", "g3-6", "g7-9"]


def stage_for_grade(grade: int) -> Stage:
    """Grades 1-6 are primary, 7-9 junior, 10-12 senior."""
    if not 1 <= grade <= 12:
        raise ValueError(f"grade must be 1-12, got {grade}")
    if grade <= 6:
        return "primary"
    return "junior" if grade <= 9 else "senior"


def grade_band(grade: int) -> GradeBand:
    """The band the homework caps are set for (compulsory education only)."""
    if not 1 <= grade <= 9:
        raise ValueError(f"homework caps cover grades 1-9, got {grade}")
    if grade <= 2:
        return "g1-2"
    return "g3-6" if grade <= 6 else "g7-9"


# --- verdict building ------------------------------------------------------------------

_UNIT_SUFFIX: Mapping[str, tuple[str, str]] = {
    "minutes": (" 分钟", " min"),
    "hours": (" 小时", " h"),
    "months": (" 个月", " months"),
    "days": (" 天", " days"),
    "percent": ("%", "%"),
}
_OK_BOUND: Mapping[str, tuple[str, str]] = {
    "max": ("上限", "limit"),
    "min": ("下限", "at least"),
    "latest": ("不晚于", "no later than"),
    "earliest": ("不早于", "no earlier than"),
    "subset": ("允许范围", "allowed"),
}


def _show(value: Value, unit: str, lang: str) -> str:
    """A value as it appears inside a sentence (units are the template's business)."""
    english = lang == "en"
    if isinstance(value, tuple):
        if all(isinstance(v, str) for v in value):
            return (", " if english else "、").join(subject_name(str(v), lang) for v in value)
        return (" or " if english else " 或 ").join(str(v) for v in value)
    if isinstance(value, bool):
        return ("yes" if value else "no") if english else ("是" if value else "否")
    if isinstance(value, str) and unit == "subjects":
        return subject_name(value, lang)
    return "" if value is None else str(value)


class _Fields(dict[str, str]):
    """Template fields; a placeholder a check does not fill is left empty, not an error."""

    def __missing__(self, key: str) -> str:
        return ""


def _ok_message(rule: Rule, measured: Value, limit: Value, lang: str, prefix: str) -> str:
    english = lang == "en"
    if rule.direction in ("forbid", "require"):
        if english:
            return f"{prefix} — complies" if prefix else "Complies"
        return f"{prefix}符合规定"
    suffix = _UNIT_SUFFIX.get(rule.unit, ("", ""))[1 if english else 0]
    bound = _OK_BOUND[rule.direction][1 if english else 0]
    m = _show(measured, rule.unit, lang) + (suffix if not isinstance(measured, str) else "")
    lim = _show(limit, rule.unit, lang) + (suffix if not isinstance(limit, str) else "")
    if english:
        head = f"{prefix} — within the rule" if prefix else "Within the rule"
        return f"{head}: {m} ({bound} {lim})"
    return f"{prefix}符合规定：{m}（{bound} {lim}）"


def _verdict(
    rule: Rule,
    *,
    breached: bool,
    measured: Value,
    limit: Value,
    subject: str | None = None,
    kind: tuple[str, str] | None = None,
) -> Verdict:
    """The verdict on one rule. ``kind`` is a (zh, en) label such as ("期末考试", "final")."""
    messages: dict[str, str] = {}
    for lang, template in (("zh", rule.message_zh), ("en", rule.message_en)):
        fields = _Fields(
            measured=_show(measured, rule.unit, lang),
            limit=_show(limit, rule.unit, lang),
            subject=subject_name(subject, lang) if subject else "",
            kind=(kind[1] if lang == "en" else kind[0]) if kind else "",
        )
        if breached:
            messages[lang] = template.format_map(fields)
        else:
            # Name the subject and kind, unless the subject is what was measured.
            named = [] if measured == subject else [fields["subject"]]
            separator = " " if lang == "en" else ""
            # With no subject or kind to name, the rule's title says what was checked:
            # "每周体育课节数符合规定：5（下限 5）", not a bare "符合规定：5（下限 5）".
            prefix = separator.join(p for p in (*named, fields["kind"]) if p) or rule.title(lang)
            messages[lang] = _ok_message(rule, measured, limit, lang, prefix)
    return Verdict(
        status=Status(rule.severity) if breached else Status.OK,
        rule_id=rule.id,
        measured=measured,
        limit=limit,
        message_zh=messages["zh"],
        message_en=messages["en"],
        citation=rule.citation,
        unit=rule.unit,
        exemptable=rule.exemptable,
        title_zh=rule.title_zh,
        title_en=rule.title_en,
    )


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


# --- homework ------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeworkItemFacts:
    """One homework item as the policy sees it."""

    subject: str
    minutes: int
    is_written: bool
    at_home: bool
    is_mandatory: bool
    needs_phone: bool = False
    asks_parents_to_grade: bool = False
    is_punitive: bool = False
    copying_minutes: int = 0

    def __post_init__(self) -> None:
        if self.minutes < 0 or self.copying_minutes < 0:
            raise ValueError("homework minutes cannot be negative")

    @property
    def is_take_home_written(self) -> bool:
        """The minutes the daily cap counts: written, done at home, not optional."""
        return self.is_written and self.at_home and self.is_mandatory


def _cap_rules(grade: int, day_kind: DayKind) -> list[tuple[str, str | None]]:
    """(rule id, table key) of every cap that limits take-home written homework that day.

    Grades 1-2 take no written homework home on any day, so their ban joins the weekend
    and holiday cap rather than being replaced by it.
    """
    band = grade_band(grade)
    if day_kind is DayKind.SCHOOL_DAY:
        return [(f"hw.cap.{band}", None)]
    caps: list[tuple[str, str | None]] = [("hw.cap.weekend", band)]
    if band == "g1-2":
        caps.append(("hw.cap.g1-2", None))
    return caps


def daily_homework_cap(profile: Profile, *, grade: int, day_kind: DayKind) -> int:
    """Minutes of take-home written homework allowed for a class of ``grade`` that day."""
    return min(profile.rule(r).whole(k) for r, k in _cap_rules(grade, day_kind))


def take_home_written_minutes(items: Sequence[HomeworkItemFacts]) -> int:
    """The minutes the cap counts: written, mandatory, done at home."""
    return sum(i.minutes for i in items if i.is_take_home_written)


def check_class_day_load(
    profile: Profile, *, grade: int, day_kind: DayKind, items: Sequence[HomeworkItemFacts]
) -> list[Verdict]:
    """The class's whole day of homework against the day's cap (or caps)."""
    total = take_home_written_minutes(items)
    verdicts = []
    for rule_id, key in _cap_rules(grade, day_kind):
        rule = profile.rule(rule_id)
        cap = rule.whole(key)
        verdicts.append(_verdict(rule, breached=total > cap, measured=total, limit=cap))
    return verdicts


def check_homework_item(profile: Profile, *, grade: int, item: HomeworkItemFacts) -> list[Verdict]:
    """One item's own rules: the bans, the subjects that may set written homework at home,
    the grade 1-2 ban, and a warning for mechanical copying."""
    stage = stage_for_grade(grade)
    verdicts: list[Verdict] = []
    for rule_id, flagged in (
        ("hw.no-phone", item.needs_phone),
        ("hw.no-parents", item.asks_parents_to_grade),
        ("hw.design.no-punitive", item.is_punitive),
    ):
        rule = profile.rule(rule_id)
        forbidden = rule.flag()
        verdicts.append(
            _verdict(rule, breached=forbidden and flagged, measured=flagged, limit=not forbidden)
        )
    written_at_home = item.is_written and item.at_home
    if written_at_home and grade_band(grade) == "g1-2":
        rule = profile.rule("hw.cap.g1-2")
        cap = rule.whole()
        verdicts.append(
            _verdict(rule, breached=item.minutes > cap, measured=item.minutes, limit=cap)
        )
    if written_at_home:
        rule = profile.rule("hw.written-subjects")
        allowed = rule.members(stage)
        verdicts.append(
            _verdict(
                rule,
                breached=item.subject not in allowed,
                measured=item.subject,
                limit=allowed,
                subject=item.subject,
            )
        )
    copying = profile.rule("hw.design.copying")
    limit = copying.number()
    verdicts.append(
        _verdict(
            copying,
            breached=item.copying_minutes > limit,
            measured=item.copying_minutes,
            limit=limit,
        )
    )
    return verdicts


@dataclass(frozen=True)
class HomeworkDayVerdicts:
    """A class-day's homework checked: the whole day against its caps, and each new
    item against its own rules."""

    day: tuple[Verdict, ...]
    items: tuple[tuple[Verdict, ...], ...]

    @property
    def all(self) -> list[Verdict]:
        return [*self.day, *(v for vs in self.items for v in vs)]


def check_homework_day(
    profile: Profile,
    *,
    grade: int,
    day_kind: DayKind,
    published: Sequence[HomeworkItemFacts],
    drafts: Sequence[HomeworkItemFacts],
) -> HomeworkDayVerdicts:
    """The one check of a class-day's homework, used by publishing and by the check
    endpoint alike (so the endpoint never says "ok" to what publishing refuses): the day's
    published items with the new ones against the day's caps, and each new item against
    its own rules (the bans on phone check-in, homework for parents and punishment, grades
    1–2, the subjects that may set written homework, copying). What is already published
    passed its own rules when it was."""
    return HomeworkDayVerdicts(
        day=tuple(
            check_class_day_load(
                profile, grade=grade, day_kind=day_kind, items=[*published, *drafts]
            )
        ),
        items=tuple(tuple(check_homework_item(profile, grade=grade, item=item)) for item in drafts),
    )


# --- sleep and the school day ----------------------------------------------------------


def check_bedtime(profile: Profile, *, stage: str, finished_at: dt.time) -> Verdict:
    """A finish time against the stage's bedtime; 00:30 is later than 23:00, not earlier."""
    rule = profile.rule("sleep.bedtime")
    bedtime = rule.clock(stage)
    return _verdict(
        rule,
        breached=is_later(finished_at, bedtime, "latest"),
        measured=_hhmm(finished_at),
        limit=_hhmm(bedtime),
    )


def sleep_hours(bedtime: dt.time, wake: dt.time) -> float:
    """Hours from going to bed to waking, across midnight (21:30 → 6:50 is 9h20m)."""
    start = bedtime.hour * 60 + bedtime.minute
    end = wake.hour * 60 + wake.minute
    return ((end - start) % (24 * 60)) / 60


def check_sleep_hours(profile: Profile, *, stage: str, hours: float) -> Verdict:
    rule = profile.rule("sleep.hours")
    minimum = rule.number(stage)
    return _verdict(rule, breached=hours < minimum, measured=round(hours, 1), limit=minimum)


def check_school_start(profile: Profile, *, stage: str, starts_at: dt.time) -> Verdict:
    rule = profile.rule("sleep.school-start")
    earliest = rule.clock(stage)
    return _verdict(
        rule,
        breached=is_later(earliest, starts_at, "earliest"),
        measured=_hhmm(starts_at),
        limit=_hhmm(earliest),
    )


def check_pe_lessons(profile: Profile, *, grade: int, lessons: int) -> Verdict:
    rule = profile.rule("fitness.pe-lessons")
    minimum = rule.whole("g1-2" if grade <= 2 else "g3-9")
    return _verdict(rule, breached=lessons < minimum, measured=lessons, limit=minimum)


def check_activity_day(
    profile: Profile, *, break_minutes: int, at_school_minutes: int
) -> list[Verdict]:
    """The 大课间 and a day's physical activity at school against the profile."""
    pause = profile.rule("fitness.break")
    daily = profile.rule("fitness.daily")
    at_school = daily.whole("at-school")
    return [
        _verdict(
            pause, breached=break_minutes < pause.whole(), measured=break_minutes,
            limit=pause.whole(),
        ),
        _verdict(
            daily, breached=at_school_minutes < at_school, measured=at_school_minutes,
            limit=at_school,
        ),
    ]  # fmt: skip


def check_reading_lists(profile: Profile, *, lists: int) -> Verdict:
    """Recommended outside-reading lists in one school year (at most one by default)."""
    rule = profile.rule("reading.recommend")
    return _verdict(rule, breached=lists > rule.whole(), measured=lists, limit=rule.whole())


# --- after-school services -------------------------------------------------------------


def check_after_school_day(profile: Profile, *, start: dt.time, end: dt.time) -> list[Verdict]:
    """One day's service: long enough, and not over before parents finish work."""
    if end <= start:
        raise ValueError(f"after-school service must end after it starts ({start}–{end})")
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    duration = profile.rule("afterschool.duration")
    minimum = duration.number()
    end_rule = profile.rule("afterschool.end")
    earliest_end = end_rule.clock()
    return [
        _verdict(duration, breached=minutes < minimum, measured=minutes, limit=minimum),
        _verdict(
            end_rule,
            breached=is_later(earliest_end, end, "earliest"),
            measured=_hhmm(end),
            limit=_hhmm(earliest_end),
        ),
    ]


def check_after_school_week(profile: Profile, *, days_offered: int) -> Verdict:
    rule = profile.rule("afterschool.days")
    minimum = rule.number()
    return _verdict(rule, breached=days_offered < minimum, measured=days_offered, limit=minimum)


def check_club_offer(
    profile: Profile, *, segment: tuple[str, str], seats: int, asked: int
) -> Verdict:
    """Club seats in one segment against the students who asked for a club in it.

    ``segment`` is a (zh, en) label; the rule's threshold is the shortfall tolerated.
    """
    rule = profile.rule("afterschool.club-seats")
    shortfall = asked - seats
    return _verdict(
        rule, breached=shortfall > rule.whole(), measured=seats, limit=asked, kind=segment
    )


# --- exams -----------------------------------------------------------------------------

ExamKind = Literal["final", "midterm", "unit", "mock"]
_EXAM_KIND_NAMES: Mapping[str, tuple[str, str]] = {
    "final": ("期末考试", "final"),
    "midterm": ("期中考试", "midterm"),
    "unit": ("单元考试", "unit"),
    "mock": ("模拟考试", "mock"),
}


@dataclass(frozen=True)
class ExamFacts:
    """One exam paper (or non-paper assessment) in a semester's plan for one grade."""

    kind: ExamKind
    subject: str
    is_paper: bool
    duration_minutes: int
    is_regional: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _EXAM_KIND_NAMES:
            raise ValueError(f"unknown exam kind {self.kind!r}")
        if self.duration_minutes < 0:
            raise ValueError("exam duration cannot be negative")


def _count_verdicts(
    rule: Rule, exams: Sequence[ExamFacts], kind: ExamKind, key: str
) -> list[Verdict]:
    cap = rule.whole(key)
    verdicts = []
    for subject in sorted({e.subject for e in exams if e.kind == kind}):
        n = sum(1 for e in exams if e.kind == kind and e.subject == subject)
        verdicts.append(
            _verdict(
                rule,
                breached=n > cap,
                measured=n,
                limit=cap,
                subject=subject,
                kind=_EXAM_KIND_NAMES[kind],
            )
        )
    return verdicts


def _duration_key(grade: int) -> str:
    if grade <= 4:
        return "g3-4"
    return "g5-6" if grade <= 6 else "junior"


def check_exam_plan(
    profile: Profile, *, grade: int, is_graduating: bool, exams: Sequence[ExamFacts]
) -> list[Verdict]:
    """One semester's exams for one grade (compulsory education, grades 1-9)."""
    stage = stage_for_grade(grade)
    band = grade_band(grade)
    verdicts: list[Verdict] = []
    if band == "g1-2":
        rule = profile.rule("exam.g1-2")
        papers = sum(1 for e in exams if e.is_paper)
        cap = rule.whole()
        verdicts.append(_verdict(rule, breached=papers > cap, measured=papers, limit=cap))
    else:
        count = profile.rule("exam.count")
        verdicts += _count_verdicts(count, exams, "final", "final")
        verdicts += _count_verdicts(count, exams, "midterm", f"midterm-{stage}")
        verdicts += _count_verdicts(count, exams, "unit", "unit")
        mock_key = "junior-graduating" if stage == "junior" and is_graduating else "other"
        verdicts += _count_verdicts(profile.rule("exam.mock"), exams, "mock", mock_key)
        duration = profile.rule("exam.duration")
        longest = duration.number(_duration_key(grade))
        for exam in (e for e in exams if e.is_paper):
            verdicts.append(
                _verdict(
                    duration,
                    breached=exam.duration_minutes > longest,
                    measured=exam.duration_minutes,
                    limit=longest,
                    subject=exam.subject,
                )
            )
    # Primary grades never sit regional exams, graduating or not; junior graduates may.
    regional_rule = profile.rule("exam.no-regional")
    regional = sum(1 for e in exams if e.is_regional)
    applies = regional_rule.flag() and (stage == "primary" or not is_graduating)
    verdicts.append(
        _verdict(
            regional_rule,
            breached=applies and regional > 0,
            measured=regional,
            limit=0 if applies else None,
        )
    )
    return verdicts


def check_result_bands(profile: Profile, *, levels: int) -> Verdict:
    """Results are reported in grade bands, as many as the profile allows (4 or 5)."""
    rule = profile.rule("exam.bands")
    allowed = rule.members()
    return _verdict(rule, breached=levels not in allowed, measured=levels, limit=allowed)
