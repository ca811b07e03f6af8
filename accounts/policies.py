"""Who may do what with accounts: one function per action, asked by services, views and the
admin alike."""

from __future__ import annotations

from ctms.policies import policy
from ctms.scope import is_admin


@policy
def can_reset_two_factor(actor, user) -> bool:
    """Only an administrator resets a second factor (of anyone, their own included): a user
    who lost their phone, or whose enrolment someone else may have made, asks one. Nobody
    resets it for themselves with the password alone, or a stolen password would do."""
    return is_admin(actor)
