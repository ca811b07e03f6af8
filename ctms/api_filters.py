"""Filtering of API lists that refuses what it does not understand.

django-filter and DRF's ordering ignore a malformed value silently (`?delivered=garbage`,
`?ordering=nonsense`, `?status=`), so that a partner's typo reads as "everything". Here every
such value is a 400 that names the parameter. Unknown parameter names are refused by
ctms.rest (every operation, not only lists).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

BOOLEAN_VALUES = {"true": True, "false": False}
MODEL_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def filter_parameter_names(filterset) -> set[str]:
    """The query parameters a filterset reads (a range filter reads `<name>_min`, `_max`…)."""
    names = set()
    for name, field in filterset.form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)
        names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes or [""])
    return names


def _only_unknown_records(filterset) -> bool:
    """Whether every error is a well-formed id that names no record of a model filter."""
    for name, errors in filterset.form.errors.as_data().items():
        model_filter = filterset.filters.get(name)
        if not isinstance(model_filter, MODEL_FILTERS):
            return False
        if any(error.code not in {"invalid_choice", "invalid_pk_value"} for error in errors):
            return False
        pk = model_filter.queryset.model._meta.pk if model_filter.queryset is not None else None
        try:
            for value in filterset.form.data.getlist(name):
                pk.to_python(value)
        except (AttributeError, DjangoValidationError):
            return False
    return True


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, but an empty value, a boolean other than `true`/`false` or a malformed
    value is a 400 naming the parameter, and a date-time is compared in UTC (an offset such as
    `-22:57` is valid ISO 8601 yet refused by PostgreSQL)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        errors: dict[str, list[str]] = {}
        for name in filter_parameter_names(filterset) & set(request.query_params):
            values = request.query_params.getlist(name)
            if any(value == "" for value in values):
                errors[name] = [_("This value may not be empty.")]
            elif isinstance(filterset.filters.get(name), django_filters.BooleanFilter) and any(
                value not in BOOLEAN_VALUES for value in values
            ):
                errors[name] = [_("Must be true or false.")]
        if errors:
            raise exceptions.ValidationError(errors)
        if not filterset.is_valid():
            if _only_unknown_records(filterset):
                # A well-formed id of a record that does not exist (or is not visible)
                # matches nothing: an empty list, as for any other value that matches nothing.
                return queryset.none()
            raise exceptions.ValidationError(filterset.errors)
        for name, value in filterset.form.cleaned_data.items():
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                filterset.form.cleaned_data[name] = value.astimezone(dt.UTC)
        return filterset.qs


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` with one of the listed fields (`-` first for descending), else a 400."""

    def choices(self, view) -> list[str]:
        fields = getattr(view, "ordering_fields", None) or []
        if fields == "__all__":
            return []
        names = [field if isinstance(field, str) else field[0] for field in fields]
        return [value for name in names for value in (name, f"-{name}")]

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is not None and raw not in self.choices(view):
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Order by one of: %(choices)s.")
                        % {"choices": ", ".join(self.choices(view))}
                    ]
                }
            )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        choices = self.choices(view)
        if not choices:
            return []  # no ordering offered: the parameter is refused like any unknown one
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": choices}
        return parameters
