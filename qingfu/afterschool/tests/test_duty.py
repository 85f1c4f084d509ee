"""The duty-roster solver: hand-built weeks with known answers, every infeasibility, a generated
week checked constraint by constraint without trusting the solver's own figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from bench.duty_week import generate_week
from qingfu.afterschool import duty
from qingfu.afterschool.duty import (
    DutyInfeasible,
    DutyRoster,
    DutyRules,
    DutySession,
    DutyTeacher,
    solve_duty,
)
from qingfu.core import text

FAST = DutyRules(time_limit_seconds=5.0)
EARLY = (dt.time(15, 40), dt.time(16, 40))
LATE = (dt.time(16, 50), dt.time(17, 50))
ALL_DAYS = frozenset(range(5))


def session(
    sid: str,
    day: int,
    times: tuple[dt.time, dt.time] = EARLY,
    kind: duty.SessionKind = "basic",
    needed: int = 1,
    fixed: tuple[str, ...] = (),
    eligible: tuple[str, ...] | None = None,
) -> DutySession:
    return DutySession(sid, day, times[0], times[1], kind, needed, fixed, eligible)


def reasons_of(sessions: Sequence[DutySession], teachers: Sequence[DutyTeacher]) -> list:
    with pytest.raises(DutyInfeasible) as caught:
        solve_duty(sessions, teachers, FAST)
    return caught.value.reasons


def violations(
    sessions: Sequence[DutySession],
    teachers: Sequence[DutyTeacher],
    rules: DutyRules,
    roster: DutyRoster,
) -> list[str]:
    """Every rule checked from the input and the assignments alone."""
    problems = []
    by_teacher = {t.id: t for t in teachers}
    duties: dict[str, list[DutySession]] = {t.id: [] for t in teachers}
    if set(roster.assignments) != {s.id for s in sessions}:
        problems.append("assignments do not name every session")
    for s in sessions:
        got = roster.assignments.get(s.id, ())
        if len(got) != s.needed or len(set(got)) != len(got):
            problems.append(f"{s.id}: {got} for {s.needed} seats")
        if not set(s.fixed_teacher_ids) <= set(got):
            problems.append(f"{s.id}: fixed teachers dropped")
        for tid in set(got) - set(s.fixed_teacher_ids):
            t = by_teacher[tid]
            if s.eligible_teacher_ids is not None and tid not in s.eligible_teacher_ids:
                problems.append(f"{s.id}: {tid} not eligible")
            if s.id in t.unavailable or s.weekday in t.unavailable:
                problems.append(f"{s.id}: {tid} unavailable")
        for tid in got:
            duties[tid].append(s)
    for t in teachers:
        mine = duties[t.id]
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if a.weekday == b.weekday and a.start < b.end and b.start < a.end:
                    problems.append(f"{t.id}: {a.id} overlaps {b.id}")
        minutes = sum(
            (s.end.hour * 60 + s.end.minute) - (s.start.hour * 60 + s.start.minute) for s in mine
        )
        cap = t.max_weekly_minutes or rules.max_weekly_minutes
        if minutes > cap:
            problems.append(f"{t.id}: {minutes} min over {cap}")
        if roster.minutes_by_teacher[t.id] != minutes:
            problems.append(f"{t.id}: reported {roster.minutes_by_teacher[t.id]} min, is {minutes}")
        late = {s.weekday for s in mine if s.end > rules.early_leave_after}
        flexible = tuple(d for d in range(5) if d not in t.first_period_days or d not in late)
        if len(flexible) < rules.min_flexible_days:
            problems.append(f"{t.id}: only {len(flexible)} flexible days")
        if roster.flexible_days_by_teacher[t.id] != flexible:
            problems.append(f"{t.id}: reported flexible days differ")
    return problems


# --- hand-built weeks with known answers -----------------------------------------------------

WANG = DutyTeacher("A", "王老师", first_period_days=ALL_DAYS, unavailable=frozenset({1}))
LI = DutyTeacher("B", "李老师", unavailable=frozenset({0}))
ZHANG = DutyTeacher("C", "张老师")
SMALL = [
    session("mon1", 0, EARLY),
    session("mon2", 0, LATE),
    session("tue1", 1, EARLY),
    session("tue2", 1, LATE),
    session("wed-club", 2, EARLY, "club", fixed=("C",)),
    session("wed2", 2, LATE),
]


def test_small_week_has_the_known_optimum() -> None:
    roster = solve_duty(SMALL, [ZHANG, LI, WANG], FAST)
    # Equal loads (spread 0), and each teacher's two duties on one day: 3 late days in all.
    assert roster.assignments == {
        "mon1": ("A",),
        "mon2": ("A",),
        "tue1": ("B",),
        "tue2": ("B",),
        "wed-club": ("C",),
        "wed2": ("C",),
    }
    assert roster.minutes_by_teacher == {"A": 120, "B": 120, "C": 120}
    assert roster.flexible_days_by_teacher == {"A": (1, 2, 3, 4), "B": ALL, "C": ALL}
    assert (roster.status, roster.objective, roster.bound, roster.gap) == ("optimal", 3, 3, 0)
    assert violations(SMALL, [ZHANG, LI, WANG], FAST, roster) == []


ALL = (0, 1, 2, 3, 4)


def test_duty_ending_before_early_leave_keeps_the_day_flexible() -> None:
    # 王老师 teaches first period daily; four duties ending 16:20 still let him leave early.
    ends_early = (dt.time(15, 30), dt.time(16, 20))
    sessions = [session(f"d{d}", d, ends_early, eligible=("A",)) for d in range(4)]
    teachers = [DutyTeacher("A", "王老师", first_period_days=ALL_DAYS), ZHANG]
    roster = solve_duty(sessions, teachers, FAST)
    assert roster.flexible_days_by_teacher["A"] == ALL
    assert roster.minutes_by_teacher == {"A": 200, "C": 0}


def test_fixed_teachers_are_kept_and_block_overlapping_duties() -> None:
    sessions = [
        session("club", 1, LATE, "club", needed=2, fixed=("C",)),
        session("late-care", 1, (dt.time(17, 0), dt.time(18, 0)), eligible=("A", "C")),
        session("mon", 0, EARLY),
    ]
    teachers = [DutyTeacher("A", "王老师"), DutyTeacher("B", "李老师"), ZHANG]
    roster = solve_duty(sessions, teachers, FAST)
    assert roster.assignments["club"][0] == "C"
    assert len(set(roster.assignments["club"])) == 2
    assert roster.assignments["late-care"] == ("A",)  # C is at the club then
    assert roster.minutes_by_teacher["C"] == 60  # the fixed club counts
    assert violations(sessions, teachers, FAST, roster) == []


def test_same_input_gives_the_same_roster() -> None:
    sessions, teachers = generate_week(30, seed=3)
    for rules in (FAST, DutyRules(time_limit_seconds=5.0, workers=2)):
        first = solve_duty(sessions, teachers, rules)
        again = solve_duty(list(reversed(sessions)), list(reversed(teachers)), rules)
        assert first.assignments == again.assignments
        assert first.objective == again.objective


# --- infeasibility ---------------------------------------------------------------------------


def test_too_few_eligible_teachers_names_the_session() -> None:
    sessions = [session("robots", 1, LATE, "club", needed=2, eligible=("A",))]
    reasons = reasons_of(sessions, [DutyTeacher("A", "王老师"), DutyTeacher("B", "李老师")])
    assert [(r.constraint, r.who) for r in reasons] == [("coverage", "robots")]
    assert (
        reasons[0].message == "周二 16:50-17:50 社团课：可安排的教师不足（需要 2 人，仅 1 人可排）"
    )


def test_reasons_are_written_in_the_active_language(monkeypatch) -> None:
    # What core's ready plugs in (Django's gettext) stands here for an English catalogue.
    english = {
        "周二": "Tue",
        "社团课": "club",
        "{session}：可安排的教师不足（需要 {needed} 人，仅 {available} 人可排）": (
            "{session}: not enough teachers (needs {needed}, only {available} can take it)"
        ),
    }
    monkeypatch.setattr(text, "_translate", lambda message: english.get(message, message))
    sessions = [session("robots", 1, LATE, "club", needed=2, eligible=("A",))]
    reasons = reasons_of(sessions, [DutyTeacher("A", "王老师"), DutyTeacher("B", "李老师")])
    assert reasons[0].message == (
        "Tue 16:50-17:50 club: not enough teachers (needs 2, only 1 can take it)"
    )


def test_fixed_duties_over_the_cap_name_the_teacher() -> None:
    slots = [(d, EARLY) for d in range(5)] + [(0, LATE), (1, LATE)]
    sessions = [session(f"s{i}", d, t, fixed=("A",)) for i, (d, t) in enumerate(slots)]
    reasons = reasons_of(sessions, [DutyTeacher("A", "王老师"), ZHANG])
    assert [(r.constraint, r.who) for r in reasons] == [("max_minutes", "A")]
    assert reasons[0].message == "王老师：固定及必排值班共 420 分钟，超过每周上限 360 分钟"


def test_first_period_every_day_and_sole_late_teacher_four_days() -> None:
    sessions = [session(f"late{d}", d, LATE, eligible=("A",)) for d in range(4)]
    teachers = [DutyTeacher("A", "王老师", first_period_days=ALL_DAYS), ZHANG]
    reasons = reasons_of(sessions, teachers)
    assert [(r.constraint, r.who) for r in reasons] == [("flexible_days", "A")]
    assert reasons[0].message == "王老师：每周至少 2 天弹性上下班无法满足（每周需值晚班 4 天）"


def test_conflict_between_teachers_is_found_through_assumptions() -> None:
    # Each check alone passes: every session has two candidates, nobody is forced anywhere
    # and the staff's total capacity (540 min) exceeds the demand (300 min). But 李老师 may
    # take only one duty, so 王老师 (first period daily) must stay late on four days.
    sessions = [session(f"late{d}", d, LATE, eligible=("A", "B")) for d in range(5)]
    teachers = [
        DutyTeacher("A", "王老师", first_period_days=ALL_DAYS),
        DutyTeacher("B", "李老师", max_weekly_minutes=60),
        DutyTeacher("C", "张老师", max_weekly_minutes=120),
    ]
    reasons = reasons_of(sessions, teachers)
    assert sorted((r.constraint, r.who) for r in reasons) == [
        ("flexible_days", "A"),
        ("max_minutes", "B"),
    ]
    messages = {r.who: r.message for r in reasons}
    assert messages["A"] == "王老师：每周至少 2 天弹性上下班与其他约束冲突，剩余晚班无人可排"
    assert messages["B"] == "李老师：每周 60 分钟的值班上限与其他约束冲突，剩余值班无人可排"


def test_caps_that_only_clash_together_name_both_teachers() -> None:
    ninety = (dt.time(15, 40), dt.time(17, 10))
    sessions = [session(f"s{d}", d, ninety, eligible=("A", "B")) for d in range(3)]
    sessions.append(session("c", 3, EARLY, eligible=("C",)))
    teachers = [
        DutyTeacher("A", "王老师", max_weekly_minutes=120),
        DutyTeacher("B", "李老师", max_weekly_minutes=120),
        ZHANG,
    ]
    reasons = reasons_of(sessions, teachers)
    assert sorted((r.constraint, r.who) for r in reasons) == [
        ("max_minutes", "A"),
        ("max_minutes", "B"),
    ]


def test_fixed_to_overlapping_sessions() -> None:
    sessions = [
        session("club", 0, EARLY, "club", fixed=("A",)),
        session("care", 0, (dt.time(16, 0), dt.time(17, 0)), fixed=("A",)),
    ]
    reasons = reasons_of(sessions, [DutyTeacher("A", "王老师")])
    assert [(r.constraint, r.who) for r in reasons] == [("overlap", "A")]
    assert "周一 15:40-16:40 社团课 与 周一 16:00-17:00 基础托管" in reasons[0].message


def test_sessions_competing_at_one_time_are_named() -> None:
    # Three pairwise overlapping sessions, two teachers: no teacher limit is to blame.
    times = [(15, 40), (16, 0), (16, 20)]
    sessions = [
        session(f"s{i}", 0, (dt.time(h, m), dt.time(h + 1, m)), eligible=("A", "B"))
        for i, (h, m) in enumerate(times)
    ]
    reasons = reasons_of(sessions, [DutyTeacher("A", "王老师"), DutyTeacher("B", "李老师")])
    assert sorted((r.constraint, r.who) for r in reasons) == [
        ("coverage", "s0"),
        ("coverage", "s1"),
        ("coverage", "s2"),
    ]


def test_demand_over_total_capacity() -> None:
    sessions = [session(f"s{d}", d) for d in range(3)]
    teachers = [
        DutyTeacher("A", "王老师", max_weekly_minutes=60),
        DutyTeacher("B", "李老师", max_weekly_minutes=60),
    ]
    reasons = reasons_of(sessions, teachers)
    assert [(r.constraint, r.who) for r in reasons] == [("max_minutes", "*")]
    assert "120 分钟" in reasons[0].message and "180 分钟" in reasons[0].message


def test_unknown_teacher_is_an_input_error() -> None:
    with pytest.raises(ValueError, match="unknown teachers"):
        solve_duty([session("s", 0, fixed=("X",))], [ZHANG], FAST)


# --- a generated week ------------------------------------------------------------------------


def test_generated_week_is_realistic_and_reproducible() -> None:
    sessions, teachers = generate_week(30, seed=1)
    assert (sessions, teachers) == generate_week(30, seed=1)
    assert sessions != generate_week(30, seed=2)[0]
    assert len(teachers) == 30
    assert len(sessions) == 5 * 2 * (6 + 3)  # per day and segment: 6 basic groups, 3 clubs
    clubs = [s for s in sessions if s.kind == "club"]
    assert 0.3 < sum(1 for s in clubs if s.fixed_teacher_ids) / len(clubs) < 0.7
    first = sum(len(t.first_period_days) for t in teachers) / (5 * len(teachers))
    assert 0.5 < first < 0.7


def test_generated_thirty_teacher_week_meets_every_rule() -> None:
    sessions, teachers = generate_week(30)
    roster = solve_duty(sessions, teachers, FAST)
    assert violations(sessions, teachers, FAST, roster) == []
    assert roster.status == "optimal"
    loads = roster.minutes_by_teacher.values()
    # 5,820 minutes over 30 teachers (194 each) cannot be split evenly in 60-minute duties.
    assert sum(loads) == 5820
    assert (min(loads), max(loads)) == (180, 240)
    assert min(len(days) for days in roster.flexible_days_by_teacher.values()) >= 2
