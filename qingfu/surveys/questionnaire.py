"""The standard burden questionnaire (课业负担调查问卷) as data, and the pure check of answers.

One short questionnaire per audience (students in grades 3-9, guardians, teachers); a
guardian answers it in about two minutes on a phone. Every question has a stable id (answers
are stored under it, so a wording change never breaks old results), Chinese and English
text, and a kind:

- ``choice``: one option out of a few buckets (the homework-minute buckets follow the caps:
  none, ≤30, 31-60, 61-90, >90, so a result reads straight against 60 / 90 minutes);
- ``likert``: 1-5 with labels at both ends;
- ``number``: a whole number within a range;
- ``text``: optional free text, kept but never attributed.

A question may apply only when an earlier one has a given answer (after-school satisfaction
only for those who take part). Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from qingfu.core.errors import ValidationFailed

TEXT_MAX = 500


class Audience(StrEnum):
    STUDENT = "student"
    GUARDIAN = "guardian"
    TEACHER = "teacher"


class Kind(StrEnum):
    CHOICE = "choice"
    LIKERT = "likert"
    NUMBER = "number"
    TEXT = "text"


# Students are asked from grade 3: younger children answer through their guardians.
STUDENT_GRADES = range(3, 10)


@dataclass(frozen=True)
class Option:
    value: str
    zh: str
    en: str

    @property
    def label(self) -> str:
        return self.en if _english() else self.zh


@dataclass(frozen=True)
class Question:
    id: str
    kind: Kind
    zh: str
    en: str
    options: tuple[Option, ...] = ()
    low_zh: str = ""  # likert: what 1 means
    low_en: str = ""
    high_zh: str = ""  # likert: what 5 means
    high_en: str = ""
    minimum: int = 0  # number
    maximum: int = 0
    unit_zh: str = ""
    unit_en: str = ""
    # (question id, answer value): asked only when that earlier answer was given.
    only_if: tuple[str, str] | None = None
    required: bool = True

    @property
    def text(self) -> str:
        return self.en if _english() else self.zh

    @property
    def low(self) -> str:
        return self.low_en if _english() else self.low_zh

    @property
    def high(self) -> str:
        return self.high_en if _english() else self.high_zh

    @property
    def unit(self) -> str:
        return self.unit_en if _english() else self.unit_zh

    @property
    def values(self) -> tuple[str, ...]:
        """The answers a choice or likert question accepts, in display order."""
        if self.kind is Kind.LIKERT:
            return ("1", "2", "3", "4", "5")
        return tuple(o.value for o in self.options)

    def label_of(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True)
class Questionnaire:
    audience: Audience
    questions: tuple[Question, ...] = field(default_factory=tuple)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


MINUTES = (
    Option("none", "没有书面作业", "No written homework"),
    Option("le30", "30 分钟以内", "Up to 30 min"),
    Option("31-60", "31–60 分钟", "31–60 min"),
    Option("61-90", "61–90 分钟", "61–90 min"),
    Option("gt90", "90 分钟以上", "More than 90 min"),
)
FINISH = (
    Option("before19", "19:00 以前", "Before 19:00"),
    Option("19-20", "19:00–20:00", "19:00–20:00"),
    Option("20-21", "20:00–21:00", "20:00–21:00"),
    Option("21-22", "21:00–22:00", "21:00–22:00"),
    Option("after22", "22:00 以后", "After 22:00"),
)
BEDTIME = (
    Option("before2100", "21:00 以前", "Before 21:00"),
    Option("2100-2130", "21:00–21:30", "21:00–21:30"),
    Option("2130-2200", "21:30–22:00", "21:30–22:00"),
    Option("2200-2300", "22:00–23:00", "22:00–23:00"),
    Option("after2300", "23:00 以后", "After 23:00"),
)
SLEEP = (
    Option("lt7", "不足 7 小时", "Under 7 h"),
    Option("7-8", "7–8 小时", "7–8 h"),
    Option("8-9", "8–9 小时", "8–9 h"),
    Option("9-10", "9–10 小时", "9–10 h"),
    Option("ge10", "10 小时及以上", "10 h or more"),
)
AMOUNT = (
    Option("little", "偏少", "Too little"),
    Option("right", "合适", "About right"),
    Option("much", "偏多", "A bit too much"),
    Option("too_much", "太多", "Far too much"),
)
YES_NO = (Option("yes", "参加", "Yes"), Option("no", "不参加", "No"))

_STRESS_LOW = ("很小", "Very low")
_STRESS_HIGH = ("很大", "Very high")
_SATISFIED_LOW = ("很不满意", "Very dissatisfied")
_SATISFIED_HIGH = ("很满意", "Very satisfied")


def _likert(
    qid: str, zh: str, en: str, low: tuple[str, str], high: tuple[str, str], **kw: object
) -> Question:
    return Question(
        qid, Kind.LIKERT, zh, en, low_zh=low[0], low_en=low[1], high_zh=high[0], high_en=high[1],
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


SUGGESTIONS = Question(
    "suggestions", Kind.TEXT, "意见和建议（选填）", "Comments and suggestions (optional)",
    required=False,
)  # fmt: skip

QUESTIONNAIRES: dict[Audience, Questionnaire] = {
    Audience.STUDENT: Questionnaire(
        Audience.STUDENT,
        (
            Question("hw_minutes", Kind.CHOICE, "昨天的书面作业，你一共用了多长时间？",
                     "How long did your written homework take yesterday?", MINUTES),
            Question("finish_time", Kind.CHOICE, "昨天几点写完作业？",
                     "When did you finish your homework yesterday?", FINISH),
            Question("sleep_hours", Kind.CHOICE, "上学的日子，你一般每晚睡多长时间？",
                     "On school nights, how long do you usually sleep?", SLEEP),
            Question("hw_amount", Kind.CHOICE, "你觉得现在的作业量合适吗？",
                     "Is the amount of homework about right?", AMOUNT),
            _likert("stress", "你觉得学习压力有多大？", "How much pressure do you feel from study?",
                    _STRESS_LOW, _STRESS_HIGH),
            Question("after_school", Kind.CHOICE, "你参加学校的课后服务吗？",
                     "Do you take part in the school's after-school service?", YES_NO),
            _likert("after_school_satisfaction", "你对学校的课后服务满意吗？",
                    "How satisfied are you with the after-school service?",
                    _SATISFIED_LOW, _SATISFIED_HIGH, only_if=("after_school", "yes")),
            SUGGESTIONS,
        ),
    ),
    Audience.GUARDIAN: Questionnaire(
        Audience.GUARDIAN,
        (
            Question("hw_minutes", Kind.CHOICE, "昨天孩子完成书面作业一共用了多长时间？",
                     "How long did your child's written homework take yesterday?", MINUTES),
            Question("bedtime", Kind.CHOICE, "上学的日子，孩子一般几点睡觉？",
                     "On school nights, when does your child usually go to bed?", BEDTIME),
            Question("sleep_hours", Kind.CHOICE, "孩子一般每晚睡多长时间？",
                     "How long does your child usually sleep?", SLEEP),
            Question("hw_amount", Kind.CHOICE, "您觉得孩子现在的作业量合适吗？",
                     "Is your child's homework about the right amount?", AMOUNT),
            _likert("stress", "您觉得孩子的学习压力有多大？",
                    "How much study pressure do you think your child feels?",
                    _STRESS_LOW, _STRESS_HIGH),
            Question("after_school", Kind.CHOICE, "孩子参加学校的课后服务吗？",
                     "Does your child take part in the after-school service?", YES_NO),
            _likert("after_school_satisfaction", "您对学校的课后服务满意吗？",
                    "How satisfied are you with the after-school service?",
                    _SATISFIED_LOW, _SATISFIED_HIGH, only_if=("after_school", "yes")),
            SUGGESTIONS,
        ),
    ),
    Audience.TEACHER: Questionnaire(
        Audience.TEACHER,
        (
            Question("class_hw_within_cap", Kind.CHOICE,
                     "您任教班级每天的书面作业总量能控制在规定时间内吗？",
                     "Does the daily written homework of your classes stay within the cap?",
                     (Option("always", "都能", "Always"), Option("mostly", "大多能", "Mostly"),
                      Option("often_not", "经常超出", "Often exceeded"))),
            Question("non_teaching_hours", Kind.NUMBER,
                     "上周用于非教学事务（填表、检查、会议、进校园活动等）约多少小时？",
                     "Hours spent last week on non-teaching tasks (forms, inspections, "
                     "meetings, campus events)?",
                     minimum=0, maximum=60, unit_zh="小时", unit_en="h"),
            _likert("stress", "您觉得工作压力有多大？", "How much pressure do you feel at work?",
                    _STRESS_LOW, _STRESS_HIGH),
            _likert("after_school_satisfaction", "您对课后服务的安排（含弹性上下班）满意吗？",
                    "How satisfied are you with the after-school arrangements "
                    "(including flexible hours)?",
                    _SATISFIED_LOW, _SATISFIED_HIGH),
            SUGGESTIONS,
        ),
    ),
}  # fmt: skip

AUDIENCE_LABELS = {
    Audience.STUDENT: ("学生（3–9 年级）", "Students (grades 3–9)"),
    Audience.GUARDIAN: ("家长", "Guardians"),
    Audience.TEACHER: ("教师", "Teachers"),
}


AUDIENCE_SHORT = {
    Audience.STUDENT: ("学生", "Students"),
    Audience.GUARDIAN: ("家长", "Guardians"),
    Audience.TEACHER: ("教师", "Teachers"),
}


def audience_short(audience: str) -> str:
    zh, en = AUDIENCE_SHORT[Audience(audience)]
    return en if _english() else zh


def audience_label(audience: str) -> str:
    zh, en = AUDIENCE_LABELS[Audience(audience)]
    return en if _english() else zh


def applies(question: Question, answers: Mapping[str, object]) -> bool:
    if question.only_if is None:
        return True
    asked, value = question.only_if
    return answers.get(asked) == value


def clean_answers(audience: Audience, raw: Mapping[str, str]) -> dict[str, str | int]:
    """The answers to keep, or ``ValidationFailed`` naming each bad field; nothing partial.

    ``raw`` maps question ids to the submitted strings. Unknown ids are refused (a form
    posting a field we never asked is a bug or a probe); answers to questions that do not
    apply (satisfaction without taking part) are dropped rather than kept.
    """
    questionnaire = QUESTIONNAIRES[audience]
    errors: dict[str, list[str]] = {}
    for key in raw:
        if questionnaire.question(key) is None:
            errors[key] = [_("未知的问题“%(id)s”。") % {"id": key}]
    answers: dict[str, str | int] = {}
    for q in questionnaire.questions:
        value = (raw.get(q.id) or "").strip()
        if not applies(q, answers):
            continue
        if not value:
            if q.required:
                errors[q.id] = [_("请回答：%(q)s") % {"q": q.text}]
            continue
        if q.kind in (Kind.CHOICE, Kind.LIKERT):
            if value not in q.values:
                errors[q.id] = [_("“%(q)s”的答案不在选项中。") % {"q": q.text}]
                continue
            answers[q.id] = int(value) if q.kind is Kind.LIKERT else value
        elif q.kind is Kind.NUMBER:
            if not value.isdigit() or not q.minimum <= int(value) <= q.maximum:
                errors[q.id] = [
                    _("“%(q)s”应填 %(lo)d 至 %(hi)d 之间的整数。")
                    % {"q": q.text, "lo": q.minimum, "hi": q.maximum}
                ]
                continue
            answers[q.id] = int(value)
        else:
            if len(value) > TEXT_MAX:
                errors[q.id] = [
                    ngettext("“%(q)s”最多 %(n)d 字。", "“%(q)s”最多 %(n)d 字。", TEXT_MAX)
                    % {
                        "q": q.text,
                        "n": TEXT_MAX,
                    }
                ]
                continue
            answers[q.id] = value
    if errors:
        raise ValidationFailed(errors)
    return answers
