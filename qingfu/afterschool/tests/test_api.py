"""The after-school JSON API: a seat request answered definitely, with field errors."""

from __future__ import annotations

import pytest

from qingfu.afterschool import services
from qingfu.afterschool.tests.helpers import actor, add_club, sign_up, standard_program


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


def test_seat_request_over_the_api(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    club = add_club(world.users["admin_a"], program, "足球", 1)
    sign_up(world.users["guardian1"], world.s1)
    client = world.client("guardian1")
    closed = client.post(
        "/api/v1/afterschool/seats",
        {"student_id": world.s1.pk, "club_id": club.pk},
        content_type="application/json",
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "refused" and closed.json()["reason"] == "补报名尚未开放。"
    services.open_round_start(
        actor=actor(world.users["admin_a"]), program_id=program.pk, batch_minutes=0
    )
    clubs = client.get(f"/api/v1/afterschool/children/{world.s1.pk}/clubs").json()
    assert [(c["name"], c["seats_left"]) for c in clubs] == [("足球", 1)]
    ok = client.post(
        "/api/v1/afterschool/seats",
        {"student_id": world.s1.pk, "club_id": club.pk},
        content_type="application/json",
    )
    assert ok.json() | {"settles_at": None} == {
        "status": "enrolled", "club": "足球", "position": None, "reason": "", "settles_at": None,
    }  # fmt: skip
    seats = client.get(f"/api/v1/afterschool/children/{world.s1.pk}/seats").json()
    assert [(s["club"], s["status"]) for s in seats] == [("足球", "enrolled")]
    # Someone else's child: not found; a malformed body: field-named error.
    other = client.post(
        "/api/v1/afterschool/seats",
        {"student_id": world.s2.pk, "club_id": club.pk},
        content_type="application/json",
    )
    assert other.status_code == 404
    bad = client.post(
        "/api/v1/afterschool/seats", {"student_id": "x"}, content_type="application/json"
    )
    assert bad.status_code == 422
    gone = client.delete(f"/api/v1/afterschool/seats/{seats[0]['id']}")
    assert gone.json()["status"] == "withdrawn"
