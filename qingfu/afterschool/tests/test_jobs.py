"""Long after-school work as background jobs (issue 19 item 8): the request records a job
and answers with its page; the job is claimed once, reports progress, ends done or failed
with what the admin needs to read, and the sweeper sends again the jobs whose message or
worker was lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.afterschool import services, tasks
from qingfu.afterschool.models import AllocationRun, Job, Program
from qingfu.afterschool.tests.helpers import actor, standard_program
from qingfu.afterschool.tests.test_services import _allocation_world


@pytest.fixture(autouse=True)
def _today(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-09-01"
    settings.QINGFU_CLOCK = "16:00"


@pytest.fixture
def program(world) -> Program:  # type: ignore[no-untyped-def]
    return standard_program(world.users["admin_a"], world.a)


@pytest.fixture
def sent(monkeypatch, settings) -> list[tuple[str, tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    """A broker is configured; the messages sent are kept here instead of going to it."""
    settings.CELERY_BROKER_URL = "redis://broker.invalid:6379/0"
    messages: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(
        "qingfu.afterschool.services.jobs.send_on_commit",
        lambda name, *args: messages.append((name, args)),
    )
    return messages


def _queued(world, program, **extra) -> Job:  # type: ignore[no-untyped-def]
    return Job.objects.create(
        school=world.a, program=program, kind=Job.Kind.ALLOCATION,
        params={"mechanism": "optimal", "seed": "2026秋"}, created_by=world.users["admin_a"],
        sent_at=timezone.now(), **extra,
    )  # fmt: skip


def test_without_a_broker_the_run_is_done_in_the_request_and_its_page_shows_the_result(
    world, program
) -> None:
    _allocation_world(world, program)
    client = world.client("admin_a")
    response = client.post("/afterschool/", {"action": "run", "mechanism": "optimal", "seed": "s"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/afterschool/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.progress == 100 and job.attempts == 1
    run = AllocationRun.objects.get(program=program)
    assert job.result["run_id"] == run.pk
    page = client.get(response["Location"]).content.decode()
    assert "分配已运行（第 1 次分配）：4/6 个志愿获得名额。" in page  # its number, not its id
    assert f'href="/afterschool/?semester={program.semester_id}#run-{run.pk}"' in page
    assert "data-poll" not in page  # finished: the page stops polling


def test_a_failing_job_ends_failed_with_the_reason(world, program) -> None:
    Program.objects.filter(pk=program.pk).update(phase=Program.Phase.SIGNUP)
    client = world.client("admin_a")
    response = client.post("/afterschool/", {"action": "run", "mechanism": "optimal"})
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.errors == ["还没有学生填报志愿。"]
    assert "还没有学生填报志愿。" in client.get(response["Location"]).content.decode()
    assert not AllocationRun.objects.exists()


def test_with_a_broker_the_job_is_queued_and_a_worker_runs_it_once(world, program, sent) -> None:
    _allocation_world(world, program)
    client = world.client("admin_a")
    client.post("/afterschool/", {"action": "run", "mechanism": "optimal", "seed": "s"})
    job = Job.objects.get()
    assert job.status == Job.Status.QUEUED and sent == [("qingfu.afterschool.run_job", (job.pk,))]
    page = client.get(f"/afterschool/jobs/{job.pk}/").content.decode()
    assert f'data-poll="/afterschool/jobs/{job.pk}/"' in page and "<progress" in page
    assert "排队中" in page and "afterschool/job.js" in page and "<script>" not in page
    assert tasks.run_job(job.pk) == "done"
    assert tasks.run_job(job.pk) == "skipped"  # the same message again: claimed once
    assert AllocationRun.objects.count() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 1


def test_progress_is_recorded_while_the_roster_is_solved(world, program, monkeypatch) -> None:
    steps: list[tuple[int, str]] = []
    real = services.jobs.roster.roster_generate

    def watching(**kwargs):  # type: ignore[no-untyped-def]
        report = kwargs["progress"]
        kwargs["progress"] = lambda p, step: (steps.append((p, step)), report(p, step))
        return real(**kwargs)

    monkeypatch.setattr(services.jobs.roster, "roster_generate", watching)
    job = Job.objects.create(
        school=world.a, program=program, kind=Job.Kind.ROSTER,
        params={"monday": "2026-09-07"}, created_by=world.users["admin_a"],
    )  # fmt: skip
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert [p for p, _ in steps] == sorted(p for p, _ in steps) and steps[0][0] > 0
    assert any("求解" in step for _, step in steps)
    # Done or refused by the rules, the job has ended and says so.
    assert job.is_finished and (job.result.get("message") or job.errors)


def test_the_sweeper_sends_lost_jobs_again_and_gives_up_on_dead_ones(world, program, sent) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=1)
    lost = _queued(world, program)
    Job.objects.filter(pk=lost.pk).update(sent_at=long_ago)
    fresh = _queued(world, program)
    dead = _queued(world, program, status=Job.Status.RUNNING, started_at=long_ago, attempts=1)
    hopeless = _queued(world, program, status=Job.Status.RUNNING, started_at=long_ago, attempts=3)
    busy = _queued(world, program, status=Job.Status.RUNNING, started_at=timezone.now())
    swept = services.jobs_sweep(
        queued_for=dt.timedelta(minutes=2), running_for=dt.timedelta(minutes=10), max_attempts=3
    )
    assert sorted(swept) == sorted([lost.pk, dead.pk])
    assert sorted(args[0] for _, args in sent) == sorted([lost.pk, dead.pk])
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses[fresh.pk] == statuses[lost.pk] == statuses[dead.pk] == Job.Status.QUEUED
    assert statuses[busy.pk] == Job.Status.RUNNING
    assert statuses[hopeless.pk] == Job.Status.FAILED
    assert "多次中断" in Job.objects.get(pk=hopeless.pk).errors[0]
    # Swept again at once: the messages just sent are not sent twice.
    assert services.jobs_sweep(queued_for=dt.timedelta(minutes=2)) == []


def test_a_job_is_shown_to_its_school_admins_only(world, program) -> None:
    job = _queued(world, program)
    assert world.client("admin_a").get(f"/afterschool/jobs/{job.pk}/").status_code == 200
    for other in ("admin_b", "head31", "guardian1"):
        assert world.client(other).get(f"/afterschool/jobs/{job.pk}/").status_code == 404


def test_a_refused_start_records_no_job(world, program) -> None:
    Program.objects.filter(pk=program.pk).update(phase=Program.Phase.OPEN)
    with pytest.raises(services.jobs.ValidationFailed):
        services.job_start(
            actor=actor(world.users["admin_a"]), program_id=program.pk,
            kind=Job.Kind.ALLOCATION, params={"mechanism": "optimal"}, language="zh-hans",
        )  # fmt: skip
    assert not Job.objects.exists()
