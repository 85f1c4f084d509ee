"""The class-day estimate on simulated truth: 5 of 45 students sampled a day."""

from __future__ import annotations

from statistics import fmean

from qingfu.homework.simulation import simulate


def test_estimate_meets_the_accuracy_bar_on_simulated_truth() -> None:
    results = [simulate(seed=seed, days=120) for seed in range(6)]
    coverage = fmean(r.coverage for r in results)
    assert 0.86 <= coverage <= 0.94, coverage  # "close to 90%"
    assert fmean(r.day_within_10 for r in results) >= 0.9
    assert fmean(r.week_within_5 for r in results) >= 0.9
    assert all(r.mean_width < 22 for r in results)
