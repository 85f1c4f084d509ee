"""Plain data passed between the edges, the services and the pure load check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qingfu.policy.checks import HomeworkItemFacts


@dataclass(frozen=True)
class ItemDraft:
    content: str
    kind: str
    tier: str
    minutes: int
    place: str
    is_mandatory: bool = True
    ability_elements: tuple[str, ...] = ()
    needs_phone: bool = False
    asks_parents_to_grade: bool = False
    is_punitive: bool = False
    copying_minutes: int = 0

    def facts(self, subject_code: str) -> HomeworkItemFacts:
        return HomeworkItemFacts(
            subject=subject_code,
            minutes=self.minutes,
            is_written=self.kind == "written",
            at_home=self.place == "home",
            is_mandatory=self.is_mandatory,
            needs_phone=self.needs_phone,
            asks_parents_to_grade=self.asks_parents_to_grade,
            is_punitive=self.is_punitive,
            copying_minutes=self.copying_minutes,
        )


@dataclass(frozen=True)
class HomeworkDraft:
    subject_id: int
    class_ids: tuple[int, ...]
    date: dt.date
    due_on: dt.date
    items: tuple[ItemDraft, ...]
    note: str = ""
