"""Units of the county beside schools: people act in them through role grants."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from qingfu.conftest import World
from qingfu.core.access import as_training_officer, as_unit_member
from qingfu.core.errors import NotFound
from qingfu.core.roles import Role
from qingfu.core.scope import current_unit_id
from qingfu.schools.actors import actor_for
from qingfu.schools.models import RoleGrant, Unit
from qingfu.schools.tests import factories as f

pytestmark = pytest.mark.django_db


def test_unit_roles_scope_the_actor(world: World) -> None:
    office = Unit.objects.create(
        district=world.d1, kind=Unit.Kind.OFFICE, name="县教育局", code="JYJ"
    )
    town = Unit.objects.create(district=world.d1, kind=Unit.Kind.TOWN, name="青禾镇", code="QH")
    user = f.UserFactory()
    RoleGrant.objects.create(user=user, role=Role.ISSUER_CLERK, unit=office)
    RoleGrant.objects.create(user=user, role=Role.RECEIVER, unit=town)
    RoleGrant.objects.create(user=user, role=Role.TRAINING_OFFICER, district=world.d1)
    actor = actor_for(user)
    assert actor.units_as(Role.ISSUER_CLERK) == {office.pk}
    assert actor.units_as() == {office.pk, town.pk}
    assert as_unit_member(actor, Role.RECEIVER) == {town.pk}
    assert as_training_officer(actor) == {world.d1.pk}
    with pytest.raises(NotFound):
        as_unit_member(actor, Role.CAMPAIGN_OFFICER)
    with pytest.raises(NotFound):
        as_training_officer(actor_for(world.users["officer_d1"]))

    request = RequestFactory().get("/", {"unit": str(town.pk)})
    request.session = {}  # type: ignore[assignment]
    assert current_unit_id(request, actor) == town.pk
    request = RequestFactory().get("/", {"unit": str(town.pk)})
    request.session = {}  # type: ignore[assignment]
    with pytest.raises(NotFound):  # a unit where the actor holds none of the roles asked
        current_unit_id(request, actor, among=actor.units_as(Role.ISSUER_CLERK))


def test_a_unit_role_needs_a_unit_and_nothing_else(world: World) -> None:
    user = f.UserFactory()
    office = Unit.objects.create(
        district=world.d1, kind=Unit.Kind.OFFICE, name="县委办", code="XWB"
    )
    for bad in (
        {"role": Role.ISSUER_CLERK},
        {"role": Role.ISSUER_CLERK, "unit": office, "school": world.a},
        {"role": Role.TRAINING_OFFICER, "unit": office},
        {"role": Role.SCHOOL_ADMIN, "school": world.a, "unit": office},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleGrant.objects.create(user=user, **bad)
