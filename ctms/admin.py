from __future__ import annotations

from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Search the audit trail. Read-only: the trail is append-only."""

    list_display = (
        "at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "channel",
        "ip_address",
    )
    list_filter = ("action", "object_type", "channel", ("at", admin.DateFieldListFilter))
    search_fields = ("=actor_username", "=object_id", "^ip_address")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]
    show_full_result_count = False  # a COUNT(*) over millions of rows on every page is slow

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
