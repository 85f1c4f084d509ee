"""Ability-element marks, the error notebook and the class chart."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.assessment import marks
from qingfu.assessment.chart import heatmap
from qingfu.assessment.models import ElementMark, NotebookEntry
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.homework.data import HomeworkDraft, ItemDraft
from qingfu.homework.services import homework_publish
from qingfu.schools.actors import actor_for
from qingfu.schools.models import Subject


@pytest.fixture(autouse=True)
def _today(settings):  # type: ignore[no-untyped-def]
    """The pages' dates name their year only outside the current one: pin the day they read."""
    settings.QINGFU_TODAY = "2026-11-23"


def test_heatmap_averages_marks_per_lesson_and_element() -> None:
    cells = heatmap([(1, "计算", "good"), (1, "计算", "miss"), (1, "识图", "partial")])
    assert (cells[(1, "计算")].level, cells[(1, "计算")].marks) == (0.5, 2)
    assert cells[(1, "计算")].band == "low" and cells[(1, "识图")].band == "low"


@pytest.fixture
def homework(world):
    math = Subject.objects.get(school=world.a, code="math")
    item = ItemDraft(
        content="口算练习", kind="written", tier="basic", minutes=15, place="home",
        ability_elements=("计算", "思维"),
    )  # fmt: skip
    day = dt.date(2026, 11, 20)
    return homework_publish(
        actor=actor_for(world.users["math3"]),
        draft=HomeworkDraft(math.pk, (world.c31.pk,), day, day, (item,)),
    )


def test_marks_fill_the_notebook_and_the_chart(world, homework) -> None:
    teacher = actor_for(world.users["math3"])
    item = homework.items.get()
    s1 = world.s1.pk
    marks.marks_save(
        actor=teacher, assignment_id=homework.pk, class_id=world.c31.pk,
        marks={(s1, item.pk, "计算"): "miss", (s1, item.pk, "思维"): "good"},
        reasons={(s1, item.pk, "计算"): "careless"},
    )  # fmt: skip
    entry = NotebookEntry.objects.get()
    assert (entry.element, entry.reason, entry.redone_at) == ("计算", "careless", None)
    chart = marks.class_chart(teacher, world.c31.pk, homework.subject_id)
    assert chart.elements == ["计算", "思维"]
    assert chart.cells[(homework.pk, "计算")].level == 0.0
    # The guardian marks it re-done; another family cannot.
    with pytest.raises(NotFound):
        marks.notebook_redo(actor=actor_for(world.users["guardian2"]), entry_id=entry.pk)
    marks.notebook_redo(actor=actor_for(world.users["guardian1"]), entry_id=entry.pk)
    assert NotebookEntry.objects.get().redone_at is not None
    page = world.client("guardian1").get(f"/assessment/notebook/{s1}/").content.decode()
    assert "计算" in page and "已重做" in page
    assert world.client("guardian2").get(f"/assessment/notebook/{s1}/").status_code == 404


def test_a_mark_for_a_student_not_in_the_class_saves_nothing(world, homework) -> None:
    item = homework.items.get()
    with pytest.raises(ValidationFailed) as err:
        marks.marks_save(
            actor=actor_for(world.users["math3"]), assignment_id=homework.pk,
            class_id=world.c31.pk,
            marks={(world.s1.pk, item.pk, "计算"): "good", (world.s2.pk, item.pk, "计算"): "good"},
            reasons={},
        )  # fmt: skip
    assert "student" in err.value.errors
    assert not ElementMark.objects.exists()
    with pytest.raises(ValidationFailed) as err:  # a miss needs its reason
        marks.marks_save(
            actor=actor_for(world.users["math3"]), assignment_id=homework.pk,
            class_id=world.c31.pk, marks={(world.s1.pk, item.pk, "计算"): "miss"}, reasons={},
        )  # fmt: skip
    assert "reason" in err.value.errors
    with pytest.raises(NotFound):  # not this teacher's homework
        marks.sheet(actor_for(world.users["head31"]), homework.pk, world.c31.pk)


def test_marking_page_saves_a_whole_class_on_one_screen(world, homework) -> None:
    item = homework.items.get()
    client = world.client("math3")
    url = f"/assessment/marks/{homework.pk}/{world.c31.pk}/"
    page = client.get(url).content.decode()
    assert page.count('value="good" checked') == 2  # one student, two elements, default 掌握
    done = client.post(
        url,
        {f"m-{world.s1.pk}-{item.pk}-计算": "partial", f"m-{world.s1.pk}-{item.pk}-思维": "good"},
        follow=True,
    )
    assert "已保存 2 个批改标记" in done.content.decode()
    assert "课时作业评价图" in done.content.decode()
    assert ElementMark.objects.get(element="计算").mark == "partial"


def test_the_teachers_page_lists_homework_to_mark(world, homework) -> None:
    body = world.client("math3").get("/assessment/").content.decode()
    assert f"/assessment/marks/{homework.pk}/{world.c31.pk}/" in body
