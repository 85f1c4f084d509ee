"""A teacher's non-teaching hours in a week (qingfu.policy.teacher_hours), no database:
a demand's hours shared among its handlers or, with none named, the school's teaching
staff; after-school duty added; the spread for reports without names."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from qingfu.policy.teacher_hours import (
    SchoolDemand,
    distribution,
    teacher_weeks,
    unassigned_hours,
)


def test_named_handlers_share_a_demand_and_the_staff_share_an_unnamed_one() -> None:
    weeks = teacher_weeks(
        demands=[
            SchoolDemand(1, 6.0, frozenset({10, 11})),  # two handlers: 3 h each
            SchoolDemand(2, 4.0),  # none named: the four teachers, 1 h each
        ],
        staff=[10, 11, 12, 13],
        duty_hours={12: 2.5},
    )
    by_id = {w.teacher_id: w for w in weeks}
    assert [w.teacher_id for w in weeks] == [10, 11, 12, 13]
    assert by_id[10].shares == {1: 3.0, 2: 1.0} and by_id[10].total == 4.0
    assert by_id[12].shares == {2: 1.0} and by_id[12].duty_hours == 2.5
    assert by_id[12].total == 3.5 and by_id[13].total == 1.0


def test_a_handler_outside_the_staff_list_and_duty_alone_are_counted() -> None:
    weeks = teacher_weeks(
        demands=[SchoolDemand(1, 2.0, frozenset({99}))], staff=[10], duty_hours={50: 1.0}
    )
    assert {w.teacher_id: w.total for w in weeks} == {10: 0.0, 50: 1.0, 99: 2.0}


def test_a_school_with_no_staff_leaves_unnamed_hours_unassigned() -> None:
    demands = [SchoolDemand(1, 3.0), SchoolDemand(2, 1.0, frozenset({7}))]
    assert [w.teacher_id for w in teacher_weeks(demands=demands, staff=[], duty_hours={})] == [7]
    assert unassigned_hours(demands=demands, staff=[]) == 3.0
    assert unassigned_hours(demands=demands, staff=[7]) == 0.0


demand_lists = st.lists(
    st.builds(
        SchoolDemand,
        demand_id=st.integers(1, 10_000),
        hours=st.floats(0, 100, allow_nan=False),
        handlers=st.frozensets(st.integers(1, 30), max_size=5),
    ),
    max_size=20,
    unique_by=lambda d: d.demand_id,
)


@given(
    demands=demand_lists,
    staff=st.frozensets(st.integers(1, 30), max_size=12),
    duty=st.dictionaries(st.integers(1, 40), st.floats(0, 20, allow_nan=False), max_size=8),
)
def test_every_hour_is_carried_once(
    demands: list[SchoolDemand], staff: frozenset[int], duty: dict[int, float]
) -> None:
    """What the teachers carry is the demands' hours (less the unassigned) plus the duty:
    sharing neither loses nor doubles an hour."""
    weeks = teacher_weeks(demands=demands, staff=staff, duty_hours=duty)
    carried = math.fsum(w.total for w in weeks)
    expected = (
        math.fsum(d.hours for d in demands)
        - unassigned_hours(demands=demands, staff=staff)
        + math.fsum(duty.values())
    )
    assert math.isclose(carried, expected, rel_tol=1e-9, abs_tol=1e-6)
    assert staff <= {w.teacher_id for w in weeks}


def test_the_distribution_names_no_one() -> None:
    weeks = teacher_weeks(
        demands=[SchoolDemand(1, 9.0, frozenset({1, 2, 3}))],
        staff=[1, 2, 3, 4],
        duty_hours={4: 10.0, 1: 2.0},
    )
    spread = distribution(weeks)  # totals 5, 3, 3, 10
    assert (spread.teachers, spread.mean, spread.median, spread.highest) == (4, 5.25, 4.0, 10.0)
    assert spread.bands == (("0–2", 0), ("2–4", 2), ("4–8", 1), ("≥8", 1))
    assert distribution([]).teachers == 0
