"""Reads for burden surveys, always scoped to the actor.

Who sees what: a school's admin sees the surveys of the school and the district's surveys
(the part about their school only); a district officer sees every survey of the district
and every school in it; an inspector sees the part about the schools they inspect; a
respondent sees only their own open invitations. A survey the actor may not see is "not
found", exactly as a missing one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.policy.calendar import DayKind
from qingfu.policy.checks import daily_homework_cap
from qingfu.schools.calendars import profile_for_school
from qingfu.schools.models import PolicyOverride, School
from qingfu.schools.naming import GRADE_NAMES
from qingfu.surveys import tally
from qingfu.surveys.models import Invitation, InvitedGroup, Response, Survey
from qingfu.surveys.questionnaire import (
    QUESTIONNAIRES,
    Audience,
    audience_label,
    audience_short,
)


def may_manage(actor: Actor, survey: Survey) -> bool:
    """Open and close: the district's officers for any survey of the district; a school's
    admins for their own school's surveys (not the district's)."""
    if actor.is_superuser or survey.district_id in actor.district_ids:
        return True
    return survey.school_id is not None and survey.school_id in actor.admin_school_ids


def scope_school_ids(survey: Survey) -> list[int]:
    if survey.school_id is not None:
        return [survey.school_id]
    return list(
        School.objects.filter(district_id=survey.district_id)
        .order_by("code")
        .values_list("id", flat=True)
    )


def visible_school_ids(actor: Actor, survey: Survey) -> list[int]:
    """The schools of the survey whose results the actor may see, in school-code order."""
    schools = scope_school_ids(survey)
    if actor.is_superuser or survey.district_id in actor.district_ids:
        return schools
    mine = actor.admin_school_ids | actor.inspected_school_ids
    return [s for s in schools if s in mine]


def _staff_filter(actor: Actor) -> Q:
    schools = actor.admin_school_ids | actor.inspected_school_ids
    districts = set(School.objects.filter(id__in=schools).values_list("district_id", flat=True))
    return (
        Q(district_id__in=actor.district_ids)
        | Q(school_id__in=schools)
        | Q(school__isnull=True, district_id__in=districts)
    )


def surveys_for(actor: Actor) -> QuerySet[Survey]:
    """The surveys an admin, officer or inspector may see, newest first."""
    qs = Survey.objects.select_related("school", "district")
    if actor.is_superuser:
        return qs
    if actor.is_anonymous:
        return qs.none()
    return qs.filter(_staff_filter(actor))


def survey_get(actor: Actor, survey_id: int) -> Survey:
    survey = surveys_for(actor).filter(pk=survey_id).first()
    if survey is None or not visible_school_ids(actor, survey):
        raise NotFound()
    return survey


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation waiting for its answer, as the respondent sees it."""

    id: int
    survey: Survey
    audience: str
    about: str  # the child's name for a guardian, else ""

    @property
    def audience_label(self) -> str:
        return audience_label(self.audience)


def open_invitations(actor: Actor) -> list[OpenInvitation]:
    """My unused invitations in surveys that are open now."""
    if actor.user_id is None:
        return []
    rows = list(
        Invitation.objects.filter(
            user_id=actor.user_id, is_used=False, survey__status=Survey.Status.OPEN
        )
        .select_related("survey", "student")
        .order_by("survey_id", "student_id")
    )
    return [
        OpenInvitation(
            r.pk,
            r.survey,
            r.audience,
            r.student.name if r.student and r.audience == Audience.GUARDIAN else "",
        )
        for r in rows
    ]


def invitation_get(actor: Actor, invitation_id: int) -> Invitation:
    """The actor's own invitation (used or not, open or not), else "not found"."""
    invitation = (
        Invitation.objects.filter(pk=invitation_id, user_id=actor.user_id or 0)
        .select_related("survey", "school", "student__school_class__grade")
        .first()
    )
    if invitation is None:
        raise NotFound()
    return invitation


@dataclass(frozen=True)
class RateRow:
    label: str
    grade: int | None
    cells: dict[str, tuple[int, int, float | None]]  # audience -> (responded, invited, %)


@dataclass(frozen=True)
class AudienceResults:
    audience: str
    label: str
    short: str
    invited: int
    responded: int
    rate: float | None
    pooled: int  # answers in the distributions (a total leaves out too-small schools)
    schools_left_out: int
    questions: list[tally.QuestionTally]
    minutes_by_grade: list[tally.GradeMinutes]
    comments: list[tuple[str, int]] | None


@dataclass(frozen=True)
class SchoolRate:
    school: School
    cells: dict[str, tuple[int, int, float | None]]


@dataclass
class SurveyResults:
    survey: Survey
    title: str  # the school's name or the district total
    school_id: int | None  # None: all schools the actor may see (a district total)
    choices: list[School]  # the schools the actor may switch to
    may_see_total: bool
    minimum: int
    audiences: list[AudienceResults] = field(default_factory=list)
    rates: list[RateRow] = field(default_factory=list)
    schools: list[SchoolRate] = field(default_factory=list)  # district total only


def survey_results(actor: Actor, survey_id: int, school_id: int | None = None) -> SurveyResults:
    """Response rates by grade and audience and the distribution of every question, for
    one school or (district officers only) all the survey's schools together."""
    survey = survey_get(actor, survey_id)
    visible = visible_school_ids(actor, survey)
    may_see_total = len(visible) > 1 and (
        actor.is_superuser or survey.district_id in actor.district_ids
    )
    if school_id is not None and school_id not in visible:
        raise NotFound()
    if school_id is None and not may_see_total:
        school_id = visible[0]
    scope = [school_id] if school_id is not None else visible
    schools = {s.pk: s for s in School.objects.filter(id__in=visible).select_related("district")}
    profile = profile_for_school(schools[scope[0]])
    minimum = _min_group(profile.rule("priv.min-group").whole(), scope, schools)
    result = SurveyResults(
        survey=survey,
        title=schools[school_id].name if school_id is not None else survey.district.name,
        school_id=school_id,
        choices=[schools[s] for s in visible],
        may_see_total=may_see_total,
        minimum=minimum,
    )
    invited: dict[tuple[int, str, int | None], int] = defaultdict(int)
    for g in InvitedGroup.objects.filter(survey=survey, school_id__in=visible):
        invited[(g.school_id, g.audience, g.grade)] += g.invited
    responses: dict[tuple[int, str, int | None], list[Mapping[str, object]]] = defaultdict(list)
    for school, audience, grade, answers in Response.objects.filter(
        survey=survey, school_id__in=scope
    ).values_list("school_id", "audience", "grade", "answers"):
        responses[(school, audience, grade)].append(answers)
    audiences = [a for a in Audience if a in survey.audiences]
    in_scope = set(scope)

    def cell(keys: list[tuple[int, str, int | None]]) -> tuple[int, int, float | None]:
        n = sum(len(responses.get(k, [])) for k in keys)
        m = sum(invited.get(k, 0) for k in keys)
        return n, m, tally.rate(n, m)

    grades = sorted({k[2] for k in invited if k[0] in in_scope and k[2] is not None})
    for grade in grades:
        result.rates.append(
            RateRow(
                _grade_label(grade),
                grade,
                {
                    a: cell([k for k in invited if k[0] in in_scope and k[1:] == (a, grade)])
                    for a in audiences
                    if a != Audience.TEACHER
                },
            )
        )
    if Audience.TEACHER in audiences:
        result.rates.append(
            RateRow(
                str(audience_label(Audience.TEACHER)),
                None,
                {
                    Audience.TEACHER: cell(
                        [k for k in invited if k[0] in in_scope and k[1] == Audience.TEACHER]
                    )
                },
            )
        )
    if school_id is None:
        for s in visible:
            keys = [k for k in invited if k[0] == s]
            result.schools.append(
                SchoolRate(schools[s], {a: cell([k for k in keys if k[1] == a]) for a in audiences})
            )

    caps = {
        g: daily_homework_cap(profile, grade=g, day_kind=DayKind.SCHOOL_DAY) for g in range(1, 10)
    }
    for audience in audiences:
        questionnaire = QUESTIONNAIRES[Audience(audience)]
        answered = Counter(k[0] for k, rows in responses.items() if k[1] == audience for _ in rows)
        n_answered = sum(answered.values())
        # A total over several schools leaves out the answers of a school whose own group
        # is too small to show: otherwise "total minus the other schools" would show them.
        pooled = {s for s, n in answered.items() if len(scope) == 1 or n >= minimum}
        left_out = len(answered) - len(pooled)
        answers = [
            a for k, rows in responses.items() if k[1] == audience and k[0] in pooled for a in rows
        ]
        keys = [k for k in invited if k[0] in in_scope and k[1] == audience]
        n_invited = sum(invited[k] for k in keys)
        by_grade: dict[int, list[Mapping[str, object]]] = defaultdict(list)
        for k, rows in responses.items():
            if k[1] == audience and k[2] is not None and k[0] in pooled:
                by_grade[k[2]].extend(rows)
        minutes_q = questionnaire.question("hw_minutes")
        result.audiences.append(
            AudienceResults(
                audience=audience,
                label=audience_label(audience),
                short=audience_short(audience),
                invited=n_invited,
                responded=n_answered,
                rate=tally.rate(n_answered, n_invited),
                pooled=len(answers),
                schools_left_out=left_out,
                questions=tally.tally(questionnaire, answers, minimum),
                minutes_by_grade=(
                    tally.minutes_by_grade(minutes_q, by_grade, caps, minimum)
                    if minutes_q is not None
                    else []
                ),
                comments=tally.comments("suggestions", answers, minimum),
            )
        )
    return result


def _min_group(first: int, scope: list[int], schools: Mapping[int, School]) -> int:
    """The strictest minimum group of the schools in view, so a district total never shows
    what a school with a stricter setting would hide. Schools of one district share the
    district's profile; only those with their own override need their own look-up."""
    own = set(
        PolicyOverride.objects.filter(school_id__in=scope[1:]).values_list("school_id", flat=True)
    )
    return max(
        [first] + [profile_for_school(schools[s]).rule("priv.min-group").whole() for s in own]
    )


def _grade_label(grade: int) -> str:
    return str(GRADE_NAMES[grade])
