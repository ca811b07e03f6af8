from django.contrib import admin

from .models import Activity, DeporteeReport, ReportRun


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("date", "agency", "kind", "working_group", "participants_total")
    list_filter = ("kind", "working_group")


@admin.register(DeporteeReport)
class DeporteeReportAdmin(admin.ModelAdmin):
    list_display = ("month", "agency", "from_country", "total", "female", "children")


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Runs are written by the report service and task only: the admin reads them."""

    list_display = ("period", "previous_period", "status", "progress", "created_by", "created_at")
    list_filter = ("status",)
    search_fields = ("period",)
    readonly_fields = [field.name for field in ReportRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
