"""Who a request acts as, or the uniform "not found".

A page for one kind of person (a teacher's own homework, a head teacher's phones, a
district's filed programs) asks here instead of testing the actor in the view, and gets
back what the person acts on: their teacher id, their classes, their districts. Someone
who is not that person gets the same 404 as for a page that does not exist, so a page never
reveals what it would have shown. Objects (a class, a child) are reached through
``qingfu.schools.access`` and each app's selectors, which answer the same way.
"""

from __future__ import annotations

from qingfu.core.actor import Actor
from qingfu.core.errors import NotFound
from qingfu.core.roles import Role


def as_teacher(actor: Actor) -> int:
    """The actor's teacher id."""
    if actor.teacher_id is None:
        raise NotFound()
    return actor.teacher_id


def as_head_teacher(actor: Actor) -> frozenset[int]:
    """The classes the actor is head teacher of (at least one)."""
    return _some(actor.head_class_ids)


def as_grade_leader(actor: Actor) -> frozenset[int]:
    """The grades the actor leads (at least one)."""
    return _some(actor.led_grade_ids)


def as_school_admin(actor: Actor) -> frozenset[int]:
    """The schools the actor runs (at least one)."""
    return _some(actor.admin_school_ids)


def as_district_officer(actor: Actor) -> frozenset[int]:
    """The districts the actor works for (at least one)."""
    return _some(actor.district_ids)


def as_training_officer(actor: Actor) -> frozenset[int]:
    """The districts whose off-campus training the actor supervises (at least one)."""
    return _some(actor.training_district_ids)


def as_unit_member(actor: Actor, *roles: Role) -> frozenset[int]:
    """The units where the actor holds one of ``roles`` (at least one)."""
    return _some(actor.units_as(*roles))


def as_guardian_of(actor: Actor, student_id: int, *, or_self: bool = False) -> int:
    """``student_id`` when it is the actor's child (or, with ``or_self``, the actor)."""
    if student_id in actor.child_student_ids or (or_self and student_id == actor.student_id):
        return student_id
    raise NotFound()


def _some(ids: frozenset[int]) -> frozenset[int]:
    if not ids:
        raise NotFound()
    return ids
