from django.contrib import admin

from .models import FollowUp, Repatriation, Victim


@admin.register(Victim)
class VictimAdmin(admin.ModelAdmin):
    list_display = ("id", "agency", "sex", "trafficking_status", "is_archived", "created_at")
    list_filter = ("sex", "trafficking_status", "is_archived")
    search_fields = ("id", "family_name", "given_name", "name_khmer")
    raw_id_fields = ("agency",)


@admin.register(Repatriation)
class RepatriationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "from_country", "received_on", "receiving_agency")
    list_filter = ("kind", "from_country")
    raw_id_fields = ("victim",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "date", "agency")
    list_filter = ("kind",)
    raw_id_fields = ("victim",)
