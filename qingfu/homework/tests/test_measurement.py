"""Sampling panels, the class-day estimate and calibration: pure, no database."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qingfu.homework.calibration import Observation, calibrate
from qingfu.homework.estimate import estimate_class_day
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
