"""The secretariat's request for a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .periods import Period, parse_period


class ReportRequestForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        max_length=30,
        help_text=_("A quarter (2010-Q3), a year (2010) or a date range (2010-01-01..2010-06-30)."),
        widget=forms.TextInput(attrs={"placeholder": "2010-Q3", "class": "form-control"}),
    )

    def clean_period(self) -> str:
        period: Period = parse_period(self.cleaned_data["period"])
        return period.label
