"""What each role has to do today: the sections of the home page, built from records.

Every figure and to-do here is computed from the school's records at request time; a later
module (homework, after-school …) adds its own sections beside these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qingfu.afterschool import attendance
from qingfu.afterschool import selectors as afterschool_selectors
from qingfu.burden import selectors as burden_selectors
from qingfu.burden.models import Demand
from qingfu.core.actor import Actor
from qingfu.core.models import AuditEntry
from qingfu.core.roles import Role
from qingfu.homework import logs
from qingfu.homework import selectors as homework_selectors
from qingfu.homework.models import Alert, TimeLog
from qingfu.inspections import selectors as inspection_selectors
from qingfu.reports import teacher_load
from qingfu.schools import selectors
from qingfu.schools.calendars import DayInfo, day_info, local_now
from qingfu.schools.models import (
    GradeGroup,
    SchoolClass,
    Student,
    Subject,
    Teacher,
    TeachingAssignment,
)
from qingfu.surveys import selectors as survey_selectors
from qingfu.training import selectors as training_selectors
from qingfu.web import duty


@dataclass
class Todo:
    text: str
    url: str = ""


@dataclass
class Section:
    role: Role
    title: str
    template: str
    todos: list[Todo] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)
    # Shown when the section's checks found nothing to do.
    checks_done: str = ""


def _uncovered_subjects(class_ids: list[int]) -> list[tuple[SchoolClass, Subject]]:
    """Class × subject pairs taught in the class's grade that have no teacher assigned."""
    classes = list(SchoolClass.objects.filter(id__in=class_ids).select_related("grade"))
    if not classes:
        return []
    school_ids = {c.school_id for c in classes}
    subjects = list(Subject.objects.filter(school_id__in=school_ids, is_active=True))
    covered = set(
        TeachingAssignment.objects.filter(school_class_id__in=class_ids).values_list(
            "school_class_id", "subject_id"
        )
    )
    return [
        (c, s)
        for c in classes
        for s in subjects
        if s.school_id == c.school_id
        and s.is_taught_in(c.grade.number)
        and (c.pk, s.pk) not in covered
    ]


def _students_without_guardian(class_ids: list[int]) -> int:
    return (
        Student.objects.filter(school_class_id__in=class_ids, is_active=True)
        .annotate(n=Count("guardian_links"))
        .filter(n=0)
        .count()
    )


def _class_todos(class_ids: list[int]) -> list[Todo]:
    todos: list[Todo] = []
    no_head = list(
        SchoolClass.objects.filter(id__in=class_ids, head_teacher__isnull=True).select_related(
            "grade"
        )
    )
    if no_head:
        names = "、".join(c.name for c in no_head[:5]) + ("…" if len(no_head) > 5 else "")
        todos.append(
            Todo(
                ngettext(
                    "%(n)d 个班级尚未指定班主任：%(names)s",
                    "%(n)d 个班级尚未指定班主任：%(names)s",
                    len(no_head),
                )
                % {"n": len(no_head), "names": names}
            )
        )
    uncovered = _uncovered_subjects(class_ids)
    if uncovered:
        sample = "、".join(f"{c.name}{s.name}" for c, s in uncovered[:4])
        todos.append(
            Todo(
                ngettext(
                    "%(n)d 门班级课程尚未安排任课教师，如 %(sample)s",
                    "%(n)d 门班级课程尚未安排任课教师，如 %(sample)s",
                    len(uncovered),
                )
                % {"n": len(uncovered), "sample": sample}
            )
        )
    orphans = _students_without_guardian(class_ids)
    if orphans:
        todos.append(
            Todo(
                ngettext("%(n)d 名学生没有登记监护人", "%(n)d 名学生没有登记监护人", orphans)
                % {"n": orphans}
            )
        )
    return todos


def _alert_todo(actor: Actor) -> list[Todo]:
    unread = Alert.objects.filter(recipient_id=actor.teacher_id, read_at__isnull=True).count()
    if not unread:
        return []
    return [
        Todo(
            ngettext("%(n)d 条作业提醒（超量、晚睡）", "%(n)d 条作业提醒（超量、晚睡）", unread)
            % {"n": unread},
            reverse("homework:alerts"),
        )
    ]


def _exception_todo(pending: int) -> list[Todo]:
    if not pending:
        return []
    return [
        Todo(
            ngettext(
                "%(n)d 条作业超量例外申请等待您审批", "%(n)d 条作业超量例外申请等待您审批", pending
            )
            % {"n": pending},
            reverse("homework:exceptions"),
        )
    ]


def home_sections(actor: Actor, today: dt.date) -> list[Section]:
    sections: list[Section] = []
    invitations = survey_selectors.open_invitations(actor)
    if invitations:
        sections.append(
            Section(
                actor.primary_role or Role.GUARDIAN,
                _("课业负担调查"),
                "surveys/_home_card.html",
                data={"invitations": invitations},
            )
        )
    if actor.has(Role.DISTRICT_OFFICER):
        for district in selectors.districts_for(actor).filter(id__in=actor.district_ids):
            figures = selectors.district_overview(actor, district.pk)
            sections.append(
                Section(
                    Role.DISTRICT_OFFICER,
                    _("%(district)s 学校概况") % {"district": district.name},
                    "web/partials/_home_district.html",
                    data={
                        "duty": duty.district_duty(actor, district_id=district.pk, today=today),
                        "district": district,
                        "schools": figures,
                        "totals": {
                            "schools": len(figures),
                            "classes": sum(f.classes for f in figures),
                            "students": sum(f.students for f in figures),
                            "teachers": sum(f.teachers for f in figures),
                        },
                        "url": reverse("web:district", args=[district.pk]),
                    },
                )
            )
    if actor.has(Role.INSPECTOR):
        sections.append(
            Section(
                Role.INSPECTOR,
                _("我督导的学校"),
                "web/partials/_home_inspector.html",
                data={"duty": duty.inspector_duty(actor, today=today)},
            )
        )
    now = local_now()
    for school_id in sorted(actor.admin_school_ids):
        class_ids = list(
            SchoolClass.objects.filter(school_id=school_id).values_list("id", flat=True)
        )
        sections.append(
            Section(
                Role.SCHOOL_ADMIN,
                _("今天与本周"),
                "web/partials/_home_duty.html",
                data={
                    "counts": duty.school_duty(school_id=school_id, today=today, now=now),
                    "unmarked": duty.sessions_without_attendance(
                        school_id=school_id, today=today, now=now
                    ),
                },
            )
        )
        todos = _class_todos(class_ids)
        groups = GradeGroup.objects.filter(school_id=school_id).filter(
            Q(leader__isnull=True) | Q(cadre__isnull=True)
        )
        if groups.exists():
            todos.append(
                Todo(
                    ngettext(
                        "%(n)d 个年级组尚未配齐年级组长和行政干部（双组长）",
                        "%(n)d 个年级组尚未配齐年级组长和行政干部（双组长）",
                        groups.count(),
                    )
                    % {"n": groups.count()}
                )
            )
        sections.append(
            Section(
                Role.SCHOOL_ADMIN,
                _("学校概况"),
                "web/partials/_home_school.html",
                todos=todos,
                checks_done=_("班主任、任课教师、监护人和年级组“双组长”均已配齐。"),
                data={
                    "figures": selectors.school_figures(actor, school_id),
                    "day": day_info(school_id, today),
                    "audit_today": AuditEntry.objects.filter(
                        school_id=school_id, at__date=today
                    ).count(),
                    "audit_url": reverse("web:audit", args=[school_id]),
                    "import_url": reverse("web:roster_import", args=[school_id]),
                    "calendar_url": reverse("web:calendar", args=[school_id]),
                },
            )
        )
        notices = inspection_selectors.open_notices_for_school(school_id=school_id, today=today)
        if notices:
            sections.append(
                Section(
                    Role.SCHOOL_ADMIN,
                    _("整改通知"),
                    "inspections/partials/_home_notices.html",
                    data={"rows": notices, "url": reverse("inspections:notices")},
                )
            )
    if actor.has(Role.GRADE_LEADER):
        pending = homework_selectors.pending_exception_count(actor)
        grades = GradeGroup.objects.filter(grade_id__in=actor.led_grade_ids).select_related(
            "grade", "leader", "cadre"
        )
        for group in grades:
            classes = list(
                SchoolClass.objects.filter(grade_id=group.grade_id)
                .select_related("grade", "head_teacher")
                .annotate(n_students=Count("students", filter=Q(students__is_active=True)))
            )
            sections.append(
                Section(
                    Role.GRADE_LEADER,
                    _("%(grade)s组") % {"grade": group.grade.name},
                    "web/partials/_home_grade.html",
                    todos=_exception_todo(pending)
                    + _alert_todo(actor)
                    + _class_todos([c.pk for c in classes]),
                    checks_done=_("本年级各班班主任、任课教师和监护人信息均已齐全。"),
                    data={"group": group, "classes": classes},
                )
            )
    if actor.has(Role.HEAD_TEACHER):
        classes = list(
            SchoolClass.objects.filter(id__in=actor.head_class_ids)
            .select_related("grade")
            .annotate(
                n_students=Count("students", filter=Q(students__is_active=True)),
            )
        )
        sections.append(
            Section(
                Role.HEAD_TEACHER,
                _("我的班级"),
                "web/partials/_home_head.html",
                todos=([] if actor.has(Role.GRADE_LEADER) else _alert_todo(actor))
                + _class_todos([c.pk for c in classes]),
                checks_done=_("班级任课教师和学生监护人信息均已齐全。"),
                data={
                    "classes": classes,
                    "homework": homework_selectors.today_for_classes(
                        [c.pk for c in classes], today
                    ),
                    "absences": attendance.head_teacher_absences(actor, today),
                },
            )
        )
    if actor.has(Role.SUBJECT_TEACHER):
        assignments = list(
            selectors.assignments_for_teacher(actor).order_by(
                "school_class__grade__number", "school_class__number"
            )
        )
        first_school = assignments[0].school_id if assignments else None
        sections.append(
            Section(
                Role.SUBJECT_TEACHER,
                _("我的任课"),
                "web/partials/_home_teacher.html",
                data={
                    "compose_url": reverse("homework:new"),
                    "assignments": assignments,
                    "weekly_lessons": sum(a.weekly_lessons for a in assignments),
                    "day": day_info(first_school, today) if first_school else None,
                },
            )
        )
    if actor.has(Role.GUARDIAN) or actor.has(Role.STUDENT):
        ids = set(actor.child_student_ids)
        if actor.student_id is not None:
            ids.add(actor.student_id)
        children = list(
            Student.objects.filter(id__in=ids)
            .select_related("school_class__grade", "school_class__head_teacher", "school")
            .order_by("birth_date")
        )
        days: dict[int, DayInfo] = {}
        for child in children:
            if child.school_id not in days:
                days[child.school_id] = day_info(child.school_id, today)
        homework = homework_selectors.today_for_classes(
            [child.school_class_id for child in children], today
        )
        logged = set(
            TimeLog.objects.filter(student__in=children, date=today).values_list(
                "student_id", flat=True
            )
        )
        clubs = afterschool_selectors.clubs_for_students(actor, [c.pk for c in children])
        cards = []
        for child in children:
            panel = logs.panel(child.school_class, today)
            cards.append(
                {
                    "student": child,
                    "day": days[child.school_id],
                    "homework": homework.get(child.school_class_id),
                    "asked": panel is None or child.pk in panel,
                    "logged": child.pk in logged,
                    "log_url": reverse("homework:time_log", args=[child.pk, today.isoformat()]),
                    "clubs": clubs.get(child.pk, []),
                    "marks": attendance.child_marks(actor, child, today),
                    "results_url": reverse("assessment:student", args=[child.pk]),
                    "notebook_url": reverse("assessment:notebook", args=[child.pk]),
                    "sleep_url": reverse("wellbeing:sleep_report", args=[child.pk]),
                    "phone_url": (
                        reverse("wellbeing:phone_apply", args=[child.pk])
                        if child.pk in actor.child_student_ids
                        else ""
                    ),
                    "privacy_url": (
                        reverse("web:child_privacy", args=[child.pk])
                        if child.pk in actor.child_student_ids
                        else ""
                    ),
                    "afterschool_url": (
                        reverse("afterschool:child", args=[child.pk])
                        if child.pk in actor.child_student_ids
                        else ""
                    ),
                }
            )
        role = Role.GUARDIAN if actor.has(Role.GUARDIAN) else Role.STUDENT
        sections.append(
            Section(
                role,
                _("我的孩子") if role is Role.GUARDIAN else _("我的今天"),
                "web/partials/_home_family.html",
                data={"cards": cards},
            )
        )
    sections += _teacher_hours_sections(actor, today)
    sections += _burden_sections(actor, today)
    sections += _training_sections(actor, today)
    return sections


def _teacher_hours_sections(actor: Actor, today: dt.date) -> list[Section]:
    """A teacher's own non-teaching hours this week (each demand with its issuer and the
    teacher's share, and after-school duty); the principal sees only the school's spread
    (count, mean, median, highest, bands), never a list of named teachers."""
    sections: list[Section] = []
    monday, sunday = teacher_load.week_of(today)
    if actor.teacher_id is not None:
        school_id = Teacher.objects.values_list("school_id", flat=True).get(pk=actor.teacher_id)
        hours = teacher_load.school_hours(school_ids=[school_id], first=monday, last=sunday)
        week = hours.of(actor.teacher_id)
        rows = [(hours.demands[pk], share) for pk, share in week.shares.items()]
        rows.sort(key=lambda row: (row[0].day, row[0].id))
        sections.append(
            Section(
                Role.SUBJECT_TEACHER,
                _("我本周的非教学工作"),
                "web/partials/_home_teacher_hours.html",
                data={"week": week, "rows": rows, "monday": monday, "sunday": sunday},
            )
        )
    for school_id in sorted(actor.admin_school_ids):
        hours = teacher_load.school_hours(school_ids=[school_id], first=monday, last=sunday)
        sections.append(
            Section(
                Role.SCHOOL_ADMIN,
                _("教师本周非教学工作时长"),
                "web/partials/_home_school_hours.html",
                data={
                    "spread": hours.spread(),
                    "demands": len(hours.demands),
                    "monday": monday,
                    "sunday": sunday,
                    "received_url": reverse("burden:received") + f"?school={school_id}",
                },
            )
        )
    return sections


def _burden_sections(actor: Actor, today: dt.date) -> list[Section]:
    """The county's offices and receivers: what waits for them in the burden registry, each
    figure a link to the page where it is handled."""
    sections: list[Section] = []
    month_start = today.replace(day=1)
    clerk_units = actor.units_as(Role.ISSUER_CLERK)
    if clerk_units:
        issued = Demand.objects.filter(issuer_id__in=clerk_units)
        counts = issued.aggregate(
            drafts=Count("pk", filter=Q(status=Demand.Status.DRAFT)),
            waiting=Count(
                "pk",
                filter=Q(status__in=[Demand.Status.PENDING_LEADER, Demand.Status.PENDING_OFFICE]),
            ),
            sent=Count("pk", filter=Q(status=Demand.Status.SENT, sent_at__date__gte=month_start)),
        )
        demands = reverse("burden:demands")
        sections.append(
            Section(
                Role.ISSUER_CLERK,
                _("事项登记"),
                "web/partials/_home_figures.html",
                data={
                    "figures": [
                        (_("草稿"), counts["drafts"], demands),
                        (_("待审核、审批"), counts["waiting"], demands),
                        (_("本月已下发"), counts["sent"], demands),
                    ]
                },
            )
        )
    approvals = reverse("burden:approvals")
    if actor.units_as(Role.ISSUER_LEADER):
        sections.append(
            Section(
                Role.ISSUER_LEADER,
                _("减负审批"),
                "web/partials/_home_figures.html",
                data={
                    "figures": [
                        (
                            _("待我审核的事项"),
                            burden_selectors.leader_queue(actor).count(),
                            approvals,
                        )
                    ]
                },
            )
        )
    if actor.units_as(Role.CAMPAIGN_OFFICER):
        sections.append(
            Section(
                Role.CAMPAIGN_OFFICER,
                _("基层减负"),
                "web/partials/_home_figures.html",
                data={
                    "figures": [
                        (
                            _("待减负办审批的事项"),
                            burden_selectors.office_queue(actor).count(),
                            approvals,
                        )
                    ],
                    "links": [
                        (_("减负看板"), reverse("burden:board")),
                        (_("减负工作汇报"), reverse("reports:burden")),
                    ],
                },
            )
        )
    receiver_units = actor.units_as(Role.RECEIVER)
    if receiver_units:
        month_end = (month_start + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        landed = Demand.objects.filter(
            receiver_units__in=receiver_units,
            status=Demand.Status.SENT,
            day__gte=month_start,
            day__lte=month_end,
        ).distinct()
        received = reverse("burden:received")
        sections.append(
            Section(
                Role.RECEIVER,
                _("收到的事项"),
                "web/partials/_home_figures.html",
                data={"figures": [(_("本月落到本单位的事项"), landed.count(), received)]},
            )
        )
    return sections


def _training_sections(actor: Actor, today: dt.date) -> list[Section]:
    """The training officer's district in figures; an institution's staff, their filings."""
    sections: list[Section] = []
    for district_id in sorted(actor.training_district_ids):
        summary = training_selectors.training_summary(actor, district_id=district_id, today=today)
        todos = []
        if summary.complaints_overdue:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)d 件投诉举报逾期未办结",
                        "%(n)d 件投诉举报逾期未办结",
                        summary.complaints_overdue,
                    )
                    % {"n": summary.complaints_overdue},
                    reverse("training:complaints") + f"?district={district_id}",
                )
            )
        sections.append(
            Section(
                Role.TRAINING_OFFICER,
                _("校外培训治理"),
                "training/partials/_home_officer.html",
                todos=todos,
                data={"summary": summary, "district_id": district_id},
                checks_done=_("没有逾期未办结的投诉举报。"),
            )
        )
    for unit_id in sorted(actor.units_as(Role.INSTITUTION_STAFF)):
        institution = training_selectors.institution_for_staff(actor, unit_id)
        sections.append(
            Section(
                Role.INSTITUTION_STAFF,
                institution.name,
                "training/partials/_home_staff.html",
                data={"i": institution},
            )
        )
    return sections
