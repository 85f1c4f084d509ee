"""The one school a request acts in.

The same holds for the district an officer of several acts in, and for the unit of the
county (an issuing office, a town, a community, a training institution) a person acts in.

An actor may hold roles in several schools (a principal of two campuses, a teacher lent to
a second school). Pages that show one school's calendar, policy or program must not pick
"the" school by ``min()`` or set order, nor mix the classes of two schools under one
school's rules: they ask :func:`current_school_id`, which takes the school the person chose
(``?school=<id>``, remembered in the session) when they may act there, and otherwise the
first of the schools the page allows.
"""

from __future__ import annotations

from collections.abc import Set

from django.http import HttpRequest

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound

SESSION_KEY = "qingfu_school_id"
DISTRICT_KEY = "qingfu_district_id"
UNIT_KEY = "qingfu_unit_id"


def current_school_id(request: HttpRequest, actor: Actor, *, among: Set[int] | None = None) -> int:
    """The school this request acts in, out of ``among`` (default: every school where the
    actor holds a role). A school asked for in the query that the actor may not act in is
    the uniform "not found"; none allowed at all is too."""
    allowed = actor.school_ids if among is None else among
    return _current(request, allowed, param="school", session_key=SESSION_KEY)


def chosen_school_id(request: HttpRequest, actor: Actor) -> int | None:
    """The school the person last chose (or the first of theirs), for showing the choice
    (the school switcher) without acting: the rule ``current_school_id`` applies, never a
    remembered school the actor no longer holds a role in."""
    if not actor.school_ids:
        return None
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, int) and remembered in actor.school_ids:
        return remembered
    return min(actor.school_ids)


def current_unit_id(request: HttpRequest, actor: Actor, *, among: Set[int] | None = None) -> int:
    """The unit of the county (an office, a town, a community, an institution) this request
    acts in, out of ``among`` (default: every unit where the actor holds a role)."""
    allowed = actor.units_as() if among is None else among
    return _current(request, allowed, param="unit", session_key=UNIT_KEY)


def current_district_id(
    request: HttpRequest, actor: Actor, *, among: Set[int] | None = None
) -> int:
    """The district this request acts in, for an officer of several (``?district=``), out
    of ``among`` (default: the districts the actor oversees; a county's campaign office or
    training officer passes the districts of that role)."""
    allowed = actor.district_ids if among is None else among
    return _current(request, allowed, param="district", session_key=DISTRICT_KEY)


def _current(request: HttpRequest, allowed: Set[int], *, param: str, session_key: str) -> int:
    if not allowed:
        raise NotFound()
    asked = request.GET.get(param, "")
    if asked:
        if not asked.isdigit() or int(asked) not in allowed:
            raise NotFound()
        request.session[session_key] = int(asked)
        return int(asked)
    remembered = request.session.get(session_key)
    return remembered if isinstance(remembered, int) and remembered in allowed else min(allowed)
