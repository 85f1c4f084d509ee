"""Grassroots and teacher burden checks (qingfu.policy.burden, burden_fields), no database.

Every rule at its boundary, the meeting-free week on months starting on each weekday,
exceptions with and without a reason, both approvals of an unplanned inspection, merge
suggestions, year-on-year counting (with properties), the board's aggregations, and the
data request's field list parsed and matched.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.policy.burden import (
    APP_FEATURES,
    COUNTED_KINDS,
    DEMAND_KINDS,
    EVIDENCE,
    RULE_IDS,
    DayCount,
    Demand,
    DemandRow,
    HoursGroup,
    KindCount,
    a_year_earlier,
    allowed_count,
    burden_index,
    check_app,
    check_campus_activity,
    check_campus_whitelist,
    check_certificate,
    check_data_request,
    check_demand,
    check_document,
    check_inspection,
    check_meeting,
    check_meeting_free_week,
    check_secondment,
    check_task,
    check_year_on_year,
    day_counts,
    heaviest_issuers,
    in_meeting_free_week,
    issuer_loads,
    meeting_free_days,
    month_burden_index,
    monthly_counts,
    period_count,
    receiver_hour_groups,
    receiver_loads,
    repeated_fields,
)
from qingfu.policy.burden_fields import (
    CatalogueError,
    FieldListError,
    load_fact_catalogue,
    match_fields,
    normalize_field,
    parse_fact_catalogue,
    parse_field_list,
)
from qingfu.policy.profile import Override, PolicyOverrideError, apply_overrides
from qingfu.policy.rules import Profile
from qingfu.policy.tests.strategies import NATIONAL, stricter_profiles
from qingfu.policy.verdicts import Status, Verdict, more_severe, worst

GR2019 = "《关于解决形式主义突出问题为基层减负的通知》（中共中央办公厅，2019）"
TB2019 = (
    "《关于减轻中小学教师负担进一步营造教书育人良好环境的若干意见》"
    "（中共中央办公厅、国务院办公厅，2019）"
)
MONDAY = dt.date(2026, 10, 12)  # ISO week 42, outside the meeting-free week


def demand(kind: str = "meeting", **changes: object) -> Demand:
    values: dict[str, object] = {
        "kind": kind,
        "issuer_id": 1,
        "receiver_ids": frozenset({10, 11, 12, 13, 14}),
        "day": MONDAY,
        "id": 1,
    }
    values.update(changes)
    return Demand(**values)  # type: ignore[arg-type]


def one(verdicts: list[Verdict], rule_id: str) -> Verdict:
    [found] = [v for v in verdicts if v.rule_id == rule_id]
    return found


def district(**thresholds: object) -> Profile:
    return apply_overrides(NATIONAL, [Override("district", "test", thresholds)])


def test_every_rule_is_in_the_profile_with_its_source() -> None:
    for rule_id in RULE_IDS:
        rule = NATIONAL.rule(rule_id)
        assert rule.citation.startswith("《"), rule_id
    assert NATIONAL.rule("gr.meeting-free-week").source == "prov."
    assert NATIONAL.rule("gr.meetings.overlap").source == "inferred"
    assert NATIONAL.rule("gr.documents").citation == GR2019
    assert NATIONAL.rule("tb.secondment").citation == TB2019
    assert NATIONAL.rule("gr.documents.forwarding").citation.startswith(
        "《整治形式主义为基层减负若干规定》"
    )


def test_a_demand_refuses_what_it_cannot_be() -> None:
    with pytest.raises(ValueError, match="kind"):
        demand("visit")
    with pytest.raises(ValueError, match="receiver"):
        demand(receiver_ids=frozenset())
    with pytest.raises(ValueError, match="before"):
        demand(last_day=MONDAY - dt.timedelta(days=1))
    with pytest.raises(ValueError, match="staff-hours"):
        demand(staff_hours=-1)
    with pytest.raises(ValueError, match="unknown"):
        demand("app", app_features=frozenset({"karaoke"}))
    with pytest.raises(ValueError, match="audience"):
        demand(audience="villages")
    assert demand("app", receiver_ids=frozenset()).kind == "app"


# --- meeting-free week -------------------------------------------------------------------

# Months of 2026 whose 1st falls on each weekday, Monday first.
MONTHS_BY_FIRST_WEEKDAY = [
    (2026, 6),
    (2026, 9),
    (2026, 4),
    (2026, 1),
    (2026, 5),
    (2026, 8),
    (2026, 2),
]


@pytest.mark.parametrize(("year", "month"), MONTHS_BY_FIRST_WEEKDAY)
def test_meeting_free_week_is_days_one_to_seven_whatever_the_first_weekday(
    year: int, month: int
) -> None:
    first, last = meeting_free_days(NATIONAL, year=year, month=month)
    assert (first, last) == (dt.date(year, month, 1), dt.date(year, month, 7))
    days = [first + dt.timedelta(days=n) for n in range(7)]
    assert sorted(d.weekday() for d in days) == list(range(7))
    for day in (dt.date(year, month, 1), dt.date(year, month, 7)):
        verdict = check_meeting_free_week(NATIONAL, demand=demand(day=day))
        assert verdict.status is Status.VIOLATION
        assert verdict.measured == day.isoformat() and verdict.limit == 7
        assert "无会周" in verdict.message_zh and "须经分管领导批准" in verdict.message_zh
    eighth = check_meeting_free_week(NATIONAL, demand=demand(day=dt.date(year, month, 8)))
    assert eighth.status is Status.OK and "不在无会周内" in eighth.message_zh
    last_of_previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    assert not in_meeting_free_week(NATIONAL, last_of_previous)


def test_the_first_weekdays_of_a_month_starting_on_sunday_are_meeting_free() -> None:
    # 2026-02-01 is a Sunday: a Monday-Sunday week "containing the 1st" would leave no
    # working day meeting-free; days 1-7 hold Monday 02-02 to Friday 02-06.
    for day in range(2, 7):
        assert in_meeting_free_week(NATIONAL, dt.date(2026, 2, day))
    assert not in_meeting_free_week(NATIONAL, dt.date(2026, 2, 9))


def test_an_approved_exception_needs_a_reason() -> None:
    day = dt.date(2026, 10, 6)
    approved = check_meeting_free_week(
        NATIONAL,
        demand=demand(day=day, leader_approved=True, leader_reason="防汛紧急部署"),
    )
    assert approved.status is Status.OK
    assert "例外" in approved.message_zh and "防汛紧急部署" in approved.message_zh
    no_reason = check_meeting_free_week(
        NATIONAL, demand=demand(day=day, leader_approved=True, leader_reason="  ")
    )
    assert no_reason.status is Status.VIOLATION
    assert "未写明理由" in no_reason.message_zh and "no reason" in no_reason.message_en
    reason_only = check_meeting_free_week(
        NATIONAL, demand=demand(day=day, leader_reason="防汛紧急部署")
    )
    assert reason_only.status is Status.VIOLATION
    assert NATIONAL.rule("gr.meeting-free-week").exemptable


def test_a_district_may_lengthen_the_meeting_free_week_but_not_shorten_it() -> None:
    longer = district(**{"gr.meeting-free-week": 10})
    assert check_meeting_free_week(longer, demand=demand(day=dt.date(2026, 10, 10))).blocks
    assert not check_meeting_free_week(longer, demand=demand(day=dt.date(2026, 10, 11))).blocks
    with pytest.raises(PolicyOverrideError):
        district(**{"gr.meeting-free-week": 5})
    whole = district(**{"gr.meeting-free-week": 40})
    assert meeting_free_days(whole, year=2026, month=2)[1] == dt.date(2026, 2, 28)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)))
def test_meeting_free_days_are_the_first_seven_of_every_month(day: dt.date) -> None:
    assert in_meeting_free_week(NATIONAL, day) == (day.day <= 7)
    first, last = meeting_free_days(NATIONAL, year=day.year, month=day.month)
    assert in_meeting_free_week(NATIONAL, day) == (first <= day <= last)


# --- meetings merged ---------------------------------------------------------------------


def test_meetings_of_the_same_audience_in_one_iso_week_are_suggested_for_merging() -> None:
    level = "乡镇分管负责人"
    this = demand(attendee_level=level, title="安全生产会")
    same = demand(id=2, day=MONDAY + dt.timedelta(days=6), attendee_level=level, title="防汛会")
    next_week = demand(id=3, day=MONDAY + dt.timedelta(days=7), attendee_level=level)
    other_level = demand(id=4, attendee_level="主要负责人")
    verdicts = check_meeting(NATIONAL, demand=this, others=[this, same, next_week, other_level])
    merge = one(verdicts, "gr.meetings")
    assert merge.status is Status.WARN and (merge.measured, merge.limit) == (2, 1)
    assert "合并召开" in merge.message_zh and "“防汛会”" in merge.message_zh
    alone = check_meeting(NATIONAL, demand=this, others=[next_week, other_level])
    assert one(alone, "gr.meetings").status is Status.OK
    # Merge is a suggestion: the week's rule is the only refusal.
    assert worst(verdicts) is Status.WARN


def test_same_audience_means_receivers_overlapping_by_the_profile_share() -> None:
    this = demand(receiver_ids=frozenset(range(10)))
    eight_of_ten = demand(id=2, receiver_ids=frozenset(range(8)))  # 8/10 = 0.8
    seven_of_ten = demand(id=3, receiver_ids=frozenset(range(7)))  # 0.7
    assert (
        one(check_meeting(NATIONAL, demand=this, others=[eight_of_ten]), "gr.meetings").status
        is Status.WARN
    )
    assert one(check_meeting(NATIONAL, demand=this, others=[seven_of_ten]), "gr.meetings").is_ok
    looser_share = district(**{"gr.meetings.overlap": 0.7})
    assert not one(
        check_meeting(looser_share, demand=this, others=[seven_of_ten]), "gr.meetings"
    ).is_ok


# --- inspections -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed", "leader", "office", "status", "missing"),
    [
        (True, False, False, Status.OK, ""),
        (False, True, True, Status.OK, ""),
        (False, True, False, Status.VIOLATION, "减负办批准"),
        (False, False, True, Status.VIOLATION, "分管领导审核"),
        (False, False, False, Status.VIOLATION, "发文单位分管领导审核、减负办批准"),
    ],
)
def test_an_unplanned_inspection_needs_both_approvals(
    listed: bool, leader: bool, office: bool, status: Status, missing: str
) -> None:
    inspection = demand("inspection", listed=listed, leader_approved=leader, office_approved=office)
    verdict = one(check_inspection(NATIONAL, demand=inspection), "gr.inspection-plan")
    assert verdict.status is status
    assert missing in verdict.message_zh
    if status is Status.OK and not listed:
        assert "计划外" in verdict.message_zh


def test_an_unlisted_inspection_or_data_request_into_schools_is_refused_without_exception() -> None:
    for kind in ("inspection", "data_request"):
        unlisted = demand(kind, audience="schools", leader_approved=True, office_approved=True)
        verdict = one(check_demand(NATIONAL, demand=unlisted), "tb.inspection-list")
        assert verdict.status is Status.VIOLATION and verdict.citation == TB2019
        listed = demand(kind, audience="schools", listed=True)
        assert one(check_demand(NATIONAL, demand=listed), "tb.inspection-list").is_ok
    grassroots = check_data_request(NATIONAL, demand=demand("data_request"))
    assert [v.rule_id for v in grassroots] == ["gr.data-requests", "gr.no-ledgers"]


@pytest.mark.parametrize(
    ("audience", "rule_id"),
    [("grassroots", "gr.data-requests"), ("schools", "tb.no-traces.duplicate")],
)
def test_a_field_already_asked_of_the_same_receivers_is_flagged(
    audience: str, rule_id: str
) -> None:
    request = demand(
        "data_request",
        audience=audience,
        listed=True,
        receiver_ids=frozenset({10, 11}),
        fields=("学生人数（人）", "家长满意度", "班级数"),
    )
    earlier = demand(
        "data_request",
        id=2,
        title="秋季开学统计",
        receiver_ids=frozenset({11, 30}),
        fields=("学生人数", "班级数", "教师数"),
    )
    elsewhere = demand("data_request", id=3, receiver_ids=frozenset({30}), fields=("家长满意度",))
    verdict = one(
        check_data_request(NATIONAL, demand=request, others=[request, earlier, elsewhere]),
        rule_id,
    )
    assert verdict.status is Status.WARN and (verdict.measured, verdict.limit) == (2, 0)
    assert "“秋季开学统计”" in verdict.message_zh
    assert list(repeated_fields(request, [earlier, elsewhere])) == ["学生人数（人）", "班级数"]
    fresh = check_data_request(NATIONAL, demand=request, others=[elsewhere])
    assert one(fresh, rule_id).is_ok


def test_inspections_on_the_same_unit_in_one_month_are_suggested_for_merging() -> None:
    this = demand("inspection", listed=True, receiver_ids=frozenset({10, 11}))
    same_unit = demand("inspection", id=2, day=dt.date(2026, 10, 30), receiver_ids=frozenset({11}))
    other_unit = demand("inspection", id=3, receiver_ids=frozenset({20}))
    next_month = demand("inspection", id=4, day=dt.date(2026, 11, 2), receiver_ids=frozenset({10}))
    merge = one(
        check_inspection(NATIONAL, demand=this, others=[same_unit, other_unit, next_month]),
        "gr.inspection-plan.merge",
    )
    assert merge.status is Status.WARN and (merge.measured, merge.limit) == (2, 1)
    alone = check_inspection(NATIONAL, demand=this, others=[other_unit, next_month, this])
    assert one(alone, "gr.inspection-plan.merge").is_ok
    three = demand("inspection", id=5, day=dt.date(2026, 10, 1), receiver_ids=frozenset({11}))
    assert (
        one(
            check_inspection(NATIONAL, demand=this, others=[same_unit, three]),
            "gr.inspection-plan.merge",
        ).measured
        == 3
    )


@pytest.mark.parametrize(
    ("audience", "rule_id"), [("grassroots", "gr.no-ledgers"), ("schools", "tb.no-traces")]
)
def test_a_demand_for_paper_evidence_is_flagged(audience: str, rule_id: str) -> None:
    asks = demand(
        "inspection",
        audience=audience,
        listed=True,
        evidence_asked=frozenset({"ledgers", "plaques"}),
    )
    verdict = one(check_inspection(NATIONAL, demand=asks), rule_id)
    assert verdict.status is Status.WARN and verdict.measured == 2
    assert "台账、挂牌" in verdict.message_zh and "ledgers, plaques" in verdict.message_en
    assert asks.asks_paper_evidence
    clean = demand("inspection", audience=audience, listed=True)
    assert one(check_inspection(NATIONAL, demand=clean), rule_id).is_ok


# --- documents, tasks, certificates, apps ------------------------------------------------


def test_a_document_that_only_forwards_a_higher_one_is_flagged() -> None:
    flagged = one(
        check_document(NATIONAL, demand=demand("document", forwards_higher_document=True)),
        "gr.documents.forwarding",
    )
    assert flagged.status is Status.WARN and "以文件落实文件" in flagged.message_zh
    plain = one(check_document(NATIONAL, demand=demand("document")), "gr.documents.forwarding")
    assert plain.is_ok


@pytest.mark.parametrize(
    ("listed", "office", "funding", "access", "funded"),
    [
        (True, False, None, Status.OK, None),
        (False, True, Decimal("50000"), Status.OK, Status.OK),
        (False, True, None, Status.OK, Status.VIOLATION),
        (False, True, Decimal("0"), Status.OK, Status.VIOLATION),
        (False, False, Decimal("50000"), Status.VIOLATION, Status.OK),
    ],
)
def test_a_task_comes_from_the_access_list_or_with_approval_and_funding(
    listed: bool, office: bool, funding: Decimal | None, access: Status, funded: Status | None
) -> None:
    task = demand("task", listed=listed, office_approved=office, funding_amount=funding)
    verdicts = check_task(NATIONAL, demand=task)
    assert one(verdicts, "gr.access-list").status is access
    if funded is None:
        assert not [v for v in verdicts if v.rule_id == "gr.funding"]
    else:
        assert one(verdicts, "gr.funding").status is funded
    with pytest.raises(ValueError, match="negative"):
        demand("task", funding_amount=Decimal("-1"))


def test_only_listed_certificates_are_issued() -> None:
    refused = check_certificate(NATIONAL, demand=demand("certificate", title="无犯罪记录证明"))
    assert refused[0].status is Status.VIOLATION and "无犯罪记录证明" in refused[0].message_zh
    assert check_certificate(NATIONAL, demand=demand("certificate", listed=True))[0].is_ok


@pytest.mark.parametrize(
    ("audience", "rule_id"), [("grassroots", "gr.apps-groups"), ("schools", "tb.apps")]
)
def test_apps_and_groups_are_flagged_for_every_forced_feature(audience: str, rule_id: str) -> None:
    for feature in APP_FEATURES:
        app = demand(
            "app",
            audience=audience,
            app_features=frozenset({feature}),
            owner="张三",
            purpose="防汛",
        )
        verdicts = check_app(NATIONAL, demand=app)
        assert one(verdicts, rule_id).status is Status.VIOLATION, feature
        assert APP_FEATURES[feature][0] in one(verdicts, rule_id).message_zh
        assert one(verdicts, "gr.apps-groups.registry").is_ok
    clean = check_app(NATIONAL, demand=demand("app", audience=audience))
    assert one(clean, rule_id).is_ok
    registry = one(clean, "gr.apps-groups.registry")
    assert registry.status is Status.VIOLATION and "负责人、用途" in registry.message_zh


# --- schools: campus activities and secondments -----------------------------------------


def test_campus_activities_come_from_the_whitelist_within_the_semester_limit() -> None:
    activity = demand(
        "campus_activity", audience="schools", listed=True, receiver_ids=frozenset({1, 2})
    )
    sixth = check_campus_activity(NATIONAL, demand=activity, held_this_semester={1: 5, 2: 3})
    assert worst(sixth) is Status.OK
    assert one(sixth, "tb.campus-whitelist").measured == 6
    seventh = check_campus_activity(NATIONAL, demand=activity, held_this_semester={1: 6})
    over = one(seventh, "tb.campus-whitelist")
    assert over.status is Status.VIOLATION and (over.measured, over.limit) == (7, 6)
    assert "学校 1" in over.message_zh and "学校 2" not in over.message_zh
    unlisted = demand("campus_activity", audience="schools", title="某推销讲座")
    verdict = one(
        check_campus_activity(NATIONAL, demand=unlisted, held_this_semester={}),
        "tb.campus-whitelist.list",
    )
    assert verdict.status is Status.VIOLATION and "某推销讲座" in verdict.message_zh
    stricter = district(**{"tb.campus-whitelist": {"activities-per-semester": 4}})
    assert (
        worst(check_campus_activity(stricter, demand=activity, held_this_semester={2: 4}))
        is Status.VIOLATION
    )


def test_the_whitelist_holds_at_most_ten_items() -> None:
    assert check_campus_whitelist(NATIONAL, items=10).is_ok
    assert check_campus_whitelist(NATIONAL, items=11).blocks


@pytest.mark.parametrize(
    ("first", "last", "months", "status"),
    [
        ("2026-09-01", "2027-02-28", 6, Status.OK),
        ("2026-09-15", "2027-03-14", 6, Status.OK),
        ("2026-09-15", "2027-03-15", 7, Status.VIOLATION),
        ("2026-09-01", "2027-03-01", 7, Status.VIOLATION),
    ],
)
def test_a_secondment_lasts_at_most_six_months(
    first: str, last: str, months: int, status: Status
) -> None:
    secondment = demand(
        "secondment",
        audience="schools",
        day=dt.date.fromisoformat(first),
        last_day=dt.date.fromisoformat(last),
    )
    [verdict] = check_secondment(NATIONAL, demand=secondment)
    assert (verdict.measured, verdict.status) == (months, status)
    with pytest.raises(ValueError, match="last day"):
        check_secondment(NATIONAL, demand=demand("secondment"))


def test_check_demand_answers_for_every_kind() -> None:
    for kind in DEMAND_KINDS:
        extra: dict[str, object] = {"last_day": MONDAY + dt.timedelta(days=30)}
        verdicts = check_demand(NATIONAL, demand=demand(kind, **extra))
        assert verdicts, kind
        assert {v.rule_id for v in verdicts} <= set(RULE_IDS), kind


# --- year on year ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_year", "target", "allowed"),
    [
        (10, -30, 7),
        (9, -30, 6),
        (1, -30, 0),
        (0, -30, 0),
        (10, 0, 10),
        (3, -33.3, 2),
        (100, -50, 50),
    ],
)
def test_allowed_count_is_exact(last_year: int, target: float, allowed: int) -> None:
    assert allowed_count(last_year, target) == allowed


def test_year_on_year_verdict_at_the_target() -> None:
    at = check_year_on_year(NATIONAL, kind="document", count=7, last_year=10, period=("9月", "Sep"))
    assert at.is_ok and "同比 -30%" in at.message_zh and at.unit == "count"
    over = check_year_on_year(
        NATIONAL, kind="document", count=8, last_year=10, period=("9月", "Sep")
    )
    assert over.status is Status.WARN and (over.measured, over.limit) == (8, 7)
    assert over.message_zh == "9月发文 8 件，超过同比压减目标允许的 7 件"
    none_before = check_year_on_year(NATIONAL, kind="inspection", count=0, last_year=0)
    assert none_before.is_ok and "去年同期为 0" in none_before.message_zh
    assert not check_year_on_year(NATIONAL, kind="inspection", count=3, last_year=3).blocks
    with pytest.raises(ValueError, match="no year-on-year target"):
        check_year_on_year(NATIONAL, kind="task", count=1, last_year=1)


@settings(max_examples=300, deadline=None)
@given(
    count=st.integers(0, 500),
    last_year=st.integers(0, 500),
    kind=st.sampled_from(COUNTED_KINDS),
    profile=stricter_profiles(),
)
def test_year_on_year_breach_is_exactly_the_target(
    count: int, last_year: int, kind: str, profile: Profile
) -> None:
    verdict = check_year_on_year(profile, kind=kind, count=count, last_year=last_year)
    national = check_year_on_year(NATIONAL, kind=kind, count=count, last_year=last_year)
    rule_id = {"document": "gr.documents", "meeting": "gr.meetings.target"}.get(
        kind, "gr.inspection-plan.target"
    )
    target = Fraction(str(profile.rule(rule_id).number()))
    assert (verdict.status is Status.WARN) == (count * 100 > last_year * (100 + target))
    assert allowed_count(last_year, float(target)) <= allowed_count(last_year + 1, float(target))
    assert not more_severe(national.status, verdict.status)


rows_strategy = st.lists(
    st.builds(
        DemandRow,
        kind=st.sampled_from(["document", "meeting", "inspection", "task"]),
        issuer_id=st.integers(1, 5),
        receiver_ids=st.lists(st.integers(1, 8), min_size=1, max_size=4, unique=True).map(
            lambda r: tuple(sorted(r))
        ),
        day=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
        staff_hours=st.sampled_from([0.0, 0.5, 1.0, 2.5, 4.0]),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy)
def test_the_months_add_up_to_the_year(rows: list[DemandRow]) -> None:
    counts = monthly_counts(NATIONAL, rows, through=dt.date(2026, 12, 31))
    assert len(counts) == 13 * len(COUNTED_KINDS)
    for kind in COUNTED_KINDS:
        mine = [c for c in counts if c.kind == kind]
        *months, year = mine
        assert sum(m.count for m in months) == year.count
        assert sum(m.last_year for m in months) == year.last_year
        assert year.count == sum(1 for r in rows if r.kind == kind and r.day.year == 2026)
        assert year.last_year == sum(1 for r in rows if r.kind == kind and r.day.year == 2025)
    assert monthly_counts(NATIONAL, list(reversed(rows)), through=dt.date(2026, 12, 31)) == counts


def test_a_running_month_is_compared_with_the_same_days_last_year() -> None:
    rows = [
        DemandRow("meeting", 1, (10,), dt.date(2025, 10, 3)),
        DemandRow("meeting", 1, (10,), dt.date(2025, 10, 20)),  # after the same day last year
        DemandRow("meeting", 1, (10,), dt.date(2026, 10, 2)),
    ]
    counts = monthly_counts(NATIONAL, rows, through=dt.date(2026, 10, 15))
    october = next(c for c in counts if c.kind == "meeting" and c.first == dt.date(2026, 10, 1))
    assert (october.last, october.count, october.last_year) == (dt.date(2026, 10, 15), 1, 1)
    assert october.change_percent == 0.0 and october.allowed == 0
    assert october.verdict.status is Status.WARN
    to_date = [c for c in counts if c.kind == "meeting"][-1]
    assert (to_date.first, to_date.last) == (dt.date(2026, 1, 1), dt.date(2026, 10, 15))
    assert a_year_earlier(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    leap = period_count(
        NATIONAL, rows, kind="meeting", first=dt.date(2028, 2, 1), last=dt.date(2028, 2, 29)
    )
    assert leap.last_year == 0 and leap.change_percent is None


# --- burden index and issuers ------------------------------------------------------------


def test_burden_index_sums_each_receivers_hours_in_the_month() -> None:
    rows = [
        DemandRow("meeting", 1, (10, 11), dt.date(2026, 10, 12), 2.0),
        DemandRow("inspection", 2, (11,), dt.date(2026, 10, 20), 8.0),
        DemandRow("data_request", 2, (12,), dt.date(2026, 10, 31), 1.5),
        DemandRow("document", 1, (10,), dt.date(2026, 11, 1), 5.0),
    ]
    index = month_burden_index(rows, year=2026, month=10)
    assert [(r.receiver_id, r.hours, r.demands) for r in index] == [
        (11, 10.0, 2),
        (10, 2.0, 1),
        (12, 1.5, 1),
    ]
    issuers = heaviest_issuers(rows, first=dt.date(2026, 10, 1), last=dt.date(2026, 10, 31))
    assert [(i.issuer_id, i.demands, i.receivers, i.hours) for i in issuers] == [
        (2, 2, 2, 9.5),
        (1, 1, 2, 4.0),
    ]
    assert dict(issuers[0].by_kind) == {"data_request": 1, "inspection": 1}
    assert (
        len(heaviest_issuers(rows, first=dt.date(2026, 1, 1), last=dt.date(2026, 12, 31), top=1))
        == 1
    )
    assert demand(staff_hours=2.0).row.receiver_ids == (10, 11, 12, 13, 14)


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy)
def test_hours_placed_equal_hours_received(rows: list[DemandRow]) -> None:
    first, last = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    received = sum(r.hours for r in burden_index(rows, first=first, last=last))
    placed = sum(i.hours for i in heaviest_issuers(rows, first=first, last=last))
    assert received == pytest.approx(placed)
    index = burden_index(rows, first=first, last=last)
    assert index == burden_index(list(reversed(rows)), first=first, last=last)
    assert [r.hours for r in index] == sorted((r.hours for r in index), reverse=True)


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy, data=st.data())
def test_the_databases_aggregates_give_the_rows_figures(
    rows: list[DemandRow], data: st.DataObject
) -> None:
    """The board feeds the pure functions GROUP BY rows, in whatever order the database
    returns them: the counts, the burden index and the heaviest issuers are the rows'."""
    through = dt.date(2026, 12, 31)
    days = data.draw(st.permutations(day_counts(rows)))
    assert monthly_counts(NATIONAL, days, through=through) == monthly_counts(
        NATIONAL, rows, through=through
    )
    first, last = dt.date(2026, 3, 1), dt.date(2026, 9, 30)
    groups = data.draw(st.permutations(receiver_hour_groups(rows, first=first, last=last)))
    assert receiver_loads(groups) == burden_index(rows, first=first, last=last)
    sent = [r for r in rows if first <= r.day <= last]
    kinds = [
        KindCount(i, k, sum(1 for r in sent if (r.issuer_id, r.kind) == (i, k)))
        for i, k in sorted({(r.issuer_id, r.kind) for r in sent})
    ]
    hours = [
        HoursGroup(
            i, h, sum(len(r.receiver_ids) for r in sent if (r.issuer_id, r.staff_hours) == (i, h))
        )
        for i, h in sorted({(r.issuer_id, r.staff_hours) for r in sent})
    ]
    reached = {
        i: len({x for r in sent if r.issuer_id == i for x in r.receiver_ids}) for i, _k, _n in kinds
    }
    loads = issuer_loads(
        kinds=data.draw(st.permutations(kinds)),
        hours=data.draw(st.permutations(hours)),
        receivers=reached,
    )
    assert loads == heaviest_issuers(rows, first=first, last=last)
    # Recounted by hand, not through the helpers: demands and hours per issuer.
    for load in loads:
        mine = [r for r in sent if r.issuer_id == load.issuer_id]
        assert load.demands == len(mine)
        assert load.hours == pytest.approx(sum(r.staff_hours * len(r.receiver_ids) for r in mine))


def test_aggregates_count_a_day_and_a_group_by_their_size() -> None:
    days = [
        DayCount("meeting", dt.date(2025, 10, 3), 4),
        DayCount("meeting", dt.date(2026, 10, 2), 3),
    ]
    october = period_count(
        NATIONAL, days, kind="meeting", first=dt.date(2026, 10, 1), last=dt.date(2026, 10, 31)
    )
    assert (october.count, october.last_year, october.allowed) == (3, 4, 2)
    loads = receiver_loads(
        [
            HoursGroup(7, 0.5, 3),
            HoursGroup(-2, 4.0, 1),
            HoursGroup(7, 2.0, 1),
            HoursGroup(9, 0.1, 0),
        ]
    )
    assert [(x.receiver_id, x.hours, x.demands) for x in loads] == [(-2, 4.0, 1), (7, 3.5, 4)]
    issuers = issuer_loads(
        kinds=[
            KindCount(1, "meeting", 2),
            KindCount(1, "document", 1),
            KindCount(2, "inspection", 1),
        ],
        hours=[HoursGroup(1, 1.0, 30), HoursGroup(2, 8.0, 5)],
        receivers={1: 12, 2: 5},
        top=1,
    )
    assert [(i.issuer_id, i.demands, i.receivers, i.hours) for i in issuers] == [(2, 1, 5, 40.0)]
    with pytest.raises(ValueError):
        receiver_loads([HoursGroup(1, 1.0, -1)])


def test_evidence_keys_are_named_in_both_languages() -> None:
    assert all(len(names) == 2 and all(names) for names in EVIDENCE.values())


# --- data requests: field lists ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("学生人数、教师人数、课后服务参与率", ("学生人数", "教师人数", "课后服务参与率")),
        ("学生人数\n教师人数\r\n\n班级数\n", ("学生人数", "教师人数", "班级数")),
        (
            "学生人数，教师人数,班级数;作业公示；问卷回收率",
            ("学生人数", "教师人数", "班级数", "作业公示", "问卷回收率"),
        ),
        (
            "1. 学生人数\n2. 教师人数\n（3）班级数\n① 作业公示",
            ("学生人数", "教师人数", "班级数", "作业公示"),
        ),
        ("1、学生人数 2、教师人数", ("学生人数", "教师人数")),
        ("一、学生人数\n二、教师人数", ("学生人数", "教师人数")),
        ("学生数（含男、女）、班级数。", ("学生数（含男、女）", "班级数")),
        ("学生人数、学生人数、班级数", ("学生人数", "班级数")),
    ],
)
def test_field_lists_people_type_are_parsed(text: str, fields: tuple[str, ...]) -> None:
    assert parse_field_list(text) == fields


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet="学生教师人数班级参与率课后服务作业公示", min_size=1, max_size=12),
        min_size=1,
        max_size=20,
    ),
    separator=st.sampled_from(["\n", "、", "，", ",", ";", "；", "\r\n", " 、 "]),
)
def test_any_list_of_names_joined_by_any_separator_parses_back(
    names: list[str], separator: str
) -> None:
    assert parse_field_list(separator.join(names)) == tuple(dict.fromkeys(names))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "字段清单为空"),
        (" 、，\n ；", "字段清单为空"),
        ("学生数（含男、女、班级数", "括号不成对"),
        ("学生数）、班级数", "括号不成对"),
        ("学生数、——、班级数", "第 2 项“——”不是字段名"),
        (
            "请填报本校在校学生人数教师人数班级数课后服务参与率出勤率本学期考试次数问卷回收率和作业公示情况",
            "可能缺少分隔符",
        ),
    ],
)
def test_unparseable_field_lists_get_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(FieldListError) as raised:
        parse_field_list(text)
    assert message in str(raised.value)
    assert all(p.message_en for p in raised.value.problems)


def test_every_problem_of_a_field_list_is_reported() -> None:
    with pytest.raises(FieldListError) as raised:
        parse_field_list("——、" + "字" * 41 + "、（")
    assert [p.position for p in raised.value.problems] == [None, 1, 2, 3]
    with pytest.raises(FieldListError, match="超过 3 项"):
        parse_field_list("甲、乙、丙、丁", max_fields=3)


def test_fields_match_facts_by_name_and_synonym() -> None:
    fields = parse_field_list(
        "在校生人数（人）\n专任教师数\n班级数\n课后服务参与率(%)\n课后服务出勤率\n"
        "本学期考试次数\n问卷回收率\n作业公示\n家长满意度\n学生数（含男、女）\n本校 学生数"
    )
    matches = match_fields(fields)
    assert matches.keys == (
        "students.count",
        "teachers.count",
        "classes.count",
        "afterschool.participation",
        "afterschool.attendance",
        "exams.count.semester",
        "surveys.response-rate",
        "homework.publicity",
        "students.count",
    )
    assert matches.unmatched == ("家长满意度", "学生数（含男、女）")
    assert (matches.asked, matches.answered) == (11, 9)
    assert matches.matched[0] == ("在校生人数（人）", load_fact_catalogue().fact("students.count"))
    community = match_fields(["学生数", "会议次数"], scopes=("unit",))
    assert community.keys == ("burden.meetings.count",) and community.unmatched == ("学生数",)
    with pytest.raises(ValueError, match="scopes"):
        match_fields(["学生数"], scopes=("village",))


def test_normalising_a_field_name() -> None:
    assert normalize_field("在校生人数 （单位：人）") == "在校生人数"
    assert normalize_field("ＡＢＣ 数") == "abc数"
    assert normalize_field("学校学生数", ("学校",)) == "学生数"
    assert normalize_field("学校", ("学校",)) == "学校"


def test_the_catalogue_is_data_and_a_name_belongs_to_one_fact() -> None:
    catalogue = load_fact_catalogue()
    assert catalogue is load_fact_catalogue()
    assert {"students.count", "classes.count", "teachers.count"} <= {f.key for f in catalogue.facts}
    clash = """
[[facts]]
key = "a"
name_zh = "学生数"
name_en = "a"
scope = "school"
[[facts]]
key = "b"
name_zh = "在校生数"
name_en = "b"
scope = "school"
synonyms = ["学生数（人）"]
"""
    with pytest.raises(CatalogueError, match="names both"):
        parse_fact_catalogue(clash)
    with pytest.raises(CatalogueError, match="scope"):
        parse_fact_catalogue('[[facts]]\nkey="a"\nname_zh="甲"\nname_en="a"\nscope="town"\n')
    with pytest.raises(CatalogueError, match="missing"):
        parse_fact_catalogue('[[facts]]\nkey="a"\n')


# --- any demand, any profile -------------------------------------------------------------

demands = st.builds(
    Demand,
    kind=st.sampled_from(DEMAND_KINDS),
    issuer_id=st.integers(1, 3),
    receiver_ids=st.frozensets(st.integers(1, 6), min_size=1, max_size=4),
    day=st.dates(dt.date(2026, 9, 1), dt.date(2026, 11, 30)),
    last_day=st.just(dt.date(2027, 6, 30)),
    id=st.integers(1, 50),
    title=st.sampled_from(["", "防汛会", "安全检查"]),
    audience=st.sampled_from(["grassroots", "schools"]),
    staff_hours=st.sampled_from([0.0, 1.0, 3.5]),
    attendee_level=st.sampled_from(["", "主要负责人"]),
    forwards_higher_document=st.booleans(),
    evidence_asked=st.frozensets(st.sampled_from(sorted(EVIDENCE))),
    listed=st.booleans(),
    leader_approved=st.booleans(),
    leader_reason=st.sampled_from(["", "紧急部署"]),
    office_approved=st.booleans(),
    funding_amount=st.sampled_from([None, Decimal("0"), Decimal("50000")]),
    fields=st.lists(st.sampled_from(["学生数", "班级数", "家长满意度"]), unique=True).map(tuple),
    app_features=st.frozensets(st.sampled_from(sorted(APP_FEATURES))),
    owner=st.sampled_from(["", "张三"]),
    purpose=st.sampled_from(["", "通知"]),
)


@settings(max_examples=200, deadline=None)
@given(
    subject=demands,
    others=st.lists(demands, max_size=6),
    held=st.dictionaries(st.integers(1, 6), st.integers(0, 8)),
    profile=stricter_profiles(),
)
def test_a_stricter_profile_is_never_softer_on_any_demand(
    subject: Demand, others: list[Demand], held: dict[int, int], profile: Profile
) -> None:
    national = check_demand(NATIONAL, demand=subject, others=others, held_this_semester=held)
    strict = check_demand(profile, demand=subject, others=others, held_this_semester=held)
    assert [v.rule_id for v in national] == [v.rule_id for v in strict]
    for n, s in zip(national, strict, strict=True):
        assert not more_severe(n.status, s.status), (n, s)
        assert s.message_zh and s.message_en and s.citation.startswith("《")
    assert check_demand(profile, demand=subject, others=others, held_this_semester=held) == strict
