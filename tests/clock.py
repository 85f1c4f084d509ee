"""The suite passes at any instant: a pytest plugin that pins the clock or proves a test
does not care.

Three parts:

- A test marked ``clock`` runs once at the real time and once at each of :data:`INSTANTS`
  (time-machine, the clock ticking on from the instant), in every run of the suite.
- The product's clock reads are watched: a test that reads today or now from the real
  clock (``local_today`` / ``local_now`` without a pin, which end in
  ``timezone.localdate()`` / ``timezone.localtime()`` with no value) and is not marked
  ``clock`` fails, saying how to pin it. So every test that depends on when it runs is in
  the set that is run at the fixed instants; none can depend on the day CI happens to run.
- ``--clock-at=ISO`` (or ``QINGFU_TEST_AT``, or a name from :data:`INSTANTS`) runs the whole
  session at that instant, to reproduce a failure seen on some day.

Only the product's own "today" is watched: ``timezone.now()`` stamps records (who changed
what when) and those stamps are compared with each other, not with a calendar.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

# The instants a clock-marked test must pass at (UTC). Each is a case the calendar treats
# differently, and the last is the one that once turned the suite red: Friday evening in
# UTC is already Saturday morning in Asia/Shanghai.
INSTANTS = {
    "school-day": "2026-11-23T02:30:00+00:00",  # Monday 10:30 in China
    "saturday": "2026-11-28T02:30:00+00:00",  # a weekend day
    "makeup-saturday": "2026-10-10T02:30:00+00:00",  # 调休: a Saturday that is a workday
    "holiday": "2026-10-02T02:30:00+00:00",  # 国庆节
    "utc-friday-evening": "2026-12-04T20:52:00+00:00",  # Saturday 04:52 in China
}

_HELP = (
    "reads today or now from the real clock, so it passes or fails by when it runs. Pin the "
    "day (settings.QINGFU_TODAY, and settings.QINGFU_CLOCK for the time of day) or travel "
    "with the time_machine fixture; if the test is about what 'today' does, mark it "
    "@pytest.mark.clock so that `make test` also runs it at each of tests/clock.py's instants."
)

_read_by: set[str] = set()
_current: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-at",
        default=os.environ.get("QINGFU_TEST_AT", ""),
        help="run the session at this instant (ISO 8601, or a name in tests/clock.py INSTANTS)",
    )


def _instant(value: str) -> dt.datetime:
    instant = dt.datetime.fromisoformat(INSTANTS.get(value, value))
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--clock-at needs a time zone: {value!r}")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "clock: reads today from the clock; also run at each of tests/clock.py's instants",
    )
    at = config.getoption("--clock-at")
    if at:
        import time_machine

        traveller = time_machine.travel(_instant(at), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)
        return
    _watch_clock_reads()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("clock") and not metafunc.config.getoption(
        "--clock-at"
    ):
        metafunc.fixturenames.insert(0, "clock_instant")
        names = ["now", *INSTANTS]
        metafunc.parametrize("clock_instant", names, ids=[f"at-{n}" for n in names], indirect=True)


@pytest.fixture(autouse=True)
def _clock_instant_first(request: pytest.FixtureRequest) -> None:
    """Travel before any other fixture of a clock-marked test. Adding ``clock_instant`` to
    ``metafunc.fixturenames`` only parametrizes the test: pytest does not set a fixture up
    that the test does not ask for, so without this the test ran at the real time under
    every instant's name. Autouse fixtures of a plugin are set up first."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "clock_instant" in callspec.params:
        request.getfixturevalue("clock_instant")


@pytest.fixture
def clock_instant(request: pytest.FixtureRequest) -> Iterator[str]:
    """The instant a clock-marked test runs at; requested first, before the test's own
    fixtures, so that what they build is built on that day too."""
    name = getattr(request, "param", None)
    if name is None:  # --clock-at: the whole session is already there
        yield request.config.getoption("--clock-at")
        return
    if name == "now":
        yield name
        return
    import time_machine

    with time_machine.travel(_instant(name), tick=True):
        yield name


def _watch_clock_reads() -> None:
    from django.utils import timezone

    def watched(read: Callable[..., Any]) -> Callable[..., Any]:
        def read_clock(value: Any = None, *args: Any, **kwargs: Any) -> Any:
            if value is None and _current:
                _read_by.add(_current[-1])
            return read(value, *args, **kwargs)

        return read_clock

    # localdate() calls localtime(), so one read may be seen twice; a set keeps it once.
    timezone.localtime = watched(timezone.localtime)  # type: ignore[assignment]
    timezone.localdate = watched(timezone.localdate)  # type: ignore[assignment]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before any fixture of the test is set up, so reads made by its fixtures count too.
    _current[:] = [item.nodeid]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    if call.when != "teardown":
        return
    _current.clear()
    report = outcome.get_result()  # type: ignore[attr-defined]
    exempt = item.get_closest_marker("clock") or "time_machine" in getattr(item, "fixturenames", ())
    if item.nodeid in _read_by and not exempt and report.passed:
        report.outcome = "failed"
        report.longrepr = f"{item.nodeid} {_HELP}"
    _read_by.discard(item.nodeid)
