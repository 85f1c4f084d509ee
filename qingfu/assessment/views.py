"""Exam pages: the semester plan with its policy check, result entry for a class on one
screen, and a student's own bands. No page orders students by result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingfu.assessment import marks, selectors, services
from qingfu.assessment.bands import Band
from qingfu.assessment.models import ElementMark, Exam, NotebookEntry
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.formdata import date_field, int_field
from qingfu.core.scope import current_school_id
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import Grade, Subject
from qingfu.schools.selectors import current_semester


def _planner_school(request: HttpRequest, actor: Actor) -> int:
    """The school whose exams the admin or grade leader plans."""
    led = Grade.objects.filter(id__in=actor.led_grade_ids).values_list("school_id", flat=True)
    return current_school_id(request, actor, among=set(actor.admin_school_ids) | set(led))


@login_required
def plan_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    school_id = _planner_school(request, actor)
    semester = current_semester(school_id, local_today())
    if semester is None:
        raise NotFound()
    status = 200
    errors: dict[str, list[str]] = {}
    failed_action = ""
    if request.method == "POST":
        post = request.POST
        anchor = ""
        try:
            action = post.get("action")
            if action == "add":
                day = date_field(post, "date")
                exam = services.exam_add(
                    actor=actor,
                    data=services.ExamInput(
                        semester_id=semester.pk,
                        grade_id=int_field(post, "grade_id"),
                        subject_id=int_field(post, "subject_id"),
                        kind=post.get("kind", ""),
                        date=day,
                        duration_minutes=int_field(post, "duration_minutes"),
                        is_paper=post.get("is_paper") == "on",
                        is_regional=post.get("is_regional") == "on",
                        full_marks=int_field(post, "full_marks"),
                    ),
                )
                messages.success(request, _("已加入考试安排。"))
                anchor = f"#grade-{exam.grade.number}"
            elif action == "remove":
                services.exam_remove(actor=actor, exam_id=int_field(post, "exam_id"))
                messages.success(request, _("已删除。"))
            elif action == "approve":
                approved = services.plan_approve(
                    actor=actor, semester_id=semester.pk, grade_id=int_field(post, "grade_id")
                )
                messages.success(request, _("该年级的考试安排已审定。"))
                anchor = f"#grade-{approved[0].grade.number}"
            elif action == "bands":
                rows = []
                for k in range(5):
                    name = post.get(f"band{k}_name", "").strip()
                    if name:
                        rows.append(
                            Band(
                                name,
                                int_field(post, f"band{k}_low"),
                                int_field(post, f"band{k}_high"),
                            )
                        )
                services.band_scheme_set(actor=actor, school_id=school_id, bands=rows)
                messages.success(request, _("等级划分已保存。"))
            else:
                raise ValidationFailed.single("__all__", _("未知的操作。"))
            # Back to the grade just changed (highlighted), not to the top of a long page.
            return redirect(request.get_full_path() + anchor)
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
            failed_action = post.get("action", "")
    scheme = list(selectors.scheme_for(school_id))
    # A refused exam is shown again as typed, so the principal corrects one field.
    typed = request.POST if failed_action == "add" else None
    return render(
        request,
        "assessment/plan.html",
        {
            "semester": semester,
            "plans": [
                p
                for p in selectors.semester_plan(school_id, semester.pk)
                if school_id in actor.admin_school_ids or p.grade.pk in actor.led_grade_ids
            ],
            "grades": Grade.objects.filter(school_id=school_id),
            "subjects": Subject.objects.filter(school_id=school_id, is_active=True),
            "kinds": Exam.Kind.choices,
            "scheme_rows": scheme + [None] * (5 - len(scheme)),
            "is_admin": school_id in actor.admin_school_ids,
            "errors": errors,
            "failed_action": failed_action,
            "typed": typed,
        },
        status=status,
    )


@login_required
def teacher_exams(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if actor.teacher_id is None:
        raise NotFound()
    return render(
        request,
        "assessment/mine.html",
        {"pairs": selectors.exams_for_teacher(actor), "homework": selectors.markable(actor)},
    )


@login_required
def class_results(request: HttpRequest, exam_id: int, class_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    view = selectors.class_results(actor, exam_id, class_id)
    can_enter = selectors.may_enter(actor, view.exam, class_id)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_enter:
            raise NotFound()
        scores: dict[int, float] = {}
        bands: dict[int, str] = {}
        try:
            for student, _band in view.rows:
                raw = request.POST.get(f"score-{student.pk}", "").strip()
                band = request.POST.get(f"band-{student.pk}", "").strip()
                if raw:
                    try:
                        scores[student.pk] = float(raw)
                    except ValueError as exc:
                        raise ValidationFailed.single(
                            f"score.{student.pk}",
                            _("%(name)s：分数应为数字。") % {"name": student.name},
                        ) from exc
                elif band:
                    bands[student.pk] = band
            services.results_enter(
                actor=actor, exam_id=exam_id, class_id=class_id, scores=scores, bands=bands
            )
            messages.success(request, _("已保存，按等级记录（分数不保存）。"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
    return render(
        request,
        "assessment/class_results.html",
        {
            "view": view,
            "can_enter": can_enter,
            "scheme": selectors.scheme_for(view.exam.school_id),
            "errors": errors,
        },
        status=status,
    )


@login_required
def student_results(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    student, results = selectors.student_results(actor, student_id)
    return render(request, "assessment/student.html", {"student": student, "results": results})


# --- ability elements, error notebook, class chart ------------------------------------------


@login_required
def marks_page(request: HttpRequest, assignment_id: int, class_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    sheet = marks.sheet(actor, assignment_id, class_id)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        given: dict[marks.Key, str] = {}
        reasons: dict[marks.Key, str] = {}
        for student in sheet.students:
            for item in sheet.items:
                for element in item.ability_elements:
                    key = (student.pk, item.pk, element)
                    name = f"{student.pk}-{item.pk}-{element}"
                    if request.POST.get(f"m-{name}"):
                        given[key] = request.POST[f"m-{name}"]
                    if request.POST.get(f"r-{name}"):
                        reasons[key] = request.POST[f"r-{name}"]
        try:
            n = marks.marks_save(
                actor=actor,
                assignment_id=assignment_id,
                class_id=class_id,
                marks=given,
                reasons=reasons,
            )
            messages.success(request, _("已保存 %(n)d 个批改标记。") % {"n": n})
            return redirect(
                "assessment:chart", class_id=class_id, subject_id=sheet.assignment.subject_id
            )
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
    return render(
        request,
        "assessment/marks.html",
        {
            "sheet": sheet,
            "choices": ElementMark.Mark.choices,
            "reasons": NotebookEntry.Reason.choices,
            "errors": errors,
        },
        status=status,
    )


@login_required
def chart_page(request: HttpRequest, class_id: int, subject_id: int) -> HttpResponse:
    chart = marks.class_chart(actor_from_request(request), class_id, subject_id)
    return render(request, "assessment/chart.html", {"chart": chart})


@login_required
def notebook_page(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    status = 200
    if request.method == "POST":
        try:
            marks.notebook_redo(actor=actor, entry_id=int_field(request.POST, "entry_id"))
            messages.success(request, _("已标记为重做。"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:  # shown on the page, to those who may see it
            status = 422
            for problems in exc.errors.values():
                for problem in problems:
                    messages.error(request, problem)
    student, entries = marks.notebook(actor, student_id)
    own = student_id == actor.student_id or student_id in actor.child_student_ids
    return render(
        request,
        "assessment/notebook.html",
        {
            "student": student,
            "entries": entries,
            "own": own,
            "elements": marks.student_elements(student.pk) if own else {},
        },
        status=status,
    )
