"""Family time logs (作业日志), one seam per module:

- ``classday``: what a class-day is to a log (kind of day, published items, who is asked
  today), fetched once and cached;
- ``students``: the student a log is for, checked against the actor and cached;
- ``form``: the prefilled form a guardian sees;
- ``validation``: what a submitted log may say;
- ``write``: the hand-written SQL of the evening rush's hot path (one statement on
  PostgreSQL);
- ``submit``: saving a log (the service the pages and the API call);
- ``estimates``: the class-day's real homework time from the logs;
- ``inbox``: a teacher's alerts and the late-finish counts;
- ``mode``: how a class logs (everyone, or a rotating sample).

What follows from a log (calibration totals, alerts) is ``followup``'s, run by the
class-day refresh. The names other apps use are importable from here.
"""

from __future__ import annotations

from qingfu.homework.logs.classday import (
    ClassDay,
    SubjectLine,
    class_day_fetch,
    class_day_for,
    panel,
)
from qingfu.homework.logs.estimates import class_day_estimate
from qingfu.homework.logs.form import LogForm, log_form
from qingfu.homework.logs.inbox import alerts_for, late_counts, timelogs_anonymise
from qingfu.homework.logs.mode import class_logging_set
from qingfu.homework.logs.students import StudentCard
from qingfu.homework.logs.submit import timelog_submit
from qingfu.homework.logs.validation import MAX_SUBJECT_MINUTES

__all__ = [
    "MAX_SUBJECT_MINUTES",
    "ClassDay",
    "LogForm",
    "StudentCard",
    "SubjectLine",
    "alerts_for",
    "class_day_estimate",
    "class_day_fetch",
    "class_day_for",
    "class_logging_set",
    "late_counts",
    "log_form",
    "panel",
    "timelog_submit",
    "timelogs_anonymise",
]
