"""The class-day load check: the day's published homework plus a draft, against the policy.

Pure: the caller loads the day's items and the profile; this decides. The cap counts
written, mandatory, at-home minutes of every subject; prohibitions are checked on the
draft's own items only, since what is already published passed them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import (
    HomeworkItemFacts,
    check_homework_day,
    daily_homework_cap,
    take_home_written_minutes,
)
from qingfu.policy.rules import Profile
from qingfu.policy.verdicts import Status, Verdict, worst

NO_WRITTEN_RULE = "hw.cap.g1-2"  # grades 1–2: no written homework at home


@dataclass(frozen=True)
class DayItem:
    """An item already published for the class-day, as shown beside the draft."""

    subject: str
    teacher: str
    content: str
    minutes: int
    counts_toward_cap: bool


@dataclass(frozen=True)
class ClassDayCheck:
    class_id: int
    class_name: str
    grade: int
    day_kind: DayKind
    cap: int
    minutes_before: int
    minutes_after: int
    existing: tuple[DayItem, ...]
    day_verdicts: tuple[Verdict, ...]
    item_verdicts: tuple[tuple[Verdict, ...], ...]
    # Calibrated from families' reports: what the day's counted homework really takes.
    expected_actual: int | None = None

    @property
    def all_verdicts(self) -> list[Verdict]:
        return [*self.day_verdicts, *(v for vs in self.item_verdicts for v in vs)]

    @property
    def status(self) -> Status:
        return worst(self.all_verdicts)

    @property
    def problems(self) -> list[Verdict]:
        return [v for v in self.all_verdicts if v.status is not Status.OK]

    @property
    def blocking(self) -> list[Verdict]:
        # A day already over the cap (by a granted exception) does not block a draft that
        # adds no counted minutes, such as oral or at-school work.
        day = self.day_verdicts if self.minutes_after > self.minutes_before else ()
        items = [v for vs in self.item_verdicts for v in vs]
        return [v for v in (*day, *items) if v.blocks]

    @property
    def is_refused(self) -> bool:
        """A ban was broken: no exception can make this publishable."""
        return any(not v.exemptable for v in self.blocking)

    @property
    def needs_exception(self) -> bool:
        return bool(self.blocking) and not self.is_refused

    @property
    def over_by(self) -> int:
        return max(0, self.minutes_after - self.cap)

    @property
    def takes_no_written_homework(self) -> bool:
        """Grades 1–2: no written homework goes home at all (a cap of zero), which the
        page says once in plain words instead of "10 / 0 minutes" and a rule per item."""
        return self.cap == 0 and self.grade <= 2

    @property
    def problems_shown(self) -> list[Verdict]:
        """The problems to list, each once: with no written homework allowed, the grade
        1–2 rule is said by the plain sentence, not again per item and for the day."""
        shown: list[Verdict] = []
        for v in self.problems:
            if self.takes_no_written_homework and v.rule_id == NO_WRITTEN_RULE:
                continue
            if all((v.rule_id, v.message_zh) != (s.rule_id, s.message_zh) for s in shown):
                shown.append(v)
        return shown

    @property
    def no_written_verdict(self) -> Verdict | None:
        """The grade 1–2 rule's verdict (for its citation), when it was broken."""
        return next((v for v in self.problems if v.rule_id == NO_WRITTEN_RULE), None)

    @property
    def meter(self) -> dict[str, int]:
        """The load bar in percent of its length, which is the cap or, when the day goes
        over, the day's minutes: so the cap's mark stays visible and the part over it is
        drawn past the mark (70 / 60 fills the bar, the last seventh beyond the cap)."""
        scale = max(self.cap, self.minutes_after, 1)
        over = max(0, self.minutes_after - self.cap)

        def pct(minutes: int) -> int:
            return round(100 * minutes / scale)

        return {
            "before": pct(min(self.minutes_before, self.cap)),
            "after": pct(min(self.minutes_after, self.cap)),
            "cap": pct(self.cap),
            "over": pct(over),
        }

    @property
    def share_of_cap(self) -> float:
        return self.minutes_after / self.cap if self.cap else (1.0 if self.minutes_after else 0.0)


def check_class_day(
    profile: Profile,
    *,
    class_id: int,
    class_name: str,
    grade: int,
    day_kind: DayKind,
    existing: Sequence[tuple[DayItem, HomeworkItemFacts]],
    drafts: Sequence[HomeworkItemFacts],
) -> ClassDayCheck:
    before = [facts for _, facts in existing]
    after = [*before, *drafts]
    verdicts = check_homework_day(
        profile, grade=grade, day_kind=day_kind, published=before, drafts=drafts
    )
    return ClassDayCheck(
        class_id=class_id,
        class_name=class_name,
        grade=grade,
        day_kind=day_kind,
        cap=daily_homework_cap(profile, grade=grade, day_kind=day_kind),
        minutes_before=take_home_written_minutes(before),
        minutes_after=take_home_written_minutes(after),
        existing=tuple(item for item, _ in existing),
        day_verdicts=verdicts.day,
        item_verdicts=verdicts.items,
    )
