"""The second-factor devices in the admin: who has enrolled and when, never the secret keys
(django-otp's own admin shows each key and its QR code to every administrator). An enrolment
is reset here, by an administrator only, and the reset is audited."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctms.admin_audit import AuditedModelAdmin

from .services import two_factor_reset

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedModelAdmin):
    """Read-only list of devices; the one action resets the users' enrolment."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields
    actions = ["reset_enrolment"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Reset two-factor enrolment of the selected devices' users"))
    def reset_enrolment(self, request, queryset):
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            two_factor_reset(user=user, actor=request.user, channel="admin")
        self.message_user(
            request,
            _("%(count)d users will enrol again at their next sign-in.") % {"count": len(users)},
            messages.SUCCESS,
        )
