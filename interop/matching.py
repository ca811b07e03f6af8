"""Is this person already in CTMS? The duplicate matcher of SPEC section 8 is not on main yet:
until it lands, an exact match (case-folded names and the date of birth) stands in for it.
Swap `same_person`/`any_match` for the section-8 matcher when it lands."""

from __future__ import annotations

import datetime as dt

from victims.models import Victim


def _matches(given_name: str, family_name: str, date_of_birth: dt.date | None):
    given, family = given_name.strip(), family_name.strip()
    if not given or not family:
        return Victim.objects.none()
    found = Victim.objects.filter(
        given_name__iexact=given, family_name__iexact=family, is_archived=False
    )
    if date_of_birth:
        found = found.filter(date_of_birth=date_of_birth)
    return found


def same_person(*, agency, given_name: str, family_name: str, date_of_birth) -> Victim | None:
    """The person the agency already holds under these names and birth date, if any."""
    return _matches(given_name, family_name, date_of_birth).filter(agency=agency).first()


def any_match(*, given_name: str, family_name: str, date_of_birth) -> bool:
    """Whether anyone in CTMS matches; says nothing else."""
    return _matches(given_name, family_name, date_of_birth).exists()
