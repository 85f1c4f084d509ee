"""The pages through the client: answer on a phone, thanks, results with suppression."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.conftest import World
from qingfu.schools.models import PolicyOverride
from qingfu.surveys import services
from qingfu.surveys.models import Invitation, Response
from qingfu.surveys.tests.factories import GOOD, actor, family, opened

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock

DAY = dt.date(2026, 10, 20)


def test_the_guardian_finds_the_survey_on_the_home_page_answers_and_is_thanked(
    world: World,
) -> None:
    survey = opened(world.users["admin_a"], world.a)
    client = world.client("guardian1")
    home = client.get("/").content.decode()
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    assert f"/surveys/answer/{invitation.pk}/" in home
    page = client.get(f"/surveys/answer/{invitation.pk}/").content.decode()
    assert "张小一" in page and "匿名" in page
    bad = client.post(f"/surveys/answer/{invitation.pk}/", GOOD["guardian"] | {"bedtime": ""})
    assert bad.status_code == 422
    assert "请回答" in bad.content.decode() and not Response.objects.exists()
    done = client.post(f"/surveys/answer/{invitation.pk}/", GOOD["guardian"], follow=True)
    assert "已提交，谢谢您" in done.content.decode()
    assert Response.objects.count() == 1
    again = client.post(f"/surveys/answer/{invitation.pk}/", GOOD["guardian"])
    assert again.status_code == 422 and "已经提交过" in again.content.decode()
    assert Response.objects.count() == 1
    assert f"/surveys/answer/{invitation.pk}/" not in client.get("/").content.decode()


def test_a_stray_field_is_named_and_nothing_is_saved(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    response = world.client("guardian1").post(
        f"/surveys/answer/{invitation.pk}/", GOOD["guardian"] | {"name": "张妈妈"}
    )
    assert response.status_code == 422
    assert "未知的问题" in response.content.decode()
    assert not Response.objects.exists()


def test_navigation_shows_the_survey_entry_to_admins_and_officers(world: World) -> None:
    for who in ("admin_a", "officer_d1"):
        assert "课业负担调查" in world.client(who).get("/").content.decode()
    assert '/surveys/"' not in world.client("head31").get("/").content.decode()


def _answer_all(survey_pk: int, minutes: str = "61-90") -> None:
    for invitation in Invitation.objects.filter(survey_id=survey_pk).select_related("user"):
        answers = GOOD[invitation.audience] | (
            {"hw_minutes": minutes} if invitation.audience != "teacher" else {}
        )
        services.response_submit(
            actor=actor(invitation.user), invitation_id=invitation.pk, answers=answers,
            today=DAY,
        )  # fmt: skip


def test_results_suppress_small_groups_and_show_large_ones(world: World) -> None:
    for k in range(5):
        family(world.c32, f"fam{k}")  # 3(2): 5 more guardians, 6 with guardian2
    survey = opened(world.users["admin_a"], world.a, audiences=("guardian",))
    _answer_all(survey.pk)
    page = world.client("admin_a").get(f"/surveys/{survey.pk}/results/").content.decode()
    # 7 guardians in grade 3 (guardian1, guardian2, fam0-4): shown; nobody else.
    assert "7/7" in page
    assert "人数不足" not in page
    assert "100%" in page  # 61-90 minutes is over grade 3's 60-minute cap for everyone
    PolicyOverride.objects.create(level="school", school=world.a, thresholds={"priv.min-group": 8})
    page = world.client("admin_a").get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "人数不足，不显示" in page and "少于 8 人" in page


def test_district_officer_sees_each_school_and_the_total_admins_only_their_own(
    world: World,
) -> None:
    survey = opened(world.users["officer_d1"], None, district_id=world.d1.pk)
    officer = world.client("officer_d1").get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "全区合计" in officer and "甲校" in officer and "乙校" in officer
    admin = world.client("admin_a").get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "全区合计" not in admin and "乙校" not in admin
    other = world.client("admin_a").get(f"/surveys/{survey.pk}/results/?school={world.b.pk}")
    assert other.status_code == 404


@pytest.mark.parametrize("who", ["admin_a", "officer_d1"])
def test_the_list_page_creates_a_draft(world: World, who: str) -> None:
    client = world.client(who)
    assert client.get("/surveys/").status_code == 200
    response = client.post(
        "/surveys/",
        {
            "title": "十月调查",
            "scope": f"school:{world.a.pk}",
            "audiences": ["guardian", "teacher"],
        },
        follow=True,
    )
    assert "已创建" in response.content.decode()
    bad = client.post("/surveys/", {"title": "", "scope": f"school:{world.a.pk}"})
    assert bad.status_code == 422 and "请填写调查标题" in bad.content.decode()


def test_results_and_list_query_counts_do_not_grow_with_answers(
    world: World, django_assert_max_num_queries: object
) -> None:
    for k in range(12):
        family(world.c32 if k % 2 else world.c71, f"fam{k}")
    survey = opened(world.users["officer_d1"], None, district_id=world.d1.pk)
    _answer_all(survey.pk)
    client = world.client("officer_d1")
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(f"/surveys/{survey.pk}/results/").status_code == 200
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(f"/surveys/{survey.pk}/results/?school={world.a.pk}").status_code == 200
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get("/surveys/").status_code == 200


def test_the_api_gives_the_same_scoped_and_suppressed_results(world: World) -> None:
    for k in range(5):
        family(world.c32, f"fam{k}")
    survey = opened(world.users["admin_a"], world.a, audiences=("guardian", "teacher"))
    _answer_all(survey.pk)
    body = world.client("admin_a").get(f"/api/v1/surveys/{survey.pk}/results").json()
    guardians = next(a for a in body["audiences"] if a["audience"] == "guardian")
    teachers = next(a for a in body["audiences"] if a["audience"] == "teacher")
    assert (guardians["responded"], guardians["invited"]) == (7, 7)
    minutes = next(q for q in guardians["questions"] if q["id"] == "hw_minutes")
    assert not minutes["suppressed"] and minutes["options"][3]["count"] == 7
    assert teachers["responded"] == 4 and teachers["comments"] is None  # fewer than 5
    assert all(q["suppressed"] and q["options"] is None for q in teachers["questions"])
    assert world.client("admin_b").get(f"/api/v1/surveys/{survey.pk}/results").status_code == 404
    doc = world.client("admin_a").get("/api/v1/openapi.json").json()
    assert "/api/v1/surveys/{survey_id}/results" in doc["paths"]


def test_a_district_total_leaves_out_a_school_too_small_to_show(world: World) -> None:
    for k in range(5):
        family(world.c32, f"fam{k}")
    family(world.b31, "lonely")  # the only guardian answering at school B
    survey = opened(world.users["officer_d1"], None, district_id=world.d1.pk)
    _answer_all(survey.pk, minutes="gt90")
    client = world.client("officer_d1")
    total = client.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "另有 1 所学校回答少于 5 份" in total
    b = client.get(f"/surveys/{survey.pk}/results/?school={world.b.pk}").content.decode()
    assert "人数不足，不显示" in b
    body = client.get(f"/api/v1/surveys/{survey.pk}/results").json()
    guardians = next(a for a in body["audiences"] if a["audience"] == "guardian")
    assert guardians["responded"] == 8  # counted in the rate ...
    minutes = next(q for q in guardians["questions"] if q["id"] == "hw_minutes")
    assert sum(o["count"] for o in minutes["options"]) == 7  # ... not in the distribution
