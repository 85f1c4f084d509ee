"""The role matrix over every endpoint: the generator, the table's row, the snapshot and the
check.

Every URL pattern of the URL conf and every operation (method and path) of the API's OpenAPI
document has at least one :class:`Case` in the table, and every page whose view takes a POST
has a POST case; ``test_matrix.py`` fails, naming the endpoint, when one has none, and when
a case names an endpoint that is gone. Each app
declares its own cases in ``qingfu/<app>/tests/matrix.py`` (a list named ``CASES``); the
test gathers them from every Qingfu app, so a new app (burden, training) adds its file and
nothing else.

A case says how to build a concrete request from the shared ``world`` and, for every role of
the world, what the answer must be:

- ``allowed`` roles get a success: 2xx, or a redirect that is not to the sign-in page (a
  page's own post-redirect-get). A write (any method but GET) by an allowed role must change
  the database, so the body is known to be one the endpoint accepts and a refusal that
  changes nothing means something.
- ``forbidden`` roles get 403: only where the code deliberately tells a member of the same
  school "not permitted" (an admin-only page of their own school).
- ``answers`` names any other deliberate answer (405 for a GET of a POST-only page, ...).
- everyone else gets the uniform 404; anonymous gets 401 from the API and the sign-in
  redirect from a page, unless the case is ``public``.

A refused write must change nothing: every row of every table (but the session table) is the
same after the request as before it, audit log included: a refusal is not a read to audit.
(Reads are not snapshot, to keep the run short; a refused personal read must still leave no
audit entry.)
Each role's request runs in a savepoint that is rolled back, so the roles of one case do not
see each other's writes.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from qingfu.conftest import World

ROLES = (
    "anonymous",
    "admin_a",
    "admin_b",
    "leader3",
    "head31",
    "math3",
    "teacher7",
    "teacher_b",
    "student1",
    "guardian1",
    "guardian2",
    "officer_d1",
    "officer_d2",
    "inspector_a",
    "training_d1",
    "staff_i1",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
# School A's staff who teach (the grade-3 leader, the head teacher of 3(1), the maths teacher
# of grade 3 and the grade-7 teacher); its admin; its families.
TEACHERS_A = frozenset({"leader3", "head31", "math3", "teacher7"})
STAFF_A = TEACHERS_A | {"admin_a"}
FAMILY_A = frozenset({"student1", "guardian1", "guardian2"})
# People of school A who are not its admin: they know the school, so an admin-only resource
# of school A answers "forbidden" rather than "not found".
MEMBERS_OF_A = TEACHERS_A | FAMILY_A | {"inspector_a"}
ADMINS = frozenset({"admin_a", "admin_b"})
OFFICERS = frozenset({"officer_d1", "officer_d2"})
# Off-campus training in d1: its training officer, and the staff of one institution.
TRAINING_OFFICER = frozenset({"training_d1"})
INSTITUTION_STAFF = frozenset({"staff_i1"})

# The expected answers besides a status code.
OK = "ok"  # 2xx, or a redirect that is not to a sign-in page
LOGIN = "login"  # a redirect to the site's sign-in page
ADMIN_LOGIN = "admin-login"  # a redirect to the admin site's sign-in page

# The answers that refuse: they change nothing, and audit no read.
REFUSALS = frozenset({401, 403, 404, 405, LOGIN, ADMIN_LOGIN})

ADMIN_PREFIX = "admin/"
API_PREFIX = "api/v1/"

Request = tuple[str, Mapping[str, Any]]
Target = Callable[[World], "str | Request"]


@dataclass(frozen=True)
class Case:
    """One request in the matrix and who may make it.

    ``endpoint`` names what the case covers: a URL pattern's route as the URL conf spells it
    (``"homework/log/<int:student_id>/<str:day>/"``), or an API operation as
    ``"POST /api/v1/homework"`` with OpenAPI's ``{name}`` parameters. ``target`` builds the
    concrete path (and body) from the world; it may create what the request needs.
    """

    endpoint: str
    target: Target
    method: str = "GET"
    allowed: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    answers: Mapping[str, int | str] = field(default_factory=dict)
    public: bool = False
    # An allowed read of a minor's personal data leaves exactly one audit entry.
    personal: bool = False
    # An allowed write changes the database; False for a POST that only computes (a check).
    # None: as the method says; a set: only these roles' allowed requests write (the others'
    # are allowed and change nothing, as an anonymous visitor's choice of language).
    writes: bool | frozenset[str] | None = None
    json: bool = False  # send the body as JSON (API), else as a form (multipart)
    headers: Mapping[str, str] = field(default_factory=dict)
    note: str = ""  # distinguishes two cases of one endpoint in the test id
    # Make the request at another instant of the matrix's day (UTC, ISO), when the endpoint
    # only acts at some hour (after-school attendance during the session).
    at: str | None = None

    @property
    def id(self) -> str:
        name = self.endpoint if self.is_api else f"{self.method} {self.endpoint}"
        return f"{name} [{self.note}]" if self.note else name

    @property
    def is_api(self) -> bool:
        return self.endpoint.split(" ", 1)[-1].startswith("/" + API_PREFIX)

    @property
    def is_write(self) -> bool:
        return self.method != "GET"

    def expected(self, role: str) -> int | str:
        if role in self.answers:
            return self.answers[role]
        if role == "anonymous":
            if self.public:
                return OK
            return 401 if self.is_api else LOGIN
        if self.public or role in self.allowed:
            return OK
        if role in self.forbidden:
            return 403
        return 404


def admin_site(target: Target, *, note: str) -> Case:
    """A request to Django's admin site: it covers every admin/ pattern. None of the world is
    staff, so everyone is sent to the admin's own sign-in page."""
    return Case(
        ADMIN_PREFIX, target, answers=dict.fromkeys(ROLES, ADMIN_LOGIN), public=True, note=note
    )


# --- the endpoints that exist -----------------------------------------------------------------


def _callbacks(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _routes(resolver: URLResolver) -> Iterator[str]:
    for route, _view in _callbacks(resolver):
        yield route


def _openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def accepts_post(view: Callable[..., Any]) -> bool:
    """Whether a page's view takes a POST: a class-based view with ``post``, or a function
    whose source (decorators included: ``require_POST``) handles one."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    return "POST" in inspect.getsource(inspect.unwrap(view))


def post_pages() -> set[str]:
    """The routes of the pages (not the admin's, not the API's) that take a POST: each needs
    a POST case, so every write is tried by every role."""
    return {
        route
        for route, view in _callbacks(get_resolver())
        if not route.startswith((ADMIN_PREFIX, API_PREFIX)) and accepts_post(view)
    }


def url_patterns() -> list[str]:
    """Every URL pattern's route, but the admin site's (one group, :func:`admin_site`) and
    the API's operations (their own endpoints, from the OpenAPI document)."""
    return [route for route in _routes(get_resolver()) if not route.startswith(ADMIN_PREFIX)]


def api_operations(document: Mapping[str, Any]) -> list[str]:
    """``"METHOD /path"`` for every operation of an OpenAPI document."""
    return [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method in operations
    ]


def endpoints(document: Mapping[str, Any]) -> set[str]:
    """What the table must cover: page patterns, the API's own pages (the document, its
    docs, its root), each API operation, and the admin site as one group."""
    operations = api_operations(document)
    operation_paths = {op.split(" ", 1)[1] for op in operations}
    pages = {
        route
        for route in url_patterns()
        if not (route.startswith(API_PREFIX) and _openapi_path(route) in operation_paths)
    }
    return pages | set(operations) | {ADMIN_PREFIX}


def gathered_cases() -> list[Case]:
    """The ``CASES`` of every Qingfu app's ``tests/matrix.py``, core's first."""
    cases: list[Case] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.matrix"
        if not config.name.startswith("qingfu.") or importlib.util.find_spec(name) is None:
            continue
        cases.extend(importlib.import_module(name).CASES)
    return cases


# --- nothing changed --------------------------------------------------------------------------

AUDIT = "core.auditentry"
# The audit log's tables: an entry and the students it names.
AUDIT_TABLES = frozenset({AUDIT, "core.auditsubject"})
# The session table is written by signing in (force_login), not by the request under test;
# axes' access log records each sign-in and sign-out (the security record, not the product's).
UNWATCHED = {"sessions.session", "axes.accesslog"}


def snapshot() -> dict[str, str]:
    """A checksum of every row of every table (sorted by primary key), per model."""
    sums: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in UNWATCHED or model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        manager: models.Manager[Any] = model._base_manager
        rows = manager.order_by("pk").values_list(*names)
        sums[label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return sums


def changed_tables(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


# --- the check --------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _send(client: Client, case: Case, path: str, body: Mapping[str, Any] | None) -> HttpResponse:
    send = getattr(client, case.method.lower())
    for value in (body or {}).values():
        if hasattr(value, "seek"):  # an upload is read by each role's request
            value.seek(0)
    if case.method == "GET":
        return send(path, body or {}, headers=case.headers)  # type: ignore[no-any-return]
    if case.json:
        import json

        return send(  # type: ignore[no-any-return]
            path, json.dumps(body or {}), content_type="application/json", headers=case.headers
        )
    if case.method == "POST":
        return send(path, body or {}, headers=case.headers)  # type: ignore[no-any-return]
    return send(path, headers=case.headers)  # type: ignore[no-any-return]


def _answer(response: HttpResponse) -> int | str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return OK
    return OK if 200 <= status < 300 else status


def _fresh_caches() -> None:
    from django.core.cache import caches

    from qingfu.core import reads

    caches["default"].clear()
    reads._local.clear()
    reads._user_schools.clear()


def run_case(world: World, case: Case) -> list[str]:
    """Make the case's request as every role; return what went wrong (empty if nothing)."""
    from qingfu.core.models import AuditEntry

    built = case.target(world)
    path, body = (built, None) if isinstance(built, str) else built
    problems: list[str] = []
    # Signing in writes the user's last login: all of it before the snapshot. Each role's
    # request is rolled back, so the one snapshot is the state every role starts from.
    clients = {role: world.client(role) for role in ROLES}
    for client in clients.values():
        client.raise_request_exception = False  # a 500 is an answer, named with the role
    watched = case.is_write or bool(case.writes)
    before = snapshot() if watched else {}
    audits = AuditEntry.objects.count()
    for role in ROLES:
        expected = case.expected(role)
        try:
            with transaction.atomic():
                _fresh_caches()
                response = _send(clients[role], case, path, body)
                got = _answer(response)
                after = snapshot() if watched else {}
                audited = AuditEntry.objects.count() - audits
                raise _Rollback
        except _Rollback:
            pass
        _fresh_caches()
        where = f"{role}: {case.method} {path}"
        if got != expected:
            problems.append(f"{where} answered {response.status_code} ({got}), not {expected}")
            continue
        changed = changed_tables(before, after)
        if got in REFUSALS and changed:
            problems.append(f"{where} was refused ({got}) but changed {changed}")
        # Invalid input (422) changes nothing either; the page it shows again may be a read
        # of a minor's data, audited as any other.
        read_only = [t for t in changed if t not in AUDIT_TABLES]
        if got != OK and got not in REFUSALS and read_only:
            problems.append(f"{where} answered {got} but changed {read_only}")
        writes = case.writes
        if isinstance(writes, frozenset):
            writes = role in writes
        if writes is None:
            writes = case.is_write
        if got == OK and writes and not changed:
            problems.append(f"{where} was allowed but changed nothing: is the body right?")
        if got == OK and not writes and read_only:
            # Reading a minor's data is audited; anything else is a write.
            problems.append(f"{where} should write nothing but changed {read_only}")
        if case.personal and got == OK and audited != 1:
            problems.append(f"{where} left {audited} audit entries, not 1")
        elif got in REFUSALS and audited:
            problems.append(f"{where} was refused ({got}) but left {audited} audit entries")
    return problems


# --- core's cases: the admin site and the API's own pages -------------------------------------

CASES = [
    admin_site(lambda w: "/admin/", note="index"),
    admin_site(lambda w: "/admin/schools/student/", note="a list"),
    admin_site(lambda w: f"/admin/schools/student/{w.s1.pk}/change/", note="a record"),
    Case(ADMIN_PREFIX, lambda w: "/admin/login/", public=True, note="its sign-in"),
    # The API's description is public, as an API's usually is: it names no record.
    Case("api/v1/openapi.json", lambda w: "/api/v1/openapi.json", public=True),
    Case("api/v1/docs", lambda w: "/api/v1/docs", public=True),
    Case("api/v1/", lambda w: "/api/v1/", answers=dict.fromkeys(ROLES, 404)),
]
