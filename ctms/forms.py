"""Shared pieces of the browser forms: Bootstrap styling, date inputs, service errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import labels

YES_NO_UNKNOWN = [("", _("Not asked yet")), ("true", _("Yes")), ("false", _("No"))]


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def nullable_boolean_field(label, help_text="") -> forms.TypedChoiceField:
    """Yes / No / not asked, as radio buttons: a consent never defaults to yes."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO_UNKNOWN,
        coerce=lambda value: {"true": True, "false": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class AgencyChoiceField(forms.ModelChoiceField):
    """A chooser of agencies, each offered as its acronym and full name in the interface
    language (`labels.agency_label`)."""

    def label_from_instance(self, obj) -> str:
        return labels.agency_label(obj)


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return labels.agency_label(obj)


class StyledFormMixin:
    """Adds Bootstrap classes to every widget, and `is-invalid` to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        # Also for errors a service reports after validation (`add_service_errors`).
        super().add_error(field, error)
        if self._errors is not None and hasattr(self, "cleaned_data"):
            self._mark_invalid()

    def _mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "").split()
                if "is-invalid" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "is-invalid"])
                widget.attrs["aria-invalid"] = "true"


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (others on top)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name if name in form.fields else None
            for message in messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def submit(
    request, form: forms.BaseForm, write: Callable[[], Any], *, success: str, formsets=()
) -> Any:
    """On a valid POST (the form and its formsets), run the service `write` and flash
    `success`; its validation errors go next to the fields. Returns what `write` returned, or
    None when the form must show again (with everything typed still in it)."""
    if request.method != "POST":
        return None
    if not all([form.is_valid(), *(formset.is_valid() for formset in formsets)]):
        if form.is_bound and not form.errors:
            # Only rows are wrong: the banner on top must still say so.
            form.add_error(None, _("Please correct the rows marked below."))
        return None
    try:
        result = write()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, success)
    return result
