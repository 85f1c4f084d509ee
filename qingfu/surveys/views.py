"""Pages of the burden survey: the staff list (create, open, close), the results, and the
respondent's phone pages (my open surveys, answer, thanks)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingfu.core.actor import Actor
from qingfu.core.edge import answer_post, cleaned, flash_errors
from qingfu.core.errors import NotFound
from qingfu.schools.actors import actor_from_request
from qingfu.schools.calendars import local_today
from qingfu.schools.models import District, School
from qingfu.schools.naming import GRADE_NAMES
from qingfu.surveys import forms, selectors, services
from qingfu.surveys.questionnaire import (
    AUDIENCE_LABELS,
    MINUTES,
    QUESTIONNAIRES,
    Audience,
    audience_label,
    audience_short,
)


def _scopes(actor: Actor) -> list[tuple[str, str]]:
    """The scopes the actor may create a survey for: (form value, label)."""
    options: list[tuple[str, str]] = []
    for district in District.objects.filter(id__in=actor.district_ids).order_by("code"):
        options.append((f"district:{district.pk}", _("%(d)s 全区所有学校") % {"d": district.name}))
        for school in School.objects.filter(district=district).order_by("code"):
            options.append((f"school:{school.pk}", school.name))
    for school in School.objects.filter(id__in=actor.admin_school_ids).order_by("code"):
        if f"school:{school.pk}" not in dict(options):
            options.append((f"school:{school.pk}", school.name))
    return options


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Staff: the surveys I may see; admins and officers create one here."""
    actor = actor_from_request(request)
    scopes = _scopes(actor)
    if not scopes and not actor.inspected_school_ids:
        raise NotFound()
    status = 200
    errors: dict[str, list[str]] = {}
    audience_choices = [(a.value, audience_label(a)) for a in AUDIENCE_LABELS]
    if request.method == "POST":
        if not scopes:
            raise NotFound()

        def create() -> str:
            data = cleaned(forms.SurveyForm, request.POST, audiences=audience_choices)
            survey = services.survey_create(
                actor=actor,
                title=data["title"],
                audiences=data["audiences"],
                school_id=data["school_id"],
                district_id=data["district_id"],
            )
            return _("已创建“%(t)s”。确认无误后点“开始调查”。") % {"t": survey.title}

        answer = answer_post(request, create, to=reverse("surveys:list"))
        if answer.response is not None:
            return answer.response
        status, errors = answer.status, answer.errors
    surveys = list(selectors.surveys_for(actor))
    rows = [
        {
            "survey": s,
            "may_manage": selectors.may_manage(actor, s),
            "audiences": "、".join(audience_label(a) for a in s.audiences),
        }
        for s in surveys
    ]
    today = local_today()
    return render(
        request,
        "surveys/list.html",
        {
            "rows": rows,
            "scopes": scopes,
            "audience_choices": audience_choices,
            "default_title": _("%(y)d年%(m)d月课业负担调查") % {"y": today.year, "m": today.month},
            "posted": forms.SurveyForm(request.POST, audiences=audience_choices).data
            if request.method == "POST"
            else None,
            "errors": errors,
        },
        status=status,
    )


def _status_change(request: HttpRequest, survey_id: int, change: str) -> HttpResponse:
    actor = actor_from_request(request)

    def run() -> str:
        if change == "open":
            survey = services.survey_open(actor=actor, survey_id=survey_id)
            return _("“%(t)s”已开始，邀请已发出。") % {"t": survey.title}
        survey = services.survey_close(actor=actor, survey_id=survey_id)
        return _("“%(t)s”已结束。") % {"t": survey.title}

    answer = answer_post(request, run, to=reverse("surveys:list"))
    flash_errors(request, answer.errors)  # the list has no form to show them next to
    return answer.response or redirect("surveys:list")


@login_required
@require_POST
def survey_open(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _status_change(request, survey_id, "open")


@login_required
@require_POST
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    return _status_change(request, survey_id, "close")


@login_required
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    raw = request.GET.get("school", "")
    if raw and not raw.isdigit():
        raise NotFound()
    results = selectors.survey_results(actor, survey_id, int(raw) if raw else None)
    return render(
        request,
        "surveys/results.html",
        {
            "r": results,
            "audience_columns": [
                (a, audience_short(a)) for a in Audience if a in results.survey.audiences
            ],
            "grade_names": GRADE_NAMES,
            "minutes_options": MINUTES,
        },
    )


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    """Respondents: the surveys waiting for my answer."""
    actor = actor_from_request(request)
    return render(request, "surveys/mine.html", {"invitations": selectors.open_invitations(actor)})


@login_required
def answer(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    invitation = selectors.invitation_get(actor, invitation_id)
    status = 200
    errors: dict[str, list[str]] = {}
    questionnaire = QUESTIONNAIRES[Audience(invitation.audience)]
    posted: dict[str, str] = {}
    if request.method == "POST":
        # Every posted field but the token reaches the check, so a stray one is named.
        posted = cleaned(forms.AnswerForm, request.POST)["answers"]

        def submit() -> None:
            services.response_submit(
                actor=actor, invitation_id=invitation.pk, answers=posted, today=local_today()
            )

        answer_ = answer_post(request, submit, to=reverse("surveys:thanks"))
        if answer_.response is not None:
            return answer_.response
        status, errors = answer_.status, answer_.errors
    return render(
        request,
        "surveys/answer.html",
        {
            "invitation": invitation,
            "items": [
                {"q": q, "value": posted.get(q.id, ""), "errors": errors.get(q.id, [])}
                for q in questionnaire.questions
            ],
            "about": (
                invitation.student
                if invitation.student and invitation.audience == Audience.GUARDIAN
                else None
            ),
            "is_open": invitation.survey.status == invitation.survey.Status.OPEN,
            "errors": errors,
        },
        status=status,
    )


@login_required
def thanks(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    return render(
        request, "surveys/thanks.html", {"invitations": selectors.open_invitations(actor)}
    )
