"""Building blocks of the data rules (SPEC section 10). The rules themselves are stated once, in
each model's `clean()` (plus a CheckConstraint where the database can hold one); forms,
serializers and the importer all call the model, so the message is the same everywhere."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AFTER_TODAY = _("This date is after today.")
MORE_THAN_TOTAL = _("This cannot be more than the total.")


_fixed_today: ContextVar[dt.date | None] = ContextVar("ctms_rules_today", default=None)


def today() -> dt.date:
    """Today in the project's time zone, as the rules compare dates with it; the same date
    throughout a `same_day()` block."""
    return _fixed_today.get() or timezone.localdate()


@contextmanager
def same_day() -> Iterator[None]:
    """Check many records against one today (an import: one transaction, and asking the time
    zone once per record costs more than the rule itself)."""
    token = _fixed_today.set(timezone.localdate())
    try:
        yield
    finally:
        _fixed_today.reset(token)


_unique_left_to_database: ContextVar[bool] = ContextVar("ctms_rules_unique", default=False)


def unique_checked_here() -> bool:
    """Whether a `clean()` should look up the database for a record that would break a unique
    constraint (to say it next to the field, in a form). False in `unique_left_to_database()`."""
    return not _unique_left_to_database.get()


@contextmanager
def unique_left_to_database() -> Iterator[None]:
    """For an import: each unique constraint is checked by the database when the rows go in,
    a batch at a time, and a batch it refuses is retried row by row with the model's
    `validate_constraints()`, which names the line (transfer.importer) instead of one query
    per record in `clean()`."""
    token = _unique_left_to_database.set(True)
    try:
        yield
    finally:
        _unique_left_to_database.reset(token)


class Rules:
    """The rule violations of one record, by field; `check()` raises them all at once."""

    def __init__(self, record):
        self.record = record
        self.errors: dict[str, list] = defaultdict(list)

    def require(self, holds: bool, field: str, message, **params) -> None:
        """Note `message` on `field` unless `holds`."""
        if not holds:
            self.errors[field].append(message % params if params else message)

    def not_after_today(self, *fields: str, message=AFTER_TODAY) -> None:
        day = today()
        for field in fields:
            value = getattr(self.record, field)
            self.require(not isinstance(value, dt.date) or value <= day, field, message)

    def not_before(self, field: str, earliest: dt.date | None, message) -> None:
        """`field` (a date) is not before `earliest` (when both are known)."""
        value = getattr(self.record, field)
        self.require(value is None or earliest is None or value >= earliest, field, message)

    def at_most(self, total_field: str, *fields: str, message=MORE_THAN_TOTAL) -> None:
        """Each of `fields` is at most the value of `total_field` (when both are known)."""
        total = getattr(self.record, total_field)
        for field in fields:
            value = getattr(self.record, field)
            self.require(value is None or total is None or value <= total, field, message)

    def check(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))


def related(record, name: str):
    """The record that `record.<name>` points to when it is at hand (set on the instance, or
    stored), else None: e.g. a parent that an import is still building."""
    field = record._meta.get_field(name)
    if field.is_cached(record):
        return getattr(record, name)
    pk = getattr(record, field.attname)
    if pk is None:
        return None
    found = field.related_model._default_manager.filter(pk=pk).first()
    if found is not None:
        field.set_cached_value(record, found)
    return found
