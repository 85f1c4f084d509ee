"""The clock plugin itself: an unmarked test that reads the real clock fails, a marked one
runs at every instant and sees the school's local date there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.clock import INSTANTS

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]

CASES = """
import datetime as dt

import pytest
from django.utils import timezone


def test_reads_the_clock_unmarked():
    timezone.localdate()


def test_is_given_a_date():
    assert timezone.localdate(dt.datetime(2026, 11, 27, 20, 52, tzinfo=dt.UTC)) == dt.date(2026, 11, 28)


@pytest.mark.clock
def test_marked(clock_instant):
    if clock_instant == "utc-friday-evening":
        assert timezone.localdate() == dt.date(2026, 12, 5)
    if clock_instant == "makeup-saturday":
        assert timezone.localdate() == dt.date(2026, 10, 10)


@pytest.mark.clock
def test_marked_without_asking_for_the_instant(request):
    if request.node.callspec.params["clock_instant"] == "holiday":
        assert timezone.localdate() == dt.date(2026, 10, 2)
"""


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
    monkeypatch.delenv("QINGFU_TEST_AT", raising=False)
    pytester.makepyfile(test_cases=CASES)

    def _run(*args: str) -> pytest.RunResult:
        return pytester.runpytest_subprocess("-p", "tests.clock", "-p", "no:cacheprovider", *args)

    return _run


def test_an_unmarked_clock_read_fails_and_a_marked_test_runs_at_every_instant(run) -> None:  # type: ignore[no-untyped-def]
    result = run("-v")
    # One unmarked read fails at teardown; the marked test passes now and at each instant.
    result.assert_outcomes(passed=2 + 2 * (1 + len(INSTANTS)), errors=1)
    result.stdout.fnmatch_lines(
        ["*test_reads_the_clock_unmarked*reads today or now from the real clock*"]
    )
    for name in INSTANTS:
        result.stdout.fnmatch_lines([f"*test_marked?at-{name}? PASSED*"])


def test_clock_at_runs_the_whole_session_at_one_instant(run) -> None:  # type: ignore[no-untyped-def]
    result = run("-v", "--clock-at", "utc-friday-evening", "-k", "test_marked and not asking")
    result.assert_outcomes(passed=1)  # not parametrized: the session itself is at the instant
