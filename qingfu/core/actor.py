"""The acting user, resolved once per request into the ids that scope every read.

Selectors take an ``Actor`` rather than a ``User`` so that the question "what may this
person see" is answered in one place (``qingfu.schools.actors.actor_for``) and every
selector filters by plain id sets, without re-querying roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qingfu.core.roles import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    display_name: str = ""
    roles: frozenset[Role] = frozenset()
    is_superuser: bool = False
    # Schools where the actor holds any role (for navigation and "which school am I in").
    school_ids: frozenset[int] = frozenset()
    admin_school_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    inspected_school_ids: frozenset[int] = frozenset()
    teacher_id: int | None = None
    taught_class_ids: frozenset[int] = frozenset()
    head_class_ids: frozenset[int] = frozenset()
    led_grade_ids: frozenset[int] = frozenset()
    student_id: int | None = None
    child_student_ids: frozenset[int] = field(default_factory=frozenset)
    # The district's training-supervision officer: the districts they supervise.
    training_district_ids: frozenset[int] = frozenset()
    # Roles held in units of the county other than schools: (role, unit id).
    unit_grants: frozenset[tuple[Role, int]] = frozenset()

    def units_as(self, *roles: Role) -> frozenset[int]:
        """The units where the actor holds one of ``roles`` (any unit role when none)."""
        return frozenset(u for r, u in self.unit_grants if not roles or r in roles)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def primary_role(self) -> Role | None:
        """The role whose home page the actor lands on (most responsibility first)."""
        for role in (
            Role.DISTRICT_OFFICER,
            Role.INSPECTOR,
            Role.SCHOOL_ADMIN,
            Role.GRADE_LEADER,
            Role.HEAD_TEACHER,
            Role.SUBJECT_TEACHER,
            Role.GUARDIAN,
            Role.STUDENT,
        ):
            if role in self.roles:
                return role
        return None


ANONYMOUS = Actor(user_id=None)


def signed_in_user_id(actor: Actor) -> int:
    """The user id a write is recorded under; anonymous actors are told "not found"."""
    from qingfu.core.errors import NotFound

    if actor.user_id is None:
        raise NotFound()
    return actor.user_id
