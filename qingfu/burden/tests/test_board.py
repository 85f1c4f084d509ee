"""The campaign office's board: every figure recomputed here from the records, by hand,
and compared with what the page shows."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from qingfu.burden import selectors
from qingfu.burden.models import AppOrGroup, Demand, UnregisteredReport
from qingfu.burden.services import demand_receivers_set
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.core.errors import NotFound
from qingfu.policy import burden as policy
from qingfu.schools.actors import actor_for

pytestmark = pytest.mark.django_db


def _sent(
    county: County, kind: str, day: dt.date, receivers: list[int], hours: float, issuer=None, **kw
) -> Demand:  # type: ignore[no-untyped-def]
    demand = Demand.objects.create(
        district=county.world.d1,
        issuer=issuer or county.office,
        kind=kind,
        title=f"{kind} {day}",
        day=day,
        staff_hours=hours,
        status=kw.pop("status", Demand.Status.SENT),
        **kw,
    )
    demand_receivers_set(demand, units=receivers, schools=())
    return demand


@pytest.fixture
def records(county: County) -> list[Demand]:
    t, v = county.town.pk, [u.pk for u in county.villages]
    rows = []
    # Last year: 10 documents and 4 meetings by 10 November, 3 inspections.
    for i in range(10):
        rows.append(_sent(county, "document", dt.date(2025, 1 + i, 5), [t], 1.0))
    for i in range(4):
        rows.append(_sent(county, "meeting", dt.date(2025, 3 + i, 12), [t, v[0]], 2.0))
    for i in range(3):
        rows.append(_sent(county, "inspection", dt.date(2025, 5, 10 + i), v[:2], 4.0))
    rows.append(_sent(county, "document", dt.date(2025, 11, 20), [t], 1.0))  # after the date
    # This year.
    for i in range(6):
        rows.append(_sent(county, "document", dt.date(2026, 2 + i, 9), [t], 1.5))
    for i in range(4):
        rows.append(
            _sent(county, "meeting", dt.date(2026, 11, 3 + i), [t], 2.5, issuer=county.other_office)
        )
    rows.append(_sent(county, "inspection", dt.date(2026, 11, 9), v, 6.0))
    rows.append(_sent(county, "meeting", dt.date(2026, 6, 2), [t], 1.0, exception_reason="防汛"))
    _sent(county, "meeting", dt.date(2026, 8, 2), [t], 1.0, status=Demand.Status.REFUSED)
    _sent(county, "meeting", dt.date(2026, 11, 20), [t], 1.0, status=Demand.Status.DRAFT)
    UnregisteredReport.objects.create(
        district=county.world.d1,
        receiver_unit=county.town,
        issuer=county.office,
        what="x",
        day=TODAY,
        channel="wechat",
    )
    for status in ("closed", "closed", "kept"):
        AppOrGroup.objects.create(
            district=county.world.d1, unit=county.town, name=status, kind="wechat", status=status
        )
    return rows


def test_the_board_figures_are_the_records_counted(county: County, records: list[Demand]) -> None:
    board = selectors.board_for(actor_for(county.users["jianfu"]), county.world.d1.pk, today=TODAY)
    sent = list(Demand.objects.filter(status="sent"))
    for kind in ("document", "meeting", "inspection"):
        year = next(
            c
            for c in board.counts
            if c.kind == kind and c.first == dt.date(2026, 1, 1) and c.last == TODAY
        )
        this = sum(1 for d in sent if d.kind == kind and dt.date(2026, 1, 1) <= d.day <= TODAY)
        last = sum(
            1
            for d in sent
            if d.kind == kind and dt.date(2025, 1, 1) <= d.day <= dt.date(2025, 11, 10)
        )
        assert (year.count, year.last_year) == (this, last)
    documents = next(
        c for c in board.counts if c.kind == "document" and c.first.month == 1 and c.last == TODAY
    )
    assert (documents.count, documents.last_year, documents.allowed) == (6, 10, 7)
    meetings = next(
        c for c in board.counts if c.kind == "meeting" and c.last == TODAY and c.first.month == 1
    )
    assert (meetings.count, meetings.last_year, meetings.allowed) == (5, 4, 2)
    november = next(
        c for c in board.counts if c.kind == "meeting" and c.first == dt.date(2026, 11, 1)
    )
    assert november.count == 4

    # The burden index of November: hours per receiver, recomputed.
    hours: dict[int, list[float]] = {}
    for d in sent:
        if dt.date(2026, 11, 1) <= d.day <= TODAY:
            for u in d.receiver_units.all():
                hours.setdefault(u.pk, []).append(d.staff_hours)
    shown = {load.receiver_id: load.hours for _, load in board.receivers}
    assert shown == {k: math.fsum(v) for k, v in hours.items()}
    assert shown[county.town.pk] == 10.0

    # Heaviest issuers this year: hours × receivers summed.
    by_issuer: Counter[int] = Counter()
    for d in sent:
        if d.day.year == 2026:
            by_issuer[d.issuer_id] += d.staff_hours * d.receiver_units.count()
    assert {load.issuer_id: load.hours for _, load in board.issuers} == dict(by_issuer)
    assert board.issuers[0][0] == "县民政局"
    assert (board.refused, board.exceptions, board.reports_open) == (1, 1, 1)
    assert board.apps == {"kept": 1, "merged": 0, "closed": 2}


def test_the_board_page_shows_them_and_is_the_office_s_only(
    county: County, records: list[Demand]
) -> None:
    response = county.client("jianfu").get("/burden/board/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="counts"' in text and "县民政局" in text and 'id="charts"' in text
    with pytest.raises(NotFound):
        selectors.board_for(actor_for(county.users["far_jianfu"]), county.world.d1.pk, today=TODAY)
    assert county.client("town1").get("/burden/board/").status_code == 404


def test_the_board_reads_in_few_queries(
    county: County,
    records: list[Demand],
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = county.client("jianfu")
    client.get("/burden/board/")
    with django_assert_max_num_queries(40):
        client.get("/burden/board/")


def test_the_board_of_one_issuer(county: County, records: list[Demand]) -> None:
    jianfu = actor_for(county.users["jianfu"])
    board = selectors.board_for(
        jianfu, county.world.d1.pk, today=TODAY, issuer_id=county.other_office.pk
    )
    year = {c.kind: c for c in board.counts if c.first == dt.date(2026, 1, 1) and c.last == TODAY}
    assert (year["meeting"].count, year["meeting"].last_year) == (4, 0)
    assert year["document"].count == 0
    assert [name for name, _ in board.issuers] == ["县卫健委"]
    assert board.refused == 0
    with pytest.raises(NotFound):  # not an office of the county
        selectors.board_for(jianfu, county.world.d1.pk, today=TODAY, issuer_id=county.town.pk)
    page = county.client("jianfu").get(f"/burden/board/?issuer={county.other_office.pk}")
    assert page.status_code == 200 and "返回全县" in page.content.decode()
    api = county.client("jianfu").get(f"/api/v1/burden/board?issuer_id={county.office.pk}")
    assert [i["name"] for i in api.json()["issuers"]] == ["县民政局"]


def test_fields_answered_and_hours_saved(county: County) -> None:
    demand = _sent(county, "data_request", dt.date(2026, 11, 2), [county.town.pk], 4.0)
    demand.field_list = "班级数、学生数、发文数量、食堂从业人员数"
    demand.save()
    demand_receivers_set(demand, units=[county.town], schools=[county.world.a, county.world.b])
    board = selectors.board_for(actor_for(county.users["jianfu"]), county.world.d1.pk, today=TODAY)
    assert (board.fields_asked, board.fields_answered) == (4, 3)
    # Two schools answered 3 of 4 from records, the town 1 of 4 (only the registry's count).
    assert board.hours_saved == 4.0 * 2 * 3 / 4 + 4.0 * 1 * 1 / 4


def test_the_board_drills_down_to_what_landed_on_one_receiver(
    county: County, records: list[Demand]
) -> None:
    client = county.client("jianfu")
    town = client.get("/burden/board/", {"receiver": county.town.pk})
    assert town.status_code == 200
    html = town.content.decode()
    mine = Demand.objects.filter(
        status="sent", receiver_units=county.town, day__gte=TODAY.replace(day=1), day__lte=
        dt.date(TODAY.year, TODAY.month, 30),
    )  # fmt: skip
    assert mine.count() == 4  # the other office's four meetings this month
    assert f"{mine.count()} 件，预计 {sum(d.staff_hours for d in mine):.1f} 小时" in html
    assert html.count("<tr><td>11月") == mine.count()
    assert f'href="?receiver={county.town.pk}#receiver"' in html
    school = county.world.a
    to_school = Demand.objects.create(
        district=county.world.d1, issuer=county.office, kind="inspection", title="校园安全检查",
        day=TODAY, staff_hours=3.0, status="sent",
    )  # fmt: skip
    demand_receivers_set(to_school, units=(), schools=[school])
    page = client.get("/burden/board/", {"receiver": -school.pk}).content.decode()
    assert "校园安全检查" in page and "1 件，预计 3.0 小时" in page
    # A receiver of another county, or an office, is not found.
    for key in (county.far_town.pk, county.office.pk, -county.world.c.pk):
        assert client.get("/burden/board/", {"receiver": key}).status_code == 404


def test_the_database_s_aggregates_are_the_rows_counted(
    county: County, records: list[Demand]
) -> None:
    """The board groups in the database (per kind and day, per receiver and hours, per
    issuer); the pure functions over every demand row, receivers read one by one, give the
    same figures, schools and units both receiving and one issuer's board alike."""
    w = county.world
    mixed = _sent(county, "meeting", dt.date(2026, 11, 4), [county.town.pk], 0.5)
    demand_receivers_set(mixed, units=[county.town], schools=[w.a, w.b])
    to_school = _sent(county, "document", dt.date(2026, 11, 6), [], 3.0, issuer=county.other_office)
    demand_receivers_set(to_school, units=(), schools=[w.a])
    _sent(county, "document", dt.date(2026, 11, 7), [], 1.0)  # no receiver yet: counts, no hours
    jianfu = actor_for(county.users["jianfu"])
    d1 = w.d1.pk
    rows = selectors.demand_rows(d1, first=dt.date(2025, 1, 1), last=TODAY)
    for issuer in (None, county.office.pk):
        mine = [r for r in rows if issuer is None or r.issuer_id == issuer]
        board = selectors.board_for(jianfu, d1, today=TODAY, issuer_id=issuer)
        profile = selectors.profile_for_district(d1)
        assert board.counts == policy.monthly_counts(profile, mine, through=TODAY)
        index = policy.burden_index(mine, first=dt.date(2026, 11, 1), last=TODAY)
        assert [load for _, load in board.receivers] == index
        heavy = policy.heaviest_issuers(mine, first=dt.date(2026, 1, 1), last=TODAY, top=10)
        assert [load for _, load in board.issuers] == heavy
    board = selectors.board_for(jianfu, d1, today=TODAY)
    loads = {load.receiver_id: load for _, load in board.receivers}
    assert (loads[-w.a.pk].hours, loads[-w.a.pk].demands) == (3.5, 2)
    assert (loads[-w.b.pk].hours, loads[-w.b.pk].demands) == (0.5, 1)
    office = next(load for _, load in board.issuers if load.issuer_id == county.office.pk)
    # 民政局 this year: 6 documents to the town, the exception meeting, the mixed meeting (3
    # receivers), the inspection (4 villages), and the document with no receiver.
    assert office.receivers == 1 + 4 + 2
    assert office.by_kind == {"document": 7, "inspection": 1, "meeting": 2}
    assert office.hours == 6 * 1.5 + 1.0 + 0.5 * 3 + 6.0 * 4
