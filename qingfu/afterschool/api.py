"""JSON endpoints for after-school services: clubs with seats left, a seat request in the
open round (always a definite answer), giving a seat up, and a child's seats."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Router, Schema

from qingfu.afterschool import selectors, services
from qingfu.afterschool.models import Seat
from qingfu.core.api import ERRORS
from qingfu.core.errors import NotFound
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.selectors import student_get


def _(text: str) -> str:
    """An endpoint's summary, translated when the OpenAPI document is rendered."""
    return cast(str, gettext_lazy(text))


router = Router(tags=["afterschool"])


class SeatIn(Schema):
    student_id: int
    club_id: int


class SeatAnswerOut(Schema):
    status: str  # enrolled / waitlisted / pending / refused
    club: str
    position: int | None = None
    reason: str = ""
    settles_at: dt.datetime | None = None


class ClubOut(Schema):
    id: int
    name: str
    segment: int
    weekdays: list[int]
    seats_left: int


class ChildSeatOut(Schema):
    id: int
    club_id: int
    club: str
    segment: int
    status: str
    position: int | None = None


@router.post(
    "/afterschool/seats",
    response={200: SeatAnswerOut, **ERRORS},
    summary=_("补报名：申请社团名额（录取、候补或说明原因）"),
)
def seat_request(request: HttpRequest, payload: SeatIn) -> dict[str, Any]:
    answer = services.seat_request(
        actor=actor_from_request(request), student_id=payload.student_id, club_id=payload.club_id
    )
    return {
        "status": answer.status,
        "club": answer.club_name,
        "position": answer.position,
        "reason": answer.reason,
        "settles_at": answer.settles_at,
    }


@router.delete(
    "/afterschool/seats/{seat_id}", response={200: ChildSeatOut, **ERRORS}, summary=_("退出社团")
)
def seat_withdraw(request: HttpRequest, seat_id: int) -> dict[str, Any]:
    seat = services.seat_withdraw(actor=actor_from_request(request), seat_id=seat_id)
    return _seat_out(seat, None)


def _seat_out(seat: Seat, position: int | None) -> dict[str, Any]:
    return {
        "id": seat.pk,
        "club_id": seat.club_id,
        "club": seat.club.name,
        "segment": seat.segment.order,
        "status": seat.status,
        "position": position,
    }


@router.get(
    "/afterschool/children/{student_id}/seats",
    response={200: list[ChildSeatOut], **ERRORS},
    summary=_("孩子的社团名额"),
)
def child_seats(request: HttpRequest, student_id: int) -> list[dict[str, Any]]:
    return [_seat_out(cs.seat, cs.position) for cs in _child_view(request, student_id).seats]


def _child_view(request: HttpRequest, student_id: int) -> selectors.ChildView:
    actor = actor_from_request(request)
    if student_id not in actor.child_student_ids:
        raise NotFound()
    student = student_get(actor, student_id)
    program = selectors.program_of_student(actor, student, local_today())
    return selectors.child_view(actor, program, student, local_today())


@router.get(
    "/afterschool/children/{student_id}/clubs",
    response={200: list[ClubOut], **ERRORS},
    summary=_("孩子可以报名的社团及余位"),
)
def child_clubs(request: HttpRequest, student_id: int) -> list[dict[str, Any]]:
    view = _child_view(request, student_id)
    return [
        {
            "id": club.pk,
            "name": club.name,
            "segment": club.segment.order,
            "weekdays": club.weekdays,
            "seats_left": view.free[club.pk],
        }
        for clubs in view.eligible.values()
        for club in clubs
    ]
