"""What each phase of a program offers (pure), and that the services refuse the rest with the
same reason the page shows beside the greyed button."""

from __future__ import annotations

import lxml.html
import pytest

from qingfu.afterschool import phases
from qingfu.afterschool.models import AllocationRun, Program
from qingfu.afterschool.phases import phase_actions
from qingfu.afterschool.tests.helpers import standard_program

ALLOWED = {
    "setup": {"start_survey", "start_signup", "open"},
    "survey": {"start_signup", "open"},
    "signup": {"run", "apply", "open"},
    "allocated": {"run", "apply", "open"},
    "open": set(),
}


@pytest.mark.parametrize("phase", phases.ORDER)
def test_each_phase_offers_its_actions_and_says_why_not_the_others(phase: str) -> None:
    states = phase_actions(phase)
    assert set(states) == set(phases.ACTIONS)
    assert {a for a, s in states.items() if s.allowed} == ALLOWED[phase]
    for state in states.values():
        assert state.allowed == (state.reason == "")


def test_late_registration_refuses_allocation_with_a_reason() -> None:
    # The demo's current program: the open round is under way, so allocating is closed.
    run = phase_actions("open")["run"]
    assert not run.allowed and "补报名已经开放" in run.reason
    assert "开放报名与志愿填报后" in phase_actions("survey")["run"].reason


def test_an_unknown_phase_allows_nothing() -> None:
    assert not any(s.allowed for s in phase_actions("archived").values())


# --- the page and the services ----------------------------------------------------------------


@pytest.fixture
def _pinned(settings) -> None:  # type: ignore[no-untyped-def]
    settings.QINGFU_TODAY = "2026-09-14"
    settings.QINGFU_CLOCK = "16:00"


def _page(client) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(client.get("/afterschool/").content)


@pytest.mark.usefixtures("_pinned")
def test_in_late_registration_the_page_greys_out_allocation_and_says_why(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    Program.objects.filter(pk=program.pk).update(phase=Program.Phase.OPEN)
    client = world.client("admin_a")
    (run,) = _page(client).xpath("//*[@id='allocation']//form//button[@type='submit']")
    assert run.get("disabled") is not None
    (why,) = _page(client).xpath(f"//*[@id='{run.get('aria-describedby')}']")
    assert "补报名已经开放" in why.text_content()
    # What the page does not offer, the service refuses with the same reason.
    response = client.post("/afterschool/", {"action": "run", "mechanism": "optimal"})
    assert response.status_code == 422
    assert "补报名已经开放" in response.content.decode()
    assert not AllocationRun.objects.filter(program=program).exists()


@pytest.mark.usefixtures("_pinned")
def test_in_the_choice_phase_allocation_is_offered_and_the_survey_is_not(world) -> None:
    program = standard_program(world.users["admin_a"], world.a)
    Program.objects.filter(pk=program.pk).update(phase=Program.Phase.SIGNUP)
    client = world.client("admin_a")
    page = _page(client)
    (run,) = page.xpath("//*[@id='allocation']//form//button[@type='submit']")
    assert run.get("disabled") is None
    (survey,) = page.xpath("//*[@id='phase']//button[@value='survey']")
    assert survey.get("disabled") is not None
    assert "不能回到需求调研" in page.get_element_by_id("why-start_survey").text_content()
    response = client.post("/afterschool/", {"action": "phase", "phase": "survey"})
    assert response.status_code == 422
    program.refresh_from_db()
    assert program.phase == Program.Phase.SIGNUP
