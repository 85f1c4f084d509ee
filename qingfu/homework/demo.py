"""Six weeks of realistic homework for the demo school(s).

Written straight into the tables (the demo must build a district in minutes), with the
same invariants the services keep: only school days get homework, grades 1-2 take home
no written work, most class-days stay under the cap, and the few that go over carry a
granted exception with the leader's reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from qingfu.homework.models import (
    Assignment,
    AssignmentClass,
    ClassDay,
    Item,
    LoadException,
    PlanEntry,
    WeeklyPlan,
)
from qingfu.homework.plans import MAX_PLANNED_MINUTES
from qingfu.policy.calendar import DayKind
from qingfu.schools.calendars import semester_calendar
from qingfu.schools.models import GradeGroup, School, SchoolClass, Semester, TeachingAssignment

# (content template, kind, place, minutes range, ability elements)
TASKS: dict[str, list[tuple[str, str, str, tuple[int, int], tuple[str, ...]]]] = {
    "chinese": [
        ("完成《同步练习》第 {n} 页", "written", "home", (10, 20), ("阅读", "规范书写")),
        ("第 {n} 课生字词听写准备，每个写两遍", "written", "home", (8, 12), ("识字", "规范书写")),
        ("朗读课文《第 {n} 课》三遍", "oral", "home", (10, 15), ("拼读",)),
        ("课外阅读 20 分钟并摘抄好词好句", "reading", "home", (20, 25), ("阅读",)),
        ("小练笔：写一写今天的一件小事", "written", "home", (15, 20), ("表达",)),
    ],
    "math": [
        ("口算练习第 {n} 组", "written", "home", (5, 10), ("计算",)),
        ("练习册第 {n} 页 1-6 题", "written", "home", (12, 20), ("计算", "思维")),
        ("预习第 {n} 单元例题", "reading", "home", (5, 10), ("阅读",)),
        ("课堂作业本第 {n} 页（课后服务时完成）", "written", "school", (15, 20), ("书写", "计算")),
    ],
    "english": [
        ("听读 Unit {n} 课文并跟读", "oral", "home", (10, 15), ("听说",)),
        ("抄写 Unit {n} 单词", "written", "home", (8, 12), ("词汇", "书写")),
        ("完成 Unit {n} 练习", "written", "home", (10, 15), ("阅读",)),
    ],
    "physics": [("完成第 {n} 节课后习题", "written", "home", (10, 20), ("计算", "思维"))],
    "biology": [("观察记录：家里植物的叶片", "practical", "home", (10, 15), ("观察",))],
    "history": [("梳理第 {n} 课时间线", "written", "home", (8, 12), ("时空观念",))],
    "chemistry": [("完成第 {n} 单元练习", "written", "home", (12, 18), ("计算",))],
    "morality": [("和家人聊一聊：垃圾分类", "practical", "home", (10, 15), ("践行",))],
}
LOWER_GRADES = {  # grades 1-2: no written homework to take home
    "chinese": [("朗读课文三遍，背诵第 {n} 首古诗", "oral", "home", (10, 15), ("拼读",))],
    "math": [("和家长玩一玩“凑十”口算游戏", "practical", "home", (10, 10), ("计算",))],
}
EXCEPTION_REASONS = (
    "单元复习，次日不布置书面作业",
    "期中复习周，已与其他学科协调",
    "作文当天完成，其他学科相应减少",
)


def build_activity(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    semester = Semester.objects.filter(school=school, start__lte=today, end__gte=today).first()
    if semester is None:
        return
    calendar = semester_calendar(semester)
    start = max(semester.start, today - dt.timedelta(weeks=weeks))
    days = [
        d for d in calendar.school_days(start, today) if calendar.day_kind(d) is DayKind.SCHOOL_DAY
    ]
    classes = list(SchoolClass.objects.filter(school=school).select_related("grade"))
    teachers = {
        (t.school_class_id, t.subject.code): (t.teacher_id, t.subject_id)
        for t in TeachingAssignment.objects.filter(school=school).select_related("subject")
    }
    leaders = {g.grade_id: g.leader_id for g in GradeGroup.objects.filter(school=school)}
    now = timezone.now()
    assignments: list[Assignment] = []
    pending_items: list[list[Item]] = []
    pending_targets: list[SchoolClass] = []
    exceptions: list[tuple[int, int, dt.date, int, int, int | None]] = []
    planned: dict[tuple[int, dt.date], int] = defaultdict(int)

    def add(school_class: SchoolClass, day: dt.date, code: str, item: Item) -> None:
        teacher_id, subject_id = teachers[(school_class.pk, code)]
        assignments.append(
            Assignment(
                school=school,
                teacher_id=teacher_id,
                subject_id=subject_id,
                date=day,
                due_on=day + dt.timedelta(days=1),
                status=Assignment.Status.PUBLISHED,
                published_at=now,
            )
        )
        pending_items.append([item])
        pending_targets.append(school_class)

    for day in days:
        for c in classes:
            grade = c.grade.number
            cap = 0 if grade <= 2 else (60 if grade <= 6 else 90)
            pool = LOWER_GRADES if grade <= 2 else TASKS
            subjects = [s for s in pool if (c.pk, s) in teachers]
            # Lower grades get something most days; others 3-4 subjects a day.
            count = 1 if grade <= 2 else min(len(subjects), rng.choice((2, 3, 3, 4)))
            total = 0
            over = grade > 2 and rng.random() < 0.02  # the rare heavy day
            for code in rng.sample(subjects, count):
                template, kind, place, (low, high), elements = rng.choice(pool[code])
                minutes = rng.randint(low, high)
                counted = kind == "written" and place == "home"
                budget = cap - total
                if counted and not over and minutes > budget:
                    if budget < 5:
                        continue
                    minutes = budget
                if counted:
                    total += minutes
                add(
                    c, day, code,
                    Item(
                        content=template.format(n=rng.randint(2, 30)), kind=kind,
                        tier=rng.choice(("basic", "basic", "extension")), minutes=minutes,
                        place=place, ability_elements=list(elements),
                    ),
                )  # fmt: skip
            if over:
                code = "math" if (c.pk, "math") in teachers else subjects[0]
                extra = cap - total + rng.randint(10, 20)
                add(
                    c, day, code,
                    Item(
                        content="单元复习卷", kind="written", tier="basic", minutes=extra,
                        place="home", ability_elements=["计算", "思维"],
                    ),
                )  # fmt: skip
                total += extra
                exceptions.append(
                    (len(assignments) - 1, c.pk, day, total, cap, leaders.get(c.grade_id))
                )
            planned[(c.pk, day)] = total
    created = Assignment.objects.bulk_create(assignments, batch_size=2000)
    if created and created[0].pk is None:  # backends that do not return ids
        created = list(Assignment.objects.filter(school=school).order_by("id"))
    items: list[Item] = []
    for assignment, its in zip(created, pending_items, strict=True):
        for item in its:
            item.assignment = assignment
            items.append(item)
    Item.objects.bulk_create(items, batch_size=2000)
    AssignmentClass.objects.bulk_create(
        (
            AssignmentClass(school=school, assignment=a, school_class=c, date=a.date)
            for a, c in zip(created, pending_targets, strict=True)
        ),
        batch_size=2000,
    )
    ClassDay.objects.bulk_create(
        (
            ClassDay(school=school, school_class_id=class_id, date=day, planned_minutes=minutes)
            for (class_id, day), minutes in planned.items()
        ),
        batch_size=2000,
    )
    LoadException.objects.bulk_create(
        LoadException(
            school=school,
            assignment=created[index],
            school_class_id=class_id,
            date=day,
            rule_ids=["hw.cap.g3-6" if cap == 60 else "hw.cap.g7-9"],
            measured=measured,
            limit=cap,
            request_reason=rng.choice(EXCEPTION_REASONS),
            status=LoadException.Status.GRANTED,
            decided_by_id=leader,
            decision_reason="同意，请次日减量",
            decided_at=now,
        )
        for index, class_id, day, measured, cap, leader in exceptions
    )


def build_time_logs(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    """Families on each day's sample panel log time (most of them: logging is never forced).

    Reported minutes follow each teacher's own habit of under- or over-estimating, so the
    calibration has something real to find; a few evenings run past bedtime.
    """
    from qingfu.homework.models import ClassLogging, TimeLog, TimeLogEntry
    from qingfu.homework.sampling import panel_for_day, panel_order
    from qingfu.schools.models import Student

    semester = Semester.objects.filter(school=school, start__lte=today, end__gte=today).first()
    if semester is None:
        return
    calendar = semester_calendar(semester)
    all_days = calendar.school_days(semester.start, today)
    start = max(semester.start, today - dt.timedelta(weeks=weeks))
    classes = list(SchoolClass.objects.filter(school=school).select_related("grade"))
    ClassLogging.objects.bulk_create(
        ClassLogging(
            school=school, school_class=c, mode=ClassLogging.Mode.SAMPLE, per_day=6, min_gap_days=5
        )
        for c in classes
    )
    habit: dict[int, float] = {}
    students: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for sid, class_id, gender in Student.objects.filter(school=school, is_active=True).values_list(
        "id", "school_class_id", "gender"
    ):
        students[class_id][gender].append(sid)
    orders = {c.pk: panel_order(students[c.pk], seed=c.pk) for c in classes}
    # The family already using the app (the student with an account) logs every evening,
    # asked or not; since the child began off-campus classes three weeks ago, homework on
    # those evenings (Mon, Wed, Thu) starts late and ends after bedtime: the head teacher
    # is told of it.
    keen = dict(
        Student.objects.filter(school=school, user__isnull=False).values_list(
            "school_class_id", "id"
        )
    )
    # (class, day) → [(subject id, estimated home minutes, teacher id)]
    homework: dict[tuple[int, dt.date], dict[int, tuple[int, int]]] = defaultdict(dict)
    rows = Item.objects.filter(assignment__school=school, place="home", assignment__status="published").values_list(
        "assignment__targets__school_class_id", "assignment__targets__date", "assignment__subject_id",
        "assignment__teacher_id", "minutes",
    )  # fmt: skip
    for class_id, day, subject_id, teacher_id, minutes in rows:
        est, _ = homework[(class_id, day)].get(subject_id, (0, teacher_id))
        homework[(class_id, day)][subject_id] = (est + minutes, teacher_id)
    logs: list[TimeLog] = []
    entries: list[list[TimeLogEntry]] = []
    for index, day in enumerate(all_days):
        if day < start:
            continue
        for c in classes:
            day_homework = homework.get((c.pk, day))
            if not day_homework:
                continue
            try:
                panel = panel_for_day(orders[c.pk], day_index=index, per_day=6, min_gap=5)
            except ValueError:
                continue
            bedtime = dt.time(21, 20) if c.grade.number <= 6 else dt.time(22, 0)
            keen_here = keen.get(c.pk) if day < today else None
            for sid in sorted({*panel} | ({keen_here} if keen_here else set())):
                if sid != keen_here and rng.random() > 0.85:
                    continue
                at_school_share = 0.45 if c.grade.number <= 6 else 0.3
                lines = []
                total = 0
                for subject_id, (estimated, teacher_id) in day_homework.items():
                    ratio = habit.setdefault(teacher_id, max(0.7, rng.gauss(1.2, 0.18)))
                    minutes = max(1, round(estimated * ratio * rng.lognormvariate(0, 0.2)))
                    total += minutes
                    lines.append(
                        TimeLogEntry(
                            subject_id=subject_id,
                            minutes=minutes,
                            estimated_minutes=estimated,
                            # Some homework gets done in the after-school homework help.
                            at_school=at_school_share > rng.random(),
                        )
                    )
                start_minutes = (
                    18 * 60 + 40 + rng.randint(-30, 40) + (40 if c.grade.number >= 7 else 0)
                )
                if sid == keen_here and day.weekday() in (0, 2, 3) and (today - day).days < 21:
                    start_minutes = 21 * 60 + rng.randint(0, 10)
                end = start_minutes + total
                finished = dt.time(min(end // 60, 23), end % 60)
                logs.append(
                    TimeLog(
                        school=school,
                        student_id=sid,
                        school_class=c,
                        date=day,
                        finished_at=finished,
                        is_late=finished > bedtime,
                        was_sampled=sid in panel,
                    )
                )
                entries.append(lines)
    created = TimeLog.objects.bulk_create(logs, batch_size=2000)
    if created and created[0].pk is None:
        by_key = {(t.student_id, t.date): t for t in TimeLog.objects.filter(school=school)}
        created = [by_key[(t.student_id, t.date)] for t in logs]
    flat: list[TimeLogEntry] = []
    for log, lines in zip(created, entries, strict=True):
        for line in lines:
            line.log = log
            flat.append(line)
    TimeLogEntry.objects.bulk_create(flat, batch_size=5000)
    # Calibration totals and alerts follow with the rollups (oversight.demo.build_rollups).


def build_weekly_plans(rng: random.Random, school: School, today: dt.date, weeks: int = 6) -> None:
    """Published weekly plans (作业公示) for every week of the demo's homework up to this
    one, as the grade groups would have approved them the Friday before: each class's
    at-home written minutes per subject and day, taken from what was then set. One grade
    misses one week, as happens in a real school, so the gap shows on boards and reports."""
    semester = Semester.objects.filter(school=school, start__lte=today, end__gte=today).first()
    if semester is None:
        return
    rows = (
        Item.objects.filter(
            assignment__school=school,
            assignment__status=Assignment.Status.PUBLISHED,
            kind="written",
            place="home",
            is_mandatory=True,
            assignment__targets__date__lte=today,
        )
        .values_list(
            "assignment__targets__school_class_id",
            "assignment__subject_id",
            "assignment__targets__date",
            "minutes",
            "content",
        )
        .order_by("assignment_id", "position")
    )
    minutes: dict[tuple[int, int, dt.date], int] = defaultdict(int)
    contents: dict[tuple[int, int, dt.date], str] = {}
    for class_id, subject_id, day, value, content in rows:
        minutes[(class_id, subject_id, day)] += value
        contents.setdefault((class_id, subject_id, day), content[:100])
    grade_of = dict(SchoolClass.objects.filter(school=school).values_list("id", "grade_id"))
    mondays = sorted({day - dt.timedelta(days=day.weekday()) for _, _, day in minutes})
    if not mondays:
        return
    groups = {g.grade_id: g for g in GradeGroup.objects.filter(school=school)}
    missed = (rng.choice(sorted(groups)), rng.choice(mondays[:-1] or mondays))
    plans = [
        WeeklyPlan(
            school=school,
            grade_id=grade_id,
            week_start=monday,
            status=WeeklyPlan.Status.APPROVED,
            leader_approved_by_id=group.leader_id,
            cadre_approved_by_id=group.cadre_id,
            published_at=timezone.make_aware(
                dt.datetime.combine(monday - dt.timedelta(days=3), dt.time(17, 10))
            ),
        )
        for monday in mondays
        for grade_id, group in sorted(groups.items())
        if (grade_id, monday) != missed
    ]
    WeeklyPlan.objects.bulk_create(plans)
    by_key = {
        (p.grade_id, p.week_start): p
        for p in WeeklyPlan.objects.filter(school=school, week_start__in=mondays)
    }
    PlanEntry.objects.bulk_create(
        (
            PlanEntry(
                school=school,
                plan=by_key[(grade_of[class_id], day - dt.timedelta(days=day.weekday()))],
                school_class_id=class_id,
                subject_id=subject_id,
                date=day,
                minutes=min(value, MAX_PLANNED_MINUTES),
                content=contents[(class_id, subject_id, day)],
            )
            for (class_id, subject_id, day), value in minutes.items()
            if (grade_of[class_id], day - dt.timedelta(days=day.weekday())) in by_key
        ),
        batch_size=2000,
    )


def build_expected_alerts(
    rng: random.Random, school: School, today: dt.date, weeks: int = 6
) -> None:
    """The evening check of the next school day's homework (``qingfu expected_alerts``),
    once calibration is built from the demo's logs. Before it, ``math32`` adds a practice
    sheet for that day: within the cap on paper, over it by what families report, so
    the publish itself alerts the grade leader (``leader3``)."""
    from qingfu.core.errors import ValidationFailed
    from qingfu.homework.cache import day_kind
    from qingfu.homework.data import HomeworkDraft, ItemDraft
    from qingfu.homework.services import PublishBlocked, expected_alerts_for_day, homework_publish
    from qingfu.schools.actors import actor_for
    from qingfu.schools.models import TeachingAssignment

    day = next(
        (
            today + dt.timedelta(days=n)
            for n in range(1, 8)
            if day_kind(school.pk, today + dt.timedelta(days=n)) is DayKind.SCHOOL_DAY
        ),
        None,
    )
    if day is None:
        return
    teaching = (
        TeachingAssignment.objects.filter(
            school=school,
            teacher__user__username="math32",
            subject__code="math",
            school_class__students__user__username="student32",
        )
        .select_related("teacher__user")
        .first()
    )
    if teaching is not None and teaching.teacher.user is not None:
        review = ItemDraft(
            content="单元复习卷（周五单元练习前）",
            kind="written",
            tier="basic",
            minutes=45,
            place="home",
        )
        draft = HomeworkDraft(teaching.subject_id, (teaching.school_class_id,), day, day, (review,))
        with contextlib.suppress(PublishBlocked, ValidationFailed):
            homework_publish(actor=actor_for(teaching.teacher.user), draft=draft)
    expected_alerts_for_day(school_id=school.pk, day=day)
