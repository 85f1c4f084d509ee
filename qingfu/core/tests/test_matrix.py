"""The role matrix over every endpoint (issue 16): each URL pattern and each API operation has
a case in some app's ``tests/matrix.py``, and every role gets the answer its case says, with
nothing changed when it is refused. See ``qingfu/core/tests/matrix.py``."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.test import Client

from qingfu.conftest import World
from qingfu.core.tests.matrix import (
    ADMIN_PREFIX,
    ROLES,
    Case,
    changed_tables,
    endpoints,
    gathered_cases,
    post_pages,
    run_case,
    snapshot,
)
from qingfu.schools.models import Student
from qingfu.schools.tests import factories as f
from tests.clock import INSTANTS

CASES = gathered_cases()


def _document() -> dict[str, object]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.django_db
def test_every_endpoint_has_a_case() -> None:
    missing = endpoints(_document()) - {case.endpoint for case in CASES}
    assert not missing, (
        "These endpoints have no case in the role matrix; add one to the app's "
        "tests/matrix.py (see qingfu/core/tests/matrix.py): "
        + ", ".join(repr(endpoint) for endpoint in sorted(missing))
    )


def test_every_page_that_takes_a_post_has_a_post_case() -> None:
    posted = {case.endpoint for case in CASES if case.method == "POST"}
    missing = post_pages() - posted
    assert not missing, (
        "These pages take a POST but have no POST case in the role matrix (a write every "
        "role must try): " + ", ".join(repr(route) for route in sorted(missing))
    )


@pytest.mark.django_db
def test_every_case_names_an_endpoint_that_exists() -> None:
    gone = {case.endpoint for case in CASES} - endpoints(_document())
    assert not gone, "These cases name endpoints that no longer exist: " + ", ".join(sorted(gone))


def test_cases_are_told_apart() -> None:
    twice = [name for name, n in Counter(case.id for case in CASES).items() if n > 1]
    assert not twice, f"Two cases with the same id (give one a note): {twice}"
    unknown = {
        role
        for case in CASES
        for role in (*case.allowed, *case.forbidden, *case.answers)
        if role not in ROLES
    }
    assert not unknown
    assert any(case.endpoint == ADMIN_PREFIX for case in CASES)


@pytest.fixture
def school_day(time_machine: Any) -> Any:
    """One instant, a Monday of school in China, for the whole matrix (not the six of a test
    marked ``clock``): what a role may do does not depend on the day, and six runs of every
    case would cost minutes. Requested before the world, so the world is built on that day."""
    time_machine.move_to(INSTANTS["school-day"], tick=True)
    return time_machine


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_role_matrix(school_day: Any, world: World, case: Case) -> None:
    if case.at:
        school_day.move_to(case.at, tick=True)
    problems = run_case(world, case)
    assert not problems, "\n".join(problems)


def test_the_snapshot_sees_a_change_in_any_row(world: World) -> None:
    """What "nothing changed" rests on: a changed field, a new row and a deleted row are
    each seen, in the table they are in."""
    before = snapshot()
    Student.objects.filter(pk=world.s1.pk).update(name="张小一一")
    assert changed_tables(before, snapshot()) == ["schools.student"]
    before = snapshot()
    f.GuardianFactory(school=world.a)
    assert changed_tables(before, snapshot()) == ["schools.guardian"]
    before = snapshot()
    world.users["teacher7"].delete()  # and, with the user, the teacher and what they teach
    assert {"auth.user", "schools.teacher"} <= set(changed_tables(before, snapshot()))
