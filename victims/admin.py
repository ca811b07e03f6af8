from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from ctms.admin_audit import AuditedModelAdmin

from .models import FollowUp, Repatriation, Victim
from .photos import checked_photo
from .services import victim_purge


class VictimAdminForm(forms.ModelForm):
    """The admin's victim form: a new photo is checked and stripped of its metadata while the
    form is validated, so a refused file is a form error, not a server error on save. (The
    admin builds the model form from this base with the fields it shows.)"""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return photo
        try:
            return checked_photo(photo)
        except ValidationError as error:
            raise ValidationError(error.message_dict["photo"]) from error


class PurgeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for purging"), widget=forms.Textarea, max_length=2000)


@admin.register(Victim)
class VictimAdmin(AuditedModelAdmin):
    """Victims in the admin: every opened record is audited, edits are audited by field, and
    records are never deleted here (users archive; administrators purge with a reason)."""

    list_display = ("id", "agency", "sex", "trafficking_status", "is_archived", "created_at")
    list_filter = ("sex", "trafficking_status", "is_archived")
    search_fields = ("id", "family_name", "given_name", "name_khmer")
    raw_id_fields = ("agency",)
    actions = ["purge_selected"]
    form = VictimAdminForm

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Purge selected victims (delete for good)"))
    def purge_selected(self, request, queryset):
        form = PurgeForm(request.POST if "reason" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Purge victim records"),
                "form": form,
                "queryset": queryset,
                "count": queryset.count(),
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/victims/purge_confirm.html", context)
        count = queryset.count()
        try:
            for victim in queryset:
                victim_purge(
                    victim=victim,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    channel="admin",
                )
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(request, _("Purged %d victim records.") % count)
        return None


@admin.register(Repatriation)
class RepatriationAdmin(AuditedModelAdmin):
    list_display = ("id", "kind", "from_country", "received_on", "receiving_agency")
    list_filter = ("kind", "from_country")
    raw_id_fields = ("victim",)
    labelled_people = ("victim",)


@admin.register(FollowUp)
class FollowUpAdmin(AuditedModelAdmin):
    list_display = ("id", "kind", "date", "agency")
    list_filter = ("kind",)
    raw_id_fields = ("victim",)
    labelled_people = ("victim",)
