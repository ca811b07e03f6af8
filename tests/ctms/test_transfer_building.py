"""The import's fast `full_clean` (transfer.building) says what Django's own says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from transfer.building import Validator, new_instance
from victims.models import Repatriation, Victim


def errors_of(check, instance) -> dict[str, list[str]]:
    try:
        check(instance)
    except ValidationError as error:
        return error.message_dict
    return {}


def relations(model) -> list[str]:
    return [f.name for f in model._meta.fields if f.is_relation]


def djangos(instance) -> dict[str, list[str]]:
    exclude = relations(type(instance))
    return errors_of(
        lambda i: i.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False),
        instance,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "values"),
    [
        (Victim, {"given_name": "Dara"}),  # every other field at its default
        (Victim, {"given_name": "Dara", "sex": "bogus"}),
        (Victim, {"sex": "female", "date_of_birth": dt.date(2001, 2, 3), "home_province": "99"}),
        (Repatriation, {"received_on": dt.date(2010, 1, 1)}),  # its `kind` default is not valid
        (Repatriation, {"received_on": dt.date(2010, 1, 1), "kind": "formal"}),
    ],
)
def test_the_fast_full_clean_reports_what_django_s_does_the_first_time_and_after(model, values):
    validator = Validator()
    exclude = relations(model)
    # The second and third instances meet the outcomes (and the defaults) kept from the first.
    for _ in range(3):
        instance = new_instance(model)
        for name, value in values.items():
            setattr(instance, name, value)
        theirs = djangos(instance)

        ours = errors_of(lambda i: validator.full_clean(i, exclude), instance)

        assert ours == theirs
