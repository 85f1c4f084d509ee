"""Sampling panels, the class-day estimate and calibration: pure, no database."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.homework.calibration import Observation, calibrate
from qingfu.homework.estimate import (
    Pace,
    estimate_class_day,
    estimate_with_paces,
    pace_of,
    pooled_spread,
    t90,
)
from qingfu.homework.sampling import PanelTooLarge, panel_for_day, panel_order


@settings(max_examples=100, deadline=None)
@given(
    boys=st.integers(min_value=5, max_value=30),
    girls=st.integers(min_value=5, max_value=30),
    per_day=st.integers(min_value=1, max_value=8),
    gap=st.integers(min_value=1, max_value=6),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_panel_respects_the_gap_and_covers_everyone(
    boys: int, girls: int, per_day: int, gap: int, seed: int
) -> None:
    strata = {"M": list(range(boys)), "F": list(range(100, 100 + girls))}
    n = boys + girls
    order = panel_order(strata, seed=seed)
    assert sorted(order) == sorted(strata["M"] + strata["F"])
    if per_day * gap > n:
        with pytest.raises(PanelTooLarge):
            panel_for_day(order, day_index=0, per_day=per_day, min_gap=gap)
        return
    last_asked: dict[int, int] = {}
    days = 3 * n // per_day + 1
    for day in range(days):
        panel = panel_for_day(order, day_index=day, per_day=per_day, min_gap=gap)
        assert len(set(panel)) == per_day
        for sid in panel:
            if sid in last_asked:
                assert day - last_asked[sid] >= gap
            last_asked[sid] = day
    assert len(last_asked) == n  # everyone is asked within the cycle


def test_panel_is_balanced_across_strata() -> None:
    strata = {"M": list(range(22)), "F": list(range(100, 123))}
    order = panel_order(strata, seed=7)
    for day in range(15):
        panel = panel_for_day(order, day_index=day, per_day=6, min_gap=5)
        boys = sum(1 for s in panel if s < 100)
        assert 2 <= boys <= 4, (day, panel)


def test_estimate_interval_covers_the_truth_about_90_percent() -> None:
    rng = random.Random(3)
    class_minutes = [max(5.0, rng.gauss(70, 15)) for _ in range(45)]
    truth = sum(class_minutes) / len(class_minutes)
    covered = 0
    trials = 400
    for _ in range(trials):
        sample = rng.sample(class_minutes, 6)
        est = estimate_class_day(reported=sample, predicted=60, class_size=45)
        assert est is not None
        covered += est.low <= truth <= est.high
    assert 0.82 <= covered / trials <= 0.97


def test_estimate_exact_when_everyone_logs() -> None:
    est = estimate_class_day(reported=[50, 60, 70], predicted=55, class_size=3)
    assert est is not None and est.is_exact and est.low == est.high == pytest.approx(60)
    assert estimate_class_day(reported=[], predicted=55, class_size=30) is None


def test_calibration_shrinks_thin_data_toward_the_subject() -> None:
    obs = [Observation(1, "math", "written", 20, 31) for _ in range(20)]  # teacher 1: 1.55×
    obs += [Observation(2, "math", "written", 20, 20)]  # teacher 2: one exact observation
    teachers, subjects = calibrate(obs)
    assert teachers[(1, "math", "written")].ratio == pytest.approx(1.5, abs=0.06)
    assert 1.0 < subjects["math"].ratio < 1.55
    thin = teachers[(2, "math", "written")].ratio
    assert 1.0 < thin < subjects["math"].ratio + 0.01  # pulled toward the subject


def test_estimate_with_paces_census_is_the_observed_mean() -> None:
    reported = [(50.0, Pace(0.8)), (60.0, Pace(1.0)), (90.0, Pace(1.3))]
    est = estimate_with_paces(reported=reported, predicted=55, unreported=[])
    assert est is not None and est.is_exact
    assert est.minutes == est.low == est.high == pytest.approx(200 / 3)


def test_pooled_spread_is_relative_and_gathers_degrees_of_freedom() -> None:
    evening = [0.9, 1.0, 1.1, 1.2, 0.8]
    variance, df = pooled_spread([evening])
    assert df == 4
    harder = [2 * r for r in evening]  # a harder evening spreads the same in ratio
    assert pooled_spread([harder]) == pytest.approx((variance, 4))
    assert pooled_spread([evening, harder, [1.0]] * 5)[1] == 40  # one-report evenings add none
    assert t90(40) < 1.7


@settings(max_examples=60, deadline=None)
@given(
    minutes=st.lists(st.floats(10, 120), min_size=3, max_size=6),
    paces=st.lists(st.floats(0.5, 2.0), min_size=10, max_size=40),
    scale=st.floats(0.5, 2.0),
)
def test_a_common_error_in_all_paces_cancels(
    minutes: list[float], paces: list[float], scale: float
) -> None:
    rng = random.Random(len(paces))
    earlier = [[rng.lognormvariate(0, 0.2) for _ in range(5)] for _ in range(10)]
    mine = paces[: len(minutes)]
    rest = paces[len(minutes) :]

    def run(c: float) -> tuple[float, float, float]:
        est = estimate_with_paces(
            reported=[(m, Pace(p * c)) for m, p in zip(minutes, mine, strict=False)],
            predicted=50,
            unreported=[Pace(p * c) for p in rest],
            earlier=earlier,
        )
        assert est is not None and est.low <= est.minutes <= est.high
        return est.minutes, est.low, est.high

    assert run(scale) == pytest.approx(run(1.0))


def test_reporters_who_learned_their_paces_on_the_same_evenings_widen_the_interval() -> None:
    # Evenings differ in difficulty (τ² > 0); tonight's two reporters learned their paces
    # either on the same two evenings (the panel asks them together) or on different ones.
    earlier = [[r * d for r in (0.95, 1.05)] for d in (0.8, 1.25, 0.9, 1.15, 1.0, 0.85, 1.2)]
    others = [pace_of([(e, 50, 50)], class_pace=1.0) for e in range(4, 10)]
    together = [pace_of([(0, 50, 50), (1, 50, 50)]), pace_of([(0, 55, 50), (1, 45, 50)])]
    apart = [pace_of([(0, 50, 50), (1, 50, 50)]), pace_of([(2, 55, 50), (3, 45, 50)])]

    def width(paces: list[Pace]) -> float:
        est = estimate_with_paces(
            reported=[(50.0, paces[0]), (52.0, paces[1])],
            predicted=50,
            unreported=others,
            earlier=earlier,
        )
        assert est is not None
        return est.high - est.low

    assert width(together) > width(apart)
