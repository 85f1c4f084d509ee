"""Surveys in the role matrix (qingfu/core/tests/matrix.py): the list and creating one,
opening and closing, results (page and API), a respondent's invitations, answering."""

from __future__ import annotations

from qingfu.conftest import World
from qingfu.core.tests.matrix import ADMINS, OFFICERS, SIGNED_IN, Case
from qingfu.surveys.models import Invitation
from qingfu.surveys.tests.factories import ALL, GOOD, draft, opened

# Who manages school A's surveys: its admin and its district's officer.
MANAGERS_A = frozenset({"admin_a", "officer_d1"})
GUARDIAN1 = frozenset({"guardian1"})
# The school's inspector sees its surveys and their results, and is told "not permitted"
# when opening or closing one.
SEES_ONLY = frozenset({"inspector_a"})


def _draft(w: World) -> int:
    return draft(w.users["admin_a"], w.a).pk


def _opened(w: World) -> int:
    return opened(w.users["admin_a"], w.a).pk


def _invitation(w: World) -> int:
    """guardian1's invitation to answer about 张小一 in school A's open survey."""
    survey = _opened(w)
    return Invitation.objects.get(survey_id=survey, user=w.users["guardian1"]).pk


CASES = [
    Case("surveys/", lambda w: "/surveys/", allowed=ADMINS | OFFICERS | {"inspector_a"}),
    Case(
        "surveys/",
        lambda w: (
            "/surveys/",
            {"scope": f"school:{w.a.pk}", "title": "十一月课业负担调查", "audiences": list(ALL)},
        ),
        "POST",
        allowed=MANAGERS_A,
    ),
    Case(
        "surveys/<int:survey_id>/open/",
        lambda w: f"/surveys/{_draft(w)}/open/",
        answers=dict.fromkeys(SIGNED_IN, 405),
    ),
    Case(
        "surveys/<int:survey_id>/open/",
        lambda w: (f"/surveys/{_draft(w)}/open/", {}),
        "POST",
        allowed=MANAGERS_A,
        forbidden=SEES_ONLY,
    ),
    Case(
        "surveys/<int:survey_id>/close/",
        lambda w: f"/surveys/{_opened(w)}/close/",
        answers=dict.fromkeys(SIGNED_IN, 405),
    ),
    Case(
        "surveys/<int:survey_id>/close/",
        lambda w: (f"/surveys/{_opened(w)}/close/", {}),
        "POST",
        allowed=MANAGERS_A,
        forbidden=SEES_ONLY,
    ),
    Case(
        "surveys/<int:survey_id>/results/",
        lambda w: f"/surveys/{_opened(w)}/results/",
        allowed=MANAGERS_A | {"inspector_a"},
    ),
    Case(
        "GET /api/v1/surveys/{survey_id}/results",
        lambda w: f"/api/v1/surveys/{_opened(w)}/results",
        allowed=MANAGERS_A | {"inspector_a"},
    ),
    Case("surveys/mine/", lambda w: "/surveys/mine/", allowed=SIGNED_IN),
    Case("surveys/thanks/", lambda w: "/surveys/thanks/", allowed=SIGNED_IN),
    Case(
        "surveys/answer/<int:invitation_id>/",
        lambda w: f"/surveys/answer/{_invitation(w)}/",
        allowed=GUARDIAN1,
    ),
    Case(
        "surveys/answer/<int:invitation_id>/",
        lambda w: (f"/surveys/answer/{_invitation(w)}/", GOOD["guardian"]),
        "POST",
        allowed=GUARDIAN1,
    ),
]
