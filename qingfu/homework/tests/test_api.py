"""Homework over the JSON API: same services, same answers, field-named errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from qingfu.conftest import World
from qingfu.homework.models import Assignment, LoadException
from qingfu.schools.models import Subject


def _payload(world: World, minutes: int, **extra: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "subject_id": Subject.objects.get(school=world.a, code="math").pk,
        "class_ids": [world.c31.pk],
        "date": "2026-11-23",
        "due_on": "2026-11-24",
        "items": [{"content": "口算", "minutes": minutes}],
    }
    payload.update(extra)
    return payload


CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_the_409_answer_reads_in_english_for_an_english_reader(world: World) -> None:
    client = world.client("math3")
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post("/api/v1/homework", _payload(world, 75), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["message"].startswith("Grade 3 (1): "), body["message"]
    assert not CHINESE.search(body["message"]), body["message"]
    assert not CHINESE.search(body["classes"][0]["verdicts"][0]["message"])
    client.post("/language/", {"language": "zh-hans", "next": "/"})
    chinese = client.post("/api/v1/homework", _payload(world, 75), content_type="application/json")
    assert chinese.json()["message"].startswith("三年级(1)班：")
    assert not Assignment.objects.exists()


def test_check_publish_and_read_back(world: World) -> None:
    client = world.client("math3")
    [day] = client.post(
        "/api/v1/homework/check", _payload(world, 20), content_type="application/json"
    ).json()
    assert (day["minutes_after"], day["cap"], day["status"]) == (20, 60, "ok")
    response = client.post("/api/v1/homework", _payload(world, 20), content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "published"
    items = (
        world.client("guardian1")
        .get(f"/api/v1/classes/{world.c31.pk}/homework?date=2026-11-23")
        .json()
    )
    assert items[0]["content"] == "口算" and items[0]["counts_toward_cap"] is True
    assert (
        world.client("guardian2")
        .get(f"/api/v1/classes/{world.c31.pk}/homework?date=2026-11-23")
        .status_code
        == 404
    )


def test_over_cap_is_409_with_the_reasons(world: World) -> None:
    client = world.client("math3")
    response = client.post("/api/v1/homework", _payload(world, 75), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["can_request_exception"] is True
    assert body["classes"][0]["verdicts"][0]["rule_id"] == "hw.cap.g3-6"
    assert not Assignment.objects.exists()
    pending = client.post(
        "/api/v1/homework",
        _payload(world, 75, exception_reason="复习"),
        content_type="application/json",
    )
    assert pending.json()["status"] == "pending"
    request = LoadException.objects.get()
    decided = world.client("leader3").post(
        f"/api/v1/homework/exceptions/{request.pk}/decision",
        {"grant": True, "reason": "同意"},
        content_type="application/json",
    )
    assert decided.json()["status"] == "published"


def test_absurd_minutes_are_named(world: World) -> None:
    response = world.client("math3").post(
        "/api/v1/homework", _payload(world, 1000), content_type="application/json"
    )
    assert response.status_code == 422
    assert "items.0.minutes" in response.json()["errors"]
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("item", "flags"),
    [
        ({"minutes": 30}, {}),
        ({"minutes": 75}, {}),  # over the cap
        ({"minutes": 20, "asks_parents_to_grade": True}, {}),
        ({"minutes": 20, "needs_phone": True}, {}),
        ({"minutes": 20, "is_punitive": True}, {}),
        ({"minutes": 90, "kind": "oral"}, {"is_written": False}),  # not counted
        ({"minutes": 90, "place": "school"}, {"at_home": False}),
    ],
)
def test_the_check_endpoint_and_publishing_agree(
    world: World, item: dict[str, Any], flags: dict[str, bool]
) -> None:
    """One check decides both: the endpoint never says ok to what publishing refuses (items
    asking parents to grade, phone check-in …), nor refuses what publishing accepts."""
    client = world.client("math3")
    bans = {
        k: v
        for k, v in item.items()
        if k in ("asks_parents_to_grade", "needs_phone", "is_punitive")
    }
    checked = client.post(
        "/api/v1/policy/check/class-day",
        {
            "class_id": world.c31.pk,
            "date": "2026-11-23",
            "items": [{"subject": "math", "minutes": item["minutes"], **flags, **bans}],
        },
        content_type="application/json",
    )
    assert checked.status_code == 200
    refused_by_check = {v["rule_id"] for v in checked.json() if v["status"] == "violation"}
    published = client.post(
        "/api/v1/homework",
        _payload(world, item["minutes"], items=[{"content": "练习", **item}]),
        content_type="application/json",
    )
    assert published.status_code in (200, 409)
    refused_by_publish = {
        v["rule_id"]
        for day in (published.json().get("classes") or [])
        for v in day["verdicts"]
        if v["status"] == "violation"
    }
    assert refused_by_check == refused_by_publish
    assert bool(refused_by_check) == (published.status_code == 409)
    assert Assignment.objects.exists() == (published.status_code == 200)
