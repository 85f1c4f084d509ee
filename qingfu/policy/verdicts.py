"""Verdicts: what a check decided, with the numbers and the rule behind it.

A bare True/False cannot tell a teacher *why* publishing was refused or a principal which
document a warning rests on, so every check answers with verdicts that carry the rule id,
the measured value, the limit, a message in both languages and the citation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from qingfu.policy.rules import Members

Value = int | float | str | bool | Members | None


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    VIOLATION = "violation"


_ORDER = {Status.OK: 0, Status.WARN: 1, Status.VIOLATION: 2}


@dataclass(frozen=True)
class Verdict:
    status: Status
    rule_id: str
    measured: Value
    limit: Value
    message_zh: str
    message_en: str
    citation: str
    unit: str = ""
    exemptable: bool = False
    # The rule's short name, shown to people instead of ``rule_id`` (an internal code).
    title_zh: str = ""
    title_en: str = ""

    def message(self, lang: str = "zh-hans") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def title(self, lang: str = "zh-hans") -> str:
        title = self.title_en if lang.startswith("en") else self.title_zh
        return title or self.title_zh or self.rule_id

    @property
    def is_ok(self) -> bool:
        return self.status is Status.OK

    @property
    def blocks(self) -> bool:
        """A violation stops publishing (unless an exception is granted, when exemptable)."""
        return self.status is Status.VIOLATION


def worst(verdicts: Iterable[Verdict]) -> Status:
    """The most serious status among the verdicts (ok when there are none)."""
    return max((v.status for v in verdicts), key=_ORDER.__getitem__, default=Status.OK)


def more_severe(a: Status, b: Status) -> bool:
    return _ORDER[a] > _ORDER[b]
