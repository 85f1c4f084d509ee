"""HTML views: parse the request, call a selector or service, render. Nothing else."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingfu.core.errors import ValidationFailed
from qingfu.core.htmx import render_page
from qingfu.core.services import user_language_set
from qingfu.inspections.institutions import overdue_institution_notices
from qingfu.policy.calendar import DayKind
from qingfu.schools import selectors, services
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import DAY_KIND_LABELS, local_today, semester_calendar
from qingfu.training import selectors as training_selectors
from qingfu.web.forms import LanguageForm, RosterUploadForm
from qingfu.web.home import home_sections


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    today = local_today()
    return render(
        request,
        "web/home.html",
        {"sections": home_sections(actor, today), "today": today},
    )


@login_required
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    school_class = selectors.class_get(actor, class_id)
    may_see_people = selectors.may_see_people_of(actor, school_class)
    students = selectors.class_roster(actor, class_id) if may_see_people else []
    return render(
        request,
        "web/class_detail.html",
        {
            "school_class": school_class,
            "students": students,
            "may_see_people": may_see_people,
            "assignments": selectors.class_teachers(actor, class_id),
            "n_students": selectors.class_size(actor, class_id),
        },
    )


@login_required
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    student = selectors.student_get(actor, student_id)
    return render(
        request,
        "web/student_detail.html",
        {
            "student": student,
            "guardians": selectors.student_guardians(actor, student),
            # The school's admin acts for a guardian who asks (a copy, an erasure).
            "privacy_url": (
                reverse("web:child_privacy", args=[student.pk])
                if actor.is_superuser or student.school_id in actor.admin_school_ids
                else ""
            ),
        },
    )


@login_required
def roster_import(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    services.require_school_admin(actor, school_id)
    context: dict[str, object] = {"school_id": school_id}
    status = 200
    posted = request.method == "POST"
    form = RosterUploadForm(request.POST, request.FILES) if posted else RosterUploadForm()
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["result"] = services.roster_import(
                actor=actor,
                school_id=school_id,
                filename=upload.name,
                data=upload.read(),
                today=local_today(),
            )
            form = RosterUploadForm()
        except services.RosterInvalid as exc:
            context["row_errors"] = exc.row_errors
            status = 422
        except ValidationFailed as exc:
            context["file_errors"] = [m for ms in exc.errors.values() for m in ms]
            status = 422
    elif posted:
        context["file_errors"] = form.errors["file"]
        status = 422
    context["form"] = form
    context["figures"] = selectors.school_figures(actor, school_id)
    return render_page(
        request,
        "web/roster_import.html",
        context,
        fragment="web/partials/_roster_result.html",
        status=status,
    )


@login_required
def roster_export(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    class_id = request.GET.get("class")
    data = services.roster_export_xlsx(
        actor=actor,
        school_id=school_id,
        class_id=int(class_id) if class_id and class_id.isdigit() else None,
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = local_today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="roster-{school_id}-{stamp}.xlsx"'
    return response


@login_required
def school_calendar(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    selectors.access_school(actor, school_id)
    semester = selectors.current_semester(school_id, local_today())
    months = []
    counts: dict[str, int] = {}
    if semester is not None:
        cal = semester_calendar(semester)
        month = dt.date(semester.start.year, semester.start.month, 1)
        while month <= semester.end:
            weeks = []
            for week in pycalendar.Calendar().monthdatescalendar(month.year, month.month):
                cells = []
                for day in week:
                    kind = cal.day_kind(day)
                    inside = day.month == month.month
                    if inside and semester.start <= day <= semester.end:
                        counts[kind.value] = counts.get(kind.value, 0) + 1
                    cells.append(
                        {
                            "date": day,
                            "inside": inside,
                            "kind": kind.value,
                            "label": DAY_KIND_LABELS[kind],
                            "note": cal.holiday_name(day) or "",
                            # A weekend day that is a school day: a make-up workday (调休).
                            "makeup": kind is DayKind.SCHOOL_DAY and day.weekday() >= 5,
                            "today": day == local_today(),
                        }
                    )
                weeks.append(cells)
            months.append({"month": month, "weeks": weeks})
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return render(
        request,
        "web/calendar.html",
        {
            "semester": semester,
            "months": months,
            "counts": counts,
        },
    )


@login_required
def district(request: HttpRequest, district_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    figures = selectors.district_overview(actor, district_id)
    district = selectors.districts_for(actor).get(id=district_id)
    training = training_selectors.training_summary(
        actor, district_id=district_id, today=local_today()
    )
    return render(
        request,
        "web/district.html",
        {
            "district": district,
            "schools": figures,
            "training": training,
            "institution_overdue": overdue_institution_notices(
                district_id=district_id, today=local_today()
            ),
        },
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    valid_form = form.is_valid()
    next_url = form.cleaned_data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    response = redirect(next_url)
    if valid_form:
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            user_language_set(user=request.user, language=language)
        response.set_cookie("django_language", language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
