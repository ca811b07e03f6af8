"""Browser forms of case work. Model forms, so that the model's rules (dates not after today,
code lists) give the same messages as the API and the importer."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ctms.choices import ServiceCode
from ctms.forms import DateInput, StyledForm, StyledModelForm

from .choices import ConsentKind, ConsentMethod, RiskFactor
from .models import CaseNote, Consent, Document, RiskAssessment


class CaseNoteForm(StyledModelForm):
    class Meta:
        model = CaseNote
        fields = ["date", "kind", "text", "confidential"]
        labels = {
            "date": _("Date"),
            "kind": _("Kind"),
            "text": _("Note"),
            "confidential": _("Confidential: only my agency sees this note"),
        }
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class RiskAssessmentForm(StyledModelForm):
    factors = forms.MultipleChoiceField(
        label=_("Risk factors"),
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RiskAssessment
        fields = ["date", "level", "factors", "notes"]
        labels = {"date": _("Date"), "level": _("Risk level"), "notes": _("Notes")}
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class GoalForm(StyledForm):
    """A goal with its first task (more goals are added to the plan afterwards)."""

    domain = forms.ChoiceField(label=_("Domain"), choices=ServiceCode.choices)
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    task = forms.CharField(label=_("Task"), required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
    assigned_to = forms.ModelChoiceField(
        label=_("Assigned to"),
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        required=False,
    )

    def __init__(self, *args, agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            get_user_model()
            .objects.filter(agency_id=agency_id, is_active=True)
            .order_by("username")
        )

    def goal_data(self) -> dict:
        data = self.cleaned_data
        tasks = []
        if data.get("task"):
            tasks.append(
                {
                    "task": data["task"],
                    "due_on": data.get("due_on"),
                    "assigned_to": data.get("assigned_to"),
                }
            )
        return {"domain": data["domain"], "goal": data["goal"], "tasks": tasks}


class CarePlanForm(GoalForm):
    created_on = forms.DateField(label=_("Plan date"), widget=DateInput())
    review_on = forms.DateField(label=_("Review on"), required=False, widget=DateInput())
    field_order = ["created_on", "review_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["created_on"].initial = timezone.localdate()

    def plan_data(self) -> dict:
        return {
            "created_on": self.cleaned_data["created_on"],
            "review_on": self.cleaned_data.get("review_on"),
            "goals": [self.goal_data()],
        }


class DocumentForm(StyledModelForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 15 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    class Meta:
        model = Document
        fields = ["kind", "title"]
        labels = {"kind": _("Kind"), "title": _("Title")}


class ConsentForm(StyledModelForm):
    given = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("true", _("Gives consent")), ("false", _("Refuses or withdraws consent"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    document = forms.ModelChoiceField(
        label=_("Signed form (optional)"), queryset=Document.objects.none(), required=False
    )

    class Meta:
        model = Consent
        fields = ["kind", "given", "date", "method", "document"]
        labels = {"kind": _("Consent to"), "date": _("Date"), "method": _("How it was given")}
        widgets = {"date": DateInput()}

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["kind"].choices = ConsentKind.choices
        self.fields["method"].choices = [
            choice for choice in ConsentMethod.choices if choice[0] != ConsentMethod.EXTERNAL
        ]
        if documents is not None:
            self.fields["document"].queryset = documents
