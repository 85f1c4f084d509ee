"""Writes for the semester's program: its days, hours and segments, its phase, and its
filing with the district (备案, refused while a policy rule is violated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingfu.afterschool import phases, selectors
from qingfu.afterschool.models import (
    Program,
    Segment,
)
from qingfu.afterschool.services.access import admin_program
from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.models import Semester
from qingfu.schools.services import require_school_admin


@dataclass(frozen=True)
class ProgramInput:
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    segments: tuple[tuple[dt.time, dt.time], ...]
    max_choices: int = 3


def _validate_program(data: ProgramInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.weekdays or any(d not in range(7) for d in data.weekdays):
        errors["weekdays"] = [_("请选择服务日（周一至周日）。")]
    if data.end <= data.start:
        errors["end"] = [_("结束时间必须晚于开始时间。")]
    if not 1 <= data.max_choices <= 5:
        errors["max_choices"] = [_("每时段志愿数应为 1 至 5 个。")]
    previous_end = data.start
    for k, (start, end) in enumerate(data.segments, start=1):
        if end <= start:
            errors.setdefault("segments", []).append(
                _("第 %(k)d 时段：结束时间必须晚于开始时间。") % {"k": k}
            )
        elif start < previous_end or end > data.end:
            errors.setdefault("segments", []).append(
                _("第 %(k)d 时段 %(s)s-%(e)s 不在服务时间 %(a)s-%(b)s 内，或与前一时段重叠。")
                % {
                    "k": k,
                    "s": f"{start:%H:%M}",
                    "e": f"{end:%H:%M}",
                    "a": f"{data.start:%H:%M}",
                    "b": f"{data.end:%H:%M}",
                }
            )
        previous_end = max(previous_end, end)
    if not data.segments:
        errors["segments"] = [_("至少设置一个时段。")]
    if errors:
        raise ValidationFailed(errors)


def program_save(*, actor: Actor, semester_id: int, data: ProgramInput) -> Program:
    """Create or change the semester's program; segments are matched by their order."""
    semester = Semester.objects.filter(id=semester_id).first()
    if semester is None:
        raise NotFound()
    require_school_admin(actor, semester.school_id)
    _validate_program(data)
    with transaction.atomic():
        program, _created = Program.objects.select_for_update().get_or_create(
            semester=semester,
            defaults={
                "school_id": semester.school_id,
                "weekdays": sorted(set(data.weekdays)),
                "start": data.start,
                "end": data.end,
                "max_choices": data.max_choices,
            },
        )
        program.weekdays = sorted(set(data.weekdays))
        program.start, program.end, program.max_choices = data.start, data.end, data.max_choices
        program.save()
        existing = {s.order: s for s in program.segments.all()}
        for order, (start, end) in enumerate(data.segments, start=1):
            segment = existing.pop(order, None) or Segment(
                school_id=program.school_id, program=program, order=order
            )
            segment.start, segment.end = start, end
            segment.save()
        for segment in existing.values():
            if segment.clubs.exists():
                raise ValidationFailed.single(
                    "segments",
                    _("%(segment)s还有社团，不能删除；请先把社团移到其他时段。")
                    % {"segment": segment.label},
                )
            segment.delete()
        # Club days must stay within the service days.
        for club in program.clubs.all():
            if not set(club.weekdays) <= set(program.weekdays):
                raise ValidationFailed.single(
                    "weekdays",
                    _("社团“%(club)s”的活动日不在服务日内。") % {"club": club.name},
                )
    return program


def program_set_phase(*, actor: Actor, program_id: int, phase: str) -> Program:
    program = admin_program(actor, program_id)
    # Only the survey and the sign-up are started by hand: the allocation's adoption and the
    # open round set their own phases.
    action = {phases.SURVEY: phases.START_SURVEY, phases.SIGNUP: phases.START_SIGNUP}.get(phase)
    if action is None:
        raise ValidationFailed.single("phase", _("未知的阶段。"))
    refused = phases.phase_refusal(program.phase, action)
    if refused:
        raise ValidationFailed.single("phase", refused)
    program.phase = phase
    program.save(update_fields=["phase"])
    return program


def program_file(*, actor: Actor, program_id: int) -> Program:
    """File the program with the district (备案); refused while a rule is violated."""
    program = admin_program(actor, program_id)
    blocking = [v for v in selectors.program_verdicts(program) if v.blocks]
    if blocking:
        raise ValidationFailed.single("__all__", "；".join(v.message_zh for v in blocking))
    program.status = Program.Status.FILED
    program.filed_at = timezone.now()
    program.save(update_fields=["status", "filed_at"])
    return program
