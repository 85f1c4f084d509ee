"""Rules and profiles: the data a check reads its thresholds from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Scalar = int | float | str | bool | tuple[str, ...]
Threshold = Scalar | Mapping[str, Scalar]
Direction = Literal["max", "min", "latest", "earliest", "forbid", "require", "subset"]
DIRECTIONS: tuple[Direction, ...] = (
    "max",
    "min",
    "latest",
    "earliest",
    "forbid",
    "require",
    "subset",
)


@dataclass(frozen=True)
class Rule:
    id: str
    direction: Direction
    unit: str
    threshold: Threshold
    severity: Literal["violation", "warn"]
    message_zh: str
    message_en: str
    citation: str
    source: str = "national"
    note: str = ""
    # A grade-group leader may grant a written exception to this rule (caps, not bans).
    exemptable: bool = False

    def value(self, key: str | None = None) -> Scalar:
        """The threshold, or one entry of a table-valued threshold."""
        if isinstance(self.threshold, Mapping):
            if key is None:
                raise KeyError(f"rule {self.id} needs a key: one of {sorted(self.threshold)}")
            return self.threshold[key]
        return self.threshold


@dataclass(frozen=True)
class Profile:
    id: str
    version: str
    level: str
    rules: Mapping[str, Rule] = field(default_factory=dict)
    # The chain of levels applied, national first, e.g. ("national", "province:浙江省").
    lineage: tuple[str, ...] = ()

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def threshold(self, rule_id: str, key: str | None = None) -> Scalar:
        return self.rules[rule_id].value(key)


def parse_time(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))
