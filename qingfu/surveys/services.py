"""Writes for burden surveys: create, open (send the invitations), close, and answer.

Answering is where anonymity and "once per invitation" meet: the invitation is locked
(``select_for_update``), checked, marked used, and an unlinked response is written, all in
one transaction. A double submit, from two tabs or a double tap, waits on the lock and then
finds the invitation used; there is never a second response.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.schools.calendars import local_now
from qingfu.schools.models import District, GuardianLink, School, Student, Teacher
from qingfu.surveys import selectors
from qingfu.surveys.models import Invitation, InvitedGroup, Response, Survey
from qingfu.surveys.questionnaire import (
    QUESTIONNAIRES,
    STUDENT_GRADES,
    Audience,
    Kind,
    clean_answers,
)

TITLE_MAX = 60


def _require_creator(actor: Actor, *, school: School | None, district: District) -> None:
    if actor.is_superuser or district.pk in actor.district_ids:
        return
    if school is not None and school.pk in actor.admin_school_ids:
        return
    if school is not None and school.pk in actor.school_ids | actor.inspected_school_ids:
        raise Forbidden()
    raise NotFound()


def survey_create(
    *,
    actor: Actor,
    title: str,
    audiences: Iterable[str],
    school_id: int | None = None,
    district_id: int | None = None,
) -> Survey:
    """A draft survey of one school (school admin or the district's officer) or of a whole
    district (district officer). Nobody is invited until it opens."""
    user_id = signed_in_user_id(actor)
    school: School | None = None
    if school_id is not None:
        school = School.objects.select_related("district").filter(pk=school_id).first()
        if school is None:
            raise NotFound()
        district = school.district
    else:
        found = District.objects.filter(pk=district_id or 0).first()
        if found is None:
            raise NotFound()
        district = found
    _require_creator(actor, school=school, district=district)
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title:
        errors["title"] = [_("请填写调查标题。")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [
            ngettext("标题最多 %(n)d 字。", "标题最多 %(n)d 字。", TITLE_MAX) % {"n": TITLE_MAX}
        ]
    chosen = set(audiences)
    unknown = chosen - {a.value for a in Audience}
    if unknown:
        errors["audiences"] = [_("未知的调查对象：%(a)s。") % {"a": "、".join(sorted(unknown))}]
    elif not chosen:
        errors["audiences"] = [_("请至少选择一类调查对象。")]
    if errors:
        raise ValidationFailed(errors)
    return Survey.objects.create(
        district=district,
        school=school,
        title=title,
        audiences=[a.value for a in Audience if a.value in chosen],
        created_by_id=user_id,
    )


def _manageable(actor: Actor, survey_id: int) -> Survey:
    """The survey locked for a status change, if the actor may open and close it."""
    survey = selectors.survey_get(actor, survey_id)  # NotFound if not visible
    if not selectors.may_manage(actor, survey):
        raise Forbidden()
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _invitations(survey: Survey) -> list[Invitation]:
    """Everyone in scope who can answer online (has an account), one row per invitee:
    students of grades 3-9, each guardian once per child in scope, and teachers."""
    schools = selectors.scope_school_ids(survey)
    rows: list[Invitation] = []
    if Audience.STUDENT in survey.audiences:
        rows += [
            Invitation(
                survey=survey,
                school_id=school,
                user_id=user,
                student_id=student,
                audience=Audience.STUDENT,
                grade=grade,
            )
            for student, user, school, grade in Student.objects.filter(
                school_id__in=schools,
                is_active=True,
                user__isnull=False,
                school_class__grade__number__in=list(STUDENT_GRADES),
            ).values_list("id", "user_id", "school_id", "school_class__grade__number")
        ]
    if Audience.GUARDIAN in survey.audiences:
        rows += [
            Invitation(
                survey=survey,
                school_id=school,
                user_id=user,
                student_id=student,
                audience=Audience.GUARDIAN,
                grade=grade,
            )
            for student, user, school, grade in GuardianLink.objects.filter(
                student__school_id__in=schools,
                student__is_active=True,
                guardian__user__isnull=False,
            )
            .values_list(
                "student_id",
                "guardian__user_id",
                "student__school_id",
                "student__school_class__grade__number",
            )
            .distinct()
        ]
    if Audience.TEACHER in survey.audiences:
        rows += [
            Invitation(survey=survey, school_id=school, user_id=user, audience=Audience.TEACHER)
            for user, school in Teacher.objects.filter(
                school_id__in=schools, user__isnull=False
            ).values_list("user_id", "school_id")
        ]
    return rows


def survey_open(*, actor: Actor, survey_id: int) -> Survey:
    """Open a draft: write one invitation per invitee and freeze the invited counts."""
    with transaction.atomic():
        survey = _manageable(actor, survey_id)
        if survey.status != Survey.Status.DRAFT:
            raise ValidationFailed.single("status", _("只有草稿状态的调查可以开始。"))
        invitations = _invitations(survey)
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        counts = Counter((i.school_id, i.audience, i.grade) for i in invitations)
        InvitedGroup.objects.bulk_create(
            InvitedGroup(survey=survey, school_id=s, audience=a, grade=g, invited=n)
            for (s, a, g), n in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0))
        )  # fmt: skip
        survey.status = Survey.Status.OPEN
        survey.opened_at = local_now()
        survey.opened_by_id = actor.user_id
        survey.save(update_fields=["status", "opened_at", "opened_by"])
    return survey


def survey_close(*, actor: Actor, survey_id: int) -> Survey:
    """Close an open survey: no more answers; the results are final."""
    with transaction.atomic():
        survey = _manageable(actor, survey_id)
        if survey.status != Survey.Status.OPEN:
            raise ValidationFailed.single("status", _("只有进行中的调查可以结束。"))
        survey.status = Survey.Status.CLOSED
        survey.closed_at = local_now()
        survey.closed_by_id = actor.user_id
        survey.save(update_fields=["status", "closed_at", "closed_by"])
    return survey


def response_submit(
    *, actor: Actor, invitation_id: int, answers: Mapping[str, str], today: dt.date
) -> None:
    """Use the invitation once and store the answers without any link to the person.

    Returns nothing on purpose: there is no handle from the caller to the response.
    ``today`` is the local date, the only time kept with the answers.
    """
    user_id = signed_in_user_id(actor)
    with transaction.atomic():
        # Lock only the invitation row (not the survey): answers to one survey never wait
        # for each other, only a second submit of the same invitation waits for the first.
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("survey")
            .filter(pk=invitation_id, user_id=user_id)
            .first()
        )
        if invitation is None:
            raise NotFound()
        if invitation.survey.status != Survey.Status.OPEN:
            raise ValidationFailed.single("survey", _("这项调查已经结束，不能再提交。"))
        if invitation.is_used:
            raise ValidationFailed.single(
                "invitation", _("这份问卷已经提交过了，每份邀请只能提交一次。")
            )
        cleaned = clean_answers(Audience(invitation.audience), answers)
        Response.objects.create(
            survey_id=invitation.survey_id,
            school_id=invitation.school_id,
            audience=invitation.audience,
            grade=invitation.grade,
            answers=cleaned,
            submitted_on=today,
        )
        invitation.is_used = True
        invitation.save(update_fields=["is_used"])


def responses_anonymise(before: dt.datetime) -> int:
    """Answers older than the retention period lose their free text (the one answer that
    may say who wrote it); the choices and numbers every tally counts stay."""
    texts = {
        q.id
        for questionnaire in QUESTIONNAIRES.values()
        for q in questionnaire.questions
        if q.kind is Kind.TEXT
    }
    changed = []
    for response in Response.objects.filter(submitted_on__lt=before.date()).only("answers"):
        if texts & response.answers.keys():
            response.answers = {k: v for k, v in response.answers.items() if k not in texts}
            changed.append(response)
    Response.objects.bulk_update(changed, ["answers"], batch_size=500)
    return len(changed)
