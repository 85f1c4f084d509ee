"""Observation points (减负观察点): a receiver of a point reports its month (and corrects
it); a unit that is no point, another unit, a future month or bad input changes nothing;
the board counts this month's reports and the county report their figures."""

from __future__ import annotations

import datetime as dt

import pytest

from qingfu.burden import selectors
from qingfu.burden.models import ObservationReport
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _form(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "action": "observe", "month": TODAY.replace(day=1).isoformat(), "hours": "42.5",
        "unregistered": "2", "compared": "heavier", "remarks": "迎检材料多",
    }  # fmt: skip
    values.update(changes)
    return values


def test_a_point_reports_its_month_and_corrects_it(county: County) -> None:
    village = county.villages[0]
    village.is_observation_point = True
    village.save()
    client = county.client("village1")
    page = client.get("/burden/received/").content.decode()
    assert 'id="observation-form"' in page
    assert client.post("/burden/received/", _form()).status_code == 302
    assert (
        client.post("/burden/received/", _form(hours="40", compared="lighter")).status_code == 302
    )
    report = ObservationReport.objects.get()
    assert (report.hours, report.compared, report.month) == (40.0, "lighter", TODAY.replace(day=1))
    board = selectors.board_for(actor_for(county.users["jianfu"]), county.world.d1.pk, today=TODAY)
    assert (board.observation_reports, board.observation_points) == (1, 1)
    html = county.client("jianfu").get("/burden/board/").content.decode()
    assert "<b>1/1</b>" in html
    text = (
        county.client("jianfu")
        .get(
            "/reports/burden/",
            {"preset": "custom", "start": "2026-11-01", "end": TODAY.isoformat()},
        )
        .content.decode()
    )
    assert "全县设立减负观察点1个，本期应报月度情况1份，实报1份" in text
    assert "工时共40.0小时" in text and "0份报告认为负担比上月加重，1份认为有所减轻" in text


def test_refusals_change_nothing(county: County) -> None:
    town = county.client("town1")  # the town is no observation point
    assert town.post("/burden/received/", _form()).status_code == 404
    assert 'id="observation-form"' not in town.get("/burden/received/").content.decode()
    village = county.villages[0]
    village.is_observation_point = True
    village.save()
    client = county.client("village1")
    future = dt.date(TODAY.year + 1, 1, 1).isoformat()
    assert client.post("/burden/received/", _form(month=future)).status_code == 422
    assert client.post("/burden/received/", _form(hours="-3")).status_code == 422
    assert client.post("/burden/received/", _form(compared="worse")).status_code == 422
    assert county.client("far_town").post("/burden/received/", _form()).status_code == 404
    assert not ObservationReport.objects.exists()
