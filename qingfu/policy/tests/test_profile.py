"""The national profile as data, and the stricter-never-looser override chain."""

from __future__ import annotations

import pytest

from qingfu.policy.profile import (
    Override,
    PolicyOverrideError,
    apply_overrides,
    load_national,
    validate_override,
)

BRIEF_RULES = {
    "hw.cap.g1-2", "hw.cap.g3-6", "hw.cap.g7-9", "hw.cap.weekend", "hw.in-school",
    "hw.bedtime-first", "hw.no-parents", "hw.no-phone", "hw.written-subjects",
    "sleep.hours", "sleep.bedtime", "sleep.school-start", "exam.g1-2", "exam.count",
    "exam.duration", "exam.no-regional", "exam.results", "asvc.days", "asvc.duration",
    "asvc.end", "asvc.voluntary", "asvc.evening-study", "asvc.flexible-hours",
    "fitness.daily", "fitness.pe-lessons", "trn.times", "trn.prices", "tb.secondment",
}  # fmt: skip


def test_national_profile_has_every_rule_with_citation_and_messages() -> None:
    profile = load_national()
    assert set(profile.rules) >= BRIEF_RULES
    for rule in profile.rules.values():
        assert rule.citation.startswith("《"), rule.id
        assert rule.message_zh and rule.message_en, rule.id
        assert rule.source in {"national", "prov.", "inferred"}, rule.id
        assert rule.severity in {"violation", "warn"}, rule.id


@pytest.mark.parametrize(
    ("rule_id", "key", "value"),
    [
        ("hw.cap.g1-2", None, 0),
        ("hw.cap.g3-6", None, 60),
        ("hw.cap.g7-9", None, 90),
        ("sleep.bedtime", "primary", "21:20"),
        ("sleep.bedtime", "junior", "22:00"),
        ("sleep.hours", "primary", 10),
        ("asvc.duration", None, 120),
        ("asvc.days", None, 5),
        ("exam.duration", "g3-4", 60),
        ("fitness.pe-lessons", "g1-2", 4),
    ],
)
def test_brief_numbers(rule_id: str, key: str | None, value: object) -> None:
    assert load_national().threshold(rule_id, key) == value


def test_stricter_overrides_apply_in_order() -> None:
    profile = apply_overrides(
        load_national(),
        [
            Override(
                "province", "浙江省", {"hw.cap.g3-6": 55, "sleep.bedtime": {"primary": "21:00"}}
            ),
            Override("district", "青禾区", {"hw.cap.g3-6": 50, "asvc.end": "17:45"}),
            Override("school", "Q0001", {"hw.written-subjects": {"primary": ["chinese", "math"]}}),
        ],
    )
    assert profile.threshold("hw.cap.g3-6") == 50
    assert profile.threshold("sleep.bedtime", "primary") == "21:00"
    assert profile.threshold("sleep.bedtime", "junior") == "22:00"  # untouched key kept
    assert profile.threshold("asvc.end") == "17:45"
    assert profile.threshold("hw.written-subjects", "primary") == ("chinese", "math")
    assert profile.lineage == ("national", "province:浙江省", "district:青禾区", "school:Q0001")


@pytest.mark.parametrize(
    ("thresholds", "fragment"),
    [
        (
            {"hw.cap.g3-6": 75},
            "规则 hw.cap.g3-6：区县级设定 75 分钟，宽于上级的 60 分钟；下级只能更严格。",
        ),
        ({"sleep.bedtime": {"primary": "21:40"}}, "宽于上级的 21:20"),
        ({"asvc.duration": 90}, "宽于上级的 120 分钟"),
        ({"asvc.end": "17:00"}, "宽于上级的 17:30"),
        ({"hw.no-phone": False}, "宽于上级"),
        ({"hw.written-subjects": {"primary": ["chinese", "music"]}}, "宽于上级"),
        ({"hw.cap.g9": 10}, "未知的规则 hw.cap.g9"),
        ({"sleep.bedtime": "21:00"}, "须按"),
        ({"sleep.bedtime": {"kindergarten": "20:00"}}, "没有“kindergarten”一项"),
        ({"hw.cap.g3-6": "sixty"}, "应为非负数字"),
        ({"sleep.bedtime": {"primary": "9pm"}}, "应为时间"),
    ],
)
def test_looser_or_malformed_overrides_are_refused(
    thresholds: dict[str, object], fragment: str
) -> None:
    override = Override("district", "青禾区", thresholds)
    problems = validate_override(load_national(), override)
    assert problems and any(fragment in p.message_zh for p in problems), [
        p.message_zh for p in problems
    ]
    with pytest.raises(PolicyOverrideError):
        apply_overrides(load_national(), [override])


def test_a_lower_level_is_checked_against_the_level_above_it() -> None:
    with pytest.raises(PolicyOverrideError, match="宽于上级的 50 分钟"):
        apply_overrides(
            load_national(),
            [
                Override("district", "d", {"hw.cap.g3-6": 50}),
                Override("school", "s", {"hw.cap.g3-6": 55}),
            ],
        )


def test_levels_must_come_in_order() -> None:
    with pytest.raises(PolicyOverrideError, match="顺序"):
        apply_overrides(
            load_national(),
            [Override("school", "s", {}), Override("district", "d", {})],
        )
