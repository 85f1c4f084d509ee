"""Builds the rush scenario (run in its own process by bench_rush): a school of ~2,000
signed-up students with guardian accounts and API tokens, 40 clubs, the open round open.

Writes a JSON list of {"key": token, "body": {"student_id", "club_id"}} to argv[1].
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from io import StringIO
from pathlib import Path


def main(out: Path, families: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingfu.config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.utils import timezone

    from qingfu.afterschool.models import Club, Program, Seat, Signup
    from qingfu.core.models import ApiToken
    from qingfu.schools.models import Guardian, GuardianLink, Student

    call_command("migrate", verbosity=0)
    per_class = max(1, round(families / 9 / 5))
    call_command(
        "demo", "--classes-per-grade", "5", "--students-per-class", str(per_class),
        "--weeks", "1", "--today", "2026-11-23", stdout=StringIO(),
    )  # fmt: skip
    program = Program.objects.get()
    school = program.school
    rng = random.Random(7)
    students = list(
        Student.objects.filter(school=school).select_related("school_class__grade")[:families]
    )
    # Every family signs up, has an account and a token.
    Seat.objects.all().delete()
    Signup.objects.all().delete()
    Signup.objects.bulk_create(
        Signup(
            school=school, program=program, student=s, weekdays=[0, 1, 2, 3, 4],
            last_segment=2, valid_from=dt.date(2026, 9, 7),
            consent_by=User.objects.get(username="principal"),
        )
        for s in students
    )  # fmt: skip
    users = User.objects.bulk_create(User(username=f"rush{s.pk}") for s in students)
    guardians = Guardian.objects.bulk_create(
        Guardian(school=school, user=u, name=f"家长{k}", phone=f"139{k:08d}")
        for k, u in enumerate(users)
    )
    GuardianLink.objects.bulk_create(
        GuardianLink(school=school, guardian=g, student=s, relationship="母亲")
        for g, s in zip(guardians, students, strict=True)
    )
    keys = [f"qf_rush_{s.pk}_{rng.getrandbits(64):x}" for s in students]
    ApiToken.objects.bulk_create(
        ApiToken(user=u, name="rush", key_hash=ApiToken.hash_key(k))
        for u, k in zip(users, keys, strict=True)
    )
    # 40 clubs over both segments and all grades, ~80% as many seats as requests.
    Club.objects.filter(program=program).delete()
    segments = list(program.segments.all())
    teacher = school.teachers.first()
    bands = [(1, 3), (1, 6), (3, 6), (4, 9), (7, 9), (1, 9), (5, 9), (2, 5)]
    clubs = [
        Club.objects.create(
            school=school, program=program, segment=segments[k % 2], name=f"社团{k + 1:02d}",
            category="sports", grade_from=bands[k % 8][0], grade_to=bands[k % 8][1],
            capacity=40, weekdays=[k % 5], instructor_kind="teacher",
            instructor_teacher=teacher, instructor_name=teacher.name if teacher else "",
        )
        for k in range(40)
    ]  # fmt: skip
    plan = []
    for student, key in zip(students, keys, strict=True):
        grade = student.school_class.grade.number
        eligible = [c for c in clubs if c.grade_from <= grade <= c.grade_to]
        # Popular clubs draw most requests (weight falls with the club's number).
        club = rng.choices(eligible, weights=[1 / (1 + int(c.name[2:])) for c in eligible])[0]
        plan.append({"key": key, "body": {"student_id": student.pk, "club_id": club.pk}})
    program.phase = Program.Phase.OPEN
    program.open_round_at = timezone.now() - dt.timedelta(hours=1)
    program.open_round_settled = True
    program.save()
    out.write_text(json.dumps(plan))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
