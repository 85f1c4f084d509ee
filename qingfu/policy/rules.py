"""Rules and profiles: the data a check reads its thresholds from.

A ``Rule`` is one line of a policy document turned into data: which way it is strict
(``direction``), the number or clock time or list it sets (``threshold``), how bad a breach
is, what to tell people in Chinese and English, and where the rule comes from. Limits live
here and in the TOML profiles, never in the checks, because provinces, districts and
schools set their own and documents change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Members = tuple[str, ...] | tuple[int, ...]
Scalar = int | float | str | bool | Members
Threshold = Scalar | Mapping[str, Scalar]

Direction = Literal["max", "min", "latest", "earliest", "forbid", "require", "subset"]
Severity = Literal["violation", "warn"]

DIRECTIONS: tuple[Direction, ...] = (
    "max",
    "min",
    "latest",
    "earliest",
    "forbid",
    "require",
    "subset",
)
SEVERITIES: tuple[Severity, ...] = ("violation", "warn")
UNITS = ("minutes", "hours", "count", "time", "share", "percent", "months", "bool", "subjects")
SOURCES = ("national", "prov.", "inferred")

# A clock time before this belongs to the evening before: a bedtime of 00:30 is later
# than one of 23:00, not earlier.
NIGHT_ENDS = dt.time(5, 0)


def parse_time(value: str) -> dt.time:
    """``"21:20"`` → 21:20. Raises ValueError for anything but ``H:MM`` / ``HH:MM``."""
    hours, sep, minutes = value.partition(":")
    if not sep or not hours.isdigit() or len(minutes) != 2 or not minutes.isdigit():
        raise ValueError(f"not a clock time: {value!r}")
    return dt.time(int(hours), int(minutes))


def evening_minutes(t: dt.time) -> int:
    """Minutes since midnight, with small hours counted as the previous evening's."""
    minutes = t.hour * 60 + t.minute
    return minutes + 24 * 60 if t < NIGHT_ENDS else minutes


def day_minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def is_later(a: dt.time, b: dt.time, direction: Direction) -> bool:
    """``a`` is later than ``b`` in the order the rule's direction uses.

    "latest" limits are evening limits (bedtime, end of training), so they wrap past
    midnight; "earliest" limits (school start, end of after-school service) do not.
    """
    if direction == "latest":
        return evening_minutes(a) > evening_minutes(b)
    return day_minutes(a) > day_minutes(b)


@dataclass(frozen=True)
class Rule:
    id: str
    direction: Direction
    unit: str
    threshold: Threshold
    severity: Severity
    message_zh: str
    message_en: str
    citation: str
    source: str = "national"
    note: str = ""
    # A grade-group leader may grant a written exception to this rule (caps, not bans).
    exemptable: bool = False
    # A short name people read in place of the id ("每周体育课节数", not fitness.pe-lessons).
    title_zh: str = ""
    title_en: str = ""

    def title(self, lang: str = "zh-hans") -> str:
        """The rule's short name in the reader's language, else its id (a rule a local
        profile added without a title is still named, if plainly)."""
        title = self.title_en if lang.startswith("en") else self.title_zh
        return title or self.title_zh or self.id

    @property
    def keys(self) -> tuple[str, ...]:
        """The table's keys, or () for a single threshold."""
        return tuple(self.threshold) if isinstance(self.threshold, Mapping) else ()

    def value(self, key: str | None = None) -> Scalar:
        """The threshold, or one entry of a table-valued threshold."""
        if isinstance(self.threshold, Mapping):
            if key is None:
                raise KeyError(f"rule {self.id} needs a key: one of {sorted(self.threshold)}")
            if key not in self.threshold:
                raise KeyError(f"rule {self.id} has no key {key!r}: {sorted(self.threshold)}")
            return self.threshold[key]
        return self.threshold

    def number(self, key: str | None = None) -> int | float:
        value = self.value(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"rule {self.id}: expected a number, got {value!r}")
        return value

    def whole(self, key: str | None = None) -> int:
        value = self.number(key)
        if isinstance(value, float):
            raise TypeError(f"rule {self.id}: expected a whole number, got {value!r}")
        return value

    def clock(self, key: str | None = None) -> dt.time:
        value = self.value(key)
        if not isinstance(value, str):
            raise TypeError(f"rule {self.id}: expected a clock time, got {value!r}")
        return parse_time(value)

    def flag(self, key: str | None = None) -> bool:
        value = self.value(key)
        if not isinstance(value, bool):
            raise TypeError(f"rule {self.id}: expected true or false, got {value!r}")
        return value

    def members(self, key: str | None = None) -> Members:
        value = self.value(key)
        if not isinstance(value, tuple):
            raise TypeError(f"rule {self.id}: expected a list, got {value!r}")
        return value


def _readonly_rules(rules: Mapping[str, Rule]) -> Mapping[str, Rule]:
    return rules if isinstance(rules, MappingProxyType) else MappingProxyType(dict(rules))


@dataclass(frozen=True)
class Profile:
    """A complete set of rules: the national defaults, or them with local overrides."""

    id: str
    version: str
    level: str
    rules: Mapping[str, Rule] = field(default_factory=dict)
    # The chain of levels applied, national first, e.g. ("national", "province:浙江省").
    lineage: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Profiles are cached and shared between requests: nobody may edit one in place.
        object.__setattr__(self, "rules", _readonly_rules(self.rules))

    def rule(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError:
            raise KeyError(f"profile {self.id} has no rule {rule_id!r}") from None

    def threshold(self, rule_id: str, key: str | None = None) -> Scalar:
        return self.rule(rule_id).value(key)
