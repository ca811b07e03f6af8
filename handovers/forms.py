"""Browser forms of hand-overs: offering a person to another agency, and declining."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.choices import SHELTERING_KINDS
from agencies.models import Agency
from ctms.forms import StyledForm


class TransferForm(StyledForm):
    """The owning agency offers the person (and, if chosen, one of its cases) to another."""

    to_agency = forms.ModelChoiceField(
        label=_("Agency that takes the person over"), queryset=Agency.objects.none()
    )
    case = forms.ModelChoiceField(
        label=_("Case that moves with the person"),
        queryset=None,
        required=False,
        empty_label="—",
    )
    reason = forms.CharField(
        label=_("Why the person moves"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The other agency reads this once it has accepted."),
    )

    def __init__(self, *args, cases, own_agency_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = (
            Agency.objects.filter(kind__in=SHELTERING_KINDS)
            .exclude(pk=own_agency_id)
            .order_by("acronym")
        )
        self.fields["case"].queryset = cases


class HandoverDeclineForm(StyledForm):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The agency that sent it reads this to find another place."),
    )
