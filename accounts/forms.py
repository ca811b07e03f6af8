"""Sign-in forms: password with lockout, and the one-time code of the second factor."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ctms.forms import StyledForm, StyledFormMixin
from ctms.request_context import client_ip

from .lockout import LOCKOUT_MESSAGE, is_locked_out


class LockoutAuthenticationForm(StyledFormMixin, AuthenticationForm):
    """Django's sign-in form, refusing a locked username + address before checking anything.

    Every refusal uses one of two messages that do not depend on whether the account exists:
    Django's "Please enter a correct username and password" and the lockout message.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": LOCKOUT_MESSAGE,
        # Same words as a wrong password: a deactivated account is not revealed either.
        "inactive": AuthenticationForm.error_messages["invalid_login"],
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        ip_address = client_ip(self.request) if self.request is not None else None
        if username and is_locked_out(username=username, ip_address=ip_address):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            return super().clean()
        except forms.ValidationError:
            # The failure just recorded may be the one that locks: say so right away.
            if username and is_locked_out(username=username, ip_address=ip_address):
                raise forms.ValidationError(
                    self.error_messages["locked_out"], code="locked_out"
                ) from None
            raise


class OTPTokenForm(StyledForm):
    """The six-digit code shown by the user's authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")
