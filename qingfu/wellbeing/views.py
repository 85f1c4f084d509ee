"""The 五项管理 page: the school day, sleep from the homework logs, physical activity."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.afterschool.models import WEEKDAY_NAMES
from qingfu.core.access import as_guardian_of, as_head_teacher, as_school_admin
from qingfu.core.edge import answer_action, answer_post, cleaned
from qingfu.core.errors import NotFound
from qingfu.core.scope import current_school_id
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today, profile_for_school
from qingfu.schools.models import School, SchoolClass, Student
from qingfu.wellbeing import forms, phones, reading, selectors, services
from qingfu.wellbeing.activity import SCHOOL_WEEKDAYS
from qingfu.wellbeing.models import PhoneApplication, ReadingList


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
    school = School.objects.select_related("district").get(
        pk=current_school_id(request, actor, among=school_ids)
    )
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

        def save() -> str:
            data = cleaned(forms.SchoolDayForm, request.POST)
            services.school_day_set(
                actor=actor,
                school_id=school.pk,
                primary_start=data["primary_start"],
                junior_start=data["junior_start"],
                break_minutes=data["break_minutes"] or 0,
                lesson_minutes=data["lesson_minutes"] or 40,
            )
            return _("作息已保存。")

        answer = answer_post(request, save)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
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
            "short_nights": selectors.short_nights_by_class(
                school, [c.pk for c in selectors.visible_classes(actor, school.pk)], monday
            ),
            "activity": selectors.activity(actor, school),
            "weekday_names": [WEEKDAY_NAMES[d] for d in SCHOOL_WEEKDAYS],
            "errors": errors,
        },
        status=status,
    )


@login_required
def phones_page(request: HttpRequest) -> HttpResponse:
    """The head teacher's phone applications and today's custody list."""
    actor = actor_from_request(request)
    as_head_teacher(actor)
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def decide() -> str:
            data = cleaned(forms.PhoneDecisionForm, request.POST)
            phones.phone_decide(
                actor=actor,
                application_id=data["application_id"],
                approve=data["decision"] == "approve",
                note=data["note"],
            )
            return _("已处理申请。")

        def custody() -> str:
            data = cleaned(forms.CustodyForm, request.POST)
            n = phones.custody_record(
                actor=actor,
                class_id=data["class_id"],
                day=today,
                handed_in=set(data["handed_in"]),
                returned=set(data["returned"]),
            )
            return ngettext(
                "已登记 %(n)d 部手机的保管情况。", "已登记 %(n)d 部手机的保管情况。", n
            ) % {"n": n}

        answer = answer_action(request, {"decide": decide, "custody": custody}, default="custody")
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "wellbeing/phones.html",
        {"classes": phones.head_teacher_view(actor, today), "today": today, "errors": errors},
        status=status,
    )


@login_required
def phone_apply_page(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    as_guardian_of(actor, student_id)
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def apply() -> str:
            data = cleaned(forms.PhoneApplicationForm, request.POST)
            phones.phone_apply(
                actor=actor, student_id=student_id, reason=data["reason"], consent=data["consent"]
            )
            return _("申请已提交，等待班主任审批。")

        answer = answer_post(request, apply)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    student = Student.objects.get(pk=student_id)
    school = School.objects.select_related("district").get(pk=student.school_id)
    return render(
        request,
        "wellbeing/phone_apply.html",
        {
            "student": student,
            "applications": PhoneApplication.objects.filter(student=student),
            "rule": profile_for_school(school).rule("phone.campus"),
            "errors": errors,
        },
        status=status,
    )


@login_required
def reading_page(request: HttpRequest) -> HttpResponse:
    """The admin's reading lists: start one, add books while drafting, advance the review."""
    actor = actor_from_request(request)
    as_school_admin(actor)
    school = School.objects.select_related("district").get(
        pk=current_school_id(request, actor, among=actor.admin_school_ids)
    )
    today = local_today()
    year = f"{today.year - (today.month < 8)}—{today.year + (today.month >= 8)}"
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def start() -> str:
            reading.list_start(actor=actor, school_id=school.pk, school_year=year)
            return _("已保存。")

        def book() -> str:
            data = cleaned(forms.BookForm, request.POST)
            reading.book_add(
                actor=actor,
                list_id=data["list_id"],
                book=reading.BookInput(
                    title=data["title"],
                    author=data["author"],
                    publisher=data["publisher"],
                    grade_from=data["grade_from"],
                    grade_to=data["grade_to"],
                    reason=data["reason"],
                ),
            )
            return _("已保存。")

        def advance() -> str:
            data = cleaned(forms.ListStepForm, request.POST)
            reading.list_advance(actor=actor, list_id=data["list_id"], note=data["note"])
            return _("已保存。")

        answer = answer_action(request, {"start": start, "book": book, "advance": advance})
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "wellbeing/reading.html",
        {
            "lists": ReadingList.objects.filter(school=school).prefetch_related("items"),
            "year": year,
            "verdict": reading.year_verdict(school, year),
            "steps": ReadingList.Step.choices,
            "errors": errors,
        },
        status=status,
    )


@login_required
def sleep_report_page(request: HttpRequest, student_id: int) -> HttpResponse:
    """A family reports a night's bedtime and wake-up (optional), and sees the hours."""
    actor = actor_from_request(request)
    as_guardian_of(actor, student_id, or_self=True)
    student = Student.objects.select_related("school_class__grade").get(pk=student_id)
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":

        def report() -> str:
            data = cleaned(forms.SleepForm, request.POST)
            services.sleep_report(
                actor=actor,
                student_id=student_id,
                day=data["date"],
                bedtime=data["bedtime"],
                wake_time=data["wake_time"],
                today=today,
            )
            return _("已记录，谢谢！")

        answer = answer_post(request, report)
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    return render(
        request,
        "wellbeing/sleep_report.html",
        {
            "student": student,
            "nights": selectors.child_nights(actor, student),
            "yesterday": today - dt.timedelta(days=1),
            "errors": errors,
        },
        status=status,
    )
