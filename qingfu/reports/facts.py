"""Load the figures of a work-summary report from records (the fetch step).

Homework figures come from class-day rollups (``oversight.ClassDayRollup``), never from
raw items or logs, so a semester report for a district costs classes x days rows. A school
day without a rollup row had no homework and no logs: it counts as zero minutes, within
the cap. School days come from each school's semester calendars.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Literal

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from qingfu.afterschool.attendance import expected_ids
from qingfu.afterschool.models import (
    AllocationRun,
    AttendanceMark,
    Club,
    Program,
    Session,
    Signup,
    SurveyResponse,
)
from qingfu.core.text import month_day
from qingfu.homework.models import LoadException, PlanChange, WeeklyPlan
from qingfu.inspections.selectors import is_overdue, notices_summary, rectification_register
from qingfu.oversight.models import ClassDayRollup
from qingfu.oversight.selectors import school_days
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import daily_homework_cap, grade_band
from qingfu.reports.burden_facts import teacher_burden
from qingfu.reports.data import (
    BANDS,
    AfterSchool,
    BandFigures,
    ClassLate,
    ClassOver,
    ExceptionLine,
    Exceptions,
    GradeParticipation,
    Period,
    Publicity,
    Rectifications,
    ReportFacts,
    SchoolLine,
    SeriesPoint,
)
from qingfu.reports.selectors import Scope
from qingfu.reports.training_facts import training_governance
from qingfu.schools.calendars import profile_for_school, semester_calendar
from qingfu.schools.models import School, SchoolClass, Student
from qingfu.schools.naming import class_display_name, grade_display_name

BAND_GRADE = {"g1-2": 1, "g3-6": 3, "g7-9": 7}
# A class is named for late finishing when at least this share of its logs finished after
# bedtime (and it had at least the minimum group of logs).
LATE_SHARE_NOTED = 0.10
# A class is named for low after-school participation below this share of its students.
LOW_PARTICIPATION = 0.5
SERIES_DAYS_MAX = 14  # up to two weeks the chart shows days, beyond that weeks


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def report_facts(*, scope: Scope, period: Period, today: dt.date) -> ReportFacts:
    schools = list(
        School.objects.select_related("district").filter(id__in=scope.school_ids).order_by("name")
    )
    school_name = {s.pk: s.name for s in schools}
    profile = profile_for_school(schools[0]) if schools else None
    min_group = profile.rule("priv.min-group").whole() if profile else 5
    caps = {
        band: daily_homework_cap(profile, grade=g, day_kind=DayKind.SCHOOL_DAY) if profile else 0
        for band, g in BAND_GRADE.items()
    }
    classes = list(
        SchoolClass.objects.filter(
            school_id__in=scope.school_ids, grade__number__lte=9
        ).values_list("id", "school_id", "grade__number", "number")
    )
    class_band: dict[int, str] = {cid: grade_band(g) for cid, _s, g, _n in classes}
    # Names in the reader's language: the report is written in it.
    language = get_language()
    class_name = {cid: class_display_name(g, n, language) for cid, _s, g, n in classes}
    class_grade_number = {cid: g for cid, _s, g, _n in classes}
    class_school = {cid: s for cid, s, _g, _n in classes}
    sizes = dict(
        Student.objects.filter(school_id__in=scope.school_ids, is_active=True)
        .values_list("school_class_id")
        .annotate(n=Count("id"))
        .values_list("school_class_id", "n")
    )
    through = min(period.end, today)
    days_of = school_days([s.pk for s in schools], period.start, through)
    band_classes: dict[tuple[int, str], int] = Counter(
        (class_school[c], b) for c, b in class_band.items()
    )

    rows = list(
        ClassDayRollup.objects.filter(
            school_id__in=scope.school_ids,
            date__gte=period.start,
            date__lte=through,
            school_class_id__in=list(class_band),
        )
        .order_by("date", "school_class_id")
        .values_list(
            "school_class_id",
            "date",
            "day_kind",
            "cap",
            "planned_minutes",
            "verdict",
            "logs",
            "reported_minutes",
            "late_finishes",
            "not_finished",
            "exceptions_granted",
        )
    )

    bands = _bands(rows, class_band, days_of, band_classes, caps, min_group)
    class_grade = {cid: f"g{g}" for cid, _s, g, _n in classes}
    numbers = sorted({g for _c, _s, g, _n in classes})
    grades = _bands(
        rows,
        class_grade,
        days_of,
        Counter((class_school[c], key) for c, key in class_grade.items()),
        {f"g{g}": caps[grade_band(g)] for g in numbers},
        min_group,
        tuple((f"g{g}", grade_display_name(g, language)) for g in numbers),
    )
    series, unit = _series(rows, class_band, days_of, band_classes, period)
    over, late = _classes(rows, class_name, class_school, school_name, min_group)

    afterschool = _afterschool(
        schools, period, through, class_name, class_grade_number, class_school, min_group
    )
    publicity_by_school = {s.pk: _publicity(s, days_of[s.pk]) for s in schools}
    publicity = Publicity(
        expected=sum(p.expected for p in publicity_by_school.values()),
        published=sum(p.published for p in publicity_by_school.values()),
        class_boards=sum(p.class_boards for p in publicity_by_school.values()),
        changes=sum(p.changes for p in publicity_by_school.values()),
        missing=tuple(
            (
                _("%(school)s%(week)s起") % {"school": school_name[sid], "week": m}
                if scope.kind == "district"
                else _("%(week)s起") % {"week": m}
            )
            for sid, p in publicity_by_school.items()
            for m in p.missing
        ),
    )
    lines: tuple[SchoolLine, ...] = ()
    if scope.kind == "district":
        rows_of: dict[int, list[Row]] = defaultdict(list)
        for r in rows:
            rows_of[class_school[r[0]]].append(r)
        lines = tuple(
            _school_line(
                s,
                rows_of[s.pk],
                class_band,
                {s.pk: days_of[s.pk]},
                band_classes,
                caps,
                min_group,
                publicity_by_school[s.pk],
                afterschool.school_share(s.pk) if afterschool else None,
            )
            for s in schools
        )
    return ReportFacts(
        scope_kind=scope.kind,
        scope_name=scope.name,
        district_name=scope.district_name,
        period=period,
        today=today,
        through=through,
        first_record=min((r[1] for r in rows if r[4] or r[6]), default=None),
        schools=len(schools),
        classes=len(classes),
        students=sum(sizes.values()),
        school_days=max((len(d) for d in days_of.values()), default=0),
        min_group=min_group,
        bands=bands,
        grades=grades,
        series=series,
        series_unit=unit,
        over_classes=over,
        late_classes=late,
        publicity=publicity,
        afterschool=afterschool,
        exceptions=_exceptions(scope.school_ids, period, school_name),
        rectifications=_rectifications(scope.school_ids, period, today, scope.kind == "district"),
        school_lines=lines,
        rollup_rows=len(rows),
        teacher_burden=teacher_burden(
            school_ids=scope.school_ids, first=period.start, last=through, teacher_hours=True
        ),
        training=(
            training_governance(district_id=scope.id, period=period, through=through, today=today)
            if scope.kind == "district"
            else None
        ),
    )


Row = tuple[int, dt.date, str, int, int, str, int, float | None, int, int, int]


def _is_over(r: Row) -> bool:
    return r[5] == "violation" and (r[2] == DayKind.SCHOOL_DAY or r[4] > 0)


def _bands(
    rows: list[Row],
    class_band: dict[int, str],
    days_of: dict[int, list[dt.date]],
    band_classes: dict[tuple[int, str], int],
    caps: dict[str, int],
    min_group: int,
    groups: tuple[tuple[str, str], ...] = BANDS,
) -> tuple[BandFigures, ...]:
    """Figures per group of classes: the grade bands by default, or any other grouping
    (``class_band`` maps a class to its group, ``band_classes`` counts classes per school
    and group)."""
    out = []
    for band, label in groups:
        mine = [r for r in rows if class_band[r[0]] == band]
        school_class_days = sum(
            band_classes.get((sid, band), 0) * len(days) for sid, days in days_of.items()
        )
        if not school_class_days and not mine:
            continue
        on_school_days = [r for r in mine if r[2] == DayKind.SCHOOL_DAY]
        other_days = [r for r in mine if r[2] != DayKind.SCHOOL_DAY and r[4] > 0]
        reported = [r for r in mine if r[7] is not None]
        out.append(
            BandFigures(
                band=band,
                label=_(label),  # the grade bands' names are marked in data.BANDS
                cap=caps[band],
                classes=sum(n for (_s, b), n in band_classes.items() if b == band),
                school_class_days=school_class_days,
                planned_school_days=sum(r[4] for r in on_school_days),
                class_days=school_class_days + len(other_days),
                over=sum(1 for r in mine if _is_over(r)),
                over_approved=sum(1 for r in mine if _is_over(r) and r[10]),
                logs=sum(r[6] for r in mine),
                reported_days=len(reported),
                reported_sum=sum(r[7] or 0.0 for r in reported),
                planned_on_reported=sum(r[4] for r in reported),
                late_finishes=sum(r[8] for r in mine),
                not_finished=sum(r[9] for r in mine),
                min_group=min_group,
            )
        )
    return tuple(out)


def _series(
    rows: list[Row],
    class_band: dict[int, str],
    days_of: dict[int, list[dt.date]],
    band_classes: dict[tuple[int, str], int],
    period: Period,
) -> tuple[tuple[SeriesPoint, ...], Literal["week", "day"]]:
    by_day = period.days <= SERIES_DAYS_MAX
    all_days = sorted({d for days in days_of.values() for d in days})

    def bucket(day: dt.date) -> dt.date:
        return day if by_day else monday_of(day)

    denominators: dict[tuple[dt.date, str], int] = defaultdict(int)
    for sid, days in days_of.items():
        for day in days:
            for band, _label in BANDS:
                denominators[(bucket(day), band)] += band_classes.get((sid, band), 0)
    planned: dict[tuple[dt.date, str], int] = defaultdict(int)
    for r in rows:
        if r[2] == DayKind.SCHOOL_DAY:
            planned[(bucket(r[1]), class_band[r[0]])] += r[4]
    points = []
    for key in sorted({bucket(d) for d in all_days}):
        label = f"{key.month}/{key.day}"
        points.append(
            SeriesPoint(
                label=label if by_day else _("%(day)s周") % {"day": label},
                by_band={
                    band: (planned[(key, band)] / denominators[(key, band)])
                    if denominators[(key, band)]
                    else None
                    for band, _l in BANDS
                },
            )
        )
    return tuple(points), ("day" if by_day else "week")


def _classes(
    rows: list[Row],
    class_name: dict[int, str],
    class_school: dict[int, int],
    school_name: dict[int, str],
    min_group: int,
) -> tuple[tuple[ClassOver, ...], tuple[ClassLate, ...]]:
    over: dict[int, list[Row]] = defaultdict(list)
    logs: Counter[int] = Counter()
    late: Counter[int] = Counter()
    for r in rows:
        if _is_over(r) and not r[10]:
            over[r[0]].append(r)
        logs[r[0]] += r[6]
        late[r[0]] += r[8]
    overs = sorted(
        (
            ClassOver(
                school=school_name[class_school[cid]],
                class_name=class_name[cid],
                days_over=len(rs),
                worst_minutes=max(r[4] for r in rs),
                cap=max(r[3] for r in rs),
                dates=tuple(r[1] for r in rs),
            )
            for cid, rs in over.items()
        ),
        key=lambda c: (-c.days_over, -c.worst_minutes, c.school, c.class_name),
    )
    lates = sorted(
        (
            ClassLate(school_name[class_school[cid]], class_name[cid], logs[cid], late[cid])
            for cid in logs
            if logs[cid] >= min_group and late[cid] / logs[cid] >= LATE_SHARE_NOTED
        ),
        key=lambda c: (-c.share, c.school, c.class_name),
    )
    return tuple(overs), tuple(lates)


def teaching_weeks(days: Iterable[dt.date]) -> list[dt.date]:
    return sorted({monday_of(d) for d in days})


def _publicity(school: School, days: list[dt.date]) -> Publicity:
    weeks = teaching_weeks(days)
    grades = dict(
        SchoolClass.objects.filter(school=school, grade__number__lte=9)
        .values_list("grade_id", "grade__number")
        .distinct()
    )
    plans = {
        (p.grade_id, p.week_start): p
        for p in WeeklyPlan.objects.filter(
            school=school,
            week_start__in=weeks,
            status=WeeklyPlan.Status.APPROVED,
            published_at__isnull=False,
        )
    }
    # A class-week's board is shown when its grade's plan is published, grades 1–2 too
    # (their board says no written homework, with no plan entries): the publicity ledger
    # lists the same class-weeks as published.
    classes = Counter(
        SchoolClass.objects.filter(school=school, grade__number__lte=9).values_list(
            "grade_id", flat=True
        )
    )
    boards = sum(classes[grade_id] for grade_id, _week in plans)
    changes = PlanChange.objects.filter(plan__in=list(plans.values())).count()
    missing = [
        month_day(week)
        for week in weeks
        if any((grade_id, week) not in plans for grade_id in grades)
    ]
    return Publicity(
        expected=len(weeks) * len(grades),
        published=len(plans),
        class_boards=boards,
        changes=changes,
        missing=tuple(missing),
    )


def _attendance_coverage(
    programs: list[Program], period: Period, through: dt.date
) -> tuple[int, int, int, int]:
    """What the attendance records cover in the period: the programs' service days (their
    weekdays that the school calendar makes school days, from the day the first sign-ups
    took effect), the days with any mark, the sessions that needed attendance (someone was
    expected, or it was taken) and the sessions marked. Summed over schools (a district's
    count is of school-days)."""
    service_days = days_marked = sessions = sessions_marked = 0
    for program in programs:
        semester = program.semester
        first = Signup.objects.filter(program=program).aggregate(first=Min("valid_from"))["first"]
        start = max(period.start, semester.start, first or semester.start)
        end = min(through, period.end, semester.end)
        if end < start:
            continue
        calendar = semester_calendar(semester)
        service_days += sum(
            1
            for k in range((end - start).days + 1)
            if (day := start + dt.timedelta(days=k)).weekday() in program.weekdays
            and calendar.day_kind(day) is DayKind.SCHOOL_DAY
        )
        held = list(Session.objects.filter(program=program, date__range=(start, end)))
        marked = set(
            AttendanceMark.objects.filter(
                session__program=program, session__date__range=(start, end)
            )
            .values_list("session_id", flat=True)
            .distinct()
        )
        # A session nobody was expected at (its pupils all at clubs or gone home) needs no
        # attendance, as the principal's home says: it is not counted as one to take.
        expected = expected_ids(held)
        needed = [s for s in held if expected[s.pk] or s.pk in marked]
        days_marked += len({s.date for s in held if s.pk in marked})
        sessions += len(needed)
        sessions_marked += len(marked)
    return service_days, days_marked, sessions, sessions_marked


def _afterschool(
    schools: list[School],
    period: Period,
    through: dt.date,
    class_name: dict[int, str],
    class_grade: dict[int, int],
    class_school: dict[int, int],
    min_group: int,
) -> AfterSchool | None:
    school_ids = [s.pk for s in schools]
    programs = list(
        Program.objects.filter(
            school_id__in=school_ids,
            semester__start__lte=period.end,
            semester__end__gte=period.start,
        ).order_by("school_id", "-semester__start")
    )
    latest: dict[int, Program] = {}
    for p in programs:
        latest.setdefault(p.school_id, p)
    if not latest:
        return None
    as_of = through
    program_ids = [p.pk for p in latest.values()]
    students = dict(
        Student.objects.filter(school_id__in=list(latest), is_active=True).values_list(
            "id", "school_class_id"
        )
    )
    taking = set(
        Signup.objects.filter(program_id__in=program_ids, withdrawn=False, valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=as_of))
        .values_list("student_id", flat=True)
    ) & set(students)
    wished = set(
        SurveyResponse.objects.filter(program_id__in=program_ids, participate=True).values_list(
            "student_id", flat=True
        )
    ) & set(students)
    clubs = list(Club.objects.filter(program_id__in=program_ids))
    categories = Counter(str(Club.Category(c.category).label) for c in clubs)
    instructors = Counter(str(Club.Instructor(c.instructor_kind).label) for c in clubs)
    marks = ClassDayRollup.objects.filter(
        school_id__in=list(latest), date__gte=period.start, date__lte=through
    ).aggregate(marks=Sum("afterschool_marks"), attended=Sum("afterschool_attended"))
    school_students: Counter[int] = Counter()
    school_taking: Counter[int] = Counter()
    for sid_, cid_ in students.items():
        school = class_school.get(cid_)
        if school is not None:
            school_students[school] += 1
            school_taking[school] += sid_ in taking
    per_class_taking: Counter[int] = Counter(students[s] for s in taking)
    per_class_students: Counter[int] = Counter(students.values())
    grade_students: Counter[int] = Counter()
    grade_taking: Counter[int] = Counter()
    for cid, n in per_class_students.items():
        if cid not in class_name:
            continue
        grade = class_grade[cid]
        grade_students[grade] += n
        grade_taking[grade] += per_class_taking[cid]
    low = sorted(
        (
            (
                next(s.name for s in schools if s.pk == class_school[cid]),
                class_name[cid],
                per_class_taking[cid] / n,
            )
            for cid, n in per_class_students.items()
            if cid in class_name
            and n >= min_group
            and per_class_taking[cid] / n < LOW_PARTICIPATION
        ),
        key=lambda x: (x[2], x[0], x[1]),
    )
    coverage = _attendance_coverage(list(latest.values()), period, through)
    return AfterSchool(
        programs=len(latest),
        service_days=coverage[0],
        days_marked=coverage[1],
        sessions=coverage[2],
        sessions_marked=coverage[3],
        schools_without=tuple(s.name for s in schools if s.pk not in latest),
        students=len(students),
        wished=len(wished),
        taking_part=len(taking),
        wished_taking_part=len(taking & wished),
        clubs=len(clubs),
        club_seats=sum(c.capacity for c in clubs),
        categories=tuple(categories.most_common()),
        instructors=tuple(instructors.most_common()),
        marks=marks["marks"] or 0,
        attended=marks["attended"] or 0,
        by_school=tuple(
            (school, n, school_taking[school]) for school, n in sorted(school_students.items())
        ),
        by_grade=tuple(
            GradeParticipation(
                grade_display_name(g, get_language()), grade_students[g], grade_taking[g]
            )
            for g in sorted(grade_students)
            if grade_students[g] >= min_group
        ),
        low_classes=tuple(low),
        min_group=min_group,
        allocated=AllocationRun.objects.filter(program_id__in=program_ids, applied=True).exists(),
    )


def _exceptions(
    school_ids: Iterable[int], period: Period, school_name: dict[int, str]
) -> Exceptions:
    rows = (
        LoadException.objects.filter(
            school_id__in=list(school_ids), date__gte=period.start, date__lte=period.end
        )
        .select_related("school_class__grade", "decided_by")
        .order_by("date", "school_class__grade__number", "school_class__number", "id")
    )
    return Exceptions(
        tuple(
            ExceptionLine(
                school=school_name[e.school_id],
                class_name=class_display_name(
                    e.school_class.grade.number, e.school_class.number, get_language()
                ),
                date=e.date,
                measured=e.measured,
                limit=e.limit,
                reason=e.request_reason,
                status=e.status,
                decision=e.decision_reason,
                decided_by=e.decided_by.name if e.decided_by else "",
            )
            for e in rows
        )
    )


def _rectifications(
    school_ids: Iterable[int], period: Period, today: dt.date, prefix: bool
) -> Rectifications | None:
    """Rectification notices issued in the period (qingfu.inspections), overdue as of today."""
    ids = list(school_ids)
    summary = notices_summary(school_ids=ids, start=period.start, end=period.end, today=today)
    if not summary.issued:
        return None
    overdue = [
        _("%(school)s“%(title)s”（%(deadline)s到期）")
        % {
            "school": r.school_name if prefix else "",
            "title": r.title,
            "deadline": month_day(r.deadline),
        }
        for r in rectification_register(school_ids=ids, start=period.start, end=period.end)
        if is_overdue(status=r.status, deadline=r.deadline, today=today)
    ]
    return Rectifications(
        issued=summary.issued,
        closed=summary.closed,
        overdue=summary.overdue,
        open=summary.open,
        overdue_lines=tuple(overdue),
    )


def _school_line(
    school: School,
    rows: list[Row],
    class_band: dict[int, str],
    days_of: dict[int, list[dt.date]],
    band_classes: dict[tuple[int, str], int],
    caps: dict[str, int],
    min_group: int,
    publicity: Publicity,
    participation: float | None,
) -> SchoolLine:
    bands = _bands(rows, class_band, days_of, band_classes, caps, min_group)
    class_days = sum(b.class_days for b in bands)
    over = sum(b.over for b in bands)
    logs = sum(b.logs for b in bands)
    return SchoolLine(
        name=school.name,
        classes=sum(n for (sid, _b), n in band_classes.items() if sid == school.pk),
        compliance=(class_days - over) / class_days if class_days else None,
        over=over,
        average_by_band={b.band: b.average_planned for b in bands},
        late_share=sum(b.late_finishes for b in bands) / logs if logs >= min_group else None,
        boards=(publicity.published, publicity.expected),
        participation=participation,
    )
