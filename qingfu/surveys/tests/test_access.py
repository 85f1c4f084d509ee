"""Who may do what, through the pages: refusals change nothing."""

from __future__ import annotations

import pytest

from qingfu.conftest import World
from qingfu.surveys.models import Invitation, Response, Survey
from qingfu.surveys.tests.factories import GOOD, draft, opened

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock

# (who, expected status) for opening and closing a survey of school A.
MANAGE = [
    ("anonymous", 302),  # to the login page
    ("admin_b", 404),  # another school of the same district
    ("officer_d2", 404),  # another district
    ("guardian1", 404),  # a respondent, wrong role
    ("head31", 404),  # a teacher of the school, wrong role
    ("inspector_a", 403),  # sees the results, may not run the survey
    ("admin_a", 302),
    ("officer_d1", 302),  # the district runs any of its schools' surveys
]


@pytest.mark.parametrize(("who", "status"), MANAGE)
def test_opening(world: World, who: str, status: int) -> None:
    survey = draft(world.users["admin_a"], world.a)
    response = world.client(who).post(f"/surveys/{survey.pk}/open/")
    assert response.status_code == status
    survey.refresh_from_db()
    allowed = who in ("admin_a", "officer_d1")
    assert survey.status == ("open" if allowed else "draft")
    assert Invitation.objects.exists() is allowed


@pytest.mark.parametrize(("who", "status"), MANAGE)
def test_closing(world: World, who: str, status: int) -> None:
    survey = opened(world.users["admin_a"], world.a)
    assert world.client(who).post(f"/surveys/{survey.pk}/close/").status_code == status
    survey.refresh_from_db()
    assert survey.status == ("closed" if who in ("admin_a", "officer_d1") else "open")


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("admin_b", 404), ("officer_d2", 404), ("guardian1", 404),
     ("head31", 404), ("inspector_a", 200), ("admin_a", 200), ("officer_d1", 200)],
)  # fmt: skip
def test_results(world: World, who: str, status: int) -> None:
    survey = opened(world.users["admin_a"], world.a)
    assert world.client(who).get(f"/surveys/{survey.pk}/results/").status_code == status


@pytest.mark.parametrize(
    ("who", "status", "created"),
    [("anonymous", 302, False), ("guardian1", 404, False), ("head31", 404, False),
     ("inspector_a", 404, False), ("admin_b", 404, False), ("admin_a", 302, True)],
)  # fmt: skip
def test_creating_for_school_a(world: World, who: str, status: int, created: bool) -> None:
    response = world.client(who).post(
        "/surveys/",
        {"title": "调查", "scope": f"school:{world.a.pk}", "audiences": ["guardian"]},
    )
    assert response.status_code == status
    assert Survey.objects.exists() is created


def test_a_district_survey_cannot_be_created_by_another_district(world: World) -> None:
    response = world.client("officer_d2").post(
        "/surveys/", {"title": "调查", "scope": f"district:{world.d1.pk}", "audiences": ["teacher"]}
    )
    assert response.status_code == 404
    assert not Survey.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "guardian2", "admin_a", "officer_d1"])
def test_only_the_invitee_may_answer(world: World, who: str) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    url = f"/surveys/answer/{invitation.pk}/"
    client = world.client(who)
    assert client.get(url).status_code in (302, 404)
    assert client.post(url, GOOD["guardian"]).status_code in (302, 404)
    if who != "anonymous":
        assert client.post(url, GOOD["guardian"]).status_code == 404
    assert not Response.objects.exists()
