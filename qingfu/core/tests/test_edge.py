"""The web edge's one way in and out (qingfu.core.edge) and the access gates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from qingfu.core import access
from qingfu.core.actor import Actor
from qingfu.core.edge import (
    ActionForm,
    IdListField,
    TimeField,
    WeekdaysField,
    answer_action,
    answer_post,
    cleaned,
)
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.scope import SESSION_KEY, chosen_school_id, current_district_id, current_school_id

QINGFU = Path(__file__).resolve().parents[2]


class _Form(forms.Form):
    start = TimeField()
    weekdays = WeekdaysField()
    clubs = IdListField()


def _post(data: dict[str, object], *, htmx: bool = False) -> HttpRequest:
    headers = {"HX-Request": "true"} if htmx else {}
    request = RequestFactory().post("/page/?week=2026-11-23", data, headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_cleaned_names_each_bad_field_in_the_services_shape() -> None:
    with pytest.raises(ValidationFailed) as caught:
        cleaned(_Form, {"start": "25:99", "weekdays": ["1", "9"]})
    assert set(caught.value.errors) == {"start", "weekdays"}
    assert caught.value.errors["start"] == ["时间格式应为 15:40。"]


def test_fields_keep_ranked_order_and_sort_weekdays() -> None:
    data = cleaned(_Form, {"start": "15:40", "weekdays": ["4", "0", "4"], "clubs": ["9", "3", "9"]})
    assert data["weekdays"] == (0, 4)
    assert data["clubs"] == [9, 3]


def test_answer_post_redirects_with_the_message_or_returns_errors() -> None:
    request = _post({})
    answer = answer_post(request, lambda: "已保存。")
    assert answer.response is not None and answer.response.status_code == 302
    assert answer.response["Location"] == "/page/?week=2026-11-23"
    assert [str(m) for m in get_messages(request)] == ["已保存。"]

    def refused() -> str:
        raise ValidationFailed.single("capacity", "名额不能为负数。")

    failed = answer_post(_post({}), refused)
    assert failed.response is None and failed.status == 422
    assert failed.errors == {"capacity": ["名额不能为负数。"]}


def test_htmx_is_sent_to_the_next_page_instead_of_a_swapped_redirect() -> None:
    answer = answer_post(_post({}, htmx=True), lambda: None, to="/done/")
    assert answer.response is not None and answer.response.status_code == 204
    assert answer.response["HX-Redirect"] == "/done/"


def test_answer_action_runs_the_named_action_only() -> None:
    ran: list[str] = []
    actions = {"a": lambda: ran.append("a") or "", "b": lambda: ran.append("b") or ""}
    assert answer_action(_post({"action": "b"}), actions).response is not None
    assert ran == ["b"]
    unknown = answer_action(_post({"action": "drop"}), actions)
    assert unknown.errors == {"__all__": ["未知的操作。"]} and ran == ["b"]
    assert answer_action(_post({}), actions, default="a").response is not None
    assert ran == ["b", "a"]
    assert cleaned(ActionForm, {})["action"] == ""


def test_access_gates_answer_not_found_for_anyone_else() -> None:
    nobody = Actor(user_id=1)
    for gate in (
        access.as_teacher,
        access.as_head_teacher,
        access.as_grade_leader,
        access.as_school_admin,
        access.as_district_officer,
    ):
        with pytest.raises(NotFound):
            gate(nobody)
    parent = Actor(user_id=2, child_student_ids=frozenset({7}))
    assert access.as_guardian_of(parent, 7) == 7
    with pytest.raises(NotFound):
        access.as_guardian_of(parent, 8)
    student = Actor(user_id=3, student_id=8)
    assert access.as_guardian_of(student, 8, or_self=True) == 8
    with pytest.raises(NotFound):
        access.as_guardian_of(student, 8)


def test_an_officer_of_several_districts_chooses_one() -> None:
    officer = Actor(user_id=1, district_ids=frozenset({3, 5}))
    request = _post({})
    assert current_district_id(request, officer) == 3
    request.GET = request.GET.copy()
    request.GET["district"] = "5"
    assert current_district_id(request, officer) == 5
    request.GET = request.GET.copy()
    del request.GET["district"]
    assert current_district_id(request, officer) == 5  # remembered
    request.GET["district"] = "4"
    with pytest.raises(NotFound):
        current_district_id(request, officer)


def test_the_school_switcher_shows_the_school_the_pages_act_in() -> None:
    """The switcher marks the school ``current_school_id`` acts in: the one chosen, and
    after a role there is lost (a stale choice in the session), the first of the rest, as
    the pages do (it marked none while the pages acted in the first)."""
    principal = Actor(user_id=1, school_ids=frozenset({4, 9}))
    request = _post({})
    assert chosen_school_id(request, principal) == current_school_id(request, principal) == 4
    request.GET = request.GET.copy()
    request.GET["school"] = "9"
    assert current_school_id(request, principal) == 9 == chosen_school_id(request, principal)
    moved = Actor(user_id=1, school_ids=frozenset({4, 6}))
    request.GET = request.GET.copy()
    del request.GET["school"]
    assert request.session[SESSION_KEY] == 9
    assert chosen_school_id(request, moved) == current_school_id(request, moved) == 4
    assert chosen_school_id(request, Actor(user_id=2)) is None


HAND_PARSED = re.compile(r"request\.POST(\.get|\.getlist|\.items|\[)|in request\.POST\b")


# Code that reads a POST without being a view of ours: each with its reason.
NOT_A_VIEW = {
    "web/lockout.py": "Axes' lockout answer: shows the sign-in form again with the user name "
    "and the page to return to as typed, validating nothing",
    "schools/admin_audit.py": "the Django admin's own deletion confirmation flag ('post')",
}


def test_no_view_reads_a_post_by_hand() -> None:
    """A POST reaches a view's code only through a form (or a Ninja schema in the API):
    every module is scanned (views live in views.py, but also institution_views.py,
    burden_views.py, home.py …), not only the files named views.py."""
    found = [
        f"{path.relative_to(QINGFU)}:{n}"
        for path in sorted(QINGFU.rglob("*.py"))
        if "tests" not in path.relative_to(QINGFU).parts
        and path.relative_to(QINGFU).as_posix() not in NOT_A_VIEW
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_PARSED.search(line)
    ]
    assert not found, found
    seen = {
        path.relative_to(QINGFU).as_posix()
        for path in QINGFU.rglob("*.py")
        if HAND_PARSED.search(path.read_text(encoding="utf-8"))
    }
    assert set(NOT_A_VIEW) <= seen, "an exemption no longer needed: remove it"
