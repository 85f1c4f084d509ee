"""Grade and class names: Chinese by default and in files, English on pages for a reader who
chose English; only the numbers are stored."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import load_workbook

from qingfu.conftest import World
from qingfu.core.services import user_language_set
from qingfu.schools.actors import actor_for
from qingfu.schools.naming import class_display_name, grade_display_name
from qingfu.schools.services import roster_export_xlsx


def test_names_follow_the_language_asked_for_and_default_to_chinese() -> None:
    assert class_display_name(3, 2) == "三年级(2)班"
    assert class_display_name(3, 2, "zh-hans") == "三年级(2)班"
    assert class_display_name(3, 2, "en") == "Grade 3 (2)"
    assert class_display_name(9, 12, "en-us") == "Grade 9 (12)"
    assert grade_display_name(7) == "七年级"
    assert grade_display_name(7, "en") == "Grade 7"


def test_models_show_the_active_language(world: World) -> None:
    c32 = world.c32
    assert c32.name == str(c32) == "三年级(2)班" and c32.grade.name == "三年级"
    with translation.override("en"):
        assert c32.name == str(c32) == "Grade 3 (2)" and c32.grade.name == "Grade 3"
    assert c32.name == "三年级(2)班"


def test_pages_show_english_names_to_a_reader_who_chose_english(world: World) -> None:
    client = world.client("admin_a")
    page = client.get(f"/classes/{world.c32.pk}/").content.decode()
    assert "三年级(2)班" in page and "Grade 3 (2)" not in page
    user_language_set(user=world.users["admin_a"], language="en")
    page = client.get(f"/classes/{world.c32.pk}/").content.decode()
    assert "Grade 3 (2)" in page and "三年级(2)班" not in page


def test_the_roster_export_stays_chinese_in_english(world: World) -> None:
    actor = actor_for(world.users["admin_a"])
    with translation.override("en"):
        data = roster_export_xlsx(actor=actor, school_id=world.a.pk)
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
             for c in row]  # fmt: skip
    assert "三年级" in cells and not any("Grade" in str(c) for c in cells)


def test_teachers_who_share_a_name_are_told_apart_and_others_keep_theirs() -> None:
    from qingfu.schools.naming import distinct_names

    people = [
        (1, "于立新", "数学 · 三年级", "T01"),
        (2, "于立新", "语文 · 五年级", "T02"),
        (3, "钱芳", "英语 · 四年级", "T03"),
        (4, "钱芳", "英语 · 四年级", "T04"),
        (5, "钱芳", "", "T05"),
        (6, "周婷", "美术 · 二年级", "T06"),
    ]
    shown = distinct_names(people)
    assert shown[1] == "于立新（数学 · 三年级）" and shown[2] == "于立新（语文 · 五年级）"
    # The same detail, or none: the staff number tells them apart.
    assert shown[3] == "钱芳（英语 · 四年级 · 工号 T03）"
    assert shown[5] == "钱芳（工号 T05）"
    assert shown[6] == "周婷"
    assert len(set(shown.values())) == len(people)
    assert distinct_names(people[:2], "en")[1] == "于立新 (数学 · 三年级)"


def test_the_school_list_and_selects_tell_same_named_teachers_apart(world: World) -> None:
    """A second teacher of the school given the name of one who teaches: both are shown with
    what they teach (or their staff number), in the school's teacher select and on the
    class page; a teacher whose name is their own is shown by it alone."""
    from django.template import Context, Template

    from qingfu.schools.models import Teacher, TeachingAssignment
    from qingfu.schools.selectors import teacher_labels

    taught = TeachingAssignment.objects.select_related("teacher", "subject").first()
    assert taught is not None
    first = taught.teacher
    other = Teacher.objects.filter(school_id=first.school_id).exclude(pk=first.pk).first()
    assert other is not None
    before = teacher_labels(first.school_id)
    assert first.pk not in before  # nobody shares the name yet
    other.name = first.name
    other.save()  # moves the school's roster version: the labels are built again
    labels = teacher_labels(first.school_id)
    assert set(labels) == {first.pk, other.pk}
    assert (
        labels[first.pk].startswith(f"{first.name}（") and taught.subject.name in labels[first.pk]
    )
    assert labels[first.pk] != labels[other.pk]
    rendered = Template(
        "{% load qingfu %}{{ a|teacher_name }}|{{ b|teacher_name }}|{{ n|teacher_name|default:'—' }}"
    )
    assert rendered.render(Context({"a": first, "b": other, "n": None})) == (
        f"{labels[first.pk]}|{labels[other.pk]}|—"
    )
