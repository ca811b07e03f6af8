from django.contrib import admin

from ctms.admin_audit import AuditedModelAdmin

from .models import Handover, HandoverTransition


class TransitionInline(admin.TabularInline):
    model = HandoverTransition
    extra = 0
    readonly_fields = ("transition", "from_status", "to_status", "at", "by", "by_agency", "reason")
    can_delete = False


@admin.register(Handover)
class HandoverAdmin(AuditedModelAdmin):
    list_display = ("id", "kind", "from_agency", "to_agency", "created_on", "status")
    list_filter = ("kind", "status")
    raw_id_fields = ("victim", "case")
    inlines = [TransitionInline]
