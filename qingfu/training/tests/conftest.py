from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from qingfu.conftest import World
from qingfu.core.actor import Actor
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Unit
from qingfu.training.models import Category, Course, Institution
from qingfu.training.services import CourseInput, course_file
from qingfu.training.tests import factories as tf


@dataclass
class TrainingWorld:
    world: World
    mine: Institution  # academic, non-profit, in d1
    other: Institution  # non-academic, in d1
    far: Institution  # in d2
    course: Course  # mine's filed course, 45-minute lessons
    people: tf.People

    def actor(self, who: str) -> Actor:
        return actor_for(getattr(self.people, who))


TODAY = "2026-11-02"  # a Monday of the autumn semester


@pytest.fixture
def tw(world: World, settings: Any) -> TrainingWorld:
    settings.QINGFU_TODAY = TODAY
    # The shared world's own institution (the role matrix's) makes way for this world's.
    Unit.objects.filter(district=world.d1, kind=Unit.Kind.INSTITUTION).delete()
    tf.autumn_semester(world.a)
    tf.autumn_semester(world.b)
    mine = tf.institution(world.d1, name="青禾启明学科培训中心")
    other = tf.institution(world.d1, name="青禾小白鹭舞蹈", category=Category.NON_ACADEMIC)
    far = tf.institution(world.d2, name="外区培训学校")
    people = tf.people(world.d1, mine, other)
    course = course_file(
        actor=actor_for(people.staff),
        institution_id=mine.pk,
        data=CourseInput(
            name="初二数学同步",
            subject="数学",
            grade_from=8,
            grade_to=8,
            lesson_minutes=45,
            benchmark_price=Decimal(100),
            price=Decimal(105),
        ),
    )
    return TrainingWorld(world, mine, other, far, course, people)
