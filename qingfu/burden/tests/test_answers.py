"""A data request answered from records (一表通): the school's figures filled, the rest
left blank, the counts of fields asked and answered, the XLSX opened back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from qingfu.burden import answers, services
from qingfu.burden.tests.helpers import TODAY, County, demand_input
from qingfu.core.errors import NotFound
from qingfu.schools.actors import actor_for
from qingfu.schools.models import SchoolClass, Student, Teacher
from qingfu.schools.selectors import current_semester

pytestmark = pytest.mark.django_db

FIELDS = "学校名称\n班级数\n在校生人数（人）\n教师数\n本学期考试次数\n发文数量\n食堂从业人员数"


def _request(county: County) -> int:
    demand = services.demand_create_and_submit(
        actor=actor_for(county.users["clerk"]),
        issuer_id=county.office.pk,
        data=demand_input(
            county,
            kind="data_request",
            title="2026年学校基本情况统计",
            receiver_unit_ids=(county.town.pk,),
            receiver_school_ids=(county.world.a.pk,),
            field_list=FIELDS,
        ),
        confirm=True,
    )
    return demand.pk


def test_a_school_gets_its_figures_filled_from_records(county: County) -> None:
    demand_id = _request(county)
    a = county.world.a
    answer = answers.data_request_answer(
        actor_for(county.world.users["admin_a"]), demand_id, school_id=a.pk, today=TODAY
    )
    values = {r.field: r.value for r in answer.rows}
    assert values["班级数"] == SchoolClass.objects.filter(school=a).count()
    assert values["在校生人数（人）"] == Student.objects.filter(school=a, is_active=True).count()
    assert values["教师数"] == Teacher.objects.filter(school=a).count()
    assert values["发文数量"] == 0
    assert values["学校名称"] is None and values["食堂从业人员数"] is None
    semester = current_semester(a.pk, TODAY)
    assert values["本学期考试次数"] == (0 if semester else None)
    assert (answer.asked, answer.answered) == (7, 5 if semester else 4)


def test_the_xlsx_opens_back_with_the_values(county: County) -> None:
    demand_id = _request(county)
    client = county.client("admin_a")
    response = client.get(f"/burden/demands/{demand_id}/answer.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [tuple(c.value for c in row) for row in book.active.iter_rows()]
    assert rows[0][0] == "2026年学校基本情况统计"
    by_field = {r[0]: r for r in rows[3:-1]}
    a = county.world.a
    assert by_field["班级数"][1:] == (SchoolClass.objects.filter(school=a).count(), "轻负平台记录")
    assert by_field["学校名称"][1:] == (None, "请填写")
    assert rows[-1][0] == "合计"


def test_a_town_gets_unit_facts_only_and_strangers_nothing(county: County) -> None:
    demand_id = _request(county)
    answer = answers.data_request_answer(
        actor_for(county.users["town1"]), demand_id, unit_id=county.town.pk, today=TODAY
    )
    values = {r.field: r.value for r in answer.rows}
    assert values["班级数"] is None
    assert values["发文数量"] == 0
    with pytest.raises(NotFound):
        answers.data_request_answer(
            actor_for(county.users["village1"]),
            demand_id,
            unit_id=county.villages[0].pk,
            today=TODAY,
        )
    assert (
        county.client("admin_b").get(f"/burden/demands/{demand_id}/answer.xlsx").status_code == 404
    )
    assert (
        county.client("village1").get(f"/burden/demands/{demand_id}/answer.xlsx").status_code == 404
    )
