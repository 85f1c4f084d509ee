"""The 五项管理 page: the school day, sleep from the homework logs, physical activity."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingfu.afterschool.models import WEEKDAY_NAMES
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.formdata import date_field, int_field, time_field
from qingfu.core.scope import current_school_id
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today, profile_for_school
from qingfu.schools.models import School, SchoolClass, Student
from qingfu.wellbeing import phones, reading, selectors, services
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
        try:
            services.school_day_set(
                actor=actor,
                school_id=school.pk,
                primary_start=time_field(request.POST, "primary_start", required=False),
                junior_start=time_field(request.POST, "junior_start", required=False),
                break_minutes=int_field(request.POST, "break_minutes", 0),
                lesson_minutes=int_field(request.POST, "lesson_minutes", 40),
            )
            messages.success(request, _("作息已保存。"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
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
    if not actor.head_class_ids:
        raise NotFound()
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "decide":
                phones.phone_decide(
                    actor=actor,
                    application_id=int_field(post, "application_id"),
                    approve=post.get("decision") == "approve",
                    note=post.get("note", ""),
                )
                messages.success(request, _("已处理申请。"))
            else:
                n = phones.custody_record(
                    actor=actor,
                    class_id=int_field(post, "class_id"),
                    day=today,
                    handed_in={int(v) for v in post.getlist("in") if v.isdigit()},
                    returned={int(v) for v in post.getlist("out") if v.isdigit()},
                )
                messages.success(request, _("已登记 %(n)d 部手机的保管情况。") % {"n": n})
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
    return render(
        request,
        "wellbeing/phones.html",
        {"classes": phones.head_teacher_view(actor, today), "today": today, "errors": errors},
        status=status,
    )


@login_required
def phone_apply_page(request: HttpRequest, student_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    if student_id not in actor.child_student_ids:
        raise NotFound()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            phones.phone_apply(
                actor=actor,
                student_id=student_id,
                reason=request.POST.get("reason", ""),
                consent=request.POST.get("consent") == "on",
            )
            messages.success(request, _("申请已提交，等待班主任审批。"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
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
    if not actor.admin_school_ids:
        raise NotFound()
    school = School.objects.select_related("district").get(pk=min(actor.admin_school_ids))
    today = local_today()
    year = f"{today.year - (today.month < 8)}—{today.year + (today.month >= 8)}"
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        post = request.POST
        try:
            action = post.get("action")
            if action == "start":
                reading.list_start(actor=actor, school_id=school.pk, school_year=year)
            elif action == "book":
                reading.book_add(
                    actor=actor,
                    list_id=int_field(post, "list_id"),
                    book=reading.BookInput(
                        title=post.get("title", ""),
                        author=post.get("author", ""),
                        publisher=post.get("publisher", ""),
                        grade_from=int_field(post, "grade_from"),
                        grade_to=int_field(post, "grade_to"),
                        reason=post.get("reason", ""),
                    ),
                )
            elif action == "advance":
                reading.list_advance(
                    actor=actor, list_id=int_field(post, "list_id"), note=post.get("note", "")
                )
            else:
                raise ValidationFailed.single("__all__", _("未知的操作。"))
            messages.success(request, _("已保存。"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
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
    if student_id not in actor.child_student_ids and student_id != actor.student_id:
        raise NotFound()
    student = Student.objects.select_related("school_class__grade").get(pk=student_id)
    today = local_today()
    status = 200
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            day = date_field(request.POST, "date")
            bedtime = time_field(request.POST, "bedtime", required=False)
            wake = time_field(request.POST, "wake_time", required=False)
            if bedtime is None or wake is None:
                raise ValidationFailed.single("bedtime", _("请填写入睡和起床时间。"))
            services.sleep_report(
                actor=actor, student_id=student_id, day=day, bedtime=bedtime, wake_time=wake,
                today=today,
            )  # fmt: skip
            messages.success(request, _("已记录，谢谢！"))
            return redirect(request.get_full_path())
        except ValidationFailed as exc:
            status, errors = 422, exc.errors
    return render(
        request,
        "wellbeing/sleep_report.html",
        {
            "student": student,
            "nights": selectors.child_nights(student),
            "yesterday": today - dt.timedelta(days=1),
            "errors": errors,
        },
        status=status,
    )
