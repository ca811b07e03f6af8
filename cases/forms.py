"""Browser forms of cases, police operations (with suspects and rescues) and prosecutions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.choices import SHELTERING_KINDS, AgencyKind
from agencies.models import Agency
from ctms.choices import Sex
from ctms.forms import (
    YES_NO_UNKNOWN,
    DateInput,
    StyledForm,
    StyledModelForm,
    nullable_boolean_field,
)
from ctms.labels import country_choices, province_choices
from victims.selectors import reference_q

from .choices import (
    CaseStatus,
    ExploitationType,
    LabourSector,
    MeansOfControl,
    OperationKind,
    Placement,
    RecruiterRelation,
    RecruitmentMethod,
    SexualExploitationType,
    SuspectRole,
    Verdict,
)
from .models import Case, Operation, Rescue, Suspect


def _ticks(label, choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


OPEN_STATUSES = (CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP)
CLOSED_STATUSES = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)


class CaseForm(StyledModelForm):
    """Every SPEC field of a case but its closing, which has a page of its own (CaseCloseForm).
    "At least one form of exploitation" is the model's rule (Case.clean)."""

    exploitation_types = _ticks(_("Forms of exploitation"), ExploitationType.choices)
    labour_sectors = _ticks(_("Sectors of forced labour"), LabourSector.choices)
    sexual_exploitation_types = _ticks(
        _("Kinds of sexual exploitation"), SexualExploitationType.choices
    )
    means_of_control = _ticks(_("Means of control"), MeansOfControl.choices)
    countries_of_exploitation = forms.MultipleChoiceField(
        label=_("Countries of exploitation"), required=False
    )

    class Meta:
        model = Case
        fields = [
            "opened_on",
            "status",
            "exploitation_types",
            "labour_sectors",
            "sexual_exploitation_types",
            "means_of_control",
            "cross_border",
            "countries_of_exploitation",
            "recruitment_method",
            "recruiter_relation",
            "notes",
        ]
        labels = {
            "opened_on": _("Opened on"),
            "status": _("Status"),
            "cross_border": _("Crossed a border"),
            "recruitment_method": _("How the person was recruited"),
            "recruiter_relation": _("Recruiter's relation to the person"),
            "notes": _("Notes"),
        }
        widgets = {"opened_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate
        # Open statuses only: closing asks for a date and a reason on its own page. A closed
        # case shows its status and may be reopened here.
        statuses = [(v, label) for v, label in CaseStatus.choices if v in OPEN_STATUSES]
        # Remembered now: validation copies the posted status onto the instance.
        self.was_closed = self.instance.is_closed
        if self.was_closed:
            statuses.append((self.instance.status, self.instance.get_status_display()))
        self.fields["status"].choices = statuses
        self.fields["countries_of_exploitation"].choices = country_choices(blank=False)
        self.fields["recruitment_method"].choices = [("", "—")] + RecruitmentMethod.choices
        self.fields["recruiter_relation"].choices = [("", "—")] + RecruiterRelation.choices

    def changes(self) -> dict:
        """The fields to write; reopening a closed case clears its closing date and reason."""
        data = dict(self.cleaned_data)
        if self.was_closed and data.get("status") in OPEN_STATUSES:
            data.update(closed_on=None, closure_reason="")
        return data


class CaseCloseForm(StyledForm):
    """Close a case: how, when and why. The page asks for confirmation before it is sent."""

    status = forms.ChoiceField(
        label=_("How the case ends"),
        choices=[(v, label) for v, label in CaseStatus.choices if v in CLOSED_STATUSES],
        initial=CaseStatus.CLOSED,
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(
        label=_("Closed on"), widget=DateInput(), initial=timezone.localdate
    )
    closure_reason = forms.CharField(
        label=_("Reason for closing"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SuspectRowForm(StyledForm):
    """One suspect, created as a minimal record (a name may be unknown)."""

    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False, initial="KHM")
    role = forms.ChoiceField(label=_("Role"), choices=SuspectRole.choices, initial="other")
    birth_year = forms.IntegerField(
        label=_("Estimated birth year"), required=False, min_value=1900, max_value=2100
    )
    aliases = forms.CharField(
        label=_("Other names used"),
        required=False,
        max_length=500,
        help_text=_("Separate names with commas."),
    )
    address_known = nullable_boolean_field(_("Address known"))
    identified_by_victim = nullable_boolean_field(_("Identified by a victim"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citizenship"].choices = country_choices()
        for name in ("address_known", "identified_by_victim"):
            self.fields[name].widget = forms.Select(
                choices=YES_NO_UNKNOWN, attrs={"class": "form-select"}
            )

    def clean_aliases(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["aliases"].split(",") if name.strip()]


class RescueRowForm(StyledForm):
    """One rescued person and where they were placed; a minimal victim record is created."""

    name_khmer = forms.CharField(label=_("Name in Khmer script"), required=False, max_length=200)
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=100)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(
        label=_("Estimated birth year"), required=False, min_value=1900, max_value=2100
    )
    placement = forms.ChoiceField(label=_("Placed with"), choices=[("", "—")] + Placement.choices)
    placed_with = forms.ModelChoiceField(
        label=_("Agency that took the person in"),
        queryset=Agency.objects.filter(kind__in=SHELTERING_KINDS).order_by("acronym"),
        required=False,
        empty_label="—",
        help_text=_("Required for a DoSVY or NGO placement."),
    )

    def clean(self):
        data = super().clean()
        if data.get("placement"):
            try:  # the model's rule, with its message (the API and the importer use it too)
                Rescue(placement=data["placement"], placed_with=data.get("placed_with")).clean()
            except ValidationError as error:
                for name, messages in error.message_dict.items():  # next to the field named
                    self.add_error(name if name in self.fields else None, messages)
        return data

    def victim_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("placement")
        data.pop("placed_with", None)
        return {key: value for key, value in data.items() if value not in ("", None)}


# A raid on a scam compound can free hundreds of people in one go; above MAX_ROWS the form says
# so next to the rows, which are all shown again (up to twice as many: nothing typed is lost).
MAX_ROWS = 300
SuspectFormSet = forms.formset_factory(
    SuspectRowForm, extra=1, max_num=MAX_ROWS, absolute_max=2 * MAX_ROWS, validate_max=True
)
RescueFormSet = forms.formset_factory(
    RescueRowForm, extra=1, max_num=MAX_ROWS, absolute_max=2 * MAX_ROWS, validate_max=True
)


class OperationForm(StyledModelForm):
    class Meta:
        model = Operation
        fields = ["date", "kind", "province", "case", "notes"]
        labels = {
            "date": _("Date"),
            "kind": _("Kind"),
            "province": _("Province"),
            "case": _("Case"),
            "notes": _("Notes"),
        }
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    released = forms.ModelMultipleChoiceField(
        label=_("Take off this operation"),
        queryset=Suspect.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Suspects logged here by mistake. Their records stay."),
    )

    def __init__(self, *args, cases, detained=None, **kwargs):
        super().__init__(*args, **kwargs)
        if detained is None:  # logging a new operation: nobody to take off yet
            del self.fields["released"]
        else:
            self.fields["released"].queryset = detained
        self.fields["kind"].choices = OperationKind.choices
        self.fields["province"] = forms.ChoiceField(
            label=_("Province"), choices=province_choices(), required=False
        )
        self.fields["province"].widget.attrs["class"] = "form-select"
        self.fields["case"].queryset = cases
        self.fields["case"].required = False
        self.fields["case"].empty_label = "—"


class ProsecutionForm(StyledForm):
    court_case_number = forms.CharField(label=_("Court case number"), max_length=60)
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput(), initial=timezone.localdate)
    charges = forms.CharField(
        label=_("Charges"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    case_reference = forms.CharField(
        label=_("Case"),
        required=False,
        max_length=36,
        help_text=_(
            "Type the short reference (8 characters) or a name on the case, then choose from "
            "the list."
        ),
    )
    defendants = forms.ModelMultipleChoiceField(
        label=_("Defendants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The suspects of the case who are charged."),
    )

    def __init__(self, *args, case, picker_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["defendants"].queryset = case.suspects.all() if case else Suspect.objects.none()
        if picker_url:  # htmx fills the list of matching cases as the user types
            self.fields["case_reference"].widget.attrs.update(
                {
                    "list": "case-options",
                    "autocomplete": "off",
                    "inputmode": "search",
                    "hx-get": picker_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#case-options",
                    "hx-swap": "innerHTML",  # not the outerHTML its wrapper asks for
                }
            )

    def clean_case_reference(self):
        reference = self.cleaned_data.get("case_reference", "").strip()
        if reference and self.case is None:
            raise forms.ValidationError(_("No case has this reference."))
        return reference


class VerdictForm(StyledForm):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    verdict_on = forms.DateField(label=_("Verdict date"), required=False, widget=DateInput())
    sentence_months = forms.IntegerField(
        label=_("Sentence (months)"), required=False, min_value=0, max_value=1200
    )


class CaseVictimForm(StyledForm):
    """Link a victim by the reference printed in the victim list (8 characters) or in full."""

    reference = forms.CharField(
        label=_("Victim"),
        max_length=36,
        help_text=_("Type a name or the short reference, then choose from the list."),
    )

    def __init__(self, *args, victims, picker_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.victims = victims
        if picker_url:  # htmx fills the list of matching victims as the user types
            self.fields["reference"].widget.attrs.update(
                {
                    "list": "victim-options",
                    "autocomplete": "off",
                    "hx-get": picker_url,
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#victim-options",
                }
            )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        condition = reference_q(reference)
        if condition is None:  # a name typed in full: accepted when it names one person
            condition = Q()
            for word in reference.split()[:5]:
                condition &= (
                    Q(given_name__icontains=word)
                    | Q(family_name__icontains=word)
                    | Q(name_khmer__icontains=word)
                )
        found = list(self.victims.filter(condition)[:2]) if reference else []
        if len(found) != 1:
            raise forms.ValidationError(_("No victim of yours has this name or reference."))
        self.victim = found[0]
        return reference


class SendToCourtForm(StyledForm):
    """The court a case goes to: it may then read the case and file prosecutions on it."""

    court = forms.ModelChoiceField(
        label=_("Court"),
        queryset=Agency.objects.filter(kind=AgencyKind.COURT).order_by("acronym"),
    )
