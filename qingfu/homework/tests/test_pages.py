"""The homework pages through the test client: compose, live check, publish, exceptions."""

from __future__ import annotations

import pytest

from qingfu.conftest import World
from qingfu.homework.models import Assignment, LoadException
from qingfu.schools.models import Subject

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock


def _form(
    world: World, minutes: int, *, classes: list[int] | None = None, **extra: str
) -> dict[str, object]:
    data: dict[str, object] = {
        "subject": str(Subject.objects.get(school=world.a, code="math").pk),
        "classes": [str(c) for c in (classes or [world.c31.pk])],
        "date": "2026-11-23",
        "due_on": "2026-11-24",
        "items-0-content": "口算练习",
        "items-0-kind": "written",
        "items-0-tier": "basic",
        "items-0-place": "home",
        "items-0-minutes": str(minutes),
    }
    data.update(extra)
    return data


def test_compose_page_lists_only_my_classes(world: World) -> None:
    body = world.client("math3").get("/homework/new/").content.decode()
    assert "三年级(1)班" in body and "三年级(2)班" in body and "七年级" not in body
    for who in ("guardian1", "student1", "officer_d1"):
        assert world.client(who).get("/homework/new/").status_code == 404


def test_live_check_fragment(world: World) -> None:
    response = world.client("math3").post(
        "/homework/check/", _form(world, 70), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<b>70</b> / 60" in body and "超过三至六年级每天 60 分钟的上限" in body
    assert "可申请年级组长例外审批" in body
    empty = world.client("math3").post("/homework/check/", {"subject": "1"}).content.decode()
    assert "选择班级并填写作业后" in empty


def test_publish_then_list(world: World) -> None:
    client = world.client("math3")
    response = client.post("/homework/new/", _form(world, 20))
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.status == "published"
    assert "口算练习" in client.get("/homework/").content.decode()
    # The answer comes back to the compose page, beside 发布, naming what was published.
    answer = client.get(response["Location"]).content.decode()
    assert 'id="publish-answer" class="publish-answer published"' in answer
    assert "作业已发布：" in answer and "三年级(1)班" in answer
    # Someone else's assignment id in the query shows nothing.
    other = world.client("leader3").get(response["Location"]).content.decode()
    assert "作业已发布" not in other


def test_over_cap_shows_why_and_offers_an_exception(world: World) -> None:
    client = world.client("math3")
    response = client.post("/homework/new/", _form(world, 70))
    body = response.content.decode()
    assert response.status_code == 409
    assert "三年级(1)班" in body and "申请例外" in body
    assert 'value="口算练习"' in body  # nothing the teacher typed is lost
    assert not Assignment.objects.exists()
    response = client.post(
        "/homework/new/", _form(world, 70, request_exception="1", exception_reason="单元复习")
    )
    assert response.status_code == 302
    assert Assignment.objects.get().status == "pending"
    assert "年级组长审批后自动发布" in client.get(response["Location"]).content.decode()

    leader = world.client("leader3")
    page = leader.get("/homework/exceptions/").content.decode()
    assert "单元复习" in page and "<b>70</b>" in page
    request = LoadException.objects.get()
    leader.post(
        f"/homework/exceptions/{request.pk}/decide/", {"decision": "grant", "reason": "同意"}
    )
    assert Assignment.objects.get().status == "published"


@pytest.mark.parametrize("minutes", ["0", "1000", "abc"])
def test_bad_minutes_are_named(world: World, minutes: str) -> None:
    response = world.client("math3").post(
        "/homework/new/", _form(world, 1, **{"items-0-minutes": minutes})
    )
    assert response.status_code == 422
    assert 'data-field="items.0.minutes"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_exception_page_only_for_grade_leaders(world: World) -> None:
    assert world.client("math3").get("/homework/exceptions/").status_code == 404
    assert world.client("leader3").get("/homework/exceptions/").status_code == 200


def test_the_load_bar_shows_the_cap_and_the_part_over_it(world: World) -> None:
    """70 / 60 fills the bar with the cap's mark at 6/7 and the part past it drawn as
    over (the bar used to stop at the cap, so 70 looked like 60)."""
    body = (
        world.client("math3")
        .post("/homework/check/", _form(world, 70), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert '<span class="over" style="left: 86%; width: 14%">' in body
    assert '<i class="cap-mark" style="left: 86%">' in body
    assert "超出 10 分钟" in body


def test_grades_1_2_are_told_once_that_no_written_homework_goes_home(world: World) -> None:
    """One plain sentence per class, not the rule twice and "10 / 0 分钟…"; publishing
    answers with it next to the button, focused."""
    from qingfu.conftest import _assign
    from qingfu.schools.tests import factories as f

    c21 = f.class_in(world.a, 2, 1)
    _assign(world.users["math3"], c21, "math")
    client = world.client("math3")
    form = _form(world, 10, classes=[c21.pk])
    body = client.post("/homework/check/", form, HTTP_HX_REQUEST="true").content.decode()
    assert body.count("一、二年级不布置书面家庭作业") == 1
    assert "/ 0" not in body and "可能超过上限" not in body
    response = client.post("/homework/new/", form)
    assert response.status_code == 409
    page = response.content.decode()
    answer = page[page.index('id="publish-answer"') :]
    answer = answer[: answer.index("</div>")]
    assert "autofocus" in answer and "未发布：一、二年级不布置书面家庭作业" in answer
    assert "申请例外" not in page  # a ban: no exception can be asked for
    assert not Assignment.objects.exists()


def test_the_refusal_reads_in_english_for_an_english_reader(world: World) -> None:
    import re

    from qingfu.conftest import _assign
    from qingfu.schools.tests import factories as f

    c21 = f.class_in(world.a, 2, 1)
    _assign(world.users["math3"], c21, "math")
    client = world.client("math3")
    client.post("/language/", {"language": "en", "next": "/"})
    cases = ((_form(world, 70), True), (_form(world, 10, classes=[c21.pk]), False))
    for form, exception in cases:
        response = client.post("/homework/new/", form)
        assert response.status_code == 409
        page = response.content.decode()
        answer = page[page.index('id="publish-answer"') :]
        answer = answer[answer.index(">") + 1 : answer.index("</div>")]
        assert answer and not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", answer)
        assert ("exception" in answer.lower()) == exception, answer
    assert not Assignment.objects.exists()


def test_the_published_line_reads_in_english_for_an_english_reader(world: World) -> None:
    """Issue 19: the answer to a publish names the classes, subject and day in the reader's
    language ("Grade 3 (1)", not 三年级(1)班)."""
    import re

    client = world.client("math3")
    client.post("/language/", {"language": "en", "next": "/"})
    response = client.post("/homework/new/", _form(world, 20))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    answer = page[page.index('id="publish-answer"') :]
    answer = answer[answer.index(">") + 1 : answer.index("<a ")]
    assert "Grade 3 (1)" in answer, answer
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", answer), answer
