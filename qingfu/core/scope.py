"""The one school a request acts in.

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


def current_school_id(request: HttpRequest, actor: Actor, *, among: Set[int] | None = None) -> int:
    """The school this request acts in, out of ``among`` (default: every school where the
    actor holds a role). A school asked for in the query that the actor may not act in is
    the uniform "not found"; none allowed at all is too."""
    allowed = actor.school_ids if among is None else among
    if not allowed:
        raise NotFound()
    asked = request.GET.get("school", "")
    if asked:
        if not asked.isdigit() or int(asked) not in allowed:
            raise NotFound()
        request.session[SESSION_KEY] = int(asked)
        return int(asked)
    remembered = request.session.get(SESSION_KEY)
    return remembered if isinstance(remembered, int) and remembered in allowed else min(allowed)
