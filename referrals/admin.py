from django.contrib import admin
from django.db import models

from ctms.admin_audit import AuditedModelAdmin

from .models import Referral, ReferralTransition, Service, WebhookDelivery, WebhookEndpoint


class TransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    readonly_fields = ("transition", "from_status", "to_status", "at", "by", "by_agency", "reason")
    can_delete = False


@admin.register(Referral)
class ReferralAdmin(AuditedModelAdmin):
    list_display = ("id", "from_agency", "to_agency", "created_on", "urgency", "status")
    list_filter = ("status", "urgency")
    raw_id_fields = ("victim", "case")
    labelled_people = ("victim",)
    inlines = [TransitionInline]


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ("id", "agency", "service", "date")
    list_filter = ("service",)
    raw_id_fields = ("victim", "referral")
    labelled_people = ("victim",)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "agency", "is_active")
    # Partners' endpoints are HTTPS; a URL typed without a scheme means https://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "endpoint", "event", "attempts", "delivered_at", "last_status_code")
