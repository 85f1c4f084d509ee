"""The 五项管理 page: the school day, sleep from the homework logs, physical activity."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import School, SchoolClass
from qingfu.wellbeing import selectors, services


def _time(raw: str, field: str) -> dt.time | None:
    if not raw.strip():
        return None
    try:
        return dt.time.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ValidationFailed.single(field, _("时间格式应为 08:20。")) from exc


@login_required
def wellbeing_page(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    school_ids = (
        set(actor.admin_school_ids)
        | set(
            SchoolClass.objects.filter(id__in=actor.head_class_ids).values_list(
                "school_id", flat=True
            )
        )
        | set(
            SchoolClass.objects.filter(grade_id__in=actor.led_grade_ids).values_list(
                "school_id", flat=True
            )
        )
    )
    if not school_ids:
        raise NotFound()
    school = School.objects.select_related("district").get(pk=min(school_ids))
    today = local_today()
    try:
        chosen = (
            dt.date.fromisoformat(request.GET.get("week", "")) if request.GET.get("week") else today
        )
    except ValueError as exc:
        raise NotFound() from exc
    monday = chosen - dt.timedelta(days=chosen.weekday())
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.school_day_set(
                actor=actor,
                school_id=school.pk,
                primary_start=_time(request.POST.get("primary_start", ""), "primary_start"),
                junior_start=_time(request.POST.get("junior_start", ""), "junior_start"),
                break_minutes=int(request.POST.get("break_minutes") or 0),
                lesson_minutes=int(request.POST.get("lesson_minutes") or 40),
            )
            messages.success(request, _("作息已保存。"))
            return redirect(request.get_full_path())
        except (ValidationFailed, ValueError) as exc:
            status = 422
            errors = (
                exc.errors
                if isinstance(exc, ValidationFailed)
                else {"__all__": [_("请填写整数。")]}
            )
    return render(
        request,
        "wellbeing/page.html",
        {
            "school": school,
            "is_admin": school.pk in actor.admin_school_ids,
            "day": selectors.school_day(school.pk),
            "day_verdicts": selectors.school_day_verdicts(school),
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "sleep": selectors.sleep_week(actor, school.pk, monday),
            "activity": selectors.activity(actor, school),
            "errors": errors,
        },
        status=status,
    )
