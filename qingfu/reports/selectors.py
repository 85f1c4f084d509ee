"""Who may have which report, and the period a request names.

A school admin gets their own school's report; a district officer gets their district's
report and the report of any school in it. Anything else is "not found", the same answer
as for a school or district that does not exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.text import long_date, month_day, year_month
from qingfu.reports.data import Period, ScopeKind
from qingfu.schools.models import District, School, Semester

MAX_PERIOD_DAYS = 400
PRESETS = ("week", "month", "semester", "custom")


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int
    name: str
    district_name: str
    school_ids: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.id}"


def _school_scope(school: School) -> Scope:
    return Scope("school", school.pk, school.name, school.district.name, (school.pk,))


def school_scope(school: School) -> Scope:
    """A school's scope, for a caller that has already asked whether the actor may see it
    (the 一表通's facts, ``reports.yibiaotong``)."""
    return _school_scope(school)


def _district_scope(district: District) -> Scope:
    ids = tuple(
        School.objects.filter(district=district).order_by("id").values_list("id", flat=True)
    )
    return Scope("district", district.pk, district.name, district.name, ids)


def training_scope(actor: Actor, district_id: int | None) -> Scope:
    """A district whose training supervision the actor may report on: its training officer
    or its education bureau's officers (the first of theirs when none is asked)."""
    allowed = actor.training_district_ids | actor.district_ids
    if district_id is None and allowed:
        district_id = min(allowed)
    district = District.objects.filter(id=district_id).first() if district_id in allowed else None
    if district is None:
        raise NotFound()
    return _district_scope(district)


def scopes_for(actor: Actor) -> list[Scope]:
    """Every scope the actor may report on: their districts first, then schools."""
    out = [
        _district_scope(d)
        for d in District.objects.filter(id__in=actor.district_ids).order_by("id")
    ]
    schools = (
        School.objects.select_related("district")
        .filter(Q(id__in=actor.admin_school_ids) | Q(district_id__in=actor.district_ids))
        .order_by("district_id", "name")
    )
    out.extend(_school_scope(s) for s in schools)
    return out


def scope_get(actor: Actor, *, kind: str, scope_id: int) -> Scope:
    """The scope if the actor may see it; NotFound for a missing or forbidden one alike."""
    if kind == "district" and scope_id in actor.district_ids:
        district = District.objects.filter(id=scope_id).first()
        if district is not None:
            return _district_scope(district)
    if kind == "school":
        school = School.objects.select_related("district").filter(id=scope_id).first()
        if school is not None and (
            school.pk in actor.admin_school_ids or school.district_id in actor.district_ids
        ):
            return _school_scope(school)
    raise NotFound()


def _range_label(start: dt.date, end: dt.date) -> str:
    last = month_day(end) if start.year == end.year else long_date(end)
    return _("%(start)s至%(end)s") % {"start": long_date(start), "end": last}


def period_for(
    *,
    scope: Scope,
    preset: str,
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Period:
    """This week, this month, this semester (the scope's semester holding today, else the
    latest one that started), or custom dates; end before start is an error."""
    if preset == "week":
        monday = today - dt.timedelta(days=today.weekday())
        sunday = monday + dt.timedelta(days=6)
        label = _("%(monday)s至%(sunday)s这一周") % {
            "monday": month_day(monday),
            "sunday": month_day(sunday),
        }
        return Period(monday, sunday, label, is_named=False)
    if preset == "month":
        first = today.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return Period(first, following - dt.timedelta(days=1), year_month(first))
    if preset == "semester":
        semesters = Semester.objects.filter(school_id__in=scope.school_ids)
        semester = (
            semesters.filter(start__lte=today, end__gte=today).order_by("start").first()
            or semesters.filter(start__lte=today).order_by("-start").first()
        )
        if semester is None:
            raise ValidationFailed.single("preset", _("尚未登记学期，请选择具体日期。"))
        return Period(semester.start, semester.end, semester.name)
    if preset != "custom":
        raise ValidationFailed.single("preset", _("请选择统计时段。"))
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["start"] = [_("请填写开始日期。")]
    if end is None:
        errors["end"] = [_("请填写结束日期。")]
    if errors:
        raise ValidationFailed(errors)
    assert start is not None and end is not None
    if end < start:
        raise ValidationFailed.single("end", _("结束日期早于开始日期，请重新选择。"))
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed.single(
            "end",
            ngettext("统计时段不能超过 %(n)d 天。", "统计时段不能超过 %(n)d 天。", MAX_PERIOD_DAYS)
            % {"n": MAX_PERIOD_DAYS},
        )
    return Period(start, end, _range_label(start, end), is_named=False)
