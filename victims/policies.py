"""Who may do what with victim records (the visibility rules are in victims.selectors)."""

from __future__ import annotations

from ctms.choices import Role
from ctms.scope import has_role, is_admin

from .models import Victim
from .selectors import VictimAccess, victim_access


def can_search_matches(user) -> bool:
    """Those who take people in look for duplicates first: case workers, police, admins."""
    return is_admin(user) or has_role(user, Role.CASE_WORKER, Role.POLICE)


def can_merge_records(user) -> bool:
    """Merging duplicates is for case workers and administrators."""
    return is_admin(user) or has_role(user, Role.CASE_WORKER)


def can_merge(user, survivor: Victim, duplicate: Victim) -> bool:
    """A case worker (or an administrator) with full access to both records, two distinct
    records neither of which is already merged."""
    if not can_merge_records(user):
        return False
    if survivor.pk == duplicate.pk or survivor.merged_into_id or duplicate.merged_into_id:
        return False
    return all(victim_access(user, v) >= VictimAccess.FULL for v in (survivor, duplicate))
