"""Template filters of the browser UI: gazetteer and country names in the interface language,
labels of code lists, and the short reference shown for a record."""

from __future__ import annotations

import pycountry
from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

from ctms import history, labels
from ctms.choices import ServiceCode

register = template.Library()

register.filter("place_name", labels.place_name)
register.filter("country_name", labels.country_name)
# Agencies: `local_name` for the full name in the interface language, `agency_label` for the
# acronym with it, `agency` for the acronym alone with the full name as its title (lists).
register.filter("local_name", labels.local_name)
register.filter("agency_label", labels.agency_label)


@register.filter
def agency(record) -> str:
    """An agency's acronym marked up with its full name in the interface language."""
    if record is None:
        return ""
    name = labels.local_name(record)
    if name in ("", record.acronym):
        return conditional_escape(record.acronym)
    return format_html('<abbr title="{}">{}</abbr>', name, record.acronym)


@register.filter
def service_labels(codes) -> str:
    names = dict(ServiceCode.choices)
    return ", ".join(str(names.get(code, code)) for code in codes or [])


@register.filter
def choice_label(code: str, choices_path: str) -> str:
    """The label of `code` in a TextChoices class named `app.Class` (e.g. `victims.AgeBand`)."""
    from importlib import import_module

    app, name = choices_path.split(".")
    choices = getattr(import_module(f"{app}.choices"), name)
    return str(dict(choices.choices).get(code, code))


@register.filter
def yes_no(value) -> str:
    return {True: _("Yes"), False: _("No")}.get(value, _("Not asked yet"))


@register.filter
def reference(record) -> str:
    """The short reference printed for a record: the first 8 hex digits of its id."""
    return str(getattr(record, "pk", record))[:8]


@register.filter
def language_name(code: str) -> str:
    """A language's name from its ISO 639 code, in the interface language when we have it."""
    known = dict(labels.SPOKEN_LANGUAGES)
    if code in known:
        return str(known[code])
    found = pycountry.languages.get(alpha_2=code) if len(code or "") == 2 else None
    found = found or (pycountry.languages.get(alpha_3=code) if len(code or "") == 3 else None)
    return found.name if found else (code or "")


@register.inclusion_tag("includes/change_history.html")
def change_history(record, *parts):
    """The record's change history (and its parts', e.g. a prosecution's defendants)."""
    return {"entries": history.change_history(record, *parts)}


@register.inclusion_tag("includes/change_history.html")
def change_history_of(record, pairs):
    """The history of a record and of parts given as (part, form) pairs (defendants)."""
    return {"entries": history.change_history(record, *(part for part, _form in pairs))}
