"""The secretariat's request for a report."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctms.choices import WorkingGroupCode
from ctms.forms import DateInput, StyledModelForm
from ctms.labels import country_choices, province_choices

from .models import Activity, ActivityKind, DeporteeReport
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


class ActivityForm(StyledModelForm):
    """A prevention or child-affairs activity of the user's agency (counts only)."""

    class Meta:
        model = Activity
        fields = [
            "date",
            "kind",
            "working_group",
            "province",
            "participants_total",
            "participants_female",
            "participants_children",
            "description",
        ]
        labels = {
            "date": _("Date"),
            "kind": _("Kind"),
            "working_group": _("Working group"),
            "province": _("Province"),
            "participants_total": _("Participants"),
            "participants_female": _("of whom female"),
            "participants_children": _("of whom children"),
            "description": _("Description"),
        }
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.fields["kind"].choices = ActivityKind.choices
        self.fields["working_group"].choices = [("", "—")] + WorkingGroupCode.choices
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"), choices=province_choices(), required=False
        )
        self.fields["province"].widget.attrs["class"] = "form-select"


class DeporteeReportForm(StyledModelForm):
    """A month's count of deportees the user's agency received from one country."""

    month = forms.RegexField(
        label=_("Month"),
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("A month as YYYY-MM, e.g. 2025-07.")},
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-07"}),
    )

    class Meta:
        model = DeporteeReport
        fields = ["month", "from_country", "total", "female", "children", "detained_over_month"]
        labels = {
            "from_country": _("Deported from"),
            "total": _("Deportees"),
            "female": _("of whom female"),
            "children": _("of whom children"),
            "detained_over_month": _("of whom detained over a month"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_country"] = forms.ChoiceField(
            label=_("Deported from"), choices=country_choices(blank=False), initial="THA"
        )
        self.fields["from_country"].widget.attrs["class"] = "form-select"


class DashboardForm(forms.Form):
    """The dashboard's choice of a quarter (those with records, newest first) and a province
    (the gazetteer's; none: the whole country)."""

    period = forms.ChoiceField(label=_("Quarter"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, data, *, quarters: list[Period]):
        super().__init__(data)
        self.quarters = {period.label: period for period in quarters}
        self.fields["period"].choices = [(label, label) for label in self.quarters]
        self.fields["province"].choices = [("", _("All provinces"))] + province_choices()[1:]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean_period(self) -> Period:
        label = self.cleaned_data["period"]
        return self.quarters[label] if label else next(iter(self.quarters.values()))
