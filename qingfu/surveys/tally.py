"""Counting answers into distributions, with small groups suppressed. Pure: no ORM.

The rule is ``priv.min-group``: a group with fewer respondents than the minimum shows its
response count but no distribution, no mean and no comments, so nobody's answer can be
read off a table with two people in it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qingfu.surveys.questionnaire import Kind, Question, Questionnaire, applies

# Lower bound (minutes) of each homework-minute bucket: a bucket is "over the cap" when
# even its shortest time is over the cap.
BUCKET_FLOOR = {"none": 0, "le30": 1, "31-60": 31, "61-90": 61, "gt90": 91}


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionTally:
    question: Question
    answered: int
    bars: tuple[Bar, ...] | None  # None: suppressed (fewer than the minimum)
    mean: float | None = None  # likert and number
    median: float | None = None  # number

    @property
    def is_suppressed(self) -> bool:
        return self.bars is None and self.mean is None


@dataclass(frozen=True)
class GradeMinutes:
    """Homework-minute buckets of one grade, with the share reported over that grade's cap."""

    grade: int
    respondents: int
    bars: tuple[Bar, ...] | None
    cap: int
    over_cap_percent: float | None


def rate(responded: int, invited: int) -> float | None:
    return round(100 * responded / invited, 1) if invited else None


def tally_question(
    question: Question, answers: Sequence[Mapping[str, object]], minimum: int
) -> QuestionTally:
    """One question over the answers of a group; only those it applied to are counted."""
    given = [a[question.id] for a in answers if applies(question, a) and question.id in a]
    if len(given) < minimum:
        return QuestionTally(question, len(given), None)
    if question.kind is Kind.NUMBER:
        numbers = [float(v) for v in given if isinstance(v, int | float)]
        return QuestionTally(
            question,
            len(given),
            None,
            mean=round(statistics.fmean(numbers), 1),
            median=float(statistics.median(numbers)),
        )
    counts = Counter(str(v) for v in given)
    bars = tuple(
        Bar(value, question.label_of(value), counts[value], round(100 * counts[value] / len(given)))
        for value in question.values
    )
    mean = None
    if question.kind is Kind.LIKERT:
        mean = round(statistics.fmean(int(str(v)) for v in given), 1)
    return QuestionTally(question, len(given), bars, mean=mean)


def tally(
    questionnaire: Questionnaire, answers: Sequence[Mapping[str, object]], minimum: int
) -> list[QuestionTally]:
    """Every closed question of the questionnaire (free text is listed, not tallied)."""
    return [
        tally_question(q, answers, minimum) for q in questionnaire.questions if q.kind != Kind.TEXT
    ]


def minutes_by_grade(
    question: Question,
    by_grade: Mapping[int, Sequence[Mapping[str, object]]],
    caps: Mapping[int, int],
    minimum: int,
) -> list[GradeMinutes]:
    rows = []
    for grade in sorted(by_grade):
        result = tally_question(question, by_grade[grade], minimum)
        over = None
        if result.bars is not None and result.answered:
            n_over = sum(b.count for b in result.bars if BUCKET_FLOOR[b.value] > caps[grade])
            over = round(100 * n_over / result.answered)
        rows.append(GradeMinutes(grade, result.answered, result.bars, caps[grade], over))
    # Secondary suppression: the overall distribution is shown beside this table, so one
    # small hidden grade could be recovered by subtracting the shown grades from it. Hide
    # the smallest shown grades too until the hidden ones together reach the minimum.
    hidden = sum(r.respondents for r in rows if r.bars is None)
    while 0 < hidden < minimum:
        shown = [r for r in rows if r.bars is not None]
        if not shown:
            break
        smallest = min(shown, key=lambda r: (r.respondents, r.grade))
        rows[rows.index(smallest)] = GradeMinutes(
            smallest.grade, smallest.respondents, None, smallest.cap, None
        )
        hidden += smallest.respondents
    return rows


def comments(
    question_id: str, answers: Sequence[Mapping[str, object]], minimum: int
) -> list[tuple[str, int]] | None:
    """Free-text answers as (text, how many wrote exactly this), sorted by text, so the order
    says nothing about who or when; None when the group is below the minimum (a comment
    from a group of two is a name)."""
    if len(answers) < minimum:
        return None
    counts = Counter(str(a[question_id]).strip() for a in answers if a.get(question_id))
    return sorted(counts.items())
