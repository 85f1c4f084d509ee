"""The preference round: run a mechanism on the stored preferences and keep the result, then
adopt one run, whose seats replace those of any earlier adopted run.

A run records a digest of its inputs; adopting a run whose inputs have changed since is
refused, so the seats given are always those the recorded seed reproduces."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.afterschool import phases, selectors
from qingfu.afterschool.allocation import (
    MECHANISMS,
    AllocationInputError,
    Application,
    ClubSlot,
    allocate,
)
from qingfu.afterschool.models import (
    AllocationRun,
    Program,
    Seat,
)
from qingfu.afterschool.services.access import admin_program
from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.schools.calendars import local_time, local_today


def allocation_run(
    *, actor: Actor, program_id: int, mechanism: str = "optimal", seed: str = ""
) -> AllocationRun:
    """Run a mechanism on the stored preferences and keep the result (not yet adopted)."""
    program = admin_program(actor, program_id)
    if mechanism not in MECHANISMS:
        raise ValidationFailed.single("mechanism", _("未知的分配方式。"))
    refused = phases.phase_refusal(program.phase, phases.RUN)
    if refused:
        raise ValidationFailed.single("__all__", refused)
    # A generated seed reads as the semester and the school's wall-clock time of the run.
    seed = seed.strip() or f"{program.semester.name} {local_time(timezone.now()):%Y-%m-%d %H:%M:%S}"
    applications, slots = selectors.allocation_inputs(program, local_today())
    if not applications:
        raise ValidationFailed.single("__all__", _("还没有学生填报志愿。"))
    try:
        return record_run(program, applications, slots, mechanism, seed, signed_in_user_id(actor))
    except AllocationInputError as exc:
        raise ValidationFailed.single(
            "__all__",
            ngettext(
                "有 %(n)d 条志愿不符合条件，请先更正。",
                "有 %(n)d 条志愿不符合条件，请先更正。",
                len(exc.problems),
            )
            % {"n": len(exc.problems)},
        ) from exc


def record_run(
    program: Program,
    applications: Sequence[Application],
    slots: Sequence[ClubSlot],
    mechanism: str,
    seed: str,
    created_by_id: int | None,
) -> AllocationRun:
    started = time.perf_counter()
    result = allocate(applications, slots, seed=seed, mechanism=mechanism)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    report = result.report
    return AllocationRun.objects.create(
        school_id=program.school_id,
        program=program,
        mechanism=mechanism,
        seed=seed,
        inputs_digest=_digest(applications, slots),
        report={
            "applications": report.applications,
            "seated": report.seated,
            "max_seatable": report.max_seatable,
            "by_rank": list(report.by_rank),
            "seats": report.seats,
            "empty_seats": report.empty_seats,
            "priority_applications": report.priority_applications,
            "priority_first": report.priority_first,
            "other_first": report.other_first,
        },
        seats={f"{sid}:{seg}": club for (sid, seg), club in sorted(result.seats.items())},
        created_by_id=created_by_id,
        seconds=seconds,
    )


def _digest(applications: Sequence[Application], slots: Sequence[ClubSlot]) -> str:
    payload = json.dumps(
        [
            sorted(
                (a.student_id, a.grade, a.segment, list(a.choices), a.priority)
                for a in applications
            ),
            sorted((c.id, c.capacity, sorted(c.grades), c.segment) for c in slots),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def allocation_apply(*, actor: Actor, run_id: int) -> AllocationRun:
    """Adopt a run: its seats replace those of any earlier adopted run."""
    run = AllocationRun.objects.select_related("program").filter(id=run_id).first()
    if run is None:
        raise NotFound()
    program = admin_program(actor, run.program_id)
    refused = phases.phase_refusal(program.phase, phases.APPLY)
    if refused:
        raise ValidationFailed.single("__all__", refused)
    applications, slots = selectors.allocation_inputs(program, local_today())
    if _digest(applications, slots) != run.inputs_digest:
        raise ValidationFailed.single(
            "__all__", _("志愿或社团在这次分配之后有变化，请重新运行分配。")
        )
    adopt_run(program, run)
    return run


def adopt_run(program: Program, run: AllocationRun) -> None:
    now = timezone.now()
    with transaction.atomic():
        Seat.objects.filter(program=program, source=Seat.Source.ALLOCATION).delete()
        segments = {str(s.pk): s for s in program.segments.all()}
        Seat.objects.bulk_create(
            Seat(
                school_id=program.school_id,
                program=program,
                club_id=int(club_id),
                segment=segments[key.split(":")[1]],
                student_id=int(key.split(":")[0]),
                status=Seat.Status.ENROLLED,
                source=Seat.Source.ALLOCATION,
                requested_at=now,
                decided_at=now,
            )
            for key, club_id in run.seats.items()
        )
        AllocationRun.objects.filter(program=program).update(applied=False)
        run.applied = True
        run.save(update_fields=["applied"])
        program.phase = Program.Phase.ALLOCATED
        program.save(update_fields=["phase"])
