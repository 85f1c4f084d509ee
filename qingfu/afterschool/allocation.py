"""Club allocation for the preference round: two auditable mechanisms over plain values.

An *application* is one student's ranked list of clubs for one time segment; a student who
stays for two segments sends two applications and can win at most one club in each, so no
student ever holds two clubs in the same segment.

Both mechanisms start from the same published lottery. A student's lottery key is
``sha256("<seed>:<student id>")``; students are ordered first by priority (those who missed
their first choice last semester come first), then by that key. Anyone holding the seed and
the list of applications can recompute the order and re-run either mechanism to the same
result.

``serial``     平行志愿-style: in lottery order, each student takes the highest-ranked club
               on their list that still has room. Strategy-proof: ranking clubs truthfully
               is always best for a family.
``optimal``    (default) linear programming over the whole preference profile (OR-Tools
               GLOP), lexicographically:
               1. seat as many applications as possible;
               2. then give as many as possible their 1st choice, then 2nd, and so on;
               3. among allocations equal on all of that, prefer the lottery order: maximise
                  Σ (choices − rank + 1) × (applicants − lottery position) over seats given.
               It seats more children and gives more first choices, but it is not
               strategy-proof: a family that ranks a popular club first can be moved to a
               lower choice to make room for others, so a family could in principle gain by
               leaving an over-subscribed club off its list.

Pure module: standard library and OR-Tools only, no Django, no clock.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Mechanism = Literal["optimal", "serial"]
MECHANISMS: tuple[Mechanism, ...] = ("optimal", "serial")


@dataclass(frozen=True)
class ClubSlot:
    """A club as the allocator sees it: seats left, which grades, which segment."""

    id: str
    capacity: int
    grades: frozenset[int]
    segment: str


@dataclass(frozen=True)
class Application:
    """One student's ranked clubs (best first) for one segment."""

    student_id: str
    grade: int
    segment: str
    choices: tuple[str, ...]
    priority: bool = False


@dataclass(frozen=True)
class InputProblem:
    student_id: str
    segment: str
    club_id: str
    reason: Literal["unknown", "ineligible", "other-segment", "duplicate", "empty"]


class AllocationInputError(ValueError):
    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} invalid preference(s)")


@dataclass(frozen=True)
class AllocationReport:
    applications: int
    seated: int
    max_seatable: int
    by_rank: tuple[int, ...]  # by_rank[0] got their 1st choice, ...
    seats: int
    empty_seats: int
    priority_applications: int
    priority_first: int
    other_first: int

    @property
    def seated_share(self) -> float:
        return self.seated / self.applications if self.applications else 1.0

    @property
    def max_share(self) -> float:
        return self.max_seatable / self.applications if self.applications else 1.0

    def first_share(self, priority: bool) -> float:
        if priority:
            n, got = self.priority_applications, self.priority_first
        else:
            n, got = self.applications - self.priority_applications, self.other_first
        return got / n if n else 0.0


@dataclass(frozen=True)
class Allocation:
    mechanism: Mechanism
    seed: str
    # (student id, segment) → club id; unseated applications are absent.
    seats: Mapping[tuple[str, str], str]
    lottery: Mapping[str, int]  # student id → position, 1 = first
    report: AllocationReport
    solver_status: str = ""
    levels: tuple[int, ...] = field(default=())  # objective value reached at each level


# --- validation and the lottery --------------------------------------------------------


def validate(applications: Iterable[Application], clubs: Iterable[ClubSlot]) -> None:
    """Every named club exists, sits in the application's segment and takes the grade."""
    by_id = {club.id: club for club in clubs}
    problems: list[InputProblem] = []
    seen: set[tuple[str, str]] = set()
    for app in applications:
        if (app.student_id, app.segment) in seen:
            problems.append(InputProblem(app.student_id, app.segment, "", "duplicate"))
        seen.add((app.student_id, app.segment))
        if not app.choices:
            problems.append(InputProblem(app.student_id, app.segment, "", "empty"))
        if len(set(app.choices)) != len(app.choices):
            problems.append(InputProblem(app.student_id, app.segment, "", "duplicate"))
        for club_id in app.choices:
            club = by_id.get(club_id)
            if club is None:
                problems.append(InputProblem(app.student_id, app.segment, club_id, "unknown"))
            elif club.segment != app.segment:
                problems.append(InputProblem(app.student_id, app.segment, club_id, "other-segment"))
            elif app.grade not in club.grades:
                problems.append(InputProblem(app.student_id, app.segment, club_id, "ineligible"))
    if problems:
        raise AllocationInputError(problems)


def lottery_key(seed: str, student_id: str) -> str:
    return hashlib.sha256(f"{seed}:{student_id}".encode()).hexdigest()


def lottery_order(applications: Iterable[Application], seed: str) -> dict[str, int]:
    """Student id → position (1-based): priority students first, then by lottery key."""
    priority: dict[str, bool] = defaultdict(bool)
    for app in applications:
        priority[app.student_id] |= app.priority
    ordered = sorted(priority, key=lambda sid: (not priority[sid], lottery_key(seed, sid)))
    return {sid: position for position, sid in enumerate(ordered, start=1)}


# --- the mechanisms ----------------------------------------------------------------------


def allocate(
    applications: Sequence[Application],
    clubs: Sequence[ClubSlot],
    *,
    seed: str,
    mechanism: Mechanism = "optimal",
    time_limit_seconds: float = 10.0,
) -> Allocation:
    validate(applications, clubs)
    levels: tuple[int, ...]
    apps = _canonical(applications)
    lottery = lottery_order(apps, seed)
    if mechanism == "serial":
        seats = _serial(apps, clubs, lottery)
        status, levels = "", ()
    elif mechanism == "optimal":
        seats, status, levels = _optimal(apps, clubs, lottery, time_limit_seconds)
    else:
        raise ValueError(f"unknown mechanism {mechanism!r}")
    report = build_report(apps, clubs, seats)
    return Allocation(mechanism, seed, seats, lottery, report, status, levels)


def _canonical(applications: Sequence[Application]) -> list[Application]:
    # Input order must not matter to the result: sort before anything looks at it.
    return sorted(applications, key=lambda a: (a.student_id, a.segment))


def _serial(
    apps: Sequence[Application], clubs: Sequence[ClubSlot], lottery: Mapping[str, int]
) -> dict[tuple[str, str], str]:
    room = {club.id: club.capacity for club in clubs}
    seats: dict[tuple[str, str], str] = {}
    for app in sorted(apps, key=lambda a: (lottery[a.student_id], a.segment)):
        for club_id in app.choices:
            if room[club_id] > 0:
                room[club_id] -= 1
                seats[(app.student_id, app.segment)] = club_id
                break
    return seats


def _optimal(
    apps: Sequence[Application],
    clubs: Sequence[ClubSlot],
    lottery: Mapping[str, int],
    time_limit_seconds: float,
) -> tuple[dict[tuple[str, str], str], str, tuple[int, ...]]:
    """Lexicographic levels as a sequence of linear programs on one shrinking face.

    Seating applications in clubs is a transportation problem: its constraint matrix is
    totally unimodular, so every vertex is integral and GLOP (simplex; single-threaded and
    deterministic) solves a level exactly. To hold a level while optimising the next, we do
    not add "objective ≥ value" (that would break unimodularity) but restrict to the
    level's optimal face using LP duality: variables with a non-zero reduced cost are fixed
    at their value and constraints with a non-zero dual become equalities. A face of an
    integral polytope is integral, so the last level's vertex is an integral allocation.
    """
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    solver.SetTimeLimit(int(time_limit_seconds * 1000))
    # x[(i, rank)] — application i gets its choice at `rank` (0-based).
    x: dict[tuple[int, int], pywraplp.Variable] = {}
    by_club: dict[str, list[pywraplp.Variable]] = defaultdict(list)
    rows = []
    for i, app in enumerate(apps):
        for rank, club_id in enumerate(app.choices):
            var = solver.NumVar(0, 1, "")
            x[(i, rank)] = var
            by_club[club_id].append(var)
        rows.append(solver.Add(solver.Sum([x[(i, r)] for r in range(len(app.choices))]) <= 1))
    for club in clubs:
        if by_club.get(club.id):
            rows.append(solver.Add(solver.Sum(by_club[club.id]) <= club.capacity))

    depth = max((len(a.choices) for a in apps), default=0)
    n = len(lottery)
    levels: list[dict[tuple[int, int], int]] = [dict.fromkeys(x, 1)]
    levels += [{key: 1 for key in x if key[1] == r} for r in range(depth)]
    levels.append({key: (depth - key[1]) * (n - lottery[apps[key[0]].student_id] + 1) for key in x})
    variables = list(x.values())
    reached: list[int] = []
    solution: list[float] = []
    for level, weights in enumerate(levels):
        objective = solver.Objective()
        objective.Clear()
        for key, weight in weights.items():
            objective.SetCoefficient(x[key], weight)
        objective.SetMaximization()
        status = solver.Solve()
        if status != pywraplp.Solver.OPTIMAL:
            raise RuntimeError(f"allocation LP stopped at level {level}: status {status}")
        reached.append(round(objective.Value()))
        solution = _restrict_to_optimal_face(variables, rows)
    values = dict(zip(x, solution, strict=True))
    if any(_EPS < v < 1 - _EPS for v in values.values()):
        raise RuntimeError("allocation LP returned a fractional vertex")
    seats = {
        (apps[i].student_id, apps[i].segment): apps[i].choices[rank]
        for (i, rank), v in values.items()
        if v > 0.5
    }
    return seats, "optimal", tuple(reached[:-1])


_EPS = 1e-7


def _restrict_to_optimal_face(variables: Sequence[Any], rows: Sequence[Any]) -> list[float]:
    """Fix what every optimal solution of this level shares; return the solution values.

    Everything is read before anything is changed: changing the model discards the solution.
    """
    values = [var.solution_value() for var in variables]
    costs = [var.reduced_cost() for var in variables]
    duals = [row.dual_value() for row in rows]
    for var, value, cost in zip(variables, values, costs, strict=True):
        if abs(cost) > _EPS:
            var.SetBounds(round(value), round(value))
    for row, dual in zip(rows, duals, strict=True):
        if abs(dual) > _EPS:
            row.SetLb(row.ub())
    return values


# --- the report --------------------------------------------------------------------------


def max_seatable(apps: Sequence[Application], clubs: Sequence[ClubSlot]) -> int:
    """The most applications any allocation could seat (a max-flow bound)."""
    from ortools.graph.python import max_flow

    flow = max_flow.SimpleMaxFlow()
    source, sink = 0, 1
    club_node = {club.id: 2 + k for k, club in enumerate(clubs)}
    first_app = 2 + len(clubs)
    for club in clubs:
        flow.add_arc_with_capacity(club_node[club.id], sink, club.capacity)
    for i, app in enumerate(apps):
        node = first_app + i
        flow.add_arc_with_capacity(source, node, 1)
        for club_id in app.choices:
            flow.add_arc_with_capacity(node, club_node[club_id], 1)
    if not apps:
        return 0
    if flow.solve(source, sink) != flow.OPTIMAL:
        raise RuntimeError("max-flow failed")
    return int(flow.optimal_flow())


def build_report(
    apps: Sequence[Application], clubs: Sequence[ClubSlot], seats: Mapping[tuple[str, str], str]
) -> AllocationReport:
    depth = max((len(a.choices) for a in apps), default=0)
    ranks: Counter[int] = Counter()
    priority_first = other_first = 0
    for app in apps:
        club_id = seats.get((app.student_id, app.segment))
        if club_id is None:
            continue
        rank = app.choices.index(club_id)
        ranks[rank] += 1
        if rank == 0:
            if app.priority:
                priority_first += 1
            else:
                other_first += 1
    capacity = sum(club.capacity for club in clubs)
    return AllocationReport(
        applications=len(apps),
        seated=len(seats),
        max_seatable=max_seatable(apps, clubs),
        by_rank=tuple(ranks[r] for r in range(depth)),
        seats=capacity,
        empty_seats=capacity - len(seats),
        priority_applications=sum(1 for a in apps if a.priority),
        priority_first=priority_first,
        other_first=other_first,
    )


def missed_first_choice(
    apps: Iterable[Application], seats: Mapping[tuple[str, str], str]
) -> set[str]:
    """Students who did not get their 1st choice in some segment: priority next semester."""
    return {
        app.student_id
        for app in apps
        if app.choices and seats.get((app.student_id, app.segment)) != app.choices[0]
    }


# --- a generated profile (tests and the benchmark) ---------------------------------------


def generate_profile(
    *,
    students: int = 2000,
    clubs: int = 40,
    seat_ratio: float = 0.8,
    max_choices: int = 5,
    seed: int = 0,
    priority_share: float = 0.0,
    exact_choices: bool = False,
) -> tuple[list[Application], list[ClubSlot]]:
    """Clubs with grade ranges in two segments, fewer seats than applications, 1..max_choices
    ranked eligible clubs per application, skewed toward popular clubs (Zipf-like)."""
    rng = random.Random(seed)
    segments = ("1", "2")
    ranges = [(1, 3), (1, 6), (3, 6), (4, 6), (1, 9), (7, 9), (5, 9), (3, 9)]
    pupils = [(f"s{k:05d}", rng.randint(1, 9)) for k in range(students)]
    # Everyone stays for segment 1; about half also for segment 2.
    wanted = [(sid, g, "1") for sid, g in pupils]
    wanted += [(sid, g, "2") for sid, g in pupils if rng.random() < 0.5]
    slots: list[ClubSlot] = []
    popularity: dict[str, float] = {}
    for k in range(clubs):
        lo, hi = ranges[k % len(ranges)]
        slots.append(ClubSlot(f"c{k:02d}", 1, frozenset(range(lo, hi + 1)), segments[k % 2]))
        popularity[slots[-1].id] = 1.0 / (1 + k // 2) ** 0.9
    # Share seats so each segment has seat_ratio × its applications, in proportion to reach.
    for segment in segments:
        demand = sum(1 for *_, s in wanted if s == segment)
        mine = [c for c in slots if c.segment == segment]
        reach = {c.id: sum(1 for _, g, s in wanted if s == segment and g in c.grades) for c in mine}
        total = sum(reach.values())
        for c in mine:
            cap = max(5, round(seat_ratio * demand * reach[c.id] / total))
            slots[slots.index(c)] = ClubSlot(c.id, cap, c.grades, c.segment)
    apps: list[Application] = []
    for sid, grade, segment in wanted:
        eligible = [c.id for c in slots if c.segment == segment and grade in c.grades]
        k = min(len(eligible), max_choices if exact_choices else rng.randint(1, max_choices))
        choices: list[str] = []
        pool = list(eligible)
        for _ in range(k):
            pick = rng.choices(pool, weights=[popularity[c] for c in pool])[0]
            pool.remove(pick)
            choices.append(pick)
        apps.append(Application(sid, grade, segment, tuple(choices), rng.random() < priority_share))
    return apps, slots
