"""Building and validating model instances fast, for an import of many records.

Two things cost most of an import's time when done as a form does them, once per record
(docs/import-export.md has the profile):
- `Model.__init__`, which walks every field with its descriptors and signals;
- `full_clean`, which runs, for every field of every record, the field's whole `clean()`
  (choices, validators such as the gazetteer's and the ISO lists' code look-ups), whatever the
  value.

`new_instance` builds the instance Django's `__init__` would (every field at its default,
`_state` new) without the per-field machinery; it is only used for models without
`pre_init`/`post_init` receivers. `Validator.full_clean` runs the same steps as Django's
`full_clean(validate_unique=False, validate_constraints=False)`: each field's `clean()`, then
the model's `clean()`, the errors merged the same way. What it saves is repeating a field's
`clean()` for a value it has already cleaned: a field's checks read only the value (its
type, choices, validators), so the outcome of each (field, value) is kept for short strings,
numbers, dates and lists of codes, for the first few thousand values of each field (codes
repeat; a field whose values do not, such as names, stops growing there), and a field left at
its default (most of a record's fields are) is passed over as soon as the default object
itself has been found valid; relations (whose check reads the database) and primary keys are
checked every time. Rules between
fields, and anything reading the database, stay in the model's `clean()`, which runs for
every record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.expressions import DatabaseDefault

CACHE_SIZE = 4_000  # outcomes kept per field: the first values seen (codes repeat, names not)
MAX_KEPT_TEXT = 64  # characters: longer text is checked every time

_DEFAULTS: dict[type[models.Model], list[tuple[str, Any, Callable[[], Any] | None]]] = {}


def new_instance(model: type[models.Model], pk: Any = None) -> models.Model:
    """A new, unsaved instance of `model` with every field at its default (and the primary key
    `pk` if given): what `model()` gives, built without walking the fields' descriptors."""
    if (signals.pre_init.receivers or signals.post_init.receivers) and (
        signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)
    ):
        return model() if pk is None else model(pk=pk)
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = [
            (f.attname, None, f.get_default)
            if f.has_default() and callable(f.default)
            else (f.attname, f.get_default(), None)  # the same value for every instance
            for f in model._meta.concrete_fields
            if not f.primary_key
        ]
    instance = model.__new__(model)
    instance._state = ModelState()
    values = instance.__dict__
    for attname, value, make in defaults:
        values[attname] = value if make is None else make()
    values[model._meta.pk.attname] = model._meta.pk.get_default() if pk is None else pk
    return instance


class Validator:
    """`full_clean` for many instances, keeping the outcome of each field's checks of a value
    (see the module's docstring)."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self._outcomes: dict[models.Field, dict[tuple, tuple[bool, Any]]] = {}
        self._plans: dict[tuple[type[models.Model], frozenset[str]], list] = {}

    def _plan(self, model: type[models.Model], exclude: frozenset[str]) -> list[list]:
        """[field, its attname, whether it may be blank, its kept outcomes or None, its default
        once found valid as it is] for each field `clean_fields` checks."""
        key = (model, exclude)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = [
                [f, f.attname, f.blank, self._outcomes.setdefault(f, {}) if _pure(f) else None,
                 _NOT_YET]
                for f in model._meta.fields
                if f.name not in exclude and not f.generated
            ]  # fmt: skip
        return plan

    def full_clean(self, instance: models.Model, exclude: Iterable[str]) -> None:
        """As `instance.full_clean(exclude=exclude, validate_unique=False,
        validate_constraints=False)`; raises the same ValidationError."""
        errors: dict[str, list] = {}
        values = instance.__dict__
        for entry in self._plan(type(instance), frozenset(exclude)):
            f, attname, blank, outcomes, valid_default = entry
            raw = values[attname] if attname in values else getattr(instance, attname)
            if raw is valid_default:
                # The very object the field's default is (a record leaves most fields at
                # their default), found valid and cleaned to itself before.
                continue
            if blank and raw in f.empty_values:
                continue
            if isinstance(raw, DatabaseDefault):
                continue
            key = _key(raw) if outcomes is not None else None
            outcome = outcomes.get(key) if key is not None else None
            if outcome is None:
                try:
                    outcome = (True, f.clean(raw, instance))
                except ValidationError as error:
                    outcome = (False, error.error_list)
                if key is not None and len(outcomes) < self.cache_size:
                    outcomes[key] = outcome
                    if outcome[1] is raw and valid_default is _NOT_YET and _is_default(f, raw):
                        entry[4] = raw
            ok, value = outcome
            if not ok:
                errors[f.name] = list(value)  # the caller's merge extends it
            elif key is None or key[0] is not list:  # a kept list is cleaned to itself
                setattr(instance, attname, value)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


_NOT_YET = object()  # a default not yet found valid: no value is it


def _is_default(field: models.Field, value: Any) -> bool:
    """Whether `value` is the very object every new instance gets as `field`'s default (a
    default made by a function is a new object each time: never)."""
    if field.has_default() and callable(field.default):
        return False
    return field.get_default() is value


def _pure(field: models.Field) -> bool:
    """Whether `field`'s outcome may be kept per value: not a relation (its check reads the
    database) nor the primary key (a new value each time)."""
    return not field.is_relation and not field.primary_key


def _key(value: Any) -> tuple | None:
    """The key of `value`'s outcome, or None for a value not kept: immutable values by type
    and value (short strings only: long text seldom repeats), lists of strings (code lists)
    by their items."""
    if isinstance(value, str):
        return (str, value) if len(value) <= MAX_KEPT_TEXT else None
    if isinstance(value, int | float | bool | dt.date):
        return (value.__class__, value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return (list, tuple(value))
    return None
