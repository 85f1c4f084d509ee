"""Saving (or correcting) one evening's log: the service behind the guardian's form and
the API. Reads come from the cache; the write is ``write``'s; what follows (rollup,
calibration, alerts) is announced for the class-day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db import transaction
from django.utils import timezone

from qingfu.core.actor import Actor
from qingfu.core.changes import (
    announce_class_days,
    class_days_mark_statement,
    class_days_marked,
)
from qingfu.core.errors import ValidationFailed
from qingfu.core.reads import Reads
from qingfu.homework.cache import school_profile
from qingfu.homework.logs.students import class_day_of
from qingfu.homework.logs.validation import log_errors
from qingfu.homework.logs.write import log_insert, log_save
from qingfu.homework.models import TimeLog
from qingfu.policy.checks import check_bedtime
from qingfu.policy.verdicts import Status


def timelog_submit(
    *,
    actor: Actor,
    student_id: int,
    day: dt.date,
    minutes: dict[int, int],
    finished_at: dt.time | None,
    could_not_finish: bool,
    reason: str,
    now: dt.datetime,
    at_school: Collection[int] = (),
) -> TimeLog:
    """Save (or correct) one evening's log. A second submit for the same evening updates it.

    ``at_school`` names the subjects whose homework was done at school (after-school help).
    The student, the class-day and the policy come from the cache while nothing they are
    built from has changed; the write is the log and its entries. What follows from them
    (the rollup, calibration totals, alerts) runs on commit or in the background worker.
    """
    reads = Reads(actor.school_ids)
    card, class_day = class_day_of(actor, student_id, day, reads)
    known = {line.subject_id: line for line in class_day.lines}
    errors = log_errors(
        day=day,
        now=now,
        day_kind=class_day.day_kind,
        subjects=known,
        minutes=minutes,
        at_school=at_school,
        finished_at=finished_at,
        could_not_finish=could_not_finish,
        reason=reason,
    )
    if errors:
        raise ValidationFailed(errors)
    profile = school_profile(card.school_id, reads)
    late = (
        finished_at is not None
        and check_bedtime(profile, stage=card.stage, finished_at=finished_at).status
        is not Status.OK
    )
    values = {
        "school_id": card.school_id,
        "school_class_id": card.class_id,
        "finished_at": finished_at,
        "could_not_finish": could_not_finish,
        "reason": reason.strip()[:200],
        "is_late": late,
        "was_sampled": class_day.asked is None or student_id in class_day.asked,
        "logged_by_id": actor.user_id,
    }
    entries = [
        (sid, value, known[sid].estimated, sid in at_school) for sid, value in minutes.items()
    ]
    keys = {(card.class_id, day)}
    # Calibration, the alerts and the rollup follow from the class-day's records.
    mark = class_days_mark_statement(school_id=card.school_id, keys=keys)
    now_utc = timezone.now()
    log_id, to_send = log_insert(student_id, day, values, entries, mark, now=now_utc)
    if log_id is None:  # SQLite, or a correction of the evening's log
        with transaction.atomic():
            log_id = log_save(student_id, day, values, entries, now=now_utc)
            if to_send:  # the statement's mark was new: its work leaves with this commit
                class_days_marked(school_id=card.school_id, keys=to_send)
            announce_class_days(school_id=card.school_id, keys=keys)
    elif mark is None:
        announce_class_days(school_id=card.school_id, keys=keys)
    elif to_send:  # the statement made a new mark; the work is sent once it commits
        class_days_marked(school_id=card.school_id, keys=to_send)
    return TimeLog(pk=log_id, student_id=student_id, date=day, **values)
