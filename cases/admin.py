from django.contrib import admin

from ctms.admin_audit import AuditedModelAdmin

from .models import Case, Defendant, Operation, Prosecution, Rescue, Suspect


@admin.register(Case)
class CaseAdmin(AuditedModelAdmin):
    list_display = ("id", "agency", "opened_on", "closed_on", "status")
    list_filter = ("status", "cross_border")
    raw_id_fields = ("victims", "suspects")


@admin.register(Suspect)
class SuspectAdmin(AuditedModelAdmin):
    list_display = ("id", "agency", "sex", "citizenship", "role")
    list_filter = ("sex", "role")


class RescueInline(admin.TabularInline):
    model = Rescue
    raw_id_fields = ("victim",)
    labelled_people = ("victim",)
    extra = 0


@admin.register(Operation)
class OperationAdmin(AuditedModelAdmin):
    list_display = ("id", "agency", "date", "kind", "province")
    list_filter = ("kind",)
    raw_id_fields = ("case", "suspects_detained")
    inlines = [RescueInline]


class DefendantInline(admin.TabularInline):
    model = Defendant
    raw_id_fields = ("suspect",)
    labelled_people = ("suspect",)
    extra = 0


@admin.register(Prosecution)
class ProsecutionAdmin(AuditedModelAdmin):
    list_display = ("court_case_number", "court", "filed_on")
    raw_id_fields = ("case",)
    inlines = [DefendantInline]
