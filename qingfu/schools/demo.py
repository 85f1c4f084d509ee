"""A deterministic demo: a nine-year school (or a district of schools) with real-looking people.

Everything is drawn from one seeded ``random.Random``, so the same seed gives the same
school, names and numbers on every machine. Passwords are hashed once and shared, which
keeps building a 100-school district to minutes rather than hours.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from qingfu.core.roles import Role
from qingfu.schools.models import (
    District,
    Grade,
    GradeGroup,
    Guardian,
    GuardianLink,
    RoleGrant,
    School,
    SchoolClass,
    Semester,
    Student,
    Subject,
    Teacher,
    TeachingAssignment,
)
from qingfu.schools.people import SURNAMES, Names, PhoneBook, birth_for_grade, national_id
from qingfu.schools.services import school_create

# Weekly lessons per subject by grade (义务教育课程方案 2022, a typical timetable).
WEEKLY_LESSONS: dict[str, tuple[int, ...]] = {
    #            g1 g2 g3 g4 g5 g6 g7 g8 g9
    "morality": (2, 2, 2, 2, 3, 3, 2, 2, 3),
    "chinese": (8, 8, 7, 7, 6, 6, 5, 5, 5),
    "math": (4, 5, 5, 5, 5, 5, 5, 5, 5),
    "english": (0, 0, 3, 3, 3, 3, 4, 4, 4),
    "science": (1, 1, 2, 2, 2, 2, 0, 0, 0),
    "history": (0, 0, 0, 0, 0, 0, 2, 2, 2),
    "geography": (0, 0, 0, 0, 0, 0, 2, 2, 0),
    "biology": (0, 0, 0, 0, 0, 0, 2, 2, 0),
    "physics": (0, 0, 0, 0, 0, 0, 0, 3, 3),
    "chemistry": (0, 0, 0, 0, 0, 0, 0, 0, 3),
    "it": (0, 0, 1, 1, 1, 1, 1, 1, 0),
    "pe": (4, 4, 3, 3, 3, 3, 3, 3, 3),
    "music": (2, 2, 2, 2, 2, 2, 1, 1, 1),
    "art": (2, 2, 2, 2, 2, 2, 1, 1, 1),
    "labor": (1, 1, 1, 1, 1, 1, 1, 1, 1),
    "practice": (1, 1, 1, 1, 1, 1, 1, 1, 1),
}
# How many classes one teacher takes: core subjects stay within a grade.
CLASSES_PER_TEACHER = {"chinese": (1, 2), "math": (2, 2), "english": (3, 2)}  # (primary, junior)
TARGET_LESSONS = 14

AUTUMN_2026 = ("2026—2027学年第一学期", dt.date(2026, 9, 1), dt.date(2027, 1, 22))
SPRING_2026 = ("2025—2026学年第二学期", dt.date(2026, 3, 2), dt.date(2026, 7, 3))
# Registered ahead, as schools do, so next semester's after-school choices can open now.
SPRING_2027 = ("2026—2027学年第二学期", dt.date(2027, 3, 1), dt.date(2027, 7, 2))


@dataclass
class DemoAccounts:
    """The sign-in names printed for a new user, one per role."""

    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (role label, username, who)


@dataclass
class BuildOptions:
    seed: int = 2026
    schools: int = 1
    classes_per_grade: int = 4
    students_per_class: int = 45
    # The day the demo's activity runs up to (default: today in Asia/Shanghai).
    today: dt.date | None = None
    weeks: int = 6  # how many weeks of activity before ``today``


def build(options: BuildOptions) -> DemoAccounts:
    rng = random.Random(options.seed)
    password = make_password(_demo_password())
    accounts = DemoAccounts()
    with transaction.atomic():
        district = District.objects.create(
            name="青禾区", code="330199", province="浙江省", city="江南市"
        )
        phones = PhoneBook(rng)
        for index in range(options.schools):
            stage = (
                School.Stage.NINE_YEAR
                if index == 0
                else (School.Stage.PRIMARY if index % 3 else School.Stage.JUNIOR)
            )
            name = "青禾实验学校" if index == 0 else _school_name(rng, index, stage)
            school = school_create(
                district=district, name=name, code=f"Q{index + 1:04d}", stage=stage
            )
            _build_school(
                rng, school, index, options, password, phones, accounts if index == 0 else None
            )
        officer = _user("district", "教育局 周主任", password)
        RoleGrant.objects.create(user=officer, role=Role.DISTRICT_OFFICER, district=district)
        accounts.rows.append((str(Role.DISTRICT_OFFICER.label), "district", officer.first_name))
        inspector = _user("inspector", "责任督学 林督学", password)
        first_schools = School.objects.filter(district=district).order_by("code")[:3]
        RoleGrant.objects.bulk_create(
            RoleGrant(user=inspector, role=Role.INSPECTOR, school=s) for s in first_schools
        )
        accounts.rows.append((str(Role.INSPECTOR.label), "inspector", inspector.first_name))
        _build_activity(options, district)
        accounts.rows += _build_district_activity(options, district)
    return accounts


def _build_activity(options: BuildOptions, district: District) -> None:
    """Run every module's activity builder on every school, each with its own seed."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from qingfu.schools.calendars import local_today, today_pinned

    today = options.today or local_today()
    builders = [import_string(path) for path in settings.QINGFU_DEMO_ACTIVITIES]
    # The services the builders call see the demo's day as today, not the machine's.
    with today_pinned(today):
        for index, school in enumerate(School.objects.filter(district=district).order_by("code")):
            for builder in builders:
                builder(
                    random.Random(options.seed * 1000 + index), school, today, weeks=options.weeks
                )


def _build_district_activity(
    options: BuildOptions, district: District
) -> list[tuple[str, str, str]]:
    """Run the builders of what a district holds beyond its schools (the county's offices,
    towns and their demands; the training registry), each ``f(rng, district, today)``
    returning the rows of the demo accounts it made."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    from qingfu.schools.calendars import local_today, today_pinned

    today = options.today or local_today()
    rows: list[tuple[str, str, str]] = []
    with today_pinned(today):
        for path in settings.QINGFU_DEMO_DISTRICT_ACTIVITIES:
            rows += import_string(path)(random.Random(options.seed), district, today)
    return rows


def _demo_password() -> str:
    from django.conf import settings

    return str(settings.QINGFU_DEMO_PASSWORD)


def _school_name(rng: random.Random, index: int, stage: str) -> str:
    places = [
        "东湖",
        "西岭",
        "南塘",
        "北苑",
        "文澜",
        "明德",
        "育英",
        "崇文",
        "启明",
        "春晖",
        "翠苑",
        "金沙",
        "清泉",
        "星河",
        "长庆",
        "青云",
    ]
    place = places[index % len(places)]
    suffix = {"primary": "小学", "junior": "中学", "nine_year": "学校"}[stage]
    return f"青禾区{place}{suffix}" + (
        f"（{index // len(places) + 1}校区）" if index >= len(places) else ""
    )


def _user(username: str, display: str, password: str) -> User:
    return User.objects.create(username=username, first_name=display, password=password)


def _build_school(
    rng: random.Random,
    school: School,
    index: int,
    options: BuildOptions,
    password: str,
    phones: PhoneBook,
    accounts: DemoAccounts | None,
) -> None:
    names = Names(rng)
    grades = list(Grade.objects.filter(school=school).order_by("number"))
    classes: list[SchoolClass] = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, grade=g, number=n)
        for g in grades
        for n in range(1, options.classes_per_grade + 1)
    )
    if classes[0].pk is None:
        classes = list(
            SchoolClass.objects.filter(school=school).order_by("grade__number", "number")
        )
    grade_of = {g.pk: g.number for g in grades}
    subjects = {s.code: s for s in Subject.objects.filter(school=school)}

    # Teachers and their assignments.
    staff: list[Teacher] = []
    plan: list[tuple[int, int, str, int]] = []  # (teacher index, class idx, subject, lessons)

    def new_teacher() -> int:
        gender = "F" if rng.random() < 0.72 else "M"
        staff.append(
            Teacher(
                school=school,
                name=names.adult(gender),
                staff_no=f"{school.code}{len(staff) + 1:03d}",
                phone=phones.new(),
            )
        )
        return len(staff) - 1

    for code, per_grade in WEEKLY_LESSONS.items():
        if code not in subjects:
            continue
        taught = [(i, c) for i, c in enumerate(classes) if per_grade[grade_of[c.grade_id] - 1] > 0]
        if code in CLASSES_PER_TEACHER:
            for stage_junior in (False, True):
                k = CLASSES_PER_TEACHER[code][int(stage_junior)]
                for g in grades:
                    if (g.number >= 7) != stage_junior:
                        continue
                    in_grade = [(i, c) for i, c in taught if c.grade_id == g.pk]
                    for start in range(0, len(in_grade), k):
                        t = new_teacher()
                        for i, _ in in_grade[start : start + k]:
                            plan.append((t, i, code, per_grade[g.number - 1]))
        else:
            t, load = -1, 10**6  # the first class always opens a new teacher
            for i, c in taught:
                lessons = per_grade[grade_of[c.grade_id] - 1]
                if load + lessons > TARGET_LESSONS + 2:
                    t, load = new_teacher(), 0
                plan.append((t, i, code, lessons))
                load += lessons
    staff = Teacher.objects.bulk_create(staff)
    if staff[0].pk is None:
        staff = list(Teacher.objects.filter(school=school).order_by("staff_no"))
    users = User.objects.bulk_create(
        User(username=t.staff_no.lower(), first_name=t.name, password=password) for t in staff
    )
    if users[0].pk is None:
        by_name = {
            u.username: u
            for u in User.objects.filter(username__in=[t.staff_no.lower() for t in staff])
        }
        users = [by_name[t.staff_no.lower()] for t in staff]
    for teacher, account in zip(staff, users, strict=True):
        teacher.user = account
    Teacher.objects.bulk_update(staff, ["user"])
    TeachingAssignment.objects.bulk_create(
        TeachingAssignment(
            school=school,
            teacher=staff[t],
            school_class=classes[i],
            subject=subjects[code],
            weekly_lessons=lessons,
        )
        for t, i, code, lessons in plan
    )

    # Head teachers: the Chinese teacher in primary; Chinese, maths or English in junior.
    by_class_subject = {(i, code): staff[t] for t, i, code, _ in plan}
    for i, c in enumerate(classes):
        if grade_of[c.grade_id] <= 6:
            c.head_teacher = by_class_subject[(i, "chinese")]
        else:
            c.head_teacher = by_class_subject[(i, ("chinese", "math", "english")[c.number % 3])]
    SchoolClass.objects.bulk_update(classes, ["head_teacher"])
    groups = {g.grade_id: g for g in GradeGroup.objects.filter(school=school)}
    for g in grades:
        in_grade = [(i, c) for i, c in enumerate(classes) if c.grade_id == g.pk]
        group = groups[g.pk]
        group.leader = in_grade[0][1].head_teacher
        group.cadre = by_class_subject[(in_grade[-1][0], "math")]
    GradeGroup.objects.bulk_update(list(groups.values()), ["leader", "cadre"])

    for semester_name, first_day, last_day in (SPRING_2026, AUTUMN_2026, SPRING_2027):
        Semester.objects.create(school=school, name=semester_name, start=first_day, end=last_day)

    # Students and guardians.
    students: list[Student] = []
    family_of: list[int] = []
    families: list[list[tuple[str, str, str]]] = []  # guardians (name, relationship, phone)
    # A made-up region code per school (never the database id, so rebuilds are identical).
    region = f"33{(index + 1) % 100:02d}{(index + 1) // 100 % 100:02d}"
    born_on: dict[dt.date, int] = {}
    surnames: list[str] = []
    for c in classes:
        grade = grade_of[c.grade_id]
        size = options.students_per_class + rng.randint(-2, 2)
        for _ in range(size):
            gender = rng.choice("MF")
            birth = birth_for_grade(rng, grade, AUTUMN_2026[1])
            born_on[birth] = born_on.get(birth, -1) + 1
            student = Student(
                school=school,
                school_class=c,
                name="",
                gender=gender,
                birth_date=birth,
                national_id=national_id(region, birth, gender, born_on[birth]),
            )
            # About one child in twenty has an older sibling in the school.
            if families and rng.random() < 0.05:
                family = rng.randrange(len(families))
                surname = surnames[family]
            else:
                family = len(families)
                surname = rng.choice(SURNAMES)
                guardians = [(names.adult("M", surname), "父亲", phones.new())]
                if rng.random() < 0.85:
                    guardians.append((names.adult("F"), "母亲", phones.new()))
                if rng.random() < 0.08:
                    guardians[0] = (names.adult("M", surname), "祖父", guardians[0][2])
                families.append(guardians)
                surnames.append(surname)
            student.name = surname + names.child(gender)[1:]
            students.append(student)
            family_of.append(family)
    students = Student.objects.bulk_create(students, batch_size=1000)
    if students[0].pk is None:
        ids = dict(Student.objects.filter(school=school).values_list("national_id", "id"))
        for s in students:
            s.pk = ids[s.national_id]
    guardian_rows = Guardian.objects.bulk_create(
        (Guardian(school=school, name=n, phone=p) for fam in families for n, _, p in fam),
        batch_size=1000,
    )
    if guardian_rows and guardian_rows[0].pk is None:
        guardian_rows = list(Guardian.objects.filter(school=school).order_by("id"))
    by_phone = {g.phone: g for g in guardian_rows}
    GuardianLink.objects.bulk_create(
        (
            GuardianLink(school=school, guardian=by_phone[p], student=s, relationship=rel)
            for s, fam in zip(students, family_of, strict=True)
            for _, rel, p in families[fam]
        ),
        batch_size=1000,
    )

    admin = _user(
        f"principal{'' if accounts else school.code.lower()}", f"{school.name} 校长", password
    )
    RoleGrant.objects.create(user=admin, role=Role.SCHOOL_ADMIN, school=school)
    if accounts is None:
        return
    _name_demo_accounts(school, classes, students, staff, password, accounts, admin)


def _rename(user: User, username: str) -> User:
    user.username = username
    user.save(update_fields=["username"])
    return user


def _name_demo_accounts(
    school: School,
    classes: list[SchoolClass],
    students: list[Student],
    staff: list[Teacher],
    password: str,
    accounts: DemoAccounts,
    admin: User,
) -> None:
    """Give the people a new user is most likely to try easy-to-type names."""
    accounts.rows.append((str(Role.SCHOOL_ADMIN.label), admin.username, admin.first_name))
    grade3 = [c for c in classes if c.grade.number == 3]
    three_two = grade3[min(1, len(grade3) - 1)]
    group = GradeGroup.objects.select_related("leader__user").get(
        grade__school=school, grade__number=3
    )
    assert group.leader is not None and group.leader.user is not None
    leader = _rename(group.leader.user, "leader3")
    accounts.rows.append(
        (str(Role.GRADE_LEADER.label), leader.username, f"{group.leader.name}（三年级组长）")
    )
    assert three_two.head_teacher_id is not None
    head = Teacher.objects.select_related("user").get(pk=three_two.head_teacher_id)
    assert head.user is not None
    _rename(head.user, "head32")
    accounts.rows.append(
        (str(Role.HEAD_TEACHER.label), "head32", f"{head.name}（{three_two.name}班主任）")
    )
    math = (
        TeachingAssignment.objects.filter(school_class=three_two, subject__code="math")
        .select_related("teacher__user")
        .get()
    )
    assert math.teacher.user is not None
    _rename(math.teacher.user, "math32")
    accounts.rows.append(
        (str(Role.SUBJECT_TEACHER.label), "math32", f"{math.teacher.name}（{three_two.name}数学）")
    )
    child = next(s for s in students if s.school_class_id == three_two.pk)
    child_user = _user("student32", child.name, password)
    Student.objects.filter(pk=child.pk).update(user=child_user)
    accounts.rows.append(
        (str(Role.STUDENT.label), "student32", f"{child.name}（{three_two.name}）")
    )
    link = (
        GuardianLink.objects.select_related("guardian")
        .filter(student_id=child.pk)
        .order_by("id")[0]
    )
    parent_user = _user("parent32", link.guardian.name, password)
    Guardian.objects.filter(pk=link.guardian_id).update(user=parent_user)
    accounts.rows.append(
        (
            str(Role.GUARDIAN.label),
            "parent32",
            f"{link.guardian.name}（{child.name}的{link.relationship}）",
        )
    )


def iter_fingerprint() -> Iterator[str]:
    """A stable listing of the demo's people, to prove two builds are the same."""
    for s in Student.objects.order_by("national_id").values_list(
        "national_id", "name", "school_class__grade__number", "school_class__number"
    ):
        yield "|".join(map(str, s))
    for t in TeachingAssignment.objects.order_by(
        "school_class__grade__number", "school_class__number", "subject__code"
    ).values_list(
        "school_class__grade__number", "school_class__number", "subject__code", "teacher__name"
    ):
        yield "|".join(map(str, t))


DEMO_USERNAMES = (
    "principal",
    "leader3",
    "head32",
    "math32",
    "student32",
    "parent32",
    "district",
    "inspector",
    "training",
    "inst1",
    "clerk",
    "leader",
    "jianfu",
    "town1",
    "village1",
)


def existing_accounts() -> list[tuple[str, str, str]]:
    """The demo accounts present in the database, for printing again on later runs."""
    actor_roles = {
        "principal": Role.SCHOOL_ADMIN,
        "leader3": Role.GRADE_LEADER,
        "head32": Role.HEAD_TEACHER,
        "math32": Role.SUBJECT_TEACHER,
        "student32": Role.STUDENT,
        "parent32": Role.GUARDIAN,
        "district": Role.DISTRICT_OFFICER,
        "inspector": Role.INSPECTOR,
        "training": Role.TRAINING_OFFICER,
        "inst1": Role.INSTITUTION_STAFF,
        "clerk": Role.ISSUER_CLERK,
        "leader": Role.ISSUER_LEADER,
        "jianfu": Role.CAMPAIGN_OFFICER,
        "town1": Role.RECEIVER,
        "village1": Role.RECEIVER,
    }
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    return [
        (str(actor_roles[name].label), name, users[name].first_name)
        for name in DEMO_USERNAMES
        if name in users
    ]
