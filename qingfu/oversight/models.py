"""Class-day rollups: one row per class and day with homework, logs, exceptions or
after-school marks, holding the figures dashboards and reports read.

A rollup is a function of that class-day's own records only (never of other days), so it
can be refreshed locally whenever one of them changes and rebuilt from scratch with the
same result. School days without any record have no row: readers count them as zero
minutes within the cap, from the school calendar.
"""

from __future__ import annotations

from django.db import models

from qingfu.schools.models import School, SchoolClass


class ClassDayRollup(models.Model):
    """The figures of one class-day: planned homework against the cap, what families
    reported (an estimate with its 90% interval when only a sample logged), late
    finishing, exceptions granted and after-school attendance."""

    class Verdict(models.TextChoices):
        OK = "ok", "ok"
        WARN = "warn", "warn"
        VIOLATION = "violation", "violation"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    grade = models.PositiveSmallIntegerField()  # 1-9, kept here so rollups group without joins
    date = models.DateField()
    day_kind = models.CharField(max_length=12)  # policy.calendar.DayKind value
    cap = models.PositiveIntegerField(default=0)
    # Take-home written mandatory minutes published for the day (what the cap counts).
    planned_minutes = models.PositiveIntegerField(default=0)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.OK)
    class_size = models.PositiveIntegerField(default=0)
    logs = models.PositiveIntegerField(default=0)  # families' time logs for the evening
    # Families' reported written minutes, scaled to the cap's written share; null: no logs.
    reported_minutes = models.FloatField(null=True, blank=True)
    reported_low = models.FloatField(null=True, blank=True)
    reported_high = models.FloatField(null=True, blank=True)
    reported_over = models.BooleanField(default=False)  # the estimate is above the cap
    late_finishes = models.PositiveIntegerField(default=0)  # logs finished after bedtime
    not_finished = models.PositiveIntegerField(default=0)  # logs marked "could not finish"
    exceptions_granted = models.PositiveIntegerField(default=0)
    afterschool_marks = models.PositiveIntegerField(default=0)  # students marked that day
    afterschool_attended = models.PositiveIntegerField(default=0)  # present or picked up early
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="rollup_class_day")
        ]
        indexes = [models.Index(fields=["school", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date}"


class RollupQueue(models.Model):
    """A class-day whose rollup awaits a refresh in the background (the outbox mark), when
    rollups are refreshed there (settings.QINGFU_ROLLUPS = "queued"): by Celery workers,
    or by ``qingfu rollups_worker`` without a broker.

    The writer upserts this row inside its own transaction, which locks it until the write
    commits, and bumps ``version``. A worker refreshes while holding the row's lock and
    deletes the row only at the version it read, in the refresh's transaction: it never
    refreshes from a write not yet visible, two workers never refresh one class-day at
    once, and a mark made meanwhile leaves the row for another refresh (no lost refresh).
    A failed refresh is counted here and retried after a backoff; after
    ``QINGFU_ROLLUPS_MAX_ATTEMPTS`` the mark is skipped until the class-day changes again
    (or ``qingfu rollups_worker --retry-failed``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    queued_at = models.DateTimeField()  # the latest mark
    version = models.PositiveBigIntegerField(default=1, db_default=1)  # +1 at every mark
    attempts = models.PositiveIntegerField(default=0, db_default=0)  # failed since the mark
    last_error = models.TextField(blank=True, default="", db_default="")
    failed_at = models.DateTimeField(null=True, blank=True)
    # Not sent again before this (a retry's backoff, or a sweep's re-send in flight).
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school_class", "date"], name="rollup_queue_class_day")
        ]
        indexes = [models.Index(fields=["queued_at"])]

    def __str__(self) -> str:
        return f"{self.school_class_id}@{self.date}"
