"""What a user may do with victims, repatriations and follow-ups (SPEC section 1).

One function per action. Asked without a record, a policy answers whether the user's role may
take the action at all (page gates, navigation); with a record, whether on that record. Who may
see a victim is not here: that is `victims.selectors`.
"""

from __future__ import annotations

from ctms.choices import Role
from ctms.policies import policy
from ctms.scope import acts_as, is_admin

from .models import Victim
from .selectors import VictimAccess, victim_access, victims_visible_to


def _holds_in_full(user, victim: Victim) -> bool:
    return victims_visible_to(user, at_least=VictimAccess.FULL).filter(pk=victim.pk).exists()


@policy
def can_browse_victims(user) -> bool:
    """The victim list, the intake page and its pickers: case workers (police take in the
    persons they rescue through the operation form)."""
    return acts_as(user, Role.CASE_WORKER)


@policy
def can_take_in_victim(user) -> bool:
    """Create a victim record for one's agency: case workers, and police for rescued persons."""
    return acts_as(user, Role.CASE_WORKER, Role.POLICE)


@policy
def can_edit_victim(user, victim: Victim | None = None) -> bool:
    """Correct a victim record: case workers who hold it in full."""
    if not acts_as(user, Role.CASE_WORKER):
        return False
    return victim is None or _holds_in_full(user, victim)


@policy
def can_archive_victim(user, victim: Victim | None = None) -> bool:
    """Archive a person (with a reason): whoever may correct the record. It disappears from
    every view but the owning agency's archive list and the administrators'."""
    return can_edit_victim(user, victim)


@policy
def can_read_victim_notes(user, victim: Victim) -> bool:
    """Social, medical and psychosocial notes: only with full access (never police)."""
    return victim_access(user, victim) >= VictimAccess.FULL


@policy
def can_record_follow_up(user, victim: Victim | None = None) -> bool:
    """Reintegration follow-ups: case workers holding the person, partners under an open
    referral."""
    if not acts_as(user, Role.CASE_WORKER, Role.PARTNER):
        return False
    return (
        victim is None
        or victims_visible_to(user, at_least=VictimAccess.REFERRAL).filter(pk=victim.pk).exists()
    )


@policy
def can_record_repatriation(user, victim: Victim | None = None) -> bool:
    """A person received back from abroad: case workers holding the person in full."""
    if not acts_as(user, Role.CASE_WORKER):
        return False
    return victim is None or _holds_in_full(user, victim)


@policy
def can_purge_victim(user) -> bool:
    """Delete a victim record and everything about the person: administrators only."""
    return is_admin(user)


@policy
def can_search_matches(user) -> bool:
    """Look for possible duplicates (SPEC section 8): those who take people in, case workers and
    police (and administrators)."""
    return acts_as(user, Role.CASE_WORKER, Role.POLICE)


@policy
def can_merge_records(user) -> bool:
    """Merge duplicates at all: case workers and administrators."""
    return acts_as(user, Role.CASE_WORKER)


@policy
def can_merge(user, survivor: Victim, duplicate: Victim) -> bool:
    """Merge `duplicate` into `survivor`: a case worker (or administrator) holding both in full,
    two distinct records neither of which is already merged."""
    if not can_merge_records(user):
        return False
    if survivor.pk == duplicate.pk or survivor.merged_into_id or duplicate.merged_into_id:
        return False
    return all(victim_access(user, v) >= VictimAccess.FULL for v in (survivor, duplicate))
