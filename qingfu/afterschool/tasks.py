"""After-school background work on Celery: an admin's long job (the duty roster, an
allocation run) and the sweep that sends again the jobs whose message or worker was lost.

The job's row is the durable record (written with the request); a message only says "run
this job now", so a duplicate is harmless (the job is claimed once) and a lost one is swept.
"""

from __future__ import annotations

from celery import shared_task

from qingfu.afterschool.services.jobs import RUN_TASK, job_run, jobs_sweep


@shared_task(name=RUN_TASK)
def run_job(job_id: int) -> str:
    """Run one queued job (nothing if another worker has it or it is finished)."""
    job = job_run(job_id=job_id)
    return job.status if job else "skipped"


@shared_task(name="qingfu.afterschool.sweep_jobs")
def sweep_jobs() -> int:
    """Send again the lost jobs (beat runs it every minute); returns how many."""
    return len(jobs_sweep())
