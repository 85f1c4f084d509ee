"""The demo district's training records: the shape the issue asks for, built through the
services (so every filed record passed the policy) and the two demo accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from qingfu.core.roles import Role
from qingfu.schools import demo
from qingfu.schools.actors import actor_for
from qingfu.training.models import Complaint, Filing, Institution, PrepaidCharge, Session

pytestmark = pytest.mark.django_db


def test_the_demo_district_has_its_training_registry(settings: Any) -> None:
    settings.QINGFU_DEMO_ACTIVITIES = []  # the schools' activity is not what is tested here
    settings.QINGFU_TODAY = "2026-11-23"
    settings.QINGFU_CLOCK = "16:00"  # the demo's inspections stamp their steps
    accounts = demo.build(
        demo.BuildOptions(classes_per_grade=1, students_per_class=3, today=dt.date(2026, 11, 23))
    )
    assert Institution.objects.count() == 30
    assert set(Institution.objects.values_list("category", flat=True)) == {
        "academic",
        "non-academic",
    }
    statuses = list(Institution.objects.values_list("status", flat=True))
    assert statuses.count("blacklisted") == 1 and statuses.count("rectifying") == 1
    assert Institution.objects.filter(category="academic", is_nonprofit=True).count() == 12
    refused = Institution.objects.filter(courses__status=Filing.Status.REFUSED).distinct()
    assert refused.count() == 3
    assert Session.objects.filter(status="filed").count() >= 50
    assert PrepaidCharge.objects.filter(months__gt=3).count() == 0
    for status in Complaint.Status.values:
        assert Complaint.objects.filter(status=status).count() == 3, status
    assert Complaint.objects.count() == 15
    usernames = [row[1] for row in accounts.rows]
    assert "training" in usernames and "inst1" in usernames
    officer = User.objects.get(username="training")
    assert officer.check_password("qingfu2026")
    assert Role.TRAINING_OFFICER in actor_for(officer).roles
    clerk = actor_for(User.objects.get(username="inst1"))
    assert clerk.units_as(Role.INSTITUTION_STAFF)
    assert {"training", "inst1"} <= {row[1] for row in demo.existing_accounts()}
