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
        message=f"{s1.name} 本周多次晚于就寝时间完成作业",
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
