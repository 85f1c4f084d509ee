"""Many families at once: no club is overbooked, no request is lost, every answer is definite."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from qingfu.afterschool import services
from qingfu.afterschool.models import Program, Seat
from qingfu.afterschool.selectors import SeatAnswer
from qingfu.afterschool.tests.helpers import actor, add_club, family, sign_up, standard_program
from qingfu.schools.tests import factories as f

FAMILIES = 12
SEATS = 4


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


def _rush(world, batch_minutes: int) -> tuple[Program, list[SeatAnswer | Exception]]:
    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "篮球", SEATS)
    pupils = [f.StudentFactory(school_class=world.c31) for _ in range(FAMILIES)]
    families = []
    for k, pupil in enumerate(pupils):
        user = family(pupil, f"rush{k}")
        sign_up(user, pupil)
        families.append(actor(user))
    services.open_round_start(
        actor=actor(world.users["admin_a"]), program_id=program.pk, batch_minutes=batch_minutes
    )
    barrier = threading.Barrier(FAMILIES)
    answers: list[SeatAnswer | Exception] = []

    def request(k: int) -> None:
        try:
            barrier.wait(timeout=20)
            answers.append(
                services.seat_request(actor=families[k], student_id=pupils[k].pk, club_id=club.pk)
            )
        except Exception as exc:  # a lost request must show up in the assertion
            answers.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=request, args=(k,)) for k in range(FAMILIES)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return program, answers


@pytest.mark.django_db(transaction=True)
def test_a_rush_after_the_window_fills_the_club_exactly_and_queues_the_rest(world) -> None:
    _program, answers = _rush(world, batch_minutes=0)
    assert not [a for a in answers if isinstance(a, Exception)]
    statuses = Counter(a.status for a in answers if isinstance(a, SeatAnswer))
    assert statuses == {"enrolled": SEATS, "waitlisted": FAMILIES - SEATS}
    positions = sorted(a.position for a in answers if isinstance(a, SeatAnswer) and a.position)
    assert positions == list(range(1, FAMILIES - SEATS + 1))
    assert Seat.objects.filter(status="enrolled").count() == SEATS


@pytest.mark.django_db(transaction=True)
def test_a_rush_inside_the_window_is_settled_by_lottery(world) -> None:
    program, answers = _rush(world, batch_minutes=5)
    assert [a.status for a in answers if isinstance(a, SeatAnswer)] == ["pending"] * FAMILIES
    Program.objects.filter(pk=program.pk).update(
        open_round_at=timezone.now() - dt.timedelta(minutes=6)
    )
    assert services.open_round_settle(program_id=program.pk) == FAMILIES
    assert services.open_round_settle(program_id=program.pk) == 0  # once only
    counts = Counter(Seat.objects.values_list("status", flat=True))
    assert counts == {"enrolled": SEATS, "waitlisted": FAMILIES - SEATS}
    enrolled = set(Seat.objects.filter(status="enrolled").values_list("lottery_key", flat=True))
    everyone = sorted(Seat.objects.values_list("lottery_key", flat=True))
    assert enrolled == set(everyone[:SEATS])
