"""Giving a seat up and the waitlist behind it: a freed seat goes to the first child in line
who holds no other club in that segment (callers hold the club's lock)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.afterschool import selectors
from qingfu.afterschool.models import (
    Club,
    Seat,
)
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound


def seat_withdraw(*, actor: Actor, seat_id: int) -> Seat:
    seat = Seat.objects.filter(id=seat_id).first()
    if seat is None or seat.student_id not in actor.child_student_ids:
        raise NotFound()
    if seat.status == Seat.Status.WITHDRAWN:
        return seat
    with transaction.atomic():
        seat_release(seat, note=_("家长退出"))
    return seat


def seat_release(seat: Seat, *, note: str) -> None:
    club = Club.objects.select_for_update().get(pk=seat.club_id)
    was_enrolled = seat.status == Seat.Status.ENROLLED
    seat.status = Seat.Status.WITHDRAWN
    seat.note = note
    seat.decided_at = timezone.now()
    seat.save(update_fields=["status", "note", "decided_at"])
    if was_enrolled:
        waitlist_promote(club)


def waitlist_promote(club: Club) -> None:
    """Fill free seats from the head of the waitlist (caller holds the club lock)."""
    now = timezone.now()
    free = club.capacity - Seat.objects.filter(club=club, status=Seat.Status.ENROLLED).count()
    for seat in selectors.waitlist(club):
        if free <= 0:
            break
        busy = Seat.objects.filter(
            student_id=seat.student_id, segment_id=club.segment_id, status=Seat.Status.ENROLLED
        ).exists()
        if busy:
            continue
        seat.status = Seat.Status.ENROLLED
        seat.source = Seat.Source.WAITLIST
        seat.decided_at = now
        seat.save(update_fields=["status", "source", "decided_at"])
        free -= 1
