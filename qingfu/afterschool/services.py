"""Writes for after-school services: the program, the survey, sign-up, preferences, the
allocation run, the open round with its waitlist.

Seats are the one record of club membership. Every write that fills a seat locks the club
row first (``select_for_update``; SQLite serializes writers with IMMEDIATE transactions),
counts the enrolled seats under that lock and only then enrolls, so no club is ever
overbooked however many families press the button at once. The database also refuses a
second enrolled club in one segment for the same student.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.afterschool import selectors
from qingfu.afterschool.allocation import (
    MECHANISMS,
    AllocationInputError,
    Application,
    ClubSlot,
    allocate,
    lottery_key,
)
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
from qingfu.afterschool.selectors import SeatAnswer
from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.calendars import local_time, local_today
from qingfu.schools.models import Semester, Student, Teacher
from qingfu.schools.services import require_school_admin

# --- the program -----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramInput:
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    segments: tuple[tuple[dt.time, dt.time], ...]
    max_choices: int = 3


def _validate_program(data: ProgramInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.weekdays or any(d not in range(7) for d in data.weekdays):
        errors["weekdays"] = [_("请选择服务日（周一至周日）。")]
    if data.end <= data.start:
        errors["end"] = [_("结束时间必须晚于开始时间。")]
    if not 1 <= data.max_choices <= 5:
        errors["max_choices"] = [_("每时段志愿数应为 1 至 5 个。")]
    previous_end = data.start
    for k, (start, end) in enumerate(data.segments, start=1):
        if end <= start:
            errors.setdefault("segments", []).append(
                _("第 %(k)d 时段：结束时间必须晚于开始时间。") % {"k": k}
            )
        elif start < previous_end or end > data.end:
            errors.setdefault("segments", []).append(
                _("第 %(k)d 时段 %(s)s-%(e)s 不在服务时间 %(a)s-%(b)s 内，或与前一时段重叠。")
                % {
                    "k": k,
                    "s": f"{start:%H:%M}",
                    "e": f"{end:%H:%M}",
                    "a": f"{data.start:%H:%M}",
                    "b": f"{data.end:%H:%M}",
                }
            )
        previous_end = max(previous_end, end)
    if not data.segments:
        errors["segments"] = [_("至少设置一个时段。")]
    if errors:
        raise ValidationFailed(errors)


def program_save(*, actor: Actor, semester_id: int, data: ProgramInput) -> Program:
    """Create or change the semester's program; segments are matched by their order."""
    semester = Semester.objects.filter(id=semester_id).first()
    if semester is None:
        raise NotFound()
    require_school_admin(actor, semester.school_id)
    _validate_program(data)
    with transaction.atomic():
        program, _created = Program.objects.select_for_update().get_or_create(
            semester=semester,
            defaults={
                "school_id": semester.school_id,
                "weekdays": sorted(set(data.weekdays)),
                "start": data.start,
                "end": data.end,
                "max_choices": data.max_choices,
            },
        )
        program.weekdays = sorted(set(data.weekdays))
        program.start, program.end, program.max_choices = data.start, data.end, data.max_choices
        program.save()
        existing = {s.order: s for s in program.segments.all()}
        for order, (start, end) in enumerate(data.segments, start=1):
            segment = existing.pop(order, None) or Segment(
                school_id=program.school_id, program=program, order=order
            )
            segment.start, segment.end = start, end
            segment.save()
        for segment in existing.values():
            if segment.clubs.exists():
                raise ValidationFailed.single(
                    "segments",
                    _("%(segment)s还有社团，不能删除；请先把社团移到其他时段。")
                    % {"segment": segment.label},
                )
            segment.delete()
        # Club days must stay within the service days.
        for club in program.clubs.all():
            if not set(club.weekdays) <= set(program.weekdays):
                raise ValidationFailed.single(
                    "weekdays",
                    _("社团“%(club)s”的活动日不在服务日内。") % {"club": club.name},
                )
    return program


def program_set_phase(*, actor: Actor, program_id: int, phase: str) -> Program:
    program = _admin_program(actor, program_id)
    if phase not in Program.Phase.values:
        raise ValidationFailed.single("phase", _("未知的阶段。"))
    if phase == Program.Phase.OPEN:
        raise ValidationFailed.single("phase", _("请使用“开放补报名”操作。"))
    program.phase = phase
    program.save(update_fields=["phase"])
    return program


def program_file(*, actor: Actor, program_id: int) -> Program:
    """File the program with the district (备案); refused while a rule is violated."""
    program = _admin_program(actor, program_id)
    blocking = [v for v in selectors.program_verdicts(program) if v.blocks]
    if blocking:
        raise ValidationFailed.single("__all__", "；".join(v.message_zh for v in blocking))
    program.status = Program.Status.FILED
    program.filed_at = timezone.now()
    program.save(update_fields=["status", "filed_at"])
    return program


def _admin_program(actor: Actor, program_id: int) -> Program:
    program = Program.objects.filter(id=program_id).first()
    if program is None:
        raise NotFound()
    require_school_admin(actor, program.school_id)
    return program


# --- clubs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClubInput:
    name: str
    category: str
    segment_id: int
    weekdays: tuple[int, ...]
    grade_from: int
    grade_to: int
    capacity: int
    room: str = ""
    level: str = Club.Level.SCHOOL
    class_id: int | None = None
    instructor_kind: str = Club.Instructor.TEACHER
    instructor_teacher_id: int | None = None
    instructor_name: str = ""


def club_save(
    *, actor: Actor, program_id: int, data: ClubInput, club_id: int | None = None
) -> Club:
    program = _admin_program(actor, program_id)
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name:
        errors["name"] = [_("请填写社团名称。")]
    if data.category not in Club.Category.values:
        errors["category"] = [_("请选择社团类别。")]
    segment = program.segments.filter(id=data.segment_id).first()
    if segment is None:
        errors["segment_id"] = [_("请选择本方案中的时段。")]
    if not data.weekdays or not set(data.weekdays) <= set(program.weekdays):
        errors["weekdays"] = [_("活动日须在服务日内。")]
    grades = set(program.school.grade_numbers)
    if data.grade_from not in grades or data.grade_to not in grades:
        errors["grade_from"] = [_("年级超出本校的年级范围。")]
    elif data.grade_from > data.grade_to:
        errors["grade_to"] = [_("结束年级不能低于起始年级。")]
    if not 1 <= data.capacity <= 500:
        errors["capacity"] = [_("名额应为 1 至 500。")]
    teacher = None
    if data.instructor_kind == Club.Instructor.TEACHER:
        teacher = Teacher.objects.filter(
            id=data.instructor_teacher_id or 0, school_id=program.school_id
        ).first()
        if teacher is None:
            errors["instructor_teacher_id"] = [_("请选择本校教师作为指导教师。")]
    elif data.instructor_kind in Club.Instructor.values:
        if not data.instructor_name.strip():
            errors["instructor_name"] = [_("请填写指导教师姓名。")]
    else:
        errors["instructor_kind"] = [_("未知的指导教师类型。")]
    if teacher is not None and segment is not None:
        clash = (
            Club.objects.filter(
                program=program, instructor_teacher=teacher, segment_id=data.segment_id
            )
            .exclude(id=club_id or 0)
            .values_list("name", "weekdays")
        )
        for other, days in clash:
            if set(days) & set(data.weekdays):
                errors["instructor_teacher_id"] = [
                    _("%(t)s 同一时段已指导“%(club)s”。") % {"t": teacher.name, "club": other}
                ]
    if data.level == Club.Level.CLASS and data.class_id is None:
        errors["class_id"] = [_("班级社团须选择班级。")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if club_id is None:
            club = Club(school_id=program.school_id, program=program)
        else:
            found = Club.objects.select_for_update().filter(id=club_id, program=program).first()
            if found is None:
                raise NotFound()
            club = found
            taken = club.seats.filter(status=Seat.Status.ENROLLED).count()
            if data.capacity < taken:
                raise ValidationFailed.single(
                    "capacity",
                    _("名额 %(cap)d 少于已录取的 %(taken)d 人。")
                    % {"cap": data.capacity, "taken": taken},
                )
            if club.segment_id != data.segment_id and club.seats.exists():
                raise ValidationFailed.single("segment_id", _("已有学生报名，不能更换时段。"))
        club.name, club.category, club.level = name, data.category, data.level
        club.segment_id = data.segment_id
        club.weekdays = sorted(set(data.weekdays))
        club.grade_from, club.grade_to, club.capacity = (
            data.grade_from,
            data.grade_to,
            data.capacity,
        )
        club.school_class_id = data.class_id if data.level == Club.Level.CLASS else None
        club.room = data.room.strip()
        club.instructor_kind = data.instructor_kind
        club.instructor_teacher = teacher
        club.instructor_name = teacher.name if teacher else data.instructor_name.strip()
        try:
            with transaction.atomic():
                club.save()
        except IntegrityError as exc:
            raise ValidationFailed.single("name", _("本方案已有同名社团。")) from exc
        if club_id is not None:
            _promote_waitlist(club)
    return club


def club_set_capacity(*, actor: Actor, club_id: int, capacity: int) -> Club:
    """Change a club's seats; never below those already enrolled. More seats go to the
    waitlist at once."""
    club = Club.objects.filter(id=club_id).first()
    if club is None:
        raise NotFound()
    require_school_admin(actor, club.school_id)
    if not 1 <= capacity <= 500:
        raise ValidationFailed.single("capacity", _("名额应为 1 至 500。"))
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club_id)
        taken = club.seats.filter(status=Seat.Status.ENROLLED).count()
        if capacity < taken:
            raise ValidationFailed.single(
                "capacity",
                _("名额 %(cap)d 少于已录取的 %(taken)d 人。") % {"cap": capacity, "taken": taken},
            )
        club.capacity = capacity
        club.save(update_fields=["capacity"])
        _promote_waitlist(club)
    return club


# --- families: survey, sign-up, preferences ---------------------------------------------


def _child(actor: Actor, student_id: int) -> Student:
    """A guardian acts for their own children only (others: not found). A family's own
    writes are recorded in the rows they create, so this is not audited as a read."""
    if student_id not in actor.child_student_ids:
        raise NotFound()
    student = Student.objects.select_related("school_class__grade").filter(id=student_id).first()
    if student is None:
        raise NotFound()
    return student


def _program_for(student: Student) -> Program:
    today = local_today()
    program = (
        Program.objects.filter(school_id=student.school_id, semester__end__gte=today)
        .order_by("semester__start")
        .first()
    )
    if program is None:
        raise ValidationFailed.single("__all__", _("学校尚未发布本学期的课后服务方案。"))
    return program


def _check_days_and_segment(program: Program, weekdays: Sequence[int], last_segment: int) -> None:
    if not weekdays or not set(weekdays) <= set(program.weekdays):
        raise ValidationFailed.single("weekdays", _("请选择学校提供服务的日子。"))
    if not program.segments.filter(order=last_segment).exists():
        raise ValidationFailed.single("last_segment", _("请选择接孩子的时段。"))


def survey_answer(
    *,
    actor: Actor,
    student_id: int,
    participate: bool,
    weekdays: Sequence[int] = (),
    last_segment: int = 0,
    interests: Sequence[str] = (),
) -> SurveyResponse:
    student = _child(actor, student_id)
    program = _program_for(student)
    if program.phase != Program.Phase.SURVEY:
        raise ValidationFailed.single("__all__", _("需求调研未在进行中。"))
    if participate:
        _check_days_and_segment(program, weekdays, last_segment)
    if any(i not in Club.Category.values for i in interests):
        raise ValidationFailed.single("interests", _("未知的社团类别。"))
    response, _created = SurveyResponse.objects.update_or_create(
        program=program,
        student=student,
        defaults={
            "school_id": student.school_id,
            "answered_by_id": signed_in_user_id(actor),
            "participate": participate,
            "weekdays": sorted(set(weekdays)) if participate else [],
            "last_segment": last_segment if participate else 0,
            "interests": sorted(set(interests)) if participate else [],
        },
    )
    return response


def signup_set(
    *,
    actor: Actor,
    student_id: int,
    weekdays: Sequence[int],
    last_segment: int,
    effective_from: dt.date,
) -> Signup:
    """Opt in, or change days and pickup, from ``effective_from`` on (today or later)."""
    student = _child(actor, student_id)
    program = _program_for(student)
    _check_days_and_segment(program, weekdays, last_segment)
    return _signup_version(
        actor,
        program,
        student,
        effective_from,
        weekdays=sorted(set(weekdays)),
        last_segment=last_segment,
        withdrawn=False,
    )


def signup_withdraw(*, actor: Actor, student_id: int, effective_from: dt.date) -> Signup:
    """Leave the service from ``effective_from``; club seats are given up now so that a
    waiting child can have them."""
    student = _child(actor, student_id)
    program = _program_for(student)
    with transaction.atomic():
        signup = _signup_version(
            actor, program, student, effective_from, weekdays=[], last_segment=0, withdrawn=True
        )
        for seat in Seat.objects.filter(program=program, student=student).exclude(
            status=Seat.Status.WITHDRAWN
        ):
            _seat_release(seat, note=_("退出课后服务"))
    return signup


def _signup_version(
    actor: Actor,
    program: Program,
    student: Student,
    effective_from: dt.date,
    *,
    weekdays: list[int],
    last_segment: int,
    withdrawn: bool,
) -> Signup:
    today = local_today()
    if effective_from < today:
        raise ValidationFailed.single("effective_from", _("生效日期不能早于今天。"))
    if effective_from > program.semester.end:
        raise ValidationFailed.single("effective_from", _("生效日期超出本学期。"))
    with transaction.atomic():
        current = (
            Signup.objects.select_for_update()
            .filter(program=program, student=student, valid_to__isnull=True)
            .first()
        )
        if current is None and withdrawn:
            raise ValidationFailed.single("__all__", _("尚未报名课后服务。"))
        if current is not None:
            if effective_from < current.valid_from:
                raise ValidationFailed.single(
                    "effective_from",
                    _("生效日期不能早于上一次变更的生效日期 %(d)s。") % {"d": current.valid_from},
                )
            current.valid_to = effective_from
            current.save(update_fields=["valid_to"])
        return Signup.objects.create(
            school_id=student.school_id,
            program=program,
            student=student,
            weekdays=weekdays,
            last_segment=last_segment,
            valid_from=effective_from,
            withdrawn=withdrawn,
            consent_by_id=signed_in_user_id(actor),
        )


def preferences_set(
    *, actor: Actor, student_id: int, segment_id: int, club_ids: Sequence[int]
) -> list[Preference]:
    """Replace the student's ranked clubs for one segment (best first)."""
    student = _child(actor, student_id)
    program = _program_for(student)
    if program.phase != Program.Phase.SIGNUP:
        raise ValidationFailed.single("__all__", _("志愿填报未在进行中。"))
    segment = program.segments.filter(id=segment_id).first()
    if segment is None:
        raise NotFound()
    signup = selectors.latest_signup(program, student.pk)
    if signup is None or signup.withdrawn:
        raise ValidationFailed.single("__all__", _("请先报名参加课后服务。"))
    if signup.last_segment < segment.order:
        raise ValidationFailed.single(
            "segment_id", _("孩子在%(segment)s前已接走。") % {"segment": segment.label}
        )
    if len(club_ids) > program.max_choices:
        raise ValidationFailed.single(
            "club_ids", _("每个时段最多填 %(n)d 个志愿。") % {"n": program.max_choices}
        )
    if len(set(club_ids)) != len(club_ids):
        raise ValidationFailed.single("club_ids", _("同一社团不能重复填报。"))
    clubs = {c.pk: c for c in Club.objects.filter(program=program, id__in=club_ids)}
    for club_id in club_ids:
        club = clubs.get(club_id)
        if club is None or club.segment_id != segment.pk:
            raise ValidationFailed.single("club_ids", _("所选社团不在这个时段。"))
        if not club.admits(student):
            raise ValidationFailed.single(
                "club_ids",
                _("“%(club)s”面向%(a)d-%(b)d年级，孩子不能报名。")
                % {"club": club.name, "a": club.grade_from, "b": club.grade_to},
            )
    with transaction.atomic():
        Preference.objects.filter(program=program, student=student, segment=segment).delete()
        return Preference.objects.bulk_create(
            Preference(
                school_id=student.school_id,
                program=program,
                student=student,
                segment=segment,
                club_id=club_id,
                rank=rank,
            )
            for rank, club_id in enumerate(club_ids, start=1)
        )


# --- the preference round ----------------------------------------------------------------


def allocation_run(
    *, actor: Actor, program_id: int, mechanism: str = "optimal", seed: str = ""
) -> AllocationRun:
    """Run a mechanism on the stored preferences and keep the result (not yet adopted)."""
    program = _admin_program(actor, program_id)
    if mechanism not in MECHANISMS:
        raise ValidationFailed.single("mechanism", _("未知的分配方式。"))
    if program.phase not in (Program.Phase.SIGNUP, Program.Phase.ALLOCATED):
        raise ValidationFailed.single("__all__", _("志愿填报结束后、开放补报名前才能分配。"))
    # A generated seed reads as the semester and the school's wall-clock time of the run.
    seed = seed.strip() or f"{program.semester.name} {local_time(timezone.now()):%Y-%m-%d %H:%M:%S}"
    applications, slots = selectors.allocation_inputs(program, local_today())
    if not applications:
        raise ValidationFailed.single("__all__", _("还没有学生填报志愿。"))
    try:
        return record_run(program, applications, slots, mechanism, seed, signed_in_user_id(actor))
    except AllocationInputError as exc:
        raise ValidationFailed.single(
            "__all__", _("有 %(n)d 条志愿不符合条件，请先更正。") % {"n": len(exc.problems)}
        ) from exc


def record_run(
    program: Program,
    applications: Sequence[Application],
    slots: Sequence[ClubSlot],
    mechanism: str,
    seed: str,
    created_by_id: int | None,
) -> AllocationRun:
    started = time.perf_counter()
    result = allocate(applications, slots, seed=seed, mechanism=mechanism)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    report = result.report
    return AllocationRun.objects.create(
        school_id=program.school_id,
        program=program,
        mechanism=mechanism,
        seed=seed,
        inputs_digest=_digest(applications, slots),
        report={
            "applications": report.applications,
            "seated": report.seated,
            "max_seatable": report.max_seatable,
            "by_rank": list(report.by_rank),
            "seats": report.seats,
            "empty_seats": report.empty_seats,
            "priority_applications": report.priority_applications,
            "priority_first": report.priority_first,
            "other_first": report.other_first,
        },
        seats={f"{sid}:{seg}": club for (sid, seg), club in sorted(result.seats.items())},
        created_by_id=created_by_id,
        seconds=seconds,
    )


def _digest(applications: Sequence[Application], slots: Sequence[ClubSlot]) -> str:
    payload = json.dumps(
        [
            sorted(
                (a.student_id, a.grade, a.segment, list(a.choices), a.priority)
                for a in applications
            ),
            sorted((c.id, c.capacity, sorted(c.grades), c.segment) for c in slots),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def allocation_apply(*, actor: Actor, run_id: int) -> AllocationRun:
    """Adopt a run: its seats replace those of any earlier adopted run."""
    run = AllocationRun.objects.select_related("program").filter(id=run_id).first()
    if run is None:
        raise NotFound()
    program = _admin_program(actor, run.program_id)
    if program.phase not in (Program.Phase.SIGNUP, Program.Phase.ALLOCATED):
        raise ValidationFailed.single("__all__", _("开放补报名后不能再采用分配结果。"))
    applications, slots = selectors.allocation_inputs(program, local_today())
    if _digest(applications, slots) != run.inputs_digest:
        raise ValidationFailed.single(
            "__all__", _("志愿或社团在这次分配之后有变化，请重新运行分配。")
        )
    adopt_run(program, run)
    return run


def adopt_run(program: Program, run: AllocationRun) -> None:
    now = timezone.now()
    with transaction.atomic():
        Seat.objects.filter(program=program, source=Seat.Source.ALLOCATION).delete()
        segments = {str(s.pk): s for s in program.segments.all()}
        Seat.objects.bulk_create(
            Seat(
                school_id=program.school_id,
                program=program,
                club_id=int(club_id),
                segment=segments[key.split(":")[1]],
                student_id=int(key.split(":")[0]),
                status=Seat.Status.ENROLLED,
                source=Seat.Source.ALLOCATION,
                requested_at=now,
                decided_at=now,
            )
            for key, club_id in run.seats.items()
        )
        AllocationRun.objects.filter(program=program).update(applied=False)
        run.applied = True
        run.save(update_fields=["applied"])
        program.phase = Program.Phase.ALLOCATED
        program.save(update_fields=["phase"])


# --- the open round and the waitlist -----------------------------------------------------


def open_round_start(*, actor: Actor, program_id: int, batch_minutes: int = 5) -> Program:
    program = _admin_program(actor, program_id)
    if not 0 <= batch_minutes <= 60:
        raise ValidationFailed.single("batch_minutes", _("同时到达窗口应为 0 至 60 分钟。"))
    if program.phase == Program.Phase.OPEN:
        raise ValidationFailed.single("__all__", _("开放补报名已经开始。"))
    program.phase = Program.Phase.OPEN
    program.open_round_at = timezone.now()
    program.open_round_batch_minutes = batch_minutes
    program.open_round_settled = batch_minutes == 0
    # Published on the program page before the window closes, so anyone can re-check it.
    program.open_round_seed = open_round_seed(program.pk, program.open_round_at)
    program.save()
    return program


def open_round_seed(program_id: int, opened_at: dt.datetime) -> str:
    """The open round's lottery seed: the program and the school's wall-clock time it opened
    ("open 1 2026-09-14 21:13:09"), so a person reading it on the page can check it."""
    return f"open {program_id} {local_time(opened_at):%Y-%m-%d %H:%M:%S}"


def _window_start(program: Program) -> dt.datetime:
    assert program.open_round_at is not None
    return program.open_round_at


def _window_end(program: Program) -> dt.datetime:
    return _window_start(program) + dt.timedelta(minutes=program.open_round_batch_minutes)


def seat_request(*, actor: Actor, student_id: int, club_id: int) -> SeatAnswer:
    """A guardian asks for a seat in the open round; the answer is always definite, except
    inside the opening window, where it is "pending" until the window's lottery."""
    student = _child(actor, student_id)
    club = Club.objects.select_related("segment", "program").filter(id=club_id).first()
    if club is None or club.school_id != student.school_id:
        raise NotFound()
    program = club.program
    refused = _seat_refusal(program, club, student)
    if refused:
        return SeatAnswer("refused", club.name, reason=refused)
    now = timezone.now()
    if now < _window_end(program):
        return _seat_pending(program, club, student)
    if not program.open_round_settled:
        open_round_settle(program_id=program.pk)
    with transaction.atomic():
        club = Club.objects.select_for_update().get(pk=club.pk)
        # Taken under the lock, so first come is first in line.
        now = timezone.now()
        mine = list(
            Seat.objects.filter(student=student, segment_id=club.segment_id)
            .exclude(status=Seat.Status.WITHDRAWN)
            .select_related("club")
        )
        seat = next((s for s in mine if s.club_id == club.pk), None)
        if seat is None:
            held = _held_elsewhere(mine, club)
            if held:
                return SeatAnswer("refused", club.name, reason=held)
            seat = Seat(
                school_id=club.school_id,
                program=program,
                club=club,
                segment_id=club.segment_id,
                student=student,
                source=Seat.Source.OPEN,
                requested_at=now,
            )
            _place(club, seat, now, busy=False)
        return selectors.seat_answer(seat)


def _seat_pending(program: Program, club: Club, student: Student) -> SeatAnswer:
    mine = Seat.objects.filter(student=student, segment_id=club.segment_id).exclude(
        status=Seat.Status.WITHDRAWN
    )
    held = _held_elsewhere(list(mine.select_related("club")), club)
    if held:
        return SeatAnswer("refused", club.name, reason=held)
    try:
        with transaction.atomic():
            Seat.objects.create(
                school_id=club.school_id,
                program=program,
                club=club,
                segment=club.segment,
                student=student,
                status=Seat.Status.PENDING,
                source=Seat.Source.OPEN,
                requested_at=_window_start(program),
                lottery_key=lottery_key(program.open_round_seed, str(student.pk)),
            )
    except IntegrityError:
        pass  # the same request twice: one pending row answers both
    return SeatAnswer("pending", club.name, settles_at=local_time(_window_end(program)))


def _held_elsewhere(mine: Sequence[Seat], club: Club) -> str:
    """The refusal when the student already holds another club in this segment."""
    for seat in mine:
        if seat.status == Seat.Status.ENROLLED and seat.club_id != club.pk:
            return _("本时段已参加“%(club)s”，请先退出再报名其他社团。") % {"club": seat.club.name}
    return ""


def _seat_refusal(program: Program, club: Club, student: Student) -> str:
    if program.phase != Program.Phase.OPEN:
        return _("补报名尚未开放。")
    if not club.admits(student):
        return _("该社团面向%(a)d-%(b)d年级。") % {"a": club.grade_from, "b": club.grade_to}
    signup = selectors.latest_signup(program, student.pk)
    if signup is None or signup.withdrawn:
        return _("请先报名参加课后服务。")
    if signup.last_segment < club.segment.order:
        return _("孩子在%(segment)s前已接走。") % {"segment": club.segment.label}
    return ""


def _place(club: Club, seat: Seat, now: dt.datetime, *, busy: bool | None = None) -> None:
    """Enroll if the club (locked by the caller) has room and the student holds no other
    club in the segment; otherwise wait in line. ``busy`` is that last fact when the caller
    has already looked it up."""
    enrolled = Seat.objects.filter(club=club, status=Seat.Status.ENROLLED).count()
    if busy is None:
        busy = (
            Seat.objects.filter(
                student_id=seat.student_id,
                segment_id=club.segment_id,
                status=Seat.Status.ENROLLED,
            )
            .exclude(pk=seat.pk)
            .exists()
        )
    if busy:
        seat.status = Seat.Status.WITHDRAWN
        seat.note = _("本时段已参加其他社团")
    elif enrolled < club.capacity:
        seat.status = Seat.Status.ENROLLED
    else:
        seat.status = Seat.Status.WAITLISTED
    seat.decided_at = now
    seat.save()


def open_round_settle(*, program_id: int) -> int:
    """Place the requests of the opening window in lottery order (once; idempotent)."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program_id)
        if program.open_round_settled or program.open_round_at is None:
            return 0
        now = timezone.now()
        if now < _window_end(program):
            return 0
        pending = list(
            Seat.objects.filter(program=program, status=Seat.Status.PENDING).order_by(
                "lottery_key", "id"
            )
        )
        clubs = {
            c.pk: c
            for c in Club.objects.select_for_update().filter(id__in={s.club_id for s in pending})
        }
        for seat in pending:
            _place(clubs[seat.club_id], seat, now)
        program.open_round_settled = True
        program.save(update_fields=["open_round_settled"])
    return len(pending)


def seat_withdraw(*, actor: Actor, seat_id: int) -> Seat:
    seat = Seat.objects.filter(id=seat_id).first()
    if seat is None or seat.student_id not in actor.child_student_ids:
        raise NotFound()
    if seat.status == Seat.Status.WITHDRAWN:
        return seat
    with transaction.atomic():
        _seat_release(seat, note=_("家长退出"))
    return seat


def _seat_release(seat: Seat, *, note: str) -> None:
    club = Club.objects.select_for_update().get(pk=seat.club_id)
    was_enrolled = seat.status == Seat.Status.ENROLLED
    seat.status = Seat.Status.WITHDRAWN
    seat.note = note
    seat.decided_at = timezone.now()
    seat.save(update_fields=["status", "note", "decided_at"])
    if was_enrolled:
        _promote_waitlist(club)


def _promote_waitlist(club: Club) -> None:
    """Fill free seats from the head of the waitlist (caller holds the club lock)."""
    now = timezone.now()
    free = club.capacity - Seat.objects.filter(club=club, status=Seat.Status.ENROLLED).count()
    for seat in selectors.waitlist(club):
        if free <= 0:
            break
        busy = Seat.objects.filter(
            student_id=seat.student_id, segment_id=club.segment_id, status=Seat.Status.ENROLLED
        ).exists()
        if busy:
            continue
        seat.status = Seat.Status.ENROLLED
        seat.source = Seat.Source.WAITLIST
        seat.decided_at = now
        seat.save(update_fields=["status", "source", "decided_at"])
        free -= 1
