"""Is this person already in CTMS? The duplicate matcher of SPEC section 8
(`victims.matching.find_matches`, docs/duplicates.md), asked on the external system's behalf."""

from __future__ import annotations

from victims.matching import find_matches
from victims.models import Victim

# An upsert links to an existing record without a human looking: names and birth must agree.
AUTO_LINK_SCORE = 75  # names and full birth date agree (docs/duplicates.md)


def _data(given_name: str, family_name: str, date_of_birth, name_khmer: str = "") -> dict:
    return {
        "given_name": given_name,
        "family_name": family_name,
        "name_khmer": name_khmer,
        "date_of_birth": date_of_birth,
    }


def same_person(
    *, system, given_name: str, family_name: str, date_of_birth, name_khmer: str = ""
) -> Victim | None:
    """The person the system's own agency already holds, if the matcher is near-certain."""
    matches = find_matches(
        user=system.user, data=_data(given_name, family_name, date_of_birth, name_khmer)
    )
    ids = [m.row["id"] for m in matches if m.visible and m.score >= AUTO_LINK_SCORE]
    return Victim.objects.filter(pk__in=ids, agency=system.agency).first() if ids else None


def any_match(*, system, given_name: str, family_name: str, date_of_birth) -> bool:
    """Whether anyone in CTMS may be this person (the matcher's threshold); says nothing else."""
    return bool(find_matches(user=system.user, data=_data(given_name, family_name, date_of_birth)))
