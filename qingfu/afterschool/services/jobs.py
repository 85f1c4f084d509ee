"""Long work as background jobs: re-running the week's duty roster (about 20 s of solving)
and an allocation run. The request records a job and returns at once with its page, which
shows the progress and then the result, so a slow phone connection never loses the work.

With a broker (``CELERY_BROKER_URL``) the job's message goes to the Celery workers after
the row commits (``qingfu.afterschool.run_job``); without one the request runs the same
code inline, and the job page shows the finished result. A worker claims the row from
``queued`` to ``running`` in one statement, so a message given twice runs the job once.
:func:`jobs_sweep` (beat, every minute) sends again a queued job whose message was lost and
runs again a job whose worker died, up to ``QINGFU_JOBS_MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingfu.afterschool import phases, roster
from qingfu.afterschool.allocation import MECHANISMS
from qingfu.afterschool.models import Job
from qingfu.afterschool.selectors import run_numbers
from qingfu.afterschool.services.access import admin_program
from qingfu.afterschool.services.allocation_runs import allocation_run
from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import ValidationFailed
from qingfu.core.tasks import broker_configured, send_on_commit
from qingfu.schools.actors import actor_for

log = logging.getLogger(__name__)

RUN_TASK = "qingfu.afterschool.run_job"
Progress = Callable[[int, str], None]


def job_start(
    *, actor: Actor, program_id: int, kind: str, params: dict[str, Any], language: str
) -> Job:
    """Record a job for the program's admin and start it (queued for a worker, or run here
    when there is no broker). What can be refused at once is refused here, with 422."""
    program = admin_program(actor, program_id)
    _check(program.phase, kind, params)
    job = Job.objects.create(
        school_id=program.school_id,
        program=program,
        kind=kind,
        params=params,
        language=language,
        created_by_id=signed_in_user_id(actor),
        sent_at=timezone.now(),
    )
    if broker_configured():
        send_on_commit(RUN_TASK, job.pk)
    else:
        job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def _check(phase: str, kind: str, params: dict[str, Any]) -> None:
    if kind == Job.Kind.ALLOCATION:
        if params.get("mechanism") not in MECHANISMS:
            raise ValidationFailed.single("mechanism", _("未知的分配方式。"))
        refused = phases.phase_refusal(phase, phases.RUN)
        if refused:
            raise ValidationFailed.single("__all__", refused)
    elif kind == Job.Kind.ROSTER:
        monday = dt.date.fromisoformat(params["monday"])
        if monday.weekday() != 0:
            raise ValidationFailed.single("monday", _("请选择一周的周一。"))
    else:
        raise ValueError(f"unknown job kind {kind!r}")


def job_run(*, job_id: int) -> Job | None:
    """Do the job if it is still queued (claimed in one statement); None when another
    worker has it or it is finished. Whatever happens, the job ends done or failed."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        attempts=F("attempts") + 1,
        progress=0,
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by", "program").get(pk=job_id)

    def report(progress: int, step: str) -> None:
        Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            progress=progress, step=step[:100]
        )

    with translation.override(job.language):
        try:
            result = WORK[job.kind](job, report)
        except ValidationFailed as exc:
            _finish(job, Job.Status.FAILED, errors=_messages(exc))
        except Exception:
            log.exception("after-school job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                Job.Status.FAILED,
                errors=[_("后台任务出错，没有完成。请重试；再次出错请联系系统管理员。")],
            )
        else:
            _finish(job, Job.Status.DONE, result=result)
    return job


def _messages(exc: ValidationFailed) -> list[str]:
    return [str(m) for ms in exc.errors.values() for m in ms]


def _finish(
    job: Job,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    errors: list[str] | None = None,
) -> None:
    job.status, job.result, job.errors = status, result or {}, errors or []
    job.progress = 100 if status == Job.Status.DONE else job.progress
    job.finished_at = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        result=job.result,
        errors=job.errors,
        progress=job.progress,
        finished_at=job.finished_at,
    )


# --- the work ------------------------------------------------------------------------------


def _roster_work(job: Job, report: Progress) -> dict[str, Any]:
    monday = dt.date.fromisoformat(job.params["monday"])
    report(5, _("读取本周的场次和教师"))
    try:
        week = roster.roster_generate(
            actor=actor_for(job.created_by),
            program_id=job.program_id,
            monday=monday,
            progress=report,
        )
    except roster.RosterInfeasible as exc:
        raise ValidationFailed({"__all__": [r.message for r in exc.reasons]}) from exc
    message = _("排班已生成：%(n)d 场，%(t)d 位教师，每周时长相差 %(m)d 分钟。") % {
        "n": week.sessions,
        "t": week.teachers,
        "m": week.spread_minutes,
    }
    return {"message": message, "monday": monday.isoformat()}


def _allocation_work(job: Job, report: Progress) -> dict[str, Any]:
    report(10, _("读取志愿和社团名额"))
    run = allocation_run(
        actor=actor_for(job.created_by),
        program_id=job.program_id,
        mechanism=job.params.get("mechanism", "optimal"),
        seed=job.params.get("seed", ""),
    )
    message = _("分配已运行（第 %(id)d 次分配）：%(seated)d/%(n)d 个志愿获得名额。") % {
        "id": run_numbers(run.program_id)[run.pk],
        "seated": run.report["seated"],
        "n": run.report["applications"],
    }
    return {"message": message, "run_id": run.pk, "semester_id": job.program.semester_id}


WORK: dict[str, Callable[[Job, Progress], dict[str, Any]]] = {
    Job.Kind.ROSTER: _roster_work,
    Job.Kind.ALLOCATION: _allocation_work,
}


# --- the sweeper ---------------------------------------------------------------------------


def jobs_sweep(
    *,
    queued_for: dt.timedelta | None = None,
    running_for: dt.timedelta | None = None,
    max_attempts: int | None = None,
) -> list[int]:
    """Send again the jobs whose message was lost (queued, sent longer ago than
    ``queued_for``) and those whose worker died (running longer than ``running_for``: put
    back in the queue, or failed once they have had ``max_attempts``). Returns the ids
    sent."""
    now = timezone.now()
    queued_for = queued_for or dt.timedelta(seconds=settings.QINGFU_JOBS_SWEEP_AFTER_SECONDS)
    running_for = running_for or dt.timedelta(seconds=settings.QINGFU_JOBS_RUNNING_TIMEOUT_SECONDS)
    max_attempts = max_attempts or settings.QINGFU_JOBS_MAX_ATTEMPTS
    stale = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - running_for)
    for job in stale:
        with translation.override(job.language):
            given_up = _("后台任务多次中断，没有完成。请重试。")
        if job.attempts >= max_attempts:
            Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, errors=[given_up], finished_at=now
            )
        else:
            # Only if it is still the run we looked at: a job that finished meanwhile stays.
            Job.objects.filter(
                pk=job.pk, status=Job.Status.RUNNING, started_at=job.started_at
            ).update(status=Job.Status.QUEUED, sent_at=None)
    lost = list(
        Job.objects.filter(status=Job.Status.QUEUED)
        .exclude(sent_at__gte=now - queued_for)
        .values_list("pk", flat=True)
    )
    for pk in lost:
        Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(sent_at=now)
        if broker_configured():
            send_on_commit(RUN_TASK, pk)
        else:
            job_run(job_id=pk)
    return lost
