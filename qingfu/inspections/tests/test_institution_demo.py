"""The demo district's inspections of training institutions: a visit with findings, one
notice answered and closed, one overdue, one open — none dated after the demo's today."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from qingfu.inspections import institutions
from qingfu.inspections.models import (
    InstitutionItem,
    InstitutionNotice,
    InstitutionNoticeEvent,
    InstitutionVisit,
)
from qingfu.schools import demo
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_the_demo_officer_and_institution_have_inspections_to_read(settings: Any) -> None:
    settings.QINGFU_DEMO_ACTIVITIES = []
    settings.QINGFU_TODAY = TODAY.isoformat()
    settings.QINGFU_CLOCK = "16:00"
    demo.build(demo.BuildOptions(classes_per_grade=1, students_per_class=3, today=TODAY))
    visits = InstitutionVisit.objects.order_by("date")
    assert visits.count() == 2
    assert all(v.status == "completed" and v.date <= TODAY for v in visits)
    assert InstitutionItem.objects.filter(mark__in=("fails", "mostly")).count() == 3
    notices = InstitutionNotice.objects.all()
    assert sorted(n.status for n in notices) == ["closed", "open", "open"]
    for notice in notices:
        assert notice.issued_on <= TODAY and notice.issued_at.date() <= TODAY
        assert notice.closed_on is None or notice.closed_on <= TODAY
    assert all(
        e.at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() <= TODAY
        for e in InstitutionNoticeEvent.objects.all()
    )
    overdue = institutions.overdue_institution_notices(
        district_id=notices[0].district_id, today=TODAY
    )
    assert [row.notice.title for row in overdue] == ["关于严格执行备案课表的整改通知"]
    # The demo institution's clerk reads both of theirs; the officer all three.
    clerk = actor_for(User.objects.get(username="inst1"))
    assert institutions.notices_for(clerk).count() == 2
    officer = actor_for(User.objects.get(username="training"))
    assert institutions.notices_for(officer).count() == 3
