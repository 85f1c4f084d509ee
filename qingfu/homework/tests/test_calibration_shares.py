"""Class-day shares of the calibration totals (pure): owners, shares and their deltas."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from qingfu.homework.calibration import class_day_shares, share_deltas, subject_owners

MON, TUE = dt.date(2026, 11, 23), dt.date(2026, 11, 24)


def test_the_largest_home_item_owns_the_subject_and_the_first_wins_a_tie() -> None:
    owners = subject_owners(
        [
            (1, MON, 7, "math", 10, "written", 20),
            (1, MON, 7, "math", 11, "oral", 25),  # larger: owns Monday's math
            (1, TUE, 7, "math", 10, "written", 15),
            (1, TUE, 7, "math", 11, "reading", 15),  # a tie: the first published stays
        ]
    )
    assert owners == {(1, MON, 7): (11, "math", "oral"), (1, TUE, 7): (10, "math", "written")}


def test_shares_skip_entries_without_an_estimate_or_an_owner() -> None:
    owners = {(1, MON, 7): (11, "math", "oral")}
    entries = [(1, MON, 7, 25, 30), (1, MON, 7, 25, 40), (1, MON, 8, 20, 20), (1, MON, 7, 0, 9)]
    assert class_day_shares(owners, entries) == {(1, MON, 11, "math", "oral"): (50.0, 70.0, 2)}


shares = st.dictionaries(
    st.tuples(
        st.integers(1, 3),
        st.sampled_from([MON, TUE]),
        st.integers(10, 12),
        st.sampled_from(["math", "chinese"]),
        st.sampled_from(["written", "oral"]),
    ),
    st.tuples(st.integers(1, 90).map(float), st.integers(0, 120).map(float), st.integers(1, 45)),
    max_size=12,
)


@given(shares, shares)
def test_deltas_turn_the_old_totals_into_the_new(
    old: dict[tuple[int, dt.date, int, str, str], tuple[float, float, int]],
    new: dict[tuple[int, dt.date, int, str, str], tuple[float, float, int]],
) -> None:
    moved: dict[tuple[int, str, str], tuple[float, float, int]] = share_deltas({}, old)
    for key, delta in share_deltas(old, new).items():
        before = moved.get(key, (0.0, 0.0, 0))
        moved[key] = tuple(b + d for b, d in zip(before, delta, strict=True))  # type: ignore[assignment]
    moved = {k: v for k, v in moved.items() if any(v)}
    assert moved == share_deltas({}, new)
