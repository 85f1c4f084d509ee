"""What a submitted log may say: a past or present school-semester day, minutes only for
the day's subjects and within bounds, a finishing time (not in the future) or a reason
for not finishing. Checks the values only; the errors are keyed by form field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from django.utils.translation import gettext as _

from qingfu.policy.calendar import DayKind

MAX_SUBJECT_MINUTES = 300


def log_errors(
    *,
    day: dt.date,
    now: dt.datetime,
    day_kind: DayKind,
    subjects: Collection[int],
    minutes: Mapping[int, int],
    at_school: Collection[int],
    finished_at: dt.time | None,
    could_not_finish: bool,
    reason: str,
) -> dict[str, list[str]]:
    """The errors of a log for ``day`` submitted at ``now`` (school local time), whose
    class-day has these ``subjects``; empty when the log may be saved."""
    errors: dict[str, list[str]] = {}
    today = now.date()
    if day > today:
        errors["date"] = [_("不能记录未来日期的作业。")]
    if day_kind is DayKind.VACATION:
        errors["date"] = [_("日期不在本学期内。")]
    for subject_id, value in minutes.items():
        if subject_id not in subjects:
            errors[f"minutes.{subject_id}"] = [_("这门学科当天没有布置作业。")]
        elif not 0 <= value <= MAX_SUBJECT_MINUTES:
            errors[f"minutes.{subject_id}"] = [
                _("用时应在 0 到 %(max)d 分钟之间。") % {"max": MAX_SUBJECT_MINUTES}
            ]
    for subject_id in at_school:
        if subject_id not in minutes:
            errors[f"at_school.{subject_id}"] = [_("这门学科当天没有记录用时。")]
    if finished_at is None and not could_not_finish:
        errors["finished_at"] = [_("请填写完成时间，或选择“未能完成”。")]
    if (
        finished_at is not None
        and day == today
        and finished_at > now.time()
        and finished_at.hour >= 5
    ):
        errors["finished_at"] = [_("完成时间不能晚于现在。")]
    if could_not_finish and not reason.strip():
        errors["reason"] = [_("请简单说明未能完成的原因。")]
    return errors
