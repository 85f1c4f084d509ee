"""The audit helper: channels, the students of an entry, one write per request (issue 20)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from qingfu.conftest import World
from qingfu.core import audit
from qingfu.core.models import AuditEntry, AuditSubject
from qingfu.core.services import api_token_create
from qingfu.schools.actors import actor_for
from tests.clock import INSTANTS

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


@pytest.fixture(autouse=True)
def _school_day(time_machine: Any) -> None:
    time_machine.move_to(INSTANTS["school-day"], tick=False)


def _students_of(entry: AuditEntry) -> set[int]:
    return set(AuditSubject.objects.filter(entry=entry).values_list("student_id", flat=True))


def test_a_page_read_is_web_and_names_the_student(world: World) -> None:
    response = world.client("admin_a").get(f"/students/{world.s1.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.channel, entry.action) == ("web", "read")
    assert _students_of(entry) == {world.s1.pk}
    assert entry.roles == "school_admin" and entry.user_id == world.users["admin_a"].pk


def test_an_api_read_is_api(world: World) -> None:
    _token, key = api_token_create(user=world.users["head31"], name="家校通")
    response = world.client("anonymous").get(
        f"/api/v1/students/{world.s1.pk}", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.channel == "api"
    assert _students_of(entry) == {world.s1.pk}


def test_an_export_is_export_and_names_every_student(world: World) -> None:
    response = world.client("admin_a").get(f"/schools/{world.a.pk}/roster.xlsx")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.channel, entry.action) == ("export", "export")
    assert {world.s1.pk, world.s2.pk, world.s3.pk} <= _students_of(entry)
    assert world.sb.pk not in _students_of(entry)


def test_a_command_is_command(world: World) -> None:
    call_command("roster_import", world.a.code, str(SAMPLES / "roster_sample.xlsx"))
    entry = AuditEntry.objects.get(action="import")
    assert entry.channel == "command"
    assert len(_students_of(entry)) == 42


def test_a_refusal_audits_nothing(world: World) -> None:
    response = world.client("teacher_b").get(f"/students/{world.s1.pk}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_reads_of_a_request_are_one_insert(world: World, django_assert_num_queries: object) -> None:
    """However many reads a request makes, they are written together: one insert for the
    entries, one for their students."""
    actor = actor_for(world.users["admin_a"])
    token = audit._pending.set([])
    try:
        for student in (world.s1, world.s2, world.s3):
            audit.audit_read(actor, "student", [student.pk], school_id=world.a.pk)
        audit.audit_list(actor, "class_roster", [world.s1.pk, world.s2.pk], school_id=world.a.pk)
        assert not AuditEntry.objects.exists()  # nothing written before the response
        with django_assert_num_queries(2):  # type: ignore[operator]
            audit.flush()
    finally:
        audit._pending.reset(token)
    assert AuditEntry.objects.count() == 4
    assert AuditSubject.objects.filter(student_id=world.s1.pk).count() == 2


@pytest.mark.parametrize(("path", "channel"), [("/api/v1/me", "api"), ("/students/1/", "web")])
def test_channel_for_path(path: str, channel: str) -> None:
    assert audit.channel_for_path(path) == channel
