"""Burden surveys: the survey, its invitations, the frozen invitation counts and the
anonymous responses.

Anonymity is a property of the schema, not of good manners: ``Response`` has no column
that leads to a person. It carries no user, no invitation, no student, no precise time
(the date only) and a random primary key (so not even the insertion order survives). The
invitation knows who was asked and whether they answered, never what; the response knows
what was answered and by which group (school, grade, audience), never by whom.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingfu.schools.models import District, School


class Survey(models.Model):
    """A burden survey run by one school, or by a district for all of its schools.

    ``school`` is empty for a district-wide survey; ``district`` is always set, so every
    survey is owned by a district even when a school runs it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=60)
    audiences = models.JSONField(_("调查对象"), default=list)  # ["student", "guardian", …]
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default="draft")
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_district_wide(self) -> bool:
        return self.school_id is None


class Invitation(models.Model):
    """One person's right to answer once: a student, a teacher, or a guardian for one child.

    A guardian with two children in scope gets two invitations and answers once per child,
    because homework time, bedtime and the child's grade differ between the children; one
    blended answer would fit neither grade. ``student`` is the child the answer is about
    (the student themself for a student's invitation, empty for a teacher).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(
        "schools.Student", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(max_length=10)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)  # teachers: none
    is_used = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "student"],
                condition=Q(student__isnull=False),
                name="survey_invitation_per_child",
            ),
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(student__isnull=True),
                name="survey_invitation_per_teacher",
            ),
        ]
        indexes = [models.Index(fields=["user", "is_used"])]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.audience}"


class InvitedGroup(models.Model):
    """How many were invited in one group, frozen when the survey opened.

    The denominator of the response rate: a roster change after opening (a pupil moving
    school) must not move a closed survey's rate, and results read these few rows instead
    of counting invitations.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    invited = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["school_id", "audience", "grade"]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.school_id} {self.audience} {self.grade}: {self.invited}"


class Response(models.Model):
    """One anonymous set of answers. Deliberately without any link to a person (see the
    module docstring); ``answers`` maps question ids to the cleaned values."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    submitted_on = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["survey", "school"])]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.audience}"
