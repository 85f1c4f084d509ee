"""Demo rollups: the demo's activity is bulk-loaded, so its rollups are built once after it."""

from __future__ import annotations

import datetime as dt
import random

from qingfu.oversight.services import rollups_rebuild
from qingfu.schools.models import School


def build_rollups(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    rollups_rebuild(school_ids=[school.pk])
