"""Families' ranked clubs for each segment, checked against the program's phase, the child's
pickup time and each club's grades."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from qingfu.afterschool import selectors
from qingfu.afterschool.models import (
    Club,
    Preference,
    Program,
)
from qingfu.afterschool.services.access import guardian_child, program_for_student
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed


def preferences_set(
    *, actor: Actor, student_id: int, segment_id: int, club_ids: Sequence[int]
) -> list[Preference]:
    """Replace the student's ranked clubs for one segment (best first)."""
    student = guardian_child(actor, student_id)
    program = program_for_student(student)
    if program.phase != Program.Phase.SIGNUP:
        raise ValidationFailed.single("__all__", _("志愿填报未在进行中。"))
    segment = program.segments.filter(id=segment_id).first()
    if segment is None:
        raise NotFound()
    signup = selectors.latest_signup(program, student.pk)
    if signup is None or signup.withdrawn:
        raise ValidationFailed.single("__all__", _("请先报名参加课后服务。"))
    if signup.last_segment < segment.order:
        raise ValidationFailed.single(
            "segment_id", _("孩子在%(segment)s前已接走。") % {"segment": segment.label}
        )
    if len(club_ids) > program.max_choices:
        raise ValidationFailed.single(
            "club_ids", _("每个时段最多填 %(n)d 个志愿。") % {"n": program.max_choices}
        )
    if len(set(club_ids)) != len(club_ids):
        raise ValidationFailed.single("club_ids", _("同一社团不能重复填报。"))
    clubs = {c.pk: c for c in Club.objects.filter(program=program, id__in=club_ids)}
    for club_id in club_ids:
        club = clubs.get(club_id)
        if club is None or club.segment_id != segment.pk:
            raise ValidationFailed.single("club_ids", _("所选社团不在这个时段。"))
        if not club.admits(student):
            raise ValidationFailed.single(
                "club_ids",
                _("“%(club)s”面向%(a)d-%(b)d年级，孩子不能报名。")
                % {"club": club.name, "a": club.grade_from, "b": club.grade_to},
            )
    with transaction.atomic():
        Preference.objects.filter(program=program, student=student, segment=segment).delete()
        return Preference.objects.bulk_create(
            Preference(
                school_id=student.school_id,
                program=program,
                student=student,
                segment=segment,
                club_id=club_id,
                rank=rank,
            )
            for rank, club_id in enumerate(club_ids, start=1)
        )
