"""Reads for after-school services: the program with its verdicts, the survey by grade,
allocation inputs, a family's view of a child, seats and waitlists."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from qingfu.afterschool.allocation import Application, ClubSlot
from qingfu.afterschool.models import (
    AllocationRun,
    Club,
    Job,
    Preference,
    Program,
    Seat,
    Segment,
    Signup,
    SurveyResponse,
)
from qingfu.core.actor import Actor
from qingfu.core.audit import audit_list, audit_read
from qingfu.core.errors import NotFound
from qingfu.policy.checks import check_after_school_day, check_after_school_week, check_club_offer
from qingfu.policy.verdicts import Verdict
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import Student
from qingfu.schools.naming import GRADE_NAMES, class_display_name
from qingfu.schools.selectors import can_see_student, schools_for

# --- programs -----------------------------------------------------------------------------


def programs_for(actor: Actor) -> QuerySet[Program]:
    """Programs of the schools the actor may see (a district sees its schools' filings)."""
    return Program.objects.filter(school__in=schools_for(actor)).select_related(
        "school", "semester"
    )


def program_get(actor: Actor, program_id: int) -> Program:
    program = programs_for(actor).filter(id=program_id).first()
    if program is None:
        raise NotFound()
    return program


def program_of_student(actor: Actor, student: Student, day: dt.date) -> Program:
    """The program of the student's school for the current (or next) semester."""
    program = (
        programs_for(actor)
        .filter(school_id=student.school_id, semester__end__gte=day)
        .order_by("semester__start")
        .first()
    )
    if program is None:
        raise NotFound()
    return program


def job_get(actor: Actor, job_id: int) -> Job:
    """A background job of a school the actor runs (others: the uniform not found)."""
    job = (
        Job.objects.select_related("program")
        .filter(id=job_id, school_id__in=actor.admin_school_ids)
        .first()
    )
    if job is None:
        raise NotFound()
    return job


def program_for_semester(actor: Actor, semester_id: int) -> Program | None:
    return programs_for(actor).filter(semester_id=semester_id).first()


def club_demand(program: Program) -> dict[int, int]:
    """Segment order → survey respondents who stay for it and want some club."""
    demand: Counter[int] = Counter()
    for response in SurveyResponse.objects.filter(program=program, participate=True):
        if response.interests:
            for order in range(1, response.last_segment + 1):
                demand[order] += 1
    return dict(demand)


def program_verdicts(program: Program) -> list[Verdict]:
    """Days a week, daily duration and end time, the 1+X offer and club seats vs demand."""
    profile = profile_for_school(program.school)
    verdicts = [
        check_after_school_week(profile, days_offered=len(program.weekdays)),
        *check_after_school_day(profile, start=program.start, end=program.end),
    ]
    segments = list(program.segments.all())
    capacity: Counter[int] = Counter()
    for segment_id, cap in Club.objects.filter(program=program).values_list(
        "segment_id", "capacity"
    ):
        capacity[segment_id] += cap
    demand = club_demand(program)
    for segment in segments:
        with translation.override("zh-hans"):
            zh = segment.label
        with translation.override("en"):
            en = segment.label
        label = (zh, en)
        verdicts.append(
            check_club_offer(
                profile,
                segment=label,
                seats=capacity[segment.pk],
                asked=demand.get(segment.order, 0),
            )
        )
    return verdicts


@dataclass(frozen=True)
class ClubRow:
    club: Club
    enrolled: int
    waitlisted: int
    pending: int
    first_choices: int

    @property
    def fill(self) -> float:
        return self.enrolled / self.club.capacity if self.club.capacity else 0.0


def club_rows(program: Program) -> list[ClubRow]:
    counts: dict[int, dict[str, Any]] = {
        row["club_id"]: dict(row)
        for row in Seat.objects.filter(program=program)
        .values("club_id")
        .annotate(
            enrolled=Count("id", filter=Q(status=Seat.Status.ENROLLED)),
            waitlisted=Count("id", filter=Q(status=Seat.Status.WAITLISTED)),
            pending=Count("id", filter=Q(status=Seat.Status.PENDING)),
        )
    }
    firsts = Counter(
        Preference.objects.filter(program=program, rank=1).values_list("club_id", flat=True)
    )
    rows = []
    for club in program.clubs.select_related(
        "segment", "school_class__grade", "instructor_teacher"
    ):
        c = counts.get(club.pk, {})
        rows.append(
            ClubRow(
                club,
                c.get("enrolled", 0),
                c.get("waitlisted", 0),
                c.get("pending", 0),
                firsts[club.pk],
            )
        )
    return rows


# --- the survey ---------------------------------------------------------------------------


@dataclass
class SurveyLine:
    label: str
    students: int
    answered: int = 0
    participate: int = 0
    by_segment: Counter[int] = field(default_factory=Counter)
    interests: Counter[str] = field(default_factory=Counter)

    @property
    def answered_share(self) -> float:
        return self.answered / self.students if self.students else 0.0

    @property
    def participate_share(self) -> float:
        return self.participate / self.answered if self.answered else 0.0


def survey_summary(program: Program, *, by_class: bool = False) -> list[SurveyLine]:
    """Answers by grade, or by class (counts only, no names)."""
    fields = ("school_class__grade__number", "school_class__number")

    def key(grade: int, number: int) -> tuple[int, int]:
        return (grade, number) if by_class else (grade, 0)

    students = Counter(
        key(g, n)
        for g, n in Student.objects.filter(school_id=program.school_id, is_active=True).values_list(
            *fields
        )
    )
    lines = {
        k: SurveyLine(class_display_name(*k) if by_class else GRADE_NAMES[k[0]], n)
        for k, n in sorted(students.items())
    }
    responses = SurveyResponse.objects.filter(program=program).values_list(
        *(f"student__{f}" for f in fields), "participate", "last_segment", "interests"
    )
    for grade, number, participate, last, interests in responses:
        line = lines.get(key(grade, number))
        if line is None:
            continue
        line.answered += 1
        if participate:
            line.participate += 1
            line.by_segment[last] += 1
            line.interests.update(interests)
    return list(lines.values())


# --- sign-up and families -----------------------------------------------------------------


def current_signup(program: Program, student_id: int, day: dt.date) -> Signup | None:
    """The version in force on ``day``, else the next one to start (a change ahead)."""
    versions = Signup.objects.filter(program=program, student_id=student_id)
    in_force = (
        versions.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("-valid_from", "-id")
        .first()
    )
    return in_force or versions.filter(valid_from__gt=day).order_by("valid_from", "id").first()


def latest_signup(program: Program, student_id: int) -> Signup | None:
    """The open-ended version: what the family has decided, whenever it takes effect."""
    return Signup.objects.filter(
        program=program, student_id=student_id, valid_to__isnull=True
    ).first()


def signup_history(program: Program, student_id: int) -> list[Signup]:
    return list(Signup.objects.filter(program=program, student_id=student_id).order_by("id"))


def waitlist(club: Club) -> list[Seat]:
    return list(
        Seat.objects.filter(club=club, status=Seat.Status.WAITLISTED).order_by(
            "requested_at", "lottery_key", "id"
        )
    )


def waitlist_position(seat: Seat) -> int:
    ahead = Seat.objects.filter(club_id=seat.club_id, status=Seat.Status.WAITLISTED).filter(
        Q(requested_at__lt=seat.requested_at)
        | Q(requested_at=seat.requested_at, lottery_key__lt=seat.lottery_key)
        | Q(requested_at=seat.requested_at, lottery_key=seat.lottery_key, id__lt=seat.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class SeatAnswer:
    status: str  # enrolled / waitlisted / pending / refused
    club_name: str
    position: int | None = None
    reason: str = ""
    settles_at: dt.datetime | None = None


def seat_answer(seat: Seat) -> SeatAnswer:
    club_name = seat.club.name
    if seat.status == Seat.Status.WAITLISTED:
        return SeatAnswer("waitlisted", club_name, position=waitlist_position(seat))
    if seat.status == Seat.Status.WITHDRAWN:
        return SeatAnswer("refused", club_name, reason=seat.note)
    return SeatAnswer(seat.status, club_name)


@dataclass(frozen=True)
class ChildSeat:
    seat: Seat
    position: int | None


@dataclass(frozen=True)
class ChildView:
    student: Student
    program: Program
    survey: SurveyResponse | None
    signup: Signup | None
    history: list[Signup]
    segments: list[Segment]
    preferences: dict[int, list[Preference]]  # segment id → ranked
    eligible: dict[int, list[Club]]  # segment id → clubs the child may choose
    seats: list[ChildSeat]
    free: dict[int, int]  # club id → seats left

    @property
    def held_clubs(self) -> set[int]:
        return {cs.seat.club_id for cs in self.seats}

    @property
    def held_segments(self) -> set[int]:
        return {cs.seat.segment_id for cs in self.seats if cs.seat.status == Seat.Status.ENROLLED}


def child_view(actor: Actor, program: Program, student: Student, day: dt.date) -> ChildView:
    """A child's after-school page: survey, sign-up, preferences, seats, what they may join;
    for someone who may see the child (their family, their school's staff), audited as a
    read."""
    if program.school_id != student.school_id or not can_see_student(actor, student):
        raise NotFound()
    audit_read(
        actor, "afterschool_child", [student.pk], school_id=student.school_id, object_id=student.pk
    )
    segments = list(program.segments.all())
    prefs: dict[int, list[Preference]] = defaultdict(list)
    for pref in Preference.objects.filter(program=program, student=student).select_related("club"):
        prefs[pref.segment_id].append(pref)
    eligible: dict[int, list[Club]] = defaultdict(list)
    for club in program.clubs.select_related("segment"):
        if club.admits(student):
            eligible[club.segment_id].append(club)
    seats = [
        ChildSeat(s, waitlist_position(s) if s.status == Seat.Status.WAITLISTED else None)
        for s in Seat.objects.filter(program=program, student=student)
        .exclude(status=Seat.Status.WITHDRAWN)
        .select_related("club", "segment")
    ]
    enrolled = Counter(
        Seat.objects.filter(program=program, status=Seat.Status.ENROLLED).values_list(
            "club_id", flat=True
        )
    )
    free = {
        club.pk: max(0, club.capacity - enrolled[club.pk])
        for clubs in eligible.values()
        for club in clubs
    }
    return ChildView(
        student=student,
        program=program,
        survey=SurveyResponse.objects.filter(program=program, student=student).first(),
        signup=current_signup(program, student.pk, day),
        history=signup_history(program, student.pk),
        segments=segments,
        preferences=dict(prefs),
        eligible=dict(eligible),
        seats=seats,
        free=free,
    )


# --- the preference round -----------------------------------------------------------------


def priority_students(program: Program) -> set[int]:
    """Students who missed their 1st choice in some segment of the previous semester's
    adopted allocation: they go first in this semester's lottery."""
    previous = (
        Program.objects.filter(
            school_id=program.school_id, semester__end__lt=program.semester.start
        )
        .order_by("-semester__start")
        .first()
    )
    if previous is None:
        return set()
    got = {
        (sid, seg): club
        for sid, seg, club in Seat.objects.filter(
            program=previous, source=Seat.Source.ALLOCATION
        ).values_list("student_id", "segment__order", "club_id")
    }
    return {
        sid
        for sid, seg, club in Preference.objects.filter(program=previous, rank=1).values_list(
            "student_id", "segment__order", "club_id"
        )
        if got.get((sid, seg)) != club
    }


def allocation_inputs(program: Program, day: dt.date) -> tuple[list[Application], list[ClubSlot]]:
    """Applications of signed-up students from their stored preferences, and the clubs."""
    clubs = list(program.clubs.select_related("school_class"))
    slots = [
        ClubSlot(
            str(c.pk),
            c.capacity,
            frozenset(range(c.grade_from, c.grade_to + 1)),
            str(c.segment_id),
        )
        for c in clubs
    ]
    class_only = {c.pk: c.school_class_id for c in clubs if c.school_class_id}
    signed = {
        s.student_id
        for s in Signup.objects.filter(program=program, withdrawn=False).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
    }
    priority = priority_students(program)
    lists: dict[tuple[int, int], list[int]] = defaultdict(list)
    facts: dict[int, tuple[int, int]] = {}
    for pref in (
        Preference.objects.filter(program=program)
        .order_by("student_id", "segment_id", "rank")
        .values_list(
            "student_id",
            "segment_id",
            "club_id",
            "student__school_class__grade__number",
            "student__school_class_id",
        )
    ):
        sid, seg, club, grade, class_id = pref
        if sid not in signed:
            continue
        if club in class_only and class_only[club] != class_id:
            continue  # a class-level club is for its own class only
        lists[(sid, seg)].append(club)
        facts[sid] = (grade, class_id)
    applications = [
        Application(
            str(sid), facts[sid][0], str(seg), tuple(str(c) for c in choices), sid in priority
        )
        for (sid, seg), choices in sorted(lists.items())
    ]
    return applications, slots


def runs_for(program: Program) -> list[AllocationRun]:
    """The program's ten latest allocation runs, newest first, each with its ``number``: the
    how-manieth run of this program it is, as people name it (第 2 次分配), never its seed."""
    runs = list(AllocationRun.objects.filter(program=program)[:10])
    numbers = run_numbers(program.pk)
    for run in runs:
        run.number = numbers[run.pk]  # type: ignore[attr-defined]
    return runs


def run_numbers(program_id: int) -> dict[int, int]:
    """Each run of the program by id → its number in the order the runs were made (from 1)."""
    ids = AllocationRun.objects.filter(program_id=program_id).order_by("created_at", "id")
    return {pk: n for n, pk in enumerate(ids.values_list("id", flat=True), start=1)}


def clubs_for_students(actor: Actor, student_ids: list[int]) -> dict[int, list[Seat]]:
    """Live seats (enrolled, waiting, pending) of the actor's own children (or the actor),
    for the family's home; others' ids are ignored. Audited as a list read."""
    family = set(actor.child_student_ids) | (
        {actor.student_id} if actor.student_id is not None else set()
    )
    seats: dict[int, list[Seat]] = defaultdict(list)
    for seat in (
        Seat.objects.filter(student_id__in=family & set(student_ids))
        .exclude(status=Seat.Status.WITHDRAWN)
        .select_related("club", "segment")
        .order_by("segment__order")
    ):
        seats[seat.student_id].append(seat)
    for school_id, ids in _by_school(seats).items():
        audit_list(actor, "afterschool_seats", ids, school_id=school_id)
    return dict(seats)


def _by_school(seats: dict[int, list[Seat]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for student_id, held in seats.items():
        out[held[0].school_id].append(student_id)
    return dict(out)


def sports_minutes_by_class(school_id: int) -> dict[int, int]:
    """Class id → weekly minutes its pupils spend in sports clubs, summed over enrolled seats
    (a seat counts its segment's length on each meeting day)."""
    totals: dict[int, int] = defaultdict(int)
    for class_id, weekdays, start, end in Seat.objects.filter(
        school_id=school_id, status=Seat.Status.ENROLLED, club__category=Club.Category.SPORTS
    ).values_list("student__school_class_id", "club__weekdays", "segment__start", "segment__end"):
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        totals[class_id] += minutes * len(weekdays)
    return dict(totals)
