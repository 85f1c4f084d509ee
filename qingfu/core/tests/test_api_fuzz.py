"""The API keeps its contract: Schemathesis against /api/v1/openapi.json, in-process.

Every operation is fuzzed with data the document allows (positive) and data it forbids
(negative), with generated ids and with the ids of the test world, by a signed-in person
whose roles reach most of the API (a school's admin, the district's officer and training
officer, with a real token from ``qingfu api_token``), then without signing in; a stateful
run chains the operations through the links Schemathesis infers (a visit started, then
marked, …). Every answer must be documented: its status, its content type and its body (one
error shape for every 4xx), and none may be a server error. Hypothesis is derandomized: the
same requests every run, so a red run is reproducible and a green one is not luck.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from ninja.errors import ValidationError as NinjaValidationError
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from qingfu.config.api import api
from qingfu.conftest import World
from qingfu.core.roles import Role
from qingfu.schools.models import RoleGrant
from qingfu.schools.tests import factories as f
from qingfu.training.models import Institution

pytestmark = [pytest.mark.xdist_group("api-fuzz")]

# The budget: examples per operation and way. 56 operations × (3 ways signed in + 1 not)
# plus the stateful run: about 2,500 requests, well under two minutes on 2 CPUs.
EXAMPLES = {"positive": 12, "with_ids": 12, "negative": 10, "anonymous": 3}
STATEFUL = {"max_examples": 15, "stateful_step_count": 6}


@dataclass
class Tally:
    """What the fuzzer sent and what came back, counted at the WSGI edge."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    parser_refused: bool = False


class CountingApp:
    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.django = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.tally.requests += 1

        def start(status: str, headers: Any, *args: Any) -> Any:
            self.tally.statuses[int(status[:3])] += 1
            if status.startswith("5"):
                self.tally.server_errors.append(
                    f"{status} {environ['REQUEST_METHOD']} {environ['PATH_INFO']}"
                )
            return start_response(status, headers, *args)

        return self.django(environ, start)


@pytest.fixture
def tally() -> Tally:
    return Tally()


@pytest.fixture
def api_app(tally: Tally, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingApp]:
    """The project's WSGI app inside the test's transaction: Django's request signals close
    the connection after each request (as the test client prevents too), and ninja's
    schema-validation refusals are noted, so a 422 from the parser for data the document
    allows is told apart from a service's refusal (a rule, a state: documented 422s)."""
    handlers = api._exception_handlers
    schema_invalid = handlers[NinjaValidationError]

    def noting(request: Any, exc: NinjaValidationError) -> Any:
        tally.parser_refused = True
        return schema_invalid(request, exc)

    monkeypatch.setitem(handlers, NinjaValidationError, noting)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield CountingApp(tally)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzzer_token(world: World) -> str:
    """A real token (as ``qingfu api_token`` prints it) for the fuzzer's person."""
    user = f.UserFactory(username="fuzzer")
    RoleGrant.objects.create(user=user, role=Role.SCHOOL_ADMIN, school=world.a)
    RoleGrant.objects.create(user=user, role=Role.DISTRICT_OFFICER, district=world.d1)
    RoleGrant.objects.create(user=user, role=Role.TRAINING_OFFICER, district=world.d1)
    out = io.StringIO()
    call_command("api_token", "fuzzer", "schemathesis", stdout=out)
    return out.getvalue().strip()


def _settings(examples: int) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the report names the case
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )


def _no_parser_refusal(tally: Tally) -> Callable[..., None]:
    """Schemathesis's positive-data check, but a 422 from a service is documented (a rule,
    a record's state): only the schema parser refusing what the document allows fails."""

    def check(ctx: CheckContext, response: Any, case: schemathesis.Case) -> None:
        refused, tally.parser_refused = tally.parser_refused, False
        if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
            return
        if case.media_type == "multipart/form-data":
            # An upload's part of zero bytes is no file to Django's parser ("必填"): a
            # length the document cannot say for a binary part. The other checks still run.
            return
        assert not refused, (
            f"{case.method} {case.formatted_path}: the parser refused data the document "
            f"allows ({response.status_code}): {response.text[:300]}"
        )

    return check


def _never_locked_out(tally: Tally) -> None:
    """The fuzzer's address was never locked: a 429 (the API's only one is the lock on
    wrong tokens) would stand in for every later answer, documented and empty of checks,
    so a broken operation would pass unseen. The signed-in runs raise the limit because
    Schemathesis's auth checks send refused tokens; this proves the raise held, and that
    the anonymous run (no token at all) counts no failure."""
    assert not tally.statuses[429], (
        f"the fuzzer was locked out ({tally.statuses[429]} answers 429): its later answers "
        "say nothing about the operations"
    )


def _held(tally: Tally, run: str, started: float, failures: list[str] | None = None) -> None:
    """Print the run's figures (docs/security.md records them; pytest -s shows them) and
    fail on any server error, on a lock-out, or, where operations were checked one by one,
    on any failing operation."""
    checked = "" if failures is None else f"{len(failures)} failing operations, "
    print(
        f"\napi fuzz, {run}: {tally.requests} requests in "
        f"{time.monotonic() - started:.1f} s, {checked}"
        f"statuses {sorted(tally.statuses.items())}"
    )
    assert not tally.server_errors, tally.server_errors
    _never_locked_out(tally)
    assert not failures, "\n\n".join(failures or [])


def _fuzz(
    schema: Any,
    *,
    mode: GenerationMode,
    examples: int,
    headers: dict[str, str],
    tally: Tally,
    path_parameters: dict[str, int] | None = None,
    only: Callable[[Any], bool] = lambda op: True,
) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not only(operation):
            continue
        fixed = {
            k: v for k, v in (path_parameters or {}).items() if "{" + k + "}" in operation.path
        }
        if path_parameters is not None and not fixed:
            continue
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed or None)

        @given(case=strategy)
        @_settings(examples)
        def run(case: schemathesis.Case) -> None:
            tally.parser_refused = False
            response = case.call(headers=headers)
            case.validate_response(
                response,
                headers=headers,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[_no_parser_refusal(tally)],
            )

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (no parameters): nothing to send
            continue
        except (Exception, BaseExceptionGroup) as exc:  # a check failed: the report names it
            failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")
    return failures


@pytest.fixture
def fuzz_run(world: World, api_app: CountingApp, tally: Tally, settings: Any):
    def load(**config: Any) -> Any:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
        schema.config.generation.update(with_security_parameters=False, **config)
        return schema

    return load


def test_signed_in_every_operation_keeps_its_contract(
    world: World, fuzz_run: Any, tally: Tally, settings: Any
) -> None:
    # The fuzzer's refused tokens (the auth checks send some) must not lock it out.
    settings.AXES_FAILURE_LIMIT = 10**6
    settings.QINGFU_TODAY = "2026-11-23"  # a school day of the world's autumn semester
    settings.QINGFU_CLOCK = "10:30"
    headers = {"Authorization": f"Bearer {_fuzzer_token(world)}"}
    institution = Institution.objects.get(district=world.d1)
    ids = {
        "school_id": world.a.pk,
        "class_id": world.c31.pk,
        "student_id": world.s1.pk,
        "district_id": world.d1.pk,
        "institution_id": institution.pk,
    }
    schema = fuzz_run()
    started = time.monotonic()
    failures = [
        *_fuzz(
            schema,
            mode=GenerationMode.POSITIVE,
            examples=EXAMPLES["positive"],
            headers=headers,
            tally=tally,
        ),
        *_fuzz(
            schema,
            mode=GenerationMode.POSITIVE,
            examples=EXAMPLES["with_ids"],
            headers=headers,
            tally=tally,
            path_parameters=ids,
        ),
        *_fuzz(
            schema,
            mode=GenerationMode.NEGATIVE,
            examples=EXAMPLES["negative"],
            headers=headers,
            tally=tally,
        ),
    ]
    _held(tally, "signed in", started, failures)


def test_without_signing_in_every_operation_refuses_as_documented(
    world: World, fuzz_run: Any, tally: Tally, settings: Any
) -> None:
    """No token: a signed-in operation answers 401 in the error shape (429 once the
    address has sent too many bad tokens); the public ones (the training registry and
    complaints) keep their contract for anyone."""
    settings.QINGFU_TODAY = "2026-11-23"
    settings.QINGFU_CLOCK = "10:30"
    schema = fuzz_run()
    started = time.monotonic()
    failures = [
        failure
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for failure in _fuzz(
            schema, mode=mode, examples=EXAMPLES["anonymous"], headers={}, tally=tally
        )
    ]
    _held(tally, "anonymous", started, failures)


def test_stateful_chains_keep_the_contract(
    world: World, fuzz_run: Any, tally: Tally, settings: Any
) -> None:
    """Schemathesis's stateful mode: operations chained through the links it infers from
    the document (an id one answer gives, the next request uses), signed in."""
    settings.AXES_FAILURE_LIMIT = 10**6
    settings.QINGFU_TODAY = "2026-11-23"
    settings.QINGFU_CLOCK = "10:30"
    headers = {"Authorization": f"Bearer {_fuzzer_token(world)}"}
    schema = fuzz_run()
    machine = schema.as_state_machine()

    class Signed(machine):  # type: ignore[misc,valid-type]
        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            return {"headers": headers}

        def validate_response(
            self, response: Any, case: schemathesis.Case, *args: Any, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                headers=headers,
                excluded_checks=[positive_data_acceptance],
                additional_checks=[_no_parser_refusal(tally)],
                transport_kwargs=kwargs or None,
                recorder=getattr(self, "recorder", None),
            )

    started = time.monotonic()
    Signed.run(
        settings=hypothesis_settings(
            _settings(STATEFUL["max_examples"]),
            stateful_step_count=STATEFUL["stateful_step_count"],
        )
    )
    _held(tally, "stateful", started)


def test_guessed_tokens_lock_the_address_until_the_cool_off_in_the_documented_shape(
    world: World, api_app: CountingApp, settings: Any, time_machine: Any
) -> None:
    """Wrong bearer tokens from one address, through the API as a client sends them: the
    tenth gets 429 ``locked_out`` with ``Retry-After`` and the wait in words, every answer
    as the OpenAPI document describes it (status, content type, ``ErrorOut``); the right
    token from that address is then refused, told the wait left, until the cool-off ends,
    while another address is let in all along."""
    settings.AXES_FAILURE_LIMIT = 10  # the documented defaults, whatever the environment says
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    good = _fuzzer_token(world)
    me = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)["/api/v1/me"]["GET"]

    def call(key: str, address: str = "10.0.0.9") -> Any:
        case = me.Case(headers={"Authorization": f"Bearer {key}"})
        response = case.call(environ_overrides={"REMOTE_ADDR": address})
        case.validate_response(
            response,
            checks=[
                status_code_conformance,
                content_type_conformance,
                response_headers_conformance,
                response_schema_conformance,
            ],
        )
        return response

    def retry_after(response: Any) -> int:
        return int(response.headers["retry-after"][0])

    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 30, tzinfo=dt.UTC), tick=False)
    answers = [call(f"qf_guess{n}") for n in range(10)]
    assert [a.status_code for a in answers] == [401] * 9 + [429]
    assert {a.json()["code"] for a in answers[:9]} == {"unauthenticated"}
    locked = answers[9]
    assert locked.json()["code"] == "locked_out"
    assert "登录失败次数过多" in locked.json()["message"]
    assert "15 分钟后再试" in locked.json()["message"]
    assert retry_after(locked) == 15 * 60

    # Ten minutes on, the right token from the guesser's address is refused: the wait left
    # runs from the last wrong token, and this try does not lengthen it.
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 40, tzinfo=dt.UTC), tick=False)
    refused = call(good)
    assert refused.status_code == 429 and refused.json()["code"] == "locked_out"
    assert retry_after(refused) == 5 * 60
    assert "5 分钟后再试" in refused.json()["message"]
    assert call(good, address="10.0.0.8").status_code == 200  # the lock is the address's
    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 44, 59, tzinfo=dt.UTC), tick=False)
    assert retry_after(call(good)) == 1
    assert call(good).status_code == 429

    time_machine.move_to(dt.datetime(2026, 11, 23, 12, 45, 1, tzinfo=dt.UTC), tick=False)
    let_in = call(good)
    assert let_in.status_code == 200
    assert let_in.json()["user_id"] == User.objects.get(username="fuzzer").pk
