"""The questionnaire's answer check and the tallies: pure, no database."""

from __future__ import annotations

import pytest

from qingfu.core.errors import ValidationFailed
from qingfu.surveys import tally
from qingfu.surveys.questionnaire import QUESTIONNAIRES, Audience, Kind, clean_answers
from qingfu.surveys.tests.factories import GOOD


@pytest.mark.parametrize("audience", list(Audience))
def test_every_questionnaire_is_short_and_has_unique_ids(audience: Audience) -> None:
    questions = QUESTIONNAIRES[audience].questions
    assert len(questions) <= 8  # two minutes on a phone
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.zh and q.en for q in questions)
    assert questions[-1].kind is Kind.TEXT and not questions[-1].required


@pytest.mark.parametrize("audience", list(Audience))
def test_good_answers_are_kept_typed(audience: Audience) -> None:
    cleaned = clean_answers(audience, GOOD[audience])
    assert cleaned["stress"] == int(GOOD[audience]["stress"])


def test_satisfaction_is_dropped_when_the_child_does_not_take_part() -> None:
    raw = GOOD["guardian"] | {"after_school_satisfaction": "5"}
    assert "after_school_satisfaction" not in clean_answers(Audience.GUARDIAN, raw)
    raw = GOOD["guardian"] | {"after_school": "yes"}
    with pytest.raises(ValidationFailed) as exc:
        clean_answers(Audience.GUARDIAN, raw)
    assert "after_school_satisfaction" in exc.value.errors


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hw_minutes", "200", "不在选项中"),
        ("stress", "6", "不在选项中"),
        ("stress", "0", "不在选项中"),
        ("hw_minutes", "", "请回答"),
        ("favourite_colour", "blue", "未知的问题"),
        ("suggestions", "长" * 501, "最多 500 字"),
    ],
)
def test_bad_answers_name_the_field(field: str, value: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        clean_answers(Audience.STUDENT, GOOD["student"] | {field: value})
    assert message in " ".join(exc.value.errors[field])


@pytest.mark.parametrize("value", ["61", "-1", "5.5", "abc"])
def test_numbers_out_of_range_are_refused(value: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        clean_answers(Audience.TEACHER, GOOD["teacher"] | {"non_teaching_hours": value})
    assert "0 至 60" in exc.value.errors["non_teaching_hours"][0]


def test_a_group_below_the_minimum_shows_nothing_but_its_size() -> None:
    questionnaire = QUESTIONNAIRES[Audience.STUDENT]
    four = [clean_answers(Audience.STUDENT, GOOD["student"])] * 4
    results = tally.tally(questionnaire, four, minimum=5)
    assert all(t.is_suppressed and t.answered == 4 for t in results)
    assert tally.comments("suggestions", four, minimum=5) is None
    shown = tally.tally(questionnaire, [*four, four[0]], minimum=5)
    minutes = next(t for t in shown if t.question.id == "hw_minutes")
    assert minutes.bars is not None
    assert {b.value: b.count for b in minutes.bars}["31-60"] == 5
    stress = next(t for t in shown if t.question.id == "stress")
    assert stress.mean == 2.0


def test_satisfaction_counts_only_those_taking_part() -> None:
    q = QUESTIONNAIRES[Audience.STUDENT].question("after_school_satisfaction")
    assert q is not None
    rows = [{"after_school": "yes", q.id: 5}] * 5 + [{"after_school": "no"}] * 5
    result = tally.tally_question(q, rows, minimum=5)
    assert result.answered == 5 and result.mean == 5.0


def test_comments_are_sorted_by_text_not_by_arrival() -> None:
    rows = [{"suggestions": t} for t in ("乙", "甲", "丙", "", "甲")]
    assert tally.comments("suggestions", rows, minimum=5) == sorted(
        [("乙", 1), ("甲", 2), ("丙", 1)]
    )


def test_share_over_the_cap_by_grade() -> None:
    q = QUESTIONNAIRES[Audience.GUARDIAN].question("hw_minutes")
    assert q is not None
    g3 = [{"hw_minutes": v} for v in ("le30", "31-60", "61-90", "gt90", "31-60")]
    g7 = [{"hw_minutes": v} for v in ("61-90", "61-90", "gt90", "31-60", "le30")]
    rows = tally.minutes_by_grade(q, {3: g3, 7: g7, 8: g7[:2]}, {3: 60, 7: 90, 8: 90}, 5)
    # Grade 8 is too small; grade 3 (the smallest shown) is hidden too, see below.
    assert [(r.grade, r.over_cap_percent) for r in rows] == [(3, None), (7, 20), (8, None)]
    rows = tally.minutes_by_grade(q, {3: g3, 7: g7}, {3: 60, 7: 90}, 5)
    assert [(r.grade, r.over_cap_percent) for r in rows] == [(3, 40), (7, 20)]


def test_one_small_hidden_grade_hides_the_next_smallest_so_it_cannot_be_subtracted() -> None:
    q = QUESTIONNAIRES[Audience.GUARDIAN].question("hw_minutes")
    assert q is not None
    five, six = [{"hw_minutes": "le30"}] * 5, [{"hw_minutes": "gt90"}] * 6
    rows = tally.minutes_by_grade(
        q, {3: [{"hw_minutes": "gt90"}] * 2, 4: six, 5: five}, dict.fromkeys(range(1, 10), 60), 5
    )
    assert [(r.grade, r.bars is None) for r in rows] == [(3, True), (4, False), (5, True)]
