"""The preference-round mechanisms on hand-made and generated profiles (no database)."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.afterschool.allocation import (
    AllocationInputError,
    Application,
    ClubSlot,
    allocate,
    generate_profile,
    lottery_order,
    missed_first_choice,
)

ALL = frozenset(range(1, 10))


def club(cid: str, cap: int, segment: str = "1", grades: frozenset[int] = ALL) -> ClubSlot:
    return ClubSlot(cid, cap, grades, segment)


def app(sid: str, *choices: str, segment: str = "1", grade: int = 4, priority: bool = False):
    return Application(sid, grade, segment, tuple(choices), priority)


def check_feasible(apps, clubs, seats) -> None:
    by_id = {c.id: c for c in clubs}
    taken = Counter(seats.values())
    for cid, n in taken.items():
        assert n <= by_id[cid].capacity, f"{cid} overbooked"
    listed = {(a.student_id, a.segment): a for a in apps}
    for (sid, segment), cid in seats.items():
        a = listed[(sid, segment)]
        assert cid in a.choices
        assert by_id[cid].segment == segment
        assert a.grade in by_id[cid].grades


def test_optimal_seats_everyone_where_the_lottery_order_strands_one() -> None:
    # A and B both want X; only A would also take Y. With A first in the lottery, serial
    # gives X to A and strands B; the optimiser gives X to B and Y to A.
    clubs = [club("X", 1), club("Y", 1)]
    apps = [app("A", "X", "Y"), app("B", "X")]
    seed = next(s for s in map(str, range(100)) if lottery_order(apps, s)["A"] == 1)
    serial = allocate(apps, clubs, seed=seed, mechanism="serial")
    assert serial.seats == {("A", "1"): "X"}
    assert serial.report.seated == 1 and serial.report.max_seatable == 2
    optimal = allocate(apps, clubs, seed=seed)
    assert optimal.seats == {("A", "1"): "Y", ("B", "1"): "X"}
    assert optimal.report.by_rank == (1, 1)
    assert optimal.report.empty_seats == 0


def test_after_seats_the_optimiser_maximises_first_choices_then_breaks_ties_by_lottery() -> None:
    clubs = [club("X", 1), club("Y", 1)]
    apps = [app("A", "X", "Y"), app("B", "X", "Y")]
    for seed in map(str, range(6)):
        order = lottery_order(apps, seed)
        first = min(order, key=order.__getitem__)
        result = allocate(apps, clubs, seed=seed)
        assert result.seats[(first, "1")] == "X", seed
        assert result.report.by_rank == (1, 1)


def test_priority_students_come_first_in_the_lottery() -> None:
    apps = [app(f"s{k}", "X", priority=k in (7, 3)) for k in range(10)]
    order = lottery_order(apps, "2026-秋")
    assert {sid for sid, pos in order.items() if pos <= 2} == {"s3", "s7"}
    result = allocate(apps, [club("X", 2)], seed="2026-秋", mechanism="serial")
    assert set(result.seats) == {("s3", "1"), ("s7", "1")}
    assert result.report.priority_first == 2


def test_the_lottery_is_a_published_hash_of_seed_and_student() -> None:
    import hashlib

    apps = [app(sid, "X") for sid in ("a", "b", "c")]
    order = lottery_order(apps, "seed-1")
    expected = sorted("abc", key=lambda s: hashlib.sha256(f"seed-1:{s}".encode()).hexdigest())
    assert [sid for sid, _ in sorted(order.items(), key=lambda kv: kv[1])] == expected


def test_a_student_gets_at_most_one_club_per_segment_and_may_hold_one_in_each() -> None:
    clubs = [club("X", 5, "1"), club("Y", 5, "2")]
    apps = [app("A", "X", segment="1"), app("A", "Y", segment="2")]
    for mechanism in ("optimal", "serial"):
        result = allocate(apps, clubs, seed="s", mechanism=mechanism)
        assert result.seats == {("A", "1"): "X", ("A", "2"): "Y"}


@pytest.mark.parametrize(
    ("apps", "reason"),
    [
        ([app("A", "Z")], "unknown"),
        ([app("A", "X", grade=8)], "ineligible"),
        ([app("A", "Y")], "other-segment"),
        ([app("A", "X", "X")], "duplicate"),
        ([app("A", "X"), app("A", "X")], "duplicate"),
        ([app("A")], "empty"),
    ],
)
def test_bad_preference_lists_are_refused_with_the_reason(apps, reason) -> None:
    clubs = [club("X", 1, "1", frozenset({3, 4})), club("Y", 1, "2")]
    with pytest.raises(AllocationInputError) as err:
        allocate(apps, clubs, seed="s")
    assert [p.reason for p in err.value.problems] == [reason]


def _brute_force_levels(apps, clubs) -> tuple[int, ...]:
    """Best (seated, 1st, 2nd, ...) over every allocation — tiny instances only."""
    depth = max(len(a.choices) for a in apps)
    cap = {c.id: c.capacity for c in clubs}
    best: tuple[int, ...] = ()
    for pick in itertools.product(*[[None, *a.choices] for a in apps]):
        used = Counter(p for p in pick if p is not None)
        if any(used[c] > cap[c] for c in used):
            continue
        ranks = Counter(a.choices.index(p) for a, p in zip(apps, pick, strict=True) if p)
        levels = (sum(ranks.values()), *(ranks[r] for r in range(depth)))
        best = max(best, levels)
    return best


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_optimal_is_lexicographically_best_on_small_random_profiles(seed: int) -> None:
    rng = random.Random(seed)
    clubs = [club(f"c{k}", rng.randint(1, 2)) for k in range(rng.randint(1, 3))]
    apps = [
        app(f"s{k}", *rng.sample([c.id for c in clubs], rng.randint(1, len(clubs))))
        for k in range(rng.randint(1, 6))
    ]
    result = allocate(apps, clubs, seed=str(seed))
    check_feasible(apps, clubs, result.seats)
    depth = max(len(a.choices) for a in apps)
    assert result.levels == _brute_force_levels(apps, clubs)
    assert result.report.by_rank == result.levels[1 : depth + 1]
    serial = allocate(apps, clubs, seed=str(seed), mechanism="serial")
    check_feasible(apps, clubs, serial.seats)
    assert result.report.seated >= serial.report.seated


def test_generated_district_profile_meets_the_targets_and_reruns_identically() -> None:
    apps, clubs = generate_profile(students=600, clubs=16, seed=3, priority_share=0.1)
    assert sum(c.capacity for c in clubs) < len(apps)
    optimal = allocate(apps, clubs, seed="2026-秋季")
    serial = allocate(apps, clubs, seed="2026-秋季", mechanism="serial")
    for result in (optimal, serial):
        check_feasible(apps, clubs, result.seats)
    # Seats within 2 points of the maximum, and at least as many first choices as the lottery.
    assert optimal.report.seated_share >= optimal.report.max_share - 0.02
    assert optimal.report.by_rank[0] >= serial.report.by_rank[0]
    # The same seed reproduces the same seats, whatever order the applications arrive in.
    shuffled = list(apps)
    random.Random(9).shuffle(shuffled)
    assert allocate(shuffled, clubs, seed="2026-秋季").seats == optimal.seats
    assert allocate(shuffled, clubs, seed="2026-秋季", mechanism="serial").seats == serial.seats


def test_missed_first_choice_feeds_next_semesters_priority() -> None:
    clubs = [club("X", 1)]
    apps = [app("A", "X"), app("B", "X")]
    first = allocate(apps, clubs, seed="autumn", mechanism="serial")
    missed = missed_first_choice(apps, first.seats)
    assert len(missed) == 1
    again = [app(a.student_id, "X", priority=a.student_id in missed) for a in apps]
    second = allocate(again, clubs, seed="spring", mechanism="serial")
    assert {sid for sid, _ in second.seats} == missed
