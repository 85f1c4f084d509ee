"""The Django admin's looks at a child are audited like every other read.

The admin is an operator's tool, but what it shows can name a minor: a child's or a
guardian's sign-in account (``auth.User``), a sign-in log whose user name is theirs (Axes),
the audit log's own entries, and the list of records a deletion would take with it (a
class's students, their time logs …). Every registered ``ModelAdmin`` is made an
:class:`AuditedAdmin` when the apps are ready (:func:`audit_the_admin`), so a model
registered later is covered without anyone remembering to: its list page writes a ``list``
entry naming the students on the page, a record's page and its history a ``read`` entry, a
deletion's confirmation a ``list`` entry naming the students it would delete or whose
records it would delete. The entries go through :mod:`qingfu.core.audit` (channel ``web``,
one per school the students belong to); a page that names no child writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, unquote
from django.contrib.auth import get_user_model
from django.db import models, router
from django.http import HttpRequest, HttpResponse

from qingfu.core.audit import audit_list, audit_read
from qingfu.core.models import AuditEntry, AuditSubject
from qingfu.schools.actors import actor_from_request
from qingfu.schools.models import Guardian, GuardianLink, Student


def _children_of_users(user_ids: set[int]) -> set[int]:
    if not user_ids:
        return set()
    own = set(Student.objects.filter(user_id__in=user_ids).values_list("id", flat=True))
    children = set(
        GuardianLink.objects.filter(guardian__user_id__in=user_ids).values_list(
            "student_id", flat=True
        )
    )
    return own | children


def students_in(objects: Iterable[Any]) -> set[int]:
    """The students whose personal data the given records show: a student, a guardian
    (their children), a record of a student (``student_id``), a sign-in account of a child
    or a guardian, a sign-in log under such an account's name, an audit entry (its
    students)."""
    found: set[int] = set()
    user_ids: set[int] = set()
    usernames: set[str] = set()
    guardian_ids: set[int] = set()
    entry_ids: set[int] = set()
    user_model = get_user_model()
    for obj in objects:
        if isinstance(obj, Student):
            found.add(obj.pk)
        elif isinstance(obj, Guardian):
            guardian_ids.add(obj.pk)
        elif isinstance(obj, user_model):
            user_ids.add(obj.pk)
        elif isinstance(obj, AuditEntry):
            entry_ids.add(obj.pk)
        elif isinstance(getattr(obj, "student_id", None), int):  # AuditSubject too
            found.add(obj.student_id)
        elif isinstance(getattr(obj, "username", None), str):  # Axes' sign-in logs
            usernames.add(obj.username)
    if usernames:
        user_ids |= set(
            user_model.objects.filter(username__in=usernames).values_list("pk", flat=True)
        )
    found |= _children_of_users(user_ids)
    if guardian_ids:
        found |= set(
            GuardianLink.objects.filter(guardian_id__in=guardian_ids).values_list(
                "student_id", flat=True
            )
        )
    if entry_ids:
        found |= set(
            AuditSubject.objects.filter(entry_id__in=entry_ids).values_list("student_id", flat=True)
        )
    return found


Audit = Callable[..., None]


def _audit(
    request: HttpRequest, audit: Audit, kind: str, student_ids: set[int], **detail: Any
) -> None:
    """One entry per school the students belong to, so each school's audit page shows it
    (an erased student's id, found only in the log, goes with no school)."""
    if not student_ids:
        return
    by_school: dict[int | None, set[int]] = defaultdict(set)
    schools = dict(Student.objects.filter(id__in=student_ids).values_list("id", "school_id"))
    for student_id in student_ids:
        by_school[schools.get(student_id)].add(student_id)
    actor = actor_from_request(request)
    for school_id, ids in sorted(by_school.items(), key=lambda kv: kv[0] or 0):
        audit(actor, kind, sorted(ids), school_id=school_id, **detail)


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ``ModelAdmin`` whose pages audit the children they show."""

    def _kind(self) -> str:
        return f"admin:{self.model._meta.label_lower}"[:50]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            rows = list(changelist.result_list)
            _audit(request, audit_list, self._kind(), students_in(rows), what=f"{len(rows)} rows")
        return response

    def _audit_one(self, request: HttpRequest, object_id: str, what: str) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            _audit(
                request, audit_read, self._kind(), students_in([obj]), object_id=obj.pk, what=what
            )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self._audit_one(request, object_id, "record")
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            self._audit_one(request, object_id, "history")
        return response

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """The confirmation page lists every record a deletion takes with it: when those
        name children, the page is a look at them."""
        answer = super().get_deleted_objects(objs, request)
        if request.method == "GET" or "post" not in request.POST:  # the confirmation page
            collector = NestedObjects(using=router.db_for_write(self.model))
            collector.collect(list(objs))
            shown = [obj for instances in collector.data.values() for obj in instances]
            shown += list(collector.protected)  # listed as what stops the deletion
            _audit(request, audit_list, self._kind(), students_in(shown), what="deletion")
        return answer


def audit_the_admin(site: admin.AdminSite = admin.site) -> None:
    """Make every registered ``ModelAdmin`` audited (called once the admin modules are
    loaded: ``SchoolsConfig.ready``, which runs after the admin's autodiscovery)."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, AuditedAdmin):
            continue
        audited = type(
            f"Audited{type(model_admin).__name__}", (AuditedAdmin, type(model_admin)), {}
        )
        site.unregister(model)
        site.register(model, audited)


def is_audited(model: type[models.Model], site: admin.AdminSite = admin.site) -> bool:
    return isinstance(site._registry.get(model), AuditedAdmin)
