"""Browser forms of hand-overs: offering a person to another agency, and declining."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.choices import SHELTERING_KINDS
from agencies.models import Agency
from ctms.forms import AgencyChoiceField, StyledForm
from victims.matching import victim_for_match_token

MATCH_INVALID = _("This match is no longer valid: look for the person again.")


class TransferForm(StyledForm):
    """The owning agency offers the person (and, if chosen, one of its cases) to another."""

    to_agency = AgencyChoiceField(
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


class MatchAccessForm(StyledForm):
    """Ask the agency holding a possible duplicate for its record: the person is named only by
    the match token the intake page gave this user (SPEC section 8)."""

    match = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
    reason = forms.CharField(
        label=_("Why your agency needs the record"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The agency that holds the record reads this before it answers."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        """`victim`: the person the token names. One message, on top (the token is a hidden
        field), for an expired, altered or someone else's token: it tells nothing of the record."""
        cleaned = super().clean()
        if "match" in cleaned:  # "" (a page opened without a token) is refused the same way
            cleaned["victim"] = victim_for_match_token(user=self.user, token=cleaned["match"])
            if cleaned["victim"] is None:
                self.add_error(None, MATCH_INVALID)
        return cleaned
