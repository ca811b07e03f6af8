"""What a user may do with the anonymised exports (SPEC section 1). One function per action."""

from __future__ import annotations

from ctms.choices import Role
from ctms.policies import policy
from ctms.scope import acts_as


@policy
def can_export_ctdc(user) -> bool:
    """The anonymised CTDC data set is for the secretariat (and administrators) only."""
    return acts_as(user, Role.SECRETARIAT)
