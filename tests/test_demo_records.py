"""The demo as a person builds it (today's date): no record is dated after today, and what
its texts say agrees with its records (issue 19 item 11).

Every DateField and DateTimeField of every model is checked, except the fields that hold a
plan (a semester's last day, a deadline, next semester's program): those are named below,
each with why it may lie ahead.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from qingfu.schools.calendars import local_today

pytestmark = pytest.mark.django_db

# (app_label.Model, field): dates that are plans, not records of something done.
PLANNED = {
    ("schools.Semester", "start"),  # next semester is registered (its programme's choices)
    ("schools.Semester", "end"),  # this semester runs on
    ("homework.Assignment", "date"),  # homework set ahead for the next school day
    ("homework.Assignment", "due_on"),
    ("homework.AssignmentClass", "date"),
    ("homework.ClassDay", "date"),  # the class-day that homework lands on
    ("afterschool.Signup", "valid_from"),  # next semester's signups
    ("assessment.Exam", "date"),  # exams planned for the rest of the semester
    ("training.Institution", "licence_to"),  # a licence's expiry
    ("training.Session", "term_first"),  # a course's term filed before it starts
    ("training.Session", "term_last"),  # a course's last day
    ("training.Complaint", "deadline"),  # the day an answer is due
    ("burden.Demand", "day"),  # a meeting or inspection planned
    ("burden.Demand", "last_day"),
    ("inspections.Notice", "deadline"),  # a rectification's deadline
    ("inspections.InstitutionNotice", "deadline"),
}
# Planned for this week only: the week's after-school duty roster is made before the week
# starts, so its sessions after today are on record; none may lie in a later week.
THIS_WEEK = {("afterschool.Session", "date")}


def _dated_fields() -> list[tuple[type[models.Model], models.Field]]:
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("qingfu."):
            continue
        for field in model._meta.concrete_fields:
            dated = isinstance(field, models.DateField | models.DateTimeField)
            if dated and (model._meta.label, field.name) not in PLANNED:
                found.append((model, field))
    return found


@pytest.mark.clock
def test_no_demo_record_is_dated_in_the_future_and_the_reply_agrees() -> None:
    call_command("demo", "--schools", "2", "--classes-per-grade", "2", "--students-per-class", "6", stdout=StringIO())  # fmt: skip
    today = local_today()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), dt.UTC) + dt.timedelta(
        hours=16
    )
    sunday = today + dt.timedelta(days=6 - today.weekday())
    future = []
    for model, field in _dated_fields():
        if isinstance(field, models.DateTimeField):
            limit: object = tomorrow  # the end of today in China (UTC+8), as a UTC instant
        elif (model._meta.label, field.name) in THIS_WEEK:
            limit = sunday
        else:
            limit = today
        late = model._default_manager.filter(**{f"{field.name}__gt": limit})
        count = late.count()
        if count:
            first = late.order_by(f"-{field.name}").values_list(field.name, flat=True)[0]
            future.append(f"{model._meta.label}.{field.name}: {count} (latest {first})")
    assert not future, "\n".join(future)

    # The school's reply to the closed notice speaks of its over-cap class-days since the
    # notice: as many as the records hold (publishing over the cap needs a granted exception).
    from qingfu.homework.models import LoadException
    from qingfu.inspections.models import Notice

    closed = Notice.objects.filter(status="closed").exclude(response="")
    assert closed.exists()
    for notice in closed:
        assert notice.responded_on and notice.responded_on <= today
        over = set(
            LoadException.objects.filter(
                school_id=notice.school_id,
                status="granted",
                date__gte=notice.issued_on,
                date__lt=notice.responded_on,
            ).values_list("school_class_id", "date")
        )
        if over:
            assert f"超量班级日 {len(over)} 个" in notice.response, notice.response
            assert "未再出现" not in notice.response
        else:
            assert "未再出现超量班级日" in notice.response, notice.response
