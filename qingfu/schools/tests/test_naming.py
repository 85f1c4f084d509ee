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
