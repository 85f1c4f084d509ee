"""After-school pages: the school's program (admin), a family's page for one child, and
the district's view of filed programs. Each POST names one action that maps to a service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from qingfu.afterschool import attendance, forms, metrics, phases, roster, selectors, services
from qingfu.afterschool.models import WEEKDAY_NAMES, Club, Job, Program
from qingfu.core.access import as_district_officer, as_guardian_of, as_teacher
from qingfu.core.actor import Actor
from qingfu.core.api import request_language
from qingfu.core.edge import answer_action, answer_post, cleaned, valid
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.scope import current_school_id
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_now, local_today
from qingfu.schools.models import Semester, Teacher
from qingfu.schools.selectors import current_semester, student_get

WEEKDAYS = list(enumerate(WEEKDAY_NAMES[:5]))
WEEKDAY_LABEL = dict(enumerate(WEEKDAY_NAMES))


# --- the school's program ------------------------------------------------------------------


def _current_program(request: HttpRequest, actor: Actor, today: dt.date) -> Program:
    """The program of the admin's school for the semester around ``today``."""
    semester = current_semester(_admin_school(request, actor), today)
    program = selectors.program_for_semester(actor, semester.pk) if semester else None
    if program is None:
        raise NotFound()
    return program


def _admin_school(request: HttpRequest, actor: Actor) -> int:
    return current_school_id(request, actor, among=actor.admin_school_ids)


@login_required
def program_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    school_id = _admin_school(request, actor)
    current = current_semester(school_id, local_today())
    if current is None:
        raise NotFound()
    semester = _chosen_semester(request, school_id, current)
    program = selectors.program_for_semester(actor, semester.pk)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        made: dict[str, str] = {}  # a background job started: its page is where to go
        answer = answer_action(
            request,
            _program_actions(request, actor, semester, program, made),
            to=lambda: made.get("url") or request.get_full_path(),
        )
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "afterschool/program.html",
        {
            **_program_context(actor, semester, program, errors),
            "semester_tabs": _semester_tabs(actor, school_id, current, semester),
        },
        status=status,
    )


def _chosen_semester(request: HttpRequest, school_id: int, current: Semester) -> Semester:
    """``?semester=`` picks another semester of the school (next semester's program is
    prepared while this one runs); anything else is the uniform 404."""
    chosen = request.GET.get("semester")
    if not chosen:
        return current
    semester = Semester.objects.filter(
        id=int(chosen) if chosen.isdigit() else 0, school_id=school_id
    ).first()
    if semester is None:
        raise NotFound()
    return semester


def _semester_tabs(
    actor: Actor, school_id: int, current: Semester, chosen: Semester
) -> list[dict[str, Any]]:
    """The current semester and the later ones that have a program, to switch between."""
    later = [
        p.semester
        for p in selectors.programs_for(actor)
        .filter(school_id=school_id, semester__start__gt=current.start)
        .select_related("semester")
        .order_by("semester__start")
    ]
    if not later:
        return []
    return [
        {
            "semester": s,
            "label": _("本学期") if s.pk == current.pk else _("下学期"),
            "query": "" if s.pk == current.pk else f"?semester={s.pk}",
            "chosen": s.pk == chosen.pk,
        }
        for s in [current, *later]
    ]


def _program_actions(
    request: HttpRequest,
    actor: Actor,
    semester: Semester,
    program: Program | None,
    made: dict[str, str],
) -> dict[str, Callable[[], str]]:
    post = request.POST

    def save() -> str:
        form = valid(forms.ProgramForm(post))
        services.program_save(actor=actor, semester_id=semester.pk, data=form.program_input())
        return _("方案已保存。")

    def require() -> Program:
        if program is None:
            raise ValidationFailed.single("__all__", _("请先保存方案。"))
        return program

    def club() -> str:
        p = require()
        form = valid(forms.ClubForm(post))
        services.club_save(
            actor=actor,
            program_id=p.pk,
            club_id=form.cleaned_data["club_id"],
            data=form.club_input(),
        )
        return _("社团已保存。")

    def capacity() -> str:
        data = cleaned(forms.CapacityForm, post)
        club = services.club_set_capacity(
            actor=actor, club_id=data["club_id"], capacity=data["capacity"] or 0
        )
        return _("“%(club)s”名额已改为 %(n)d。") % {"club": club.name, "n": club.capacity}

    def phase() -> str:
        services.program_set_phase(
            actor=actor, program_id=require().pk, phase=cleaned(forms.PhaseForm, post)["phase"]
        )
        return _("阶段已更新。")

    def file() -> str:
        services.program_file(actor=actor, program_id=require().pk)
        return _("方案已报教育局备案。")

    def run() -> str:
        data = cleaned(forms.RunForm, post)
        job = services.job_start(
            actor=actor,
            program_id=require().pk,
            kind=Job.Kind.ALLOCATION,
            params={"mechanism": data["mechanism"] or "optimal", "seed": data["seed"]},
            language=request_language(request),
        )
        made["url"] = reverse("afterschool:job", args=[job.pk])
        return ""  # the job's page says how it went

    def apply() -> str:
        services.allocation_apply(actor=actor, run_id=cleaned(forms.RunChoiceForm, post)["run_id"])
        return _("已采用该分配结果，家长可在孩子页面看到社团。")

    def correction() -> str:
        data = cleaned(forms.CorrectionDecisionForm, post)
        approve = data["decision"] == "approve"
        attendance.correction_decide(
            actor=actor, correction_id=data["correction_id"], approve=approve, note=data["note"]
        )
        return _("已批准更正。") if approve else _("已驳回更正申请。")

    def open_round() -> str:
        minutes = cleaned(forms.OpenRoundForm, post)["batch_minutes"]
        services.open_round_start(
            actor=actor, program_id=require().pk, batch_minutes=5 if minutes is None else minutes
        )
        return _("补报名已开放。")

    return {
        "save": save,
        "club": club,
        "capacity": capacity,
        "phase": phase,
        "file": file,
        "run": run,
        "apply": apply,
        "open": open_round,
        "correction": correction,
    }


def _program_context(
    actor: Actor, semester: Semester, program: Program | None, errors: dict[str, list[str]]
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "semester": semester,
        "program": program,
        "errors": errors,
        "weekdays": WEEKDAYS,
        "weekday_label": WEEKDAY_LABEL,
        "segment_slots": [None, None, None],
        "categories": Club.Category.choices,
        "levels": Club.Level.choices,
        "instructors": Club.Instructor.choices,
        "phases": Program.Phase.choices,
        "actions": phases.phase_actions(program.phase if program else phases.SETUP),
        "teachers": Teacher.objects.filter(school_id=semester.school_id).order_by("name"),
        "grades": list(semester.school.grade_numbers),
    }
    if program is None:
        return context
    context["corrections"] = attendance.pending_corrections(actor)
    context["by_grade"], context["by_class"] = metrics.participation(program, local_today())
    runs = selectors.runs_for(program)
    seats_by_run = {r.pk: r.seats for r in runs}
    segments = list(program.segments.all())
    context.update(
        segments=segments,
        segment_slots=[*segments, None, None, None][:3],
        verdicts=selectors.program_verdicts(program),
        clubs=selectors.club_rows(program),
        survey=selectors.survey_summary(program),
        survey_classes=selectors.survey_summary(program, by_class=True),
        runs=runs,
        # A run equal to an earlier one with the same seed shows that it reproduces.
        reproduced={
            r.pk: next(
                (
                    o.number  # type: ignore[attr-defined]
                    for o in runs
                    if o.pk < r.pk
                    and o.seed == r.seed
                    and o.mechanism == r.mechanism
                    and o.inputs_digest == r.inputs_digest
                    and seats_by_run[o.pk] == r.seats
                ),
                None,
            )
            for r in runs
        },
    )
    return context


# --- a family's page -----------------------------------------------------------------------


@login_required
def child_page(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    as_guardian_of(actor, student_id)
    student = student_get(actor, student_id)
    try:
        program = selectors.program_of_student(actor, student, local_today())
    except NotFound:
        return render(request, "afterschool/child_none.html", {"student": student})
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answer = answer_action(request, _child_actions(request, actor, student_id))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    view = selectors.child_view(actor, program, student, local_today())
    return render(
        request,
        "afterschool/child.html",
        {
            "view": view,
            "errors": errors,
            "weekdays": [(d, n) for d, n in WEEKDAYS if d in program.weekdays],
            "weekday_label": WEEKDAY_LABEL,
            "choice_ranks": range(1, program.max_choices + 1),
            "categories": Club.Category.choices,
            "today": local_today(),
        },
        status=status,
    )


def _child_actions(
    request: HttpRequest, actor: Actor, student_id: int
) -> dict[str, Callable[[], str]]:
    post = request.POST

    def survey() -> str:
        data = cleaned(forms.SurveyAnswerForm, post)
        services.survey_answer(
            actor=actor,
            student_id=student_id,
            participate=data["participate"] == "yes",
            weekdays=data["weekdays"],
            last_segment=data["last_segment"] or 0,
            interests=data["interests"],
        )
        return _("调研问卷已提交，谢谢！")

    def signup() -> str:
        data = cleaned(forms.SignupForm, post)
        services.signup_set(
            actor=actor,
            student_id=student_id,
            weekdays=data["weekdays"],
            last_segment=data["last_segment"] or 0,
            effective_from=data["effective_from"],
        )
        return _("已报名课后服务。")

    def withdraw() -> str:
        s = services.signup_withdraw(
            actor=actor,
            student_id=student_id,
            effective_from=cleaned(forms.WithdrawForm, post)["effective_from"],
        )
        return _("已退出课后服务，自 %(d)s 起生效。") % {
            "d": date_format(s.valid_from, _("n月j日"))  # a date format: "M j" in English
        }

    def preferences() -> str:
        data = cleaned(forms.PreferencesForm, post)
        services.preferences_set(
            actor=actor,
            student_id=student_id,
            segment_id=data["segment_id"],
            club_ids=data["club"],
        )
        return _("志愿已保存。")

    def request_seat() -> str:
        club_id = cleaned(forms.SeatForm, post)["club_id"]
        answer = services.seat_request(actor=actor, student_id=student_id, club_id=club_id)
        if answer.status == "refused":
            raise ValidationFailed.single("club_id", answer.reason)
        return _seat_message(answer)

    def leave_club() -> str:
        seat = services.seat_withdraw(
            actor=actor, seat_id=cleaned(forms.LeaveForm, post)["seat_id"]
        )
        return _("已退出“%(club)s”。") % {"club": seat.club.name}

    return {
        "survey": survey,
        "signup": signup,
        "withdraw": withdraw,
        "preferences": preferences,
        "seat": request_seat,
        "leave": leave_club,
    }


def _seat_message(answer: selectors.SeatAnswer) -> str:
    if answer.status == "enrolled":
        return _("已录取：%(club)s。") % {"club": answer.club_name}
    if answer.status == "waitlisted":
        return _("%(club)s已满，已进入候补，排第 %(n)d 位；有人退出时自动递补。") % {
            "club": answer.club_name,
            "n": answer.position or 0,
        }
    return _(
        "已收到“%(club)s”的报名。开放后最初几分钟内的报名视为同时到达，将在 %(t)s 统一按抽签顺序处理。"
    ) % {
        "club": answer.club_name,
        "t": f"{answer.settles_at:%H:%M}" if answer.settles_at else "",
    }


# --- the duty teacher ---------------------------------------------------------------------------


@login_required
def duty_page(request: HttpRequest) -> HttpResponse:
    """Today's sessions of the duty teacher, each with its list to mark on a phone."""
    actor = actor_from_request(request)
    # ``?session=`` opens one session, for its duty teacher or the school's administrator
    # (the principal's home links here for sessions whose attendance was not taken).
    one = request.GET.get("session", "")
    if not one:
        as_teacher(actor)
    elif not one.isdigit():
        raise NotFound()
    now = local_now()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answer = answer_action(request, _duty_actions(request, actor))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    shown = (
        [attendance.session_for(actor, int(one))]
        if one
        else attendance.duty_sessions(actor, now.date())
    )
    sessions = [
        {
            "session": session,
            "rows": attendance.session_rows(actor, session),
            "locked": attendance.is_locked(session, now),
            # Ended, but its attendance may still be taken (or, by the admin, corrected).
            "late_open": attendance.is_late_open(session, now),
            "late_until": attendance.late_until(session),
            "may_correct": attendance.may_correct(actor, session),
        }
        for session in shown
    ]
    day = shown[0].date if one else now.date()
    return render(
        request,
        "afterschool/duty.html",
        {"sessions": sessions, "errors": errors, "now": now, "day": day, "statuses": _MARKABLE},
        status=status,
    )


_MARKABLE = [
    ("present", _lazy("出勤")),
    ("absent", _lazy("缺勤")),
    ("leave", _lazy("请假")),
]


def _duty_actions(request: HttpRequest, actor: Actor) -> dict[str, Callable[[], str]]:
    post = request.POST

    def take() -> str:
        data = cleaned(forms.AttendanceForm, post)
        marks = data["marks"]
        if not marks:
            raise ValidationFailed.single("__all__", _("名单为空，无需考勤。"))
        attendance.attendance_take(actor=actor, session_id=data["session_id"], marks=marks)
        absent = sum(1 for v in marks.values() if v == "absent")
        if absent:
            return ngettext(
                "考勤已提交；%(n)d 人缺勤，已告知班主任和家长。",
                "考勤已提交；%(n)d 人缺勤，已告知班主任和家长。",
                absent,
            ) % {"n": absent}
        return _("考勤已提交，全部到齐。")

    def late() -> str:
        data = cleaned(forms.LateAttendanceForm, post)
        if not data["marks"]:
            raise ValidationFailed.single("__all__", _("名单为空，无需考勤。"))
        result = attendance.attendance_take_late(
            actor=actor, session_id=data["session_id"], marks=data["marks"], reason=data["reason"]
        )
        said = []
        if result.taken:
            n = len(result.taken)
            said.append(
                ngettext("已补录 %(n)d 名学生的考勤。", "已补录 %(n)d 名学生的考勤。", n) % {"n": n}
            )
        if result.corrected:
            n = len(result.corrected)
            said.append(
                ngettext("已更正 %(n)d 名学生的考勤。", "已更正 %(n)d 名学生的考勤。", n) % {"n": n}
            )
        return " ".join(said)

    def early() -> str:
        data = cleaned(forms.EarlyPickupForm, post)
        attendance.early_pickup(
            actor=actor,
            session_id=data["session_id"],
            student_id=data["student_id"],
            picked_up_by=data["picked_up_by"],
        )
        return _("已记录提前接走。")

    def correct() -> str:
        data = cleaned(forms.CorrectionRequestForm, post)
        attendance.correction_request(
            actor=actor,
            session_id=data["session_id"],
            student_id=data["student_id"],
            status=data["status"],
            reason=data["reason"],
        )
        return _("更正申请已提交，等待课后服务负责人审批。")

    return {"take": take, "late": late, "early": early, "correct": correct}


# --- the duty roster and service hours ----------------------------------------------------------


def _monday(raw: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw) if raw else today
    except ValueError as exc:
        raise NotFound() from exc
    return day - dt.timedelta(days=day.weekday())


@login_required
def roster_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    today = local_today()
    program = _current_program(request, actor, today)
    monday = _monday(request.GET.get("week"), today)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        made: dict[str, str] = {}

        def generate() -> str:
            # About 20 s of solving: a background job, whose page shows progress and result.
            job = services.job_start(
                actor=actor,
                program_id=program.pk,
                kind=Job.Kind.ROSTER,
                params={"monday": monday.isoformat()},
                language=request_language(request),
            )
            made["url"] = reverse("afterschool:job", args=[job.pk])
            return ""

        answer = answer_post(request, generate, to=lambda: made["url"])
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    sessions, teachers = roster.week_view(program, monday)
    days: dict[dt.date, list[Any]] = {}
    for session in sessions:
        days.setdefault(session.date, []).append(session)
    return render(
        request,
        "afterschool/roster.html",
        {
            "program": program,
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "week": program.rosters.filter(monday=monday).first(),
            "days": days,
            "teachers": [t for t in teachers if t.sessions],
            "idle": [t for t in teachers if not t.sessions],
            "errors": errors,
            "month": monday.strftime("%Y-%m"),
        },
        status=status,
    )


@login_required
def hours_export(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    today = local_today()
    program = _current_program(request, actor, today)
    try:
        month = dt.date.fromisoformat(f"{request.GET.get('month', '')}-01")
    except ValueError:
        month = today.replace(day=1)
    data = roster.month_hours_xlsx(actor=actor, program_id=program.pk, month=month, today=today)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''afterschool-hours-{month:%Y-%m}.xlsx"
    )
    return response


# --- background jobs ---------------------------------------------------------------------------


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """A background job's progress (the page polls itself through a static script while
    the job runs; without JavaScript, a link reloads it) and then its result."""
    actor = actor_from_request(request)
    job = selectors.job_get(actor, job_id)
    return render(request, "afterschool/job.html", {"job": job, "next": _job_next(job)})


def _job_next(job: Job) -> str:
    """Where the finished job's result is shown."""
    if job.kind == Job.Kind.ROSTER:
        return f"{reverse('afterschool:roster')}?week={job.params.get('monday', '')}"
    url = f"{reverse('afterschool:program')}?semester={job.program.semester_id}"
    run_id = job.result.get("run_id")
    return f"{url}#run-{run_id}" if run_id else f"{url}#allocation"


# --- the district ------------------------------------------------------------------------------


@login_required
def district_programs(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    as_district_officer(actor)
    today = local_today()
    programs = [
        (p, selectors.program_verdicts(p))
        for p in selectors.programs_for(actor)
        .filter(status=Program.Status.FILED, semester__end__gte=today)
        .order_by("school__name")
    ]
    return render(
        request,
        "afterschool/district.html",
        {"programs": programs, "weekday_names": WEEKDAY_LABEL},
    )
