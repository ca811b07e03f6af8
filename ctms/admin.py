from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = (
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "channel",
        "ip_address",
    )
    list_filter = ("action", "object_type", "channel")
    search_fields = ("actor_username", "object_id")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
