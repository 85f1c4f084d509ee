"""A child's personal information on request (PIPL arts. 44–47): who looked at it, a copy
of everything held, and erasure; and the school admin's search of the audit log.

What is held about a child is found by the models, not listed by hand: every model with a
foreign key to ``Student`` holds something of the child (and the rows that hang off those,
one level down), so a new duty's table is in the copy and in the erasure without this
module changing. Erasure anonymises the child's own record and scrubs the child's name from
the text of those rows, but keeps the rows: class-day rollups, dashboards and reports are
built from counts per class and day, and they stay exactly as they were.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from qingfu.core.actor import Actor, signed_in_user_id
from qingfu.core.audit import audit_change, audit_export, audit_read
from qingfu.core.errors import NotFound, ValidationFailed
from qingfu.core.models import AuditEntry, AuditSubject, ErasureRequest
from qingfu.core.roles import ROLE_LABELS, Role
from qingfu.schools.models import Guardian, GuardianLink, School, Student

# What a guardian is told was looked at: the kinds the selectors audit under.
KIND_LABELS = {
    "student": gettext_lazy("学生信息"),
    "class_roster": gettext_lazy("班级名单"),
    "roster": gettext_lazy("学生名册"),
    "exam_results": gettext_lazy("考试等级"),
    "element_marks": gettext_lazy("能力要素批改"),
    "error_notebook": gettext_lazy("错题本"),
    "late_nights": gettext_lazy("晚于就寝时间名单"),
    "alerts": gettext_lazy("作业提醒"),
    "phones": gettext_lazy("手机管理"),
    "phone_application": gettext_lazy("带手机申请"),
    "phone_custody": gettext_lazy("手机保管"),
    "after_school_attendance": gettext_lazy("课后服务考勤"),
    "after_school_absences": gettext_lazy("课后服务缺勤"),
    "dossier": gettext_lazy("个人信息副本"),
    "access_log": gettext_lazy("查看记录"),
    "erasure": gettext_lazy("个人信息删除"),
    "afterschool_child": gettext_lazy("课后服务报名与社团"),
    "afterschool_seats": gettext_lazy("社团名单"),
    "sleep_reports": gettext_lazy("睡眠记录"),
    "training_registry": gettext_lazy("校外培训人员名录导入"),
    "training_charges": gettext_lazy("校外培训预收费记录"),
}
# Data, not a message: what an erased name reads as, in Chinese like the rest of the roster.
ERASED_NAME = gettext_noop("（已删除）")


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def roles_label(roles: str) -> str:
    known = {role.value for role in Role}
    labels = [str(ROLE_LABELS[Role(r)]) for r in roles.split(",") if r in known]
    return "、".join(labels) or _("系统")


# --- who looked -----------------------------------------------------------------------------


def _guardian_or_admin(actor: Actor, student_id: int) -> Student:
    """The child, for their guardian or their school's admin; anyone else: not found."""
    student = Student.objects.filter(id=student_id).select_related("school").first()
    if student is None or not (
        actor.is_superuser
        or student_id in actor.child_student_ids
        or student.school_id in actor.admin_school_ids
    ):
        raise NotFound()
    return student


def student_for_privacy(actor: Actor, student_id: int) -> Student:
    """The child whose privacy page this is (guardian or school admin), not itself a read
    of their records: it shows only the name the reader already knows."""
    return _guardian_or_admin(actor, student_id)


@dataclass(frozen=True)
class Access:
    at: dt.datetime
    roles: str
    school: str
    action: str
    kind: str
    channel: str
    is_own: bool  # the reader themself looked (a guardian's own visit)


ACCESS_PAGE_SIZE = 50


@dataclass(frozen=True)
class AccessPage:
    """One page of a child's access log, newest first, and where it stands in the whole."""

    accesses: list[Access]
    total: int  # entries in the whole log
    page: int  # from 1
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def child_access_page(
    actor: Actor, student_id: int, *, page: int = 1, per_page: int = ACCESS_PAGE_SIZE
) -> AccessPage:
    """Who looked at the child's records, and when, a page at a time, newest first: role and
    school, never a name of another child nor what the entry's list held besides this child.
    A page past the last shows the last (a log a guardian pages through keeps growing)."""
    student = _guardian_or_admin(actor, student_id)
    # Reading who looked at a child is itself a look at the child.
    audit_read(actor, "access_log", [student.pk], school_id=student.school_id)
    log = AuditEntry.objects.filter(
        id__in=AuditSubject.objects.filter(student_id=student.pk).values("entry_id")
    )
    total = log.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    entries = list(log.order_by("-at", "-id")[(page - 1) * per_page : page * per_page])
    schools = dict(
        School.objects.filter(id__in={e.school_id for e in entries}).values_list("id", "name")
    )
    accesses = [
        Access(
            at=e.at,
            roles=roles_label(e.roles),
            school=schools.get(e.school_id or 0, ""),
            action=e.get_action_display(),
            kind=kind_label(e.object_type),
            channel=e.channel,
            is_own=e.user_id == actor.user_id,
        )
        for e in entries
    ]
    return AccessPage(accesses, total, page, pages)


def child_access_log(actor: Actor, student_id: int, *, limit: int = 200) -> list[Access]:
    """The newest ``limit`` entries of :func:`child_access_page`."""
    return child_access_page(actor, student_id, per_page=limit).accesses


def audit_search(
    actor: Actor,
    school_id: int,
    *,
    person: str = "",
    student: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """The school's audit log for its admins, filtered by the person who acted (user name),
    the student touched (name or 全国学籍号) and the dates (school local days)."""
    if not (actor.is_superuser or school_id in actor.admin_school_ids):
        raise NotFound()
    entries = AuditEntry.objects.filter(school_id=school_id)
    if person:
        entries = entries.filter(user__username=person)
    if student:
        ids = Student.objects.filter(school_id=school_id).filter(
            Q(name=student) | Q(national_id=student)
        )
        found = list(ids.values_list("id", flat=True))
        entries = entries.filter(
            id__in=AuditSubject.objects.filter(student_id__in=found).values("entry_id")
        )
    if start:
        entries = entries.filter(at__date__gte=start)
    if end:
        entries = entries.filter(at__date__lte=end)
    result = list(entries.select_related("user")[:limit])
    if student:
        # Asking who looked at a child is itself a look at the child.
        audit_read(actor, "access_log", found, school_id=school_id)
    return result


# --- a copy of everything -------------------------------------------------------------------


@dataclass
class Section:
    label: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


def _holders() -> Iterator[tuple[type[models.Model], str]]:
    """Every (model, field name) whose foreign key points at a student."""
    for model in apps.get_models():
        if model is Student:
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Student:
                yield model, f.name


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


def _section(model: type[models.Model], rows: models.QuerySet[Any]) -> Section | None:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    found = [{f.attname: _plain(getattr(row, f.attname)) for f in fields} for row in rows]
    if not found:
        return None
    return Section(
        label=f"{model._meta.verbose_name} ({model._meta.label})",
        columns=[f.attname for f in fields],
        rows=found,
    )


def _sections(student: Student) -> list[Section]:
    sections = [s for s in [_section(Student, Student.objects.filter(pk=student.pk))] if s]
    guardians = Guardian.objects.filter(links__student=student)
    section = _section(Guardian, guardians)
    if section:
        sections.append(section)
    held: list[tuple[type[models.Model], list[int]]] = []
    for model, name in _holders():
        rows = model._default_manager.filter(**{name: student.pk}).order_by("pk")
        section = _section(model, rows)
        if section:
            sections.append(section)
            held.append((model, [row.pk for row in rows]))
    # One level down: the minutes of a time log, and the like.
    for parent, ids in held:
        for model in apps.get_models():
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is parent and f.many_to_one:
                    rows = model._default_manager.filter(**{f"{f.name}__in": ids}).order_by("pk")
                    section = _section(model, rows)
                    if section:
                        sections.append(section)
    entries = AuditEntry.objects.filter(
        id__in=AuditSubject.objects.filter(student_id=student.pk).values("entry_id")
    ).order_by("at", "id")
    section = _section(AuditEntry, entries)
    if section:
        section.rows = [{k: v for k, v in r.items() if k != "detail"} for r in section.rows]
        section.columns = [c for c in section.columns if c != "detail"]
        sections.append(section)
    return sections


@dataclass(frozen=True)
class Dossier:
    student: Student
    made_at: dt.datetime
    sections: list[Section]

    def as_json(self) -> str:
        return json.dumps(
            {
                "student_id": self.student.pk,
                "made_at": self.made_at.isoformat(),
                "sections": [
                    {"label": s.label, "columns": s.columns, "rows": s.rows} for s in self.sections
                ],
            },
            ensure_ascii=False,
            indent=2,
        )


def dossier(actor: Actor, student_id: int) -> Dossier:
    """Everything held about the child, for their guardian or their school's admin (on the
    guardian's behalf); audited as an export."""
    student = _guardian_or_admin(actor, student_id)
    found = Dossier(student, timezone.now(), _sections(student))
    audit_export(actor, "dossier", [student.pk], school_id=student.school_id, object_id=student.pk)
    return found


# --- erasure --------------------------------------------------------------------------------


def erasure_request(*, actor: Actor, student_id: int, reason: str = "") -> ErasureRequest:
    """A guardian asks for the child's data to be erased; the school admin carries it out."""
    if student_id not in actor.child_student_ids:
        raise NotFound()
    student = Student.objects.get(pk=student_id)
    user_id = signed_in_user_id(actor)
    with transaction.atomic():
        if ErasureRequest.objects.filter(
            student_id=student_id, status=ErasureRequest.Status.PENDING
        ).exists():
            raise ValidationFailed.single("__all__", _("已经提交过删除申请，学校正在处理。"))
        request = ErasureRequest.objects.create(
            student_id=student_id,
            school_id=student.school_id,
            requested_by_id=user_id,
            reason=reason.strip()[:200],
        )
        audit_change(
            actor,
            "erasure",
            [student_id],
            school_id=student.school_id,
            action=AuditEntry.Action.CREATE,
            object_id=request.pk,
            what="requested",
        )
    return request


def erasures_for(actor: Actor, school_id: int) -> list[ErasureRequest]:
    """The school's erasure requests, for its admins."""
    if not (actor.is_superuser or school_id in actor.admin_school_ids):
        raise NotFound()
    return list(ErasureRequest.objects.filter(school_id=school_id))


def erasures_of(actor: Actor, student_id: int) -> list[ErasureRequest]:
    """One child's erasure requests, for the guardian's page."""
    _guardian_or_admin(actor, student_id)
    return list(ErasureRequest.objects.filter(student_id=student_id))


def _pending_for(actor: Actor, request_id: int) -> ErasureRequest:
    request = ErasureRequest.objects.filter(id=request_id).first()
    if request is None or not (actor.is_superuser or request.school_id in actor.admin_school_ids):
        raise NotFound()
    if request.status != ErasureRequest.Status.PENDING:
        raise ValidationFailed.single("__all__", _("该申请已处理。"))
    return request


def erasure_refuse(*, actor: Actor, request_id: int, note: str) -> ErasureRequest:
    """The admin refuses, with the reason the law allows (records the school must keep)."""
    request = _pending_for(actor, request_id)
    if not note.strip():
        raise ValidationFailed.single("note", _("不予删除时请写明理由。"))
    with transaction.atomic():
        request.status = ErasureRequest.Status.REFUSED
        request.handled_by_id = signed_in_user_id(actor)
        request.handled_at = timezone.now()
        request.note = note.strip()[:200]
        request.save()
        audit_change(
            actor,
            "erasure",
            [request.student_id],
            school_id=request.school_id,
            object_id=request.pk,
            what="refused",
        )
    return request


def _scrub(value: str, names: list[str]) -> str:
    for name in names:
        if name:
            value = value.replace(name, ERASED_NAME)
    return value


def _scrub_json(value: Any, names: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, names)
    if isinstance(value, dict):
        return {k: _scrub_json(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, names) for v in value]
    return value


def _scrub_holders(student: Student, names: list[str]) -> None:
    """The child's name out of every text held with their id (an alert's message, a
    reason typed by a parent), and typed reasons emptied; the rows and their counts stay.
    Cross-app by design: erasure is owed whatever table the child's name ended up in."""
    for model, name in _holders():
        texts = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        if not texts:
            continue
        for row in model._default_manager.filter(**{name: student.pk}):
            changed = []
            for f in texts:
                old = getattr(row, f.attname)
                if isinstance(f, models.JSONField):  # an alert's values: the child's name
                    new = _scrub_json(old, names)
                else:
                    new = "" if f.name in ("reason", "note") else _scrub(old, names)
                if new != old:
                    setattr(row, f.attname, new)
                    changed.append(f.attname)
            if changed:
                model._default_manager.filter(pk=row.pk).update(
                    **{k: getattr(row, k) for k in changed}
                )


def _retire_user(user: Any) -> None:
    if user is None:
        return
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def erasure_carry_out(*, actor: Actor, request_id: int, note: str = "") -> ErasureRequest:
    """Erase the child: their record anonymised (name, 学籍号, birth day, account), their
    guardians unlinked (and anonymised when they have no other child here), their name
    scrubbed from what is held with their id. Aggregates keep every row they count, the
    child's enrolment included: a child who leaves is marked so by the roster, as any other
    (erasure is not a transfer, and every count of the class stays as it was)."""
    request = _pending_for(actor, request_id)
    user_id = signed_in_user_id(actor)
    with transaction.atomic():
        student = Student.objects.select_for_update().get(pk=request.student_id)
        links = list(GuardianLink.objects.filter(student=student).select_related("guardian"))
        names = [student.name] + [link.guardian.name for link in links]
        _scrub_holders(student, names)
        _retire_user(student.user)
        student.name = ERASED_NAME
        student.national_id = f"erased-{student.pk}"[:20]
        student.birth_date = dt.date(student.birth_date.year, 1, 1)
        student.user = None
        student.save()
        for link in links:
            guardian = link.guardian
            link.delete()
            if not guardian.links.exists():
                _retire_user(guardian.user)
                guardian.name = ERASED_NAME
                guardian.phone = f"erased-{guardian.pk}"[:20]
                guardian.user = None
                guardian.save()
        request.status = ErasureRequest.Status.DONE
        request.handled_by_id = user_id
        request.handled_at = timezone.now()
        request.note = note.strip()[:200]
        request.save()
        audit_change(
            actor,
            "erasure",
            [student.pk],
            school_id=student.school_id,
            action=AuditEntry.Action.DELETE,
            object_id=request.pk,
            what="carried out",
        )
    return request
