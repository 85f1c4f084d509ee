"""Every endpoint that shows a student's personal data leaves an audit entry (issue 20).

The walk makes every GET of the role matrix as each role the case allows and looks at the
answer: when it names one of the world's students (their name or their 全国学籍号) to
someone other than that student and their guardians, the request must have left an audit
entry naming that student, with the channel the request came by (``api`` for the API,
``export`` for a file, ``web`` for a page). A new page that shows a child and forgets to
audit fails here, whether or not its matrix case says ``personal``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from qingfu.conftest import World
from qingfu.core.models import AuditEntry, AuditSubject
from qingfu.core.tests.matrix import OK, Case, _answer, _fresh_caches, _send, gathered_cases
from qingfu.schools.models import Student
from tests.clock import INSTANTS

READS = [case for case in gathered_cases() if case.method == "GET" and case.allowed]

# Who each family role is, so their own child's name on their own page is not an access by
# someone else (their own reads are audited where a selector reads a record, not required).
OWN = {"student1": {"s1"}, "guardian1": {"s1"}, "guardian2": {"s2"}}


class _Rollback(Exception):
    pass


def _expected_channel(case: Case, response: Any) -> str:
    if "attachment" in response.headers.get("Content-Disposition", ""):
        return "export"
    return "api" if case.is_api else "web"


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    content = response.content
    if content[:2] == b"PK":  # a spreadsheet: names are in its shared strings
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return str(content.decode("utf-8", "replace"))


def walk(world: World, case: Case) -> list[str]:
    built = case.target(world)
    path, body = (built, None) if isinstance(built, str) else built
    students = {key: getattr(world, key) for key in ("s1", "s2", "s3", "sb")}
    problems: list[str] = []
    for role in sorted(case.allowed):
        client = world.client(role)
        client.raise_request_exception = False
        try:
            with transaction.atomic():
                _fresh_caches()
                first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
                response = _send(client, case, path, body)
                if _answer(response) != OK:
                    raise _Rollback
                text = _body(response)
                shown = {
                    key: s
                    for key, s in students.items()
                    if key not in OWN.get(role, set()) and (s.name in text or s.national_id in text)
                }
                entries = AuditEntry.objects.filter(id__gt=first or 0)
                audited = set(
                    AuditSubject.objects.filter(entry__in=entries).values_list(
                        "student_id", flat=True
                    )
                )
                channels = set(entries.values_list("channel", flat=True))
                want = _expected_channel(case, response)
                for key, student in shown.items():
                    if student.pk not in audited:
                        problems.append(f"{role}: GET {path} shows {key} and audits no read of it")
                if shown and channels != {want}:
                    problems.append(f"{role}: GET {path} audited by {channels}, not {{{want!r}}}")
                raise _Rollback
        except _Rollback:
            pass
        _fresh_caches()
    return problems


@pytest.fixture
def school_day(time_machine: Any) -> Any:
    time_machine.move_to(INSTANTS["school-day"], tick=True)
    return time_machine


def _seed(world: World) -> None:
    """What the bare world lacks for a child to show on a staff page: late evenings this
    week (the head teacher's sleep list), an alert naming the child, a phone allowed."""
    import datetime as dt

    from qingfu.homework.models import Alert, TimeLog
    from qingfu.wellbeing.models import PhoneApplication

    monday = dt.date.fromisoformat(INSTANTS["school-day"][:10])
    s1 = world.s1
    for offset in range(4):
        TimeLog.objects.create(
            school=world.a,
            student=s1,
            school_class=world.c31,
            date=monday + dt.timedelta(days=offset - 7 if offset == 3 else offset),
            is_late=True,
        )
    Alert.objects.create(
        school=world.a,
        recipient=world.users["head31"].teacher,  # type: ignore[attr-defined]
        kind=Alert.Kind.LATE_FINISH,
        school_class=world.c31,
        date=monday,
        student=s1,
        wording=f"{s1.name} 本周多次晚于就寝时间完成作业",
    )
    PhoneApplication.objects.create(
        school=world.a,
        student=s1,
        applied_by=world.users["guardian1"],
        reason="上下学联系",
        consent=True,
        status=PhoneApplication.Status.APPROVED,
    )


@pytest.mark.parametrize("case", READS, ids=[case.id for case in READS])
def test_every_read_of_a_child_is_audited(school_day: Any, world: World, case: Case) -> None:
    _seed(world)
    if case.at:
        school_day.move_to(case.at, tick=True)
    problems = walk(world, case)
    assert not problems, "\n".join(problems)


def test_the_walk_sees_an_unaudited_read(world: World) -> None:
    """The walk fails a page that shows a child without an entry: the roster page of a
    class, with the audit turned off, is caught."""
    from unittest import mock

    case = next(c for c in READS if c.endpoint == "classes/<int:class_id>/")
    with mock.patch("qingfu.schools.selectors.audit_list"):
        assert any("audits no read" in p for p in walk(world, case))
    assert Student.objects.exists()


# --- the Django admin ------------------------------------------------------------------------
#
# The admin is for operators (superusers); none of the world is staff, so the matrix only
# sees its sign-in page. Here an operator opens every registered model's list, the first
# records' pages, their history and the confirmation of their deletion: whenever the page
# names a child (their name, 全国学籍号, their account's or a guardian's user name), an entry
# must name that child.


def _operator(world: World) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    operator = get_user_model().objects.create_superuser("operator", password="x-Op3rator-9")
    client = Client()
    client.force_login(operator)
    client.raise_request_exception = False  # a page the admin refuses (the log's delete)
    return client


def _signs(world: World) -> dict[str, list[str]]:
    """What on an admin page names each child: their record, their account and their
    guardians' accounts and names."""
    from qingfu.schools.models import GuardianLink

    signs: dict[str, list[str]] = {}
    for key in ("s1", "s2", "s3", "sb"):
        student = getattr(world, key)
        own = [student.name, student.national_id]
        if student.user_id:
            own.append(student.user.username)
        for link in GuardianLink.objects.filter(student=student).select_related("guardian__user"):
            own.append(link.guardian.name)
            if link.guardian.user_id:
                own.append(link.guardian.user.username)
        signs[key] = [s for s in own if s]
    return signs


def _admin_pages(world: World) -> list[str]:
    from django.contrib import admin

    pages = []
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages.append(base)
        for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:3]:
            pages += [f"{base}{pk}/change/", f"{base}{pk}/history/", f"{base}{pk}/delete/"]
    return pages


def admin_walk(world: World, client: Any, pages: list[str]) -> tuple[list[str], int]:
    students = {key: getattr(world, key) for key in ("s1", "s2", "s3", "sb")}
    signs = _signs(world)
    problems: list[str] = []
    naming = 0
    for path in pages:
        first = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(path)
        if response.status_code != 200:
            continue
        text = response.content.decode("utf-8", "replace")
        shown = {key for key, words in signs.items() if any(w in text for w in words)}
        entries = AuditEntry.objects.filter(id__gt=first)
        audited = set(
            AuditSubject.objects.filter(entry__in=entries).values_list("student_id", flat=True)
        )
        naming += bool(shown)
        for key in sorted(shown):
            if students[key].pk not in audited:
                problems.append(f"GET {path} shows {key} and audits no read of it")
        if shown and set(entries.values_list("channel", flat=True)) != {"web"}:
            problems.append(f"GET {path} audited on {set(entries.values_list('channel'))}")
    return problems, naming


def _seed_admin(world: World) -> None:
    from axes.models import AccessAttempt, AccessLog

    from qingfu.core.audit import audit_read
    from qingfu.schools.actors import actor_for

    _seed(world)
    for key in ("student1", "guardian2"):
        AccessLog.objects.create(username=key, ip_address="10.0.0.1", user_agent="test")
        AccessAttempt.objects.create(
            username=key, ip_address="10.0.0.1", user_agent="test", failures_since_start=2
        )
    audit_read(actor_for(world.users["head31"]), "student", [world.s1.pk], school_id=world.a.pk)


def test_every_admin_page_that_shows_a_child_is_audited(world: World) -> None:
    _seed_admin(world)
    client = _operator(world)
    problems, naming = admin_walk(world, client, _admin_pages(world))
    assert not problems, "\n".join(problems)
    assert naming >= 10  # the walk did see children: accounts, sign-in logs, deletions


def test_the_admin_walk_sees_an_unaudited_page(world: World) -> None:
    """With the admin's auditing turned off, the walk fails: a child's account, a class's
    deletion page."""
    from unittest import mock

    _seed_admin(world)
    client = _operator(world)
    pages = [
        f"/admin/auth/user/{world.users['student1'].pk}/change/",
        f"/admin/schools/schoolclass/{world.c31.pk}/delete/",
        "/admin/axes/accesslog/",
    ]
    with (
        mock.patch("qingfu.schools.admin_audit.audit_read"),
        mock.patch("qingfu.schools.admin_audit.audit_list"),
    ):
        problems, naming = admin_walk(world, client, pages)
    assert naming == 3 and len([p for p in problems if "audits no read" in p]) >= 3, problems


def test_every_registered_admin_is_audited() -> None:
    """A model registered in any app's admin.py, now or later, is audited."""
    from django.contrib import admin

    from qingfu.schools.admin_audit import AuditedAdmin

    assert admin.site._registry
    assert all(isinstance(a, AuditedAdmin) for a in admin.site._registry.values())


# --- selectors of one child's data: they take the actor, refuse, and audit -------------------

# Public functions that take a student but no actor, outside the edges (views and API
# operations take the request and call what takes the actor): each is a helper of a service
# or selector that has already checked the actor and audited, or reads no child's data;
# each with its reason. A new one fails the test below: give it the actor, check it, audit.
ACTORLESS = {
    "afterschool.selectors.current_signup": "part of child_view, which checks and audits",
    "afterschool.selectors.latest_signup": "services' refusal reasons, after guardian_child",
    "afterschool.selectors.signup_history": "part of child_view, which checks and audits",
    "afterschool.services.access.program_for_student": "finds the school's programme, "
    "after guardian_child; returns no data of the child",
    "afterschool.allocation.lottery_key": "pure: the id is the lottery's seed",
    "homework.logs.students.card_key": "a cache key",
    "homework.logs.write.log_insert": "the write of timelog_submit, after its check",
    "homework.logs.write.log_save": "the write of timelog_submit, after its check",
}


def _actorless_student_functions() -> set[str]:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if {"tests", "migrations", "policy"} & set(parts) or path.name == "demo.py":
            continue
        module = ".".join(parts)[: -len(".py")]
        for node in ast.parse(path.read_text("utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = {a.arg for a in [*node.args.args, *node.args.kwonlyargs]}
            if not names & {"actor", "request"} and names & {
                "student",
                "student_id",
                "student_ids",
            }:
                found.add(f"{module}.{node.name}")
    return found


def test_no_selector_reads_a_child_without_an_actor() -> None:
    found = _actorless_student_functions()
    assert found <= set(ACTORLESS), f"take the actor, check it and audit: {found - set(ACTORLESS)}"
    assert "afterschool.selectors.current_signup" in found  # the scan sees them


def _entries_naming(student_id: int) -> int:
    return AuditSubject.objects.filter(student_id=student_id).count()


def test_a_childs_sleep_and_after_school_page_are_audited_and_refused_to_others(
    world: World,
) -> None:
    import datetime as dt

    from qingfu.afterschool import selectors as afterschool_selectors
    from qingfu.afterschool.tests.helpers import standard_program
    from qingfu.core.errors import NotFound
    from qingfu.schools.actors import actor_for
    from qingfu.wellbeing import selectors as wellbeing_selectors

    program = standard_program(world.users["admin_a"], world.a)
    reads: list[tuple[str, Any]] = [
        ("sleep", lambda actor: wellbeing_selectors.child_nights(actor, world.s1)),
        (
            "afterschool",
            lambda actor: afterschool_selectors.child_view(
                actor, program, world.s1, dt.date(2026, 11, 23)
            ),
        ),
    ]
    for what, read in reads:
        for who in ("guardian1", "head31", "admin_a"):
            before = _entries_naming(world.s1.pk)
            read(actor_for(world.users[who]))
            assert _entries_naming(world.s1.pk) == before + 1, (what, who)
        for who in ("guardian2", "admin_b", "officer_d1"):
            before = _entries_naming(world.s1.pk)
            with pytest.raises(NotFound):
                read(actor_for(world.users[who]))
            assert _entries_naming(world.s1.pk) == before, (what, who)
