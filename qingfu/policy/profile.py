"""Loading profiles and applying stricter local overrides.

The national profile is a data file shipped inside the package. A province, then a
district, then a school may set their own thresholds; each may be stricter than the level
above but never looser, because a local rule cannot relax a national one. A looser or
malformed value is refused with a message, in Chinese and English, that names the rule
and both values, so the person filling in the form knows what to change.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from qingfu.policy.rules import (
    DIRECTIONS,
    SEVERITIES,
    SOURCES,
    UNITS,
    Direction,
    Profile,
    Rule,
    Scalar,
    Threshold,
    is_later,
    parse_time,
)
from qingfu.policy.subjects import SUBJECT_CODES, subject_name

Level = Literal["province", "district", "school"]
LEVEL_ORDER: tuple[str, ...] = ("national", "province", "district", "school")
LEVEL_NAMES_ZH: Mapping[str, str] = MappingProxyType(
    {"national": "国家", "province": "省级", "district": "区县级", "school": "学校"}
)
# Table keys as people say them, for messages; an unknown key is shown as it is.
KEY_NAMES_ZH: Mapping[str, str] = MappingProxyType(
    {
        "primary": "小学",
        "junior": "初中",
        "senior": "高中",
        "g1-2": "一至二年级",
        "g3-6": "三至六年级",
        "g7-9": "七至九年级",
        "g3-4": "三至四年级",
        "g5-6": "五至六年级",
        "g3-9": "三至九年级",
    }
)
# Placeholders a rule's messages may use; checks fill the ones that apply.
MESSAGE_FIELDS = frozenset({"measured", "limit", "subject", "kind"})
_RULE_FIELDS = frozenset(
    {
        "id",
        "direction",
        "unit",
        "threshold",
        "severity",
        "message_zh",
        "message_en",
        "citation_zh",
        "source",
        "note",
        "exemptable",
        "title_zh",
        "title_en",
    }
)
_REQUIRED_FIELDS = _RULE_FIELDS - {"note", "exemptable", "title_zh", "title_en"}
_WHOLE_UNITS = frozenset({"minutes", "count", "months", "days"})


class ProfileError(ValueError):
    """A profile file that is not a valid profile (raised when loading, never at runtime)."""


@dataclass(frozen=True)
class Override:
    """One level's stricter thresholds: ``{rule_id: value}`` or ``{rule_id: {key: value}}``.

    A table may give only some keys; the others keep the value from the level above.
    """

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

    def message(self, lang: str = "zh-hans") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


class PolicyOverrideError(ValueError):
    """An override was refused; ``problems`` lists every reason, not just the first."""

    def __init__(self, problems: Sequence[OverrideProblem]) -> None:
        self.problems = list(problems)
        super().__init__("；".join(p.message_zh for p in self.problems))


# --- values ------------------------------------------------------------------------------


def _value_problem(direction: Direction, unit: str, value: object) -> tuple[str, str] | None:
    """Why ``value`` cannot be a threshold of a rule of this kind, in (zh, en); else None."""
    match direction:
        case "max" | "min":
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "应为数字", "must be a number"
            if unit in _WHOLE_UNITS and not isinstance(value, int):
                return "应为整数", "must be a whole number"
            if unit == "share" and not 0 <= value <= 1:
                return "应为 0 到 1 之间的比例", "must be a share between 0 and 1"
            if unit == "percent" and not -100 <= value <= 100:
                return "应为 -100 到 100 之间的百分数", "must be a percentage from -100 to 100"
            if unit != "percent" and value < 0:
                return "不能为负数", "must not be negative"
        case "latest" | "earliest":
            bad_time = "应为时间，格式如 21:20", "must be a clock time such as 21:20"
            if not isinstance(value, str):
                return bad_time
            try:
                parse_time(value)
            except ValueError:
                return bad_time
        case "forbid" | "require":
            if not isinstance(value, bool):
                return "应为 true 或 false", "must be true or false"
        case "subset":
            if not isinstance(value, list | tuple):
                return "应为列表", "must be a list"
            if unit == "subjects":
                unknown = [v for v in value if not isinstance(v, str) or v not in SUBJECT_CODES]
                if unknown:
                    shown = "、".join(str(v) for v in unknown)
                    return f"含未知的学科代码 {shown}", f"has unknown subject codes {unknown}"
            elif any(isinstance(v, bool) or not isinstance(v, int) for v in value):
                return "应为整数列表", "must be a list of whole numbers"
    return None


def _freeze_scalar(value: object) -> Scalar:
    """A validated value as stored: lists become tuples so a profile cannot be edited."""
    if isinstance(value, list | tuple):
        if all(isinstance(v, str) for v in value):
            return tuple(str(v) for v in value)
        return tuple(int(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"unsupported threshold value {value!r}")


def _freeze(value: object) -> Threshold:
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): _freeze_scalar(v) for k, v in value.items()})
    return _freeze_scalar(value)


def _is_looser(rule: Rule, given: Scalar, above: Scalar) -> bool:
    """True when ``given`` would relax ``above`` in the rule's direction."""
    match rule.direction:
        case "max":
            return float(given) > float(above)  # type: ignore[arg-type]
        case "min":
            return float(given) < float(above)  # type: ignore[arg-type]
        case "latest":
            return is_later(parse_time(str(given)), parse_time(str(above)), "latest")
        case "earliest":
            return is_later(parse_time(str(above)), parse_time(str(given)), "earliest")
        case "forbid" | "require":
            return bool(above) and not bool(given)
        case "subset":
            return not set(given).issubset(set(above))  # type: ignore[arg-type]
    return False


_UNITS_ZH = {"minutes": " 分钟", "hours": " 小时", "months": " 个月", "days": " 天", "percent": "%"}
_UNITS_EN = {
    "minutes": " minutes",
    "hours": " hours",
    "months": " months",
    "days": " days",
    "percent": "%",
}


def _show(rule: Rule, value: object, lang: str) -> str:
    """A threshold as a person reads it, in the rule's unit."""
    english = lang == "en"
    if isinstance(value, bool):
        if rule.direction == "forbid":
            return (
                ("forbidden" if value else "allowed")
                if english
                else ("禁止" if value else "不禁止")
            )
        return (
            ("required" if value else "not required")
            if english
            else ("必须" if value else "不要求")
        )
    if isinstance(value, list | tuple):
        if not value:
            return "(none)" if english else "（无）"
        shown = [subject_name(v, lang) if isinstance(v, str) else str(v) for v in value]
        return (", " if english else "、").join(shown)
    suffix = (_UNITS_EN if english else _UNITS_ZH).get(rule.unit, "")
    return f"{value}{suffix}"


# --- profiles ----------------------------------------------------------------------------


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _parse_rule(raw: Mapping[str, Any]) -> Rule:
    rule_id = raw.get("id", "?")
    missing = _REQUIRED_FIELDS - set(raw)
    if missing:
        raise ProfileError(f"rule {rule_id}: missing {sorted(missing)}")
    unknown = set(raw) - _RULE_FIELDS
    if unknown:
        raise ProfileError(f"rule {rule_id}: unknown fields {sorted(unknown)}")
    direction, unit = raw["direction"], raw["unit"]
    if direction not in DIRECTIONS:
        raise ProfileError(f"rule {rule_id}: unknown direction {direction!r}")
    if unit not in UNITS:
        raise ProfileError(f"rule {rule_id}: unknown unit {unit!r}")
    if raw["severity"] not in SEVERITIES:
        raise ProfileError(f"rule {rule_id}: unknown severity {raw['severity']!r}")
    if raw["source"] not in SOURCES:
        raise ProfileError(f"rule {rule_id}: unknown source {raw['source']!r}")
    threshold = raw["threshold"]
    values = threshold.values() if isinstance(threshold, Mapping) else [threshold]
    for value in values:
        problem = _value_problem(direction, unit, value)
        if problem:
            raise ProfileError(f"rule {rule_id}: threshold {value!r} {problem[1]}")
    for name in ("message_zh", "message_en"):
        extra = _placeholders(raw[name]) - MESSAGE_FIELDS
        if extra:
            raise ProfileError(f"rule {rule_id}: {name} has unknown placeholders {extra}")
    return Rule(
        id=rule_id,
        direction=direction,
        unit=unit,
        threshold=_freeze(threshold),
        severity=raw["severity"],
        message_zh=raw["message_zh"],
        message_en=raw["message_en"],
        citation=raw["citation_zh"],
        source=raw["source"],
        note=raw.get("note", ""),
        exemptable=bool(raw.get("exemptable", False)),
        title_zh=raw.get("title_zh", ""),
        title_en=raw.get("title_en", ""),
    )


def parse_profile(text: str) -> Profile:
    """A profile from TOML text; every rule is validated, so a bad file fails at load."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"not valid TOML: {exc}") from exc
    meta = data.get("profile", {})
    for name in ("id", "version", "level"):
        if not isinstance(meta.get(name), str):
            raise ProfileError(f"[profile] needs a string {name}")
    if meta["level"] not in LEVEL_ORDER:
        raise ProfileError(f"[profile] level must be one of {LEVEL_ORDER}")
    rules: dict[str, Rule] = {}
    for raw in data.get("rules", []):
        rule = _parse_rule(raw)
        if rule.id in rules:
            raise ProfileError(f"duplicate rule id {rule.id}")
        rules[rule.id] = rule
    return Profile(
        id=meta["id"],
        version=meta["version"],
        level=meta["level"],
        rules=rules,
        lineage=(meta["id"],),
    )


@cache
def load_national() -> Profile:
    """The national default profile (read once; profiles are immutable, so sharing is safe)."""
    text = resources.files("qingfu.policy").joinpath("profiles/national.toml").read_text("utf-8")
    return parse_profile(text)


def rule_title(rule_id: str, lang: str = "zh-hans") -> str:
    """The short name people read for a rule id kept on a record (a notice, an exception
    request), from the national profile; the id itself for a rule it does not know."""
    rule = load_national().rules.get(rule_id)
    return rule.title(lang) if rule is not None else rule_id


def rule_citation(rule_id: str) -> str:
    """The document a rule id kept on a record rests on, from the national profile; empty
    for a rule it does not know."""
    rule = load_national().rules.get(rule_id)
    return rule.citation if rule is not None else ""


def load_profile_file(path: str | Path) -> Profile:
    return parse_profile(Path(path).read_text("utf-8"))


# --- overrides ---------------------------------------------------------------------------


def validate_override(base: Profile, override: Override) -> list[OverrideProblem]:
    """Every way ``override`` is malformed or looser than ``base``; empty when valid.

    ``base`` is the profile as it stands after the levels above ``override``.
    """
    problems: list[OverrideProblem] = []
    level_zh = LEVEL_NAMES_ZH.get(override.level, override.level)

    def problem(
        rule_id: str, key: str | None, given: object, above: object, zh: str, en: str
    ) -> None:
        problems.append(OverrideProblem(rule_id, key, override.level, given, above, zh, en))

    if override.level not in LEVEL_ORDER[1:]:
        problem(
            "", None, override.level, None,
            f"未知的层级“{override.level}”，应为省级、区县级或学校",
            f"unknown level {override.level!r}: use province, district or school",
        )  # fmt: skip
        return problems
    if LEVEL_ORDER.index(override.level) <= LEVEL_ORDER.index(base.level):
        above_zh = LEVEL_NAMES_ZH.get(base.level, base.level)
        problem(
            "", None, override.level, base.level,
            f"{level_zh}细则不能叠加在{above_zh}细则之上，应按省级、区县级、学校的顺序",
            f"a {override.level} override cannot follow a {base.level} one: apply province, district, then school",
        )  # fmt: skip
        return problems
    if not isinstance(override.thresholds, Mapping):
        problem(
            "",
            None,
            override.thresholds,
            None,
            "细则应为“规则: 阈值”表",
            "thresholds must be a table",
        )
        return problems

    for rule_id, value in override.thresholds.items():
        rule = base.rules.get(rule_id)
        if rule is None:
            problem(rule_id, None, value, None, f"未知的规则 {rule_id}", f"unknown rule {rule_id}")
            continue
        pairs: list[tuple[str | None, object, Scalar]] = []
        if isinstance(rule.threshold, Mapping):
            keys = "、".join(rule.threshold)
            if not isinstance(value, Mapping):
                problem(
                    rule_id, None, value, dict(rule.threshold),
                    f"规则 {rule_id} 须按 {keys} 分别设定",
                    f"rule {rule_id} needs a table with keys {', '.join(rule.threshold)}",
                )  # fmt: skip
                continue
            for key, given in value.items():
                if key not in rule.threshold:
                    problem(
                        rule_id, key, given, None,
                        f"规则 {rule_id} 没有“{key}”一项（可设：{keys}）",
                        f"rule {rule_id} has no key {key!r} (keys: {', '.join(rule.threshold)})",
                    )  # fmt: skip
                    continue
                pairs.append((key, given, rule.threshold[key]))
        elif isinstance(value, Mapping):
            problem(
                rule_id, None, value, rule.threshold,
                f"规则 {rule_id} 只有一个阈值，不能按项设定",
                f"rule {rule_id} takes a single value, not a table",
            )  # fmt: skip
            continue
        else:
            pairs.append((None, value, rule.threshold))

        for key, given, above in pairs:
            label_zh = f"{rule_id}（{KEY_NAMES_ZH.get(key, key)}）" if key else rule_id
            label_en = f"{rule_id} ({key})" if key else rule_id
            invalid = _value_problem(rule.direction, rule.unit, given)
            if invalid:
                problem(
                    rule_id, key, given, above,
                    f"规则 {label_zh}：{level_zh}设定“{given}”{invalid[0]}。",
                    f"Rule {label_en}: the {override.level} value {given!r} {invalid[1]}.",
                )  # fmt: skip
                continue
            frozen = _freeze_scalar(given)
            if _is_looser(rule, frozen, above):
                problem(
                    rule_id, key, given, above,
                    f"规则 {label_zh}：{level_zh}设定 {_show(rule, frozen, 'zh')}，"
                    f"宽于上级的 {_show(rule, above, 'zh')}；下级只能更严格。",
                    f"Rule {label_en}: the {override.level} sets {_show(rule, frozen, 'en')}, "
                    f"looser than {_show(rule, above, 'en')} above it; lower levels may only be stricter.",
                )  # fmt: skip
    return problems


def apply_override(base: Profile, override: Override) -> Profile:
    """``base`` with one level's override applied; raises PolicyOverrideError if refused."""
    problems = validate_override(base, override)
    if problems:
        raise PolicyOverrideError(problems)
    rules = dict(base.rules)
    for rule_id, value in override.thresholds.items():
        rule = rules[rule_id]
        if isinstance(rule.threshold, Mapping):
            merged = {**rule.threshold, **{k: _freeze_scalar(v) for k, v in value.items()}}
            rules[rule_id] = replace(rule, threshold=MappingProxyType(merged))
        else:
            rules[rule_id] = replace(rule, threshold=_freeze_scalar(value))
    return replace(
        base,
        level=override.level,
        rules=rules,
        lineage=(*base.lineage, f"{override.level}:{override.scope}"),
    )


def apply_overrides(base: Profile, overrides: Sequence[Override]) -> Profile:
    """Apply overrides in order (province, district, school).

    Each is checked against the profile as it stands after the levels above it, so a
    school is held to its district's setting, not only to the national one.
    """
    profile = base
    for override in overrides:
        profile = apply_override(profile, override)
    return profile
