"""Core models: the abstract base of every record, and the append-only audit trail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    """Base of every CTMS record: an opaque UUID id and who created it when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class TransitionRecord(models.Model):
    """One step of a workflow's history (a referral's, a hand-over's): who took it, for which
    agency, when and why. Subclasses add the record it belongs to and the step's names."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event through the application."""


class AuditEventQuerySet(models.QuerySet):
    """Bulk UPDATE and DELETE are refused: the trail only grows."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    _raw_delete = delete


# Audit actions declared by feature apps (the core imports none of them): each app registers
# its own when its models module loads, with `register_audit_actions`, and the `action` field's
# choices are the core's `AuditEvent.Action` plus these, read when asked.
_APP_AUDIT_ACTIONS: dict[str, object] = {}


def register_audit_actions(*actions: tuple[str, object]) -> None:
    """Declare an app's audit actions: (name, label) pairs. A name may not change its label."""
    for name, label in actions:
        if len(name) > 20:
            raise ValueError(f"audit action {name!r} is longer than 20 characters")
        _APP_AUDIT_ACTIONS.setdefault(name, label)


def audit_action_choices() -> list[tuple[str, object]]:
    """Every declared audit action: the core's, then the apps' (for the `action` field)."""
    core = AuditEvent.Action.choices
    known = {name for name, _label in core}
    return [*core, *((n, label) for n, label in _APP_AUDIT_ACTIONS.items() if n not in known)]


class AuditEvent(models.Model):
    """One audited act: a read of personal data, a write, a login, a token, a download.

    Append-only: the application never updates or deletes a row (see ctms.audit); `save()` on
    an existing row, `delete()` and queryset `update()`/`delete()` raise, and on PostgreSQL a
    trigger refuses UPDATE and DELETE of the table (migration 0002).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("View")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        TRANSITION = "transition", _("Transition")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        DOWNLOAD = "download", _("Download")
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGOUT = "logout", _("Logout")
        TOKEN_ISSUED = "token_issued", _("Token issued")
        TOKEN_REVOKED = "token_revoked", _("Token revoked")

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No database constraint and no cascade: deleting a user must neither rewrite nor remove
    # the events they caused (actor_username keeps the name).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="audit_events",
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=audit_action_choices)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(max_length=20, blank=True, help_text="web, api, cli, task")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header, replayed to retries.

    A row is written before the request runs (so that a concurrent retry waits for nothing and
    is told the first one is still running) and completed with the response afterwards.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The rendered answer, byte for byte (a JSON column would reorder its keys).
    response_content = models.BinaryField(null=True, blank=True)
    response_content_type = models.CharField(max_length=100, blank=True)
    # The record the answer is about (its id), looked up again before a replay.
    record_id = models.CharField(max_length=64, blank=True)
    # "app_label.model:pk" of each record whose personal data the answer showed.
    revealed = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
