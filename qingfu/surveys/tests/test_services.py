"""Creating, opening, closing and answering a survey; anonymity; one answer per invitation."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, models

from qingfu.conftest import World
from qingfu.core.actor import Actor
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.schools.tests import factories as f
from qingfu.surveys import selectors, services
from qingfu.surveys.models import Invitation, InvitedGroup, Response, Survey
from qingfu.surveys.tests.factories import GOOD, actor, draft, opened

# What these tests see depends on the day: also run at each of tests/clock.py's instants.
pytestmark = pytest.mark.clock

DAY = dt.date(2026, 10, 20)


def _submit(
    user: User | Actor, invitation: Invitation, answers: dict[str, str] | None = None
) -> None:
    services.response_submit(
        actor=user if isinstance(user, Actor) else actor(user),
        invitation_id=invitation.pk,
        answers=answers if answers is not None else GOOD[invitation.audience],
        today=DAY,
    )


def test_opening_invites_students_from_grade_3_guardians_per_child_and_teachers(
    world: World,
) -> None:
    young = f.StudentFactory(school_class=f.class_in(world.a, 2, 1))
    young.user = f.UserFactory(username="young")
    young.save()
    # guardian1 also has a second child in 7(1): two invitations, one per child.
    f.link(world.users["guardian1"].guardian, world.s3, "母亲")  # type: ignore[attr-defined]
    survey = opened(world.users["admin_a"], world.a)
    assert survey.status == Survey.Status.OPEN and survey.opened_at is not None
    rows = set(
        Invitation.objects.filter(survey=survey).values_list(
            "user__username", "audience", "grade", "student_id"
        )
    )
    assert ("student1", "student", 3, world.s1.pk) in rows
    assert not any(r[0] == "young" for r in rows)  # grade 2: no student questionnaire
    assert ("guardian1", "guardian", 3, world.s1.pk) in rows
    assert ("guardian1", "guardian", 7, world.s3.pk) in rows
    assert ("guardian2", "guardian", 3, world.s2.pk) in rows
    teachers = {r[0] for r in rows if r[1] == "teacher"}
    assert teachers == {"head31", "math3", "leader3", "teacher7"}  # not teacher_b (school B)
    groups = {(g.audience, g.grade): g.invited for g in InvitedGroup.objects.filter(survey=survey)}
    assert groups == {
        ("student", 3): 1,
        ("guardian", 3): 2,
        ("guardian", 7): 1,
        ("teacher", None): 4,
    }


def test_a_district_survey_reaches_every_school_of_the_district_only(world: World) -> None:
    survey = opened(world.users["officer_d1"], None, district_id=world.d1.pk)
    schools = set(Invitation.objects.filter(survey=survey).values_list("school_id", flat=True))
    assert schools == {world.a.pk, world.b.pk}


def test_answering_stores_answers_without_the_person_and_uses_the_invitation(
    world: World,
) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    _submit(world.users["guardian1"], invitation)
    response = Response.objects.get()
    assert (response.school_id, response.audience, response.grade) == (world.a.pk, "guardian", 3)
    assert response.submitted_on == DAY
    assert response.answers["hw_minutes"] == "31-60" and response.answers["stress"] == 3
    invitation.refresh_from_db()
    assert invitation.is_used
    assert selectors.open_invitations(actor(world.users["guardian1"])) == []


def test_the_response_table_has_no_column_that_identifies_a_person() -> None:
    person_models = {"auth.user", "surveys.invitation", "schools.student", "schools.guardian",
                     "schools.teacher", "schools.schoolclass"}  # fmt: skip
    for field in Response._meta.get_fields():
        related = getattr(field, "related_model", None)
        if related is not None:
            assert related._meta.label_lower not in person_models, field.name
        assert not isinstance(field, models.DateTimeField), field.name  # the date only
    assert isinstance(Response._meta.pk, models.UUIDField)  # no insertion order either
    names = {f.name for f in Response._meta.get_fields()}
    assert names == {"id", "survey", "school", "audience", "grade", "answers", "submitted_on"}


def test_a_second_answer_to_the_same_invitation_is_refused(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["student1"])
    _submit(world.users["student1"], invitation)
    with pytest.raises(ValidationFailed) as exc:
        _submit(world.users["student1"], invitation)
    assert "已经提交过" in exc.value.errors["invitation"][0]
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_gives_one_response(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian2"])
    user = actor(world.users["guardian2"])  # resolved before the threads start
    tries = 6
    barrier = threading.Barrier(tries)
    outcomes: list[object] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=20)
            _submit(user, invitation)
            outcomes.append("ok")
        except Exception as exc:  # every attempt must end in a definite answer
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(tries)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert outcomes.count("ok") == 1
    refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
    assert len(refused) == tries - 1
    assert all("invitation" in o.errors for o in refused)
    assert Response.objects.filter(survey=survey).count() == 1


def test_a_closed_survey_takes_no_answers(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    services.survey_close(actor=actor(world.users["admin_a"]), survey_id=survey.pk)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    with pytest.raises(ValidationFailed) as exc:
        _submit(world.users["guardian1"], invitation)
    assert "已经结束" in exc.value.errors["survey"][0]
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_bad_answers_save_nothing_and_keep_the_invitation(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    with pytest.raises(ValidationFailed) as exc:
        _submit(world.users["guardian1"], invitation, GOOD["guardian"] | {"stress": "9"})
    assert "stress" in exc.value.errors
    assert not Response.objects.exists()
    invitation.refresh_from_db()
    assert not invitation.is_used


def test_someone_elses_invitation_is_not_found(world: World) -> None:
    survey = opened(world.users["admin_a"], world.a)
    invitation = Invitation.objects.get(survey=survey, user=world.users["guardian1"])
    with pytest.raises(NotFound):
        _submit(world.users["guardian2"], invitation)
    assert not Response.objects.exists()


def test_status_moves_draft_open_closed_only(world: World) -> None:
    admin = actor(world.users["admin_a"])
    survey = draft(world.users["admin_a"], world.a)
    with pytest.raises(ValidationFailed):
        services.survey_close(actor=admin, survey_id=survey.pk)
    services.survey_open(actor=admin, survey_id=survey.pk)
    with pytest.raises(ValidationFailed):
        services.survey_open(actor=admin, survey_id=survey.pk)
    closed = services.survey_close(actor=admin, survey_id=survey.pk)
    assert closed.closed_by_id == admin.user_id and closed.closed_at is not None
    with pytest.raises(ValidationFailed):
        services.survey_open(actor=admin, survey_id=survey.pk)
    assert Invitation.objects.filter(survey=survey).count() == 7  # opened once only


@pytest.mark.parametrize(
    ("title", "audiences", "field"),
    [("", ["guardian"], "title"), ("x" * 61, ["guardian"], "title"),
     ("调查", [], "audiences"), ("调查", ["pets"], "audiences")],
)  # fmt: skip
def test_bad_drafts_are_refused(world: World, title: str, audiences: list[str], field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.survey_create(
            actor=actor(world.users["admin_a"]), title=title, audiences=audiences,
            school_id=world.a.pk,
        )  # fmt: skip
    assert field in exc.value.errors
    assert not Survey.objects.exists()


def test_a_school_admin_may_not_run_a_district_survey(world: World) -> None:
    survey = draft(world.users["officer_d1"], None, district_id=world.d1.pk)
    with pytest.raises(Forbidden):
        services.survey_open(actor=actor(world.users["admin_a"]), survey_id=survey.pk)
    with pytest.raises(NotFound):
        draft(world.users["admin_a"], None, district_id=world.d1.pk)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT
