"""Hypothesis strategies shared by the policy tests: homework items and stricter profiles.

``stricter_profiles`` tightens *any* rule of the national profile in its own direction
(lower caps, higher minimums, earlier bedtimes, shorter allowed lists, bans kept) through
a chain of province → district → school overrides, so invariants are tested against the
whole profile rather than a hand-picked few rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from hypothesis import strategies as st

from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import HomeworkItemFacts
from qingfu.policy.profile import LEVEL_ORDER, Override, apply_override, load_national
from qingfu.policy.rules import Profile, Rule, Scalar, day_minutes, evening_minutes, parse_time
from qingfu.policy.subjects import SUBJECT_CODES

NATIONAL = load_national()
SUBJECTS = sorted(SUBJECT_CODES)

items = st.builds(
    HomeworkItemFacts,
    subject=st.sampled_from(SUBJECTS),
    minutes=st.integers(min_value=0, max_value=120),
    is_written=st.booleans(),
    at_home=st.booleans(),
    is_mandatory=st.booleans(),
    needs_phone=st.booleans(),
    asks_parents_to_grade=st.booleans(),
    is_punitive=st.booleans(),
    copying_minutes=st.integers(min_value=0, max_value=60),
)
grades = st.integers(min_value=1, max_value=9)
day_kinds = st.sampled_from(list(DayKind))
stages = st.sampled_from(["primary", "junior", "senior"])
# Whole minutes, since rules are set to the minute.
clock_times = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))


def _clock(minutes: int) -> str:
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def stricter_value(rule: Rule, current: Scalar) -> st.SearchStrategy[object]:
    """Values at least as strict as ``current`` for this rule (``current`` included)."""
    match rule.direction:
        case "max":
            assert isinstance(current, int | float) and not isinstance(current, bool)
            low = -100 if rule.unit == "percent" else 0
            if isinstance(current, int):
                return st.integers(min_value=low, max_value=current)
            return st.floats(min_value=low, max_value=current)
        case "min":
            assert isinstance(current, int | float) and not isinstance(current, bool)
            if rule.unit == "share" or isinstance(current, float):
                return st.floats(min_value=current, max_value=1.0 if rule.unit == "share" else 24.0)
            high = 100 if rule.unit == "percent" else current + 240
            return st.integers(min_value=current, max_value=high)
        case "latest":
            # Evening limits: anything from 05:00 up to the current limit (which may be after midnight).
            limit = evening_minutes(parse_time(str(current)))
            return st.integers(min_value=5 * 60, max_value=limit).map(_clock)
        case "earliest":
            start = day_minutes(parse_time(str(current)))
            return st.integers(min_value=start, max_value=23 * 60 + 59).map(_clock)
        case "forbid" | "require":
            return st.just(True) if current else st.booleans()
        case "subset":
            assert isinstance(current, tuple)
            return st.lists(st.sampled_from(current), unique=True) if current else st.just([])
    raise AssertionError(rule.direction)


@st.composite
def stricter_override(draw: st.DrawFn, base: Profile, level: str) -> Override:
    """An override of ``level`` tightening a random selection of ``base``'s rules."""
    thresholds: dict[str, object] = {}
    for rule in base.rules.values():
        if not draw(st.booleans()):
            continue
        if isinstance(rule.threshold, Mapping):
            keys = draw(st.lists(st.sampled_from(rule.keys), unique=True, min_size=1))
            thresholds[rule.id] = {k: draw(stricter_value(rule, rule.threshold[k])) for k in keys}
        else:
            thresholds[rule.id] = draw(stricter_value(rule, rule.threshold))
    return Override(level, f"{level}-scope", thresholds)  # type: ignore[arg-type]


@st.composite
def stricter_profiles(draw: st.DrawFn) -> Profile:
    """The national profile after one to three stricter levels, in order."""
    levels = draw(
        st.lists(st.sampled_from(LEVEL_ORDER[1:]), unique=True, min_size=1).map(
            lambda ls: sorted(ls, key=LEVEL_ORDER.index)
        )
    )
    profile = NATIONAL
    for level in levels:
        profile = apply_override(profile, draw(stricter_override(profile, level)))
    return profile
