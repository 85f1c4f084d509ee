"""The demo school's after-school program: "1+X" with two segments and clubs, the needs
survey, sign-ups, preferences, the adopted allocation and an open round under way; and next
semester's program, still in its choice phase, so that running an allocation (and running
it again with the same seed) can be tried.

Families' answers are written in bulk (a demo district has ~100k students); the allocation
goes through the same run-and-adopt code as the admin page.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Sequence

from django.db.models import Min
from django.utils import timezone

from qingfu.afterschool import selectors, services
from qingfu.afterschool.models import (
    AllocationRun,
    Club,
    Preference,
    Program,
    Seat,
    Segment,
    Signup,
    SurveyResponse,
)
from qingfu.policy.calendar import DayKind
from qingfu.schools.calendars import day_info, local_now
from qingfu.schools.models import GuardianLink, RoleGrant, School, Semester, Student, Teacher

T = dt.time

# name, category, grades, weekdays, segment, capacity, instructor kind, popularity
CLUBS: list[tuple[str, str, tuple[int, int], tuple[int, ...], int, int, str, float]] = [
    ("足球", "sports", (3, 6), (0, 2), 1, 30, "teacher", 1.6),
    ("篮球", "sports", (4, 9), (1, 3), 2, 30, "teacher", 1.5),
    ("乒乓球", "sports", (3, 9), (0, 3), 2, 24, "teacher", 1.2),
    ("跳绳与游戏", "sports", (1, 2), (1, 4), 1, 40, "teacher", 1.0),
    ("围棋", "culture", (2, 6), (2,), 1, 24, "expert", 1.0),
    ("书法", "culture", (3, 9), (1, 3), 1, 30, "teacher", 0.9),
    ("国画", "arts", (3, 6), (4,), 1, 24, "expert", 1.0),
    ("合唱", "arts", (2, 6), (0, 3), 2, 45, "teacher", 0.7),
    ("陶艺", "arts", (4, 9), (2,), 2, 20, "expert", 1.4),
    ("绘本阅读", "reading", (1, 3), (0, 2), 1, 35, "parent", 0.8),
    ("整本书阅读", "reading", (4, 9), (4,), 2, 40, "teacher", 0.6),
    ("科学小实验", "science", (3, 6), (1,), 1, 30, "teacher", 1.5),
    ("机器人编程", "science", (5, 9), (2, 4), 2, 24, "expert", 1.8),
    ("航模", "science", (5, 9), (0,), 2, 20, "parent", 1.3),
    ("校园种植", "labour", (1, 6), (3,), 1, 30, "teacher", 0.6),
    ("烘焙与家务", "labour", (4, 9), (1,), 2, 24, "parent", 1.1),
    ("田径", "sports", (7, 9), (0, 2), 1, 30, "teacher", 1.2),
    ("街舞", "arts", (7, 9), (1, 3), 1, 30, "expert", 1.3),
    ("辩论与演讲", "culture", (5, 9), (4,), 1, 30, "teacher", 0.8),
    ("无人机", "science", (7, 9), (3,), 1, 24, "expert", 1.5),
]
GROUP_NAMES = "一二三四五六七八九十"
GROUP_SIZE = 45


def build_program(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    semester = (
        Semester.objects.filter(school=school, start__lte=today, end__gte=today).first()
        or Semester.objects.filter(school=school).order_by("-start").first()
    )
    if semester is None or Program.objects.filter(semester=semester).exists():
        return
    grades = set(school.grade_numbers)
    # The story of the semester, each step dated when it happened (never after now): filed
    # with the bureau on the semester's first day, allocated on the Friday before the service
    # starts (its first Monday), the open round a week into the service.
    now = local_now()
    start = semester.start + dt.timedelta(days=(7 - semester.start.weekday()) % 7)
    filed_at = _story_at(semester.start, T(10, 0), now)
    allocated_at = _story_at(max(semester.start, start - dt.timedelta(days=3)), T(17, 30), now)
    program = Program.objects.create(
        school=school,
        semester=semester,
        weekdays=[0, 1, 2, 3, 4],
        start=T(15, 40),
        end=T(17, 50),
        max_choices=3,
        status=Program.Status.FILED,
        filed_at=filed_at,
    )
    segments = {
        order: Segment.objects.create(
            school=school, program=program, order=order, start=start, end=end
        )
        for order, (start, end) in ((1, (T(15, 40), T(16, 40))), (2, (T(16, 50), T(17, 50))))
    }
    teachers = list(Teacher.objects.filter(school=school).order_by("id"))
    busy: set[tuple[int, int, int]] = set()  # (teacher, weekday, segment) already leading
    clubs: list[tuple[Club, float]] = []
    for k, (name, category, (lo, hi), days, seg, cap, kind, pop) in enumerate(CLUBS):
        lo, hi = max(lo, min(grades)), min(hi, max(grades))
        if lo > hi:
            continue
        teacher = _free_teacher(teachers, busy, k * 7, days, seg) if kind == "teacher" else None
        club = Club.objects.create(
            school=school,
            program=program,
            segment=segments[seg],
            name=name,
            category=category,
            grade_from=lo,
            grade_to=hi,
            capacity=cap,
            weekdays=list(days),
            room=f"{'ABC'[k % 3]}{101 + k}",
            instructor_kind=kind if teacher or kind != "teacher" else "expert",
            instructor_teacher=teacher,
            instructor_name=teacher.name if teacher else _outside_name(rng, kind),
        )
        clubs.append((club, pop))

    students = list(
        Student.objects.filter(school=school, is_active=True).select_related("school_class__grade")
    )
    admin = RoleGrant.objects.filter(school=school, role="school_admin").first()
    # Families without an account answered on the paper slip, entered by the school office.
    office = admin.user_id if admin else None
    guardian_user = dict(
        GuardianLink.objects.filter(student__in=students, guardian__user__isnull=False)
        .order_by("student_id", "id")
        .values_list("student_id", "guardian__user_id")
    )
    responses, signups, prefs = [], [], []
    for student in students:
        user_id = guardian_user.get(student.pk, office)
        if user_id is None or rng.random() > 0.9:
            continue  # no answer
        grade = student.school_class.grade.number
        participate = rng.random() < (0.9 if grade <= 6 else 0.75)
        last = 1 if grade <= 2 and rng.random() < 0.45 else 2
        interests = sorted({c.category for c, _ in rng.sample(clubs, 3)})
        responses.append(
            SurveyResponse(
                school=school,
                program=program,
                student=student,
                answered_by_id=user_id,
                participate=participate,
                weekdays=[0, 1, 2, 3, 4] if participate else [],
                last_segment=last if participate else 0,
                interests=interests if participate else [],
            )
        )
        if not participate:
            continue
        signups.append(
            Signup(
                school=school,
                program=program,
                student=student,
                weekdays=[0, 1, 2, 3, 4],
                last_segment=last,
                valid_from=start,
                consent_by_id=user_id,
            )
        )
        for order in range(1, last + 1):
            eligible = [
                (c, pop)
                for c, pop in clubs
                if c.segment_id == segments[order].pk and c.grade_from <= grade <= c.grade_to
            ]
            ranked: list[Club] = []
            while eligible and len(ranked) < rng.randint(1, 3):
                pick = rng.choices(eligible, weights=[pop for _, pop in eligible])[0]
                eligible.remove(pick)
                ranked.append(pick[0])
            prefs += [
                Preference(
                    school=school,
                    program=program,
                    student=student,
                    segment=segments[order],
                    club=club,
                    rank=rank,
                )
                for rank, club in enumerate(ranked, start=1)
            ]
    # The school sized its offer from the survey: about 85% of the first choices, with
    # parallel groups (书法（二组）…) where one group of GROUP_SIZE is not enough.
    firsts = Counter(p.club_id for p in prefs if p.rank == 1)
    group_of: dict[int, list[Club]] = {}
    for k, (club, _pop) in enumerate(clubs):
        need = round(firsts[club.pk] * 0.85)
        groups = min(len(GROUP_NAMES), max(1, math.ceil(need / GROUP_SIZE)))
        club.capacity = max(20, math.ceil(need / groups))
        club.save(update_fields=["capacity"])
        group_of[club.pk] = [club]
        for g in range(1, groups):
            teacher = _free_teacher(
                teachers, busy, k * 7 + g * 3, club.weekdays, club.segment.order
            )
            twin = Club.objects.create(
                school=school,
                program=program,
                segment=club.segment,
                name=f"{club.name}（{GROUP_NAMES[g]}组）",
                category=club.category,
                grade_from=club.grade_from,
                grade_to=club.grade_to,
                capacity=club.capacity,
                weekdays=club.weekdays,
                room=f"{club.room}-{g + 1}",
                instructor_kind="teacher" if teacher else "expert",
                instructor_teacher=teacher,
                instructor_name=teacher.name if teacher else _outside_name(rng, "expert"),
            )
            group_of[club.pk].append(twin)
        if groups > 1:
            club.name = f"{club.name}（一组）"
            club.save(update_fields=["name"])
    for pref in prefs:  # families chose the activity; the group follows the student id
        options = group_of[pref.club_id]
        pref.club = options[pref.student_id % len(options)]
    SurveyResponse.objects.bulk_create(responses, batch_size=2000)
    Signup.objects.bulk_create(signups, batch_size=2000)
    Preference.objects.bulk_create(prefs, batch_size=2000)

    applications, slots = selectors.allocation_inputs(program, start)
    if applications:
        run = services.record_run(
            program,
            applications,
            slots,
            "optimal",
            f"{semester.name}-{school.code}",
            office,
        )
        services.adopt_run(program, run)
        AllocationRun.objects.filter(pk=run.pk).update(created_at=allocated_at)
        Seat.objects.filter(program=program).update(
            requested_at=allocated_at, decided_at=allocated_at
        )
    # The open round opened a week later and its first-minutes lottery is settled.
    program.phase = Program.Phase.OPEN
    program.open_round_at = _story_at(
        start + dt.timedelta(days=7), T(19, 0), now - dt.timedelta(days=1)
    )
    program.open_round_seed = services.open_round_seed(program.pk, program.open_round_at)
    program.open_round_settled = True
    program.save()
    _next_semester_program(rng, school, program, guardian_user, office)


def _story_at(day: dt.date, time: dt.time, now: dt.datetime) -> dt.datetime:
    """A step of the demo's story at ``day`` ``time`` in the school's zone, or ``now`` when
    that is still to come: a demo built early in the semester tells no future."""
    return min(dt.datetime.combine(day, time, tzinfo=now.tzinfo), now)


def _next_semester_program(
    rng: random.Random,
    school: School,
    current: Program,
    guardian_user: dict[int, int],
    office: int | None,
) -> None:
    """Next semester's program with this semester's clubs, open for sign-up and choices:
    families who take part now have signed up again and ranked clubs; nothing is allocated
    yet. Students who missed their first choice this semester go first in its lottery."""
    semester = (
        Semester.objects.filter(school=school, start__gt=current.semester.end)
        .order_by("start")
        .first()
    )
    if semester is None or Program.objects.filter(semester=semester).exists():
        return
    program = Program.objects.create(
        school=school,
        semester=semester,
        weekdays=current.weekdays,
        start=current.start,
        end=current.end,
        max_choices=current.max_choices,
        phase=Program.Phase.SIGNUP,
    )
    segments = {
        s.order: Segment.objects.create(
            school=school, program=program, order=s.order, start=s.start, end=s.end
        )
        for s in current.segments.all()
    }
    popularity = {name: pop for name, *_rest, pop in CLUBS}
    clubs = [
        (
            Club.objects.create(
                school=school,
                program=program,
                segment=segments[c.segment.order],
                name=c.name,
                category=c.category,
                grade_from=c.grade_from,
                grade_to=c.grade_to,
                capacity=c.capacity,
                weekdays=c.weekdays,
                room=c.room,
                instructor_kind=c.instructor_kind,
                instructor_teacher_id=c.instructor_teacher_id,
                instructor_name=c.instructor_name,
            ),
            popularity.get(c.name.split("（")[0], 1.0),
        )
        for c in current.clubs.select_related("segment").order_by("id")
    ]
    signups, prefs = [], []
    for signup in (
        Signup.objects.filter(program=current, withdrawn=False, valid_to__isnull=True)
        .select_related("student__school_class__grade")
        .order_by("student_id")
    ):
        student, user_id = signup.student, guardian_user.get(signup.student_id, office)
        if user_id is None or rng.random() > 0.85:
            continue  # not (yet) signed up again
        grade = student.school_class.grade.number
        signups.append(
            Signup(
                school=school,
                program=program,
                student=student,
                weekdays=signup.weekdays,
                last_segment=signup.last_segment,
                valid_from=semester.start,
                consent_by_id=user_id,
            )
        )
        for order in range(1, signup.last_segment + 1):
            eligible = [
                (c, pop)
                for c, pop in clubs
                if c.segment_id == segments[order].pk and c.grade_from <= grade <= c.grade_to
            ]
            ranked: list[Club] = []
            while eligible and len(ranked) < rng.randint(1, 3):
                pick = rng.choices(eligible, weights=[pop for _, pop in eligible])[0]
                eligible.remove(pick)
                ranked.append(pick[0])
            prefs += [
                Preference(
                    school=school,
                    program=program,
                    student=student,
                    segment=segments[order],
                    club=club,
                    rank=rank,
                )
                for rank, club in enumerate(ranked, start=1)
            ]
    Signup.objects.bulk_create(signups, batch_size=2000)
    Preference.objects.bulk_create(prefs, batch_size=2000)


def _free_teacher(
    teachers: list[Teacher],
    busy: set[tuple[int, int, int]],
    start: int,
    days: Sequence[int],
    segment: int,
) -> Teacher | None:
    """The first teacher from ``start`` on who leads no other club at that time."""
    for k in range(len(teachers)):
        teacher = teachers[(start + k) % len(teachers)]
        if all((teacher.pk, d, segment) not in busy for d in days):
            busy.update((teacher.pk, d, segment) for d in days)
            return teacher
    return None


def _outside_name(rng: random.Random, kind: str) -> str:
    surname = rng.choice("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
    return f"{surname}{'老师' if kind == 'expert' else '家长'}"


def build_roster(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    """The demo school's duty roster (this week solved, earlier weeks the same pattern, as a
    school keeps its roster) and attendance for every day it has run so far. Other schools of a
    benchmark district get a program but no roster: solving a hundred is not a demo."""
    from qingfu.afterschool import roster
    from qingfu.afterschool.models import RosterWeek, Session, TeacherDuty

    first = School.objects.filter(district=school.district).order_by("code").first()
    program = Program.objects.filter(school=school, semester__start__lte=today).first()
    if first != school or program is None or program.rosters.exists():
        return
    teachers = list(Teacher.objects.filter(school=school).order_by("id"))
    TeacherDuty.objects.bulk_create(
        TeacherDuty(
            school=school,
            teacher=t,
            first_period_days=sorted(rng.sample(range(5), rng.choice((2, 3, 3, 4)))),
        )
        for t in teachers
    )
    monday = today - dt.timedelta(days=today.weekday())
    try:
        roster.roster_generate(
            actor=None, program_id=program.pk, monday=monday, time_limit_seconds=4
        )
    except Exception:  # an impossible week in a generated school: the demo goes on without
        return
    # The week's roster was made on the Friday before it, not when the demo was built.
    RosterWeek.objects.filter(program=program, monday=monday).update(
        created_at=_story_at(monday - dt.timedelta(days=3), T(16, 0), local_now())
    )
    pattern = {
        (s.date.weekday(), s.segment_id, s.club_id, s.school_class_id): s.duty_teacher_id
        for s in Session.objects.filter(program=program, date__gte=monday)
    }
    # The service starts when the first sign-ups take effect (the semester's first days are
    # for signing up), so no session is held, and none goes unmarked, before then.
    service_from = (
        Signup.objects.filter(program=program).aggregate(first=Min("valid_from"))["first"]
        or program.semester.start
    )
    start = max(program.semester.start, service_from, monday - dt.timedelta(weeks=weeks))
    days = [
        start + dt.timedelta(days=k)
        for k in range((monday - start).days)
        if (start + dt.timedelta(days=k)).weekday() in program.weekdays
        and day_info(school.id, start + dt.timedelta(days=k)).kind is DayKind.SCHOOL_DAY
    ]
    Session.objects.bulk_create(
        (
            Session(
                school=school, program=program, date=day, segment_id=segment_id,
                club_id=club_id, school_class_id=class_id, duty_teacher_id=teacher_id,
            )
            for day in days
            for (weekday, segment_id, club_id, class_id), teacher_id in pattern.items()
            if weekday == day.weekday()
        ),
        batch_size=2000,
    )  # fmt: skip
    # Attendance for every after-school session of the semester that has ended by now (today's
    # are still to be taken until they end), marked by the duty teacher when the session ended;
    # two recent sessions were missed, as happens, so the principal's home has some to show.
    office = RoleGrant.objects.filter(school=school, role="school_admin").first()
    if office is None:
        return
    _build_attendance(rng, school, program, today, office.user_id)


def _build_attendance(
    rng: random.Random, school: School, program: Program, today: dt.date, office_id: int
) -> None:
    """Marks for every session that has ended by now, in bulk: who is expected is worked out in
    memory by the rules of :func:`qingfu.afterschool.attendance.expected` (a query per
    session would cost the demo minutes)."""
    from qingfu.afterschool.models import AttendanceMark, Seat, Session
    from qingfu.schools.calendars import local_now

    now = local_now()
    # Today's sessions are marked once they have ended, when the demo is built for today.
    sessions = [
        s
        for s in Session.objects.filter(program=program, date__lte=today)
        .select_related("segment", "duty_teacher")
        .order_by("date", "segment__order", "id")
        if s.date < today or (now.date() == today and s.segment.end <= now.time())
    ]
    if not sessions:
        return
    signups: dict[int, list[tuple[dt.date, dt.date | None, list[int], int]]] = {}
    for sid, start, end, weekdays, last in Signup.objects.filter(
        program=program, withdrawn=False
    ).values_list("student_id", "valid_from", "valid_to", "weekdays", "last_segment"):
        signups.setdefault(sid, []).append((start, end, weekdays, last))
    seats: dict[int, list[tuple[int, int, list[int]]]] = {}  # segment → (student, club, days)
    for sid, segment_id, club_id, weekdays in (
        Seat.objects.filter(program=program, status=Seat.Status.ENROLLED)
        .order_by("id")
        .values_list("student_id", "segment_id", "club_id", "club__weekdays")
    ):
        seats.setdefault(segment_id, []).append((sid, club_id, weekdays))
    pupils: dict[int, list[int]] = {}
    for sid, class_id in (
        Student.objects.filter(school=school, is_active=True)
        .order_by("id")
        .values_list("id", "school_class_id")
    ):
        pupils.setdefault(class_id, []).append(sid)

    def staying(sid: int, day: dt.date, order: int) -> bool:
        return any(
            start <= day and (end is None or end > day) and day.weekday() in days and last >= order
            for start, end, days, last in signups.get(sid, ())
        )

    # Some children are often on leave (training, a long illness), most almost never.
    frailty = {sid: rng.choice((0.5, 1, 1, 1, 1, 1, 2, 4)) for sid in signups}
    last_days = sorted({s.date for s in sessions})[-3:]
    recent = [s for s in sessions if s.date in last_days]
    missed = {s.pk for s in rng.sample(recent, min(2, len(recent)))}
    day_status: dict[tuple[int, dt.date], str] = {}
    marks: list[AttendanceMark] = []
    for session in sessions:
        if session.pk in missed:
            continue
        day, order = session.date, session.segment.order
        in_club: dict[int, int] = {
            sid: club_id
            for sid, club_id, days in seats.get(session.segment_id, ())
            if day.weekday() in days
        }
        if session.club_id is not None:
            ids = [
                sid
                for sid, club_id in in_club.items()
                if club_id == session.club_id and staying(sid, day, order)
            ]
        else:
            ids = [
                sid
                for sid in pupils.get(session.school_class_id or 0, ())
                if sid not in in_club and staying(sid, day, order)
            ]
        marker = session.duty_teacher.user_id if session.duty_teacher else None
        for sid in sorted(ids):
            status = day_status.get((sid, day))
            if status is None:  # a child away for the afternoon is away from both segments
                draw = rng.random() / frailty.get(sid, 1)
                friday = 1.5 if day.weekday() == 4 else 1.0
                status = (
                    "leave" if draw < 0.03 * friday else "absent" if draw < 0.042
                    else "early" if draw < 0.06 else "present"
                )  # fmt: skip
                day_status[(sid, day)] = status
            if status == "early" and order < 2:
                status = "present"  # picked up early, from the last segment
            marks.append(
                AttendanceMark(
                    school=school, session=session, student_id=sid, status=status,
                    picked_up_at=T(17, 10) if status == "early" else None,
                    picked_up_by=rng.choice(("母亲", "父亲", "奶奶")) if status == "early" else "",
                    marked_by_id=marker or office_id,
                )
            )  # fmt: skip
    AttendanceMark.objects.bulk_create(marks, batch_size=5000)
    # Marked when each day's last session ended (school time), not when the demo was built.
    ends = {s.date: s.segment.end for s in sessions}
    for day, finish in ends.items():
        marked_at = timezone.make_aware(dt.datetime.combine(day, finish))
        AttendanceMark.objects.filter(session__program=program, session__date=day).update(
            marked_at=marked_at
        )
