"""What some roles see of the people on a page they may open.

Who may open which page or call which API operation, and that a refusal changes nothing and
an allowed read of a minor's record is audited, is the role matrix over every endpoint:
``qingfu/core/tests/test_matrix.py``, with the schools API's cases in ``matrix.py`` here and
the pages' in ``qingfu/web/tests/matrix.py``. These tests look inside the allowed answers.
"""

from __future__ import annotations

from qingfu.conftest import World
from qingfu.schools.tests import factories as f

OK = 200


def test_class_page_hides_names_from_families_and_district(world: World) -> None:
    """Families see their child's class page but not classmates; the district neither."""
    f.StudentFactory(school_class=world.c31, name="陈同桌")
    for role in ("guardian1", "student1", "officer_d1", "inspector_a"):
        response = world.client(role).get(f"/classes/{world.c31.pk}/")
        assert response.status_code == OK, role
        assert "陈同桌" not in response.content.decode(), role
    teacher_view = world.client("math3").get(f"/classes/{world.c31.pk}/").content.decode()
    assert "陈同桌" in teacher_view and "张小一" in teacher_view


def test_district_sees_only_its_own_schools(world: World) -> None:
    data = world.client("officer_d1").get("/api/v1/schools").json()
    assert {s["name"] for s in data} == {"甲校", "乙校"}
    assert world.client("officer_d2").get("/api/v1/schools").json()[0]["name"] == "丙校"
    body = world.client("officer_d1").get(f"/districts/{world.d1.pk}/").content.decode()
    assert "张小一" not in body and "甲校" in body


def test_guardian_phone_only_for_head_teacher_admin_and_family(world: World) -> None:
    phone = world.s1.guardian_links.get().guardian.phone
    for role, sees in (("head31", True), ("admin_a", True), ("guardian1", True), ("math3", False)):
        body = world.client(role).get(f"/api/v1/students/{world.s1.pk}").json()
        assert (body["guardians"][0]["phone"] == phone) is sees, role
