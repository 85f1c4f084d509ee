"""The year's inspection plan, the county's lists and the observation points on their own
pages (they were written by the demo and the Django admin only): an office files its plan
and a demand naming an entry is on it; the campaign office sees every office's plan, keeps
the lists (the campus whitelist no longer than the rule allows) and chooses its points.
Bad input is answered with 422 and changes nothing; another unit's or county's ids are
not found."""

from __future__ import annotations

import pytest

from qingfu.burden.models import Demand, InspectionPlanEntry, ListEntry
from qingfu.burden.tests.helpers import TODAY, County
from qingfu.core.roles import Role
from qingfu.policy.profile import load_national
from qingfu.schools.models import RoleGrant, Unit

pytestmark = pytest.mark.django_db


def _plans() -> list[tuple[int, int, str, int | None]]:
    return sorted(InspectionPlanEntry.objects.values_list("issuer_id", "year", "title", "month"))


def _lists() -> list[tuple[str, str]]:
    return sorted(ListEntry.objects.values_list("kind", "name"))


def _points() -> list[int]:
    return sorted(Unit.objects.filter(is_observation_point=True).values_list("pk", flat=True))


def test_an_office_files_its_plan_and_an_inspection_on_it_is_sent(county: County) -> None:
    clerk = county.client("clerk")
    response = clerk.post(
        "/burden/plan/",
        {
            "action": "add",
            "issuer": county.office.pk,
            "year": TODAY.year,
            "title": "社区养老台账检查",
            "month": "12",
        },
    )
    assert response.status_code == 302
    entry = InspectionPlanEntry.objects.get(title="社区养老台账检查")
    assert (entry.issuer_id, entry.year, entry.month, entry.district_id) == (
        county.office.pk, TODAY.year, 12, county.world.d1.pk,
    )  # fmt: skip
    page = clerk.get("/burden/plan/")
    assert (
        "社区养老台账检查" in page.content.decode() and "养老服务年度检查" in page.content.decode()
    )
    # The demand form offers it, and an inspection naming it is on the plan: sent at once.
    response = clerk.post(
        "/burden/demands/",
        {
            "action": "submit", "issuer": county.office.pk, "kind": "inspection",
            "title": "社区养老台账检查", "day": "2026-12-15", "receiver_units": [county.town.pk],
            "staff_hours": "4", "plan_entry": entry.pk, "confirm": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Demand.objects.get(plan_entry=entry).status == Demand.Status.SENT
    # Named by a demand: it stays on the plan.
    before = _plans()
    response = clerk.post("/burden/plan/", {"action": "remove", "entry": entry.pk})
    assert response.status_code == 422 and "不能删除" in response.content.decode()
    assert _plans() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": TODAY.year - 1}, "今年或明年"),
        ({"year": TODAY.year + 2}, "今年或明年"),
        ({"title": "  "}, "title"),
        ({"title": "养老服务年度检查"}, "已在该年度计划中"),
        ({"month": "13"}, "1 到 12"),
        ({"month": "十二"}, "month"),
    ],
)
def test_bad_plan_entries_change_nothing(
    county: County, changes: dict[str, object], field: str
) -> None:
    before = _plans()
    data = {"action": "add", "issuer": county.office.pk, "year": TODAY.year, "title": "新检查"}
    data.update(changes)
    response = county.client("clerk").post("/burden/plan/", data)
    assert response.status_code == 422
    assert _plans() == before


def test_another_office_s_plan_is_not_found_and_the_office_sees_every_plan(county: County) -> None:
    before = _plans()
    other = county.client("other_clerk")
    forged = other.post(
        "/burden/plan/",
        {"action": "add", "issuer": county.office.pk, "year": TODAY.year, "title": "冒名检查"},
    )
    removed = other.post("/burden/plan/", {"action": "remove", "entry": county.plan.pk})
    assert (forged.status_code, removed.status_code) == (404, 404)
    assert _plans() == before
    # The campaign office reads every office's plan of its county, the far county's not.
    InspectionPlanEntry.objects.create(
        district=county.world.d1, issuer=county.other_office, year=TODAY.year, title="医疗机构检查"
    )
    page = county.client("jianfu").get("/burden/plan/").content.decode()
    assert "养老服务年度检查" in page and "医疗机构检查" in page and "县卫健委" in page
    assert "医疗机构检查" not in county.client("far_jianfu").get("/burden/plan/").content.decode()
    # An officer of both counties reads one county's plans at a time, the one chosen.
    far_office = Unit.objects.get(code="WJFB")
    far_issuer = Unit.objects.create(
        district=county.world.d2, kind=Unit.Kind.OFFICE, name="外县教育局", code="WJY"
    )
    InspectionPlanEntry.objects.create(
        district=county.world.d2, issuer=far_issuer, year=TODAY.year, title="外县校园安全检查"
    )
    RoleGrant.objects.create(
        user=county.users["jianfu"], role=Role.CAMPAIGN_OFFICER, unit=far_office
    )
    both = county.client("jianfu")
    near = both.get(f"/burden/plan/?district={county.world.d1.pk}").content.decode()
    assert "医疗机构检查" in near and "外县校园安全检查" not in near
    far = both.get(f"/burden/plan/?district={county.world.d2.pk}").content.decode()
    assert "外县校园安全检查" in far and "医疗机构检查" not in far
    remembered = both.get("/burden/plan/").content.decode()
    assert "外县校园安全检查" in remembered and "医疗机构检查" not in remembered
    assert (
        county.client("far_jianfu").get(f"/burden/plan/?district={county.world.d1.pk}").status_code
        == 404
    )
    assert county.client("town1").get("/burden/plan/").status_code == 404
    # A removal by the office's own clerk: gone.
    response = county.client("clerk").post(
        "/burden/plan/", {"action": "remove", "entry": county.plan.pk}
    )
    assert response.status_code == 302
    assert not InspectionPlanEntry.objects.filter(pk=county.plan.pk).exists()


def test_the_campaign_office_keeps_the_lists(county: County) -> None:
    office = county.client("jianfu")
    response = office.post(
        "/burden/lists/",
        {"action": "add", "kind": "task", "name": "人口普查入户", "funding_per_year": "20000"},
    )
    assert response.status_code == 302
    entry = ListEntry.objects.get(name="人口普查入户")
    assert (entry.kind, entry.funding_per_year, entry.district_id) == (
        "task",
        20000,
        county.world.d1.pk,
    )
    assert "人口普查入户" in office.get("/burden/lists/").content.decode()
    before = _lists()
    for bad in (
        {"kind": "task", "name": "低保入户核查"},  # already listed
        {
            "kind": "certificate",
            "name": "居住证明",
            "funding_per_year": "100",
        },  # funding: tasks only
        {"kind": "task", "name": "卫生检查", "funding_per_year": "0"},
        {"kind": "nonsense", "name": "x"},
        {"kind": "task", "name": ""},
    ):
        response = office.post("/burden/lists/", {"action": "add", **bad})
        assert response.status_code == 422, bad
    assert _lists() == before
    # Others: the clerk and a town are not the campaign office; the far county cannot
    # remove this county's entry.
    assert county.client("clerk").get("/burden/lists/").status_code == 404
    assert (
        county.client("clerk")
        .post("/burden/lists/", {"action": "add", "kind": "task", "name": "y"})
        .status_code
        == 404
    )
    assert (
        county.client("far_jianfu")
        .post("/burden/lists/", {"action": "remove", "entry": entry.pk})
        .status_code
        == 404
    )
    assert _lists() == before
    assert office.post("/burden/lists/", {"action": "remove", "entry": entry.pk}).status_code == 302
    assert not ListEntry.objects.filter(pk=entry.pk).exists()


def test_the_campus_whitelist_holds_what_the_rule_allows(county: County) -> None:
    limit = load_national().rule("tb.campus-whitelist").whole("items")
    office = county.client("jianfu")
    for i in range(limit):
        response = office.post(
            "/burden/lists/", {"action": "add", "kind": "campus_activity", "name": f"进校园{i}"}
        )
        assert response.status_code == 302
    response = office.post(
        "/burden/lists/", {"action": "add", "kind": "campus_activity", "name": "再多一项"}
    )
    assert response.status_code == 422
    assert "tb.campus-whitelist" in response.content.decode()
    assert ListEntry.objects.filter(kind="campus_activity").count() == limit
    # The page shows the whitelist's count against its limit.
    assert f"白名单 {limit} 项（上限 {limit} 项）" in office.get("/burden/lists/").content.decode()


def test_the_campaign_office_chooses_its_observation_points(county: County) -> None:
    office = county.client("jianfu")
    v = county.villages
    response = office.post("/burden/points/", {"units": [county.town.pk, v[1].pk]})
    assert response.status_code == 302
    assert _points() == sorted([county.town.pk, v[1].pk])
    # Choosing again replaces the choice.
    assert office.post("/burden/points/", {"units": [v[2].pk]}).status_code == 302
    assert _points() == [v[2].pk]
    page = office.get("/burden/points/").content.decode()
    assert 'id="points-count">1<' in page
    # An office, the far county's town or an unknown id: 422, nothing changes.
    for bad in ([county.office.pk], [county.far_town.pk], [999999], ["abc"]):
        response = office.post("/burden/points/", {"units": [v[0].pk, *bad]})
        assert response.status_code == 422, bad
        assert _points() == [v[2].pk]
    # Nobody else sets them.
    assert county.client("far_jianfu").post("/burden/points/", {"units": []}).status_code in (
        302,
        404,
    )
    assert _points() == [v[2].pk]
    assert (
        county.client("town1").post("/burden/points/", {"units": [county.town.pk]}).status_code
        == 404
    )
    assert _points() == [v[2].pk]


def test_a_campaign_officer_of_two_counties_acts_in_the_one_chosen(county: County) -> None:
    """The county is the one resolver's (``current_district_id``): ``?district=`` chosen and
    remembered, the lowest id never picked behind the person's back; a county the person
    has no campaign office in is not found and the list is unchanged."""
    from qingfu.core.roles import Role
    from qingfu.schools.models import RoleGrant

    world = county.world
    far_office = Unit.objects.get(code="WJFB")
    both = county.users["jianfu"]
    RoleGrant.objects.create(user=both, role=Role.CAMPAIGN_OFFICER, unit=far_office)
    office = county.client("jianfu")
    far = max(world.d1.pk, world.d2.pk)
    assert office.get(f"/burden/lists/?district={far}").status_code == 200
    response = office.post("/burden/lists/", {"action": "add", "kind": "task", "name": "远方事项"})
    assert response.status_code == 302
    assert ListEntry.objects.get(name="远方事项").district_id == far
    points = office.get("/burden/points/").content.decode()  # remembered
    assert "远方镇" in points and "青禾镇" not in points
    before = _lists()
    outsider = county.client("far_jianfu")
    assert outsider.get(f"/burden/lists/?district={world.d1.pk}").status_code == 404
    assert (
        outsider.post(
            f"/burden/lists/?district={world.d1.pk}",
            {"action": "add", "kind": "task", "name": "越权事项"},
        ).status_code
        == 404
    )
    assert _lists() == before
