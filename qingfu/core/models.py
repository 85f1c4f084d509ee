"""Cross-cutting records: the audit log, API tokens and per-user preferences."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One read or change of a minor's personal data: who (and in which roles), what,
    when, by which channel; the students it touched are its :class:`AuditSubject` rows.

    Append-only: the product never changes an entry, except the retention task, which
    takes the person and the students off entries older than the retention period
    (``QINGFU_RETENTION_DAYS``), keeping the count of what was done.
    """

    class Action(models.TextChoices):
        READ = "read", _("查看")
        LIST = "list", _("列表查看")
        CREATE = "create", _("新增")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        IMPORT = "import", _("导入")
        EXPORT = "export", _("导出")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    school_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    channel = models.CharField(max_length=10, default="web")
    # The actor's roles when they acted (comma-separated Role values): a guardian is told
    # "the head teacher", not a user id, and a role held then still shows after it ends.
    roles = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}:{self.object_id}"


class AuditSubject(models.Model):
    """One student an audit entry touched: what lets a guardian see who looked at their
    child, and an admin filter the log by student.

    A plain id, not a foreign key: the trail outlives an erased student's record."""

    entry = models.ForeignKey(AuditEntry, on_delete=models.CASCADE, related_name="subjects")
    student_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["student_id", "entry"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.student_id}"


class ErasureRequest(models.Model):
    """A guardian's request that what is held about their child be erased (PIPL art. 47),
    and the school admin's carrying it out. Plain ids, not foreign keys: the request and
    its audit trail are kept after the child's record is anonymised."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        DONE = "done", _("已删除")
        REFUSED = "refused", _("不予删除")

    student_id = models.BigIntegerField(db_index=True)
    school_id = models.BigIntegerField(db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("处理意见"), max_length=200, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per child: asking twice does not queue the work twice.
            models.UniqueConstraint(
                fields=["student_id"],
                condition=models.Q(status="pending"),
                name="erasure_one_pending_per_student",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.status}"


class UserPreference(models.Model):
    """Per-user settings that outlive a session, such as the interface language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference"
    )
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "qf_" + secrets.token_urlsafe(32)
