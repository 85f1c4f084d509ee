"""What a program's phase allows: one answer for the page (which buttons to offer, and why
the others are greyed out) and for the services (which writes to refuse, with the same
reason).

The phases run in order: 方案编制 (setup) → 需求调研 (survey) → 报名与志愿填报 (signup) →
已分配 (allocated) → 补报名 (open). The preference round's allocation is run and adopted
while families' choices stand (signup, allocated: re-running after adopting is how a school
checks a result); once the open round has given seats first come, first served, a new
allocation would take them away again, so it is closed.

Pure: no Django (messages through ``qingfu.core.text``).
"""

from __future__ import annotations

from dataclasses import dataclass

from qingfu.core.text import _

SETUP, SURVEY, SIGNUP, ALLOCATED, OPEN = "setup", "survey", "signup", "allocated", "open"
ORDER = (SETUP, SURVEY, SIGNUP, ALLOCATED, OPEN)

# The admin's actions that depend on the phase (the page's buttons and their services).
START_SURVEY = "start_survey"
START_SIGNUP = "start_signup"
RUN = "run"  # run the allocation, or run it again with a seed
APPLY = "apply"  # adopt a run's seats
OPEN_ROUND = "open"  # open the open round
ACTIONS = (START_SURVEY, START_SIGNUP, RUN, APPLY, OPEN_ROUND)


@dataclass(frozen=True)
class ActionState:
    """Whether the action is offered now; if not, why (shown beside the greyed button)."""

    action: str
    allowed: bool
    reason: str = ""


def _reason(phase: str, action: str) -> str:
    """Why ``action`` is not allowed in ``phase`` ("" when it is)."""
    at = ORDER.index(phase) if phase in ORDER else -1
    if at < 0:
        return _("未知的阶段。")
    if action == START_SURVEY:
        if phase == SURVEY:
            return _("需求调研正在进行。")
        if at > ORDER.index(SURVEY):
            return _("报名已经开始，不能回到需求调研。")
        return ""
    if action == START_SIGNUP:
        if phase == SIGNUP:
            return _("报名与志愿填报正在进行。")
        if at > ORDER.index(SIGNUP):
            return _("已采用分配结果，不能回到志愿填报。")
        return ""
    if action in (RUN, APPLY):
        if at < ORDER.index(SIGNUP):
            return _("开放报名与志愿填报后，才能按家长填报的志愿分配。")
        if phase == OPEN:
            return _("补报名已经开放，名额先到先得，不能再运行或采用分配。")
        return ""
    if action == OPEN_ROUND:
        return _("补报名已经开始。") if phase == OPEN else ""
    raise ValueError(f"unknown action {action!r}")


def phase_actions(phase: str) -> dict[str, ActionState]:
    """Every phase-bound action with whether ``phase`` allows it and, if not, why."""
    states = {}
    for action in ACTIONS:
        reason = _reason(phase, action)
        states[action] = ActionState(action, not reason, reason)
    return states


def phase_refusal(phase: str, action: str) -> str:
    """The reason ``action`` is refused in ``phase``, or "" when it is allowed."""
    return _reason(phase, action)
