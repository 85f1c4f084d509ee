"""What every page's layout needs about the signed-in person: navigation, schools, roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from qingfu.core.actor import Actor
from qingfu.core.roles import Role
from qingfu.core.scope import chosen_school_id
from qingfu.schools.actors import actor_from_request
from qingfu.web.navigation import navigation_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {"nav": [], "nav_home": "", "nav_current": ""}
    actor = actor_from_request(request)
    groups = navigation_for(actor)
    return {
        "nav": groups,
        "nav_current": next((g.key for g in groups if g.is_current(request.path)), ""),
        "nav_home": reverse("web:home"),
        "school_choices": _school_choices(request, actor),
        "actor": actor,
        "actor_roles": [r.label for r in sorted(actor.roles, key=list(Role).index)],
    }


def _school_choices(request: HttpRequest, actor: Actor) -> list[tuple[int, str, bool]]:
    """The schools to switch between (id, name, current) for someone with roles in several;
    the pages that act in one school take the choice through ``current_school_id``."""
    if len(actor.school_ids) < 2:
        return []
    from qingfu.schools.models import School

    current = chosen_school_id(request, actor)
    return [
        (pk, name, pk == current)
        for pk, name in School.objects.filter(id__in=actor.school_ids)
        .order_by("code")
        .values_list("id", "name")
    ]
