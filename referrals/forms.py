"""Browser forms of referrals: sending one, declining one, recording a service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.selectors import referral_partners_offering
from ctms.choices import ServiceCode
from ctms.forms import AgencyChoiceField, DateInput, StyledForm

from .choices import Urgency


class ReferralForm(StyledForm):
    """Refer a victim: the partner chooser only offers agencies that provide every service
    ticked (htmx reloads it when the ticks change)."""

    services_requested = forms.MultipleChoiceField(
        label=_("Services needed"),
        choices=ServiceCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    to_agency = AgencyChoiceField(
        label=_("Partner"),
        queryset=Agency.objects.none(),
        empty_label="—",
        help_text=_("Only partners that offer every service ticked are listed."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    case = forms.ModelChoiceField(label=_("Case"), queryset=None, required=False, empty_label="—")
    reason = forms.CharField(
        label=_("Reason for the referral"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        source = self.data if self.is_bound else self.initial
        services = (
            source.getlist("services_requested")
            if hasattr(source, "getlist")
            else list(source.get("services_requested") or [])
        )
        services = [code for code in services if code in ServiceCode.values]
        partners = referral_partners_offering(services)
        self.fields["to_agency"].queryset = Agency.objects.filter(
            pk__in=[agency.pk for agency in partners]
        ).order_by("acronym")


class DeclineForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The sending agency reads this to find another partner."),
    )


class ServiceForm(StyledForm):
    service = forms.ChoiceField(label=_("Service"), choices=ServiceCode.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
