"""Loading profiles and applying stricter local overrides.

The national profile is a data file. A province, then a district, then a school may set
their own thresholds; each may be stricter than the level above but never looser, and a
looser or malformed value is refused with a message that names the rule and both values.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from qingfu.policy.rules import DIRECTIONS, Profile, Rule, Scalar, Threshold, parse_time

Level = Literal["province", "district", "school"]
LEVEL_ORDER: tuple[str, ...] = ("national", "province", "district", "school")
LEVEL_NAMES = {"national": "国家", "province": "省级", "district": "区县级", "school": "学校"}


@dataclass(frozen=True)
class Override:
    level: Level
    scope: str
    thresholds: Mapping[str, Any]


@dataclass(frozen=True)
class OverrideProblem:
    rule_id: str
    key: str | None
    level: str
    given: object
    limit_above: object
    message_zh: str
    message_en: str


class PolicyOverrideError(ValueError):
    def __init__(self, problems: Sequence[OverrideProblem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(p.message_zh for p in self.problems))


def _freeze(value: Any) -> Threshold:
    if isinstance(value, Mapping):
        return {str(k): _freeze_scalar(v) for k, v in value.items()}
    return _freeze_scalar(value)


def _freeze_scalar(value: Any) -> Scalar:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    raise ValueError(f"unsupported threshold value {value!r}")


def parse_profile(text: str) -> Profile:
    data = tomllib.loads(text)
    meta = data["profile"]
    citations: Mapping[str, str] = data.get("citations", {})
    rules: dict[str, Rule] = {}
    for raw in data["rules"]:
        if raw["id"] in rules:
            raise ValueError(f"duplicate rule id {raw['id']}")
        if raw["direction"] not in DIRECTIONS:
            raise ValueError(f"rule {raw['id']}: unknown direction {raw['direction']}")
        rules[raw["id"]] = Rule(
            id=raw["id"],
            direction=raw["direction"],
            unit=raw["unit"],
            threshold=_freeze(raw["threshold"]),
            severity=raw["severity"],
            message_zh=raw["message_zh"],
            message_en=raw["message_en"],
            citation=citations.get(raw.get("cite", ""), raw.get("citation", "")),
            source=raw.get("source", "national"),
            note=raw.get("note", ""),
            exemptable=bool(raw.get("exemptable", False)),
        )
    return Profile(
        id=meta["id"],
        version=meta["version"],
        level=meta["level"],
        rules=rules,
        lineage=(meta["id"],),
    )


@cache
def load_national() -> Profile:
    text = resources.files("qingfu.policy").joinpath("profiles/national.toml").read_text("utf-8")
    return parse_profile(text)


def load_profile_file(path: str | Path) -> Profile:
    return parse_profile(Path(path).read_text("utf-8"))


def _unit_zh(rule: Rule) -> str:
    return {"minutes": " 分钟", "hours": " 小时", "months": " 个月", "percent": "%"}.get(
        rule.unit, ""
    )


def _is_looser(rule: Rule, given: Scalar, above: Scalar) -> bool:
    """True when ``given`` would relax ``above`` in the rule's direction."""
    match rule.direction:
        case "max":
            return float(given) > float(above)  # type: ignore[arg-type]
        case "min":
            return float(given) < float(above)  # type: ignore[arg-type]
        case "latest":
            return parse_time(str(given)) > parse_time(str(above))
        case "earliest":
            return parse_time(str(given)) < parse_time(str(above))
        case "forbid" | "require":
            return bool(above) and not bool(given)
        case "subset":
            return not set(given).issubset(set(above))  # type: ignore[arg-type]
    return False


def _type_problem(rule: Rule, given: object) -> str | None:
    match rule.direction:
        case "max" | "min":
            if isinstance(given, bool) or not isinstance(given, int | float) or given < 0:
                return "应为非负数字"
        case "latest" | "earliest":
            try:
                parse_time(str(given))
            except (ValueError, TypeError):
                return "应为时间，格式如 21:20"
            if not isinstance(given, str):
                return "应为时间，格式如 21:20"
        case "forbid" | "require":
            if not isinstance(given, bool):
                return "应为 true 或 false"
        case "subset":
            if not isinstance(given, list | tuple) or not all(isinstance(v, str) for v in given):
                return "应为学科代码列表"
    return None


def validate_override(base: Profile, override: Override) -> list[OverrideProblem]:
    """Every way ``override`` is malformed or looser than ``base``; empty when valid."""
    problems: list[OverrideProblem] = []
    level = LEVEL_NAMES.get(override.level, override.level)

    def problem(
        rule_id: str, key: str | None, given: object, above: object, zh: str, en: str
    ) -> None:
        problems.append(OverrideProblem(rule_id, key, override.level, given, above, zh, en))

    if override.level not in LEVEL_ORDER[1:]:
        problem(
            "",
            None,
            override.level,
            None,
            f"未知的层级 {override.level}",
            f"unknown level {override.level}",
        )
        return problems
    if LEVEL_ORDER.index(override.level) <= LEVEL_ORDER.index(base.level):
        problem(
            "", None, override.level, base.level,
            f"{level}细则不能叠加在{LEVEL_NAMES.get(base.level, base.level)}之上，应按省、区县、学校的顺序",
            f"a {override.level} override cannot apply on top of {base.level}",
        )  # fmt: skip
        return problems
    for rule_id, value in override.thresholds.items():
        rule = base.rules.get(rule_id)
        if rule is None:
            problem(rule_id, None, value, None, f"未知的规则 {rule_id}", f"unknown rule {rule_id}")
            continue
        if isinstance(rule.threshold, Mapping):
            if not isinstance(value, Mapping):
                keys = "、".join(sorted(rule.threshold))
                problem(
                    rule_id,
                    None,
                    value,
                    None,
                    f"规则 {rule_id} 须按 {keys} 分别设定",
                    f"rule {rule_id} needs a table with keys {keys}",
                )
                continue
            pairs: list[tuple[str | None, object, Scalar]] = []
            for key, given in value.items():
                if key not in rule.threshold:
                    problem(
                        rule_id,
                        key,
                        given,
                        None,
                        f"规则 {rule_id} 没有“{key}”一项",
                        f"rule {rule_id} has no key {key}",
                    )
                    continue
                pairs.append((key, given, rule.threshold[key]))
        else:
            if isinstance(value, Mapping):
                problem(
                    rule_id,
                    None,
                    value,
                    rule.threshold,
                    f"规则 {rule_id} 只有一个阈值",
                    f"rule {rule_id} takes a single value",
                )
                continue
            pairs = [(None, value, rule.threshold)]
        for key, given, above in pairs:
            label = f"{rule_id}（{key}）" if key else rule_id
            type_error = _type_problem(rule, given)
            if type_error:
                problem(
                    rule_id,
                    key,
                    given,
                    above,
                    f"规则 {label}：{level}设定“{given}”{type_error}",
                    f"rule {label}: invalid value {given!r}",
                )
                continue
            frozen = _freeze_scalar(given)
            if _is_looser(rule, frozen, above):
                unit = _unit_zh(rule)
                shown_given = "、".join(frozen) if isinstance(frozen, tuple) else frozen
                shown_above = "、".join(above) if isinstance(above, tuple) else above
                problem(
                    rule_id, key, given, above,
                    f"规则 {label}：{level}设定 {shown_given}{unit}，宽于上级的 {shown_above}{unit}；下级只能更严格。",
                    f"rule {label}: the {override.level} value {given} is looser than {above} above it; lower levels may only be stricter.",
                )  # fmt: skip
    return problems


def apply_override(base: Profile, override: Override) -> Profile:
    problems = validate_override(base, override)
    if problems:
        raise PolicyOverrideError(problems)
    rules = dict(base.rules)
    for rule_id, value in override.thresholds.items():
        rule = rules[rule_id]
        if isinstance(rule.threshold, Mapping):
            merged = dict(rule.threshold)
            merged.update({k: _freeze_scalar(v) for k, v in value.items()})
            rules[rule_id] = replace(rule, threshold=merged)
        else:
            rules[rule_id] = replace(rule, threshold=_freeze_scalar(value))
    return replace(
        base,
        level=override.level,
        rules=rules,
        lineage=(*base.lineage, f"{override.level}:{override.scope}"),
    )


def apply_overrides(base: Profile, overrides: Sequence[Override]) -> Profile:
    """Apply overrides in order (province, district, school); each is checked against the
    profile as it stands after the levels above it."""
    profile = base
    for override in overrides:
        profile = apply_override(profile, override)
    return profile
