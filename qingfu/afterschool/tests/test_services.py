"""Program, survey, sign-up, preferences, the allocation run and the open round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qingfu.afterschool import selectors, services
from qingfu.afterschool.models import Club, Preference, Program, Seat, Signup
from qingfu.afterschool.tests.helpers import (
    T,
    actor,
    add_club,
    family,
    sign_up,
    standard_program,
)
from qingfu.core.errors import Forbidden, NotFound, ValidationFailed
from qingfu.policy.verdicts import Status
from qingfu.schools.models import Semester
from qingfu.schools.tests import factories as f


@pytest.fixture(autouse=True)
def _today(settings) -> None:
    settings.QINGFU_TODAY = "2026-09-01"


@pytest.fixture
def program(world) -> Program:
    return standard_program(world.users["admin_a"], world.a)


def _verdict(program: Program, rule_id: str):
    return next(v for v in selectors.program_verdicts(program) if v.rule_id == rule_id)


def test_program_is_checked_against_the_policy_profile(world, program) -> None:
    assert _verdict(program, "afterschool.days").status is Status.OK
    assert _verdict(program, "afterschool.duration").status is Status.OK
    assert _verdict(program, "afterschool.end").status is Status.OK
    short = services.program_save(
        actor=actor(world.users["admin_a"]),
        semester_id=program.semester_id,
        data=services.ProgramInput(
            weekdays=(0, 1, 2, 3),
            start=T(15, 40),
            end=T(17, 0),
            segments=((T(15, 40), T(17, 0)),),
        ),
    )
    assert _verdict(short, "afterschool.days").status is Status.VIOLATION
    assert _verdict(short, "afterschool.duration").measured == 80
    assert _verdict(short, "afterschool.end").status is Status.VIOLATION
    with pytest.raises(ValidationFailed):
        services.program_file(actor=actor(world.users["admin_a"]), program_id=short.pk)
    assert Program.objects.get(pk=short.pk).status == Program.Status.DRAFT


def test_a_segment_outside_the_service_hours_is_refused_and_nothing_changes(world, program) -> None:
    with pytest.raises(ValidationFailed) as err:
        services.program_save(
            actor=actor(world.users["admin_a"]),
            semester_id=program.semester_id,
            data=services.ProgramInput(
                weekdays=(0, 1, 2, 3, 4),
                start=T(15, 40),
                end=T(17, 50),
                segments=((T(15, 40), T(16, 40)), (T(16, 50), T(18, 30))),
            ),
        )
    assert "不在服务时间 15:40-17:50 内" in err.value.errors["segments"][0]
    assert [s.end for s in program.segments.all()] == [T(16, 40), T(17, 50)]


def test_only_the_schools_admin_edits_the_program(world, program) -> None:
    with pytest.raises(Forbidden):
        add_club(world.users["head31"], program, "足球", 20)
    with pytest.raises(NotFound):
        add_club(world.users["admin_b"], program, "足球", 20)


def test_club_seats_short_of_survey_demand_warn(world, program) -> None:
    program.phase = Program.Phase.SURVEY
    program.save()
    add_club(world.users["admin_a"], program, "足球", 1)
    for k, student in enumerate([world.s1, world.s2]):
        user = family(student, f"fam{k}")
        services.survey_answer(
            actor=actor(user),
            student_id=student.pk,
            participate=True,
            weekdays=(0, 1, 2, 3, 4),
            last_segment=1,
            interests=["sports"],
        )
    verdict = next(
        v for v in selectors.program_verdicts(program) if v.rule_id == "afterschool.club-seats"
    )
    assert verdict.status is Status.WARN
    assert verdict.message_zh == "第一时段社团共 1 个名额，少于希望参加社团的 2 名学生"
    grade3 = next(line for line in selectors.survey_summary(program) if line.label == "三年级")
    assert (grade3.students, grade3.answered, grade3.participate) == (2, 2, 2)
    assert grade3.interests["sports"] == 2
    by_class = {line.label: line for line in selectors.survey_summary(program, by_class=True)}
    assert (by_class["三年级(1)班"].answered, by_class["三年级(2)班"].answered) == (1, 1)


def test_capacity_below_seats_taken_is_refused(world, program) -> None:
    club = add_club(world.users["admin_a"], program, "足球", 3)
    for student in (world.s1, world.s2):
        Seat.objects.create(
            school=world.a,
            program=program,
            club=club,
            segment=club.segment,
            student=student,
            status=Seat.Status.ENROLLED,
            source=Seat.Source.ALLOCATION,
            requested_at=timezone.now(),
        )
    with pytest.raises(ValidationFailed) as err:
        services.club_save(
            actor=actor(world.users["admin_a"]),
            program_id=program.pk,
            club_id=club.pk,
            data=services.ClubInput(
                name="足球",
                category="sports",
                segment_id=club.segment_id,
                weekdays=(1, 3),
                grade_from=3,
                grade_to=6,
                capacity=1,
                instructor_kind="expert",
                instructor_name="外聘教练",
            ),
        )
    assert err.value.errors == {"capacity": ["名额 1 少于已录取的 2 人。"]}
    assert Club.objects.get(pk=club.pk).capacity == 3


def test_signup_changes_are_versioned_from_their_effective_date(world, program) -> None:
    user = world.users["guardian1"]
    sign_up(user, world.s1)
    services.signup_set(
        actor=actor(user),
        student_id=world.s1.pk,
        weekdays=(0, 2, 4),
        last_segment=1,
        effective_from=dt.date(2026, 10, 8),
    )
    versions = list(Signup.objects.filter(student=world.s1).order_by("id"))
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (dt.date(2026, 9, 7), dt.date(2026, 10, 8)),
        (dt.date(2026, 10, 8), None),
    ]
    assert selectors.current_signup(program, world.s1.pk, dt.date(2026, 9, 30)) == versions[0]
    assert selectors.current_signup(program, world.s1.pk, dt.date(2026, 10, 9)) == versions[1]
    with pytest.raises(ValidationFailed) as err:
        services.signup_withdraw(
            actor=actor(user), student_id=world.s1.pk, effective_from=dt.date(2026, 8, 31)
        )
    assert err.value.errors == {"effective_from": ["生效日期不能早于今天。"]}
    assert Signup.objects.filter(student=world.s1).count() == 2
    with pytest.raises(NotFound):  # not this guardian's child
        sign_up(user, world.s2)


def test_preferences_naming_an_ineligible_club_change_nothing(world, program) -> None:
    program.phase = Program.Phase.SIGNUP
    program.save()
    football = add_club(world.users["admin_a"], program, "足球", 10)
    robots = add_club(world.users["admin_a"], program, "机器人", 10, grades=(7, 9))
    user = world.users["guardian1"]
    sign_up(user, world.s1)
    segment = football.segment
    services.preferences_set(
        actor=actor(user), student_id=world.s1.pk, segment_id=segment.pk, club_ids=[football.pk]
    )
    with pytest.raises(ValidationFailed) as err:
        services.preferences_set(
            actor=actor(user),
            student_id=world.s1.pk,
            segment_id=segment.pk,
            club_ids=[robots.pk, football.pk],
        )
    assert "“机器人”面向7-9年级" in err.value.errors["club_ids"][0]
    assert list(Preference.objects.filter(student=world.s1).values_list("club_id", flat=True)) == [
        football.pk
    ]


def _allocation_world(world, program):
    """Six grade-3 pupils want 足球 (2 seats) first and 书法 (2 seats) second."""
    program.phase = Program.Phase.SIGNUP
    program.save()
    football = add_club(world.users["admin_a"], program, "足球", 2)
    calligraphy = add_club(world.users["admin_a"], program, "书法", 2)
    pupils = [f.StudentFactory(school_class=world.c31) for _ in range(6)]
    for k, pupil in enumerate(pupils):
        user = family(pupil, f"p{k}")
        sign_up(user, pupil)
        services.preferences_set(
            actor=actor(user),
            student_id=pupil.pk,
            segment_id=football.segment_id,
            club_ids=[football.pk, calligraphy.pk],
        )
    return football, calligraphy, pupils


def test_allocation_runs_reproducibly_and_is_adopted_as_seats(world, program) -> None:
    football, calligraphy, _pupils = _allocation_world(world, program)
    admin = actor(world.users["admin_a"])
    run = services.allocation_run(actor=admin, program_id=program.pk, seed="2026秋")
    assert run.report["seated"] == 4 and run.report["by_rank"] == [2, 2]
    again = services.allocation_run(actor=admin, program_id=program.pk, seed="2026秋")
    assert again.seats == run.seats and again.inputs_digest == run.inputs_digest
    serial = services.allocation_run(
        actor=admin, program_id=program.pk, mechanism="serial", seed="2026秋"
    )
    assert serial.report["by_rank"] == [2, 2]
    services.allocation_apply(actor=admin, run_id=run.pk)
    assert Seat.objects.filter(club=football, status="enrolled").count() == 2
    assert Seat.objects.filter(club=calligraphy, status="enrolled").count() == 2
    assert Program.objects.get(pk=program.pk).phase == Program.Phase.ALLOCATED
    # A preference changed after the run: the stale run cannot be adopted.
    program.refresh_from_db()
    program.phase = Program.Phase.SIGNUP
    program.save()
    pref = Preference.objects.filter(club=football).first()
    assert pref is not None
    pref.delete()
    with pytest.raises(ValidationFailed):
        services.allocation_apply(actor=admin, run_id=run.pk)


def test_open_round_window_is_a_lottery_then_first_come_first_served(world, program) -> None:
    football, _calligraphy, pupils = _allocation_world(world, program)
    admin = actor(world.users["admin_a"])
    services.open_round_start(actor=admin, program_id=program.pk, batch_minutes=5)
    families = [actor(p.guardian_links.get().guardian.user) for p in pupils]
    answers = [
        services.seat_request(actor=a, student_id=p.pk, club_id=football.pk)
        for a, p in zip(families[:4], pupils[:4], strict=True)
    ]
    assert {a.status for a in answers} == {"pending"}
    # "Settled at 21:18" is the school's wall-clock time, not UTC's 13:18 (issue 19, item 5).
    settles_at = answers[0].settles_at
    assert settles_at is not None and settles_at.utcoffset() == dt.timedelta(hours=8)
    # The window closes: the four are placed in lottery order, whatever order they came in.
    Program.objects.filter(pk=program.pk).update(
        open_round_at=timezone.now() - dt.timedelta(minutes=6)
    )
    program.refresh_from_db()
    assert services.open_round_settle(program_id=program.pk) == 4
    seed = program.open_round_seed
    from qingfu.afterschool.allocation import lottery_key

    by_lottery = sorted(pupils[:4], key=lambda p: lottery_key(seed, str(p.pk)))
    statuses = {s.student_id: s.status for s in Seat.objects.filter(club=football)}
    assert [statuses[p.pk] for p in by_lottery] == [
        "enrolled",
        "enrolled",
        "waitlisted",
        "waitlisted",
    ]
    # After the window: first come, first served, behind those already waiting.
    late = services.seat_request(actor=families[4], student_id=pupils[4].pk, club_id=football.pk)
    assert (late.status, late.position) == ("waitlisted", 3)
    # A seat given up goes to the head of the waitlist.
    leaving = Seat.objects.get(club=football, student=by_lottery[0])
    services.seat_withdraw(actor=families[pupils.index(by_lottery[0])], seat_id=leaving.pk)
    assert Seat.objects.get(club=football, student=by_lottery[2]).status == "enrolled"
    assert selectors.waitlist_position(Seat.objects.get(club=football, student=pupils[4])) == 2


def test_a_second_club_in_the_same_segment_is_refused_with_the_reason(world, program) -> None:
    football, calligraphy, pupils = _allocation_world(world, program)
    admin = actor(world.users["admin_a"])
    services.open_round_start(actor=admin, program_id=program.pk, batch_minutes=0)
    family_actor = actor(pupils[0].guardian_links.get().guardian.user)
    first = services.seat_request(actor=family_actor, student_id=pupils[0].pk, club_id=football.pk)
    assert first.status == "enrolled"
    second = services.seat_request(
        actor=family_actor, student_id=pupils[0].pk, club_id=calligraphy.pk
    )
    assert second.status == "refused" and "本时段已参加“足球”" in second.reason


def test_withdrawing_from_the_service_gives_up_club_seats(world, program) -> None:
    football, _c, pupils = _allocation_world(world, program)
    services.open_round_start(
        actor=actor(world.users["admin_a"]), program_id=program.pk, batch_minutes=0
    )
    families = [actor(p.guardian_links.get().guardian.user) for p in pupils]
    for a, p in zip(families[:3], pupils[:3], strict=True):
        services.seat_request(actor=a, student_id=p.pk, club_id=football.pk)
    services.signup_withdraw(
        actor=families[0], student_id=pupils[0].pk, effective_from=dt.date(2026, 9, 14)
    )
    assert Seat.objects.get(student=pupils[0]).status == "withdrawn"
    assert Seat.objects.get(student=pupils[2]).status == "enrolled"
    refused = services.seat_request(actor=families[0], student_id=pupils[0].pk, club_id=football.pk)
    assert refused.status == "refused" and refused.reason == "请先报名参加课后服务。"


def test_priority_comes_from_missing_the_first_choice_last_semester(world, program) -> None:
    football, _c, pupils = _allocation_world(world, program)
    admin = actor(world.users["admin_a"])
    run = services.allocation_run(actor=admin, program_id=program.pk, seed="s")
    services.allocation_apply(actor=admin, run_id=run.pk)
    missed = {
        p.pk
        for p in pupils
        if not Seat.objects.filter(student=p, club=football, status="enrolled").exists()
    }
    spring = Semester.objects.create(
        school=world.a,
        name="2026—2027学年第二学期",
        start=dt.date(2027, 2, 20),
        end=dt.date(2027, 7, 5),
    )
    nxt = Program.objects.create(
        school=world.a, semester=spring, weekdays=[0, 1, 2, 3, 4], start=T(15, 40), end=T(17, 50)
    )
    assert selectors.priority_students(nxt) == missed
    assert len(missed) == 4


def test_raising_capacity_promotes_the_waitlist_and_lowering_below_taken_is_refused(
    world, program
) -> None:
    football, _c, pupils = _allocation_world(world, program)
    admin = actor(world.users["admin_a"])
    services.open_round_start(actor=admin, program_id=program.pk, batch_minutes=0)
    for p in pupils[:4]:
        services.seat_request(
            actor=actor(p.guardian_links.get().guardian.user), student_id=p.pk, club_id=football.pk
        )
    assert Seat.objects.filter(club=football, status="waitlisted").count() == 2
    page = world.client("admin_a").post(
        "/afterschool/", {"action": "capacity", "club_id": football.pk, "capacity": "3"}
    )
    assert page.status_code == 302
    assert Seat.objects.filter(club=football, status="enrolled").count() == 3
    assert Seat.objects.get(club=football, status="waitlisted").student == pupils[3]
    with pytest.raises(ValidationFailed) as err:
        services.club_set_capacity(actor=admin, club_id=football.pk, capacity=2)
    assert err.value.errors == {"capacity": ["名额 2 少于已录取的 3 人。"]}
