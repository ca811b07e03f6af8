from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ctms.admin_audit import AuditedModelAdmin

from .models import Agency, ApiToken, User, WorkingGroup


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("acronym", "name", "kind", "province", "parent", "accepts_referrals")
    list_filter = ("kind", "accepts_referrals")
    search_fields = ("acronym", "oscar_short_name", "name", "name_khmer")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "lead_agency")


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    """Users; role and agency changes are in the audit trail."""

    list_display = ("username", "agency", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = BaseUserAdmin.fieldsets + (
        ("CTMS", {"fields": ("agency", "role", "preferred_language")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("CTMS", {"fields": ("agency", "role")}),)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens; revoking one here (revoked_at) is in the audit trail."""

    list_display = ("prefix", "user", "name", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("prefix", "digest", "last_used_at")
