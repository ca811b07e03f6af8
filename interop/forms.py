"""The administrators' form to register an external system (SPEC section 11)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from ctms.forms import StyledForm


class ExternalSystemForm(StyledForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("For example “Hagar OSCaR” or “MoSVY Primero (OpenFn)”."),
    )
    agency = forms.ModelChoiceField(
        label=_("Agency it acts for"),
        queryset=Agency.objects.order_by("acronym"),
        help_text=_("Referrals it sends come from this agency; it sees what is sent to it."),
    )
    url = forms.URLField(
        label=_("Its API address"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Only when CTMS must call it (an OSCaR instance); empty for a job that calls CTMS."
        ),
    )
    remote_login = forms.CharField(
        label=_("CTMS's login on its API"), max_length=150, required=False
    )
    remote_password = forms.CharField(
        label=_("CTMS's password on its API"),
        max_length=256,
        required=False,
        widget=forms.PasswordInput(render_value=False),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("url") and not cleaned.get("remote_login"):
            self.add_error("remote_login", _("CTMS needs a login to call this address."))
        return cleaned
