"""Duty roster for after-school services (课后服务值班排班) with flexible working hours (弹性上下班).

Pure: standard library and OR-Tools only; no Django, no clock. The caller loads sessions,
teachers and the policy figures (``afterschool.flexible-hours`` gives ``min_flexible_days``) and
stores the result.

The model (CP-SAT):

* ``x[t, s]`` is true when teacher ``t`` is put on session ``s``. Only candidate pairs get a
  variable: ``t`` is eligible for ``s``, not unavailable that session or weekday, not fixed
  to it (fixed teachers, e.g. a club's own instructor, are constants), not fixed elsewhere at
  an overlapping time, and ``s`` still has a seat. Sessions at the same time with the same
  candidates (the basic-care groups of a slot) are interchangeable, so they share one
  variable per teacher and are handed out in id order afterwards: this removes symmetry and
  shrinks a 120-teacher week from ~36,000 to ~3,600 variables.
* Coverage (hard): every session has exactly ``needed`` teachers, fixed ones included.
* No overlap (hard): per teacher, day and session start, at most one of the sessions running
  at that instant (for intervals these are all the maximal cliques).
* Weekly minutes (hard): fixed plus chosen minutes within the teacher's cap.
* Flexible days (hard): a weekday is flexible for ``t`` when ``t`` has no first-period class
  (may arrive at 9:00) or no duty ending after ``early_leave_after`` (may leave early). Only
  the second part depends on decisions: ``late[t, d]`` bounds every clique of late-ending
  sessions on ``d`` (implying ``late >= x``, tighter in the LP). Each teacher needs
  ``min_flexible_days`` flexible days over Monday to Friday.
* Objective: ``W * (max load - min load) + late days`` in minutes, where max and min range
  over teachers with at least one candidate session and ``W`` exceeds any possible number of
  late days, so fairness dominates and late days only break ties. Two redundant facts make
  the bound provable quickly: max and min load are whole multiples of the durations' gcd on
  either side of the (constant) average, and late days have room for at most
  ``most_per_day * late_days`` late minutes, which CP-SAT rounds up by propagation.
* A greedy roster (least loaded first, pairing a teacher's duties on one day) is the hint.

Determinism: the model is built in id order with a fixed seed. Measured on
``bench.duty_week.generate_week(120)`` (2-core machine): one worker proves the optimum in ~2 s and gives the
same roster every run; 8 parallel workers take 1.5-2.6 s but return a different optimal
roster each run; 8 interleaved workers (``interleave_search``) are reproducible but take ~8 s.
So ``workers`` defaults to 1, and more workers run interleaved. Only a wall-clock stop at the
time limit (status "feasible") can make a roster differ between runs.

Infeasibility never yields a partial roster: :class:`DutyInfeasible` carries the reasons.
Cheap necessary checks run first: a session (or a set of interchangeable ones) with too few
candidates; a teacher whose fixed or forced duties alone overlap, exceed the cap or leave
too few flexible days; total demand over total capacity. Past those, each teacher's minutes
and flexible-day constraints get an assumption literal and CP-SAT's infeasible subset of
assumptions, shrunk by deletion, names the teachers; if no teacher constraint is to blame,
coverage goes under assumptions per session instead (sessions competing at one time).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from qingfu.core.text import _, gettext_noop

WEEKDAYS = range(5)
# Marked for the catalogue; translated where a label is made (see qingfu.core.text).
WEEKDAY_NAMES = (
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
)
KIND_NAMES = {"basic": gettext_noop("基础托管"), "club": gettext_noop("社团课")}

SessionKind = Literal["basic", "club"]
ReasonKind = Literal["coverage", "max_minutes", "flexible_days", "overlap"]
Diagnosis = Literal["teachers", "coverage"]  # which constraints go under assumptions
Status = Literal["optimal", "feasible"]


@dataclass(frozen=True)
class DutySession:
    id: str
    weekday: int  # 0 = Monday .. 4 = Friday
    start: dt.time
    end: dt.time
    kind: SessionKind = "basic"  # basic: 看护/作业辅导; club: 社团课
    needed: int = 1
    fixed_teacher_ids: tuple[str, ...] = ()  # already on it (a club's own instructor)
    eligible_teacher_ids: tuple[str, ...] | None = None  # None: any teacher
    title: str = ""  # shown in messages when given, e.g. "机器人社团"

    @property
    def minutes(self) -> int:
        return _minute(self.end) - _minute(self.start)

    @property
    def seats(self) -> int:
        """Teachers still to choose once the fixed ones are on."""
        return self.needed - len(set(self.fixed_teacher_ids))


@dataclass(frozen=True)
class DutyTeacher:
    id: str
    name: str
    first_period_days: frozenset[int] = frozenset()  # weekdays with a first-period class
    unavailable: frozenset[str | int] = frozenset()  # session ids or weekdays
    max_weekly_minutes: int | None = None  # None: the rules' default


@dataclass(frozen=True)
class DutyRules:
    max_weekly_minutes: int = 360
    min_flexible_days: int = 2  # policy rule "afterschool.flexible-hours"
    early_leave_after: dt.time = dt.time(16, 30)
    time_limit_seconds: float = 20.0
    workers: int = 1  # more run interleaved (deterministic) but were slower: see module doc


@dataclass(frozen=True)
class DutyRoster:
    assignments: dict[str, tuple[str, ...]]  # session id -> teacher ids, fixed ones included
    minutes_by_teacher: dict[str, int]
    flexible_days_by_teacher: dict[str, tuple[int, ...]]
    status: Status
    objective: float
    bound: float
    gap: float  # (objective - bound) / max(1, |objective|)
    wall_seconds: float  # CP-SAT's own wall time for the solve


@dataclass(frozen=True)
class DutyReason:
    constraint: ReasonKind
    who: str  # teacher id or session id; "*" for the whole staff
    message: str  # in the language active when the roster was solved


class DutyInfeasible(Exception):
    def __init__(self, reasons: list[DutyReason]) -> None:
        super().__init__("; ".join(r.message for r in reasons))
        self.reasons = reasons


class DutyUnsolved(RuntimeError):
    """The time limit ran out before any roster was found (nor infeasibility proven)."""


# --- input helpers ---------------------------------------------------------------------------


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _overlaps(a: DutySession, b: DutySession) -> bool:
    return a.weekday == b.weekday and a.start < b.end and b.start < a.end


def _label(s: DutySession) -> str:
    """ "周一 15:40-16:40 社团课" (or the session's own title) in the active language."""
    what = s.title or (_(KIND_NAMES[s.kind]) if s.kind in KIND_NAMES else s.kind)
    return f"{_(WEEKDAY_NAMES[s.weekday])} {s.start:%H:%M}-{s.end:%H:%M} {what}"


def _validate(sessions: Sequence[DutySession], teachers: Sequence[DutyTeacher]) -> None:
    ids = [s.id for s in sessions]
    tids = {t.id for t in teachers}
    if len(set(ids)) != len(ids) or len(tids) != len(teachers):
        raise ValueError("duplicate session or teacher id")
    for s in sessions:
        if s.weekday not in WEEKDAYS or s.minutes <= 0 or s.needed < 0:
            raise ValueError(f"session {s.id}: bad weekday, times or needed")
        named = set(s.fixed_teacher_ids) | set(s.eligible_teacher_ids or ())
        if not named <= tids:
            raise ValueError(f"session {s.id}: unknown teachers {sorted(named - tids)}")
        if len(set(s.fixed_teacher_ids)) > s.needed:
            raise ValueError(f"session {s.id}: more fixed teachers than needed")


@dataclass(frozen=True)
class _Group:
    """Sessions at the same time with the same candidates: one variable per teacher."""

    sessions: tuple[DutySession, ...]
    candidates: tuple[str, ...]

    @property
    def first(self) -> DutySession:
        return self.sessions[0]  # stands for the group in the model: same day and times

    @property
    def seats(self) -> int:
        return sum(s.seats for s in self.sessions)


@dataclass(frozen=True)
class _Week:
    """The input, sorted by id, with what every check and the model share."""

    sessions: tuple[DutySession, ...]
    teachers: tuple[DutyTeacher, ...]
    rules: DutyRules
    cap: dict[str, int]
    fixed: dict[str, tuple[DutySession, ...]]  # teacher id -> sessions fixed to them
    candidates: dict[str, tuple[str, ...]]  # session id -> teacher ids the solver may choose
    groups: tuple[_Group, ...]  # sessions with seats left, by first session id
    by_id: dict[str, DutySession]
    names: dict[str, str]

    def is_late(self, s: DutySession) -> bool:
        return s.end > self.rules.early_leave_after


def _is_candidate(t: DutyTeacher, s: DutySession, fixed: Sequence[DutySession], cap: int) -> bool:
    if s.eligible_teacher_ids is not None and t.id not in s.eligible_teacher_ids:
        return False
    if t.id in s.fixed_teacher_ids or s.id in t.unavailable or s.weekday in t.unavailable:
        return False
    if len(set(s.fixed_teacher_ids)) >= s.needed:
        return False  # already staffed by its fixed teachers
    # A session that alone breaks the cap or clashes with a fixed duty can never be chosen.
    if any(_overlaps(s, f) for f in fixed):
        return False
    return sum(f.minutes for f in fixed) + s.minutes <= cap


def _prepare(
    sessions: Sequence[DutySession], teachers: Sequence[DutyTeacher], rules: DutyRules
) -> _Week:
    _validate(sessions, teachers)
    ss = tuple(sorted(sessions, key=lambda s: s.id))
    ts = tuple(sorted(teachers, key=lambda t: t.id))
    cap = {
        t.id: rules.max_weekly_minutes if t.max_weekly_minutes is None else t.max_weekly_minutes
        for t in ts
    }
    fixed: dict[str, list[DutySession]] = defaultdict(list)
    for s in ss:
        for tid in sorted(set(s.fixed_teacher_ids)):
            fixed[tid].append(s)
    candidates = {
        s.id: tuple(t.id for t in ts if _is_candidate(t, s, fixed.get(t.id, ()), cap[t.id]))
        for s in ss
    }
    same: dict[tuple[int, dt.time, dt.time, tuple[str, ...]], list[DutySession]] = defaultdict(list)
    for s in ss:
        if candidates[s.id]:
            same[s.weekday, s.start, s.end, candidates[s.id]].append(s)
    groups = sorted((_Group(tuple(g), key[3]) for key, g in same.items()), key=lambda g: g.first.id)
    return _Week(
        groups=tuple(groups),
        sessions=ss,
        teachers=ts,
        rules=rules,
        cap=cap,
        fixed={t.id: tuple(fixed.get(t.id, ())) for t in ts},
        candidates=candidates,
        by_id={s.id: s for s in ss},
        names={t.id: t.name for t in ts},
    )


# --- cheap necessary checks ------------------------------------------------------------------


def _coverage_reason(s: DutySession, available: int) -> DutyReason:
    return DutyReason(
        "coverage",
        s.id,
        _("{session}：可安排的教师不足（需要 {needed} 人，仅 {available} 人可排）").format(
            session=_label(s), needed=s.needed, available=available
        ),
    )


def _group_reason(g: _Group) -> DutyReason:
    s, k, n = g.first, len(g.sessions), len(g.candidates)
    return DutyReason(
        "coverage",
        s.id,
        _(
            "{session} 等 {k} 个同时段服务：可安排的教师不足（共需 {seats} 人，仅 {n} 人可排）"
        ).format(session=_label(s), k=k, seats=g.seats, n=n),
    )


def _committed(week: _Week) -> dict[str, list[DutySession]]:
    """Fixed duties plus those forced because a group has exactly as many candidates as seats."""
    out = {t.id: list(week.fixed[t.id]) for t in week.teachers}
    for g in week.groups:
        if len(g.candidates) == g.seats:
            for tid in g.candidates:
                out[tid].append(g.first)
    return out


def _teacher_reasons(week: _Week, t: DutyTeacher, duties: list[DutySession]) -> list[DutyReason]:
    reasons = []
    name = t.name
    duties = sorted(duties, key=lambda s: (s.weekday, s.start, s.id))  # read in time order
    for i, a in enumerate(duties):
        for b in duties[i + 1 :]:
            if _overlaps(a, b):
                reasons.append(
                    DutyReason(
                        "overlap",
                        t.id,
                        _("{name}：{a} 与 {b} 时间重叠，无法同时值班").format(
                            name=name, a=_label(a), b=_label(b)
                        ),
                    )
                )
    minutes, cap = sum(s.minutes for s in duties), week.cap[t.id]
    if minutes > cap:
        reasons.append(
            DutyReason(
                "max_minutes",
                t.id,
                _("{name}：固定及必排值班共 {minutes} 分钟，超过每周上限 {cap} 分钟").format(
                    name=name, minutes=minutes, cap=cap
                ),
            )
        )
    late_days = {s.weekday for s in duties if week.is_late(s)}
    need = week.rules.min_flexible_days
    if _flexible_count(t, late_days) < need:
        reasons.append(
            DutyReason(
                "flexible_days",
                t.id,
                _("{name}：每周至少 {need} 天弹性上下班无法满足（每周需值晚班 {late} 天）").format(
                    name=name, need=need, late=len(late_days)
                ),
            )
        )
    return reasons


def _flexible_count(t: DutyTeacher, late_days: set[int]) -> int:
    return sum(1 for d in WEEKDAYS if d not in t.first_period_days or d not in late_days)


def _precheck(week: _Week) -> list[DutyReason]:
    reasons = []
    for s in week.sessions:
        available = len(set(s.fixed_teacher_ids)) + len(week.candidates[s.id])
        if available < s.needed:
            reasons.append(_coverage_reason(s, available))
    for g in week.groups:
        # Each session may be fine alone while those at the same time share too few teachers.
        alone_ok = all(len(week.candidates[s.id]) >= s.seats for s in g.sessions)
        if len(g.sessions) > 1 and alone_ok and len(g.candidates) < g.seats:
            reasons.append(_group_reason(g))
    committed = _committed(week)
    for t in week.teachers:
        reasons.extend(_teacher_reasons(week, t, committed[t.id]))
    demand = sum(s.needed * s.minutes for s in week.sessions)
    capacity = sum(week.cap.values())
    if demand > capacity:
        reasons.append(
            DutyReason(
                "max_minutes",
                "*",
                _("全体教师每周最多值班 {capacity} 分钟，少于课后服务所需的 {demand} 分钟").format(
                    capacity=capacity, demand=demand
                ),
            )
        )
    return reasons


# --- the CP-SAT model ------------------------------------------------------------------------


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[str, str], cp_model.IntVar]  # (teacher id, group's first session id)
    # Assumption literals when diagnosing: (constraint, who) -> literal.
    switches: dict[tuple[ReasonKind, str], cp_model.IntVar] = field(default_factory=dict)


def _switch(m: _Model, key: tuple[ReasonKind, str], on: bool) -> list[cp_model.IntVar]:
    """The enforcement literal for a constraint group, or none when it is always enforced."""
    if not on:
        return []
    if key not in m.switches:
        m.switches[key] = m.model.new_bool_var(f"on[{key[0]},{key[1]}]")
    return [m.switches[key]]


def _add_coverage(week: _Week, m: _Model, diagnose: bool) -> None:
    for g in week.groups:
        chosen = [m.x[tid, g.first.id] for tid in g.candidates]
        switch = _switch(m, ("coverage", g.first.id), diagnose)
        m.model.add(sum(chosen) == g.seats).only_enforce_if(switch)


def _day_cliques(duties: list[DutySession]) -> list[list[DutySession]]:
    """Sets of a day's sessions running at one instant; intervals need only start instants."""
    cliques = []
    for start in sorted({s.start for s in duties}):
        clique = [s for s in duties if s.start <= start < s.end]
        cliques.append(clique)
    return cliques


def _most_minutes(sessions: list[DutySession]) -> int:
    """Most minutes one teacher can serve among ``sessions`` of a day (interval scheduling)."""
    best: dict[dt.time, int] = {dt.time.min: 0}  # end of the last duty -> most minutes so far
    for s in sorted(sessions, key=lambda s: s.end):
        before = max(v for end, v in best.items() if end <= s.start)
        best[s.end] = max(best.get(s.end, 0), before + s.minutes, max(best.values()))
    return max(best.values())


def _add_days(
    week: _Week, m: _Model, t: DutyTeacher, mine: list[DutySession]
) -> dict[int, cp_model.LinearExprT]:
    """No overlap per day; returns ``late[t, d]`` (1 on days a fixed duty already ends late)."""
    fixed_late = {s.weekday for s in week.fixed[t.id] if week.is_late(s)}
    late_by_day: dict[int, cp_model.LinearExprT] = {}
    for d in WEEKDAYS:
        today = [s for s in mine if s.weekday == d]
        if d in fixed_late:
            late_by_day[d] = 1
        elif any(week.is_late(s) for s in today):
            late_by_day[d] = m.model.new_bool_var(f"late[{t.id},{d}]")
        for clique in _day_cliques(today):
            if len(clique) > 1:
                m.model.add_at_most_one(m.x[t.id, s.id] for s in clique)
            late_part = [m.x[t.id, s.id] for s in clique if week.is_late(s)]
            if late_part and d not in fixed_late:
                # Bounding the whole clique (not each x) keeps the LP relaxation tight.
                m.model.add(sum(late_part) <= late_by_day[d])
    return late_by_day


def _add_minutes(
    week: _Week, m: _Model, t: DutyTeacher, mine: list[DutySession], diagnose: bool
) -> cp_model.LinearExprT:
    fixed, most = sum(s.minutes for s in week.fixed[t.id]), sum(s.minutes for s in mine)
    if not mine:
        return fixed
    # One variable per load keeps the fairness rows short (two terms instead of hundreds).
    minutes = m.model.new_int_var(fixed, fixed + most, f"minutes[{t.id}]")
    m.model.add(minutes == fixed + sum(s.minutes * m.x[t.id, s.id] for s in mine))
    if fixed + most > week.cap[t.id]:
        switch = _switch(m, ("max_minutes", t.id), diagnose)
        m.model.add(minutes <= week.cap[t.id]).only_enforce_if(switch)
    return minutes


def _add_flexible(
    week: _Week,
    m: _Model,
    t: DutyTeacher,
    late_by_day: dict[int, cp_model.LinearExprT],
    diagnose: bool,
) -> None:
    sure = sum(1 for d in WEEKDAYS if d not in t.first_period_days)  # flexible whatever we do
    first = [d for d in WEEKDAYS if d in t.first_period_days]
    late_first = [late_by_day[d] for d in first if d in late_by_day]
    spare = len(first) + sure - week.rules.min_flexible_days  # late first-period days allowed
    if len(late_first) > spare and not all(isinstance(v, int) for v in late_first):
        switch = _switch(m, ("flexible_days", t.id), diagnose)
        m.model.add(cp_model.LinearExpr.sum(late_first) <= spare).only_enforce_if(switch)


@dataclass(frozen=True)
class _Terms:
    """What the objective needs from one teacher's part of the model."""

    minutes: cp_model.LinearExprT
    late_days: cp_model.LinearExprT
    room: cp_model.LinearExprT  # most minutes these late days leave room for (>= minutes)


def _add_late_days(
    week: _Week,
    m: _Model,
    t: DutyTeacher,
    mine: list[DutySession],
    late_by_day: dict[int, cp_model.LinearExprT],
) -> tuple[cp_model.LinearExprT, cp_model.LinearExprT]:
    """The number of late days and the minutes they leave room for.

    Late minutes fit in late days, so ``minutes <= most_per_day * late_days + early minutes``.
    Stated against the minimum load as well (see :func:`_add_objective`), it lets CP-SAT round
    late days up by propagation alone (three 60-minute sessions, at most two a day: two late
    days), which proves the bound at once instead of through the LP.
    """
    duties = [*week.fixed[t.id], *mine]
    early = sum(s.minutes for s in duties if not week.is_late(s))
    if not late_by_day:
        return 0, early
    count = m.model.new_int_var(0, len(late_by_day), f"late_days[{t.id}]")
    m.model.add(count == cp_model.LinearExpr.sum(list(late_by_day.values())))
    per_day = max(
        _most_minutes([s for s in duties if s.weekday == d and week.is_late(s)]) for d in WEEKDAYS
    )
    return count, per_day * count + early


def _add_teacher(week: _Week, m: _Model, t: DutyTeacher, diagnose: bool) -> _Terms:
    """Overlap, minutes and flexible days for one teacher."""
    mine = [g.first for g in week.groups if (t.id, g.first.id) in m.x]
    late_by_day = _add_days(week, m, t, mine)
    minutes = _add_minutes(week, m, t, mine, diagnose)
    _add_flexible(week, m, t, late_by_day, diagnose)
    late_days, room = _add_late_days(week, m, t, mine, late_by_day)
    if isinstance(minutes, cp_model.IntVar):
        m.model.add(minutes <= room)
    return _Terms(minutes, late_days, room)


def _build(week: _Week, diagnose: Diagnosis | None) -> _Model:
    """The model; with ``diagnose`` the named kind of constraint goes under assumptions."""
    model = cp_model.CpModel()
    x = {
        (tid, g.first.id): model.new_bool_var(f"x[{tid},{g.first.id}]")
        for g in week.groups
        for tid in g.candidates
    }
    m = _Model(model, x)
    _add_coverage(week, m, diagnose == "coverage")
    terms = {t.id: _add_teacher(week, m, t, diagnose == "teachers") for t in week.teachers}
    with_choice = sorted({tid for tid, _ in x})
    if diagnose is None:
        total = sum(sum(s.minutes for s in week.fixed[tid]) for tid in with_choice)
        total += sum(g.seats * g.first.minutes for g in week.groups)
        late = [terms[t.id].late_days for t in week.teachers]
        _add_objective(week, m, [terms[tid] for tid in with_choice], total, late)
    return m


def _add_objective(
    week: _Week,
    m: _Model,
    loads: list[_Terms],
    total: int,
    late: list[cp_model.LinearExprT],
) -> None:
    """``loads`` always add up to ``total`` (every seat goes to one of these teachers)."""
    late_days = cp_model.LinearExpr.sum(late)
    if not loads:  # everything is fixed: nothing to balance
        m.model.minimize(late_days)
        return
    # Max and min load in units of the durations' gcd (usually a whole 60-minute session):
    # the busiest carries at least, the idlest at most the average, rounded to whole units,
    # so an uneven total visibly forces a spread of one unit.
    unit = math.gcd(*(s.minutes for s in week.sessions))
    per_unit = len(loads) * unit
    top = max(week.cap.values()) // unit
    hi = m.model.new_int_var(-(-total // per_unit), max(top, -(-total // per_unit)), "max_units")
    lo = m.model.new_int_var(0, total // per_unit, "min_units")
    for load in loads:
        m.model.add(load.minutes <= unit * hi)
        m.model.add(load.minutes >= unit * lo)
        m.model.add(load.room >= unit * lo)  # redundant, see _add_late_days
    # One minute of spread outweighs every possible late day.
    weight = len(week.teachers) * len(WEEKDAYS) + 1
    m.model.minimize(weight * unit * (hi - lo) + late_days)


def _greedy(week: _Week) -> set[tuple[str, str]]:
    """A quick roster to start the search from: fill seats day by day, least-loaded first,
    preferring a teacher already staying late that day. Only a hint, so it may break rules."""
    duties = {t.id: list(week.fixed[t.id]) for t in week.teachers}
    load = {tid: sum(s.minutes for s in ds) for tid, ds in duties.items()}
    demand = sum(s.needed * s.minutes for s in week.sessions)
    target = -(-demand // max(1, len(week.teachers)))  # ceiling of the average load
    chosen: set[tuple[str, str]] = set()
    for g in sorted(week.groups, key=lambda g: (g.first.weekday, g.first.start, g.first.id)):
        s, seats = g.first, g.seats
        free = [
            tid
            for tid in g.candidates
            if load[tid] + s.minutes <= week.cap[tid]
            and not any(_overlaps(s, o) for o in duties[tid])
        ]

        def key(tid: str, s: DutySession = s) -> tuple[bool, bool, int, str]:
            late_today = any(o.weekday == s.weekday and week.is_late(o) for o in duties[tid])
            return (load[tid] + s.minutes > target, not late_today, load[tid], tid)

        for tid in sorted(free, key=key)[: max(0, seats)]:
            chosen.add((tid, s.id))
            duties[tid].append(s)
            load[tid] += s.minutes
    return chosen


def _solver(rules: DutyRules, time_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = time_limit
    p.num_workers = max(1, rules.workers)
    # Several workers race each other and the winner varies from run to run; interleaving
    # them in fixed batches keeps the roster reproducible (one worker is so already).
    p.interleave_search = p.num_workers > 1
    p.random_seed = 0
    return solver


# --- diagnosis -------------------------------------------------------------------------------


def _infeasible_core(week: _Week, kind: Diagnosis) -> list[tuple[ReasonKind, str]]:
    """Constraint groups of ``kind`` that cannot all hold, shrunk towards a minimal set."""
    m = _build(week, kind)
    limit = max(1.0, week.rules.time_limit_seconds / 4)

    def core_of(subset: list[tuple[ReasonKind, str]]) -> list[tuple[ReasonKind, str]] | None:
        m.model.clear_assumptions()
        m.model.add_assumptions([m.switches[k] for k in subset])
        solver = _solver(week.rules, limit)
        if solver.solve(m.model) != cp_model.INFEASIBLE:
            return None
        found = set(solver.sufficient_assumptions_for_infeasibility())
        return [k for k in subset if m.switches[k].index in found]

    core = core_of(sorted(m.switches))
    if not core:
        return []
    # Deletion pass: CP-SAT's subset need not be minimal; a few more solves make it so.
    i, solves = 0, 0
    while i < len(core) and solves < 16:
        rest = core[:i] + core[i + 1 :]
        smaller = core_of(rest) if rest else None
        solves += 1
        if smaller is None:
            i += 1  # core[i] is needed
        else:
            core = smaller or rest
    return core


def _core_reason(week: _Week, kind: ReasonKind, who: str) -> DutyReason:
    need = week.rules.min_flexible_days
    if kind == "coverage":
        s = week.by_id[who]
        return DutyReason(
            kind,
            who,
            _("{session}：与时间重叠的其他课后服务争用教师，无法排满（需要 {needed} 人）").format(
                session=_label(s), needed=s.needed
            ),
        )
    name, cap = week.names[who], week.cap[who]
    if kind == "max_minutes":
        return DutyReason(
            kind,
            who,
            _("{name}：每周 {cap} 分钟的值班上限与其他约束冲突，剩余值班无人可排").format(
                name=name, cap=cap
            ),
        )
    return DutyReason(
        kind,
        who,
        _("{name}：每周至少 {need} 天弹性上下班与其他约束冲突，剩余晚班无人可排").format(
            name=name, need=need
        ),
    )


def _diagnose(week: _Week) -> list[DutyReason]:
    core = _infeasible_core(week, "teachers")
    if not core:
        # No teacher limit is to blame: sessions compete for the same teachers at one time.
        core = _infeasible_core(week, "coverage")
    if not core:  # the diagnosing solves ran out of time
        return [
            DutyReason(
                "coverage",
                "*",
                _("本周值班无法排出，且未能在时限内定位具体冲突"),
            )
        ]
    return [_core_reason(week, kind, who) for kind, who in core]


# --- solve -----------------------------------------------------------------------------------


def _roster(
    week: _Week, m: _Model, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus
) -> DutyRoster:
    assignments = {s.id: tuple(sorted(set(s.fixed_teacher_ids))) for s in week.sessions}
    for g in week.groups:
        chosen = iter(tid for tid in g.candidates if solver.boolean_value(m.x[tid, g.first.id]))
        for s in g.sessions:  # interchangeable: hand the group's teachers out in id order
            assignments[s.id] += tuple(next(chosen) for _ in range(s.seats))
    duties: dict[str, list[DutySession]] = {t.id: [] for t in week.teachers}
    for sid, tids in assignments.items():
        for tid in tids:
            duties[tid].append(week.by_id[sid])
    objective, bound = solver.objective_value, solver.best_objective_bound
    return DutyRoster(
        assignments=assignments,
        minutes_by_teacher={tid: sum(s.minutes for s in ds) for tid, ds in duties.items()},
        flexible_days_by_teacher={
            t.id: flexible_days(t, duties[t.id], week.rules.early_leave_after)
            for t in week.teachers
        },
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        objective=objective,
        bound=bound,
        gap=(objective - bound) / max(1.0, abs(objective)),
        wall_seconds=solver.wall_time,
    )


def flexible_days(
    teacher: DutyTeacher, duties: Iterable[DutySession], early_leave_after: dt.time
) -> tuple[int, ...]:
    """Weekdays on which ``teacher`` may arrive late or leave early, given their duties."""
    late_days = {s.weekday for s in duties if s.end > early_leave_after}
    return tuple(d for d in WEEKDAYS if d not in teacher.first_period_days or d not in late_days)


def solve_duty(
    sessions: Sequence[DutySession],
    teachers: Sequence[DutyTeacher],
    rules: DutyRules | None = None,
) -> DutyRoster:
    """The fairest roster, or :class:`DutyInfeasible` with reasons; never a partial roster."""
    week = _prepare(sessions, teachers, rules or DutyRules())
    if reasons := _precheck(week):
        raise DutyInfeasible(reasons)
    m = _build(week, None)
    hint = _greedy(week)
    for pair, var in m.x.items():
        m.model.add_hint(var, pair in hint)
    solver = _solver(week.rules, week.rules.time_limit_seconds)
    status = solver.solve(m.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _roster(week, m, solver, status)
    if status == cp_model.INFEASIBLE:
        raise DutyInfeasible(_diagnose(week))
    raise DutyUnsolved(
        f"no roster within {week.rules.time_limit_seconds:g} s ({solver.status_name(status)})"
    )
