"""The national profile as data, profile files, and the stricter-never-looser overrides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings

from qingfu.policy.profile import (
    Override,
    PolicyOverrideError,
    ProfileError,
    apply_override,
    apply_overrides,
    load_national,
    load_profile_file,
    parse_profile,
    validate_override,
)
from qingfu.policy.rules import (
    DIRECTIONS,
    Rule,
    Scalar,
    day_minutes,
    evening_minutes,
    parse_time,
)
from qingfu.policy.subjects import SUBJECT_CODES
from qingfu.policy.tests.strategies import NATIONAL, stricter_override

BRIEF_RULES = {
    "hw.cap.g1-2", "hw.cap.g3-6", "hw.cap.g7-9", "hw.cap.weekend", "hw.in-school",
    "hw.bedtime-first", "hw.no-parents", "hw.no-phone", "hw.publicity", "hw.grading",
    "hw.training-orgs", "hw.no-homework-day", "hw.written-subjects", "hw.design.copying",
    "hw.design.no-punitive", "sleep.hours", "sleep.bedtime", "sleep.school-start",
    "phone.campus", "reading.recommend", "fitness.daily", "fitness.pe-lessons",
    "exam.g1-2", "exam.count", "exam.results", "exam.no-regional", "exam.duration",
    "afterschool.days", "afterschool.duration", "afterschool.end", "afterschool.voluntary", "afterschool.no-new-lessons",
    "afterschool.model", "afterschool.evening-study", "afterschool.flexible-hours", "afterschool.fees",
    "trn.no-holiday", "trn.nonprofit", "trn.times", "trn.prices", "trn.prepaid",
    "tb.inspection-list", "tb.campus-whitelist", "tb.no-traces", "tb.secondment", "tb.apps",
    "gr.documents", "gr.meetings", "gr.meeting-free-week", "gr.inspection-plan", "gr.no-ledgers",
    "gr.access-list", "gr.funding", "gr.certificates", "gr.apps-groups",
}  # fmt: skip

SHUANGJIAN = "《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》（2021）"


def test_national_profile_has_every_rule_of_the_brief() -> None:
    profile = load_national()
    assert (profile.id, profile.version, profile.level) == ("national", "2026.1", "national")
    assert set(profile.rules) >= BRIEF_RULES
    for rule in profile.rules.values():
        assert rule.citation.startswith("《") and "）" in rule.citation, rule.id
        assert rule.message_zh and rule.message_en, rule.id
        assert rule.source in {"national", "prov.", "inferred"}, rule.id
        assert rule.direction in DIRECTIONS, rule.id


def test_national_profile_is_cached_and_read_only() -> None:
    assert load_national() is load_national()
    with pytest.raises(TypeError):
        load_national().rules["hw.cap.g3-6"] = load_national().rule("hw.cap.g1-2")  # type: ignore[index]
    with pytest.raises(TypeError):
        load_national().rule("sleep.bedtime").threshold["primary"] = "23:00"  # type: ignore[index]


@pytest.mark.parametrize(
    ("rule_id", "key", "value"),
    [
        ("hw.cap.g1-2", None, 0),
        ("hw.cap.g3-6", None, 60),
        ("hw.cap.g7-9", None, 90),
        ("hw.cap.weekend", "g1-2", 0),
        ("hw.cap.weekend", "g3-6", 60),
        ("hw.cap.weekend", "g7-9", 90),
        ("hw.written-subjects", "primary", ("chinese", "math", "english")),
        ("sleep.hours", "primary", 10),
        ("sleep.hours", "junior", 9),
        ("sleep.hours", "senior", 8),
        ("sleep.bedtime", "primary", "21:20"),
        ("sleep.bedtime", "junior", "22:00"),
        ("sleep.bedtime", "senior", "23:00"),
        ("sleep.school-start", "primary", "08:20"),
        ("sleep.school-start", "junior", "08:00"),
        ("fitness.pe-lessons", "g1-2", 4),
        ("fitness.pe-lessons", "g3-9", 3),
        ("exam.g1-2", None, 0),
        ("exam.duration", "g3-4", 60),
        ("exam.duration", "g5-6", 90),
        ("exam.duration", "junior", 120),
        ("exam.bands", None, (4, 5)),
        ("afterschool.days", None, 5),
        ("afterschool.duration", None, 120),
        ("afterschool.end", None, "17:30"),
        ("afterschool.evening-study", None, "20:30"),
        ("trn.no-holiday", None, 0),
        ("trn.times", None, "20:30"),
        ("trn.times.online", None, "21:00"),
        ("trn.times.lesson", None, 30),
        ("trn.times.break", None, 10),
        ("trn.prices", None, 10),
        ("trn.prepaid", None, 3),
        ("trn.prepaid.hours", None, 60),
        ("trn.prepaid.account", None, True),
        ("trn.nonprofit", None, True),
        ("trn.nonprofit.certificate", None, True),
        ("tb.campus-whitelist", "items", 10),
        ("tb.campus-whitelist", "activities-per-semester", 6),
        ("tb.secondment", None, 6),
        ("gr.documents", None, -30),
        ("gr.meetings", None, 1),
        ("gr.meetings.target", None, -30),
        ("gr.meeting-free-week", None, 7),
        ("gr.inspection-plan.merge", None, 1),
        ("gr.inspection-plan.target", None, 0),
    ],
)
def test_brief_numbers(rule_id: str, key: str | None, value: object) -> None:
    assert load_national().threshold(rule_id, key) == value


def test_junior_written_subjects_and_sources() -> None:
    profile = load_national()
    assert set(profile.rule("hw.written-subjects").members("junior")) == {
        "chinese", "math", "english", "morality", "history", "geography", "biology",
        "physics", "chemistry",
    }  # fmt: skip
    assert profile.rule("hw.cap.weekend").source == "inferred"
    assert profile.rule("hw.written-subjects").source == "inferred"
    assert profile.rule("exam.duration").source == "prov."
    assert profile.rule("hw.cap.g3-6").citation == SHUANGJIAN
    assert profile.rule("sleep.bedtime").citation == (
        "《关于进一步加强中小学生睡眠管理工作的通知》（2021）"
    )


def test_caps_are_exemptable_and_bans_are_not() -> None:
    profile = load_national()
    assert profile.rule("hw.cap.g3-6").exemptable
    for ban in ("hw.cap.g1-2", "hw.no-phone", "hw.no-parents", "hw.design.no-punitive"):
        assert not profile.rule(ban).exemptable, ban


def test_asking_for_a_table_threshold_needs_a_known_key() -> None:
    profile = load_national()
    with pytest.raises(KeyError, match="needs a key"):
        profile.threshold("sleep.bedtime")
    with pytest.raises(KeyError, match="kindergarten"):
        profile.threshold("sleep.bedtime", "kindergarten")
    with pytest.raises(KeyError, match="no rule"):
        profile.rule("hw.cap.g10")
    with pytest.raises(TypeError):
        profile.rule("sleep.bedtime").number("primary")


# --- profile files ---------------------------------------------------------------------

GOOD_RULE = """
[[rules]]
id = "hw.cap.g3-6"
direction = "max"
unit = "minutes"
threshold = 45
severity = "violation"
message_zh = "超过 {limit} 分钟"
message_en = "over {limit} min"
citation_zh = "《示例》（2025）"
source = "prov."
"""
HEADER = '[profile]\nid = "zj"\nversion = "1"\nlevel = "province"\n'


def test_a_profile_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "zj.toml"
    path.write_text(HEADER + GOOD_RULE, encoding="utf-8")
    profile = load_profile_file(path)
    assert profile.level == "province" and profile.threshold("hw.cap.g3-6") == 45
    assert profile.rule("hw.cap.g3-6").citation == "《示例》（2025）"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (('direction = "max"', 'direction = "most"'), "unknown direction"),
        (('unit = "minutes"', 'unit = "parsecs"'), "unknown unit"),
        (("threshold = 45", 'threshold = "45"'), "must be a number"),
        (("threshold = 45", "threshold = 45.5"), "whole number"),
        (('severity = "violation"', 'severity = "fatal"'), "unknown severity"),
        (('source = "prov."', 'source = "rumour"'), "unknown source"),
        (("{limit} min", "{limt} min"), "unknown placeholders"),
        (('source = "prov."', 'source = "prov."\ncitaton_zh = "x"'), "unknown fields"),
        (('citation_zh = "《示例》（2025）"\n', ""), "missing"),
    ],
)
def test_a_malformed_profile_file_is_refused(change: tuple[str, str], fragment: str) -> None:
    text = HEADER + GOOD_RULE.replace(*change)
    with pytest.raises(ProfileError, match=fragment):
        parse_profile(text)


def test_duplicate_rules_and_bad_headers_are_refused() -> None:
    with pytest.raises(ProfileError, match="duplicate"):
        parse_profile(HEADER + GOOD_RULE + GOOD_RULE)
    with pytest.raises(ProfileError, match="level"):
        parse_profile(HEADER.replace("province", "galaxy") + GOOD_RULE)
    with pytest.raises(ProfileError, match="TOML"):
        parse_profile("[profile")


# --- overrides -------------------------------------------------------------------------


def test_stricter_overrides_apply_in_order() -> None:
    profile = apply_overrides(
        load_national(),
        [
            Override(
                "province", "浙江省", {"hw.cap.g3-6": 55, "sleep.bedtime": {"primary": "21:00"}}
            ),
            Override("district", "青禾区", {"hw.cap.g3-6": 50, "afterschool.end": "17:45"}),
            Override("school", "Q0001", {"hw.written-subjects": {"primary": ["chinese", "math"]}}),
        ],
    )
    assert profile.threshold("hw.cap.g3-6") == 50
    assert profile.threshold("sleep.bedtime", "primary") == "21:00"
    assert profile.threshold("sleep.bedtime", "junior") == "22:00"  # untouched key kept
    assert profile.threshold("afterschool.end") == "17:45"
    assert profile.threshold("hw.written-subjects", "primary") == ("chinese", "math")
    assert profile.lineage == ("national", "province:浙江省", "district:青禾区", "school:Q0001")
    assert profile.level == "school"
    assert load_national().threshold("hw.cap.g3-6") == 60  # the cached national is untouched


def test_equal_values_are_not_looser() -> None:
    same = {rule.id: _as_override_value(rule.threshold) for rule in NATIONAL.rules.values()}
    assert validate_override(NATIONAL, Override("school", "s", same)) == []


def _as_override_value(threshold: object) -> object:
    """A threshold as a form or a JSON field would give it (lists, plain dicts)."""
    if isinstance(threshold, Mapping):
        return {k: _as_override_value(v) for k, v in threshold.items()}
    return list(threshold) if isinstance(threshold, tuple) else threshold


def test_a_looser_district_cap_is_refused_with_a_clear_message() -> None:
    override = Override("district", "青禾区", {"hw.cap.g3-6": 75})
    [problem] = validate_override(NATIONAL, override)
    assert problem.message_zh == (
        "规则 hw.cap.g3-6：区县级设定 75 分钟，宽于上级的 60 分钟；下级只能更严格。"
    )
    assert problem.message_en == (
        "Rule hw.cap.g3-6: the district sets 75 minutes, looser than 60 minutes above it; "
        "lower levels may only be stricter."
    )
    assert (problem.rule_id, problem.key, problem.level) == ("hw.cap.g3-6", None, "district")
    assert (problem.given, problem.limit_above) == (75, 60)
    with pytest.raises(PolicyOverrideError) as caught:
        apply_overrides(NATIONAL, [override])
    assert isinstance(caught.value, ValueError)
    assert caught.value.problems == [problem]
    assert "hw.cap.g3-6" in str(caught.value)


@pytest.mark.parametrize(
    ("thresholds", "fragment"),
    [
        ({"sleep.bedtime": {"primary": "21:40"}}, "规则 sleep.bedtime（小学）：区县级设定 21:40"),
        ({"sleep.bedtime": {"senior": "00:30"}}, "宽于上级的 23:00"),  # past midnight is later
        ({"afterschool.duration": 90}, "宽于上级的 120 分钟"),
        ({"afterschool.end": "17:00"}, "宽于上级的 17:30"),
        ({"hw.no-phone": False}, "设定 不禁止，宽于上级的 禁止"),
        ({"hw.bedtime-first": False}, "设定 不要求，宽于上级的 必须"),
        (
            {"hw.written-subjects": {"primary": ["chinese", "music"]}},
            "语文、音乐，宽于上级的 语文、数学、英语",
        ),
        ({"exam.bands": [4, 5, 6]}, "宽于上级的 4、5"),
        ({"hw.in-school": {"primary": 0.5}}, "宽于上级的 0.8"),
        ({"hw.cap.g9": 10}, "未知的规则 hw.cap.g9"),
        ({"sleep.bedtime": "21:00"}, "须按 primary、junior、senior 分别设定"),
        ({"hw.cap.g3-6": {"primary": 50}}, "只有一个阈值"),
        ({"sleep.bedtime": {"kindergarten": "20:00"}}, "没有“kindergarten”一项"),
        ({"hw.cap.g3-6": "sixty"}, "应为数字"),
        ({"hw.cap.g3-6": True}, "应为数字"),
        ({"hw.cap.g3-6": 45.5}, "应为整数"),
        ({"hw.cap.g3-6": -5}, "不能为负数"),
        ({"hw.in-school": {"primary": 1.5}}, "0 到 1"),
        ({"sleep.bedtime": {"primary": "9pm"}}, "应为时间"),
        ({"sleep.bedtime": {"primary": "25:00"}}, "应为时间"),
        ({"sleep.bedtime": {"primary": 2100}}, "应为时间"),
        ({"hw.no-phone": "yes"}, "应为 true 或 false"),
        ({"hw.written-subjects": {"primary": "chinese"}}, "应为列表"),
        ({"hw.written-subjects": {"primary": ["chinese", "latin"]}}, "未知的学科代码 latin"),
        ({"exam.bands": ["four"]}, "应为整数列表"),
    ],
)
def test_looser_or_malformed_overrides_are_refused(
    thresholds: dict[str, object], fragment: str
) -> None:
    override = Override("district", "青禾区", thresholds)
    problems = validate_override(NATIONAL, override)
    assert problems and any(fragment in p.message_zh for p in problems), [
        p.message_zh for p in problems
    ]
    assert all(p.message_en for p in problems)
    with pytest.raises(PolicyOverrideError):
        apply_overrides(NATIONAL, [override])


def test_every_problem_is_reported_at_once() -> None:
    override = Override("school", "s", {"hw.cap.g3-6": 70, "hw.cap.g7-9": 100, "nope": 1})
    problems = validate_override(NATIONAL, override)
    assert [p.rule_id for p in problems] == ["hw.cap.g3-6", "hw.cap.g7-9", "nope"]


def test_a_lower_level_is_checked_against_the_level_above_it() -> None:
    with pytest.raises(PolicyOverrideError, match="宽于上级的 50 分钟"):
        apply_overrides(
            NATIONAL,
            [
                Override("district", "d", {"hw.cap.g3-6": 50}),
                Override("school", "s", {"hw.cap.g3-6": 55}),
            ],
        )


@pytest.mark.parametrize(
    "levels",
    [("school", "district"), ("district", "province"), ("district", "district")],
)
def test_levels_must_come_in_order(levels: tuple[str, str]) -> None:
    overrides = [Override(level, level, {}) for level in levels]  # type: ignore[arg-type]
    with pytest.raises(PolicyOverrideError, match="顺序"):
        apply_overrides(NATIONAL, overrides)


def test_an_unknown_level_is_refused() -> None:
    [problem] = validate_override(NATIONAL, Override("city", "x", {}))  # type: ignore[arg-type]
    assert "未知的层级" in problem.message_zh


def test_levels_may_be_skipped() -> None:
    profile = apply_overrides(NATIONAL, [Override("school", "s", {"hw.cap.g7-9": 80})])
    assert profile.threshold("hw.cap.g7-9") == 80


def _looser(rule: Rule, current: Scalar) -> object | None:
    """A value one step looser than ``current``, or None when nothing is looser."""
    match rule.direction:
        case "max":
            if rule.unit == "share":
                return current + 0.1 if current <= 0.9 else None  # type: ignore[operator]
            return None if rule.unit == "percent" and current == 100 else current + 1  # type: ignore[operator]
        case "min":
            step = 0.1 if rule.unit == "share" else 1
            return current - step if current >= step else None  # type: ignore[operator]
        case "latest":
            minutes = evening_minutes(parse_time(str(current))) + 1
            return None if minutes >= 29 * 60 else f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"
        case "earliest":
            minutes = day_minutes(parse_time(str(current))) - 1
            return None if minutes < 0 else f"{minutes // 60:02d}:{minutes % 60:02d}"
        case "forbid" | "require":
            return False if current else None
        case "subset":
            assert isinstance(current, tuple)
            if rule.unit == "subjects":
                extra = sorted(SUBJECT_CODES - set(current))
                return [*current, extra[0]] if extra else None
            numbers = [v for v in current if isinstance(v, int)]
            return [*numbers, max(numbers, default=0) + 1]
    raise AssertionError(rule.direction)


LOOSER_CASES = [
    (rule.id, key)
    for rule in NATIONAL.rules.values()
    for key in (rule.keys or (None,))
    if _looser(rule, rule.value(key)) is not None
]


@pytest.mark.parametrize(("rule_id", "key"), LOOSER_CASES)
def test_every_rule_refuses_a_looser_value(rule_id: str, key: str | None) -> None:
    rule = NATIONAL.rule(rule_id)
    value = _looser(rule, rule.value(key))
    thresholds = {rule_id: {key: value} if key else value}
    [problem] = validate_override(NATIONAL, Override("province", "p", thresholds))
    assert problem.rule_id == rule_id and problem.key == key
    assert problem.message_zh.startswith(f"规则 {rule_id}")
    assert "宽于上级" in problem.message_zh and "looser than" in problem.message_en


@settings(max_examples=60, deadline=None)
@given(override=stricter_override(NATIONAL, "district"))
def test_every_stricter_override_is_accepted(override: Override) -> None:
    assert validate_override(NATIONAL, override) == []
    profile = apply_override(NATIONAL, override)
    for rule_id, value in override.thresholds.items():
        if isinstance(value, Mapping):
            for key, given_value in value.items():
                assert profile.threshold(rule_id, key) == _frozen(given_value)
        else:
            assert profile.threshold(rule_id) == _frozen(value)


def _frozen(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value
