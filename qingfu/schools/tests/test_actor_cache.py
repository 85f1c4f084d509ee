"""The actor's roles come from the versioned cache, and every change that gives or takes
a role is seen by the very next request: revocations must never wait for a cache."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from qingfu.conftest import World, committed
from qingfu.core.roles import Role
from qingfu.schools.actors import actor_for
from qingfu.schools.models import GradeGroup, GuardianLink, RoleGrant, TeachingAssignment
from qingfu.schools.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_cached_actor_costs_no_query(
    world: World, shared_reads: None, django_assert_num_queries: Callable[..., object]
) -> None:
    user = world.users["math3"]
    first = actor_for(user)
    with django_assert_num_queries(0):  # type: ignore[attr-defined]
        again = actor_for(user)
    assert again == first
    assert again.taught_class_ids == {world.c31.pk, world.c32.pk}
    assert again.display_name == "math3"


@pytest.mark.parametrize(
    "revoke",
    [
        "grant",
        "teaching",
        "head_teacher",
        "grade_leader",
        "guardian_link",
        "student_inactive",
        "child_inactive",
        "teacher_unlinked",
    ],
)
def test_a_revoked_role_is_gone_on_the_next_read(
    world: World, shared_reads: None, revoke: str
) -> None:
    who, lost = {
        "grant": ("admin_a", lambda a: world.a.pk in a.admin_school_ids),
        "teaching": ("math3", lambda a: world.c32.pk in a.taught_class_ids),
        "head_teacher": ("head31", lambda a: world.c31.pk in a.head_class_ids),
        "grade_leader": ("leader3", lambda a: Role.GRADE_LEADER in a.roles),
        "guardian_link": ("guardian1", lambda a: world.s1.pk in a.child_student_ids),
        "student_inactive": ("student1", lambda a: a.student_id == world.s1.pk),
        "child_inactive": ("guardian1", lambda a: world.s1.pk in a.child_student_ids),
        "teacher_unlinked": ("teacher7", lambda a: a.teacher_id is not None),
    }[revoke]
    user = world.users[who]
    assert lost(actor_for(user))
    assert lost(actor_for(user))  # now cached
    with committed():
        if revoke == "grant":
            RoleGrant.objects.get(user=user).delete()
        elif revoke == "teaching":
            TeachingAssignment.objects.get(teacher__user=user, school_class=world.c32).delete()
        elif revoke == "head_teacher":
            world.c31.head_teacher = None
            world.c31.save()
        elif revoke == "grade_leader":
            group = GradeGroup.objects.get(leader__user=user)
            group.leader = None
            group.save()
        elif revoke == "guardian_link":
            GuardianLink.objects.filter(guardian__user=user).delete()
        elif revoke in ("student_inactive", "child_inactive"):
            world.s1.is_active = False
            world.s1.save()
        else:
            teacher = user.teacher  # type: ignore[attr-defined]
            teacher.user = None
            teacher.save()
    assert not lost(actor_for(user))


def test_a_role_moved_to_another_user_leaves_the_first(world: World, shared_reads: None) -> None:
    """The grade group's leader changes hands, and a teacher record is linked to another
    account: the old holders lose the role, the new ones gain it."""
    old_leader, new_leader = world.users["leader3"], world.users["teacher7"]
    with committed():
        new_account = f.UserFactory()
    old_account = world.users["math3"]
    assert Role.GRADE_LEADER in actor_for(old_leader).roles
    assert Role.GRADE_LEADER not in actor_for(new_leader).roles
    assert actor_for(old_account).teacher_id is not None
    assert actor_for(new_account).teacher_id is None
    with committed():
        group = GradeGroup.objects.get(leader__user=old_leader)
        group.leader = new_leader.teacher  # type: ignore[attr-defined]
        group.save()
        teacher = old_account.teacher  # type: ignore[attr-defined]
        teacher.user = new_account
        teacher.save()
    fresh = User.objects.in_bulk([old_leader.pk, new_leader.pk, old_account.pk, new_account.pk])
    assert Role.GRADE_LEADER not in actor_for(fresh[old_leader.pk]).roles
    assert Role.GRADE_LEADER in actor_for(fresh[new_leader.pk]).roles
    assert actor_for(fresh[old_account.pk]).teacher_id is None  # as the next request reads it
    assert actor_for(fresh[new_account.pk]).taught_class_ids == {world.c31.pk, world.c32.pk}


def test_another_users_change_leaves_the_cached_roles(
    world: World, shared_reads: None, django_assert_num_queries: Callable[..., object]
) -> None:
    user = world.users["math3"]
    actor_for(user)
    with committed():
        RoleGrant.objects.create(user=world.users["teacher7"], role=Role.INSPECTOR, school=world.b)
        TeachingAssignment.objects.filter(teacher__user=world.users["head31"]).delete()
    with django_assert_num_queries(0):  # type: ignore[attr-defined]
        actor_for(user)


def test_a_granted_role_and_a_new_child_show_at_once(world: World, shared_reads: None) -> None:
    guardian = world.users["guardian1"]
    assert actor_for(guardian).child_student_ids == {world.s1.pk}
    with committed():
        sibling = f.StudentFactory(school_class=world.c32)
        f.link(guardian.guardian, sibling)  # type: ignore[attr-defined]
        RoleGrant.objects.create(user=guardian, role=Role.INSPECTOR, school=world.b)
    after = actor_for(guardian)
    assert after.child_student_ids == {world.s1.pk, sibling.pk}
    assert after.inspected_school_ids == {world.b.pk}


def test_what_a_rolled_back_change_showed_is_not_kept(world: World, shared_reads: None) -> None:
    """Read inside a transaction that grants a role, then rolled back: the role was never
    given, so no later read may see it."""
    user = world.users["teacher7"]
    assert Role.SCHOOL_ADMIN not in actor_for(user).roles
    with pytest.raises(RuntimeError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.SCHOOL_ADMIN, school=world.a)
        assert Role.SCHOOL_ADMIN in actor_for(user).roles  # reads its own change
        raise RuntimeError("rolled back")
    assert Role.SCHOOL_ADMIN not in actor_for(user).roles


def test_the_user_flags_are_read_fresh(world: World, shared_reads: None) -> None:
    user = world.users["officer_d1"]
    assert not actor_for(user).is_superuser
    user.is_superuser = True
    user.first_name = "周"
    user.save()
    found = actor_for(user)
    assert found.is_superuser
    assert found.display_name == "周"  # no teacher, student or guardian: the user's name


def test_an_edit_in_one_school_leaves_the_others_cached(
    world: World, shared_reads: None, django_assert_num_queries: Callable[..., object]
) -> None:
    """The roster is versioned per school: a student edited at school B leaves school A's
    class-days and A's people's roles in the cache (at district scale a global version
    would empty every school's entries on every edit)."""
    import datetime as dt

    from qingfu.homework import logs

    monday = dt.date(2026, 11, 23)
    teacher = world.users["math3"]
    actor_for(teacher)
    logs.class_day_for(world.c31, monday)
    with committed():
        world.sb.name = "改名"
        world.sb.save()
        f.StudentFactory(school_class=world.b31)
    with django_assert_num_queries(0):  # type: ignore[attr-defined]
        actor_for(teacher)
        logs.class_day_for(world.c31, monday)
    with committed():  # the same edit at school A is seen at once
        world.s2.is_active = False
        world.s2.save()
    assert world.s2.pk not in logs.class_day_for(world.c31, monday).students


def test_a_roster_import_gives_roles_at_once(world: World, shared_reads: None) -> None:
    """The import writes in bulk (no signals): a guardian it links to a child, and a
    student it brings back, have the role on their next request."""
    from qingfu.schools.services import roster_import

    guardian, student = world.users["guardian2"], world.s1
    with committed():
        student.is_active = False
        student.save()
    assert actor_for(world.users["student1"]).student_id is None
    before = actor_for(guardian).child_student_ids
    g1 = student.guardian_links.get().guardian
    g2 = guardian.guardian  # type: ignore[attr-defined]
    gender = "男" if student.gender == "M" else "女"
    csv = (
        "姓名,性别,出生日期,全国学籍号,年级,班级,监护人姓名,监护人关系,监护人电话,"
        "监护人2姓名,监护人2关系,监护人2电话\n"
        f"{student.name},{gender},{student.birth_date:%Y-%m-%d},{student.national_id},"
        f"三年级,1班,{g1.name},母亲,{g1.phone},{g2.name},父亲,{g2.phone}\n"
    )
    with committed():
        roster_import(
            actor=actor_for(world.users["admin_a"]),
            school_id=world.a.pk,
            filename="roster.csv",
            data=csv.encode(),
            today=student.birth_date.replace(year=2026),
        )
    fresh = User.objects.in_bulk([guardian.pk, student.user_id])  # as the next request reads them
    assert actor_for(fresh[student.user_id]).student_id == student.pk
    assert actor_for(fresh[guardian.pk]).child_student_ids == before | {student.pk}
