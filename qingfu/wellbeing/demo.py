"""The demo school's day: lessons from 8:20 (primary) and 8:00 (junior), a 30-minute 大课间."""

from __future__ import annotations

import datetime as dt
import random

from qingfu.schools.models import School
from qingfu.wellbeing.models import SchoolDay


def build_school_day(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    SchoolDay.objects.get_or_create(
        school=school,
        defaults={
            "primary_start": dt.time(8, 20),
            "junior_start": dt.time(8, 0),
            "break_minutes": 30,
            "lesson_minutes": 40,
        },
    )
