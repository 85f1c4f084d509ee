"""Exam pages: the semester plan with its policy check, result entry for a class on one
screen, and a student's own bands. No page orders students by result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.assessment import forms, marks, selectors, services
from qingfu.assessment.models import ElementMark, Exam, NotebookEntry
from qingfu.core.access import as_teacher
from qingfu.core.actor import Actor
from qingfu.core.edge import answer_action, answer_post, cleaned, flash_errors, posted_action, valid
from qingfu.core.errors import NotFound
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

        def add() -> str:
            nonlocal anchor
            form = valid(forms.ExamForm(post))
            exam = services.exam_add(actor=actor, data=form.exam_input(semester.pk))
            anchor = f"#grade-{exam.grade.number}"
            return _("已加入考试安排。")

        def remove() -> str:
            services.exam_remove(
                actor=actor, exam_id=cleaned(forms.ExamChoiceForm, post)["exam_id"]
            )
            return _("已删除。")

        def approve() -> str:
            nonlocal anchor
            grade_id = cleaned(forms.GradeChoiceForm, post)["grade_id"]
            approved = services.plan_approve(
                actor=actor, semester_id=semester.pk, grade_id=grade_id
            )
            anchor = f"#grade-{approved[0].grade.number}"
            return _("该年级的考试安排已审定。")

        def bands() -> str:
            rows = cleaned(forms.BandSchemeForm, post)["bands"]
            services.band_scheme_set(actor=actor, school_id=school_id, bands=rows)
            return _("等级划分已保存。")

        actions = {"add": add, "remove": remove, "approve": approve, "bands": bands}
        # Back to the grade just changed (highlighted), not to the top of a long page.
        answer = answer_action(request, actions, to=lambda: request.get_full_path() + anchor)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
        failed_action = posted_action(request)
    scheme = list(selectors.scheme_for(school_id))
    # A refused exam is shown again as typed, so the principal corrects one field.
    typed = forms.ExamForm(request.POST).data if failed_action == "add" else None
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
    as_teacher(actor)
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

        def save() -> str:
            form = valid(forms.ResultsForm(request.POST, students=[s for s, _b in view.rows]))
            services.results_enter(
                actor=actor,
                exam_id=exam_id,
                class_id=class_id,
                scores=form.cleaned_data["scores"],
                bands=form.cleaned_data["bands"],
            )
            return _("已保存，按等级记录（分数不保存）。")

        answer = answer_post(request, save)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
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
        keys = [
            (student.pk, item.pk, element)
            for student in sheet.students
            for item in sheet.items
            for element in item.ability_elements
        ]

        def save() -> str:
            data = cleaned(forms.MarksForm, request.POST, keys=keys)
            n = marks.marks_save(
                actor=actor,
                assignment_id=assignment_id,
                class_id=class_id,
                marks=data["marks"],
                reasons=data["reasons"],
            )
            return ngettext("已保存 %(n)d 个批改标记。", "已保存 %(n)d 个批改标记。", n) % {"n": n}

        chart = reverse(
            "assessment:chart",
            kwargs={"class_id": class_id, "subject_id": sheet.assignment.subject_id},
        )
        answer = answer_post(request, save, to=chart)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
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

        def redo() -> str:
            entry_id = cleaned(forms.NotebookRedoForm, request.POST)["entry_id"]
            marks.notebook_redo(actor=actor, entry_id=entry_id)
            return _("已标记为重做。")

        answer = answer_post(request, redo)
        if answer.response is not None:
            return answer.response
        # Shown on the page below, to those who may read it (the notebook read decides).
        status = answer.status
        flash_errors(request, answer.errors)
    student, entries = marks.notebook(actor, student_id)
    return render(
        request,
        "assessment/notebook.html",
        {
            "student": student,
            "entries": entries,
            "own": student_id == actor.student_id or student_id in actor.child_student_ids,
            "elements": marks.student_elements(actor, student),
        },
        status=status,
    )
